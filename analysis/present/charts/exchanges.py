"""Charts of prisoner exchanges and repatriations."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.dataset.tables import Dataset
from analysis.present.charts.base import BriefFigure, _empty, finish
from analysis.present.format import esc, fmt_date, fmt_int
from analysis.present.theme import GREY, party_colour


def plot_exchanges_timeline(exchanges: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, kind: str = "prisoners") -> BriefFigure:
    """Bars per exchange: people each side reported receiving (both sides' figures side by side)."""
    e = exchanges[exchanges["kind"] == kind]
    if e.empty:
        return finish(_empty(f"No {kind} exchanges in this period", "Nothing to show."), e, ds, as_of, name=f"{kind}-timeline", about="", height=220)
    noun = "bodies" if kind == "bodies" else "people"
    # On a date axis Plotly sizes bars by the smallest gap between dates: fix a readable width.
    span_days = max((e["exchange_date"].max() - e["exchange_date"].min()).days, 30)
    width = [max(1, span_days // 150) * 86_400_000] * len(e)
    fig = BriefFigure(
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


def plot_cumulative_vs_official(cum: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Our running sum of people returned to Ukraine against Ukraine's official running total."""
    fig = BriefFigure(
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


def plot_mediators(shares: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Exchanges per mediator."""
    fig = BriefFigure(
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


def plot_exchange_intervals(intervals: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Days between consecutive prisoner exchanges."""
    i = intervals[intervals["days_since_previous"].notna()]
    fig = BriefFigure(
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


def plot_year_compare(years: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Exchanges and people returned this year to date, the same span last year, and all of last year."""
    p = years[years["kind"] == "prisoners"]
    b = years[years["kind"] == "bodies"]
    fig = BriefFigure(
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
