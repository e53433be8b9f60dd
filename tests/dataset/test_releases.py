"""The release manifest of the dataset's own version describes the data as it is, so the next
version's "what changed" starts from what was published."""

from __future__ import annotations

import json

from analysis import metrics
from analysis.dataset.releases import release_manifest
from analysis.dataset.tables import load_dataset
from tests.conftest import ROOT

DATA = ROOT / "data"


def test_the_manifest_of_the_current_version_matches_the_data():
    ds = load_dataset(DATA)
    recorded = DATA / "releases" / f"{ds.info.version}.json"
    assert recorded.is_file(), f"run `python -m analysis release` to record {recorded.name}"
    now = release_manifest(ds, metrics.changes.dataset_totals(ds))
    manifest = json.loads(recorded.read_text(encoding="utf-8"))
    stale = {
        t: sorted(k for k in set(now["rows"][t]) | set(manifest["rows"].get(t, {})) if now["rows"][t].get(k) != manifest["rows"].get(t, {}).get(k))
        for t in now["rows"]
    }
    assert {t: ks[:5] for t, ks in stale.items() if ks} == {}, "the data changed since `python -m analysis release`: run it again"
    assert manifest["totals"] == now["totals"] and manifest["dataset_date"] == now["dataset_date"]
