"""Tiny inline datasets for unit tests (typed like load.load_table output)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from analysis.dataset.schema import TABLES, table_schema
from analysis.dataset.tables import Dataset, DatasetInfo


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """A typed frame for `table` with the given rows; unspecified columns are missing."""
    schema = table_schema(table)
    cols = {}
    for f in schema.fields:
        values = [r.get(f.name) for r in rows]
        s = pd.Series(values, dtype="string" if f.type == "string" else object)
        if f.type == "date":
            s = pd.to_datetime(pd.Series(values, dtype="string"), format="%Y-%m-%d")
        elif f.type == "integer":
            s = pd.Series(values, dtype="Int64")
        elif f.type == "number":
            s = pd.Series(values, dtype="Float64")
        cols[f.name] = s
    return pd.DataFrame(cols)


def dataset(date: str = "2025-12-31", **tables: list[dict]) -> Dataset:
    """A Dataset with the given tables (others empty) and a dataset date."""
    frames = {t: frame(t, tables.get(t, [])) for t in TABLES}
    return Dataset(DatasetInfo("test", "0.0.0", pd.Timestamp(date), "CC-BY-4.0"), frames)


def source(sid: str, published: str) -> dict:
    return {
        "source_id": sid,
        "url": f"https://example.org/{sid}",
        "outlet": "Outlet " + sid,
        "published_date": published,
        "title": sid,
        "tier": "wire",
        "language": "en",
    }


def edit_csv(data: Path, table: str, column: str, change, row_filter=lambda r: True) -> None:
    """Change one cell (the first row passing `row_filter`), keeping the file's other bytes as written by csv."""
    path = data / f"{table}.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    target = next(r for r in rows if row_filter(r))
    target[column] = change(target[column])
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
