"""Data text reaches readers inert (BAD-INPUTS rows 12 and 15): formulas neutralized in CSV downloads
but shown as-is on the page; template and math syntax shown literally."""

from __future__ import annotations

import csv
import io

import markupsafe
import pandas as pd

from analysis.dataset.validate import validate_tables
from analysis.present.charts.base import neutralize_csv
from tests.dataset.badfiles import FORMULAS, frame, read_rows, write_rows


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
        assert f'<td data-label="Reporter">{markupsafe.escape(value)}</td>' in table_html


def test_row12_neutralize_every_formula_start():
    df = pd.DataFrame({"s": FORMULAS, "d": pd.to_datetime(["2025-01-0" + str(i) for i in range(1, 7)])})
    out = list(csv.reader(io.StringIO(neutralize_csv(df), newline="")))
    assert [r[0] for r in out[1:]] == ["'" + v for v in FORMULAS]
    assert out[1][1] == "2025-01-01"


def test_row15_template_and_math_syntax_shown_literally():
    from analysis import present

    for value in ("{{7*7}}", "$x^2$", "${7*7}", "{% raw %}", "\\(a\\)"):
        markup = present.html.para("Said: {q}", q=value).markup
        assert markup == f"<p>Said: {present.format.esc(value)}</p>" and "49" not in markup
        assert present.format.esc(value) == value.replace("&", "&amp;")  # nothing to escape, nothing evaluated
