"""Charts of the round brief: the pace of talks, the deadlines running, how far apart the sides are
and what earlier rounds produced."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.dataset.tables import Dataset
from analysis.present import labels, links, words
from analysis.present.charts.base import BriefFigure, empty, finish
from analysis.present.format import esc, fmt_date, ordinal, short
from analysis.present.theme import MUTED_INK, PARTY_COLOURS, STANCE_COLOURS, STANCE_SYMBOLS, party_colour

FORMATS = ["direct", "trilateral", "us_ua", "us_ru", "leaders", "other"]
FORMAT_COLOURS = {"direct": PARTY_COLOURS["UA"], "trilateral": PARTY_COLOURS["EU"], "us_ua": PARTY_COLOURS["US"], "us_ru": PARTY_COLOURS["RU"]}
GAP_WORDS = {"opposed": "Opposed", "conditional": "Terms differ", "compatible": "Compatible", "one side only": "One side only"}


def plot_rounds_timeline(
    gaps: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, highlight: str | None = None, this: str = "This round"
) -> BriefFigure:
    """Every round as a dot on a timeline, one row per format; the brief's round ringed.

    Args:
        gaps: Output of `metrics.rounds.round_gaps`.
        highlight: round_id drawn larger and ringed.
    """
    fig = BriefFigure()
    per_format = []
    for f in FORMATS:
        g = gaps[gaps["format"] == f]
        if g.empty:
            continue
        per_format.append(words.count(len(g), "round") + " of " + labels.round_format(f))
        hover = [
            f"{esc(links.round_title(r))}<br>{ordinal(r['number_in_series'])} round of the {esc(labels.series(r['series']))}"
            + (f"<br>{r['days_since_previous_in_series']} days after the previous one" if not pd.isna(r["days_since_previous_in_series"]) else "")
            for _, r in g.iterrows()
        ]
        fig.add_trace(
            go.Scatter(
                x=g["start_date"],
                y=[words.capital(labels.round_format(f))] * len(g),
                mode="markers",
                name=words.capital(labels.round_format(f)),
                marker=dict(size=11, color=FORMAT_COLOURS.get(f, "#8C8C8C"), line=dict(width=1, color="white")),
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
            )
        )
    title = f"{words.count(len(gaps), 'round')} of talks since {words.day(gaps['start_date'].min())}" if len(gaps) else "No rounds yet"
    alt = f"Timeline of {words.count(len(gaps), 'round')} of talks" + (
        f" from {words.day(gaps['start_date'].min())} to {words.day(gaps['start_date'].max())}" if len(gaps) else ""
    )
    alt += ": " + words.join(per_format) + "." if per_format else "."
    if highlight is not None and (gaps["round_id"] == highlight).any():
        r = gaps[gaps["round_id"] == highlight].iloc[0]
        fig.add_trace(
            go.Scatter(
                x=[r["start_date"]],
                y=[words.capital(labels.round_format(r["format"]))],
                mode="markers",
                name="This round",
                marker=dict(size=22, color="rgba(0,0,0,0)", line=dict(width=2.5, color="#000")),
                hoverinfo="skip",
                showlegend=False,
            )
        )
        if not pd.isna(r["days_since_previous_in_series"]):
            title = (
                f"{this} came {words.count(r['days_since_previous_in_series'], 'day')} after the previous round of the {labels.series(r['series'])}"
            )
        else:
            title = f"{this} opened the {labels.series(r['series'])}"
        alt += f" The ringed dot is {this.lower()}, {words.day(r['start_date'])}."
    fig.update_layout(
        yaxis=dict(categoryorder="array", categoryarray=[words.capital(labels.round_format(f)) for f in reversed(FORMATS)], gridcolor="#EEE"),
        margin=dict(l=170),
    )
    shown = gaps.assign(
        title=gaps.apply(links.round_title, axis=1),
        talks=gaps["series"].map(labels.series),
        nth=gaps["number_in_series"].map(ordinal),
    )
    return finish(
        fig,
        shown,
        ds,
        as_of,
        name="rounds",
        title=title,
        alt=alt,
        table={"title": "Round", "talks": "Talks", "nth": "Round of these talks", "days_since_previous_in_series": "Days since the previous round"},
        missing={"days_since_previous_in_series": "First round"},
        download=[
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
        about="One dot per round of talks or summit, by who sat at the table; cancelled rounds are left out. Talks group the rounds of one "
        "negotiation (e.g. the 2025 Istanbul talks); gaps are counted from the first day of the previous round of the same talks.",
        height=380,
    )


def plot_deadline_countdown(running: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, on: pd.Timestamp) -> BriefFigure:
    """Each deadline running on `on` as a bar from its issue to its due date, the elapsed part dark."""
    table = {"who": "Set by and for", "issued_date": "Set on", "deadline_date": "Due", "days_left": "Days left", "days_total": "Days given"}
    if running.empty:
        return finish(
            empty(f"No ultimatum or deadline was running on {words.day(on)}."),
            running.assign(who=[]),
            ds,
            as_of,
            name="deadlines-running",
            title=f"No deadline was running on {words.day(on)}",
            alt=f"No ultimatum or deadline was running on {words.day(on)}.",
            table=table,
            about="Deadlines issued by this day and neither due nor resolved by then.",
            height=220,
        )
    who = [f"{labels.parties(r.issuer)} for {labels.parties(r.target)}" for r in running.itertuples()]
    # Who set it for whom, and when: the demand and the threat are in the table beside the chart.
    bar_labels = [f"{esc(w)}, set {fmt_date(r.issued_date)}" for w, r in zip(who, running.itertuples())]
    fig = BriefFigure()
    fig.add_trace(
        go.Bar(
            y=bar_labels,
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
            y=bar_labels,
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
    n = len(running)
    title = f"{words.count(n, 'deadline')} running; the nearest falls due in {words.count(first['days_left'], 'day')} ({words.day(first['deadline_date'])})"
    alt = (
        f"Bar chart of the {words.count(n, 'deadline')} running on {words.day(on)}, each from the day it was set to its due date: "
        + "; ".join(
            f"{w}, set {words.day(r.issued_date)}, due {words.day(r.deadline_date)}, {r.days_left} of {r.days_total} days left"
            for w, r in zip(who, running.itertuples())
        )
        + "."
    )
    fig.update_layout(barmode="overlay", xaxis=dict(type="date"), showlegend=False, margin=dict(l=20), yaxis=dict(automargin=True))
    return finish(
        fig,
        running.assign(who=who),
        ds,
        as_of,
        name="deadlines-running",
        title=title,
        alt=alt,
        table=table,
        download=[
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
        about="Deadlines issued by this day and neither due nor resolved by then. Days are counted from the day a deadline was set to "
        "the announced due date; the dotted line is the day of the round.",
        height=150 + 60 * n,
    )


def plot_positions_gap(side: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, left: str = "UA", right: str = "RU") -> BriefFigure:
    """Topic by topic: each side's coded stance (colour and shape), furthest apart first."""
    table = {"topic_words": "Topic", "left": labels.party(left), "right": labels.party(right), "gap_words": "How far apart"}
    if side.empty:
        return finish(
            empty("Neither side had stated a position."),
            side.assign(topic_words=[], left=[], right=[], gap_words=[]),
            ds,
            as_of,
            name="positions-gap",
            title="No positions stated yet",
            alt="Neither side had stated a position.",
            table=table,
            about="Each side's latest stated position per topic.",
            height=220,
        )
    topics = [words.capital(labels.topic(t)) for t in side["topic"]]
    fig = BriefFigure()
    for s in (left, right):
        types = side[f"{s}_type"]
        for kind in STANCE_COLOURS:
            mask = (types == kind).fillna(False).to_numpy()
            if not mask.any():
                continue
            fig.add_trace(
                go.Scatter(
                    x=[labels.party(s)] * int(mask.sum()),
                    y=[t for t, m in zip(topics, mask) if m],
                    mode="markers",
                    name=words.capital(labels.stance(kind)),
                    legendgroup=kind,
                    showlegend=s == left or not (side[f"{left}_type"] == kind).any(),
                    marker=dict(size=16, symbol=STANCE_SYMBOLS[kind], color=STANCE_COLOURS[kind], line=dict(width=1, color="white")),
                    hovertext=[f"{labels.party(s)}: {esc(short(v, 120))}" for v, m in zip(side[f"{s}_stance"], mask) if m],
                    hoverinfo="text",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=["How far apart"] * len(side), y=topics, mode="text", text=[GAP_WORDS[g] for g in side["gap"]], hoverinfo="skip", showlegend=False
        )
    )
    both = side[side["gap"] != "one side only"]
    opposed = int((both["gap"] == "opposed").sum())
    title = f"Opposed on {opposed} of the {words.count(len(both), 'topic')} both sides had spoken to"
    counts = side["gap"].value_counts()
    alt = (
        f"Grid of {words.count(len(side), 'topic')}, with {labels.party(left)}'s and {labels.party(right)}'s latest stance on each: "
        + words.join(f"{GAP_WORDS[g].lower()} on {counts[g]}" for g in GAP_WORDS if g in counts)
        + "."
    )
    fig.update_layout(
        yaxis=dict(autorange="reversed", automargin=True, showgrid=False),
        xaxis=dict(side="top", showline=False, ticks=""),
        legend=dict(orientation="h", y=-0.02, yanchor="top", x=0),
        margin=dict(l=20, r=60, t=90, b=60),
    )
    shown = side.assign(
        topic_words=topics,
        left=side[f"{left}_type"].map(lambda t: labels.stance(t) or "nothing stated"),
        right=side[f"{right}_type"].map(lambda t: labels.stance(t) or "nothing stated"),
        gap_words=side["gap"].map(GAP_WORDS),
    )
    return finish(
        fig,
        shown,
        ds,
        as_of,
        name="positions-gap",
        title=title,
        alt=alt,
        table=table,
        download=[
            "topic",
            f"{left}_type",
            f"{left}_stance",
            f"{left}_date",
            f"{right}_type",
            f"{right}_stance",
            f"{right}_date",
            "gap",
            "source_ids",
        ],
        about="Each side's latest position per topic stated before the round, coded by the codebook's coding guide: demands, offers, accepts, "
        "rejects or sets a condition (colour and shape). Opposed: either side rejects, or both demand. Terms differ: a condition, a demand "
        "met by an offer, or two different offers. Compatible: one side accepts what the other proposed. Coding is the curators' reading.",
        height=170 + 34 * len(side),
    )


