"""Metrics on tiny inline frames: days between rounds, countdowns, as-of filter, claim statuses, totals."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import metrics, present
from tests.unit.helpers import dataset, frame, source

T = pd.Timestamp


def _round(rid, start, series="istanbul-2025", fmt="direct", status="held", end=None, sources="s1"):
    return {
        "round_id": rid,
        "start_date": start,
        "end_date": end or start,
        "status": status,
        "series": series,
        "format": fmt,
        "city": rid.split("-")[-1].title(),
        "country": "Turkey",
        "source_ids": sources,
    }


ROUNDS = frame(
    "rounds",
    [
        _round("2025-05-16-istanbul", "2025-05-16"),
        _round("2025-06-02-istanbul", "2025-06-02"),
        _round("2025-07-10-rome", "2025-07-10", series="us-ua-2025", fmt="us_ua"),
        _round("2025-07-23-istanbul", "2025-07-23"),
    ],
)


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


@pytest.mark.parametrize(
    ("n", "expected"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (21, "21st"), (113, "113th")]
)
def test_ordinal(n, expected):
    assert present.format.ordinal(n) == expected


DEADLINES = frame(
    "deadlines",
    [
        {
            "deadline_id": "dl-2025-07-14-us",
            "issued_date": "2025-07-14",
            "issuer": "US",
            "target": "RU",
            "deadline_date": "2025-09-02",
            "demand": "deal",
            "outcome": "superseded",
            "outcome_date": "2025-07-28",
            "superseded_by": "dl-2025-07-28-us",
            "source_ids": "s1",
        },
        {
            "deadline_id": "dl-2025-07-28-us",
            "issued_date": "2025-07-28",
            "issuer": "US",
            "target": "RU",
            "deadline_date": "2025-08-08",
            "demand": "deal",
            "outcome": "missed",
            "outcome_date": "2025-08-08",
            "source_ids": "s1",
        },
        {
            "deadline_id": "dl-2025-11-01-us",
            "issued_date": "2025-11-01",
            "issuer": "US",
            "target": "UA",
            "deadline_date": "2025-11-27",
            "demand": "plan",
            "outcome": "pending",
            "source_ids": "s1",
        },
    ],
)


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


@pytest.mark.parametrize(
    ("a", "b", "gap"),
    [
        ("demand", "reject", "opposed"),
        ("reject", "offer", "opposed"),
        ("demand", "demand", "opposed"),
        ("condition", "offer", "conditional"),
        ("offer", "accept", "compatible"),
        ("accept", "accept", "compatible"),
        ("demand", "accept", "compatible"),
        ("demand", None, "one side only"),
        (pd.NA, "offer", "one side only"),
    ],
)
def test_gap_category(a, b, gap):
    assert metrics.positions.gap_category(a, b) == gap


def test_positions_side_by_side_uses_latest_stance_and_sorts_opposed_first():
    p = frame(
        "positions",
        [
            {
                "position_id": "pos-2025-06-02-ru-territory",
                "stated_date": "2025-06-02",
                "actor": "RU",
                "topic": "territory",
                "stance_type": "demand",
                "stance": "withdraw",
                "source_ids": "s1",
            },
            {
                "position_id": "pos-2025-06-02-ua-territory",
                "stated_date": "2025-06-02",
                "actor": "UA",
                "topic": "territory",
                "stance_type": "reject",
                "stance": "no",
                "source_ids": "s2",
            },
            {
                "position_id": "pos-2025-06-02-ua-pows",
                "stated_date": "2025-06-02",
                "actor": "UA",
                "topic": "pows",
                "stance_type": "demand",
                "stance": "all for all",
                "source_ids": "s2",
            },
            {
                "position_id": "pos-2025-06-03-ru-pows",
                "stated_date": "2025-06-03",
                "actor": "RU",
                "topic": "pows",
                "stance_type": "reject",
                "stance": "no",
                "source_ids": "s1",
            },
            {
                "position_id": "pos-2025-07-01-ru-pows",
                "stated_date": "2025-07-01",
                "actor": "RU",
                "topic": "pows",
                "stance_type": "accept",
                "stance": "yes",
                "source_ids": "s1",
            },
            {
                "position_id": "pos-2025-09-01-ru-ceasefire",
                "stated_date": "2025-09-01",
                "actor": "RU",
                "topic": "ceasefire",
                "stance_type": "reject",
                "stance": "later",
                "source_ids": "s1",
            },
        ],
    )
    side = metrics.positions.positions_side_by_side(p, T("2025-07-22"))
    assert list(side["topic"]) == ["territory", "pows"]
    assert list(side["gap"]) == ["opposed", "compatible"]
    assert side.set_index("topic").loc["pows", "RU_stance"] == "yes"
    assert metrics.positions.gap_counts(side)["opposed"] == 1
    m = metrics.positions.position_matrix(p).set_index(["actor", "topic"])
    assert bool(m.loc[("RU", "pows"), "moved"]) and not bool(m.loc[("UA", "pows"), "moved"])


EXCHANGES = frame(
    "exchanges",
    [
        {
            "exchange_id": "ex-2025-05-23",
            "exchange_date": "2025-05-23",
            "date_precision": "day",
            "kind": "prisoners",
            "returned_to_ukraine": 390,
            "returned_to_russia": 390,
            "mediator": "UAE",
            "round_id": "2025-05-16-istanbul",
            "ua_running_total": 5000,
            "source_ids": "s1",
        },
        {
            "exchange_id": "ex-2025-05-25",
            "exchange_date": "2025-05-25",
            "date_precision": "day",
            "kind": "prisoners",
            "returned_to_ukraine": 303,
            "returned_to_russia": None,
            "mediator": "UAE; Turkey",
            "round_id": "2025-05-16-istanbul",
            "source_ids": "s1",
        },
        {
            "exchange_id": "bo-2025-06-11",
            "exchange_date": "2025-06-11",
            "date_precision": "day",
            "kind": "bodies",
            "returned_to_ukraine": 1212,
            "returned_to_russia": 27,
            "round_id": "2025-06-02-istanbul",
            "source_ids": "s2",
        },
        {
            "exchange_id": "ex-2024-12-30",
            "exchange_date": "2024-12-30",
            "date_precision": "day",
            "kind": "prisoners",
            "returned_to_ukraine": 189,
            "returned_to_russia": 150,
            "mediator": "UAE",
            "ua_running_total": 3956,
            "source_ids": "s3",
        },
    ],
)


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


CLAIMS = frame(
    "claims",
    [
        {
            "claim_id": "cl-2025-07-01-a",
            "claim_date": "2025-07-01",
            "claimant": "RU",
            "claim_type": "captured",
            "place": "A",
            "oblast": "Sumy",
            "latitude": 51.0,
            "longitude": 34.0,
            "location_precision": "exact",
            "status": "confirmed",
            "source_ids": "s1",
        },
        {
            "claim_id": "cl-2025-07-02-b",
            "claim_date": "2025-07-02",
            "claimant": "RU",
            "claim_type": "captured",
            "place": "B",
            "oblast": "Donetsk",
            "location_precision": "none",
            "status": "denied",
            "source_ids": "s1",
        },
        {
            "claim_id": "cl-2025-07-09-c",
            "claim_date": "2025-07-09",
            "claimant": "RU",
            "claim_type": "captured",
            "place": "C",
            "oblast": "Donetsk",
            "latitude": 48.0,
            "longitude": 37.0,
            "location_precision": "approximate",
            "status": "retaken",
            "source_ids": "s1",
        },
        {
            "claim_id": "cl-2025-07-20-c",
            "claim_date": "2025-07-20",
            "claimant": "UA",
            "claim_type": "liberated",
            "place": "C",
            "oblast": "Donetsk",
            "latitude": 48.0,
            "longitude": 37.0,
            "location_precision": "approximate",
            "status": "claimed",
            "related_claim_id": "cl-2025-07-09-c",
            "source_ids": "s1",
        },
        {
            "claim_id": "cl-2022-09-30-donetsk",
            "claim_date": "2022-09-30",
            "claimant": "RU",
            "claim_type": "annexed",
            "place": "Donetsk oblast",
            "oblast": "Donetsk",
            "location_precision": "none",
            "status": "denied",
            "source_ids": "s1",
        },
    ],
)


def test_claim_status_rates_per_claimant():
    r = metrics.claims.claim_status_rates(CLAIMS)
    ru = r[r["claimant"] == "RU"].set_index("status")
    assert ru["claim_count"].to_dict() == {"confirmed": 1, "denied": 1, "retaken": 1}
    assert ru.loc["confirmed", "share_pct"] == pytest.approx(33.3)
    assert r[r["claimant"] == "UA"].iloc[0]["share_pct"] == 100.0


def test_claims_in_window_and_per_week():
    w = metrics.claims.claims_in_window(CLAIMS, T("2025-07-23"), 2)
    assert list(w["claim_id"]) == ["cl-2025-07-09-c", "cl-2025-07-20-c"]
    assert list(metrics.claims.claims_in_window(CLAIMS, T("2025-07-20"), 1)["claim_id"]) == ["cl-2025-07-20-c"]
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


def test_year_compare_spans():
    y = metrics.exchanges.year_compare(EXCHANGES, T("2025-06-30"))
    p = y[y["kind"] == "prisoners"].set_index("span")
    assert p.loc["2025 to 30 Jun", "event_count"] == 2
    assert p.loc["2024 to 30 Jun", "event_count"] == 0
    assert p.loc["all of 2024", "returned_to_ukraine"] == 189


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


def test_claims_grid_counts_claims_per_cell_and_status():
    located = CLAIMS[CLAIMS["latitude"].notna()]
    g = metrics.claims.claims_grid(located)
    assert g["claim_count"].sum() == len(located)
    assert set(g["latitude"]) == {51.125, 48.125}
    assert (g["latitude"] % metrics.claims.GRID_DEGREES == metrics.claims.GRID_DEGREES / 2).all()
