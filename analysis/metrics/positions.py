"""Stated positions: each side's latest stance per topic, how far apart two sides are, what moved."""

from __future__ import annotations

import pandas as pd

from analysis.metrics.ids import join_ids

GAP_ORDER = ["opposed", "conditional", "one side only", "compatible"]


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
        source_ids=("source_ids", join_ids),
    ).reset_index()
    out["moved"] = out["first_type"] != out["latest_type"]
    return out


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
