"""Curators' tools: the consistency report, and the gazetteer locator (`python -m analysis locate`,
modules locate, gazetteers, placenames, neighbours, findings, verdicts and pointfile), which needs the
`curate` extra.

Nothing in the briefs depends on this package; it reads the dataset and writes reports (and, on
request, map points) for people who maintain data/.
"""
