"""Charts: DataFrame in, `go.Figure` out. Never shows, never writes files.

Each figure carries its caption (source line, "about this data" note and the plotted rows as CSV)
in `layout.meta`; the "brief" renderer registered here turns that into one self-contained HTML
block for the static brief, and also hands JupyterLab the interactive Plotly figure.
Every data string that reaches a title, label, hover text or legend goes through `esc`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from functools import cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

from analysis import metrics, paths
from analysis.dataset.tables import Dataset
from analysis.theme import GREY, OUTCOME_COLOURS, PARTY_COLOURS, STANCE_COLOURS, STATUS_COLOURS, party_colour, party_name

META_KEY = "brief_caption"
PLOT_CLASS = "brief-plot"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_counter = {"n": 0}


def esc(value: object) -> str:
    """Data text made inert for Plotly text properties (which accept a small HTML subset)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    # Quotes need no escaping in Plotly text (no attributes can form once < and > are escaped),
    # and Plotly would show &quot; literally.
    return html.escape(str(value), quote=False)


def short(text: object, limit: int = 60) -> str:
    """Text cut at a word boundary to at most `limit` characters, with an ellipsis."""
    t = "" if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)) else str(text)
    if len(t) <= limit:
        return t
    return t[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def fmt_int(n: object) -> str:
    """12345 -> '12,345'; missing -> 'n/a'."""
    if n is None or n is pd.NA or (isinstance(n, float) and pd.isna(n)):
        return "n/a"
    return f"{int(n):,}"


def fmt_date(d: object) -> str:
    """A day as '23 Jul 2025'."""
    if d is None or d is pd.NaT or (not isinstance(d, str) and pd.isna(d)):
        return "n/a"
    return f"{pd.Timestamp(d):%-d %b %Y}"


# --- captions, CSV downloads and the renderer ------------------------------------------------


def neutralize_csv(frame: pd.DataFrame) -> str:
    """CSV text of `frame` in which no text cell can run as a spreadsheet formula."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
        elif out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return out.to_csv(index=False, lineterminator="\r\n")


def point_origins(located: pd.DataFrame) -> str:
    """'GeoNames (12) and Wikipedia articles (3)': where the drawn points come from, with counts."""
    counts = located["location_source"].value_counts()
    names = {"geonames": "GeoNames", "wikipedia": "the settlements' Wikipedia articles"}
    parts = [f"{names.get(k, k)} ({n})" for k, n in counts.items()]
    if not parts:
        return "none"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def source_line(frame: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, columns: tuple[str, ...] = ("source_ids",)) -> str:
    """'Sources: A, B and 3 more. Dataset v1.0.0, as of 22 Jul 2025.'"""
    outlets, more = metrics.source_outlets(frame, ds.tables["sources"], columns)
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


pio.renderers["brief"] = BriefRenderer()
pio.renderers.default = "brief"


# --- shared pieces --------------------------------------------------------------------------------


def _empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=esc(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font=dict(size=15, color=GREY))
    fig.update_layout(title=esc(title), xaxis=dict(visible=False), yaxis=dict(visible=False))
    return fig


@cache
def _oblast_geojson() -> dict:
    return json.loads((paths.ASSETS_DIR / "ua_oblasts.geojson").read_text(encoding="utf-8"))


def _ukraine_geo(fig: go.Figure, focus: str | None = None) -> None:
    """Oblast outlines under the points, on an offline basemap (see analysis/assets/ASSETS.md)."""
    gj = _oblast_geojson()
    names = [f["properties"]["name"] for f in gj["features"]]
    fig.add_trace(
        go.Choropleth(
            geojson=gj,
            featureidkey="properties.name",
            locations=names,
            z=[1 if (focus and n == focus) else 0 for n in names],
            colorscale=[[0, "#F4F4F4"], [1, "#E3E3E3"]],
            zmin=0,
            zmax=1,
            showscale=False,
            marker=dict(line=dict(color="#9A9A9A", width=0.6)),
            hoverinfo="text",
            text=[esc(n) for n in names],
            name="Oblasts",
            showlegend=False,
        )
    )
    fig.update_geos(
        scope="europe",
        resolution=50,
        projection_type="mercator",
        lonaxis_range=[21.5, 41.0],
        lataxis_range=[44.0, 52.6],
        showland=True,
        landcolor="#FBFBFB",
        showcountries=True,
        countrycolor="#BDBDBD",
        showocean=True,
        oceancolor="#EAF2F8",
        showlakes=False,
        showframe=False,
        showcoastlines=True,
        coastlinecolor="#BDBDBD",
    )


# --- round brief ----------------------------------------------------------------------------------


def plot_rounds_timeline(gaps: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, highlight: str | None = None) -> go.Figure:
    """Every round as a dot on a timeline, one row per format; the brief's round ringed.

    Args:
        gaps: Output of `metrics.round_gaps`.
        highlight: round_id drawn larger and ringed.
    """
    formats = ["direct", "trilateral", "us_ua", "us_ru", "leaders", "other"]
    labels = {
        "direct": "Russia–Ukraine",
        "trilateral": "Trilateral (with US)",
        "us_ua": "US–Ukraine",
        "us_ru": "US–Russia",
        "leaders": "Leaders' summits",
        "other": "Other",
    }
    fig = go.Figure()
    for f in formats:
        g = gaps[gaps["format"] == f]
        if g.empty:
            continue
        hover = [
            f"{esc(r.city) or 'online'} · {fmt_date(r.start_date)}<br>{esc(ordinal(r.number_in_series))} of series {esc(r.series)}"
            + (f"<br>{r.days_since_previous_in_series} days after the previous one" if not pd.isna(r.days_since_previous_in_series) else "")
            for r in g.itertuples()
        ]
        fig.add_trace(
            go.Scatter(
                x=g["start_date"],
                y=[labels[f]] * len(g),
                mode="markers",
                name=labels[f],
                marker=dict(
                    size=11,
                    color=PARTY_COLOURS.get({"direct": "UA", "us_ru": "RU", "us_ua": "US", "trilateral": "EU"}.get(f, ""), GREY),
                    line=dict(width=1, color="white"),
                ),
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
            )
        )
    title = f"{len(gaps)} rounds of talks since {fmt_date(gaps['start_date'].min())}" if len(gaps) else "No rounds yet"
    if highlight is not None and (gaps["round_id"] == highlight).any():
        r = gaps[gaps["round_id"] == highlight].iloc[0]
        fig.add_trace(
            go.Scatter(
                x=[r["start_date"]],
                y=[labels[r["format"]]],
                mode="markers",
                name="This round",
                marker=dict(size=22, color="rgba(0,0,0,0)", line=dict(width=2.5, color="#000")),
                hoverinfo="skip",
                showlegend=False,
            )
        )
        if not pd.isna(r["days_since_previous_in_series"]):
            title = f"This round came {int(r['days_since_previous_in_series'])} days after the previous one in its series"
    fig.update_layout(
        title=esc(title),
        yaxis=dict(categoryorder="array", categoryarray=[labels[f] for f in reversed(formats)], gridcolor="#EEE"),
        margin=dict(l=150),
    )
    return finish(
        fig,
        gaps,
        ds,
        as_of,
        name="rounds",
        columns=[
            "round_id",
            "start_date",
            "end_date",
            "format",
            "series",
            "number_in_series",
            "city",
            "days_since_previous_in_series",
            "days_since_previous_any",
            "source_ids",
        ],
        about="One dot per round of talks or summit. Series group the rounds of one sequence (e.g. the 2025 Istanbul rounds); "
        "gaps are counted from the first day of the previous round of the same series.",
        height=360,
    )


def plot_deadline_countdown(running: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, on: pd.Timestamp) -> go.Figure:
    """Each running deadline as a bar from issue to due date, with the day `on` marked."""
    if running.empty:
        return finish(
            _empty("No deadline was running on this day", "No ultimatum or deadline was running."),
            running,
            ds,
            as_of,
            name="deadlines",
            about="Deadlines issued by this day and neither due nor resolved by then.",
            height=220,
        )
    fig = go.Figure()
    labels = [f"{esc(r.issuer)} → {esc(r.target)}: {esc(short(r.demand, 55))}" for r in running.itertuples()]
    fig.add_trace(
        go.Bar(
            y=labels,
            x=(running["deadline_date"] - running["issued_date"]).dt.days * 86400000,
            base=running["issued_date"],
            orientation="h",
            marker_color="#CC79A7",
            opacity=0.35,
            name="Issued to due",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=(on - running["issued_date"]).dt.days * 86400000,
            base=running["issued_date"],
            orientation="h",
            marker_color="#CC79A7",
            name="Elapsed",
            hovertext=[f"{r.days_elapsed} of {r.days_total} days gone, {r.days_left} left" for r in running.itertuples()],
            hoverinfo="text",
        )
    )
    fig.add_vline(x=on, line=dict(color="#000", width=1.5, dash="dot"))
    first = running.iloc[0]
    title = f"{len(running)} deadline(s) running; the nearest falls due in {int(first['days_left'])} days ({fmt_date(first['deadline_date'])})"
    fig.update_layout(title=esc(title), barmode="overlay", xaxis=dict(type="date"), showlegend=False, margin=dict(l=20), yaxis=dict(automargin=True))
    return finish(
        fig,
        running,
        ds,
        as_of,
        name="deadlines-running",
        columns=[
            "deadline_id",
            "issuer",
            "target",
            "issued_date",
            "deadline_date",
            "days_elapsed",
            "days_total",
            "days_left",
            "demand",
            "threat",
            "source_ids",
        ],
        about="Deadlines issued by this day and neither due nor resolved by then. Days are counted from the issue date "
        "to the announced due date; the dotted line is the day of the brief.",
        height=140 + 60 * len(running),
    )


def plot_positions_gap(side: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, left: str = "UA", right: str = "RU") -> go.Figure:
    """Topic by topic: each side's coded stance, with topics ordered from furthest apart."""
    if side.empty:
        return finish(
            _empty("No positions stated yet", "No positions in the data for these parties."),
            side,
            ds,
            as_of,
            name="positions-gap",
            about="Latest stated position of each side per topic.",
            height=220,
        )
    topics = [t.replace("_", " ") for t in side["topic"]]
    fig = go.Figure()
    for i, s in enumerate((left, right)):
        types = side[f"{s}_type"].fillna("none stated")
        fig.add_trace(
            go.Scatter(
                x=[party_name(s)] * len(side),
                y=topics,
                mode="markers+text",
                name=party_name(s),
                marker=dict(size=18, symbol="square", color=[STANCE_COLOURS.get(t, "#DDDDDD") for t in types]),
                text=[esc(t) for t in types],
                textposition="middle right" if i == 0 else "middle left",
                hovertext=[esc(v) if not pd.isna(v) else "nothing stated" for v in side[f"{s}_stance"]],
                hoverinfo="text",
                showlegend=False,
            )
        )
    fig.add_trace(go.Scatter(x=["Gap"] * len(side), y=topics, mode="text", text=[esc(g) for g in side["gap"]], hoverinfo="skip", showlegend=False))
    counts = metrics.gap_counts(side)
    title = f"{counts['opposed']} of {len(side)} topics find the two sides opposed"
    fig.update_layout(
        title=esc(title),
        yaxis=dict(autorange="reversed", automargin=True, showgrid=False),
        xaxis=dict(side="top", showline=False, ticks=""),
        margin=dict(l=20, t=90),
    )
    return finish(
        fig,
        side,
        ds,
        as_of,
        name="positions-gap",
        columns=["topic", f"{left}_type", f"{left}_stance", f"{left}_date", f"{right}_type", f"{right}_stance", f"{right}_date", "gap", "source_ids"],
        about="Each side's latest stated position per topic by the brief's date, coded as demand, offer, accept, reject or condition. "
        "Opposed: one side rejects what the other wants, or both make demands; conditional: a condition is attached; "
        "one side only: the other has said nothing on it. Coding is the curators' reading of the sources.",
        height=140 + 34 * len(side),
    )


def plot_round_yield(by_round: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> go.Figure:
    """People and bodies returned under each earlier round's agreements, per side."""
    if by_round.empty:
        return finish(
            _empty("No earlier round of this series produced a recorded exchange", "No exchanges are tied to earlier rounds."),
            by_round,
            ds,
            as_of,
            name="round-yield",
            about="Exchanges tied to a round by the sources.",
            height=220,
        )
    labels = [f"{fmt_date(r.start_date)} {esc(r.city)}<br>{esc(r.kind)}" for r in by_round.itertuples()]
    fig = go.Figure(
        [
            go.Bar(x=labels, y=by_round["returned_to_ukraine"], name="Returned to Ukraine (Ukraine's figure)", marker_color=party_colour("UA")),
            go.Bar(x=labels, y=by_round["returned_to_russia"], name="Returned to Russia (Russia's figure)", marker_color=party_colour("RU")),
        ]
    )
    people = by_round[by_round["kind"] != "bodies"]["returned_to_ukraine"].sum()
    bodies = by_round[by_round["kind"] == "bodies"]["returned_to_ukraine"].sum()
    title = f"Earlier rounds brought {fmt_int(people)} people and {fmt_int(bodies)} bodies home to Ukraine"
    fig.update_layout(title=esc(title), barmode="group", yaxis_title="people / bodies")
    return finish(
        fig,
        by_round,
        ds,
        as_of,
        name="round-yield",
        about="Exchanges and repatriations the sources tie to a round's agreement, summed per round and kind. "
        "Each side's figure is its own report; an empty bar means that side gave no figure.",
    )


#: Above this many located claims a map draws grid cells (counts) instead of one point per claim,
#: so page size and drawing time stay bounded however many claims there are.
MAP_POINT_LIMIT = 400


def plot_claims_map(claims: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, title: str | None = None, focus: str | None = None) -> go.Figure:
    """Settlement claims as points on an offline map of Ukraine, coloured by status.

    With more than MAP_POINT_LIMIT located claims, claims are counted per grid cell, status and
    claimant (`metrics.claims_grid`) and each cell is one marker sized by its count.
    """
    fig = go.Figure()
    _ukraine_geo(fig, focus)
    c = metrics.settlement_claims(claims)
    located = c[c["latitude"].notna()]
    grid = len(located) > MAP_POINT_LIMIT
    plotted = metrics.claims_grid(located) if grid else located
    for status, colour in STATUS_COLOURS.items():
        for claimant, symbol in (("RU", "circle"), ("UA", "diamond")):
            g = plotted[(plotted["status"] == status) & (plotted["claimant"] == claimant)]
            if g.empty:
                continue
            if grid:
                hover = [
                    f"{r.claim_count} {esc(status)} claim(s) by {esc(r.claimant)} near {r.latitude:.2f}, {r.longitude:.2f}" for r in g.itertuples()
                ]
                marker = dict(
                    size=[min(30, 6 + 2 * n**0.5) for n in g["claim_count"]], color=colour, symbol=symbol, line=dict(width=0.8, color="white")
                )
            else:
                hover = [
                    f"{esc(r.place)}{' (' + esc(r.place_alias) + ')' if not pd.isna(r.place_alias) else ''}, {esc(r.oblast)}<br>"
                    f"{esc(r.claim_type)} per {esc(r.claimant)} on {fmt_date(r.claim_date)}<br>status: {esc(r.status)}"
                    f"{' (approximate location)' if r.location_precision == 'approximate' else ''}"
                    for r in g.itertuples()
                ]
                marker = dict(
                    size=9,
                    color=colour,
                    symbol=symbol,
                    line=dict(width=0.8, color="white"),
                    opacity=[0.55 if p == "approximate" else 1 for p in g["location_precision"]],
                )
            fig.add_trace(
                go.Scattergeo(
                    lat=g["latitude"],
                    lon=g["longitude"],
                    mode="markers",
                    name=f"{party_name(claimant)}: {status}",
                    marker=marker,
                    hovertext=hover,
                    hoverinfo="text",
                )
            )
    unlocated = len(c) - len(located)
    if title is None:
        title = (
            f"{len(c)} settlement claims, {int((c['status'] == 'confirmed').sum())} of them confirmed"
            if len(c)
            else "No settlement claims in this period"
        )
    fig.update_layout(title=esc(title), margin=dict(l=0, r=0, t=80, b=0), legend=dict(y=-0.02, yanchor="top"))
    note = f" {unlocated} claim(s) without a location are not drawn." if unlocated else ""
    if grid:
        deg = float(plotted["cell_degrees"].iloc[0]) if len(plotted) else metrics.GRID_DEGREES
        note += f" With {len(located)} located claims the map counts them per {deg:g}° grid cell; the download holds the cells."
        return finish(
            fig,
            plotted,
            ds,
            as_of,
            name="claims-map-cells",
            columns=["latitude", "longitude", "cell_degrees", "status", "claimant", "claim_count", "source_ids"],
            source_columns=("source_ids",),
            about="Each marker is a grid cell; its size grows with the number of claims in it, colour is the claims' status." + note,
            height=560,
        )
    return finish(
        fig,
        c,
        ds,
        as_of,
        name="claims-map",
        columns=[
            "claim_id",
            "claim_date",
            "claimant",
            "claimant_body",
            "claim_type",
            "place",
            "place_alias",
            "oblast",
            "latitude",
            "longitude",
            "geonames_id",
            "location_precision",
            "location_source",
            "location_source_ids",
            "status",
            "status_date",
            "source_ids",
            "status_source_ids",
        ],
        source_columns=("source_ids", "status_source_ids", "location_source_ids"),
        about="Each point is a claim by one side to have taken a settlement; circles are Russian claims, diamonds Ukrainian. "
        "Colour is the claim's status by the brief's date: claimed (the claimant's word only), confirmed (by the other side "
        "or an independent tracker), disputed, denied, retaken. Faded points are approximate locations (a nearby settlement). "
        f"Boundaries: Natural Earth; points: {point_origins(located)}." + note,
        height=560,
    )


# --- exchanges brief ------------------------------------------------------------------------------


def plot_exchanges_timeline(exchanges: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, kind: str = "prisoners") -> go.Figure:
    """Bars per exchange: people each side reported receiving (both sides' figures side by side)."""
    e = exchanges[exchanges["kind"] == kind]
    if e.empty:
        return finish(_empty(f"No {kind} exchanges in this period", "Nothing to show."), e, ds, as_of, name=f"{kind}-timeline", about="", height=220)
    noun = "bodies" if kind == "bodies" else "people"
    # On a date axis Plotly sizes bars by the smallest gap between dates: fix a readable width.
    span_days = max((e["exchange_date"].max() - e["exchange_date"].min()).days, 30)
    width = [max(1, span_days // 150) * 86_400_000] * len(e)
    fig = go.Figure(
        [
            go.Bar(
                x=e["exchange_date"],
                y=e["returned_to_ukraine"],
                width=width,
                offset=-width[0],
                name="To Ukraine (Ukraine's figure)",
                marker_color=party_colour("UA"),
                hovertext=[
                    f"{fmt_date(r.exchange_date)}: {fmt_int(r.returned_to_ukraine)} {noun}; mediator {esc(r.mediator) or 'not reported'}"
                    for r in e.itertuples()
                ],
                hoverinfo="text",
            ),
            go.Bar(
                x=e["exchange_date"],
                y=e["returned_to_russia"],
                width=width,
                offset=0,
                name="To Russia (Russia's figure)",
                marker_color=party_colour("RU"),
                hovertext=[f"{fmt_date(r.exchange_date)}: {fmt_int(r.returned_to_russia)} {noun}" for r in e.itertuples()],
                hoverinfo="text",
            ),
        ]
    )
    biggest = e.loc[e["returned_to_ukraine"].fillna(0).idxmax()]
    title = (
        f"{len(e)} {'repatriations of bodies' if kind == 'bodies' else kind + ' exchanges'}; the largest returned "
        f"{fmt_int(biggest['returned_to_ukraine'])} {noun} to Ukraine ({fmt_date(biggest['exchange_date'])})"
    )
    fig.update_layout(title=esc(title), barmode="group", yaxis_title=noun, bargap=0.1)
    return finish(
        fig,
        e,
        ds,
        as_of,
        name=f"{kind}-timeline",
        columns=[
            "exchange_id",
            "exchange_date",
            "date_precision",
            "kind",
            "returned_to_ukraine",
            "returned_to_russia",
            "mediator",
            "round_id",
            "notes",
            "source_ids",
        ],
        about="Each side's own figure for what it received. Where the other side or a mediator gave another number it is in the "
        "notes column of the download. Missing bars mean that side gave no figure.",
    )


def plot_cumulative_vs_official(cum: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> go.Figure:
    """Our running sum of people returned to Ukraine against Ukraine's official running total."""
    fig = go.Figure(
        [
            go.Scatter(
                x=cum["exchange_date"],
                y=cum["our_cumulative"],
                mode="lines",
                line_shape="hv",
                name="Sum of recorded exchanges",
                line=dict(color=party_colour("UA")),
            ),
            go.Scatter(
                x=cum["exchange_date"],
                y=cum["ua_running_total"],
                mode="markers",
                name="Ukraine's stated running total",
                marker=dict(color="#000", size=7, symbol="x"),
            ),
        ]
    )
    last = cum[cum["ua_running_total"].notna()].tail(1)
    if len(last):
        r = last.iloc[0]
        title = f"Ukraine's count on {fmt_date(r['exchange_date'])}: {fmt_int(r['ua_running_total'])} returned; our rows sum to {fmt_int(r['our_cumulative'])} (gap {fmt_int(r['gap'])})"
    else:
        title = f"Recorded exchanges returned {fmt_int(cum['our_cumulative'].max())} people to Ukraine"
    fig.update_layout(title=esc(title), yaxis_title="people returned to Ukraine")
    return finish(
        fig,
        cum,
        ds,
        as_of,
        name="cumulative-vs-official",
        about="The line adds up Ukraine's figure for every recorded prisoner exchange and civilian return. The crosses are the running "
        "totals Ukrainian officials stated after an exchange. The gap is people returned outside recorded exchanges "
        "(e.g. unpublicised returns) or exchanges missing from the data.",
    )


def plot_mediators(shares: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> go.Figure:
    """Exchanges per mediator."""
    fig = go.Figure(
        go.Bar(
            x=shares["event_count"],
            y=[esc(m) for m in shares["mediator"]],
            orientation="h",
            marker_color="#E69F00",
            text=[f"{p}%" for p in shares["share_pct"]],
            textposition="outside",
        )
    )
    top = shares.iloc[0] if len(shares) else None
    title = f"{esc(top['mediator'])} mediated {top['share_pct']}% of recorded exchanges" if top is not None else "No exchanges"
    fig.update_layout(title=title, yaxis=dict(autorange="reversed", automargin=True), xaxis_title="exchanges")
    return finish(
        fig,
        shares,
        ds,
        as_of,
        name="mediators",
        about="Exchanges and repatriations per mediator named by the sources; an exchange with two mediators counts for both.",
        height=160 + 30 * len(shares),
    )


def plot_exchange_intervals(intervals: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> go.Figure:
    """Days between consecutive prisoner exchanges."""
    i = intervals[intervals["days_since_previous"].notna()]
    fig = go.Figure(
        go.Scatter(
            x=i["exchange_date"],
            y=i["days_since_previous"],
            mode="markers+lines",
            line=dict(color=GREY, width=1),
            marker=dict(color=party_colour("UA"), size=7),
        )
    )
    med = i["days_since_previous"].median() if len(i) else None
    title = (
        f"A median of {int(med)} days passed between prisoner exchanges" if med is not None and not pd.isna(med) else "Intervals between exchanges"
    )
    fig.update_layout(title=esc(title), yaxis_title="days since previous exchange")
    return finish(
        fig,
        intervals,
        ds,
        as_of,
        name="exchange-intervals",
        about="Days from one recorded prisoner exchange to the next. Long gaps can also mean missing rows; see the reconciliation table.",
    )


# --- territory brief ------------------------------------------------------------------------------


def plot_claims_per_week(weekly: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> go.Figure:
    """Stacked bars of settlement claims per week, by oblast, one panel per claimant."""
    fig = go.Figure()
    oblasts = weekly.groupby("oblast")["claim_count"].sum().sort_values(ascending=False).index.tolist()
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
    for i, ob in enumerate(oblasts):
        g = weekly[weekly["oblast"] == ob]
        fig.add_trace(
            go.Bar(
                x=g["week"],
                y=g["claim_count"],
                name=esc(ob),
                marker_color=palette[i % len(palette)],
                hovertext=[
                    f"{esc(ob)}, week of {fmt_date(r.week)}: {r.claim_count} claim(s) by {esc(r.claimant)}<br>{esc(r.places)}" for r in g.itertuples()
                ],
                hoverinfo="text",
            )
        )
    total = int(weekly["claim_count"].sum())
    top = oblasts[0] if oblasts else None
    title = f"{total} settlement claims; most in {esc(top)} oblast" if top else "No settlement claims in this period"
    fig.update_layout(title=title, barmode="stack", yaxis_title="claims per week")
    return finish(
        fig,
        weekly,
        ds,
        as_of,
        name="claims-per-week",
        about="Named settlements claimed captured (by Russia) or liberated (by Ukraine) per week, by oblast. Ukraine more often reports "
        "areas and counts than named places, so its claims are under-represented here.",
    )


def plot_claim_status(rates: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, claims: pd.DataFrame) -> go.Figure:
    """Share of each side's claims that were later confirmed, disputed, denied or reversed."""
    fig = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        g = rates[rates["status"] == status]
        fig.add_trace(
            go.Bar(
                y=[party_name(c) for c in g["claimant"]],
                x=g["share_pct"],
                orientation="h",
                name=status,
                marker_color=colour,
                text=[f"{n}" for n in g["claim_count"]],
                textposition="inside",
            )
        )
    ru = rates[rates["claimant"] == "RU"]
    conf = ru[ru["status"] == "confirmed"]["share_pct"].sum()
    title = f"{conf}% of Russia's settlement claims are confirmed by Ukraine or a tracker" if len(ru) else "Claim outcomes"
    fig.update_layout(title=esc(title), barmode="stack", xaxis=dict(title="% of the side's claims", range=[0, 100]), yaxis=dict(automargin=True))
    return finish(
        fig,
        rates,
        ds,
        as_of,
        name="claim-status",
        source_columns=("source_ids",),
        about="Share of each side's settlement claims in each status by the brief's date. 'claimed' means no confirmation or denial "
        "was found in the sources read, not that the claim is false.",
        height=300,
    )


def plot_control(series: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> go.Figure:
    """Share of Ukraine held by Russia over time, one line per tracker."""
    fig = go.Figure()
    for tracker, g in series.groupby("tracker"):
        g = g[g["share_pct"].notna()]
        if g.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=g["as_of_date"],
                y=g["share_pct"],
                mode="lines+markers",
                name=esc(tracker),
                hovertext=[f"{esc(tracker)}, {fmt_date(r.as_of_date)}: {r.share_pct}%" for r in g.itertuples()],
                hoverinfo="text",
            )
        )
    s = series[series["share_pct"].notna()].sort_values("as_of_date")
    title = (
        f"Russia held {s.iloc[-1]['share_pct']}% of Ukraine on {fmt_date(s.iloc[-1]['as_of_date'])} per {esc(s.iloc[-1]['tracker'])}"
        if len(s)
        else "No control readings"
    )
    fig.update_layout(title=title, yaxis=dict(title="% of Ukraine held by Russia", rangemode="tozero"))
    return finish(
        fig,
        series,
        ds,
        as_of,
        name="control",
        about="Readings by named trackers as cited by the sources. Trackers count differently (e.g. with or without Crimea and the "
        "areas held before 2022), so compare a tracker with itself over time.",
    )


def plot_annexation_vs_held(table: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> go.Figure:
    """Regions Russia claims to have annexed against the share it is reported to hold."""
    fig = go.Figure(
        [
            go.Bar(
                y=[esc(o) for o in table["oblast"]], x=table["claimed_share_pct"], orientation="h", name="Claimed by Russia", marker_color="#DDDDDD"
            ),
            go.Bar(
                y=[esc(o) for o in table["oblast"]],
                x=table["held_share_pct"],
                orientation="h",
                name="Held (latest reading)",
                marker_color=party_colour("RU"),
                text=[f"{v}%" if not pd.isna(v) else "no reading" for v in table["held_share_pct"]],
                textposition="outside",
            ),
        ]
    )
    held = pd.to_numeric(table["held_share_pct"], errors="coerce")
    short = table[held.notna() & (held < 100)]
    title = f"Russia claims {len(table)} regions whole; it holds less than all of {len(short)} of them" if len(table) else "No annexation claims"
    fig.update_layout(title=esc(title), barmode="overlay", xaxis=dict(range=[0, 110], title="% of the region"), yaxis=dict(automargin=True))
    return finish(
        fig,
        table,
        ds,
        as_of,
        name="annexation-vs-held",
        about="Russia's annexation claims cover each region entire. The red bar is the latest share of the region it holds, "
        "as read by the named tracker on the reading date in the download.",
        height=320,
    )


# --- positions & deadlines brief ---------------------------------------------------------------


def plot_positions_timeline(
    positions: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, actors: tuple[str, ...] = ("UA", "RU", "US", "EU")
) -> go.Figure:
    """Every stated position as a mark: when, on which topic, by whom, of what type."""
    p = positions[positions["actor"].isin(actors)]
    fig = go.Figure()
    symbols = {"demand": "triangle-up", "offer": "circle", "accept": "star", "reject": "x", "condition": "diamond"}
    offsets = {a: (i - (len(actors) - 1) / 2) * 0.18 for i, a in enumerate(actors)}
    topics = sorted(p["topic"].unique())
    tindex = {t: i for i, t in enumerate(topics)}
    for actor in actors:
        g = p[p["actor"] == actor]
        if g.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=g["stated_date"],
                y=[tindex[t] + offsets[actor] for t in g["topic"]],
                mode="markers",
                name=party_name(actor),
                marker=dict(color=party_colour(actor), size=10, symbol=[symbols[s] for s in g["stance_type"]], line=dict(width=0.5, color="white")),
                hovertext=[f"{party_name(actor)}, {fmt_date(r.stated_date)} ({esc(r.stance_type)}): {esc(r.stance)}" for r in g.itertuples()],
                hoverinfo="text",
            )
        )
    moved = metrics.position_matrix(p)
    n_moved = int(moved["moved"].sum())
    title = f"{len(p)} positions on {len(topics)} topics; {n_moved} party–topic pairs changed stance type"
    fig.update_layout(
        title=esc(title),
        yaxis=dict(
            tickmode="array", tickvals=list(range(len(topics))), ticktext=[t.replace("_", " ") for t in topics], autorange="reversed", automargin=True
        ),
        height=160 + 34 * max(len(topics), 3),
    )
    return finish(
        fig,
        p,
        ds,
        as_of,
        name="positions-timeline",
        columns=["position_id", "stated_date", "actor", "topic", "stance_type", "stance", "document", "round_id", "source_ids"],
        about="One mark per position: shape is the stance type (triangle demand, circle offer, star accept, x reject, diamond condition). "
        "Stances are the curators' summaries of what each party said.",
        height=160 + 34 * max(len(topics), 3),
    )


def plot_position_matrix(matrix: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> go.Figure:
    """Topic × party grid of the latest stance type, marking pairs that moved."""
    actors = [a for a in ("UA", "RU", "US", "EU", "GB", "FR", "DE", "TR") if a in set(matrix["actor"])]
    topics = sorted(matrix["topic"].unique())
    kinds = list(STANCE_COLOURS)
    z, text, hover = [], [], []
    for t in topics:
        zr, tr, hr = [], [], []
        for a in actors:
            hit = matrix[(matrix["actor"] == a) & (matrix["topic"] == t)]
            if hit.empty:
                zr.append(None)
                tr.append("")
                hr.append("nothing stated")
            else:
                r = hit.iloc[0]
                zr.append(kinds.index(r["latest_type"]))
                tr.append(esc(r["latest_type"]) + (" ↺" if r["moved"] else ""))
                hr.append(
                    f"{party_name(a)} on {esc(t)}: {esc(r['latest_stance'])}<br>{r['position_count']} position(s), first {esc(r['first_type'])}"
                )
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    n = len(kinds)
    scale = []
    for i, k in enumerate(kinds):
        scale += [[i / n, STANCE_COLOURS[k]], [(i + 1) / n, STANCE_COLOURS[k]]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[party_name(a) for a in actors],
            y=[t.replace("_", " ") for t in topics],
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale=scale,
            zmin=-0.5,
            zmax=n - 0.5,
            showscale=False,
            xgap=2,
            ygap=2,
            textfont=dict(color="white"),
        )
    )
    moved = int(matrix["moved"].sum())
    fig.update_layout(
        title=esc(f"Latest stance per party and topic; ↺ marks the {moved} that changed"),
        yaxis=dict(autorange="reversed", automargin=True),
        xaxis=dict(side="top", showline=False),
    )
    return finish(
        fig,
        matrix,
        ds,
        as_of,
        name="position-matrix",
        about="The latest coded stance of each party on each topic (colour: demand red, condition orange, offer light blue, accept green, "
        "reject black). ↺: the stance type differs from the party's first recorded one on the topic.",
        height=160 + 34 * max(len(topics), 3),
    )


def plot_deadline_ledger(ledger: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> go.Figure:
    """Every deadline from issue to due date, coloured by what happened."""
    d = ledger[ledger["deadline_date"].notna()]
    fig = go.Figure()
    labels = [f"{fmt_date(r.issued_date)} {esc(r.issuer)}→{esc(r.target)}" for r in d.itertuples()]
    for outcome, colour in OUTCOME_COLOURS.items():
        mask = (d["outcome"] == outcome).to_numpy()
        if not mask.any():
            continue
        g = d[mask]
        fig.add_trace(
            go.Bar(
                y=[lab for lab, m in zip(labels, mask) if m],
                x=(g["deadline_date"] - g["issued_date"]).dt.days * 86400000,
                base=g["issued_date"],
                orientation="h",
                name=outcome,
                marker_color=colour,
                hovertext=[f"{esc(r.demand)}<br>due {fmt_date(r.deadline_date)}; {esc(r.outcome)}" for r in g.itertuples()],
                hoverinfo="text",
            )
        )
    missed = int(ledger["outcome"].isin(["missed", "extended", "superseded", "withdrawn"]).sum())
    title = f"{len(ledger)} deadlines; {missed} passed unmet, were extended or replaced"
    fig.update_layout(title=esc(title), barmode="overlay", xaxis=dict(type="date"), yaxis=dict(autorange="reversed", automargin=True))
    return finish(
        fig,
        ledger,
        ds,
        as_of,
        name="deadline-ledger",
        columns=[
            "deadline_id",
            "issued_date",
            "issuer",
            "target",
            "deadline_date",
            "days_total",
            "outcome",
            "outcome_date",
            "days_overdue",
            "superseded_by",
            "replaces_count",
            "demand",
            "threat",
            "source_ids",
        ],
        about="Each bar runs from the day a deadline was set to the day it fell due; colour is what happened. Pending deadlines past "
        "their date are counted as overdue in the download.",
        height=160 + 28 * max(len(d), 3),
    )


def plot_year_compare(years: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> go.Figure:
    """Exchanges and people returned this year to date, the same span last year, and all of last year."""
    p = years[years["kind"] == "prisoners"]
    b = years[years["kind"] == "bodies"]
    fig = go.Figure(
        [
            go.Bar(
                x=[esc(s) for s in p["span"]],
                y=p["returned_to_ukraine"],
                name="People returned to Ukraine",
                marker_color=party_colour("UA"),
                text=[f"{n} exchanges" for n in p["event_count"]],
                textposition="outside",
            ),
            go.Bar(x=[esc(s) for s in b["span"]], y=b["returned_to_ukraine"], name="Bodies returned to Ukraine", marker_color=GREY),
        ]
    )
    a, c = p.iloc[0], p.iloc[1]
    title = f"{fmt_int(a['returned_to_ukraine'])} people returned {a['span']}, against {fmt_int(c['returned_to_ukraine'])} {c['span']}"
    fig.update_layout(title=esc(title), barmode="group", yaxis_title="people / bodies")
    return finish(
        fig,
        years,
        ds,
        as_of,
        name="year-compare",
        about="Sums of Ukraine's own figures for each recorded exchange or repatriation in each span.",
        height=380,
    )


def ordinal(n: int) -> str:
    return metrics.ordinal(int(n))
