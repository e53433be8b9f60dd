"""What the data covers: rows and dates per table, and the outlets behind a set of rows."""

from __future__ import annotations

import pandas as pd

from analysis.dataset.tables import Dataset, split_ids
from analysis.metrics.asof import EVENT_DATE
from analysis.metrics.claims import settlement_claims


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


def data_ends(ds: Dataset) -> dict[str, pd.Timestamp]:
    """The newest event date per table (by its EVENT_DATE column): where each table's data ends.

    A window that reaches past this day shows a gap in the data, not an absence of events."""
    out = {}
    for name, frame in ds.tables.items():
        col = EVENT_DATE.get(name)
        if col and col in frame and frame[col].notna().any():
            out[name] = frame[col].max()
    return out


def reaches_past_data(ds: Dataset, table: str, end: pd.Timestamp) -> pd.Timestamp | None:
    """The day `table`'s data ends when a window ending on `end` reaches past it, else None."""
    last = data_ends(ds).get(table)
    return last if last is not None and end > last else None


def settlement_claims_begin(ds: Dataset) -> pd.Timestamp | None:
    """The day of the dataset's first settlement claim (the claims map and tallies start there; the
    older rows are annexations and area tallies)."""
    dates = settlement_claims(ds.claims)["claim_date"]
    return dates.min() if dates.notna().any() else None
