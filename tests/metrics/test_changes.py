"""What changed since the previous release: rows added, revised, removed and totals that moved."""

from __future__ import annotations

from analysis import metrics
from tests.helpers import dataset, source


def test_changes_since_counts_added_revised_removed_rows_and_moved_totals():
    from analysis.dataset.releases import release_manifest

    pos = {
        "position_id": "pos-2025-01-01-ua-pows",
        "stated_date": "2025-01-01",
        "actor": "UA",
        "topic": "pows",
        "stance_type": "demand",
        "stance": "all for all",
        "source_ids": "s1",
    }
    before = dataset("2025-12-31", sources=[source("s1", "2025-01-01"), source("s2", "2025-01-02")], positions=[pos])
    manifest = release_manifest(before, metrics.changes.dataset_totals(before))
    after = dataset(
        "2025-12-31",
        sources=[source("s1", "2025-01-01"), source("s3", "2025-02-01")],
        positions=[{**pos, "stance": "all for all, and civilians"}],
    )
    ch = metrics.changes.changes_since(after, manifest)
    c = ch.counts.set_index("table")
    assert (c.loc["sources", "added_count"], c.loc["sources", "removed_count"], c.loc["sources", "revised_count"]) == (1, 1, 0)
    assert c.loc["positions", "revised_count"] == 1
    assert ch.totals.empty  # same number of rows everywhere
    assert metrics.changes.changes_since(after, None).previous_version is None
