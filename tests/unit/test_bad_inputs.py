"""Bad data inputs (BAD-INPUTS rows 1-16): each fault written into a copy of the fixture data for real,
then validated (report, CLI exit code and JSON report) or built, with the exact message asserted.

Messages have the form `ERROR <file>:<line>:<column>: <what>, got '<value>' [<kind>]` (Issue.format).
Rows 12, 13 and 15 are also covered end to end (build + Chromium) in tests/integration/test_hostile.py.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import markupsafe
import pandas as pd
import pytest

from analysis import build
from analysis.cli import main
from analysis.dataset import csvread
from analysis.dataset import tables as dataset_tables
from analysis.dataset.validate import MAX_LISTED, validate_tables
from analysis.present.charts.base import neutralize_csv

DATASET_DATE = "2026-04-24"


# --- helpers ------------------------------------------------------------------------------------


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


# --- row 1: extra / missing field -------------------------------------------------------------


def test_row01_extra_field_from_an_unquoted_comma(data_copy, capsys, tmp_path):
    lines = raw_lines(data_copy, "running_totals")
    # line 4 ends "...,<notes>,<source_ids>": add an unquoted comma inside a new trailing cell
    lines[3] = lines[3] + ",oops"
    write_lines(data_copy, "running_totals", lines)
    f = label(data_copy, "running_totals")
    assert errors_of(data_copy) == [f"ERROR {f}:4:9: 9 fields where the header has 8 (an unquoted comma?), got 'oops' [extra-cell]"]
    code, _, err = cli(data_copy, capsys)
    assert code == 65
    assert f"ERROR {f}:4:9: 9 fields where the header has 8" in err
    build_fails(data_copy, tmp_path)


def test_row01_unquoted_comma_in_text_on_the_first_data_row(data_copy, capsys, tmp_path):
    rows = read_rows(data_copy, "running_totals")
    rows[1][2] = "UAE MFA"
    rows[1][6] = "eleventh mediation"
    lines = raw_lines(data_copy, "running_totals")
    lines[1] = ",".join(rows[1]).replace("eleventh mediation", "eleventh, mediation")
    write_lines(data_copy, "running_totals", lines)
    f = label(data_copy, "running_totals")
    assert errors_of(data_copy) == [f"ERROR {f}:2:9: 9 fields where the header has 8 (an unquoted comma?), got '{rows[1][7]}' [extra-cell]"]
    assert cli(data_copy, capsys)[0] == 65
    build_fails(data_copy, tmp_path)


def test_row01_missing_field_on_the_first_data_row(data_copy, capsys, tmp_path):
    rows = read_rows(data_copy, "running_totals")
    del rows[1][6]  # the notes cell is dropped: 7 fields
    write_rows(data_copy, "running_totals", rows)
    f = label(data_copy, "running_totals")
    assert errors_of(data_copy) == [f"ERROR {f}:2:8: 7 fields where the header has 8, got '{rows[1][-1]}' [missing-cell]"]
    assert cli(data_copy, capsys)[0] == 65
    build_fails(data_copy, tmp_path)


# --- row 2: unterminated quote ----------------------------------------------------------------


def test_row02_unterminated_quote_swallowing_the_rest_of_the_file(data_copy, capsys):
    rows = read_rows(data_copy, "running_totals")
    lines = raw_lines(data_copy, "running_totals")
    for i in range(6, len(rows)):  # later rows without any quote, so nothing closes it
        lines[i] = ",".join(c.replace(",", ";").replace('"', "") for c in rows[i])
    head = ",".join(rows[5][:6]) + ","
    lines[5] = head + '"never closed,src'
    write_lines(data_copy, "running_totals", lines)
    f = label(data_copy, "running_totals")
    assert errors_of(data_copy) == [
        f"ERROR {f}:6:{len(head) + 1}: a quote opened here is never closed; it would swallow the rest of the file, "
        f"got '\"never closed,src' [unterminated-quote]"
    ]
    report = validate_tables(data_copy)
    assert report.row_counts["running_totals"] == 0  # nothing loaded from a broken file, not a silently shorter table
    code, _, err = cli(data_copy, capsys)
    assert code == 65 and f"{f}:6:{len(head) + 1}: a quote opened here is never closed" in err


def test_row02_unterminated_quote_closed_by_a_later_stray_quote_cannot_shrink_the_table(data_copy, capsys):
    """A stray quote opens in line 4's notes and a stray quote at the end of line 8's notes 'closes' it:
    the CSV parses, with the same width, but lines 5-7 would vanish into one note."""
    rows = read_rows(data_copy, "running_totals")
    lines = raw_lines(data_copy, "running_totals")
    plain = lambda r, notes: ",".join(r[:6]) + "," + notes + "," + r[7]  # noqa: E731
    for i in (3, 4, 5, 6, 7):
        rows[i][6] = rows[i][6].replace(",", ";").replace('"', "")
        lines[i] = plain(rows[i], rows[i][6])
    lines[3] = plain(rows[3], '"' + rows[3][6])
    lines[7] = plain(rows[7], rows[7][6] + '"')
    write_lines(data_copy, "running_totals", lines)
    f = label(data_copy, "running_totals")
    errs = errors_of(data_copy)
    assert len(errs) == 1, errs
    assert errs[0].startswith(f"ERROR {f}:4:7: a quote opened here swallows 3 following row(s); close the quote, got '{rows[3][6][:20]}")
    assert errs[0].endswith("[unterminated-quote]")
    assert cli(data_copy, capsys)[0] == 65
    with pytest.raises(csvread.DataError):
        frame(data_copy, "running_totals")


def test_row02_stray_quote_followed_by_text_is_reported_where_it_opened(data_copy):
    rows = read_rows(data_copy, "running_totals")
    lines = raw_lines(data_copy, "running_totals")
    for i in (3, 4):
        lines[i] = ",".join(c.replace(",", ";").replace('"', "") for c in rows[i])
    head = ",".join(rows[2][:6]) + ","
    lines[2] = head + '"As of February,' + rows[2][7]
    lines[4] = ",".join(rows[4][:6]) + ',said "hi" there,' + rows[4][7]  # unquoted cell: its quote closes line 3's
    write_lines(data_copy, "running_totals", lines)
    f = label(data_copy, "running_totals")
    col = len(",".join(rows[4][:6])) + 7
    assert errors_of(data_copy) == [
        f"ERROR {f}:3:{len(head) + 1}: a quote opened here is closed at line 5, column {col} by a quote "
        f"followed by text (a stray quote, or a quote inside a quoted cell that is not doubled), "
        f"got '{shown(chr(34) + 'As of February,' + rows[2][7])[:60]}' [bad-quote]"
    ]


# --- row 3: wrong types -------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["three", "3.5"])
def test_row03_wrong_type_for_a_count(data_copy, capsys, value):
    col = set_cell(data_copy, "exchanges", 4, "returned_to_ukraine", value)
    f = label(data_copy, "exchanges")
    assert errors_of(data_copy) == [f"ERROR {f}:4:{col}: returned_to_ukraine must be a whole number, got '{value}' [type-error]"]
    assert cli(data_copy, capsys)[0] == 65


@pytest.mark.parametrize("value", ["2023-13-45", "03/04/2021", "2025-02-30", "2025-5-6"])
def test_row03_wrong_type_for_a_date_no_guessing(data_copy, capsys, value):
    col = set_cell(data_copy, "exchanges", 3, "exchange_date", value)
    f = label(data_copy, "exchanges")
    assert errors_of(data_copy) == [f"ERROR {f}:3:{col}: exchange_date must be an ISO date YYYY-MM-DD, got '{value}' [type-error]"]
    code, _, err = cli(data_copy, capsys)
    assert code == 65 and f"{f}:3:{col}: exchange_date must be an ISO date" in err
    with pytest.raises(csvread.DataError) as exc:
        frame(data_copy, "exchanges")
    assert exc.value.issues[0].line == 3 and exc.value.issues[0].column == col


# --- row 4: constraints -----------------------------------------------------------------------


def test_row04_event_after_the_dataset_date(data_copy, capsys, tmp_path):
    col = set_cell(data_copy, "exchanges", 5, "exchange_date", "2026-05-01")
    f = label(data_copy, "exchanges")
    assert errors_of(data_copy) == [f"ERROR {f}:5:{col}: exchange_date is after the dataset date {DATASET_DATE}, got '2026-05-01' [future-date]"]
    assert cli(data_copy, capsys)[0] == 65
    build_fails(data_copy, tmp_path)


def test_row04_as_of_earlier_than_the_data(data_copy):
    report = validate_tables(data_copy, as_of=pd.Timestamp("2025-05-10"))
    assert not report.ok
    assert all(i.kind == "future-date" for i in report.errors)
    assert any(i.file.endswith("exchanges.csv") and i.value == "2025-05-16" for i in report.errors)


@pytest.mark.parametrize(("value", "note"), [("-5", 'constraint "minimum" is "0"'), ("999999", 'constraint "maximum" is "20000"')])
def test_row04_negative_or_absurd_count(data_copy, capsys, value, note):
    col = set_cell(data_copy, "exchanges", 6, "returned_to_russia", value)
    f = label(data_copy, "exchanges")
    errs = errors_of(data_copy)
    assert len(errs) == 1, errs
    assert errs[0].startswith(f"ERROR {f}:6:{col}: returned_to_russia: ")
    assert note in errs[0] and errs[0].endswith(f", got '{value}' [constraint-error]")
    assert cli(data_copy, capsys)[0] == 65


# --- row 5: duplicate keys ----------------------------------------------------------------------


def test_row05_duplicate_primary_key(data_copy, capsys):
    rows = read_rows(data_copy, "exchanges")
    key = rows[2][0]
    set_cell(data_copy, "exchanges", 7, "exchange_id", key)
    f = label(data_copy, "exchanges")
    assert errors_of(data_copy) == [f"ERROR {f}:7:1: duplicate primary key: same as line 3 (ignoring case and spaces), got '{key}' [primary-key]"]
    assert cli(data_copy, capsys)[0] == 65


def test_row05_duplicate_key_differing_only_by_case_and_whitespace(data_copy, capsys):
    """control's key is (as_of_date, tracker, area): free text, where case and spaces slip in."""
    rows = read_rows(data_copy, "control")
    a = rows[3]
    rows[9][:3] = [a[0], "  " + a[1].upper() + " ", a[2].lower().replace(" ", "  ")]
    write_rows(data_copy, "control", rows)
    f = label(data_copy, "control")
    errs = errors_of(data_copy)
    assert len(errs) == 1, errs
    assert errs[0].startswith(f"ERROR {f}:10:1: duplicate primary key: same as line 4 (ignoring case and spaces), got '{a[0]},  {a[1].upper()} ,")
    assert cli(data_copy, capsys)[0] == 65


