"""The briefs' generated prose, one module per brief: headings, lead paragraphs, facts, the tables a
brief shows in words, and the notes that say what the data does not hold. Every number is computed
from the data, every code shown by its reader label, every data value escaped."""

import importlib

__all__ = ["common", "exchanges", "overview", "positions", "rounds", "territory"]


def __getattr__(name: str):
    if name in __all__:
        return importlib.import_module(f"analysis.present.prose.{name}")
    raise AttributeError(f"module 'analysis.present.prose' has no attribute {name!r}")
