"""Rounds: gaps between rounds, a round's number in its series, the previous round."""

from __future__ import annotations

import pandas as pd

from analysis import metrics
from tests.helpers import frame
from tests.metrics.frames import ROUNDS, T, _round


def test_days_since_previous_round_same_series_is_51_for_23_july():
    days, prev = metrics.rounds.days_since_previous_round(ROUNDS, "2025-07-23-istanbul")
    assert days == 51
    assert prev["round_id"] == "2025-06-02-istanbul"


def test_days_since_previous_round_any_series_counts_other_formats():
    days, prev = metrics.rounds.days_since_previous_round(ROUNDS, "2025-07-23-istanbul", same_series=False)
    assert (days, prev["round_id"]) == (13, "2025-07-10-rome")


def test_first_round_of_a_series_has_no_previous():
    assert metrics.rounds.days_since_previous_round(ROUNDS, "2025-05-16-istanbul") == (None, None)


def test_round_context_numbers_the_round_within_its_series():
    ctx = metrics.rounds.round_context(ROUNDS, "2025-07-23-istanbul", T("2025-07-22"))
    assert (ctx.number_in_series, ctx.series_count, ctx.is_past) == (3, 3, False)
    assert metrics.rounds.round_context(ROUNDS, "2025-07-23-istanbul", T("2025-07-23")).is_past


def test_round_gaps_adds_both_gaps_and_ordinals():
    g = metrics.rounds.round_gaps(ROUNDS).set_index("round_id")
    assert g.loc["2025-06-02-istanbul", "days_since_previous_in_series"] == 17
    assert g.loc["2025-07-23-istanbul", "number_in_series"] == 3
    assert pd.isna(g.loc["2025-05-16-istanbul", "days_since_previous_any"])


def test_cancelled_rounds_do_not_count_as_previous():
    r = frame(
        "rounds",
        [
            _round("2025-06-02-istanbul", "2025-06-02"),
            _round("2025-07-01-istanbul", "2025-07-01", status="cancelled"),
            _round("2025-07-23-istanbul", "2025-07-23"),
        ],
    )
    assert metrics.rounds.days_since_previous_round(r, "2025-07-23-istanbul")[0] == 51
