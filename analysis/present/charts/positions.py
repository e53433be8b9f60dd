"""Charts of stated positions and the deadline ledger."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis import metrics
from analysis.dataset.tables import Dataset
from analysis.metrics.ids import join_ids
from analysis.present import labels, words
from analysis.present.charts.base import BriefFigure, empty, finish
from analysis.present.format import esc, fmt_date, short
from analysis.present.theme import GREY, INK, OUTCOME_COLOURS, STANCE_COLOURS, STANCE_SYMBOLS, party_colour, text_on

#: Parties drawn in their own colour; every other party's marks are grey ("other parties").
MAIN_ACTORS = ("UA", "RU", "US", "EU")
#: Above this many positions the timeline counts them per month, topic and party instead of one mark
#: each, so the page stays within its size budget however many positions there are.
TIMELINE_LIMIT = 600


def plot_positions_timeline(positions: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Every stated position as a mark: when (x), on which topic (row), by whom (colour), of what
    type (shape, with its own legend)."""
    p = positions.sort_values(["stated_date", "position_id"])
    table = {"stated_date": "Date", "who": "Party", "on": "Topic", "kind": "Stance"}
    shown = p.assign(
        who=p["actor"].map(labels.party), on=p["topic"].map(lambda t: words.capital(labels.topic(t))), kind=p["stance_type"].map(labels.stance)
    )
    if p.empty:
        return finish(
            empty("No positions in this period."),
            shown,
            ds,
            as_of,
            name="positions-timeline",
            title="No positions in this period",
            alt="No positions in this period.",
            table=table,
            about="",
            height=240,
        )
    topics = sorted(p["topic"].unique(), key=lambda t: labels.topic(t))
    tindex = {t: i for i, t in enumerate(topics)}
    groups = [*(a for a in MAIN_ACTORS if (p["actor"] == a).any()), *(["other"] if (~p["actor"].isin(MAIN_ACTORS)).any() else [])]
    offsets = {a: (i - (len(groups) - 1) / 2) * 0.16 for i, a in enumerate(groups)}
    aggregated = len(p) > TIMELINE_LIMIT
    fig = BriefFigure()
    for group in groups:
        g = p[p["actor"] == group] if group != "other" else p[~p["actor"].isin(MAIN_ACTORS)]
        name = labels.party(group) if group != "other" else "Other parties"
        colour = party_colour(group) if group != "other" else GREY
        if aggregated:
            g = g.assign(month=g["stated_date"].dt.to_period("M").dt.start_time).groupby(["month", "topic", "stance_type"], as_index=False).size()
            x, size, hover = (
                g["month"],
                [min(24, 6 + 2 * n**0.5) for n in g["size"]],
                [f"{name}, {m:%b %Y}: {words.count(n, 'position')} on {labels.topic(t)}" for m, t, n in zip(g["month"], g["topic"], g["size"])],
            )
        else:
            x, size = g["stated_date"], 10
            hover = [
                f"{esc(labels.party(r.actor))}, {fmt_date(r.stated_date)}: {labels.stance(r.stance_type)} — {esc(short(r.stance, 140))}"
                for r in g.itertuples()
            ]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[tindex[t] + offsets[group] for t in g["topic"]],
                mode="markers",
                name=name,
                legendgroup="party",
                legendgrouptitle_text="Party (colour)" if group == groups[0] else None,
                marker=dict(color=colour, size=size, symbol=[STANCE_SYMBOLS[s] for s in g["stance_type"]], line=dict(width=0.6, color="white")),
                hovertext=hover,
                hoverinfo="text",
            )
        )
    for i, (kind, symbol) in enumerate(STANCE_SYMBOLS.items()):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=words.capital(labels.stance(kind)),
                legendgroup="stance",
                legendgrouptitle_text="Stance (shape)" if i == 0 else None,
                marker=dict(symbol=symbol, size=10, color=INK),
                hoverinfo="skip",
            )
        )
    moved = metrics.positions.position_matrix(p)
    n_moved = int(moved["moved"].sum())
    title = f"{words.count(len(p), 'position')} by {words.count(p['actor'].nunique(), 'party', 'parties')} on {words.count(len(topics), 'topic')}; {n_moved} party–topic pairs changed stance"
    alt = (
        f"Timeline of {words.count(len(p), 'stated position')} from {words.day(p['stated_date'].min())} to {words.day(p['stated_date'].max())}, one row per topic: "
        + words.join(f"{labels.party(a)} {n}" for a, n in p["actor"].value_counts().head(5).items())
        + "."
    )
    fig.update_layout(
        yaxis=dict(
            tickmode="array",
            tickvals=list(range(len(topics))),
            ticktext=[words.capital(labels.topic(t)) for t in topics],
            autorange="reversed",
            automargin=True,
        ),
        legend=dict(orientation="h", y=-0.08, yanchor="top", x=0),
        margin=dict(b=120),
    )
    if aggregated:
        # The plotted rows are the marks: one per month, party, topic and stance, with their count.
        marks = (
            p.assign(month=p["stated_date"].dt.to_period("M").dt.start_time)
            .groupby(["month", "actor", "topic", "stance_type"], as_index=False)
            .agg(position_count=("position_id", "size"), source_ids=("source_ids", join_ids))
        )
        marks = marks.assign(
            when=marks["month"].map(lambda m: f"{m:%b %Y}"),
            who=marks["actor"].map(labels.party),
            on=marks["topic"].map(lambda t: words.capital(labels.topic(t))),
            kind=marks["stance_type"].map(labels.stance),
        )
        return finish(
            fig,
            marks,
            ds,
            as_of,
            name="positions-timeline-months",
            title=title,
            alt=alt + " Marks count positions per month, topic, party and stance.",
            table={"when": "Month", "who": "Party", "on": "Topic", "kind": "Stance", "position_count": "Positions"},
            download=["month", "actor", "topic", "stance_type", "position_count", "source_ids"],
            about=f"With more than {TIMELINE_LIMIT} positions each mark counts the positions of one month, party, topic and stance (larger "
            "marks, more positions): colour is the party, shape the stance (legend). The download holds one row per mark; every position, "
            "with its wording, is in the dataset's positions table.",
            height=230 + 34 * max(len(topics), 3),
        )
    return finish(
        fig,
        shown,
        ds,
        as_of,
        name="positions-timeline",
        title=title,
        alt=alt,
        table=table,
        download=["position_id", "stated_date", "actor", "topic", "stance_type", "stance", "statement", "document", "round_id", "source_ids"]
        if "statement" in p
        else None,
        about="One mark per position: colour is the party, shape the stance (legend). Stances are the curators' summaries of what each party "
        "said, coded by the codebook's coding guide.",
        height=230 + 34 * max(len(topics), 3),
    )