def test_row05_empty_primary_key(data_copy):
    set_cell(data_copy, "running_totals", 3, "total_id", "")
    f = label(data_copy, "running_totals")
    errs = errors_of(data_copy)
    assert f"ERROR {f}:3:1: empty primary key (total_id), got '' [primary-key]" in errs


# --- row 6: foreign keys ----------------------------------------------------------------------


def test_row06_unknown_round_id(data_copy, capsys):
    col = set_cell(data_copy, "exchanges", 4, "round_id", "2025-01-01-nowhere")
    f = label(data_copy, "exchanges")
    assert errors_of(data_copy) == [f"ERROR {f}:4:{col}: round_id refers to an unknown rounds.round_id, got '2025-01-01-nowhere' [foreign-key]"]
    assert cli(data_copy, capsys)[0] == 65


def test_row06_unknown_source_id_in_a_list(data_copy, capsys):
    rows = read_rows(data_copy, "positions")
    col = rows[0].index("source_ids")
    ids = rows[5][col] + ";no-such-source"
    set_cell(data_copy, "positions", 6, "source_ids", ids)
    f = label(data_copy, "positions")
    assert errors_of(data_copy) == [f"ERROR {f}:6:{col + 1}: source_ids refers to an unknown sources.source_id, got 'no-such-source' [foreign-key]"]
    assert cli(data_copy, capsys)[0] == 65


