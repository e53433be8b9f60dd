"""Charts of stated positions and the deadline ledger."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis import metrics
from analysis.dataset.tables import Dataset
from analysis.present.charts.base import BriefFigure, finish
from analysis.present.format import esc, fmt_date
from analysis.present.theme import OUTCOME_COLOURS, STANCE_COLOURS, party_colour, party_name


def plot_positions_timeline(
    positions: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, actors: tuple[str, ...] = ("UA", "RU", "US", "EU")
) -> BriefFigure:
    """Every stated position as a mark: when, on which topic, by whom, of what type."""
    p = positions[positions["actor"].isin(actors)]
    fig = BriefFigure()
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
    moved = metrics.positions.position_matrix(p)
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


def plot_position_matrix(matrix: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
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
    fig = BriefFigure(
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


def plot_deadline_ledger(ledger: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Every deadline from issue to due date, coloured by what happened."""
    d = ledger[ledger["deadline_date"].notna()]
    fig = BriefFigure()
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
