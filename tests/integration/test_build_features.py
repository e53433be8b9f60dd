"""Build features: incremental rebuilds, site mode, PDF, status and index, the CI workflow."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from analysis import build
from analysis.briefs import BRIEFS
from analysis.build import checks, kernels, render
from tests.conftest import FIXTURE_DATA, ROOT

pytestmark = pytest.mark.slow


def _run(data: Path, out: Path, **kw) -> build.Result:
    return build.run(build.Options(data_dir=data, out_dir=out, log=lambda s: None, **kw))


def test_a_no_op_build_starts_no_kernel_and_skips_validation(built_fixture_briefs, monkeypatch):
    import analysis.dataset.validate

    monkeypatch.setattr(kernels, "start_kernel", lambda *a, **k: pytest.fail("a kernel was started"))
    monkeypatch.setattr(analysis.dataset.validate, "validate_tables", lambda *a, **k: pytest.fail("validated again"))
    result = _run(FIXTURE_DATA, built_fixture_briefs)
    assert result.code == 0 and {j.state for j in result.jobs} == {"skipped"}


def test_changing_one_row_of_exchanges_rebuilds_only_the_briefs_that_read_it(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    out = tmp_path / "out"
    brief_names = ["exchanges", "territory", "positions"]
    assert _run(data, out, briefs=brief_names).code == 0
    text = (data / "exchanges.csv").read_text(encoding="utf-8")
    (data / "exchanges.csv").write_text(text.replace("day,prisoners", "day,prisoners", 1).replace("\n", "\n", 1) + "", encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].rstrip("\n").rsplit(",", 1)[0] + "," + lines[1].rstrip("\n").rsplit(",", 1)[1] + "\n"
    rows = list(__import__("csv").reader(lines))
    rows[1][rows[0].index("notes")] = (rows[1][rows[0].index("notes")] + " (edited)").strip()
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (data / "exchanges.csv").write_text(buf.getvalue(), encoding="utf-8")
    result = _run(data, out, briefs=brief_names)
    states = {j.stem: j.state for j in result.jobs}
    readers = {n for n in brief_names if "exchanges" in BRIEFS[n].tables}
    assert {s for s, st in states.items() if st == "built"} == readers == {"exchanges"}
    assert states["territory"] == states["positions"] == "skipped"


def test_site_mode_shares_one_script_and_keeps_each_brief_small(tmp_path):
    out = tmp_path / "site"
    assert _run(FIXTURE_DATA, out, site=True, briefs=["exchanges", "territory", "overview"]).code == 0
    assert (out / render.PLOTLY_BUNDLE).is_file()
    for page in ("exchanges.html", "territory.html", "overview.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert len(html.encode()) <= checks.SITE_BUDGET, page
        assert f'<script data-brief="plotly-site" src="{render.PLOTLY_BUNDLE}"></script>' in html
        assert 'data-brief="plotly">' not in html


def test_pdf_export_prints_each_brief(tmp_path, chromium):
    out = tmp_path / "pdf"
    assert _run(FIXTURE_DATA, out, pdf=True, briefs=["positions"]).code == 0
    pdf = out / "pdf" / "positions.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000


def test_status_and_index_record_each_brief(built_fixture_briefs):
    status = json.loads((built_fixture_briefs / "status.json").read_text(encoding="utf-8"))
    for stem, rec in status["briefs"].items():
        assert rec["last_success"] and rec["size"] == (built_fixture_briefs / rec["file"]).stat().st_size, stem
        assert rec["headline"], stem
    index = (built_fixture_briefs / "index.html").read_text(encoding="utf-8")
    assert index.count('class="new"') >= 1
    assert "Dataset v" in index


def test_the_ci_workflow_parses_and_runs_the_readme_commands():
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "reports.yml").read_text(encoding="utf-8"))
    triggers = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads the key `on` as True
    assert "schedule" in triggers and triggers["schedule"][0]["cron"]
    assert any(p.startswith("data/") for p in triggers["push"]["paths"])
    steps = wf["jobs"]["build"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    for cmd in ("make reports", "make test", "make validate"):
        assert cmd in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"].rstrip("/") == "reports"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make reports" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^reports:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "apt-get install" in ci


def test_benchmark_synthetic_claims_are_valid_data(data_copy):
    """The scale benchmark grows claims.csv with synthetic rows; they must pass validation, or the
    benchmark would measure a refused build instead of a brief."""
    import importlib.util

    from analysis.dataset.validate import validate_tables

    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "benchmarks" / "bench_build.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    info = bench.add_synthetic_claims(data_copy, 3)
    assert info["synthetic_rows"] == 2 * info["real_rows"]
    report = validate_tables(data_copy)
    assert report.ok, report.lines(5)
    assert report.row_counts["claims"] == info["rows"]