def test_row06_empty_required_foreign_key(data_copy, capsys):
    col = set_cell(data_copy, "exchanges", 8, "source_ids", "")
    f = label(data_copy, "exchanges")
    errs = errors_of(data_copy)
    assert f"ERROR {f}:8:{col}: source_ids is empty: every row needs a value, got '' [foreign-key]" in errs
    assert all(f"{f}:8:{col}:" in e for e in errs)
    assert cli(data_copy, capsys)[0] == 65


def test_row06_removed_target_row_leaves_dangling_references(data_copy):
    rows = read_rows(data_copy, "rounds")
    gone = rows[1][0]
    write_rows(data_copy, "rounds", [rows[0], *rows[2:]])
    errs = errors_of(data_copy)
    assert errs and all(f"refers to an unknown rounds.round_id, got '{gone}' [foreign-key]" in e for e in errs)


# --- row 7: header faults -----------------------------------------------------------------------


def test_row07_header_missing(data_copy, capsys):
    rows = read_rows(data_copy, "running_totals")
    write_rows(data_copy, "running_totals", rows[1:])
    f = label(data_copy, "running_totals")
    errs = errors_of(data_copy)
    assert len(errs) == 1
    assert errs[0].startswith(f"ERROR {f}:1:1: first row is not a header (expected columns total_id, as_of_date, reporter,")
    assert errs[0].endswith("[header-missing]")
    assert cli(data_copy, capsys)[0] == 65


def test_row07_header_renamed_with_did_you_mean(data_copy, capsys):
    rows = read_rows(data_copy, "exchanges")
    rows[0][1] = "exchange_dat"
    write_rows(data_copy, "exchanges", rows)
    f = label(data_copy, "exchanges")
    header = ",".join(rows[0])
    assert errors_of(data_copy) == [
        f"ERROR {f}:1:2: unknown column; did you mean 'exchange_date'?, got 'exchange_dat' [header-unknown]",
        f"ERROR {f}:1:1: missing column 'exchange_date', got '{shown(header[:60])}' [header-missing-column]",
    ]
    assert cli(data_copy, capsys)[0] == 65


