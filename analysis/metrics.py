"""Pure functions: DataFrames in, DataFrames, Series or numbers out.

Every number a brief shows is computed here, so a reader can follow one call from the notebook to
the code that produced it. Nothing here reads files, prints or plots.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analysis.dataset.tables import Dataset, split_ids

#: The column holding each table's event date (what "happened by as_of" is measured on).
EVENT_DATE = {
    "sources": "published_date",
    "rounds": "start_date",
    "exchanges": "exchange_date",
    "running_totals": "as_of_date",
    "claims": "claim_date",
    "control": "as_of_date",
    "positions": "stated_date",
    "deadlines": "issued_date",
}
#: "Recent" in the overview: claims of the past this-many days.
RECENT_DAYS = 30


def _join_ids(s: pd.Series) -> str:
    """The distinct ids in a column of ';'-separated id lists, first-seen order."""
    return ";".join(dict.fromkeys(";".join(s.dropna()).split(";")))


def _sum_reported(s: pd.Series):
    """Sum of reported figures; missing (not zero) when none was reported."""
    return s.sum(min_count=1)


GAP_ORDER = ["opposed", "conditional", "one side only", "compatible"]


def resolve_as_of(ds: Dataset, as_of: str | pd.Timestamp | None) -> pd.Timestamp:
    """The cut-off day: `as_of` if given, else the dataset date (never the clock)."""
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return ds.info.dataset_date.normalize()
    return pd.Timestamp(as_of).normalize()


def first_published(frame: pd.DataFrame, sources: pd.DataFrame, column: str = "source_ids") -> pd.Series:
    """Earliest publication date among each row's sources (NaT if none resolves)."""
    published = dict(zip(sources["source_id"], sources["published_date"]))
    dates = [min((published[s] for s in split_ids(v) if s in published), default=pd.NaT) for v in frame[column]]
    return pd.Series(pd.to_datetime(dates), index=frame.index)


def known_as_of(ds: Dataset, as_of: str | pd.Timestamp | None) -> Dataset:
    """The dataset as it could have been known on `as_of`.

    A row is kept when its event happened by `as_of` and at least one of its sources was published
    by then. Later status changes of claims and later outcomes of deadlines are rolled back.
    Announced rounds (status `announced`) are kept before their start date.
    """
    cut = resolve_as_of(ds, as_of)
    sources = ds.tables["sources"].copy()
    # A page without a visible date counts as published on the dataset date (it is not known earlier).
    sources["published_date"] = sources["published_date"].fillna(ds.info.dataset_date)
    tables: dict[str, pd.DataFrame] = {"sources": sources[sources["published_date"] <= cut].copy()}
    for name, frame in ds.tables.items():
        if name == "sources":
            continue
        known = first_published(frame, sources) <= cut
        happened = frame[EVENT_DATE[name]] <= cut
        if name == "rounds" and "status" in frame:
            happened = happened | (frame["status"] == "announced")
        kept = frame[known & happened].copy()
        if name == "claims" and len(kept):
            later = kept["status_date"].isna() | (kept["status_date"] > cut)
            status_known = (
                first_published(kept.assign(status_source_ids=kept["status_source_ids"].fillna(kept["source_ids"])), sources, "status_source_ids")
                <= cut
            )
            revert = (later | ~status_known) & (kept["status"] != "claimed")
            kept.loc[revert, "status"] = "claimed"
            kept.loc[revert, "status_date"] = pd.NaT
        if name == "deadlines" and len(kept):
            # An outcome without a date of its own is knowable once the deadline falls due.
            known_on = kept["outcome_date"].fillna(kept["deadline_date"])
            revert = (kept["outcome"] != "pending") & (known_on.isna() | (known_on > cut))
            kept.loc[revert, "outcome"] = "pending"
            kept.loc[revert, "outcome_date"] = pd.NaT
            kept.loc[revert, "superseded_by"] = pd.NA
        if name == "rounds" and len(kept):
            unfinished = kept["end_date"] > cut
            kept.loc[unfinished, "outcome"] = pd.NA
        tables[name] = kept.reset_index(drop=True)
    return replace(ds, tables=tables)


# --- rounds -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundContext:
    """Where a round sits among the others."""

    round: pd.Series
    number_in_series: int
    series_count: int
    previous_in_series: pd.Series | None
    days_since_previous_in_series: int | None
    previous_any: pd.Series | None
    days_since_previous_any: int | None
    is_past: bool


