"""Every number a brief shows, as pure functions: DataFrames in, DataFrames, Series or numbers out.

One module per domain (asof, rounds, deadlines, positions, exchanges, claims, coverage, changes),
so a reader can follow one call from the notebook to the code that produced a figure. Nothing here
reads files, prints or plots.
"""

from analysis.metrics import asof, changes, claims, coverage, deadlines, exchanges, ids, positions, rounds, truces

__all__ = ["asof", "changes", "claims", "coverage", "deadlines", "exchanges", "ids", "positions", "rounds", "truces"]
