"""The dataset as known on a day: rows, statuses and outcomes rolled back to what was published."""

from __future__ import annotations

import pandas as pd

from analysis import metrics
from tests.helpers import dataset, source
from tests.metrics.frames import T


def test_as_of_filter_drops_rows_known_only_later_and_rolls_back_statuses():
    ds = dataset(
        "2025-12-31",
        sources=[source("s1", "2025-07-01"), source("s2", "2025-08-15"), source("s3", "2025-07-20")],
        claims=[
            {
                "claim_id": "cl-2025-07-10-a",
                "claim_date": "2025-07-10",
                "claimant": "RU",
                "claim_type": "captured",
                "place": "A",
                "oblast": "Sumy",
                "location_precision": "none",
                "status": "confirmed",
                "status_date": "2025-08-15",
                "status_source_ids": "s2",
                "source_ids": "s1",
            },
            {
                "claim_id": "cl-2025-07-18-b",
                "claim_date": "2025-07-18",
                "claimant": "RU",
                "claim_type": "captured",
                "place": "B",
                "oblast": "Sumy",
                "location_precision": "none",
                "status": "claimed",
                "source_ids": "s2",
            },
            {
                "claim_id": "cl-2025-07-19-c",
                "claim_date": "2025-07-19",
                "claimant": "RU",
                "claim_type": "captured",
                "place": "C",
                "oblast": "Sumy",
                "location_precision": "none",
                "status": "claimed",
                "source_ids": "s2;s3",
            },
        ],
        deadlines=[
            {
                "deadline_id": "dl-2025-07-14-us",
                "issued_date": "2025-07-14",
                "issuer": "US",
                "target": "RU",
                "deadline_date": "2025-09-02",
                "demand": "d",
                "outcome": "superseded",
                "outcome_date": "2025-07-28",
                "superseded_by": "dl-2025-07-28-us",
                "source_ids": "s3",
            }
        ],
    )
    eve = metrics.asof.known_as_of(ds, "2025-07-22")
    c = eve.claims.set_index("claim_id")
    # B's only source was published after the cut-off; C has an earlier one too.
    assert list(c.index) == ["cl-2025-07-10-a", "cl-2025-07-19-c"]
    assert c.loc["cl-2025-07-10-a", "status"] == "claimed"
    assert pd.isna(c.loc["cl-2025-07-10-a", "status_date"])
    assert eve.deadlines.iloc[0]["outcome"] == "pending"
    assert list(eve.sources["source_id"]) == ["s1", "s3"]
    later = metrics.asof.known_as_of(ds, "")
    assert later.claims.set_index("claim_id").loc["cl-2025-07-10-a", "status"] == "confirmed"
    assert len(later.claims) == 3


def test_resolve_as_of_defaults_to_the_dataset_date_not_the_clock():
    ds = dataset("2024-03-01")
    assert metrics.asof.resolve_as_of(ds, "") == T("2024-03-01")
    assert metrics.asof.resolve_as_of(ds, "2023-01-02") == T("2023-01-02")


def test_as_of_keeps_undated_outcomes_once_the_deadline_has_passed():
    ds = dataset(
        "2025-12-31",
        sources=[source("s1", "2025-04-18")],
        deadlines=[
            {
                "deadline_id": "dl-2025-04-18-us",
                "issued_date": "2025-04-18",
                "issuer": "US",
                "target": "RU",
                "deadline_date": "2025-05-01",
                "demand": "d",
                "outcome": "unrecorded",
                "source_ids": "s1",
            }
        ],
    )
    assert metrics.asof.known_as_of(ds, "2025-04-20").deadlines.iloc[0]["outcome"] == "pending"
    assert metrics.asof.known_as_of(ds, "2025-06-01").deadlines.iloc[0]["outcome"] == "unrecorded"
    assert metrics.deadlines.open_deadlines(metrics.asof.known_as_of(ds, "2025-06-01").deadlines, T("2025-06-01")).empty