def plot_position_matrix(matrix: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Topic × party grid of the latest stance, marking the pairs whose stance changed."""
    table = {
        "who": "Party",
        "on": "Topic",
        "latest": "Latest stance",
        "latest_date": "Stated",
        "first": "First stance",
        "position_count": "Positions",
    }
    shown = matrix.assign(
        who=matrix["actor"].map(labels.party),
        on=matrix["topic"].map(lambda t: words.capital(labels.topic(t))),
        latest=matrix["latest_type"].map(labels.stance),
        first=matrix["first_type"].map(labels.stance),
    )
    if matrix.empty:
        return finish(
            empty("No positions in this period."),
            shown,
            ds,
            as_of,
            name="position-matrix",
            title="No positions",
            alt="No positions in this period.",
            table=table,
            about="",
            height=240,
        )
    actors = [a for a in ("UA", "RU", "US", "EU", "GB", "FR", "DE", "TR") if a in set(matrix["actor"])]
    topics = sorted(matrix["topic"].unique(), key=lambda t: labels.topic(t))
    kinds = list(STANCE_COLOURS)
    z, text, hover = [], [], []
    for t in topics:
        zr, tr, hr = [], [], []
        for a in actors:
            hit = matrix[(matrix["actor"] == a) & (matrix["topic"] == t)]
            if hit.empty:
                zr.append(None)
                tr.append("")
                hr.append(f"{labels.party(a)}: nothing stated on {labels.topic(t)}")
            else:
                r = hit.iloc[0]
                zr.append(kinds.index(r["latest_type"]))
                tr.append(labels.stance(r["latest_type"]) + (" ↺" if r["moved"] else ""))
                hr.append(
                    f"{labels.party(a)} on {labels.topic(t)}: {esc(short(r['latest_stance'], 140))}<br>{words.count(r['position_count'], 'position')}; first {labels.stance(r['first_type'])}"
                )
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    n = len(kinds)
    scale = []
    for i, k in enumerate(kinds):
        scale += [[i / n, STANCE_COLOURS[k]], [(i + 1) / n, STANCE_COLOURS[k]]]
    fig = BriefFigure(
        go.Heatmap(
            z=z,
            x=[labels.party(a) for a in actors],
            y=[words.capital(labels.topic(t)) for t in topics],
            hovertext=hover,
            hoverinfo="text",
            colorscale=scale,
            zmin=-0.5,
            zmax=n - 0.5,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    # Cell labels as annotations, each in the ink that reads on its colour (white on light colours fails contrast).
    for yi, t in enumerate(topics):
        for xi, a in enumerate(actors):
            if text[yi][xi]:
                fill = STANCE_COLOURS[kinds[z[yi][xi]]]
                fig.add_annotation(
                    x=labels.party(a), y=words.capital(labels.topic(t)), text=text[yi][xi], showarrow=False, font=dict(size=11, color=text_on(fill))
                )
    moved = int(matrix["moved"].sum())
    title = f"The latest stance of each party on each topic; ↺ marks the {moved} that changed since the party's first"
    alt = (
        f"Grid of {words.count(len(topics), 'topic')} by {words.count(len(actors), 'party', 'parties')} showing each party's latest stance; {moved} pairs changed stance. "
        + words.join(f"{labels.stance(k)} {int((matrix['latest_type'] == k).sum()):,}" for k in kinds)
        + "."
    )
    fig.update_layout(yaxis=dict(autorange="reversed", automargin=True), xaxis=dict(side="top", showline=False, tickangle=0))
    return finish(
        fig,
        shown,
        ds,
        as_of,
        name="position-matrix",
        title=title,
        alt=alt,
        table=table,
        download=[
            "actor",
            "topic",
            "position_count",
            "first_date",
            "latest_date",
            "first_type",
            "latest_type",
            "latest_stance",
            "moved",
            "source_ids",
        ],
        about="The latest coded stance of each party on each topic (colour: demands red, sets a condition purple, offers light blue, accepts green, "
        "rejects black). ↺: the stance differs from the party's first recorded one on the topic.",
        height=190 + 34 * max(len(topics), 3),
    )


def plot_deadline_ledger(ledger: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Every deadline from the day it was set to its due date, coloured by what happened; a deadline
    without a due date is a point on the day it was set."""
    table = {"issued_date": "Set on", "who": "Set by and for", "deadline_date": "Due", "state": "Outcome", "demand": "Demand"}
    shown = ledger.assign(
        who=ledger.apply(lambda r: f"{labels.parties(r['issuer'])} for {labels.parties(r['target'])}", axis=1),
        state=ledger["outcome"].map(lambda o: labels.label("deadlines", "outcome", o)),
    )
    if ledger.empty:
        return finish(
            empty("No deadlines."),
            shown,
            ds,
            as_of,
            name="deadline-ledger",
            title="No deadlines",
            alt="No deadlines.",
            table=table,
            about="",
            height=220,
        )
    names = [f"{fmt_date(r.issued_date)} {esc(labels.parties(r.issuer))} for {esc(labels.parties(r.target))}" for r in ledger.itertuples()]
    fig = BriefFigure()
    for outcome, colour in OUTCOME_COLOURS.items():
        mask = (ledger["outcome"] == outcome).to_numpy()
        if not mask.any():
            continue
        g = ledger[mask]
        dated = g["deadline_date"].notna().to_numpy()
        label = words.capital(labels.label("deadlines", "outcome", outcome))
        if dated.any():
            d = g[dated]
            fig.add_trace(
                go.Bar(
                    y=[nm for nm, m, dt in zip(names, mask, ledger["deadline_date"].notna()) if m and dt],
                    x=(d["deadline_date"] - d["issued_date"]).dt.days * 86400000,
                    base=d["issued_date"],
                    orientation="h",
                    name=label,
                    legendgroup=outcome,
                    marker_color=colour,
                    hovertext=[f"{esc(short(r.demand, 120))}<br>due {fmt_date(r.deadline_date)}; {label.lower()}" for r in d.itertuples()],
                    hoverinfo="text",
                )
            )
        if (~dated).any():
            u = g[~dated]
            fig.add_trace(
                go.Scatter(
                    y=[nm for nm, m, dt in zip(names, mask, ledger["deadline_date"].notna()) if m and not dt],
                    x=u["issued_date"],
                    mode="markers",
                    name=f"{label} (no due date)",
                    legendgroup=outcome,
                    marker=dict(symbol="triangle-right", size=12, color=colour),
                    hovertext=[f"{esc(short(r.demand, 120))}<br>no due date; {label.lower()}" for r in u.itertuples()],
                    hoverinfo="text",
                )
            )
    counts = metrics.deadlines.outcome_counts(ledger, as_of)
    dated_n = int(ledger["deadline_date"].notna().sum())
    title = (
        f"{words.count(len(ledger), 'deadline')}: {dated_n} with a due date, drawn as bars, and {len(ledger) - dated_n} without one, drawn as points"
    )
    alt = (
        f"Ledger of {words.count(len(ledger), 'deadline')} from the day each was set: " + words.join(f"{n} {k}" for k, n in counts.items() if n) + "."
    )
    fig.update_layout(
        barmode="overlay",
        xaxis=dict(type="date"),
        yaxis=dict(autorange="reversed", automargin=True),
        legend=dict(orientation="h", y=-0.05, yanchor="top", x=0),
        margin=dict(b=90),
    )
    return finish(
        fig,
        shown,
        ds,
        as_of,
        name="deadline-ledger",
        title=title,
        alt=alt,
        table=table,
        missing={"deadline_date": "No due date"},
        download=[
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
        about="Each bar runs from the day a deadline was set to the day it fell due; colour is what happened. A deadline set without a due date "
        "is a point on the day it was set. Open deadlines still lie ahead; a pending one past its date has no outcome recorded yet.",
        height=190 + 30 * max(len(ledger), 3),
    )
