"""The reader's pass: every brief opened once in Chromium and read at 1280 px, at 390 px and as
printed on A4; the tests in this folder hold those readings to ../docs/reader-rules.md.

By default the briefs are the ones built from the fixture data. To read a real build instead:
`make reader` (it builds reports/ first), or READER_REPORTS=reports pytest tests/reader.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_DATA, ROOT
from tests.reader.reading import Reading, read_page


@pytest.fixture(scope="session")
def reader_site(request) -> tuple[Path, Path]:
    """(folder of briefs, data folder they were built from)."""
    chosen = os.environ.get("READER_REPORTS")
    if chosen:
        folder = (ROOT / chosen).resolve()
        data = (ROOT / os.environ.get("READER_DATA", "data")).resolve()
        if not any(folder.glob("*.html")):
            pytest.fail(f"READER_REPORTS={chosen}: no briefs there (run `make reports` first)")
        return folder, data
    return request.getfixturevalue("built_fixture_briefs"), FIXTURE_DATA


@pytest.fixture(scope="session")
def readings(reader_site, browser) -> list[Reading]:
    """Every brief (not the front page) read once; shared by all reader tests."""
    from axe_playwright_python.sync_playwright import Axe

    folder, _ = reader_site
    axe = Axe()

    def audit(page) -> list[dict]:
        # WCAG 2.1 A and AA rules; the violations a reader meets most (contrast, names, structure).
        result = axe.run(
            page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]}
        )
        return [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in result.response["violations"]
        ]

    context = browser.new_context()
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page = context.new_page()
    out = [read_page(page, path, axe=audit) for path in sorted(folder.glob("*.html")) if path.name != "index.html"]
    context.close()
    assert out, f"no briefs in {folder}"
    return out
