"""Positions: the gap rule and each side's latest stance per topic."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import metrics
from tests.helpers import frame
from tests.metrics.frames import T


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