def test_row07_header_duplicate_column(data_copy):
    rows = read_rows(data_copy, "running_totals")
    rows[0][6] = "reporter"
    write_rows(data_copy, "running_totals", rows)
    f = label(data_copy, "running_totals")
    errs = errors_of(data_copy)
    assert f"ERROR {f}:1:7: duplicate column name (also column 3), got 'reporter' [header-duplicate]" in errs
    assert any("missing column 'notes'" in e for e in errs)


def test_row07_header_blank_column(data_copy, capsys):
    rows = read_rows(data_copy, "running_totals")
    for r in rows:
        r.append("")
    write_rows(data_copy, "running_totals", rows)
    f = label(data_copy, "running_totals")
    assert errors_of(data_copy) == [f"ERROR {f}:1:9: blank column name, got '' [header-blank]"]
    assert cli(data_copy, capsys)[0] == 65


def test_row07_reordered_columns_are_fine(data_copy, capsys):
    clean = frame(data_copy, "exchanges")
    rows = read_rows(data_copy, "exchanges")
    order = list(reversed(range(len(rows[0]))))
    write_rows(data_copy, "exchanges", [[r[i] for i in order] for r in rows])
    assert validate_tables(data_copy).ok
    assert cli(data_copy, capsys)[0] == 0
    shuffled = frame(data_copy, "exchanges")
    assert list(shuffled.columns) == list(clean.columns)  # schema order, whatever the file order
    pd.testing.assert_frame_equal(shuffled, clean)


# --- row 8: empty files and blank lines ---------------------------------------------------------


def test_row08_empty_file(data_copy, capsys, tmp_path):
    path_of(data_copy, "deadlines").write_bytes(b"")
    f = label(data_copy, "deadlines")
    assert errors_of(data_copy) == [f"ERROR {f}:1:1: file is empty: expected a header row and data rows, got '' [empty-file]"]
    assert cli(data_copy, capsys)[0] == 65
    build_fails(data_copy, tmp_path)


def test_row08_whitespace_only_file(data_copy):
    path_of(data_copy, "deadlines").write_bytes(b"\r\n \n\n")
    f = label(data_copy, "deadlines")
    assert errors_of(data_copy) == [f"ERROR {f}:1:1: file is empty: expected a header row and data rows, got '' [empty-file]"]


def test_row08_header_only_file(data_copy, capsys):
    rows = read_rows(data_copy, "deadlines")
    write_rows(data_copy, "deadlines", rows[:1])
    f = label(data_copy, "deadlines")
    assert errors_of(data_copy) == [f"ERROR {f}:1:1: header only: the table has no data rows, got '{shown(','.join(rows[0])[:60])}' [no-data]"]
    assert cli(data_copy, capsys)[0] == 65


def test_row08_missing_file(data_copy, capsys, tmp_path):
    path_of(data_copy, "deadlines").unlink()
    f = label(data_copy, "deadlines")
    assert errors_of(data_copy) == [f"ERROR {f}: file not found, got '{shown(str(data_copy.resolve() / 'deadlines.csv'))}' [missing-file]"]
    assert cli(data_copy, capsys)[0] == 66
    build_fails(data_copy, tmp_path, code=66)


def test_row08_blank_lines_are_named_and_ignored(data_copy, capsys):
    clean = frame(data_copy, "running_totals")
    lines = raw_lines(data_copy, "running_totals")
    lines[4:4] = ["", ""]  # two blank lines become file lines 5 and 6
    write_lines(data_copy, "running_totals", lines)
    report = validate_tables(data_copy)
    assert report.ok
    f = label(data_copy, "running_totals")
    assert [i.format() for i in report.issues] == [
        f"WARNING {f}:5:1: blank line ignored, got '' [blank-line]",
        f"WARNING {f}:6:1: blank line ignored, got '' [blank-line]",
    ]
    code, out, _ = cli(data_copy, capsys)
    assert code == 0 and f"WARNING {f}:5:1: blank line ignored" in out
    loaded = frame(data_copy, "running_totals")
    pd.testing.assert_frame_equal(loaded.drop(columns="_line"), clean.drop(columns="_line"))
    assert loaded["_line"].tolist()[3:5] == [7, 8]  # line numbers still point into the file


# --- row 9: NA and friends are text -------------------------------------------------------------


