"""Helpers for the `;`-separated id lists and the reported figures that many metrics aggregate."""

from __future__ import annotations

import pandas as pd


def join_ids(s: pd.Series) -> str:
    """The distinct ids in a column of ';'-separated id lists, first-seen order."""
    return ";".join(dict.fromkeys(";".join(s.dropna()).split(";")))


def sum_reported(s: pd.Series):
    """Sum of reported figures; missing (not zero) when none was reported."""
    return s.sum(min_count=1)
