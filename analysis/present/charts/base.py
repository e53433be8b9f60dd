"""The skeleton every chart shares: the house template, the caption (source line, "about this data",
the plotted rows as CSV), the HTML block a static brief embeds, and the empty state.

Every data string that reaches a title, label, hover text or legend goes through `esc`."""

from __future__ import annotations

import base64
import hashlib
import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analysis import metrics
from analysis.dataset.tables import Dataset
from analysis.present.format import esc, fmt_date
from analysis.present.html import HTML, render
from analysis.present.theme import GREY, TEMPLATE

PLOTLY_MIME = "application/vnd.plotly.v1+json"
META_KEY = "brief_caption"


PLOT_CLASS = "brief-plot"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_counter = {"n": 0}


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
    """'Sources: A, B and 3 more. Dataset v1.0.0, as of 22 Jul 2025.'"""
    outlets, more = metrics.coverage.source_outlets(frame, ds.tables["sources"], columns)
    named = ", ".join(outlets) if outlets else "none"
    more_txt = f" and {more} more" if more else ""
    return f"Sources: {named}{more_txt}. Dataset v{ds.info.version}, as of {fmt_date(as_of)}."


def finish(
    fig: BriefFigure,
    frame: pd.DataFrame,
    ds: Dataset,
    as_of: pd.Timestamp,
    *,
    about: str,
    name: str,
    columns: list[str] | None = None,
    source_columns: tuple[str, ...] = ("source_ids",),
    height: int = 440,
) -> BriefFigure:
    """Apply the house template and attach the caption: source line, note and plotted rows."""
    rows = frame[columns] if columns else frame
    rows = rows.drop(columns=[c for c in rows.columns if c.startswith("_")])
    fig.update_layout(template=TEMPLATE, height=height)
    fig.layout.meta = {
        META_KEY: {
            "source": source_line(frame, ds, as_of, source_columns),
            "about": about,
            "csv": neutralize_csv(rows),
            "csv_name": f"{name}.csv",
            "row_count": len(rows),
        }
    }
    return fig


def _figure_html(fig_dict: dict) -> tuple[str, dict]:
    fig_dict = dict(fig_dict)
    layout = dict(fig_dict.get("layout") or {})
    raw_meta = layout.pop("meta", None)
    meta = raw_meta.get(META_KEY) if isinstance(raw_meta, dict) else None
    fig_dict["layout"] = layout
    fig_json = pio.to_json(fig_dict, validate=False, remove_uids=True)
    _counter["n"] += 1
    plot_id = f"plot-{_counter['n']}-{hashlib.sha256(fig_json.encode()).hexdigest()[:10]}"
    height = int(layout.get("height") or 440)
    # The JSON sits inside a <script>: "</" would let a browser end it early.
    block = render(
        "figure.html.j2",
        plot_class=PLOT_CLASS,
        plot_id=plot_id,
        height=height,
        figure_json=HTML(fig_json.replace("</", "<\\/")),
        caption=meta,
        csv_b64=base64.b64encode(meta["csv"].encode("utf-8")).decode("ascii") if meta else "",
    )
    return str(block), json.loads(fig_json)


class BriefFigure(go.Figure):
    """A Plotly figure that shows itself twice: interactive in JupyterLab (the Plotly mimetype) and as
    the self-contained HTML block, caption included, that nbconvert puts in the static brief.

    Displaying a figure needs no global renderer setting, so importing this module changes nothing.
    """

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        block, clean = _figure_html(self.to_dict())
        return {PLOTLY_MIME: clean, "text/html": block}

    def _ipython_display_(self):
        # IPython prefers this hook to the mimebundle; plotly's own version goes through pio.show.
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)


def _empty(title: str, message: str) -> BriefFigure:
    fig = BriefFigure()
    fig.add_annotation(text=esc(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font=dict(size=15, color=GREY))
    fig.update_layout(title=esc(title), xaxis=dict(visible=False), yaxis=dict(visible=False))
    return fig
