"""Deadlines: countdowns on a day, the ledger, what stops a deadline running."""

from __future__ import annotations

import pandas as pd

from analysis import metrics
from tests.metrics.frames import DEADLINES, T


def test_countdown_of_the_50_day_ultimatum_on_23_july():
    running = metrics.deadlines.deadlines_running(DEADLINES, T("2025-07-23"))
    assert list(running["deadline_id"]) == ["dl-2025-07-14-us"]
    r = running.iloc[0]
    assert (r["days_elapsed"], r["days_total"], r["days_left"]) == (9, 50, 41)


def test_resolved_deadlines_stop_running():
    running = metrics.deadlines.deadlines_running(DEADLINES, T("2025-08-01"))
    assert list(running["deadline_id"]) == ["dl-2025-07-28-us"]
    assert running.iloc[0]["days_left"] == 7


def test_deadline_ledger_counts_overdue_and_replacements():
    ledger = metrics.deadlines.deadline_ledger(DEADLINES, T("2025-12-01")).set_index("deadline_id")
    assert ledger.loc["dl-2025-11-01-us", "days_overdue"] == 4
    assert pd.isna(ledger.loc["dl-2025-07-28-us", "days_overdue"])
    assert ledger.loc["dl-2025-07-28-us", "replaces_count"] == 1
    assert ledger.loc["dl-2025-07-14-us", "days_total"] == 50
