"""status.json and the index record every published brief."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import build

pytestmark = pytest.mark.slow


def _run(data: Path, out: Path, **kw) -> build.Result:
    return build.run(build.Options(data_dir=data, out_dir=out, log=lambda s: None, **kw))


def test_status_and_index_record_each_brief(built_fixture_briefs):
    status = json.loads((built_fixture_briefs / "status.json").read_text(encoding="utf-8"))
    for stem, rec in status["briefs"].items():
        assert rec["last_success"] and rec["size"] == (built_fixture_briefs / rec["file"]).stat().st_size, stem
        assert rec["headline"], stem
    index = (built_fixture_briefs / "index.html").read_text(encoding="utf-8")
    # A first publication marks nothing "new" (tests/build/test_front_page.py covers the badges).
    assert 'class="badge new"' not in index and 'class="badge changed"' not in index
    assert "Dataset v" in index
