"""Charts of territorial control: the trackers' readings of the share of Ukraine held, and the
oblasts Russia claims to have annexed against what it holds."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.dataset.tables import Dataset
from analysis.present import words
from analysis.present.charts.base import BriefFigure, empty, finish
from analysis.present.format import esc, fmt_date
from analysis.present.theme import MUTED_INK, OKABE_ITO, party_colour

#: A control line joins two readings of one tracker only when they are at most this many days apart.
LINE_GAP_DAYS = 120


def _with_breaks(g: pd.DataFrame) -> pd.DataFrame:
    """The readings with an empty row between two that are more than LINE_GAP_DAYS apart, so the line
    breaks there instead of suggesting a steady change across years without a reading."""
    rows = []
    prev = None
    for _, r in g.iterrows():
        if prev is not None and (r["as_of_date"] - prev).days > LINE_GAP_DAYS:
            rows.append({"as_of_date": prev + (r["as_of_date"] - prev) / 2, "share_pct": None})
        rows.append({"as_of_date": r["as_of_date"], "share_pct": float(r["share_pct"])})
        prev = r["as_of_date"]
    return pd.DataFrame(rows)


def plot_control(series: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Share of Ukraine held by Russia over time, one line per tracker (broken across long gaps)."""
    table = {"as_of_date": "Date", "tracker": "Tracker", "share_pct": "Share held by Russia (%)"}
    if series.empty:
        return finish(
            empty("No reading of the share held."),
            series,
            ds,
            as_of,
            name="control",
            title="No control readings",
            alt="No control readings.",
            table=table,
            about="Readings by named trackers.",
            height=260,
        )
    fig = BriefFigure()
    for i, (tracker, g) in enumerate(series.groupby("tracker")):
        line = _with_breaks(g)
        fig.add_trace(
            go.Scatter(
                x=line["as_of_date"],
                y=line["share_pct"],
                mode="lines+markers",
                connectgaps=False,
                name=esc(tracker),
                marker=dict(color=OKABE_ITO[i % len(OKABE_ITO)]),
                line=dict(color=OKABE_ITO[i % len(OKABE_ITO)]),
                hovertemplate=f"{esc(tracker)}, %{{x|%-d %b %Y}}: %{{y}}%<extra></extra>",
            )
        )
    last = series.sort_values(["as_of_date", "tracker"]).iloc[-1]
    title = f"Russia held {last['share_pct']:g}% of Ukraine on {words.day(last['as_of_date'])}, by {last['tracker']}'s reading"
    alt = f"Line chart of {words.count(len(series), 'reading')} of the share of Ukraine held by Russia, by {words.count(series['tracker'].nunique(), 'tracker')}; the newest: {last['share_pct']:g}% on {words.day(last['as_of_date'])} ({last['tracker']})."
    fig.update_layout(
        yaxis=dict(title="% of Ukraine held by Russia", rangemode="tozero"), legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0)
    )
    return finish(
        fig,
        series,
        ds,
        as_of,
        name="control",
        title=title,
        alt=alt,
        table=table,
        about=f"Readings by named trackers as cited by the sources; a line breaks where a tracker's readings are more than {LINE_GAP_DAYS} days apart. "
        "Trackers count differently (with or without Crimea and the areas held before 2022), so compare a tracker with itself over time.",
    )


def plot_annexation_vs_held(table: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Regions Russia claims to have annexed, each claimed whole, against the latest share it holds;
    a region without a reading says so instead of drawing an empty bar."""
    cols = {"oblast": "Region", "claim_date": "Claimed annexed", "held": "Held by Russia (latest reading)", "reading": "Reading"}
    held = pd.to_numeric(table["held_share_pct"], errors="coerce")
    shown = table.assign(
        held=held.map(lambda v: "no reading" if pd.isna(v) else f"{v:g}%"),
        reading=table.apply(lambda r: "" if pd.isna(r["reading_date"]) else f"{r['tracker']}, {fmt_date(r['reading_date'])}", axis=1),
    )
    if table.empty:
        return finish(
            empty("No annexation claims."),
            shown,
            ds,
            as_of,
            name="annexation-vs-held",
            title="No annexation claims",
            alt="No annexation claims.",
            table=cols,
            about="Russia's annexation claims.",
            height=240,
        )
    names = [esc(o) for o in table["oblast"]]
    fig = BriefFigure(
        [
            go.Bar(
                y=names,
                x=table["claimed_share_pct"],
                orientation="h",
                name="Claimed by Russia (whole region)",
                marker_color="#DDDDDD",
                hoverinfo="skip",
            ),
            go.Bar(
                y=names,
                x=held,
                orientation="h",
                name="Held by Russia (latest reading)",
                marker_color=party_colour("RU"),
                text=[f"{v:g}%" if not pd.isna(v) else "" for v in held],
                textposition="outside",
                hovertext=[f"{esc(o)}: {'no reading' if pd.isna(v) else f'{v:g}%'}" for o, v in zip(table["oblast"], held)],
                hoverinfo="text",
            ),
        ]
    )
    for name, v in zip(names, held):
        if pd.isna(v):
            fig.add_annotation(
                y=name,
                x=2,
                xref="x",
                yref="y",
                text="no reading of the share held",
                showarrow=False,
                xanchor="left",
                font=dict(size=12, color=MUTED_INK),
            )
    read = table[held.notna()]
    below = table[held.notna() & (held < 100)]
    whole = len(read) - len(below)
    held_words = "none of them in full" if whole == 0 else ("all of them in full" if whole == len(read) else f"{whole} of them in full")
    title = (
        f"Russia claims {words.count(len(table), 'region')} as annexed; of the {words.count(len(read), 'region')} with a reading, it holds {held_words}"
        if len(table)
        else "No annexation claims"
    )
    alt = (
        "Bar chart of Russia's annexation claims against the share it holds: "
        + words.join(f"{o} {'no reading' if pd.isna(v) else f'{v:g}%'}" for o, v in zip(table["oblast"], held))
        + "."
    )
    fig.update_layout(
        barmode="overlay",
        xaxis=dict(range=[0, 112], title="% of the region"),
        yaxis=dict(automargin=True),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
    )
    return finish(
        fig,
        shown,
        ds,
        as_of,
        name="annexation-vs-held",
        title=title,
        alt=alt,
        table=cols,
        download=["oblast", "claim_date", "claimed_share_pct", "held_share_pct", "tracker", "reading_date", "source_ids"],
        about="Russia's annexation claims cover each region whole (grey). The red bar is the latest share of the region it holds, as read by "
        "the named tracker on the reading's date; a region without any reading is labelled so, not drawn as 0%.",
        height=340,
    )
