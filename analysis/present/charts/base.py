"""The skeleton every chart shares: the house template, the caption (source line, "about this data",
the plotted rows as CSV), the HTML block a static brief embeds, and the empty state.

Every data string that reaches a title, label, hover text or legend goes through `esc`."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analysis import contract, metrics
from analysis.dataset.tables import Dataset
from analysis.present import html, words
from analysis.present.format import esc
from analysis.present.html import HTML, render
from analysis.present.theme import TEMPLATE

PLOTLY_MIME = "application/vnd.plotly.v1+json"
META_KEY = "brief_caption"


PLOT_CLASS = "brief-plot"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


#: Per-brief state: the number of the next chart (chart ids count from 1 in every brief) and whether
#: charts display as the static block only (a build needs no interactive copy). `begin_brief` resets it.
_brief = {"charts": 0, "static": False}


def begin_brief(*, static: bool = False) -> None:
    """Start a brief: chart ids count from 1 again. The build calls this in every brief's first cell,
    so a kernel that runs many briefs gives each the ids a fresh kernel would."""
    _brief.update(charts=0, static=static)


def neutralize_csv(frame: pd.DataFrame) -> str:
    """CSV text of `frame` in which no text cell can run as a spreadsheet formula."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
        elif out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return out.to_csv(index=False, lineterminator="\r\n")


def source_line(frame: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, columns: tuple[str, ...] = ("source_ids",)) -> str:
    """'Sources: A, B and 3 others. Dataset 1.2.0, as of 22 July 2025.'"""
    outlets, more = metrics.coverage.source_outlets(frame, ds.tables["sources"], columns)
    if not outlets:
        named = "none (no rows)"
    else:
        named = words.join([*outlets, words.count(more, "other")] if more else outlets)
    return f"Sources: {named}. Dataset {ds.info.version}, as of {words.day(as_of)}."


def finish(
    fig: BriefFigure,
    frame: pd.DataFrame,
    ds: Dataset,
    as_of: pd.Timestamp,
    *,
    name: str,
    title: str,
    alt: str,
    about: str,
    table: Mapping[str, str],
    rows: pd.DataFrame | None = None,
    download: list[str] | None = None,
    source_columns: tuple[str, ...] = ("source_ids",),
    height: int = 440,
    missing: Mapping[str, str] | None = None,
) -> BriefFigure | NoChart:
    """Apply the house template and attach what every chart carries besides its marks (a figure
    made by `empty` becomes a `NoChart` sentence instead).

    Args:
        frame: The rows behind the chart (their sources make the source line).
        title: The finding, as plain text (it becomes the chart's title).
        alt: The text alternative: what the chart shows and its key numbers, for screen readers.
        about: The "about this data" note.
        table: Column -> reader label of the accessible data table (of `rows`, default `frame`).
        download: Columns of the CSV download (default: all of `frame`), as stored.
        missing: Column -> what a missing value says in the data table (see `html.table`).
    """
    if getattr(fig, "_empty_message", None) is not None:
        return NoChart(fig._empty_message)
    for trace in fig.data:
        # Value labels beside bars and words drawn as text may reach past the plot area: drawn whole
        # (the page script widens the margin if one would leave the chart).
        outside = trace.type == "bar" and trace.textposition == "outside"
        if outside or (trace.type == "scatter" and trace.mode and "text" in trace.mode):
            trace.cliponaxis = False
    shown = frame if rows is None else rows
    data = frame[download] if download else frame
    data = data.drop(columns=[c for c in data.columns if c.startswith("_")])
    fig.update_layout(template=TEMPLATE, height=height, title=esc(words.capital(title)))
    fig.layout.meta = {
        META_KEY: {
            "title": words.capital(title),
            "alt": alt,
            "source": source_line(frame, ds, as_of, source_columns),
            "about": about,
            "table": str(html.table(shown, table, limit=html.TABLE_ROWS, what="rows of this chart", chart=True, missing=missing)) if table else "",
            "csv": neutralize_csv(data),
            "csv_name": f"{name}.csv",
            "row_count": len(data),
        }
    }
    return fig


