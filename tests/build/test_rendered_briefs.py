"""Every brief executed by papermill on the fixture data, rendered, and checked as a reader gets it."""

from __future__ import annotations

import base64
import csv
import io
import re
from pathlib import Path

import pytest

from analysis import build
from analysis.briefs import BRIEFS
from analysis.build.plan import plan_jobs
from tests.conftest import FIXTURE_DATA

pytestmark = pytest.mark.slow


def _without_plotly(html: str) -> str:
    """The page minus the inlined plotly.js (whose own code mentions MathJax, require.js, URLs)."""
    return re.sub(r'<script data-brief="plotly">.*?</script>', "", html, flags=re.S)


def _briefs(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("*.html") if p.name != "index.html")


def test_every_configured_brief_was_built(built_fixture_briefs):
    expected = {j.file_name for j in plan_jobs(build.Options(), FIXTURE_DATA)}
    assert {p.name for p in _briefs(built_fixture_briefs)} == expected
    assert len(expected) >= len(BRIEFS)


def test_briefs_contain_no_code_prompts_or_parameters(built_fixture_briefs):
    for page in _briefs(built_fixture_briefs):
        html = page.read_text(encoding="utf-8")
        assert "jp-InputArea-editor" not in html, page.name
        assert "jp-InputPrompt" not in html and "In&nbsp;[" not in html, page.name
        assert "injected-parameters" not in html and "Parameters" not in html, page.name
        assert "from analysis import" not in html, page.name
        assert "Traceback" not in html, page.name
        # The page's visible text (scripts and styles left out), all of it, carries no error or warning.
        visible = re.sub(r"(?is)<(script|style)\b.*?</\1>|<[^>]+>", " ", html)
        for word in ("Error", "Exception", "Warning", "Traceback"):
            assert word not in visible, (page.name, word, visible[max(0, visible.find(word) - 80) : visible.find(word) + 80])


def test_briefs_show_sources_version_about_and_contents(built_fixture_briefs):
    for page in _briefs(built_fixture_briefs):
        html = page.read_text(encoding="utf-8")
        assert 'class="brief-settings"' not in html, page.name  # parameters are not shown to readers
        charts = html.count('class="brief-plot"')
        assert charts >= 1, page.name
        assert html.count('class="brief-source"') == charts, page.name
        assert html.count('class="brief-about"') == charts, page.name
        assert '<h2 id="about-this-brief">About this brief</h2>' in html, page.name
        assert re.search(r"Dataset \d+\.\d+\.\d+ of \d{1,2} [A-Z][a-z]+ \d{4}", html), page.name
        assert 'class="brief-toc"' in html and "<ol><li>" in html, page.name


def test_download_links_hold_the_plotted_rows_as_csv(built_fixture_briefs):
    page = built_fixture_briefs / "exchanges.html"
    html = page.read_text(encoding="utf-8")
    links = re.findall(
        r'download="([^"]+)" href="data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)">Download the data of “[^”]+” \((\d+) rows?, CSV\)', html
    )
    assert len(links) == html.count('class="brief-plot"')
    for name, payload, n in links:
        rows = list(csv.reader(io.StringIO(base64.b64decode(payload).decode("utf-8"))))
        assert name.endswith(".csv")
        assert len(rows) - 1 == int(n)
        assert any(c.endswith("source_ids") for c in rows[0])


def test_no_external_references(built_fixture_briefs):
    for page in _briefs(built_fixture_briefs) + [built_fixture_briefs / "index.html"]:
        html = _without_plotly(page.read_text(encoding="utf-8"))
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', tag), (page.name, tag)
        assert "require.js" not in html and "MathJax" not in html, page.name


def test_plotly_js_is_inlined_once_per_brief(built_fixture_briefs):
    for page in _briefs(built_fixture_briefs):
        html = page.read_text(encoding="utf-8")
        assert html.count('data-brief="plotly"') == 1, page.name


def test_index_lists_every_brief(built_fixture_briefs):
    index = (built_fixture_briefs / "index.html").read_text(encoding="utf-8")
    for page in _briefs(built_fixture_briefs):
        assert f'href="{page.name}"' in index


def test_same_inputs_give_byte_identical_html(built_fixture_briefs, tmp_path):
    again = tmp_path / "again"
    result = build.run(build.Options(data_dir=FIXTURE_DATA, out_dir=again, log=lambda s: None, jobs=2, pool=False, briefs=["exchanges", "territory"]))
    assert result.code == 0
    for name in ("exchanges.html", "territory.html"):
        assert (again / name).read_bytes() == (built_fixture_briefs / name).read_bytes(), name


def test_a_second_build_skips_everything(built_fixture_briefs):
    logs: list[str] = []
    result = build.run(build.Options(data_dir=FIXTURE_DATA, out_dir=built_fixture_briefs, log=logs.append))
    assert result.code == 0
    assert {j.state for j in result.jobs} == {"skipped"}
