"""The consistency report: the UAE's published totals against the UAE's own figures in our rows,
and the report as a whole on the fixture data."""

from __future__ import annotations

import pandas as pd

from analysis.curate.consistency import consistency_report, uae_reconciliation
from tests.conftest import FIXTURE_DATA
from tests.helpers import frame


def _swap(xid: str, day: str, number: int | None, ua: int | None, ru: int | None, mediator: str = "AE") -> dict:
    return {
        "exchange_id": xid,
        "exchange_date": day,
        "date_precision": "day",
        "kind": "prisoners",
        "returned_to_ukraine": ua,
        "returned_to_russia": ru,
        "mediator": mediator,
        "mediation_number": number,
        "mediator_returned_to_ukraine": ua,
        "mediator_returned_to_russia": ru,
        "source_ids": "s1",
    }


def _total(tid: str, day: str, mediations: int, people: int) -> dict:
    return {
        "total_id": tid,
        "as_of_date": day,
        "reporter": "the UAE foreign ministry",
        "reporter_party": "AE",
        "exchange_count": mediations,
        "people_returned_count": people,
        "source_ids": "s1",
    }


def test_each_uae_total_is_set_against_the_mediations_it_spans():
    exchanges = frame(
        "exchanges",
        [
            _swap("ex-2025-01-05", "2025-01-05", 10, 100, 100),
            _swap("ex-2025-02-05", "2025-02-05", 11, 50, 50),
            _swap("ex-2025-02-20", "2025-02-20", None, 25, 25),  # UAE-mediated, number not published
            _swap("ex-2025-03-05", "2025-03-05", 12, None, None),  # numbered, no mediator figure
            _swap("ex-2025-03-06", "2025-03-06", None, 7, 7, mediator="TR"),  # another mediator: not counted
        ],
    )
    totals = frame("running_totals", [_total("tot-a", "2025-01-06", 10, 2000), _total("tot-b", "2025-03-10", 12, 2230)])
    r = uae_reconciliation(exchanges, totals).set_index("total_id")
    assert r.loc["tot-a", "mediations"] == "1–10" and pd.isna(r.loc["tot-a", "increase"])
    b = r.loc["tot-b"]
    # 2,230 - 2,000 = 230 people over mediations 11-12; our rows hold 100 for no. 11, nothing for no. 12.
    assert (b["mediations"], b["increase"], b["numbered_rows"], b["our_mediator_sum"], b["gap"]) == ("11–12", 230, 2, 100, 130)
    assert b["rows_without_mediator_figures"] == "ex-2025-03-05"
    assert b["unnumbered_uae_rows"] == "ex-2025-02-20 (25+25)"  # what usually explains a gap


def test_the_report_on_the_fixture_has_every_section_with_tables():
    text = consistency_report(FIXTURE_DATA)
    for heading in ("## Rows and dates per table", "## Sources per tier", "## Exchanges against published running totals"):
        assert heading in text
    rows = text.split("## Rows and dates per table", 1)[1].split("##", 1)[0]
    # one table row per table of the dataset, under a markdown header
    assert rows.count("\n|") >= 10 and "| sources" in rows.replace("|  ", "| ")
