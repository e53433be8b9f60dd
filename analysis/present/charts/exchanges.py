"""Charts of prisoner exchanges and repatriations."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis import metrics
from analysis.dataset.tables import Dataset
from analysis.present import labels, words
from analysis.present.charts.base import BriefFigure, empty, finish
from analysis.present.format import esc, fmt_date, fmt_int
from analysis.present.theme import GREY, MUTED_INK, party_colour

NO_FIGURE = "no figure"


def _figure(n: object) -> str:
    return NO_FIGURE if pd.isna(n) else f"{int(n):,}"


def plot_exchanges_timeline(exchanges: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, bodies: bool = False) -> BriefFigure:
    """Bars per event: what each side said it received, side by side; an event without a side's figure
    is marked with a grey cross on the axis, not drawn as zero."""
    kinds = ("bodies",) if bodies else metrics.exchanges.PEOPLE_KINDS
    e = exchanges[exchanges["kind"].isin(kinds)].sort_values("exchange_date")
    what = "repatriation of bodies" if bodies else "exchange of prisoners or civilians"
    noun = ("body", "bodies") if bodies else ("person", "people")
    table = {"exchange_date": "Date", "ua": "To Ukraine (Ukraine's count)", "ru": "To Russia (Russia's count)", "mediated": "Mediator"}
    shown = e.assign(
        ua=e["returned_to_ukraine"].map(_figure),
        ru=e["returned_to_russia"].map(_figure),
        mediated=e["mediator"].map(lambda v: labels.parties(v) or "None named"),
    )
    name = "bodies-timeline" if bodies else "exchanges-timeline"
    if e.empty:
        return finish(
            empty("None in this period."),
            shown,
            ds,
            as_of,
            name=name,
            title=f"No {what} in this period",
            alt=f"No {what} in this period.",
            table=table,
            about="",
            height=220,
        )
    # On a date axis Plotly sizes bars by the smallest gap between dates: fix a readable width.
    span_days = max((e["exchange_date"].max() - e["exchange_date"].min()).days, 30)
    width = [max(1, span_days // 150) * 86_400_000] * len(e)
    traces = []
    for side, col, offset in (("UA", "returned_to_ukraine", -width[0]), ("RU", "returned_to_russia", 0)):
        traces.append(
            go.Bar(
                x=e["exchange_date"],
                y=e[col],
                width=width,
                offset=offset,
                name=f"To {labels.party(side)} ({labels.party(side)}'s count)",
                marker_color=party_colour(side),
                hovertext=[f"{fmt_date(r.exchange_date)}: {_figure(getattr(r, col))} to {labels.party(side)}" for r in e.itertuples()],
                hoverinfo="text",
            )
        )
        gaps = e[e[col].isna()]
        if len(gaps):
            traces.append(
                go.Scatter(
                    x=gaps["exchange_date"],
                    y=[0] * len(gaps),
                    mode="markers",
                    name=f"No figure from {labels.party(side)}",
                    marker=dict(symbol="x-thin", size=9, line=dict(width=2, color=MUTED_INK if side == "UA" else GREY)),
                    hovertext=[f"{fmt_date(d)}: {labels.party(side)} published no figure" for d in gaps["exchange_date"]],
                    hoverinfo="text",
                )
            )
    fig = BriefFigure(traces)
    biggest = e.loc[e["returned_to_ukraine"].fillna(0).idxmax()]
    total, missing = metrics.exchanges.figure_sum(e["returned_to_ukraine"])
    events = words.count(len(e), "repatriation" if bodies else "exchange")
    title = f"{events}; the largest returned {words.count(biggest['returned_to_ukraine'], *noun)} to Ukraine ({words.day(biggest['exchange_date'])})"
    alt = (
        f"Bar chart of {events} from {words.day(e['exchange_date'].min())} to {words.day(e['exchange_date'].max())}, each side's own count side by side: "
        f"{'at least ' if missing else ''}{words.count(total, *noun)} returned to Ukraine by Ukraine's count"
        + (f"; {words.count(missing, 'event')} without Ukraine's figure." if missing else ".")
    )
    fig.update_layout(barmode="group", yaxis_title=noun[1] + " returned", bargap=0.1, legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0))
    return finish(
        fig,
        shown,
        ds,
        as_of,
        name=name,
        title=title,
        alt=alt,
        table=table,
        download=[
            c
            for c in (
                "exchange_id",
                "exchange_date",
                "date_precision",
                "kind",
                "returned_to_ukraine",
                "returned_to_russia",
                "mediator",
                "mediator_returned_to_ukraine",
                "mediator_returned_to_russia",
                "mediation_number",
                "round_id",
                "notes",
                "source_ids",
            )
            if c in e
        ],
        about="Each side's own figure for what it received; a mediator's figures are in the download's own columns, never passed off as a "
        "side's count. A grey cross on the axis marks an event for which that side published no figure.",
    )


def plot_cumulative_vs_official(cum: pd.DataFrame, published: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """The running sum of Ukraine's own figures for every recorded exchange, against the running totals
    Ukraine's officials published (like with like: people returned to Ukraine, by Ukraine's count).

    Args:
        cum: `metrics.exchanges.cumulative_returns` over all exchanges since 2022.
        published: Rows of `metrics.exchanges.reconcile_totals` with basis "ukraine" and a people count.
    """
    table = {
        "as_of_date": "Date",
        "reporter": "Published by",
        "published_people_count": "Published total",
        "our_people_count": "Sum of our rows",
        "people_gap": "Gap",
    }
    fig = BriefFigure(
        [
            go.Scatter(
                x=cum["exchange_date"],
                y=cum["our_cumulative"],
                mode="lines",
                line_shape="hv",
                name="Sum of Ukraine's figures in our rows",
                line=dict(color=party_colour("UA")),
            ),
            go.Scatter(
                x=published["as_of_date"],
                y=published["published_people_count"],
                mode="markers",
                name="Running total published by Ukraine's officials",
                marker=dict(color="#000", size=8, symbol="x"),
                hovertext=[f"{esc(r.reporter)}, {fmt_date(r.as_of_date)}: {fmt_int(r.published_people_count)}" for r in published.itertuples()],
                hoverinfo="text",
            ),
        ]
    )
    newest = published.sort_values(["as_of_date", "total_id"]).iloc[-1] if len(published) else None
    if newest is not None:
        gap = int(newest["people_gap"])
        title = (
            f"Ukraine's newest published total, {fmt_int(newest['published_people_count'])} on {words.day(newest['as_of_date'])}, is "
            f"{fmt_int(abs(gap))} {'above' if gap >= 0 else 'below'} the sum of our rows"
        )
    else:
        title = f"Our rows sum to {fmt_int(cum['our_cumulative'].max())} people returned to Ukraine"
    alt = (
        f"Line chart of the running sum of people returned to Ukraine in our rows, with {words.count(len(published), 'published running total')} as crosses."
        + (f" {title}." if newest is not None else "")
    )
    fig.update_layout(yaxis_title="people returned to Ukraine since 2022", legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0))
    return finish(
        fig,
        published,
        ds,
        as_of,
        name="cumulative-vs-official",
        title=title,
        alt=alt,
        table=table,
        download=[
            "total_id",
            "as_of_date",
            "reporter",
            "published_people_count",
            "our_people_count",
            "our_people_missing_count",
            "people_gap",
            "source_ids",
        ],
        about="The line adds up Ukraine's own figure for every recorded prisoner exchange and civilian return since 2022. The crosses are the "
        "running totals Ukraine's officials published. A mediator's totals count both sides and are compared in the table below, not here. "
        "The gap is people returned outside recorded exchanges or exchanges missing from the data.",
    )


def plot_mediators(shares: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Prisoner and civilian exchanges per named mediator, with those without a named mediator apart."""
    table = {"who": "Mediator", "event_count": "Exchanges", "share": "Share of exchanges with a named mediator"}
    shown = shares.assign(
        who=shares["mediator"].map(lambda m: "No mediator named" if m == "none named" else labels.party(m)),
        share=shares["share_of_named_pct"].map(lambda p: "" if pd.isna(p) else f"{p:g}%"),
    )
    named = shares[shares["mediator"] != "none named"]
    if named.empty:
        return finish(
            empty("No mediator is named for any exchange."),
            shown,
            ds,
            as_of,
            name="mediators",
            title="No mediator named",
            alt="No mediator is named for any exchange.",
            table=table,
            about="",
            height=220,
        )
    fig = BriefFigure(
        go.Bar(
            x=shown["event_count"],
            y=[esc(w) for w in shown["who"]],
            orientation="h",
            marker_color=["#BDBDBD" if m == "none named" else "#E69F00" for m in shares["mediator"]],
            text=[f"{n:,}" for n in shown["event_count"]],
            textposition="outside",
        )
    )
    top = named.iloc[0]
    total_named = int(top["named_exchange_count"])
    title = f"{labels.party(top['mediator'], article=True)} mediated {top['event_count']} of the {words.count(total_named, 'exchange')} with a named mediator"
    alt = (
        "Bar chart of prisoner and civilian exchanges per mediator: "
        + words.join(f"{w} {n}" for w, n in zip(shown["who"], shown["event_count"]))
        + "."
    )
    fig.update_layout(yaxis=dict(autorange="reversed", automargin=True), xaxis_title="exchanges", showlegend=False)
    return finish(
        fig,
        shown,
        ds,
        as_of,
        name="mediators",
        title=title,
        alt=alt,
        table=table,
        download=["mediator", "event_count", "returned_to_ukraine", "share_of_named_pct", "source_ids"],
        about="Prisoner exchanges and civilian returns per mediator named by the sources (repatriations of bodies are left out); an exchange "
        "with two mediators counts for both, so the shares can add up to more than 100%. Shares are of the exchanges with a named mediator.",
        height=170 + 30 * len(shares),
    )


