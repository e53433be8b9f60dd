"""Charts of the round brief: the pace of talks, the deadlines running, the gap between positions and
what earlier rounds produced."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis import metrics
from analysis.dataset.tables import Dataset
from analysis.present.charts.base import BriefFigure, _empty, finish
from analysis.present.format import esc, fmt_date, fmt_int, ordinal, short
from analysis.present.theme import GREY, PARTY_COLOURS, STANCE_COLOURS, party_colour, party_name


def plot_rounds_timeline(gaps: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, highlight: str | None = None) -> BriefFigure:
    """Every round as a dot on a timeline, one row per format; the brief's round ringed.

    Args:
        gaps: Output of `metrics.rounds.round_gaps`.
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
    fig = BriefFigure()
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


def plot_deadline_countdown(running: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, on: pd.Timestamp) -> BriefFigure:
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
    fig = BriefFigure()
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


def plot_positions_gap(side: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, left: str = "UA", right: str = "RU") -> BriefFigure:
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
    fig = BriefFigure()
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
    counts = metrics.positions.gap_counts(side)
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


def plot_round_yield(by_round: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
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
    fig = BriefFigure(
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
