"""Data files that are not what their name says, floods of blank lines, round ids that cannot name a
brief's file (docs/bad-inputs.md rows 29, 32 and 34): each says what is wrong, with its cost bounded."""

from __future__ import annotations

import os
import time

from analysis.dataset import csvread
from analysis.dataset.validate import MAX_ROUND_ID_BYTES, validate_tables
from tests.dataset.badfiles import cli, errors_of, label, path_of, read_rows, shown, write_rows


def test_row29_a_folder_named_like_a_csv(data_copy, capsys):
    path = path_of(data_copy, "deadlines")
    path.unlink()
    path.mkdir()
    f = label(data_copy, "deadlines")
    assert errors_of(data_copy) == [f"ERROR {f}: is a folder, not a CSV file, got '{shown(f)}' [not-a-file]"]
    assert cli(data_copy, capsys)[0] == 66


def test_row29_a_device_or_a_pipe_named_like_a_csv_is_never_read(data_copy, capsys):
    path = path_of(data_copy, "deadlines")
    path.unlink()
    path.symlink_to("/dev/zero")
    f = str(data_copy.resolve() / "deadlines.csv")  # the name in the data folder, not the link's target
    t = time.monotonic()
    expected = f"ERROR {f}: is not a regular file (a device, pipe or socket), not a CSV file, got '{shown(f)}' [not-a-file]"
    assert errors_of(data_copy) == [expected]
    path.unlink()
    os.mkfifo(path)  # opening a named pipe for reading would block until a writer comes
    assert errors_of(data_copy) == [expected]
    assert time.monotonic() - t < 30
    assert cli(data_copy, capsys)[0] == 66


def test_row34_a_million_blank_lines_are_refused_quickly(data_copy, capsys):
    path = path_of(data_copy, "deadlines")
    lines = path.read_text(encoding="utf-8").count("\n")
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n" * 1_000_000)
    t = time.monotonic()
    raw = csvread.read_raw("deadlines", data_copy)
    assert time.monotonic() - t < 2
    f = label(data_copy, "deadlines")
    blank_first = lines + 1
    assert [i.format() for i in raw.errors] == [
        f"ERROR {f}:{blank_first + csvread.MAX_BLANK_LINES}:1: more than 10,000 blank lines: the file looks damaged; remove them, got '' [too-many-blank-lines]"
    ]
    assert len(raw.issues) == csvread.MAX_BLANK_LISTED + 1
    code, out, err = cli(data_copy, capsys)
    assert code == 65 and "[too-many-blank-lines]" in err


def test_row34_many_blank_lines_are_listed_up_to_a_count(data_copy):
    rows = read_rows(data_copy, "deadlines")
    path = path_of(data_copy, "deadlines")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" * 500, encoding="utf-8")
    report = validate_tables(data_copy)
    assert report.ok
    f = label(data_copy, "deadlines")
    warnings = [i.format() for i in report.issues]
    assert len(warnings) == csvread.MAX_BLANK_LISTED + 1
    assert warnings[0] == f"WARNING {f}:{len(rows) + 1}:1: blank line ignored, got '' [blank-line]"
    assert warnings[-1] == (
        f"WARNING {f}:{len(rows) + 500}:1: 480 more blank lines ignored (not listed one by one; the last is this one), got '' [blank-line]"
    )


def _add_round(data, round_id: str) -> int:
    """A copy of the first direct round under a new id; returns its file line."""
    rows = read_rows(data, "rounds")
    fmt = rows[0].index("format")
    template = next(r for r in rows[1:] if r[fmt] == "direct")
    rows.append([round_id, *template[1:]])
    write_rows(data, "rounds", rows)
    return len(rows)


def test_row32_a_round_id_too_long_for_a_file_name(data_copy, capsys):
    rid = "2025-07-23-" + "a" * 250  # 261 characters, and the schema's pattern holds
    line = _add_round(data_copy, rid)
    f = label(data_copy, "rounds")
    assert errors_of(data_copy) == [
        f"ERROR {f}:{line}:1: round_id is 261 bytes long; at most {MAX_ROUND_ID_BYTES}, so that its briefs' file names fit, "
        f"got '{rid[:57]}...' [file-name]"
    ]
    assert cli(data_copy, capsys)[0] == 65


def test_row32_a_round_id_named_like_another_rounds_eve_brief(data_copy, capsys):
    rows = read_rows(data_copy, "rounds")
    fmt = rows[0].index("format")
    direct = next(r for r in rows[1:] if r[fmt] == "direct")
    import datetime as dt

    eve = (dt.date.fromisoformat(direct[1]) - dt.timedelta(days=1)).isoformat()
    rid = f"{direct[0]}-as-of-{eve}"
    line = _add_round(data_copy, rid)
    f = label(data_copy, "rounds")
    assert errors_of(data_copy) == [
        f"ERROR {f}:{line}:1: round_id must not end in -as-of-YYYY-MM-DD: the brief of another round as of that day has that "
        f"file name, got '{rid}' [file-name]"
    ]
    assert cli(data_copy, capsys)[0] == 65
