"""What a reader sees: formats, words and labels, the house theme, HTML fragments, generated prose
and the charts.

Notebooks display what these modules return; nothing here reads files but the schemas and the
bundled assets. Submodules load on first use (`present.charts` pulls in Plotly), so the build can
use `present.links` and `present.labels` without importing the charting stack.
"""

import importlib

__all__ = ["charts", "format", "html", "labels", "links", "prose", "theme", "words"]


def __getattr__(name: str):
    if name in __all__:
        return importlib.import_module(f"analysis.present.{name}")
    raise AttributeError(f"module 'analysis.present' has no attribute {name!r}")
