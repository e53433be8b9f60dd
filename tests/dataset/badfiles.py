"""Shared test data and helpers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from analysis import build
from analysis.cli import main
from analysis.dataset import tables as dataset_tables
from analysis.dataset.validate import validate_tables

DATASET_DATE = "2026-04-24"


def path_of(data: Path, table: str) -> Path:
    return data / f"{table}.csv"


def label(data: Path, table: str) -> str:
    return str(path_of(data, table).resolve())


def read_rows(data: Path, table: str) -> list[list[str]]:
    with path_of(data, table).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def to_csv(rows: list[list[str]], newline: str = "\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    return buf.getvalue()


def write_rows(data: Path, table: str, rows: list[list[str]]) -> None:
    path_of(data, table).write_text(to_csv(rows), encoding="utf-8", newline="")


def set_cell(data: Path, table: str, line: int, column: str, value: str) -> int:
    """Set one cell (file line `line`, every record is one line in the fixture); return its 1-based column."""
    rows = read_rows(data, table)
    col = rows[0].index(column)
    rows[line - 1][col] = value
    write_rows(data, table, rows)
    return col + 1


def raw_lines(data: Path, table: str) -> list[str]:
    return path_of(data, table).read_text(encoding="utf-8").split("\n")


def write_lines(data: Path, table: str, lines: list[str]) -> None:
    path_of(data, table).write_text("\n".join(lines), encoding="utf-8", newline="")


def shown(value: str) -> str:
    """A value as Issue.format shows it (cut at 60 characters)."""
    return value if len(value) <= 60 else value[:57] + "..."


def errors_of(data: Path) -> list[str]:
    report = validate_tables(data)
    return [i.format() for i in report.errors]


def cli(data: Path, capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["validate", "--data", str(data), *extra])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def build_fails(data: Path, tmp_path: Path, code: int = 65) -> None:
    """A build on `data` raises BuildError(code) and leaves a previously published brief untouched."""
    out = tmp_path / "reports"
    out.mkdir()
    (out / "exchanges.html").write_bytes(b"<html>previously published</html>")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    logs: list[str] = []
    with pytest.raises(build.BuildError) as exc:
        build.run(build.Options(data_dir=data, out_dir=out, log=logs.append, jobs=1))
    assert exc.value.code == code, str(exc.value)
    assert "nothing was built" in str(exc.value)
    for name, data_bytes in before.items():
        assert (out / name).read_bytes() == data_bytes
    assert sorted(p.name for p in out.glob("*.html")) == ["exchanges.html"]
    assert not list(out.glob(".staging-*")) and not list(out.glob("*.tmp"))
    assert any(line.startswith("ERROR ") for line in logs)


def frame(data: Path, table: str) -> pd.DataFrame:
    return dataset_tables.load_table(table, data)


def _note_with_newline(data: Path) -> None:
    """Give running_totals line 3 a two-line quoted note (a clean LF file)."""
    rows = read_rows(data, "running_totals")
    rows[2][rows[0].index("notes")] = "first line\nsecond line"
    write_rows(data, "running_totals", rows)


FORMULAS = ['=HYPERLINK("https://evil.example/","click")', "@SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3", "\t=1+1", "\r=1+1"]


def claim_line(data: Path, located: bool) -> int:
    """File line of the first settlement claim with (or without) a point."""
    rows = read_rows(data, "claims")
    lat, kind = rows[0].index("latitude"), rows[0].index("claim_type")
    return next(i + 1 for i, r in enumerate(rows[1:], start=1) if r[kind] != "annexed" and bool(r[lat]) == located)
