"""Every chart carries its text alternative, source line (outlets, dataset, "as of"), an "about this
data" note and its plotted rows as CSV; the download says how many rows it holds."""

from __future__ import annotations

import pytest

from tests.reader.reading import figure_findings

# Under pytest-xdist (make test) the tests sharing `readings` run in one worker: the briefs are read once.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("readings")]


def test_every_chart_has_text_alternative_source_note_and_csv(readings):
    charts = sum(len(r.charts) for r in readings)
    assert charts >= len(readings)
    found = {r.name: [f for c in r.charts for f in figure_findings(c)] for r in readings}
    assert {k: v for k, v in found.items() if v} == {}


def test_text_alternative_gives_numbers(readings):
    # What it shows and its key numbers: an alternative without a single figure says too little.
    bare = {(r.name, c["id"]): c["label"] for r in readings for c in r.charts if not any(ch.isdigit() for ch in c["label"])}
    assert bare == {}