def _figure_html(fig_dict: dict) -> tuple[str, str, str]:
    """The static block of one chart, its id and its figure JSON (caption taken out of the layout)."""
    fig_dict = dict(fig_dict)
    layout = dict(fig_dict.get("layout") or {})
    raw_meta = layout.pop("meta", None)
    meta = raw_meta.get(META_KEY) if isinstance(raw_meta, dict) else None
    fig_dict["layout"] = layout
    fig_json = pio.to_json(fig_dict, validate=False, remove_uids=True)
    _brief["charts"] += 1
    plot_id = f"plot-{_brief['charts']}-{hashlib.sha256(fig_json.encode()).hexdigest()[:10]}"
    height = int(layout.get("height") or 440)
    # The JSON sits inside a <script>: "</" would let a browser end it early.
    block = render(
        "figure.html.j2",
        plot_class=PLOT_CLASS,
        plot_id=plot_id,
        height=height,
        figure_json=HTML(fig_json.replace("</", "<\\/")),
        caption=meta,
        table=HTML(meta["table"]) if meta else "",
        rows=words.count(meta["row_count"], "row") if meta else "",
        csv_b64=base64.b64encode(meta["csv"].encode("utf-8")).decode("ascii") if meta else "",
    )
    return str(block), plot_id, fig_json


class BriefFigure(go.Figure):
    """A Plotly figure that shows itself twice: interactive in JupyterLab (the Plotly mimetype) and as
    the self-contained HTML block, caption included, that nbconvert puts in the static brief.

    Displaying a figure needs no global renderer setting, so importing this module changes nothing.
    """

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        fig_dict = self.to_dict()
        block, plot_id, fig_json = _figure_html(fig_dict)
        data = {"text/html": block} if _brief["static"] else {PLOTLY_MIME: json.loads(fig_json), "text/html": block}
        geo = any(t.get("type") in ("scattergeo", "choropleth") for t in fig_dict.get("data", []))
        return data, {contract.CHART: {"id": plot_id, "geo": geo}}

    def _ipython_display_(self):
        # IPython prefers this hook to the mimebundle; plotly's own version goes through pio.show.
        from IPython.display import display

        data, metadata = self._repr_mimebundle_()
        display(data, raw=True, metadata=metadata)


class NoChart(HTML):
    """What a brief shows where a chart has nothing to draw: one sentence saying so, in place of
    empty axes, an empty data table and a download of no rows."""

    def __new__(cls, message: str):
        self = super().__new__(cls, HTML('<p class="brief-note brief-empty">{}</p>').format(message))
        self.message = message
        return self

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": str(self)}, {contract.NO_CHART: {"message": self.message}}


def empty(message: str) -> BriefFigure:
    """A chart with nothing to draw: `finish` turns it into a `NoChart` sentence, `message`."""
    fig = BriefFigure()
    fig._empty_message = message
    return fig


def warm_up() -> None:
    """Do once what the first brief in a kernel would do lazily: load the dataset (its parsed tables
    are cached) and draw a figure of every trace type the briefs use (plotly loads its validators
    on first use). The build runs this in each new kernel before any brief."""
    from analysis.dataset.tables import load_dataset
    from analysis.present.charts.basemap import add_ukraine_basemap

    load_dataset()
    fig = BriefFigure([go.Bar(x=[1], y=[1]), go.Scatter(x=[1], y=[1]), go.Heatmap(z=[[1]])])
    geo = BriefFigure(go.Scattergeo(lon=[30], lat=[50]))
    add_ukraine_basemap(geo)
    for f in (fig, geo):
        f.update_layout(template=TEMPLATE)
        _figure_html(f.to_dict())
    begin_brief()
