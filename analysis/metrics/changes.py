"""What changed since the previous release of the dataset: rows added, revised and removed, and
the headline totals that moved."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.dataset.tables import Dataset
from analysis.metrics.claims import settlement_claims


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
