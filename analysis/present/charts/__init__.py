"""The briefs' charts: DataFrame in, a Plotly figure with its caption out. Never shows, never writes.

`base` holds the skeleton every chart shares; one module per brief topic holds its figures.
"""

from analysis.present.charts import base, basemap, control, exchanges, positions, rounds, territory

__all__ = ["base", "basemap", "control", "exchanges", "positions", "rounds", "territory"]
