"""PDF export of briefs with headless Chromium."""

from __future__ import annotations

import re
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
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 20_000
    # Printed on A4 (595 x 842 points), one page per section at least: four sections and the about.
    pages = re.findall(rb"/Type\s*/Page\b", data)
    assert len(pages) >= 5, len(pages)
    boxes = {tuple(round(float(v)) for v in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)}
    assert boxes == {(0, 0, 595, 842)}, boxes
