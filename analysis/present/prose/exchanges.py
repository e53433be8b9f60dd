"""The exchanges brief in words: its lead, the totals per kind and the published totals against ours."""

from __future__ import annotations

import pandas as pd

from analysis import metrics
from analysis.metrics.asof import Period
from analysis.present import labels, links, words
from analysis.present.html import HTML, Lead, note, table

KIND_WORDS = {
    "prisoners": ("exchange of prisoners", "exchanges of prisoners"),
    "civilians": ("return of civilians", "returns of civilians"),
    "bodies": ("repatriation of bodies", "repatriations of bodies"),
}


def _amount(total: int, missing: int, singular: str, plural: str) -> str:
    return ("at least " if missing else "") + words.count(total, singular, plural)


def _at_least(total: object, missing: object) -> str:
    """'at least 6,853' when some rows lack a figure, '6,853' when none does, 'no figure' when all do."""
    if pd.isna(total):
        return "no figure"
    return ("at least " if int(missing) else "") + f"{int(total):,}"


def exchanges_lead(period_rows: pd.DataFrame, period: Period) -> Lead:
    """Lead paragraph: how many exchanges and repatriations, and what each side said it received,
    with sums over rows without a figure given as lower bounds."""
    if period_rows.empty:
        return Lead(HTML('<p class="brief-lead">{}</p>').format(f"No exchange or repatriation is recorded up to {words.day(period.end)}."))
    people = period_rows[period_rows["kind"].isin(metrics.exchanges.PEOPLE_KINDS)]
    bodies = period_rows[period_rows["kind"] == "bodies"]
    ua, ua_missing = metrics.exchanges.figure_sum(people["returned_to_ukraine"])
    ru, ru_missing = metrics.exchanges.figure_sum(people["returned_to_russia"])
    b, b_missing = metrics.exchanges.figure_sum(bodies["returned_to_ukraine"])
    first, last = period_rows["exchange_date"].min(), period_rows["exchange_date"].max()
    s = [
        f"From {words.day(first)} to {words.day(last)} the data records {words.count(len(people), 'exchange')} of prisoners or civilians, "
        f"in which Ukraine said it received {_amount(ua, ua_missing, 'person', 'people')}"
        + (f" ({words.count(ua_missing, 'exchange')} without its figure)" if ua_missing else "")
        + f" and Russia {_amount(ru, ru_missing, 'person', 'people')}"
        + (f" ({words.count(ru_missing, 'exchange')} without its figure)" if ru_missing else "")
        + ".",
        f"{words.capital(words.count(len(bodies), 'repatriation'))} of bodies returned {_amount(b, b_missing, 'body', 'bodies')} to Ukraine"
        + (f" ({words.count(b_missing, 'repatriation')} without Ukraine's figure)." if b_missing else "."),
        "Each figure is that side's own.",
    ]
    return Lead(HTML('<p class="brief-lead">{}</p>').format(" ".join(s)))


def totals_table(totals: pd.DataFrame) -> HTML:
    """Per kind: events and what each side said it received, with the events lacking a figure."""
    shown = totals.assign(
        what=totals["kind"].map(lambda k: words.capital(labels.label("exchanges", "kind", k))),
        ua=totals.apply(lambda r: _at_least(r["returned_to_ukraine"], r["ua_figure_missing_count"]), axis=1),
        ru=totals.apply(lambda r: _at_least(r["returned_to_russia"], r["ru_figure_missing_count"]), axis=1),
    )
    return table(
        shown,
        {
            "what": "Kind",
            "event_count": "Events",
            "ua": "To Ukraine (Ukraine's count)",
            "ua_figure_missing_count": "Without Ukraine's figure",
            "ru": "To Russia (Russia's count)",
            "ru_figure_missing_count": "Without Russia's figure",
        },
    )


def reconcile_table(reconciled: pd.DataFrame) -> HTML:
    """Every published running total beside the sum of our rows to the same day, like with like."""
    basis_words = {
        "ukraine": "People returned to Ukraine (Ukraine's count)",
        "russia": "People returned to Russia (Russia's count)",
        "mediator": "People exchanged through the mediator, both sides",
    }
    r = reconciled[reconciled["published_people_count"].notna() | reconciled["published_exchange_count"].notna()].sort_values(
        "as_of_date", ascending=False
    )
    shown = r.assign(
        counts=r["basis"].map(basis_words),
        ours=r.apply(lambda x: ("at least " if x["our_people_missing_count"] else "") + f"{int(x['our_people_count']):,}", axis=1),
    )
    return table(
        shown,
        {
            "as_of_date": "Date",
            "reporter": "Published by",
            "counts": "What is counted",
            "published_exchange_count": "Exchanges (published)",
            "our_exchange_count": "Exchanges (our rows)",
            "published_people_count": "People (published)",
            "ours": "People (our rows)",
            "people_gap": "Gap",
        },
        caption="Each published running total beside the sum of our rows up to the same day: Ukraine's totals against Ukraine's own figures, a mediator's totals against both sides of the exchanges it mediated.",
        limit=40,
        what="published totals, newest first",
        rest="The chart's download holds Ukraine's own totals; every published total is in the dataset's table of running totals.",
        stack=True,
        missing={"published_exchange_count": "Not published", "published_people_count": "Not published", "people_gap": "No gap to compute"},
    )


def by_round_table(by_round: pd.DataFrame, rounds: pd.DataFrame) -> HTML:
    """Exchanges the sources tie to a round of talks, per round and kind."""
    if by_round.empty:
        return note("The sources tie no exchange in this period to a round of talks.")
    titles = {r["round_id"]: links.round_title(r) for _, r in rounds.iterrows()}
    shown = by_round.assign(
        round=by_round["round_id"].map(titles),
        what=by_round["kind"].map(lambda k: words.capital(labels.label("exchanges", "kind", k))),
        ua=by_round["returned_to_ukraine"].map(lambda n: "no figure" if pd.isna(n) else f"{int(n):,}"),
        ru=by_round["returned_to_russia"].map(lambda n: "no figure" if pd.isna(n) else f"{int(n):,}"),
    )
    return table(
        shown,
        {
            "round": "Round",
            "what": "Kind",
            "event_count": "Events",
            "ua": "To Ukraine",
            "ru": "To Russia",
            "first_date": "First",
            "last_date": "Last",
        },
    )
