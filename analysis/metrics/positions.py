"""Stated positions: each side's latest stance per topic, how far apart two sides are, what moved."""

from __future__ import annotations

import pandas as pd

from analysis.metrics.asof import Period
from analysis.metrics.ids import join_ids

GAP_ORDER = ["opposed", "conditional", "one side only", "compatible"]
#: A position older than this, on the day of a brief, is marked as dated in the brief.
STALE_DAYS = 183


def latest_positions(positions: pd.DataFrame, on: pd.Timestamp, actors: tuple[str, ...] | None = None, *, before: bool = False) -> pd.DataFrame:
    """The most recent position of each actor on each topic stated by `on` (or, with `before`,
    strictly before `on`: what was on the table when a round opened)."""
    p = positions[positions["stated_date"] < on] if before else positions[positions["stated_date"] <= on]
    if actors:
        p = p[p["actor"].isin(actors)]
    p = p.sort_values(["stated_date", "position_id"])
    return p.groupby(["actor", "topic"], as_index=False).tail(1).reset_index(drop=True)


def gap_category(a: str | None, b: str | None) -> str:
    """How far apart two coded stances on one topic are (the gap rule of the codebook's coding guide).

    `opposed`: either side rejects, or both demand; `conditional` ("terms differ"): neither rejects
    and either sets a condition, or one demands and the other offers, or both offer (two different
    proposals); `compatible`: one side accepts what the other demands or offers, or both accept;
    `one side only`: the other side has stated nothing on the topic.
    """
    if a is None or b is None or pd.isna(a) or pd.isna(b) or not a or not b:
        return "one side only"
    pair = {a, b}
    if "reject" in pair or pair == {"demand"}:
        return "opposed"
    if "accept" in pair and "condition" not in pair:
        return "compatible"
    return "conditional"


def positions_side_by_side(positions: pd.DataFrame, on: pd.Timestamp, left: str = "UA", right: str = "RU", *, before: bool = False) -> pd.DataFrame:
    """Topic by topic: each side's latest stance by `on` (or strictly before it) and how far apart
    they are, furthest apart first.

    Per side: `<side>_type`, `_stance`, `_statement`, `_date`, `_age_days` (on `on`) and `_source_ids`.
    """
    latest = latest_positions(positions, on, (left, right), before=before)
    rows = []
    for topic in sorted(latest["topic"].unique()):
        row = {"topic": topic}
        for side in (left, right):
            hit = latest[(latest["actor"] == side) & (latest["topic"] == topic)]
            rec = hit.iloc[0] if len(hit) else None
            row[f"{side}_type"] = rec["stance_type"] if rec is not None else pd.NA
            row[f"{side}_stance"] = rec["stance"] if rec is not None else pd.NA
            row[f"{side}_statement"] = rec["statement"] if rec is not None and "statement" in rec else pd.NA
            row[f"{side}_date"] = rec["stated_date"] if rec is not None else pd.NaT
            row[f"{side}_age_days"] = int((on - rec["stated_date"]).days) if rec is not None else pd.NA
            row[f"{side}_source_ids"] = rec["source_ids"] if rec is not None else pd.NA
        row["gap"] = gap_category(row[f"{left}_type"], row[f"{right}_type"])
        row["source_ids"] = ";".join(row[f"{s}_source_ids"] for s in (left, right) if not pd.isna(row[f"{s}_source_ids"]))
        rows.append(row)
    cols = (
        ["topic"]
        + [f"{s}_{c}" for s in (left, right) for c in ("type", "stance", "statement", "date", "age_days", "source_ids")]
        + ["gap", "source_ids"]
    )
    out = pd.DataFrame(rows, columns=cols)
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
        source_ids=("source_ids", join_ids),
    ).reset_index()
    out["moved"] = out["first_type"] != out["latest_type"]
    return out


def positions_in(positions: pd.DataFrame, period: Period, topics: str = "") -> pd.DataFrame:
    """Positions stated within `period`, on the comma-separated `topics` only when given."""
    p = period.select(positions, "stated_date")
    chosen = [t.strip() for t in topics.split(",") if t.strip()]
    return p[p["topic"].isin(chosen)].reset_index(drop=True) if chosen else p


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
    """Latest stance of each actor on the key topics: one row per topic, with `<actor>_type`,
    `_stance` and `_date` per actor (missing when the actor has not spoken on the topic)."""
    latest = latest_positions(positions, as_of, actors)
    rows = []
    for topic in KEY_TOPICS:
        row: dict = {"topic": topic}
        for a in actors:
            hit = latest[(latest["actor"] == a) & (latest["topic"] == topic)]
            rec = hit.iloc[0] if len(hit) else None
            row[f"{a}_type"] = rec["stance_type"] if rec is not None else pd.NA
            row[f"{a}_stance"] = rec["stance"] if rec is not None else pd.NA
            row[f"{a}_statement"] = rec["statement"] if rec is not None and "statement" in rec else pd.NA
            row[f"{a}_date"] = rec["stated_date"] if rec is not None else pd.NaT
            row[f"{a}_age_days"] = int((as_of - rec["stated_date"]).days) if rec is not None else pd.NA
        row["source_ids"] = ";".join(latest[latest["topic"] == topic]["source_ids"])
        rows.append(row)
    return pd.DataFrame(rows)
