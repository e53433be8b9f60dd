"""Validation of the whole dataset (BAD-INPUTS rows 3-6, 14, 16): types, constraints, keys, links,
URLs and dates, with file:line:column messages, a capped report and its JSON form."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.dataset import csvread
from analysis.dataset.validate import MAX_LISTED, validate_tables
from tests.dataset.badfiles import DATASET_DATE, build_fails, cli, errors_of, frame, label, read_rows, set_cell, write_rows


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
    assert "INVALID: 3,000 errors" in out
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


def test_read_url_of_a_copy_is_checked_like_url(data_copy):
    col = set_cell(data_copy, "sources", 3, "read_url", "ftp://mirror.example.org/page")
    f = label(data_copy, "sources")
    assert errors_of(data_copy) == [f"ERROR {f}:3:{col}: read_url must start with http:// or https://, got 'ftp://mirror.example.org/page' [url]"]
