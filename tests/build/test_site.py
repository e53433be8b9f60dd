"""Site mode: one shared plotly bundle beside small briefs."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import build
from analysis.build import checks, render
from tests.conftest import FIXTURE_DATA

pytestmark = pytest.mark.slow


def _run(data: Path, out: Path, **kw) -> build.Result:
    return build.run(build.Options(data_dir=data, out_dir=out, log=lambda s: None, **kw))


def test_site_mode_shares_one_script_and_keeps_each_brief_small(tmp_path):
    out = tmp_path / "site"
    assert _run(FIXTURE_DATA, out, site=True, briefs=["exchanges", "territory", "overview"]).code == 0
    assert (out / render.PLOTLY_BUNDLE).is_file()
    for page in ("exchanges.html", "territory.html", "overview.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert len(html.encode()) <= checks.SITE_BUDGET, page
        assert f'<script data-brief="plotly-site" src="{render.PLOTLY_BUNDLE}"></script>' in html
        assert 'data-brief="plotly">' not in html
