"""Lead paragraphs: each number in them comes from the data, sums over rows without a figure are
lower bounds, and an eve brief speaks in the present tense."""

from __future__ import annotations

import re

import pandas as pd

from analysis import dataset, metrics, present
from analysis.metrics.asof import Period
from tests.conftest import FIXTURE_DATA
from tests.helpers import frame


def _round_lead(rid: str, as_of: str) -> str:
    # The same steps as notebooks/10-round-brief.py, on the fixture slice of the real data.
    full = dataset.load_dataset(FIXTURE_DATA)
    cut = metrics.asof.resolve_as_of(full, as_of)
    ds = metrics.asof.known_as_of(full, cut)
    rounds = metrics.rounds.rounds_with(ds, full, rid)
    ctx = metrics.rounds.round_context(rounds, rid, cut)
    start = ctx.round["start_date"]
    running = metrics.deadlines.deadlines_running(ds.deadlines, start)
    side = metrics.positions.positions_side_by_side(ds.positions, start, before=True)
    earlier = metrics.exchanges.exchanges_by_round(ds.exchanges, rounds)
    earlier = earlier[(earlier["series"] == ctx.round["series"]) & (earlier["start_date"] < start)]
    return re.sub(r"<[^>]+>", "", str(present.prose.rounds.round_lead(ctx, running, side, earlier, cut)))


def test_the_round_lead_tells_what_the_seed_article_tells():
    lead = _round_lead("2025-07-23-istanbul", "")
    assert "met on 23 July 2025 in Istanbul for the 3rd round of the Istanbul talks (2025), 51 days after the previous round on 2 June 2025." in lead
    # The 50-day US ultimatum of 14 July, with its threat.
    assert "set by the United States for Russia on 14 July 2025, had 41 of its 50 days left (due 2 September 2025)." in lead
    assert "The threat if it was missed: Secondary tariffs" in lead
    # On the eve the deadline is still running.
    assert "The threat if it is missed: Secondary tariffs" in _round_lead("2025-07-23-istanbul", "2025-07-22")
    # Earlier rounds' returns are lower bounds where exchanges lack Ukraine's figure.
    assert re.search(r"led to the return of at least [\d,]+ people .* \(\d+ exchanges? without a published figure\)\.", lead)


def test_the_eve_lead_speaks_of_tomorrow_in_the_present_tense():
    lead = _round_lead("2025-07-23-istanbul", "2025-07-22")
    assert "meet tomorrow, 23 July 2025, in Istanbul" in lead
    assert "has 41 of its 50 days left" in lead and "had 41" not in lead
    assert "their latest positions are opposed" in lead


def test_the_exchanges_lead_gives_each_sides_figure_and_counts_the_missing_ones():
    rows = frame(
        "exchanges",
        [
            {
                "exchange_id": "ex-a",
                "exchange_date": "2025-05-23",
                "date_precision": "day",
                "kind": "prisoners",
                "returned_to_ukraine": 390,
                "returned_to_russia": 390,
                "source_ids": "s1",
            },
            {
                "exchange_id": "ex-b",
                "exchange_date": "2025-05-25",
                "date_precision": "day",
                "kind": "prisoners",
                "returned_to_ukraine": 303,
                "source_ids": "s1",
            },
            {
                "exchange_id": "bo-c",
                "exchange_date": "2025-06-11",
                "date_precision": "day",
                "kind": "bodies",
                "returned_to_ukraine": 1212,
                "returned_to_russia": 27,
                "source_ids": "s1",
            },
        ],
    )
    period = Period(pd.Timestamp("2025-05-01"), pd.Timestamp("2025-06-30"))
    text = re.sub(r"<[^>]+>", "", str(present.prose.exchanges.exchanges_lead(rows, period)))
    assert "From 23 May 2025 to 11 June 2025 the data records 2 exchanges of prisoners or civilians" in text
    assert "Ukraine said it received 693 people and Russia at least 390 people (1 exchange without its figure)." in text
    assert "1 repatriation of bodies returned 1,212 bodies to Ukraine." in text


def test_an_empty_period_says_nothing_is_recorded():
    period = Period(pd.Timestamp("2025-05-01"), pd.Timestamp("2025-06-30"))
    text = str(present.prose.exchanges.exchanges_lead(frame("exchanges", []), period))
    assert "No exchange or repatriation is recorded up to 30 June 2025." in text


def test_the_positions_lead_adds_up():
    full = dataset.load_dataset(FIXTURE_DATA)
    cut = full.info.dataset_date
    side = metrics.positions.positions_side_by_side(full.positions, cut)
    ledger = metrics.deadlines.deadline_ledger(full.deadlines, cut)
    text = re.sub(r"<[^>]+>", "", str(present.prose.positions.positions_lead(full.positions, side, ledger, cut)))
    both = re.search(r"Of the (\d+) topics on which both Ukraine and Russia have stated a position", text)
    parts = [int(n) for n in re.findall(r"(?:opposed on|differ on|compatible on) (\d+)", text)]
    assert both and sum(parts) == int(both.group(1)), text
    total = re.search(r"Of (\d+) deadlines?, (.*?), as of", text)
    assert total and sum(int(n) for n in re.findall(r"(\d+) (?:passed|was|were|are|is)", total.group(2))) == int(total.group(1)) == len(ledger), text
