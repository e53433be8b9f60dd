"""An eve brief ("as of" the day before a round) cites only what was published by its date: every
source linked on the page or named in a download was published on or before that day."""

from __future__ import annotations

import csv
import json

import pytest

from tests.reader.reading import cited_source_ids

# Under pytest-xdist (make test) the tests sharing `readings` run in one worker: the briefs are read once.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("readings")]


def test_eve_briefs_cite_nothing_published_later(readings, reader_site):
    with (reader_site[1] / "sources.csv").open(encoding="utf-8", newline="") as fh:
        sources = list(csv.DictReader(fh))
    urls = {s["url"]: s["source_id"] for s in sources} | {s["read_url"]: s["source_id"] for s in sources if s["read_url"]}
    # A page without a visible date counts as published on the dataset date (as the briefs count it).
    dataset_date = json.loads((reader_site[1] / "datapackage.json").read_text(encoding="utf-8"))["dataset_date"]
    published = {s["source_id"]: s["published_date"] or dataset_date for s in sources}
    eves = [r for r in readings if r.as_of]
    assert eves, "no eve brief was built"
    found = {}
    for r in eves:
        cited = cited_source_ids(r, urls)
        assert cited, r.name  # an eve brief cites its announcement at least
        later = sorted(f"{s} ({published.get(s, 'not in sources')})" for s in cited if published.get(s, "9999") > r.as_of)
        if later:
            found[r.name] = later
    assert found == {}


def test_eve_briefs_link_no_round_that_came_after_them(readings):
    found = {}
    for r in (r for r in readings if r.as_of):
        own = r.name.split("-as-of-")[0]
        later = [
            link["href"]
            for link in r.links
            if link["href"].startswith("round-") and not link["href"].startswith(own) and link["href"][len("round-") : len("round-") + 10] > r.as_of
        ]
        if later:
            found[r.name] = later
    assert found == {}
