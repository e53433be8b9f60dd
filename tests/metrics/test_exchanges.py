"""Exchanges: totals per side, per round, against official running totals, mediators, pace."""

from __future__ import annotations

import pandas as pd

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
                "reporter": "Ukraine's Coordination Headquarters",
                "reporter_party": "UA",
                "exchange_count": 64,
                "people_returned_count": 5300,
                "source_ids": "s1",
            },
            {
                "total_id": "tot-2025-05-31-ae",
                "as_of_date": "2025-05-31",
                "reporter": "The UAE's foreign ministry",
                "reporter_party": "AE",
                "exchange_count": 3,
                "people_returned_count": 1200,
                "source_ids": "s1",
            },
        ],
    )
    ua, ae = (r for _, r in metrics.exchanges.reconcile_totals(EXCHANGES, totals).sort_values("total_id", ascending=False).iterrows())
    # Ukraine's total against the sum of Ukraine's own figures.
    assert ua["basis"] == "ukraine"
    assert (ua["our_exchange_count"], ua["our_people_count"], ua["people_gap"], ua["exchange_gap"]) == (3, 882, 5300 - 882, 61)
    # The UAE's total counts both sides of the exchanges it mediated; one lacks Russia's figure.
    assert ae["basis"] == "mediator"
    assert (ae["our_exchange_count"], ae["our_people_count"], ae["our_people_missing_count"]) == (3, 390 + 390 + 189 + 150, 1)


def test_reconcile_totals_of_a_mediator_before_any_exchange():
    totals = frame(
        "running_totals",
        [
            {
                "total_id": "tot-2024-01-01-ae",
                "as_of_date": "2024-01-01",
                "reporter": "The UAE",
                "reporter_party": "AE",
                "exchange_count": 1,
                "source_ids": "s1",
            }
        ],
    )
    r = metrics.exchanges.reconcile_totals(EXCHANGES, totals).iloc[0]
    assert (r["basis"], r["our_exchange_count"], r["exchange_gap"]) == ("mediator", 0, 1)
    assert (r["our_people_count"], r["our_people_missing_count"]) == (0, 0)  # no exchange yet: none returned, none missing


def test_mediator_shares_split_joint_mediations():
    unmediated = frame(
        "exchanges",
        [
            {
                "exchange_id": "ex-2025-06-20",
                "exchange_date": "2025-06-20",
                "date_precision": "day",
                "kind": "prisoners",
                "returned_to_ukraine": 10,
                "source_ids": "s1",
            }
        ],
    )
    m = metrics.exchanges.mediator_shares(pd.concat([EXCHANGES, unmediated], ignore_index=True)).set_index("mediator")
    assert m.loc["AE", "event_count"] == 3
    assert m.loc["TR", "event_count"] == 1
    assert m.loc["none named", "event_count"] == 1
    # Shares are of the exchanges with any named mediator (3), so a joint mediation counts for both.
    assert set(m["named_exchange_count"]) == {3}
    assert (m.loc["AE", "share_of_named_pct"], m.loc["TR", "share_of_named_pct"]) == (100.0, 33.3)
    assert pd.isna(m.loc["none named", "share_of_named_pct"])
    assert "bo-2025-06-11" not in m.loc["AE", "source_ids"]  # repatriations of bodies are left out


def test_exchange_intervals():
    i = metrics.exchanges.exchange_intervals(EXCHANGES)
    assert list(i["days_since_previous"].fillna(-1)) == [-1, 144, 2]


def test_year_compare_spans():
    y = metrics.exchanges.year_compare(EXCHANGES, T("2025-06-30"))
    p = y[y["kind"] == "people"].set_index("span")
    assert p.loc["2025 to 30 Jun", "event_count"] == 2
    assert p.loc["2025 to 30 Jun", "figure_missing_count"] == 0
    assert p.loc["2024 to 30 Jun", "event_count"] == 0
    assert p.loc["All of 2024", "returned_to_ukraine"] == 189
    bodies = y[y["kind"] == "bodies"].set_index("span")
    assert bodies.loc["2025 to 30 Jun", "returned_to_ukraine"] == 1212
    # Where the exchanges data ends before the day, both spans stop there (like with like).
    cut = metrics.exchanges.year_compare(EXCHANGES, T("2025-06-30"), data_end=T("2025-05-24"))
    people = cut[cut["kind"] == "people"].set_index("span")
    assert list(people.index) == ["2025 to 24 May", "2024 to 24 May", "All of 2024"]
    assert people.loc["2025 to 24 May", "event_count"] == 1 and people.loc["2025 to 24 May", "span_end"] == T("2025-05-24")
