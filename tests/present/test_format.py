"""Reader formats: ordinals."""

from __future__ import annotations

import pytest

from analysis import present


@pytest.mark.parametrize(
    ("n", "expected"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (21, "21st"), (113, "113th")]
)
def test_ordinal(n, expected):
    assert present.format.ordinal(n) == expected
