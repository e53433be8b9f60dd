"""Pages fit a 390 px phone and a printed A4 page: nothing reaches past the edge (tables that scroll
sideways are fine inside their own box), no chart is wider than the page, no chart text clipped."""

from __future__ import annotations

import pytest

from tests.reader.reading import PHONE, PRINT_WIDTH

# Under pytest-xdist (make test) the tests sharing `readings` run in one worker: the briefs are read once.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("readings")]


@pytest.mark.parametrize("view,width", [("desktop", 1280), ("phone", PHONE), ("paper", PRINT_WIDTH)])
def test_nothing_reaches_past_the_page(readings, view, width):
    found = {}
    for r in readings:
        measured = getattr(r, view)
        problems = list(measured["overflow"])
        if measured["scrollWidth"] > width + 1:
            problems.append(f"page scrolls sideways: {measured['scrollWidth']} px wide")
        if problems:
            found[r.name] = problems
    assert found == {}
