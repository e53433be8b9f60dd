"""Prisoner exchanges, civilian returns and repatriations of bodies: totals, pace, mediators, and
our rows against the published running totals."""

from __future__ import annotations

import pandas as pd

from analysis.metrics.ids import join_ids, sum_reported


def exchanges_in_period(exchanges: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None) -> pd.DataFrame:
    """Exchanges dated within [start, end] (either bound may be None)."""
    e = exchanges
    if start is not None:
        e = e[e["exchange_date"] >= start]
    if end is not None:
        e = e[e["exchange_date"] <= end]
    return e.reset_index(drop=True)


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


def reconcile_totals(exchanges: pd.DataFrame, running_totals: pd.DataFrame) -> pd.DataFrame:
    """Each published running total beside what our rows sum to by the same date."""
    rows = []
    swaps = exchanges[exchanges["kind"].isin(["prisoners", "civilians"])]
    bodies = exchanges[exchanges["kind"] == "bodies"]
    for _, t in running_totals.sort_values(["as_of_date", "total_id"]).iterrows():
        upto = swaps[swaps["exchange_date"] <= t["as_of_date"]]
        b = bodies[bodies["exchange_date"] <= t["as_of_date"]]
        rows.append(
            {
                "total_id": t["total_id"],
                "as_of_date": t["as_of_date"],
                "reporter": t["reporter"],
                "published_exchange_count": t["exchange_count"],
                "our_exchange_count": len(upto),
                "published_people_count": t["people_returned_count"],
                "our_people_count": int(upto["returned_to_ukraine"].fillna(0).sum()),
                "published_bodies_count": t["bodies_returned_count"],
                "our_bodies_count": int(b["returned_to_ukraine"].fillna(0).sum()),
                "notes": t["notes"],
                "source_ids": t["source_ids"],
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "total_id",
            "as_of_date",
            "reporter",
            "published_exchange_count",
            "our_exchange_count",
            "published_people_count",
            "our_people_count",
            "published_bodies_count",
            "our_bodies_count",
            "notes",
            "source_ids",
        ],
    )
    for a, b in (("exchange", "exchange"), ("people", "people"), ("bodies", "bodies")):
        out[f"{a}_gap"] = out[f"published_{a}_count"].astype("Int64") - out[f"our_{b}_count"].astype("Int64")
    return out


def mediator_shares(exchanges: pd.DataFrame) -> pd.DataFrame:
    """Exchanges and people returned to Ukraine per mediator (unnamed mediators grouped)."""
    e = exchanges.copy()
    e["mediator"] = e["mediator"].fillna("none reported")
    # Several mediators on one exchange ("UAE; Turkey") count for each.
    e = e.assign(mediator=e["mediator"].str.split(r"\s*[;/]\s*| and ", regex=True)).explode("mediator")
    g = (
        e.groupby("mediator")
        .agg(
            event_count=("exchange_id", "size"),
            returned_to_ukraine=("returned_to_ukraine", sum_reported),
            source_ids=("source_ids", join_ids),
        )
        .reset_index()
    )
    g["share_pct"] = (100 * g["event_count"] / g["event_count"].sum()).round(1)
    return g.sort_values(["event_count", "mediator"], ascending=[False, True]).reset_index(drop=True)


def exchange_intervals(exchanges: pd.DataFrame, kind: str = "prisoners") -> pd.DataFrame:
    """Days since the previous exchange of the same kind."""
    e = exchanges[exchanges["kind"] == kind].sort_values(["exchange_date", "exchange_id"]).copy()
    e["days_since_previous"] = e["exchange_date"].diff().dt.days.astype("Int64")
    return e[["exchange_id", "exchange_date", "days_since_previous", "returned_to_ukraine", "source_ids"]].reset_index(drop=True)


def year_compare(exchanges: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """This year to date against the same span of last year, and the whole of last year."""
    year = as_of.year
    start_this = pd.Timestamp(year=year, month=1, day=1)
    start_last = pd.Timestamp(year=year - 1, month=1, day=1)
    same_day_last = as_of.replace(year=year - 1, day=min(as_of.day, 28) if (as_of.month, as_of.day) == (2, 29) else as_of.day)
    spans = {
        f"{year} to {as_of:%d %b}": (start_this, as_of),
        f"{year - 1} to {same_day_last:%d %b}": (start_last, same_day_last),
        f"all of {year - 1}": (start_last, start_this - pd.Timedelta(days=1)),
    }
    rows = []
    for label, (a, b) in spans.items():
        e = exchanges[(exchanges["exchange_date"] >= a) & (exchanges["exchange_date"] <= b)]
        for kind in ("prisoners", "bodies"):
            k = e[e["kind"] == kind]
            rows.append(
                {
                    "span": label,
                    "kind": kind,
                    "event_count": len(k),
                    "returned_to_ukraine": int(k["returned_to_ukraine"].fillna(0).sum()),
                    "source_ids": join_ids(k["source_ids"]),
                }
            )
    return pd.DataFrame(rows)
