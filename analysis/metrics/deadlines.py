"""Ultimatums and deadlines: which were running on a day, the ledger of all of them, the open ones."""

from __future__ import annotations

import pandas as pd


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


def open_deadlines(deadlines: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Deadlines open on `as_of`: pending and either falling due on or after that day (`open_kind`
    "due") or set without a due date (`open_kind` "open-ended"), with days left for the first kind.
    A pending deadline already past its due date is not open: see `overdue_deadlines`."""
    d = deadlines[deadlines["outcome"] == "pending"].copy()
    d = d[d["deadline_date"].isna() | (d["deadline_date"] >= as_of)]
    d["open_kind"] = d["deadline_date"].isna().map({True: "open-ended", False: "due"})
    d["days_left"] = (d["deadline_date"] - as_of).dt.days.astype("Int64")
    return d.sort_values(["deadline_date", "deadline_id"], na_position="last").reset_index(drop=True)


def overdue_deadlines(deadlines: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Deadlines past their due date on `as_of` with no outcome recorded yet."""
    d = deadlines[(deadlines["outcome"] == "pending") & deadlines["deadline_date"].notna() & (deadlines["deadline_date"] < as_of)].copy()
    d["days_overdue"] = (as_of - d["deadline_date"]).dt.days.astype("Int64")
    return d.sort_values(["deadline_date", "deadline_id"]).reset_index(drop=True)


def outcome_counts(deadlines: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, int]:
    """How many deadlines are in each state on `as_of`, adding up to all of them: met, missed,
    extended, superseded, withdrawn, no outcome recorded, open (due ahead or open-ended) and overdue."""
    out = {k: int((deadlines["outcome"] == k).sum()) for k in ("met", "missed", "extended", "superseded", "withdrawn", "unrecorded")}
    out["open"] = len(open_deadlines(deadlines, as_of))
    out["overdue"] = len(overdue_deadlines(deadlines, as_of))
    return out