def test_row09_na_like_strings_are_kept_as_text(data_copy):
    values = ["NA", "N/A", "NULL", "nan", "NaN", "None", "null", "#N/A", "-", ""]
    rows = read_rows(data_copy, "exchanges")
    notes = rows[0].index("notes")
    mediator = rows[0].index("mediator")
    for i, v in enumerate(values, start=1):
        rows[i][notes] = v
        rows[i][mediator] = v
    write_rows(data_copy, "exchanges", rows)
    assert validate_tables(data_copy).ok
    df = frame(data_copy, "exchanges").sort_values("_line")
    for col in ("notes", "mediator"):
        got = df[col].tolist()[: len(values)]
        assert got[:-1] == values[:-1], col
        assert got[-1] is pd.NA  # only the empty cell is missing


def test_row09_a_place_named_na(data_copy):
    rows = read_rows(data_copy, "claims")
    col = rows[0].index("place")
    rows[5][col] = "NA"
    rows[6][col] = "N/A"
    write_rows(data_copy, "claims", rows)
    df = frame(data_copy, "claims").set_index("_line")
    assert df.loc[6, "place"] == "NA" and df.loc[7, "place"] == "N/A"
    assert not df.loc[[6, 7], "place"].isna().any()


# --- row 10: encodings and line endings ----------------------------------------------------------


@pytest.mark.parametrize("bad", [b"\xff", b"\xe9", b"\xc3\x28"])
def test_row10_non_utf8_bytes_give_line_and_column(data_copy, capsys, bad):
    p = path_of(data_copy, "running_totals")
    lines = p.read_bytes().split(b"\n")
    prefix = b"tot-2025-02-05-ua-coordination-hq,2025-02-05,UA Coordination HQ,61,4131,,"
    assert lines[3].startswith(prefix)
    lines[3] = prefix + b'"Caf' + bad + lines[3][len(prefix) + 1 :]
    p.write_bytes(b"\n".join(lines))
    offset = sum(len(x) + 1 for x in lines[:3]) + len(prefix) + 4
    f = label(data_copy, "running_totals")
    errs = errors_of(data_copy)
    assert len(errs) == 1 and errs[0].startswith(f"ERROR {f}:4:{len(prefix) + 5}: not valid UTF-8 (byte offset {offset}), got '{bad[:1].hex()}")
    assert errs[0].endswith("[encoding]")
    assert cli(data_copy, capsys)[0] == 65


def _note_with_newline(data: Path) -> None:
    """Give running_totals line 3 a two-line quoted note (a clean LF file)."""
    rows = read_rows(data, "running_totals")
    rows[2][6] = "first line\nsecond line"
    write_rows(data, "running_totals", rows)


@pytest.mark.parametrize("variant", ["bom", "crlf", "bom+crlf", "mixed", "cr-only", "cr-in-note", "crlf-in-note"])
def test_row10_bom_crlf_mixed_endings_parse_like_the_clean_file(data_copy, variant):
    _note_with_newline(data_copy)
    clean = frame(data_copy, "running_totals")
    text = path_of(data_copy, "running_totals").read_text(encoding="utf-8")
    lines = text.split("\n")
    if variant == "bom":
        out = "\ufeff" + text
    elif variant == "crlf":
        out = text.replace("\n", "\r\n")
    elif variant == "bom+crlf":
        out = "\ufeff" + text.replace("\n", "\r\n")
    elif variant == "mixed":
        out = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines[:-1])) + lines[-1]
    elif variant == "cr-only":
        out = text.replace("\n", "\r")
    elif variant == "cr-in-note":
        out = text.replace("first line\nsecond line", "first line\rsecond line")
    else:
        out = text.replace("first line\nsecond line", "first line\r\nsecond line")
    path_of(data_copy, "running_totals").write_bytes(out.encode("utf-8"))
    report = validate_tables(data_copy)
    assert report.ok, report.lines()
    got = frame(data_copy, "running_totals")
    assert list(got.columns) == list(clean.columns)  # no BOM glued to the first column name
    pd.testing.assert_frame_equal(got, clean)


def test_row10_line_numbers_count_every_line_ending_style(data_copy):
    text = path_of(data_copy, "running_totals").read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[6] = lines[6].replace("," + lines[6].split(",")[1] + ",", ",2025-99-01,", 1)
    out = lines[0] + "\r" + "\r\n".join(lines[1:4]) + "\r\n" + "\r".join(lines[4:])
    path_of(data_copy, "running_totals").write_bytes(out.encode("utf-8"))
    f = label(data_copy, "running_totals")
    assert errors_of(data_copy) == [f"ERROR {f}:7:2: as_of_date must be an ISO date YYYY-MM-DD, got '2025-99-01' [type-error]"]


# --- row 11: invisible and control characters ---------------------------------------------------


