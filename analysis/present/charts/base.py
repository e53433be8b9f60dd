"""The skeleton every chart shares: the house template, the caption (source line, "about this data",
the plotted rows as CSV), the HTML block a static brief embeds, and the empty state.

Every data string that reaches a title, label, hover text or legend goes through `esc`."""

from __future__ import annotations

import base64
import hashlib
import html
import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

from analysis import metrics
from analysis.dataset.tables import Dataset
from analysis.present.format import esc, fmt_date
from analysis.present.theme import GREY

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
    fig: go.Figure,
    frame: pd.DataFrame,
    ds: Dataset,
    as_of: pd.Timestamp,
    *,
    about: str,
    name: str,
    columns: list[str] | None = None,
    source_columns: tuple[str, ...] = ("source_ids",),
    height: int = 440,
) -> go.Figure:
    """Apply the house template and attach the caption: source line, note and plotted rows."""
    rows = frame[columns] if columns else frame
    rows = rows.drop(columns=[c for c in rows.columns if c.startswith("_")])
    fig.update_layout(template="brief", height=height)
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
    parts = [
        '<figure class="brief-chart">',
        f'<div class="{PLOT_CLASS}" id="{plot_id}" style="height:{height}px"></div>',
        f'<script type="application/json" class="brief-figure" data-plot="{plot_id}">{fig_json}</script>',
    ]
    if meta:
        csv_b64 = base64.b64encode(meta["csv"].encode("utf-8")).decode("ascii")
        parts += [
            "<figcaption>",
            f'<p class="brief-source">{html.escape(meta["source"])}</p>',
            f'<details class="brief-about"><summary>About this data</summary><p>{html.escape(meta["about"])}</p></details>',
            f'<p class="brief-download"><a download="{html.escape(meta["csv_name"])}" '
            f'href="data:text/csv;charset=utf-8;base64,{csv_b64}">Download the data '
            f"({meta['row_count']} rows, CSV)</a></p>",
            "</figcaption>",
        ]
    parts.append("</figure>")
    return "\n".join(parts), json.loads(fig_json)


class BriefRenderer(MimetypeRenderer):
    """Interactive figure for JupyterLab plus a static HTML block for nbconvert."""

    def to_mimebundle(self, fig_dict):
        block, clean = _figure_html(fig_dict)
        return {"application/vnd.plotly.v1+json": clean, "text/html": block}


def _empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=esc(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font=dict(size=15, color=GREY))
    fig.update_layout(title=esc(title), xaxis=dict(visible=False), yaxis=dict(visible=False))
    return fig


pio.renderers["brief"] = BriefRenderer()
pio.renderers.default = "brief"