def newest_round_id(rounds: pd.DataFrame) -> str:
    """The id of the latest round by start date (held rounds first)."""
    held = rounds[rounds.get("status", "held") == "held"] if "status" in rounds else rounds
    frame = held if len(held) else rounds
    return str(frame.sort_values(["start_date", "round_id"]).iloc[-1]["round_id"])


def days_since_previous_round(rounds: pd.DataFrame, round_id: str, *, same_series: bool = True) -> tuple[int | None, pd.Series | None]:
    """Days from the start of the previous round (of the same series, or any) to this round's start."""
    this = rounds.loc[rounds["round_id"] == round_id].iloc[0]
    pool = rounds[rounds["series"] == this["series"]] if same_series else rounds
    pool = pool[pool["status"] != "cancelled"] if "status" in pool else pool
    earlier = pool[(pool["start_date"] < this["start_date"])].sort_values(["start_date", "round_id"])
    if earlier.empty:
        return None, None
    prev = earlier.iloc[-1]
    return int((this["start_date"] - prev["start_date"]).days), prev


def round_context(rounds: pd.DataFrame, round_id: str, as_of: pd.Timestamp) -> RoundContext:
    """Number within its series, previous rounds and the gaps to them."""
    this = rounds.loc[rounds["round_id"] == round_id].iloc[0]
    series = rounds[(rounds["series"] == this["series"])]
    if "status" in series:
        series = series[series["status"] != "cancelled"]
    series = series.sort_values(["start_date", "round_id"])
    number = int((series["start_date"] < this["start_date"]).sum()) + 1
    d_series, prev_series = days_since_previous_round(rounds, round_id, same_series=True)
    d_any, prev_any = days_since_previous_round(rounds, round_id, same_series=False)
    return RoundContext(
        round=this,
        number_in_series=number,
        series_count=len(series),
        previous_in_series=prev_series,
        days_since_previous_in_series=d_series,
        previous_any=prev_any,
        days_since_previous_any=d_any,
        is_past=bool(this["end_date"] <= as_of),
    )


def round_gaps(rounds: pd.DataFrame) -> pd.DataFrame:
    """Rounds with the days since the previous round of the same series and of any series."""
    out = rounds.sort_values(["start_date", "round_id"]).copy()
    out["days_since_previous_any"] = out["start_date"].diff().dt.days.astype("Int64")
    out["days_since_previous_in_series"] = out.groupby("series")["start_date"].diff().dt.days.astype("Int64")
    out["number_in_series"] = out.groupby("series").cumcount() + 1
    return out.reset_index(drop=True)


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- deadlines ----------------------------------------------------------------------------------


