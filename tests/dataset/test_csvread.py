"""Reading CSV strictly (BAD-INPUTS rows 1, 2, 7-11, 16): every fault named by file, line and column;
only an empty cell is missing; BOM and line endings parse like the clean file; limits bound time and memory."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis.dataset import csvread
from analysis.dataset.validate import validate_tables
from tests.dataset.badfiles import (
    _note_with_newline,
    build_fails,
    cli,
    errors_of,
    frame,
    label,
    path_of,
    raw_lines,
    read_rows,
    set_cell,
    shown,
    write_lines,
    write_rows,
)


def test_row01_extra_field_from_an_unquoted_comma(data_copy, capsys, tmp_path):
    lines = raw_lines(data_copy, "running_totals")
    # line 4 ends "...,<notes>,<source_ids>": add an unquoted comma inside a new trailing cell
    lines[3] = lines[3] + ",oops"
    write_lines(data_copy, "running_totals", lines)
    f = label(data_copy, "running_totals")
    assert errors_of(data_copy) == [f"ERROR {f}:4:10: 10 fields where the header has 9 (an unquoted comma?), got 'oops' [extra-cell]"]
    code, _, err = cli(data_copy, capsys)
    assert code == 65
    assert f"ERROR {f}:4:10: 10 fields where the header has 9" in err
    build_fails(data_copy, tmp_path)


def test_row01_unquoted_comma_in_text_on_the_first_data_row(data_copy, capsys, tmp_path):
    rows = read_rows(data_copy, "running_totals")
    rows[1][2] = "UAE MFA"
    rows[1][7] = "eleventh mediation"
    lines = raw_lines(data_copy, "running_totals")
    lines[1] = ",".join(rows[1]).replace("eleventh mediation", "eleventh, mediation")
    write_lines(data_copy, "running_totals", lines)
    f = label(data_copy, "running_totals")
    assert errors_of(data_copy) == [f"ERROR {f}:2:10: 10 fields where the header has 9 (an unquoted comma?), got '{rows[1][8]}' [extra-cell]"]
    assert cli(data_copy, capsys)[0] == 65
    build_fails(data_copy, tmp_path)


def test_row01_missing_field_on_the_first_data_row(data_copy, capsys, tmp_path):
    rows = read_rows(data_copy, "running_totals")
    del rows[1][7]  # the notes cell is dropped: 8 fields
    write_rows(data_copy, "running_totals", rows)
    f = label(data_copy, "running_totals")
    assert errors_of(data_copy) == [f"ERROR {f}:2:9: 8 fields where the header has 9, got '{rows[1][-1]}' [missing-cell]"]
    assert cli(data_copy, capsys)[0] == 65
    build_fails(data_copy, tmp_path)


def test_row02_unterminated_quote_swallowing_the_rest_of_the_file(data_copy, capsys):
    rows = read_rows(data_copy, "running_totals")
    lines = raw_lines(data_copy, "running_totals")
    for i in range(6, len(rows)):  # later rows without any quote, so nothing closes it
        lines[i] = ",".join(c.replace(",", ";").replace('"', "") for c in rows[i])
    head = ",".join(rows[5][:7]) + ","
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
    plain = lambda r, notes: ",".join(r[:7]) + "," + notes + "," + r[8]  # noqa: E731
    for i in (3, 4, 5, 6, 7):
        rows[i][7] = rows[i][7].replace(",", ";").replace('"', "")
        lines[i] = plain(rows[i], rows[i][7])
    lines[3] = plain(rows[3], '"' + rows[3][7])
    lines[7] = plain(rows[7], rows[7][7] + '"')
    write_lines(data_copy, "running_totals", lines)
    f = label(data_copy, "running_totals")
    errs = errors_of(data_copy)
    assert len(errs) == 1, errs
    assert errs[0].startswith(f"ERROR {f}:4:8: a quote opened here swallows 3 following rows; close the quote, got '{rows[3][7][:20]}")
    assert errs[0].endswith("[unterminated-quote]")
    assert cli(data_copy, capsys)[0] == 65
    with pytest.raises(csvread.DataError):
        frame(data_copy, "running_totals")


def test_row02_stray_quote_followed_by_text_is_reported_where_it_opened(data_copy):
    rows = read_rows(data_copy, "running_totals")
    lines = raw_lines(data_copy, "running_totals")
    for i in (3, 4):
        lines[i] = ",".join(c.replace(",", ";").replace('"', "") for c in rows[i])
    head = ",".join(rows[2][:7]) + ","
    lines[2] = head + '"As of February,' + rows[2][8]
    lines[4] = ",".join(rows[4][:7]) + ',said "hi" there,' + rows[4][8]  # unquoted cell: its quote closes line 3's
    write_lines(data_copy, "running_totals", lines)
    f = label(data_copy, "running_totals")
    col = len(",".join(rows[4][:7])) + 7
    assert errors_of(data_copy) == [
        f"ERROR {f}:3:{len(head) + 1}: a quote opened here is closed at line 5, column {col} by a quote "
        f"followed by text (a stray quote, or a quote inside a quoted cell that is not doubled), "
        f"got '{shown(chr(34) + 'As of February,' + rows[2][8])[:60]}' [bad-quote]"
    ]


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
    rows[0][7] = "reporter"
    write_rows(data_copy, "running_totals", rows)
    f = label(data_copy, "running_totals")
    errs = errors_of(data_copy)
    assert f"ERROR {f}:1:8: duplicate column name (also column 3), got 'reporter' [header-duplicate]" in errs
    assert any("missing column 'notes'" in e for e in errs)


def test_row07_header_blank_column(data_copy, capsys):
    rows = read_rows(data_copy, "running_totals")
    for r in rows:
        r.append("")
    write_rows(data_copy, "running_totals", rows)
    f = label(data_copy, "running_totals")
    assert errors_of(data_copy) == [f"ERROR {f}:1:10: blank column name, got '' [header-blank]"]
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


def test_row09_na_like_strings_are_kept_as_text(data_copy):
    values = ["NA", "N/A", "NULL", "nan", "NaN", "None", "null", "#N/A", "-", ""]
    rows = read_rows(data_copy, "claims")
    notes = rows[0].index("notes")
    body = rows[0].index("claimant_body")
    for i, v in enumerate(values, start=1):
        rows[i][notes] = v
        rows[i][body] = v
    write_rows(data_copy, "claims", rows)
    assert validate_tables(data_copy).ok
    df = frame(data_copy, "claims").sort_values("_line")
    for col in ("notes", "claimant_body"):
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


@pytest.mark.parametrize("bad", [b"\xff", b"\xe9", b"\xc3\x28"])
def test_row10_non_utf8_bytes_give_line_and_column(data_copy, capsys, bad):
    p = path_of(data_copy, "running_totals")
    lines = p.read_bytes().split(b"\n")
    prefix = b"tot-2025-02-05-ua-coordination-hq,2025-02-05,Ukraine's Coordination Headquarters for the Treatment of POWs,UA,61,4131,,"
    assert lines[3].startswith(prefix)
    lines[3] = prefix + b'"Caf' + bad + lines[3][len(prefix) + 1 :]
    p.write_bytes(b"\n".join(lines))
    offset = sum(len(x) + 1 for x in lines[:3]) + len(prefix) + 4
    f = label(data_copy, "running_totals")
    errs = errors_of(data_copy)
    assert len(errs) == 1 and errs[0].startswith(f"ERROR {f}:4:{len(prefix) + 5}: not valid UTF-8 (byte offset {offset}), got '{bad[:1].hex()}")
    assert errs[0].endswith("[encoding]")
    assert cli(data_copy, capsys)[0] == 65


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
    col = set_cell(data_copy, "exchanges", 3, "notes", "IC\x00RC")
    rows = read_rows(data_copy, "exchanges")
    text_col = len(",".join(rows[2][: col - 1])) + 1 + 2 + 1  # 1-based character column of the NUL
    f = label(data_copy, "exchanges")
    assert errors_of(data_copy) == [f"ERROR {f}:3:{text_col}: NUL byte in file, got '\\\\x00' [forbidden-character]"]
    assert cli(data_copy, capsys)[0] == 65


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
