"""Checked records -> typed DataFrames: ISO dates only, whole numbers, numbers; columns in schema order."""

from __future__ import annotations

import re

import pandas as pd

from analysis.dataset.csvread import RawTable
from analysis.dataset.schema import TableSchema

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


INTEGER = re.compile(r"^[+-]?\d+$")


NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def check_types(raw: RawTable, schema: TableSchema) -> None:
    """Check every cell against its column type (strictly: ISO dates, whole numbers)."""
    index = raw.column_index()
    for f in schema.fields:
        if f.name not in index:
            continue
        col = index[f.name]
        for line, row in zip(raw.lines, raw.records):
            value = row[col]
            if value == "":
                continue
            if f.type == "date":
                ok = bool(ISO_DATE.match(value))
                if ok:
                    try:
                        pd.Timestamp(value)
                    except ValueError:
                        ok = False
                if not ok:
                    raw.issue(line, col + 1, f"{f.name} must be an ISO date YYYY-MM-DD", value, "type-error")
            elif f.type == "integer" and not INTEGER.match(value.strip()):
                raw.issue(line, col + 1, f"{f.name} must be a whole number", value, "type-error")
            elif f.type == "number" and not NUMBER.match(value.strip()):
                raw.issue(line, col + 1, f"{f.name} must be a number", value, "type-error")


def to_frame(raw: RawTable, schema: TableSchema) -> pd.DataFrame:
    """Typed DataFrame from checked records, columns in schema order, plus `_line` (file line)."""
    index = raw.column_index()
    cols = {}
    for f in schema.fields:
        values = [row[index[f.name]] for row in raw.records]
        s = pd.Series(values, dtype="string").replace("", pd.NA)
        if f.type == "date":
            s = pd.to_datetime(s, format="%Y-%m-%d")
        elif f.type == "integer":
            s = pd.to_numeric(s).astype("Int64")
        elif f.type == "number":
            s = pd.to_numeric(s).astype("Float64")
        cols[f.name] = s
    df = pd.DataFrame(cols)
    df["_line"] = pd.Series(raw.lines, dtype="int64")
    return df
