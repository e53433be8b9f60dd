"""Truces and moratoria: which were in force, announced or recently over on a day, as known then."""

from __future__ import annotations

import pandas as pd

from analysis.metrics.asof import Period

#: "Recent" truces in a brief: announced or ended in the this-many days up to its day.
RECENT_DAYS = 30


def state_on(truces: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Each truce's state on `day`: "in force", "announced" (starts later), "over", or "not in force"
    (rejected or never begun). A truce without an end date counts as in force on its first day only,
    unless its outcome says it is still running."""
    start, end = truces["start_date"], truces["end_date"]
    outcome = truces["outcome"].astype("object").fillna("")
    truces = truces.assign(outcome=outcome)
    last = end.fillna(start).where(outcome != "running", pd.Timestamp.max)
    state = pd.Series("over", index=truces.index)
    state[start.isna() | (truces["outcome"] == "not_in_force")] = "not in force"
    state[start.notna() & (start > day) & (truces["outcome"] != "not_in_force")] = "announced"
    state[start.notna() & (start <= day) & (last >= day) & (truces["outcome"] != "not_in_force")] = "in force"
    return state


def truces_around(truces: pd.DataFrame, day: pd.Timestamp, days: int = RECENT_DAYS) -> pd.DataFrame:
    """Truces in force on `day`, announced for later, or announced or ended in the `days` days up to
    it, with their `state` on that day; in force first, then newest first.

    Outcomes and violation counts are what was known on `day`: for a truce not over by then they are
    cleared (the brief cannot know how it ended)."""
    window = Period.ending(day, days=days)
    t = truces.copy()
    t["state"] = state_on(t, day)
    recent = window.contains(t["announced_date"]) | window.contains(t["end_date"].fillna(t["start_date"]))
    t = t[(t["state"].isin(["in force", "announced"])) | recent].copy()
    unfinished = t["state"].isin(["in force", "announced"])
    for col in ("outcome", "violations_reported_by_ua", "violations_reported_by_ru"):
        if col in t:
            t.loc[unfinished, col] = pd.NA
    t["order"] = t["state"].map({"in force": 0, "announced": 1, "over": 2, "not in force": 3})
    return t.sort_values(["order", "announced_date"], ascending=[True, False]).drop(columns="order").reset_index(drop=True)
