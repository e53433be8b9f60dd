"""Curators' tools: the consistency report (and, with the `curate` extra, the gazetteer locator).

Nothing in the briefs depends on this package; it reads the dataset and writes reports for people
who maintain data/.
"""