@pytest.mark.parametrize(
    ("char", "code"),
    [
        ("\u202e", "U+202E"),
        ("\u200b", "U+200B"),
        ("\u2028", "U+2028"),
        ("\u2029", "U+2029"),
        ("\x07", "U+0007"),
        ("\u2066", "U+2066"),
        ("\ufeff", "U+FEFF"),
    ],
)
def test_row11_invisible_or_reordering_character_in_text(data_copy, capsys, char, code):
    value = f"Zelensky{char}: 205 returned"
    col = set_cell(data_copy, "exchanges", 2, "notes", value)
    f = label(data_copy, "exchanges")
    shown = value.encode("unicode_escape").decode("ascii")
    assert errors_of(data_copy) == [f"ERROR {f}:2:{col}: forbidden invisible or control character {code}, got '{shown}' [forbidden-character]"]
    assert cli(data_copy, capsys)[0] == 65
    with pytest.raises(csvread.DataError):
        frame(data_copy, "exchanges")


def test_row11_nul_byte(data_copy, capsys):
    col = set_cell(data_copy, "exchanges", 3, "mediator", "IC\x00RC")
    rows = read_rows(data_copy, "exchanges")
    text_col = len(",".join(rows[2][: col - 1])) + 1 + 2 + 1  # 1-based character column of the NUL
    f = label(data_copy, "exchanges")
    assert errors_of(data_copy) == [f"ERROR {f}:3:{text_col}: NUL byte in file, got '\\\\x00' [forbidden-character]"]
    assert cli(data_copy, capsys)[0] == 65


# --- row 12: formula-looking text -------------------------------------------------------------


FORMULAS = ['=HYPERLINK("https://evil.example/","click")', "@SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3", "\t=1+1", "\r=1+1"]


def test_row12_formulas_neutralized_in_csv_downloads_shown_as_is_on_the_page(data_copy):
    from analysis import present

    rows = read_rows(data_copy, "running_totals")
    for i, value in enumerate(FORMULAS[:5], start=1):
        rows[i][2] = value  # reporter
    write_rows(data_copy, "running_totals", rows)
    assert validate_tables(data_copy).ok
    df = frame(data_copy, "running_totals").sort_values("_line").head(5)
    assert df["reporter"].tolist() == FORMULAS[:5]  # loaded unchanged
    out = list(csv.reader(io.StringIO(neutralize_csv(df.drop(columns="_line")), newline="")))
    reporters = [r[2] for r in out[1:]]
    assert reporters == ["'" + v for v in FORMULAS[:5]]
    # Numbers are not text: a negative count stays a number.
    nums = neutralize_csv(pd.DataFrame({"n": pd.array([-3, 4], dtype="Int64"), "s": ["-x", "ok"]}))
    assert nums.splitlines() == ["n,s", "-3,'-x", "4,ok"]
    # The page shows the text as-is (escaped for HTML, no apostrophe added).
    table_html = present.html.table(df, {"reporter": "Reporter"}).markup

    for value in FORMULAS[:4]:
        assert f"<td>{markupsafe.escape(value)}</td>" in table_html


def test_row12_neutralize_every_formula_start():
    df = pd.DataFrame({"s": FORMULAS, "d": pd.to_datetime(["2025-01-0" + str(i) for i in range(1, 7)])})
    out = list(csv.reader(io.StringIO(neutralize_csv(df), newline="")))
    assert [r[0] for r in out[1:]] == ["'" + v for v in FORMULAS]
    assert out[1][1] == "2025-01-01"


# --- row 14: URLs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("javascript:alert(1)", "must start with http:// or https://"),
        ("JavaScript:alert(1)", "must start with http:// or https://"),
        ("data:text/html;base64,PHNjcmlwdD4=", "must start with http:// or https://"),
        ("vbscript:msgbox(1)", "must start with http:// or https://"),
        ("//evil.example/page", "must start with http:// or https://"),
        ("ftp://example.org/file", "must start with http:// or https://"),
        ("example.org/page", "must start with http:// or https://"),
        ("https://", "must name a host"),
        ("http:///path-only", "must name a host"),
        ("https:/example.org/x", "must name a host"),
        ("https://localhost/x", "must name a host"),
        ("http://[::1/x", "is not a well-formed URL"),
        ("https://exa mple.org/", "must not contain spaces"),
        (" https://example.org/", "must not contain spaces"),
    ],
)
def test_row14_bad_source_urls_rejected_with_line_and_column(data_copy, capsys, url, problem):
    col = set_cell(data_copy, "sources", 5, "url", url)
    f = label(data_copy, "sources")
    shown = url.replace("'", "\\'")
    assert errors_of(data_copy) == [f"ERROR {f}:5:{col}: url {problem}, got '{shown}' [url]"]
    assert cli(data_copy, capsys)[0] == 65


# --- row 15: template / math syntax is plain text -----------------------------------------------


