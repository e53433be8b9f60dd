"""Each reader rule, shown failing on a page built to break it: the checks in this folder can fail."""

from __future__ import annotations

import base64

import pytest

from tests.conftest import FIXTURE_DATA
from tests.reader.reading import (
    cited_source_ids,
    code_findings,
    figure_findings,
    heading_findings,
    read_page,
    stored_codes,
    wording_findings,
)

pytestmark = [pytest.mark.browser]

CSV = base64.b64encode(b"round_id,source_ids\r\n2025-05-16-istanbul,late-source;early-source\r\n").decode()

BAD = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bad page</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<h1>Round brief</h1><h1>Second title</h1><h3>Skipped a level</h3>
<p>Held as us_ua talks in round 2025-05-16-istanbul by UA;RU on 2025-07-23, with 1 rounds and 3 deadline
and exchange(s), figure nan; 22357 claims, 4444 of them confirmed, in 2025.</p>
<table><tr><td>reject</td><td>UA</td><td>n/a</td></tr></table>
<div style="width: 700px">A fixed-width box</div>
<figure><div class="brief-plot" id="plot-1" data-drawn="yes" style="height:100px"><svg class="main-svg" width="300" height="100">
<g class="g-gtitle"><text x="10" y="30">A chart title</text></g><g class="legend"><text x="10" y="34">A legend item</text></g></svg></div>
<figcaption><p class="brief-source">Source: somewhere</p>
<p><a download="x.csv" href="data:text/csv;charset=utf-8;base64,{CSV}">Download (5 rows, CSV)</a></p></figcaption></figure>
<a href="https://example.org/late">A later page</a>
</body></html>"""


@pytest.fixture(scope="module")
def bad_reading(browser, tmp_path_factory):
    path = tmp_path_factory.mktemp("bad") / "round-2025-05-16-istanbul-as-of-2025-05-15.html"
    path.write_text(BAD, encoding="utf-8")
    page = browser.new_page()
    reading = read_page(page, path)
    page.close()
    return reading


def test_code_rule_finds_codes_ids_and_joined_parties(bad_reading):
    found = "\n".join(code_findings(bad_reading, stored_codes(FIXTURE_DATA)))
    for expected in ("'us_ua'", "'2025-05-16-istanbul' (rounds id)", "'UA;RU'", "'reject'", "'UA' (party code", "cell 'n/a'"):
        assert expected in found, expected


def test_wording_rule_finds_iso_dates_bad_plurals_and_machine_text(bad_reading):
    found = "\n".join(wording_findings(bad_reading))
    for expected in ("ISO date '2025-07-23'", "plural after 1 '1 rounds'", "singular after a count '3 deadline'", "'e(s)'", "'nan'"):
        assert expected in found, expected
    assert "no thousands separator '22357'" in found and "no thousands separator '4444'" in found
    assert "'2025'" not in found  # a year is not a count


def test_heading_rule_finds_two_titles_and_a_skipped_level(bad_reading):
    found = heading_findings(bad_reading)
    assert any("2 H1 headings" in f for f in found)
    assert any("H3 'Skipped a level' follows H1" in f for f in found)


def test_figure_rule_finds_a_chart_without_alternative_note_or_true_row_count(bad_reading):
    found = "\n".join(figure_findings(bad_reading.charts[0]))
    assert "no text alternative" in found
    assert "source line without dataset and date" in found
    assert "no note about the data" in found
    assert "holds 1 rows" in found


def test_layout_rule_finds_a_box_wider_than_the_phone(bad_reading):
    assert [o for o in bad_reading.desktop["overflow"] if "legend" not in o] == []
    assert any("div spans" in o for o in bad_reading.phone["overflow"])
    assert bad_reading.phone["scrollWidth"] > 390


def test_eve_rule_sees_links_and_download_sources(bad_reading):
    assert bad_reading.as_of == "2025-05-15"
    assert cited_source_ids(bad_reading, {"https://example.org/late": "linked-source"}) == {"linked-source", "late-source", "early-source"}


def test_layout_rule_finds_a_legend_drawn_over_the_title(bad_reading):
    assert "div#plot-1.brief-plot draws its legend over its title" in bad_reading.desktop["overflow"]