def plot_round_yield(by_round: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """People and bodies returned under each earlier round's agreements, per side; a missing figure
    is drawn as a labelled gap, never as zero."""
    table = {"round": "Round", "what": "Kind", "ua": "To Ukraine (Ukraine's count)", "ru": "To Russia (Russia's count)"}
    if by_round.empty:
        return finish(
            empty("The sources tie no exchange to an earlier round of these talks."),
            by_round.assign(round=[], what=[], ua=[], ru=[]),
            ds,
            as_of,
            name="round-yield",
            title="No earlier round of these talks produced a recorded exchange",
            alt="The sources tie no exchange or repatriation to an earlier round of these talks.",
            table=table,
            about="Exchanges tied to a round by the sources.",
            height=220,
        )
    names = [
        f"{fmt_date(r.start_date)} {esc(r.city) if isinstance(r.city, str) else 'by video'}<br>{esc(labels.label('exchanges', 'kind', r.kind))}"
        for r in by_round.itertuples()
    ]
    fig = BriefFigure(
        [
            go.Bar(x=names, y=by_round["returned_to_ukraine"], name="To Ukraine (Ukraine's count)", marker_color=party_colour("UA")),
            go.Bar(x=names, y=by_round["returned_to_russia"], name="To Russia (Russia's count)", marker_color=party_colour("RU")),
        ]
    )
    for i, r in enumerate(by_round.itertuples()):
        for col, shift in (("returned_to_ukraine", -0.2), ("returned_to_russia", 0.2)):
            if pd.isna(getattr(r, col)):
                fig.add_annotation(
                    x=i + shift,
                    y=0,
                    xref="x",
                    yref="y",
                    text="no figure",
                    showarrow=False,
                    yanchor="bottom",
                    font=dict(size=11, color=MUTED_INK),
                    textangle=-90,
                )
    people_rows = by_round[by_round["kind"] != "bodies"]
    people = int(people_rows["returned_to_ukraine"].fillna(0).sum())
    bodies = int(by_round.loc[by_round["kind"] == "bodies", "returned_to_ukraine"].fillna(0).sum())
    missing = int(by_round["ua_figure_missing_count"].sum())
    lead = "at least " if missing else ""
    title = f"Earlier rounds brought {lead}{words.count(people, 'person', 'people')} and {words.count(bodies, 'body', 'bodies')} home to Ukraine"
    alt = (
        f"Bar chart per earlier round and kind: {lead}{words.count(people, 'person', 'people')} and {words.count(bodies, 'body', 'bodies')} returned to Ukraine by Ukraine's count"
        + (f"; {words.count(missing, 'exchange')} without a published figure, drawn as gaps labelled 'no figure'." if missing else ".")
    )
    fig.update_layout(barmode="group", yaxis_title="people or bodies returned", legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0))
    titles = {r["round_id"]: links.round_title(r) for _, r in ds.tables["rounds"].iterrows()}
    shown = by_round.assign(
        round=by_round["round_id"].map(titles),
        what=by_round["kind"].map(lambda k: words.capital(labels.label("exchanges", "kind", k))),
        ua=by_round["returned_to_ukraine"].map(lambda n: "no figure" if pd.isna(n) else f"{int(n):,}"),
        ru=by_round["returned_to_russia"].map(lambda n: "no figure" if pd.isna(n) else f"{int(n):,}"),
    )
    return finish(
        fig,
        shown,
        ds,
        as_of,
        name="round-yield",
        title=title,
        alt=alt,
        table=table,
        download=[
            "round_id",
            "kind",
            "event_count",
            "returned_to_ukraine",
            "returned_to_russia",
            "ua_figure_missing_count",
            "first_date",
            "last_date",
            "source_ids",
        ],
        about="Exchanges and repatriations the sources tie to a round's agreement, summed per round and kind. Each side's figure is its own "
        "report; where a side published no figure the bar is missing and labelled, and sums are lower bounds.",
    )