def deadlines_running(deadlines: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """Deadlines issued by `on` and not yet due or resolved on that day, with their countdowns.

    Columns added: `days_elapsed` (since issue), `days_total` (issue to due date), `days_left`
    (negative when overdue but still unresolved).
    """
    d = deadlines[(deadlines["issued_date"] <= on)].copy()
    resolved = d["outcome_date"].notna() & (d["outcome_date"] <= on)
    d = d[~resolved & d["deadline_date"].notna() & (d["deadline_date"] >= on)]
    d["days_elapsed"] = (on - d["issued_date"]).dt.days
    d["days_total"] = (d["deadline_date"] - d["issued_date"]).dt.days
    d["days_left"] = (d["deadline_date"] - on).dt.days
    return d.sort_values(["deadline_date", "deadline_id"]).reset_index(drop=True)


def deadline_ledger(deadlines: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Every deadline with its length, days overdue (if unresolved past due) and extension count."""
    d = deadlines.sort_values(["issued_date", "deadline_id"]).copy()
    d["days_total"] = (d["deadline_date"] - d["issued_date"]).dt.days.astype("Int64")
    overdue = (d["outcome"] == "pending") & d["deadline_date"].notna() & (d["deadline_date"] < as_of)
    d["days_overdue"] = ((as_of - d["deadline_date"]).dt.days).where(overdue).astype("Int64")
    # An extension chain: how many earlier deadlines were superseded by or extended into this one.
    predecessors = d.set_index("deadline_id")["superseded_by"].dropna()
    counts = predecessors.value_counts()
    d["replaces_count"] = d["deadline_id"].map(counts).fillna(0).astype("Int64")
    return d.reset_index(drop=True)


# --- positions ----------------------------------------------------------------------------------


def latest_positions(positions: pd.DataFrame, on: pd.Timestamp, actors: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The most recent position of each actor on each topic stated by `on`."""
    p = positions[positions["stated_date"] <= on]
    if actors:
        p = p[p["actor"].isin(actors)]
    p = p.sort_values(["stated_date", "position_id"])
    return p.groupby(["actor", "topic"], as_index=False).tail(1).reset_index(drop=True)


def gap_category(a: str | None, b: str | None) -> str:
    """How far apart two coded stances on one topic are.

    `opposed`: one side demands or offers what the other rejects, or both make demands;
    `conditional`: either side attaches a condition; `compatible`: offers and acceptances only;
    `one side only`: the other side has stated nothing on the topic.
    """
    if a is None or b is None or pd.isna(a) or pd.isna(b) or not a or not b:
        return "one side only"
    pair = {a, b}
    if "reject" in pair or pair == {"demand"}:
        return "opposed"
    if "condition" in pair:
        return "conditional"
    if pair <= {"offer", "accept", "demand"} and "demand" in pair and pair != {"demand", "accept"}:
        return "conditional"
    return "compatible"


def positions_side_by_side(positions: pd.DataFrame, on: pd.Timestamp, left: str = "UA", right: str = "RU") -> pd.DataFrame:
    """Topic by topic: each side's latest stance by `on` and how far apart they are.

    Sorted with the furthest-apart topics first.
    """
    latest = latest_positions(positions, on, (left, right))
    topics = sorted(latest["topic"].unique())
    rows = []
    for topic in topics:
        row = {"topic": topic}
        for side in (left, right):
            hit = latest[(latest["actor"] == side) & (latest["topic"] == topic)]
            rec = hit.iloc[0] if len(hit) else None
            row[f"{side}_stance"] = rec["stance"] if rec is not None else pd.NA
            row[f"{side}_type"] = rec["stance_type"] if rec is not None else pd.NA
            row[f"{side}_date"] = rec["stated_date"] if rec is not None else pd.NaT
            row[f"{side}_source_ids"] = rec["source_ids"] if rec is not None else pd.NA
        row["gap"] = gap_category(row[f"{left}_type"], row[f"{right}_type"])
        ids = [row[f"{s}_source_ids"] for s in (left, right) if not pd.isna(row[f"{s}_source_ids"])]
        row["source_ids"] = ";".join(ids)
        rows.append(row)
    out = pd.DataFrame(
        rows,
        columns=[
            "topic",
            f"{left}_stance",
            f"{left}_type",
            f"{left}_date",
            f"{left}_source_ids",
            f"{right}_stance",
            f"{right}_type",
            f"{right}_date",
            f"{right}_source_ids",
            "gap",
            "source_ids",
        ],
    )
    out["gap_rank"] = out["gap"].map({g: i for i, g in enumerate(GAP_ORDER)})
    return out.sort_values(["gap_rank", "topic"]).drop(columns="gap_rank").reset_index(drop=True)


def gap_counts(side_by_side: pd.DataFrame) -> pd.Series:
    """Number of topics in each gap category, in GAP_ORDER."""
    return side_by_side["gap"].value_counts().reindex(GAP_ORDER, fill_value=0)


def position_matrix(positions: pd.DataFrame, topics: list[str] | None = None) -> pd.DataFrame:
    """Per actor and topic: positions stated, distinct stance types, first and latest stance type.

    `moved` is True when the latest stance type differs from the first one.
    """
    p = positions if not topics else positions[positions["topic"].isin(topics)]
    p = p.sort_values(["stated_date", "position_id"])
    g = p.groupby(["actor", "topic"])
    out = g.agg(
        position_count=("position_id", "size"),
        first_date=("stated_date", "min"),
        latest_date=("stated_date", "max"),
        first_type=("stance_type", "first"),
        latest_type=("stance_type", "last"),
        latest_stance=("stance", "last"),
        source_ids=("source_ids", _join_ids),
    ).reset_index()
    out["moved"] = out["first_type"] != out["latest_type"]
    return out


# --- exchanges ----------------------------------------------------------------------------------


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
            returned_to_ukraine=("returned_to_ukraine", _sum_reported),
            returned_to_russia=("returned_to_russia", _sum_reported),
            first_date=("exchange_date", "min"),
            last_date=("exchange_date", "max"),
            source_ids=("source_ids", _join_ids),
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
            returned_to_ukraine=("returned_to_ukraine", _sum_reported),
            source_ids=("source_ids", _join_ids),
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


def claims_in_window(claims: pd.DataFrame, end: pd.Timestamp, weeks: int) -> pd.DataFrame:
    """Claims made in the `weeks` weeks up to and including `end` (a round's day counts: claims are
    often announced on the morning of a round)."""
    start = end - pd.Timedelta(weeks=weeks)
    c = claims[(claims["claim_date"] >= start) & (claims["claim_date"] <= end)]
    return c.reset_index(drop=True)


def settlement_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims about named settlements (captures and liberations), not annexations or areas."""
    return claims[claims["claim_type"].isin(["captured", "liberated"])].reset_index(drop=True)


def claims_in_period(claims: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None, oblast: str | None = None) -> pd.DataFrame:
    """Claims dated within [start, end], optionally in one oblast."""
    c = claims
    if start is not None:
        c = c[c["claim_date"] >= start]
    if end is not None:
        c = c[c["claim_date"] <= end]
    if oblast:
        c = c[c["oblast"] == oblast]
    return c.reset_index(drop=True)


def _some_places(s: pd.Series, limit: int = 8) -> str:
    names = sorted(s.dropna().unique())
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return "; ".join(names[:limit]) + more


def claims_per_week(claims: pd.DataFrame) -> pd.DataFrame:
    """Settlement claims per ISO week (Monday start), oblast and claimant."""
    c = settlement_claims(claims)
    c = c.assign(week=c["claim_date"].dt.to_period("W-SUN").dt.start_time, oblast=c["oblast"].fillna("(oblast not stated)"))
    g = (
        c.groupby(["week", "oblast", "claimant"])
        .agg(
            claim_count=("claim_id", "size"),
            places=("place", _some_places),
            source_ids=("source_ids", _join_ids),
        )
        .reset_index()
    )
    return g.sort_values(["week", "oblast", "claimant"]).reset_index(drop=True)


#: Grid cell size (degrees) when a map counts claims per cell instead of drawing each one.
GRID_DEGREES = 0.25


def claims_grid(located: pd.DataFrame, max_cells: int = 400) -> pd.DataFrame:
    """Located claims counted per grid cell, status and claimant, with the cell centre as point.

    Cells start at GRID_DEGREES and double in size until there are at most `max_cells` of them,
    so a map's size stays bounded however many claims there are. `cell_degrees` says which size
    was used; `source_ids` is kept per cell.
    """
    deg = GRID_DEGREES
    while True:
        lat = (located["latitude"].astype(float) // deg) * deg + deg / 2
        lon = (located["longitude"].astype(float) // deg) * deg + deg / 2
        g = (
            located.assign(latitude=lat, longitude=lon)
            .groupby(["latitude", "longitude", "status", "claimant"])
            .agg(claim_count=("claim_id", "size"), source_ids=("source_ids", _join_ids))
            .reset_index()
        )
        if len(g) <= max_cells or deg >= 4:
            return g.assign(cell_degrees=deg)
        deg *= 2


def claim_status_rates(claims: pd.DataFrame) -> pd.DataFrame:
    """Per claimant: how many settlement claims are in each status, and the share of each."""
    c = settlement_claims(claims)
    g = c.groupby(["claimant", "status"]).agg(claim_count=("claim_id", "size"), source_ids=("source_ids", _join_ids)).reset_index()
    g["share_pct"] = (100 * g["claim_count"] / g.groupby("claimant")["claim_count"].transform("sum")).round(1)
    order = ["confirmed", "claimed", "disputed", "denied", "retaken"]
    g["order"] = g["status"].map({s: i for i, s in enumerate(order)})
    return g.sort_values(["claimant", "order"]).drop(columns="order").reset_index(drop=True)


def control_series(control: pd.DataFrame, area: str = "Ukraine") -> pd.DataFrame:
    """Readings of the share of `area` held by Russia, per tracker, over time."""
    c = control[(control["area"] == area)].sort_values(["tracker", "as_of_date"])
    return c.reset_index(drop=True)


def annexation_vs_held(claims: pd.DataFrame, control: pd.DataFrame) -> pd.DataFrame:
    """For each region Russia claims to have annexed: the latest reading of the share it holds."""
    a = claims[claims["claim_type"] == "annexed"].copy()
    rows = []
    for _, r in a.sort_values("claim_date").iterrows():
        readings = control[(control["area"] == r["oblast"]) & control["share_pct"].notna()].sort_values("as_of_date")
        last = readings.iloc[-1] if len(readings) else None
        rows.append(
            {
                "oblast": r["oblast"],
                "claim_date": r["claim_date"],
                "claimed_share_pct": 100.0,
                "held_share_pct": last["share_pct"] if last is not None else pd.NA,
                "tracker": last["tracker"] if last is not None else pd.NA,
                "reading_date": last["as_of_date"] if last is not None else pd.NaT,
                "source_ids": ";".join(dict.fromkeys([r["source_ids"]] + ([last["source_ids"]] if last is not None else []))),
            }
        )
    out = pd.DataFrame(rows, columns=["oblast", "claim_date", "claimed_share_pct", "held_share_pct", "tracker", "reading_date", "source_ids"])
    out["held_share_pct"] = pd.to_numeric(out["held_share_pct"], errors="coerce").astype("Float64")
    return out


def located_share(claims: pd.DataFrame) -> float:
    """Share (0–1) of settlement claims that have coordinates."""
    c = settlement_claims(claims)
    return float(c["latitude"].notna().mean()) if len(c) else 0.0


# --- overview -----------------------------------------------------------------------------------


def next_round(rounds: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series | None:
    """The earliest announced round starting after `as_of`, if any."""
    r = rounds[(rounds["start_date"] > as_of)]
    if "status" in r:
        r = r[r["status"] == "announced"]
    return None if r.empty else r.sort_values("start_date").iloc[0]


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
                    "source_ids": _join_ids(k["source_ids"]),
                }
            )
    return pd.DataFrame(rows)


def claims_last_days(claims: pd.DataFrame, as_of: pd.Timestamp, days: int = 30) -> pd.DataFrame:
    """Settlement claims in the `days` days up to `as_of`, counted per claimant and status."""
    c = settlement_claims(claims)
    c = c[(c["claim_date"] > as_of - pd.Timedelta(days=days)) & (c["claim_date"] <= as_of)]
    return c.groupby(["claimant", "status"]).size().rename("claim_count").reset_index()


def open_deadlines(deadlines: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Deadlines still pending on `as_of`, with days left (negative: overdue)."""
    d = deadlines[deadlines["outcome"] == "pending"].copy()
    d["days_left"] = (d["deadline_date"] - as_of).dt.days.astype("Int64")
    return d.sort_values(["deadline_date", "deadline_id"]).reset_index(drop=True)


def source_outlets(frame: pd.DataFrame, sources: pd.DataFrame, columns: tuple[str, ...] = ("source_ids",), limit: int = 4) -> tuple[list[str], int]:
    """The outlets cited by the rows of `frame`, most cited first: (first `limit`, number of others)."""
    outlet = dict(zip(sources["source_id"], sources["outlet"]))
    counts: dict[str, int] = {}
    for col in columns:
        if col not in frame:
            continue
        for v in frame[col]:
            for sid in split_ids(v):
                if sid in outlet:
                    counts[outlet[sid]] = counts.get(outlet[sid], 0) + 1
    ranked = sorted(counts, key=lambda k: (-counts[k], k))
    return ranked[:limit], max(0, len(ranked) - limit)


def table_summary(ds: Dataset) -> pd.DataFrame:
    """Rows, newest event date and sources per tier: the consistency report's first table."""
    rows = []
    for name, frame in ds.tables.items():
        col = EVENT_DATE[name]
        rows.append(
            {
                "table": name,
                "row_count": len(frame),
                "first_date": frame[col].min() if len(frame) else pd.NaT,
                "newest_date": frame[col].max() if len(frame) else pd.NaT,
            }
        )
    return pd.DataFrame(rows)


def rounds_with(known: pd.DataFrame, full: pd.DataFrame, round_id: str) -> pd.DataFrame:
    """Rounds known by the cut-off, plus the brief's own round even if reported only later."""
    if (known["round_id"] == round_id).any():
        return known
    extra = full[full["round_id"] == round_id]
    if extra.empty:
        raise KeyError(f"unknown round_id {round_id!r}")
    extra = extra.copy()
    extra["outcome"] = pd.NA
    return pd.concat([known, extra], ignore_index=True).sort_values(["start_date", "round_id"], ignore_index=True)


def optional_date(value: str) -> pd.Timestamp | None:
    """A parameter date: None when empty."""
    return pd.Timestamp(value) if value else None


def topic_list(value: str) -> list[str] | None:
    """'ceasefire,territory' -> ['ceasefire', 'territory']; empty -> None (all topics)."""
    items = [v.strip() for v in value.split(",") if v.strip()]
    return items or None


def positions_in_period(
    positions: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None, topics: list[str] | None = None
) -> pd.DataFrame:
    """Positions stated within [start, end], optionally on some topics only."""
    p = positions
    if start is not None:
        p = p[p["stated_date"] >= start]
    if end is not None:
        p = p[p["stated_date"] <= end]
    if topics:
        p = p[p["topic"].isin(topics)]
    return p.reset_index(drop=True)


def recent_claims(claims: pd.DataFrame, as_of: pd.Timestamp, days: int) -> pd.DataFrame:
    """Claims made in the `days` days up to and including `as_of`."""
    c = claims[(claims["claim_date"] > as_of - pd.Timedelta(days=days)) & (claims["claim_date"] <= as_of)]
    return c.reset_index(drop=True)


KEY_TOPICS = (
    "ceasefire",
    "territory",
    "nato_neutrality",
    "security_guarantees",
    "army_limits",
    "sanctions",
    "elections_legitimacy",
    "leaders_meeting",
)


def key_positions(positions: pd.DataFrame, as_of: pd.Timestamp, actors: tuple[str, ...] = ("UA", "RU", "US")) -> pd.DataFrame:
    """Latest stance (type and words) of each actor on the key topics, one row per topic."""
    latest = latest_positions(positions, as_of, actors)
    rows = []
    for topic in KEY_TOPICS:
        row = {"topic": topic.replace("_", " ")}
        for a in actors:
            hit = latest[(latest["actor"] == a) & (latest["topic"] == topic)]
            row[a] = f"{hit.iloc[0]['stance_type']} ({hit.iloc[0]['stated_date']:%-d %b %Y}): {hit.iloc[0]['stance']}" if len(hit) else pd.NA
        row["source_ids"] = ";".join(latest[latest["topic"] == topic]["source_ids"])
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class DatasetChanges:
    """Rows added, revised and removed per table since an earlier release, and totals that moved."""

    previous_version: str | None
    counts: pd.DataFrame  # table, added_count, revised_count, removed_count
    totals: pd.DataFrame  # measure, previous, current, change


def dataset_totals(ds: Dataset) -> dict[str, int]:
    """Headline totals recorded with each release, so the next one can say what moved."""
    e = ds.tables["exchanges"]
    swaps = e[e["kind"].isin(["prisoners", "civilians"])]
    return {
        "rounds": len(ds.tables["rounds"]),
        "exchanges": len(swaps),
        "people returned to Ukraine (sum of rows)": int(swaps["returned_to_ukraine"].fillna(0).sum()),
        "bodies returned to Ukraine (sum of rows)": int(e[e["kind"] == "bodies"]["returned_to_ukraine"].fillna(0).sum()),
        "settlement claims": len(settlement_claims(ds.tables["claims"])),
        "positions": len(ds.tables["positions"]),
        "deadlines": len(ds.tables["deadlines"]),
        "sources": len(ds.tables["sources"]),
    }


def changes_since(ds: Dataset, previous: dict | None) -> DatasetChanges:
    """Compare the dataset with an earlier release manifest (see `load.release_manifest`)."""
    from analysis.dataset.releases import row_hashes

    if not previous:
        return DatasetChanges(
            None,
            pd.DataFrame(columns=["table", "added_count", "revised_count", "removed_count"]),
            pd.DataFrame(columns=["measure", "previous", "current", "change"]),
        )
    rows = []
    for name in ds.tables:
        now = row_hashes(ds.tables[name], name)
        before = previous["rows"].get(name, {})
        added = len(set(now) - set(before))
        removed = len(set(before) - set(now))
        revised = sum(1 for k in set(now) & set(before) if now[k] != before[k])
        rows.append({"table": name, "added_count": added, "revised_count": revised, "removed_count": removed})
    current = dataset_totals(ds)
    totals = [
        {"measure": k, "previous": previous["totals"].get(k), "current": v, "change": v - previous["totals"].get(k, 0)}
        for k, v in current.items()
        if previous["totals"].get(k) != v
    ]
    return DatasetChanges(previous["version"], pd.DataFrame(rows), pd.DataFrame(totals, columns=["measure", "previous", "current", "change"]))
