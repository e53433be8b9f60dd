"""Exchanges: totals per side, per round, against official running totals, mediators, pace."""

from __future__ import annotations

from analysis import metrics
from tests.helpers import frame
from tests.metrics.frames import EXCHANGES, ROUNDS, T


def test_exchange_totals_keep_each_sides_figure_and_count_missing_ones():
    t = metrics.exchanges.exchange_totals(EXCHANGES).set_index("kind")
    assert t.loc["prisoners", "returned_to_ukraine"] == 882
    assert t.loc["prisoners", "returned_to_russia"] == 540
    assert t.loc["prisoners", "ru_figure_missing_count"] == 1
    assert t.loc["bodies", "returned_to_ukraine"] == 1212


def test_exchanges_by_round_sums_per_round_and_kind():
    b = metrics.exchanges.exchanges_by_round(EXCHANGES, ROUNDS)
    row = b[(b["round_id"] == "2025-05-16-istanbul")].iloc[0]
    assert (row["event_count"], row["returned_to_ukraine"], row["returned_to_russia"]) == (2, 693, 390)
    assert b[b["round_id"] == "2025-06-02-istanbul"].iloc[0]["kind"] == "bodies"


def test_cumulative_returns_and_gap_to_official_total():
    c = metrics.exchanges.cumulative_returns(EXCHANGES).set_index("exchange_id")
    assert c.loc["ex-2024-12-30", "our_cumulative"] == 189
    assert c.loc["ex-2025-05-23", "our_cumulative"] == 579
    assert c.loc["ex-2025-05-23", "gap"] == 5000 - 579
    assert c.loc["ex-2024-12-30", "gap"] == 3956 - 189


def test_reconcile_totals_compares_published_counts_with_rows_up_to_the_same_date():
    totals = frame(
        "running_totals",
        [
            {
                "total_id": "tot-2025-05-31-ua",
                "as_of_date": "2025-05-31",
                "reporter": "UA",
                "exchange_count": 64,
                "people_returned_count": 5300,
                "source_ids": "s1",
            }
        ],
    )
    r = metrics.exchanges.reconcile_totals(EXCHANGES, totals).iloc[0]
    assert (r["our_exchange_count"], r["our_people_count"], r["people_gap"], r["exchange_gap"]) == (3, 882, 5300 - 882, 61)


def test_mediator_shares_split_joint_mediations():
    m = metrics.exchanges.mediator_shares(EXCHANGES).set_index("mediator")
    assert m.loc["UAE", "event_count"] == 3
    assert m.loc["Turkey", "event_count"] == 1
    assert m.loc["none reported", "event_count"] == 1


def test_exchange_intervals():
    i = metrics.exchanges.exchange_intervals(EXCHANGES)
    assert list(i["days_since_previous"].fillna(-1)) == [-1, 144, 2]


def test_year_compare_spans():
    y = metrics.exchanges.year_compare(EXCHANGES, T("2025-06-30"))
    p = y[y["kind"] == "prisoners"].set_index("span")
    assert p.loc["2025 to 30 Jun", "event_count"] == 2
    assert p.loc["2024 to 30 Jun", "event_count"] == 0
    assert p.loc["all of 2024", "returned_to_ukraine"] == 189