def test_row15_template_and_math_syntax_shown_literally():
    from analysis import present

    for value in ("{{7*7}}", "$x^2$", "${7*7}", "{% raw %}", "\\(a\\)"):
        markup = present.html.para("Said: {q}", q=value).markup
        assert markup == f"<p>Said: {present.format.esc(value)}</p>" and "49" not in markup
        assert present.format.esc(value) == value.replace("&", "&amp;")  # nothing to escape, nothing evaluated


# --- row 16: limits --------------------------------------------------------------------------


def test_row16_over_long_field(data_copy, capsys):
    value = "x" * (csvread.MAX_CELL_CHARS + 1)
    col = set_cell(data_copy, "exchanges", 4, "notes", value)
    f = label(data_copy, "exchanges")
    assert errors_of(data_copy) == [f"ERROR {f}:4:{col}: cell longer than {csvread.MAX_CELL_CHARS} characters, got '{'x' * 57}...' [too-long]"]
    assert cli(data_copy, capsys)[0] == 65


def test_row16_field_longer_than_the_csv_parser_limit(data_copy, capsys):
    value = "y" * 300_000
    set_cell(data_copy, "exchanges", 4, "notes", value)
    f = label(data_copy, "exchanges")
    old = csv.field_size_limit(131_072)  # the csv default (frictionless raises it on import)
    try:
        errs = errors_of(data_copy)
        assert errs == [
            f"ERROR {f}:4:1: a cell in this record is longer than the CSV parser limit of 131072 characters "
            f"(cells may hold at most {csvread.MAX_CELL_CHARS}), got '{shown(raw_lines(data_copy, 'exchanges')[3][:60])}' [too-long]"
        ]
        assert cli(data_copy, capsys)[0] == 65
    finally:
        csv.field_size_limit(old)


def test_row16_huge_file_is_refused_before_reading(data_copy, capsys, tmp_path):
    p = path_of(data_copy, "positions")
    with p.open("r+b") as fh:  # sparse: no need to write 20 MiB
        fh.truncate(csvread.MAX_FILE_BYTES + 1)
    f = label(data_copy, "positions")
    assert errors_of(data_copy) == [f"ERROR {f}: file is larger than the 20 MiB limit, got '{csvread.MAX_FILE_BYTES + 1} bytes' [too-large]"]
    assert cli(data_copy, capsys)[0] == 65
    build_fails(data_copy, tmp_path)


def test_row16_too_many_rows(data_copy):
    rows = read_rows(data_copy, "running_totals")
    body = "".join(f"tot-2025-01-01-x{i},2025-01-01,r,1,,,,urdupoint-20250115-wam-50-captives\n" for i in range(csvread.MAX_ROWS + 5))
    path_of(data_copy, "running_totals").write_text(",".join(rows[0]) + "\n" + body, encoding="utf-8")
    f = label(data_copy, "running_totals")
    errs = errors_of(data_copy)
    assert errs == [
        f"ERROR {f}:{csvread.MAX_ROWS + 2}:1: more than {csvread.MAX_ROWS} rows; split the table or raise the limit, got '' [too-many-rows]"
    ]


def test_row16_thousands_of_bad_rows_capped_report(data_copy, capsys, tmp_path):
    rows = read_rows(data_copy, "running_totals")
    template = rows[1]
    bad = [[f"tot-2025-01-01-bad{i}", "01/02/2025", *template[2:]] for i in range(3000)]
    write_rows(data_copy, "running_totals", [rows[0], *bad])
    report = validate_tables(data_copy)
    assert len(report.errors) == 3000
    lines = report.lines()
    assert len(lines) == MAX_LISTED + 1
    f = label(data_copy, "running_totals")
    assert lines[0] == f"ERROR {f}:2:2: as_of_date must be an ISO date YYYY-MM-DD, got '01/02/2025' [type-error]"
    assert lines[-1] == f"... {3000 - MAX_LISTED} more not listed (see the JSON report)"
    report_path = tmp_path / "report.json"
    code, out, err = cli(data_copy, capsys, "--json", str(report_path))
    assert code == 65
    assert err.count("\nERROR ") + err.startswith("ERROR ") == MAX_LISTED
    assert f"... {3000 - MAX_LISTED} more not listed" in out
    assert "INVALID: 3000 error(s)" in out
    data = json.loads(report_path.read_text(encoding="utf-8"))
    assert data["ok"] is False and data["error_count"] == 3000 and len(data["issues"]) == 3000
    assert data["issues"][-1] == {
        "file": f,
        "line": 3001,
        "column": 2,
        "message": "as_of_date must be an ISO date YYYY-MM-DD",
        "value": "01/02/2025",
        "kind": "type-error",
        "severity": "error",
    }
    with pytest.raises(csvread.DataError) as exc:
        frame(data_copy, "running_totals")
    assert len(exc.value.issues) == 3000 and str(exc.value).endswith("... and 2980 more")


