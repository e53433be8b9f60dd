"""Reader labels of stored codes, read from the schemas (`data/schemas`): the one place a code gets
its words. Briefs, tables, charts, the codebook and the index all ask here, so `us_ua` is "US–Ukraine
talks" everywhere and no code reaches a reader.
"""

from __future__ import annotations

import pandas as pd

from analysis.dataset.schema import party_label, table_schema


def label(table: str, column: str, value: object, *, article: bool = False) -> str:
    """The reader label of `value` in `table.column` (empty for a missing value)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value == "":
        return ""
    return table_schema(table).field(column).label(str(value), article=article)


def definition(table: str, column: str, value: str) -> str:
    """The one-line definition of `value` in `table.column`."""
    return table_schema(table).field(column).definition(value)


def party(code: object, *, article: bool = False) -> str:
    """'Ukraine', 'Russia', 'United States' (with `article`: 'the United States')."""
    if code is None or code is pd.NA or (isinstance(code, float) and pd.isna(code)) or code == "":
        return ""
    return party_label(str(code), article=article)


def parties(codes: object, *, article: bool = False) -> str:
    """A `;`-separated list of party codes as words: 'France, Germany, the United Kingdom and Ukraine'."""
    from analysis.present.words import join

    if codes is None or codes is pd.NA or (isinstance(codes, float) and pd.isna(codes)):
        return ""
    return join(party(c, article=article) for c in str(codes).split(";") if c)


def column(frame: pd.DataFrame, table: str, name: str) -> pd.Series:
    """A column of codes turned into reader labels (for tables and downloads' reader columns)."""
    return frame[name].map(lambda v: label(table, name, v))


def round_format(value: object) -> str:
    """'Russia–Ukraine talks', 'US–Ukraine talks', ..."""
    return label("rounds", "format", value)


def series(value: object) -> str:
    """'Istanbul talks (2025)', ..."""
    return label("rounds", "series", value)


def topic(value: object) -> str:
    """'NATO and neutrality', 'prisoners of war', ..."""
    return label("positions", "topic", value)


def stance(value: object) -> str:
    """'demands', 'offers', 'accepts', 'rejects', 'sets a condition'."""
    return label("positions", "stance_type", value)
