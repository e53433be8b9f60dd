"""Territorial claims: statuses, windows, weeks, the grid and annexation against the share held."""

from __future__ import annotations

import pytest

from analysis import metrics
from tests.helpers import frame
from tests.metrics.frames import CLAIMS, T


def test_claim_status_rates_per_claimant():
    r = metrics.claims.claim_status_rates(CLAIMS)
    ru = r[r["claimant"] == "RU"].set_index("status")
    assert ru["claim_count"].to_dict() == {"confirmed": 1, "denied": 1, "retaken": 1}
    assert ru.loc["confirmed", "share_pct"] == pytest.approx(33.3)
    assert r[r["claimant"] == "UA"].iloc[0]["share_pct"] == 100.0


def test_claims_in_window_and_per_week():
    # Both ends count: the two weeks up to 23 July are 10 to 23 July, so a claim of 9 July is out...
    two_weeks = metrics.claims.weeks_before(T("2025-07-23"), 2)
    assert (two_weeks.start, two_weeks.end) == (T("2025-07-10"), T("2025-07-23"))
    assert list(metrics.claims.claims_in(CLAIMS, two_weeks)["claim_id"]) == ["cl-2025-07-20-c"]
    # ...and in the two weeks up to 22 July (9 to 22 July) it is in.
    w = metrics.claims.claims_in(CLAIMS, metrics.claims.weeks_before(T("2025-07-22"), 2))
    assert list(w["claim_id"]) == ["cl-2025-07-09-c", "cl-2025-07-20-c"]
    weekly = metrics.claims.claims_per_week(CLAIMS)
    assert weekly["claim_count"].sum() == 4
    assert set(weekly["week"].dt.dayofweek) == {0}


def test_located_share_counts_settlement_claims_only():
    assert metrics.claims.located_share(CLAIMS) == pytest.approx(0.75)


def test_annexation_vs_held_uses_the_latest_reading():
    control = frame(
        "control",
        [
            {"as_of_date": "2024-01-01", "tracker": "ISW", "area": "Donetsk", "share_pct": 60.0, "source_ids": "s1"},
            {"as_of_date": "2025-06-01", "tracker": "ISW", "area": "Donetsk", "share_pct": 70.5, "source_ids": "s2"},
        ],
    )
    a = metrics.claims.annexation_vs_held(CLAIMS, control).iloc[0]
    assert (a["oblast"], a["held_share_pct"], a["claimed_share_pct"]) == ("Donetsk", 70.5, 100.0)


def test_claims_grid_counts_claims_per_cell_and_status():
    located = CLAIMS[CLAIMS["latitude"].notna()]
    g = metrics.claims.claims_grid(located)
    assert g["claim_count"].sum() == len(located)
    assert set(g["latitude"]) == {51.125, 48.125}
    assert (g["latitude"] % metrics.claims.GRID_DEGREES == metrics.claims.GRID_DEGREES / 2).all()
