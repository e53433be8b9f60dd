"""PDF export of briefs with headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import build
from tests.conftest import FIXTURE_DATA

pytestmark = pytest.mark.slow


def _run(data: Path, out: Path, **kw) -> build.Result:
    return build.run(build.Options(data_dir=data, out_dir=out, log=lambda s: None, **kw))


def test_pdf_export_prints_each_brief(tmp_path, chromium):
    out = tmp_path / "pdf"
    assert _run(FIXTURE_DATA, out, pdf=True, briefs=["positions"]).code == 0
    pdf = out / "pdf" / "positions.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000
