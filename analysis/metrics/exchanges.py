"""Prisoner exchanges, civilian returns and repatriations of bodies: totals, pace, mediators, and
our rows against the published running totals."""

from __future__ import annotations

import pandas as pd

from analysis.dataset.tables import split_ids
from analysis.metrics.asof import Period
from analysis.metrics.ids import join_ids, sum_reported

#: Kinds that return living people (prisoners and civilians), as against repatriations of bodies.
PEOPLE_KINDS = ("prisoners", "civilians")


def exchanges_in(exchanges: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Exchanges and repatriations dated within `period`."""
    return period.select(exchanges, "exchange_date")


def figure_sum(figures: pd.Series) -> tuple[int, int]:
    """(sum of the published figures, number of rows without one): a sum over incomplete data is a
    lower bound, and a brief says so ("at least 1,000 people; 9 exchanges without a figure")."""
    return int(figures.fillna(0).sum()), int(figures.isna().sum())


def exchange_totals(exchanges: pd.DataFrame) -> pd.DataFrame:
    """Per kind: events, people returned to each side (as each side reported), and unreported counts."""
    g = exchanges.groupby("kind")
    out = pd.DataFrame(
        {
            "event_count": g.size(),
            "returned_to_ukraine": g["returned_to_ukraine"].sum(min_count=1),
            "returned_to_russia": g["returned_to_russia"].sum(min_count=1),
            "ua_figure_missing_count": g["returned_to_ukraine"].apply(lambda s: int(s.isna().sum())),
            "ru_figure_missing_count": g["returned_to_russia"].apply(lambda s: int(s.isna().sum())),
        }
    )
    return out.reindex(["prisoners", "civilians", "bodies"]).dropna(how="all").astype("Int64").reset_index()


def exchanges_by_round(exchanges: pd.DataFrame, rounds: pd.DataFrame) -> pd.DataFrame:
    """Exchanges tied to a round (by `round_id`), summed per round and kind."""
    e = exchanges[exchanges["round_id"].notna()]
    g = (
        e.groupby(["round_id", "kind"])
        .agg(
            event_count=("exchange_id", "size"),
            returned_to_ukraine=("returned_to_ukraine", sum_reported),
            returned_to_russia=("returned_to_russia", sum_reported),
            ua_figure_missing_count=("returned_to_ukraine", lambda s: int(s.isna().sum())),
            first_date=("exchange_date", "min"),
            last_date=("exchange_date", "max"),
            source_ids=("source_ids", join_ids),
        )
        .reset_index()
    )
    g = g.merge(rounds[["round_id", "start_date", "city", "series"]], on="round_id", how="left")
    return g.sort_values(["start_date", "round_id", "kind"]).reset_index(drop=True)


def cumulative_returns(exchanges: pd.DataFrame) -> pd.DataFrame:
    """Running sum of people returned to Ukraine in prisoner exchanges and civilian returns,
    as summed from our rows, beside Ukraine's own running total where one was stated.

    `gap` is the official total minus our sum on the days an official total exists.
    """
    e = exchanges[exchanges["kind"].isin(["prisoners", "civilians"])].sort_values(["exchange_date", "exchange_id"]).copy()
    e["our_cumulative"] = e["returned_to_ukraine"].fillna(0).cumsum().astype("Int64")
    e["our_exchange_count"] = range(1, len(e) + 1)
    e["gap"] = (e["ua_running_total"] - e["our_cumulative"]).astype("Int64")
    return e[
        [
            "exchange_id",
            "exchange_date",
            "returned_to_ukraine",
            "our_cumulative",
            "ua_running_total",
            "gap",
            "our_exchange_count",
            "ua_exchange_number",
            "source_ids",
        ]
    ].reset_index(drop=True)


def both_sides(exchanges: pd.DataFrame) -> pd.Series:
    """People (or bodies) exchanged in each row counting both sides, as a mediator counts them: the
    mediator's own two figures where it gave them, else the two sides' figures; missing when neither
    side's figure is known for a side."""
    mediator = (
        exchanges["mediator_returned_to_ukraine"] + exchanges["mediator_returned_to_russia"] if "mediator_returned_to_ukraine" in exchanges else None
    )
    sides = exchanges["returned_to_ukraine"] + exchanges["returned_to_russia"]
    return (mediator.fillna(sides) if mediator is not None else sides).astype("Int64")


def reconcile_totals(exchanges: pd.DataFrame, running_totals: pd.DataFrame) -> pd.DataFrame:
    """Each published running total beside what our rows sum to by the same date, like with like.

    A total published by Ukraine's officials counts people returned to Ukraine: it is set against the
    sum of Ukraine's own figures (Russia's totals against Russia's figures). A mediator's total (the
    UAE's) counts people exchanged through it on both sides: it is set against both sides of the rows
    that name that mediator. `basis` ("ukraine", "russia", "mediator") says which.
    """
    rows = []
    swaps = exchanges[exchanges["kind"].isin(PEOPLE_KINDS)]
    bodies = exchanges[exchanges["kind"] == "bodies"]
    for _, t in running_totals.sort_values(["as_of_date", "total_id"]).iterrows():
        upto = swaps[swaps["exchange_date"] <= t["as_of_date"]]
        b = bodies[bodies["exchange_date"] <= t["as_of_date"]]
        party = t.get("reporter_party")
        party = party if isinstance(party, str) else "UA"  # a total without a named party is read as Ukraine's
        if party == "RU":
            people, missing = figure_sum(upto["returned_to_russia"])
            count, basis, side = len(upto), "russia", "returned_to_russia"
        elif party != "UA":
            mediated = upto.loc[upto["mediator"].map(lambda v, party=party: party in split_ids(v)).astype(bool)]
            people, missing = figure_sum(both_sides(mediated))
            count, basis, side = len(mediated), "mediator", "returned_to_ukraine"
        else:
            people, missing = figure_sum(upto["returned_to_ukraine"])
            count, basis, side = len(upto), "ukraine", "returned_to_ukraine"
        rows.append(
            {
                "total_id": t["total_id"],
                "as_of_date": t["as_of_date"],
                "reporter": t["reporter"],
                "basis": basis,
                "published_exchange_count": t["exchange_count"],
                "our_exchange_count": count,
                "published_people_count": t["people_returned_count"],
                "our_people_count": people,
                "our_people_missing_count": missing,
                "published_bodies_count": t["bodies_returned_count"],
                "our_bodies_count": figure_sum(b[side])[0],
                "source_ids": t["source_ids"],
            }
        )
    cols = [
        "total_id",
        "as_of_date",
        "reporter",
        "basis",
        "published_exchange_count",
        "our_exchange_count",
        "published_people_count",
        "our_people_count",
        "our_people_missing_count",
        "published_bodies_count",
        "our_bodies_count",
        "source_ids",
    ]
    out = pd.DataFrame(rows, columns=cols)
    for a in ("exchange", "people", "bodies"):
        out[f"{a}_gap"] = out[f"published_{a}_count"].astype("Int64") - out[f"our_{a}_count"].astype("Int64")
    return out


def newest_comparable(reconciled: pd.DataFrame, basis: str = "ukraine", measure: str = "people") -> pd.Series | None:
    """The newest published total of one basis that states the measure (people, bodies, exchanges)."""
    r = reconciled[(reconciled["basis"] == basis) & reconciled[f"published_{measure}_count"].notna()]
    return None if r.empty else r.sort_values(["as_of_date", "total_id"]).iloc[-1]


def mediator_shares(exchanges: pd.DataFrame) -> pd.DataFrame:
    """Prisoner and civilian exchanges and people returned to Ukraine per named mediator (a party
    code); exchanges without a named mediator are one row, `mediator` "none named" (repatriations of
    bodies left out). `named_exchange_count` is the number of exchanges with any named mediator, the
    base of `share_of_named_pct`: an exchange with two mediators counts for both, so shares can add
    up to more than 100."""
    e = exchanges[exchanges["kind"].isin(PEOPLE_KINDS)].copy()
    named_exchanges = int(e["mediator"].map(lambda v: bool(split_ids(v))).sum())
    e = e.assign(mediator=e["mediator"].map(lambda v: split_ids(v) or ["none named"])).explode("mediator")
    g = (
        e.groupby("mediator")
        .agg(
            event_count=("exchange_id", "size"),
            returned_to_ukraine=("returned_to_ukraine", sum_reported),
            source_ids=("source_ids", join_ids),
        )
        .reset_index()
    )
    named = g["mediator"] != "none named"
    g["named_exchange_count"] = named_exchanges
    g["share_of_named_pct"] = (100 * g["event_count"] / max(named_exchanges, 1)).round(1).where(named)
    return g.sort_values(["event_count", "mediator"], ascending=[False, True]).reset_index(drop=True)


def exchange_intervals(exchanges: pd.DataFrame, kind: str = "prisoners") -> pd.DataFrame:
    """Days since the previous exchange of the same kind."""
    e = exchanges[exchanges["kind"] == kind].sort_values(["exchange_date", "exchange_id"]).copy()
    e["days_since_previous"] = e["exchange_date"].diff().dt.days.astype("Int64")
    return e[["exchange_id", "exchange_date", "days_since_previous", "returned_to_ukraine", "source_ids"]].reset_index(drop=True)


def year_compare(exchanges: pd.DataFrame, as_of: pd.Timestamp, data_end: pd.Timestamp | None = None) -> pd.DataFrame:
    """This year to date against the same span of last year, and the whole of last year: events,
    people (or bodies) returned to Ukraine by Ukraine's count, and events without a published figure.

    With `data_end` (the day the exchanges data ends) before `as_of`, "to date" stops there, so both
    spans cover days the data covers. `span_end` is the last day of each span."""
    if data_end is not None and data_end < as_of and data_end.year == as_of.year:
        as_of = data_end
    year = as_of.year
    start_this = pd.Timestamp(year=year, month=1, day=1)
    start_last = pd.Timestamp(year=year - 1, month=1, day=1)
    same_day_last = as_of.replace(year=year - 1, day=min(as_of.day, 28) if (as_of.month, as_of.day) == (2, 29) else as_of.day)
    spans = {
        f"{year} to {as_of:%-d %b}": (start_this, as_of),
        f"{year - 1} to {same_day_last:%-d %b}": (start_last, same_day_last),
        f"All of {year - 1}": (start_last, start_this - pd.Timedelta(days=1)),
    }
    rows = []
    for label, (a, b) in spans.items():
        e = exchanges[(exchanges["exchange_date"] >= a) & (exchanges["exchange_date"] <= b)]
        for kind, kinds in (("people", PEOPLE_KINDS), ("bodies", ("bodies",))):
            k = e[e["kind"].isin(kinds)]
            total, missing = figure_sum(k["returned_to_ukraine"])
            rows.append(
                {
                    "span": label,
                    "span_end": b,
                    "kind": kind,
                    "event_count": len(k),
                    "returned_to_ukraine": total,
                    "figure_missing_count": missing,
                    "source_ids": join_ids(k["source_ids"]),
                }
            )
    return pd.DataFrame(rows)