def test_row16_json_report_of_a_valid_dataset(data_copy, capsys, tmp_path):
    report_path = tmp_path / "report.json"
    code, out, _ = cli(data_copy, capsys, "--json", str(report_path))
    data = json.loads(report_path.read_text(encoding="utf-8"))
    assert code == 0 and data["ok"] is True and data["error_count"] == 0
    assert data["row_counts"]["exchanges"] == len(read_rows(data_copy, "exchanges")) - 1


# --- claim points: the point, its precision and its origin agree --------------------------------


def claim_line(data: Path, located: bool) -> int:
    """File line of the first settlement claim with (or without) a point."""
    rows = read_rows(data, "claims")
    lat, kind = rows[0].index("latitude"), rows[0].index("claim_type")
    return next(i + 1 for i, r in enumerate(rows[1:], start=1) if r[kind] != "annexed" and bool(r[lat]) == located)


def test_point_without_its_origin_is_named(data_copy, capsys):
    line = claim_line(data_copy, located=True)
    col = set_cell(data_copy, "claims", line, "location_source", "")
    f = label(data_copy, "claims")
    assert errors_of(data_copy) == [
        f"ERROR {f}:{line}:{col}: a point is given without its location_source (geonames or wikipedia), got '' [location]"
    ]
    assert cli(data_copy, capsys)[0] == 65


@pytest.mark.parametrize(
    "ids, message",
    [
        ("", "location_source is wikipedia but location_source_ids names no article, got '' [location]"),
        ("no-such-article", "location_source_ids refers to an unknown sources.source_id, got 'no-such-article' [foreign-key]"),
    ],
)
def test_wikipedia_point_must_cite_a_known_article(data_copy, ids, message):
    line = claim_line(data_copy, located=True)
    set_cell(data_copy, "claims", line, "location_source", "wikipedia")
    col = set_cell(data_copy, "claims", line, "location_source_ids", ids)
    f = label(data_copy, "claims")
    assert errors_of(data_copy) == [f"ERROR {f}:{line}:{col}: {message}"]


def test_precision_none_with_a_point_and_half_a_point(data_copy):
    line = claim_line(data_copy, located=False)
    col_lat = set_cell(data_copy, "claims", line, "latitude", "48.5")
    f = label(data_copy, "claims")
    assert errors_of(data_copy) == [f"ERROR {f}:{line}:{col_lat}: latitude and longitude must both be given or both be empty, got '48.5' [location]"]
    col_lon = set_cell(data_copy, "claims", line, "longitude", "37.5")
    errs = errors_of(data_copy)
    prec = read_rows(data_copy, "claims")[0].index("location_precision") + 1
    src = read_rows(data_copy, "claims")[0].index("location_source") + 1
    assert errs == [
        f"ERROR {f}:{line}:{prec}: a point is given but location_precision is none, got 'none' [location]",
        f"ERROR {f}:{line}:{src}: a point is given without its location_source (geonames or wikipedia), got '' [location]",
    ]
    assert col_lon == col_lat + 1


def test_read_url_of_a_copy_is_checked_like_url(data_copy):
    col = set_cell(data_copy, "sources", 3, "read_url", "ftp://mirror.example.org/page")
    f = label(data_copy, "sources")
    assert errors_of(data_copy) == [f"ERROR {f}:3:{col}: read_url must start with http:// or https://, got 'ftp://mirror.example.org/page' [url]"]


def test_exact_point_outside_its_oblast(data_copy):
    rows = read_rows(data_copy, "claims")
    h = rows[0]
    line = next(i + 1 for i, r in enumerate(rows[1:], start=1) if r[h.index("oblast")] == "Donetsk" and r[h.index("latitude")])
    set_cell(data_copy, "claims", line, "location_precision", "exact")
    col = set_cell(data_copy, "claims", line, "latitude", "50.9")  # moved north into Kharkiv/Sumy
    lon = rows[line - 1][h.index("longitude")]
    f = label(data_copy, "claims")
    errs = errors_of(data_copy)
    assert len(errs) == 1
    assert errs[0].startswith(f"ERROR {f}:{line}:{col}: the point lies ")
    assert errs[0].endswith(f" km outside Donetsk oblast, got '50.9,{lon}' [location]")


def test_oblast_outline_check_on_known_points():
    from analysis.dataset import geo

    assert geo.km_outside("Donetsk", 48.28198, 37.17585) == 0  # Pokrovsk
    assert geo.km_outside("Sumy", 50.9216, 34.80029) == 0  # Sumy
    assert 200 < geo.km_outside("Sumy", 48.28198, 37.17585) < 300  # Pokrovsk is ~250 km from Sumy oblast
    assert not geo.has_outline("Kursk")
