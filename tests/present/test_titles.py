"""Round titles are built from the data and read as names: who met, where and when."""

from __future__ import annotations

import csv

from analysis.present import links
from tests.conftest import ROOT


def _title(**row) -> str:
    return links.round_title(row)


def test_a_round_title_says_who_met_where_and_when():
    assert _title(format="direct", city="Istanbul", series="istanbul-2025", start_date="2025-07-23") == "Istanbul talks, 23 July 2025"
    assert _title(format="us_ua", city="Geneva", series="us-ua-peace-plan", start_date="2026-02-26") == "US–Ukraine talks in Geneva, 26 February 2026"
    assert (
        _title(format="direct", city=None, series="belarus-istanbul-2022", start_date="2022-03-14")
        == "Russia–Ukraine talks by video link, 14 March 2022"
    )
    eve = links.round_title({"format": "direct", "city": "Istanbul", "series": "istanbul-2025", "start_date": "2025-07-23"}, eve=True)
    assert eve == "Istanbul talks, 23 July 2025 (as known on the eve)"


def test_talks_of_no_standard_format_go_by_their_own_name():
    assert _title(format="other", city="Istanbul", series="grain-2022", start_date="2022-07-13") == "Black Sea grain talks in Istanbul, 13 July 2022"
    # The city is not repeated when the talks' name holds it.
    assert (
        _title(format="other", city="Antalya", series="antalya-2022", start_date="2022-03-10") == "Antalya foreign ministers' meeting, 10 March 2022"
    )


def test_no_round_in_the_data_is_called_other_talks():
    with (ROOT / "data" / "rounds.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert any(r["format"] == "other" for r in rows)
    for r in rows:
        row = {k: (v or None) for k, v in r.items()}
        assert not links.round_title(row).lower().startswith("other talks"), r["round_id"]
