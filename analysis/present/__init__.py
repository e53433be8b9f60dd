"""What a reader sees: formats, the house theme, HTML fragments, generated prose and the charts.

Notebooks display what these modules return; nothing here reads files but the bundled assets.
"""

from analysis.present import charts, format, html, links, prose, theme

__all__ = ["charts", "format", "html", "links", "prose", "theme"]
