"""axe-core's WCAG 2.1 A/AA rules in Chromium: no serious or critical violation on any brief."""

from __future__ import annotations

import pytest

# Under pytest-xdist (make test) the tests sharing `readings` run in one worker: the briefs are read once.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("readings")]


def test_no_serious_accessibility_violation(readings):
    found = {r.name: [v for v in r.axe if v["impact"] in ("serious", "critical")] for r in readings}
    assert {k: v for k, v in found.items() if v} == {}
