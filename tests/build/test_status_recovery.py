"""status.json is never silently lost (docs/bad-inputs.md row 26): a damaged one is kept aside and the
status is rebuilt from the metadata every published brief carries, so the index still lists every
brief and nothing needs rebuilding; a missing one is rebuilt the same way."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from analysis import build
from analysis.build import kernels, status
from tests.conftest import FIXTURE_DATA, TEST_JOBS

pytestmark = pytest.mark.slow

META = re.compile(r'<script data-brief="meta" id="brief-meta" type="application/json">(.*?)</script>', re.S)


def _run(out: Path, logs: list[str], **kw) -> build.Result:
    return build.run(build.Options(data_dir=FIXTURE_DATA, out_dir=out, log=logs.append, jobs=TEST_JOBS, **kw))


@pytest.fixture
def reports(built_fixture_briefs, tmp_path) -> Path:
    out = tmp_path / "reports"
    shutil.copytree(built_fixture_briefs, out)
    return out


def _listed(index: Path) -> list[str]:
    return sorted(set(re.findall(r'href="([^"#]+\.html)"', index.read_text(encoding="utf-8"))))


def test_row26_every_brief_carries_its_metadata(built_fixture_briefs):
    recorded = status.read_status(built_fixture_briefs)["briefs"]
    pages = sorted(p for p in built_fixture_briefs.glob("*.html") if p.name != "index.html")
    assert len(pages) == len(recorded) == 12
    for page in pages:
        meta = json.loads(META.search(page.read_text(encoding="utf-8")).group(1))
        rec = recorded[page.stem]
        assert meta == {
            "stem": page.stem,
            "brief": rec["brief"],
            "params": rec["params"],
            "title": rec["title"],
            "key": rec["key"],
            "headline": rec["headline"],
            "dataset_version": rec["dataset_version"],
        }


@pytest.mark.parametrize("damage", ["stray byte", "truncated", "not an object"])
def test_row26_a_damaged_status_is_kept_aside_and_rebuilt_from_the_briefs(reports, monkeypatch, damage):
    path = reports / "status.json"
    good = path.read_bytes()
    before = json.loads(good)
    index_before = _listed(reports / "index.html")
    bad = {"stray byte": good[:40] + b"\x00" + good[41:], "truncated": good[: len(good) // 2], "not an object": b"[]"}[damage]
    path.write_bytes(bad)
    pages = {p.name: p.read_bytes() for p in reports.glob("*.html") if p.name != "index.html"}
    monkeypatch.setattr(kernels, "start_kernel", lambda *a, **k: pytest.fail("a brief was rebuilt"))
    logs: list[str] = []
    result = _run(reports, logs)
    assert result.code == 0
    assert all(j.state == "skipped" for j in result.jobs) and len(result.jobs) == 12
    kept = list(reports.glob("status.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == bad
    warning = next(line for line in logs if line.startswith("WARNING"))
    assert warning.startswith(f"WARNING {path} was damaged (")
    assert warning.endswith(f"); kept it as {kept[0].name} and rebuilt the status of 12 published briefs from their metadata")
    after = json.loads(path.read_text(encoding="utf-8"))
    assert set(after["briefs"]) == set(before["briefs"])
    for stem, rec in before["briefs"].items():
        for key in ("brief", "params", "file", "title", "key", "size", "sha", "headline", "dataset_version"):
            assert after["briefs"][stem][key] == rec[key], (stem, key)
    assert {p.name: p.read_bytes() for p in reports.glob("*.html") if p.name != "index.html"} == pages
    assert _listed(reports / "index.html") == index_before and len(index_before) == 12


def test_row26_a_missing_status_is_rebuilt_from_the_briefs(reports, monkeypatch):
    (reports / "status.json").unlink()
    monkeypatch.setattr(kernels, "start_kernel", lambda *a, **k: pytest.fail("a brief was rebuilt"))
    logs: list[str] = []
    result = _run(reports, logs)
    assert result.code == 0 and all(j.state == "skipped" for j in result.jobs)
    assert f"WARNING {reports / 'status.json'} is missing; rebuilt the status of 12 published briefs from their metadata" in logs
    assert len(status.read_status(reports)["briefs"]) == 12


def test_row26_a_page_without_metadata_is_rebuilt_not_trusted(reports):
    """A planted or foreign page under a brief's name carries no metadata the build wrote: that brief is rebuilt."""
    (reports / "status.json").write_bytes(b"{")
    (reports / "exchanges.html").write_text(
        '<script data-brief="meta" id="brief-meta" type="application/json">{"stem": "exchanges"}</script>', encoding="utf-8"
    )
    logs: list[str] = []
    result = _run(reports, logs)
    assert result.code == 0
    assert [j.stem for j in result.jobs if j.state == "built"] == ["exchanges"]
    assert any("rebuilt the status of 11 published briefs from their metadata (1 HTML file without metadata left out)" in m for m in logs)