def plot_exchange_intervals(intervals: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Days between consecutive prisoner exchanges."""
    i = intervals[intervals["days_since_previous"].notna()]
    table = {"exchange_date": "Exchange", "days_since_previous": "Days since the previous one"}
    if i.empty:
        return finish(
            empty("Fewer than two exchanges in this period."),
            i,
            ds,
            as_of,
            name="exchange-intervals",
            title="Intervals between exchanges",
            alt="Fewer than two exchanges in this period.",
            table=table,
            about="",
            height=220,
        )
    fig = BriefFigure(
        go.Scatter(
            x=i["exchange_date"],
            y=i["days_since_previous"],
            mode="markers+lines",
            line=dict(color=GREY, width=1),
            marker=dict(color=party_colour("UA"), size=7),
        )
    )
    med = int(i["days_since_previous"].median())
    longest = i.loc[i["days_since_previous"].idxmax()]
    title = f"A median of {words.count(med, 'day')} passed between prisoner exchanges"
    alt = f"Line chart of the days between {words.count(len(i) + 1, 'prisoner exchange')}: median {words.count(med, 'day')}, longest {words.count(longest['days_since_previous'], 'day')} before {words.day(longest['exchange_date'])}."
    fig.update_layout(yaxis_title="days since the previous exchange", showlegend=False)
    return finish(
        fig,
        i,
        ds,
        as_of,
        name="exchange-intervals",
        title=title,
        alt=alt,
        table=table,
        about="Days from one recorded prisoner exchange to the next. Long gaps can also mean missing rows; see the table of published totals.",
    )


def plot_year_compare(years: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """People (top) and bodies (bottom) returned to Ukraine this year to date, the same span last
    year, and all of last year: two panels, each on its own scale, since the counts differ tenfold."""
    p = years[years["kind"] == "people"]
    b = years[years["kind"] == "bodies"]

    def amount(r, noun) -> str:
        return ("at least " if r["figure_missing_count"] else "") + words.count(r["returned_to_ukraine"], *noun)

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.16, figure=BriefFigure())
    for row, (frame, name, colour, event) in enumerate(
        (
            (p, "People returned to Ukraine (exchanges)", party_colour("UA"), "exchange"),
            (b, "Bodies returned to Ukraine (repatriations)", GREY, "repatriation"),
        ),
        start=1,
    ):
        fig.add_trace(
            go.Bar(
                x=list(frame["span"]),
                y=frame["returned_to_ukraine"],
                name=name,
                marker_color=colour,
                text=[
                    ("≥ " if m else "") + f"{int(v):,}" if not pd.isna(v) else ""
                    for v, m in zip(frame["returned_to_ukraine"], frame["figure_missing_count"])
                ],
                textposition="outside",
                hovertext=[
                    f"{r['span']}: {amount(r, ('person', 'people') if event == 'exchange' else ('body', 'bodies'))} in {words.count(r['event_count'], event)}"
                    for _, r in frame.iterrows()
                ],
                hoverinfo="text",
            ),
            row=row,
            col=1,
        )
    a, c = p.iloc[0], p.iloc[1]
    to = pd.Timestamp(a["span_end"]) if "span_end" in p else as_of
    title = (
        f"{amount(a, ('person', 'people'))} returned to Ukraine from 1 January to {to:%-d %B} {to.year}, "
        f"against {amount(c, ('person', 'people'))} in the same span of {to.year - 1}"
    )
    alt = (
        "Bars of people (top) and bodies (bottom) returned to Ukraine by Ukraine's count: "
        + "; ".join(
            f"{r['span']}: {amount(r, ('person', 'people'))} in {words.count(r['event_count'], 'exchange')}, "
            f"{amount(q, ('body', 'bodies'))} in {words.count(q['event_count'], 'repatriation')}"
            for (_, r), (_, q) in zip(p.iterrows(), b.iterrows())
        )
        + "."
    )
    fig.update_yaxes(title_text="people returned", row=1, col=1)
    fig.update_yaxes(title_text="bodies returned", row=2, col=1)
    fig.update_layout(legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0))
    shown = years.assign(
        what=years["kind"].map({"people": "People", "bodies": "Bodies"}),
        returned=years.apply(lambda r: ("at least " if r["figure_missing_count"] else "") + f"{r['returned_to_ukraine']:,}", axis=1),
    )
    return finish(
        fig,
        shown,
        ds,
        as_of,
        name="year-compare",
        title=title,
        alt=alt,
        table={
            "span": "Span",
            "what": "Returned",
            "event_count": "Events",
            "returned": "To Ukraine (Ukraine's count)",
            "figure_missing_count": "Events without a figure",
        },
        download=["span", "kind", "event_count", "returned_to_ukraine", "figure_missing_count", "source_ids"],
        about="Sums of Ukraine's own figures for each recorded exchange or repatriation in each span; where an event has no published figure "
        "the sum is a lower bound ('at least', marked ≥ on the bars). People and bodies are on separate scales.",
        height=520,
    )
