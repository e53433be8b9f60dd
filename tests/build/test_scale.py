"""Output that stays true at scale (docs/bad-inputs.md row 35): the benchmark grows positions 4x and 10x
(as it grows claims) with valid synthetic rows, the positions brief builds from them, and a brief over
its size budget is refused with the charts and tables that take the most room named."""

from __future__ import annotations

import importlib.util
import re

import pytest

from analysis import build
from analysis.build import checks, render
from analysis.build.exitcodes import BriefFailure
from analysis.present.charts.positions import TIMELINE_LIMIT
from tests.conftest import ROOT


def _bench():
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "benchmarks" / "bench_build.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


@pytest.mark.parametrize("factor", [4, 10])
def test_row35_the_benchmarks_synthetic_positions_are_valid_data(data_copy, factor):
    from analysis.dataset.validate import validate_tables

    info = _bench().add_synthetic_positions(data_copy, factor)
    assert info["synthetic_rows"] == (factor - 1) * info["real_rows"]
    report = validate_tables(data_copy)
    assert report.ok, report.lines(5)
    assert report.row_counts["positions"] == info["rows"]


def test_row35_the_size_failure_names_the_largest_chart_and_table(monkeypatch):
    figure = (
        '<figure class="brief-chart"><div class="brief-plot" id="plot-1-0123456789"></div>'
        '<script class="brief-figure" data-plot="plot-1-0123456789" type="application/json">'
        '{"data": [], "layout": {"title": {"text": "<b>Positions</b> over time"}}, "pad": "' + "x" * 4000 + '"}</script>'
        '<figcaption><a download="p.csv" href="data:text/csv;charset=utf-8;base64,' + "A" * 2000 + '">CSV</a></figcaption></figure>'
    )
    table = '<table class="brief-table"><caption>Every position</caption><tbody>' + "<tr><td>x</td></tr>" * 900 + "</tbody></table>"
    body = f"<!DOCTYPE html><html><head><title>t</title></head><body>{figure}{table}</body></html>"
    assets = render.Assets(plotly_js="/*plotly*/", css="", render_js="")
    monkeypatch.setattr(checks, "SITE_BUDGET", 1000)
    with pytest.raises(BriefFailure) as exc:
        checks.check_html(body, assets, 1, site=True)
    size = len(body.encode())
    assert str(exc.value) == (
        f"the HTML is {size:,} bytes, over its 1,000-byte limit; largest parts: table 'Every position' 17 KB (900 rows); "
        "chart 'Positions over time' (plot-1-0123456789) 6 KB: figure data 4 KB, CSV download 2 KB; everything else 0 KB"
    )


OVER = re.compile(
    r"the HTML is ([0-9,]+) bytes, over its ([0-9,]+)-byte limit; largest parts: "
    r"(chart '.+?' \(plot-\d+-[0-9a-f]{10}\) [0-9,]+ KB: figure data [0-9,]+ KB, CSV download [0-9,]+ KB|table '.+?' [0-9,]+ KB \(\d+ rows\))"
)


@pytest.mark.slow
@pytest.mark.parametrize("factor", [4, 10])
def test_row35_the_positions_brief_builds_within_its_budget_at_scale(data_copy, tmp_path, factor):
    info = _bench().add_synthetic_positions(data_copy, factor)
    out = tmp_path / "out"
    result = build.run(build.Options(briefs=["positions"], data_dir=data_copy, out_dir=out, log=lambda s: None, jobs=1))
    job = result.jobs[0]
    assert result.code == 0, job.message  # the build refuses a page over its budget (row 35's other test)
    page = (out / "positions.html").read_text(encoding="utf-8")
    assert len(page.encode("utf-8")) == job.size
    # Above the timeline's limit its marks count positions per month, and its download holds the marks.
    aggregated = info["rows"] > TIMELINE_LIMIT
    assert ('download="positions-timeline-months.csv"' in page) == aggregated
    assert ('download="positions-timeline.csv"' in page) == (not aggregated)


@pytest.mark.slow
def test_row35_the_territory_brief_builds_within_its_budget_at_100_times_the_claims(data_copy, tmp_path):
    info = _bench().add_synthetic_claims(data_copy, 100)
    assert info["rows"] > 5000
    out = tmp_path / "out"
    result = build.run(build.Options(briefs=["territory"], data_dir=data_copy, out_dir=out, log=lambda s: None, jobs=1))
    assert result.code == 0, result.jobs[0].message
    page = (out / "territory.html").read_text(encoding="utf-8")
    # The map counts claims per grid cell and its download says so; counts of thousands carry a separator.
    assert 'download="claims-map-cells.csv"' in page and "The download holds one row per cell" in page
    assert re.search(r"\d,\d{3} of them confirmed", page)
