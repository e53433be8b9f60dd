"""Words a reader meets: no stored codes, ids or column names; dates and plurals in reader form;
one specific title per brief (../../shared EDITORIAL rules, see docs/reader-rules.md)."""

from __future__ import annotations

import pytest

from tests.reader.reading import code_findings, heading_findings, stored_codes, wording_findings

# Under pytest-xdist (make test) the tests sharing `readings` run in one worker: the briefs are read once.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("readings")]


def test_no_stored_code_id_or_column_name_on_any_page(readings, reader_site):
    codes = stored_codes(reader_site[1])
    assert len(codes.tokens) > 100 and "UA" in codes.cells  # the rule knows the data's codes and ids
    found = {r.name: code_findings(r, codes) for r in readings}
    assert {k: v for k, v in found.items() if v} == {}


def test_dates_plurals_and_missing_values_read_as_words(readings):
    found = {r.name: wording_findings(r) for r in readings}
    assert {k: v for k, v in found.items() if v} == {}


def test_one_specific_title_and_headings_in_order(readings):
    found = {r.name: heading_findings(r) for r in readings}
    assert {k: v for k, v in found.items() if v} == {}
    titles = [next(h["text"] for h in r.heads if h["level"] == 1) for r in readings]
    assert len(set(titles)) == len(titles), sorted(titles)  # an eve brief is titled apart from its round
    for r, title in zip(readings, titles):
        assert title.casefold() in r.title.casefold(), (r.name, r.title)  # the browser tab names the brief too
