"""A brief's inputs are a contract: it can read only the tables it declares, everything it reads is
in its rebuild key, and so an incremental build after any data edit equals a forced build."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from analysis import build
from analysis.briefs import BRIEFS
from analysis.build import exitcodes
from tests.conftest import FIXTURE_DATA, TEST_JOBS
from tests.helpers import edit_csv

pytestmark = pytest.mark.slow


def _run(data: Path, out: Path, **kw) -> build.Result:
    logs: list[str] = []
    result = build.run(build.Options(data_dir=data, out_dir=out, log=logs.append, jobs=TEST_JOBS, **kw))
    result.messages = logs
    return result


def _plus(x: str, step: float) -> str:
    return f"{float(x) + step:g}" if "." in x or step % 1 else str(int(x) + int(step))


def _add_release(data: Path) -> None:
    """A release manifest for the fixture data, with one exchange row's hash changed."""
    from analysis import metrics
    from analysis.dataset.releases import release_manifest
    from analysis.dataset.tables import load_dataset

    ds = load_dataset(data)
    manifest = release_manifest(ds, metrics.changes.dataset_totals(ds))
    manifest["version"] = "0.9.0"
    first = next(iter(manifest["rows"]["exchanges"]))
    manifest["rows"]["exchanges"][first] = "0" * 12
    (data / "releases").mkdir(exist_ok=True)
    (data / "releases" / "0.9.0.json").write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")


def _edit_top_outlet(data: Path) -> None:
    """Rename one page of the most cited outlet: the outlets named in chart source lines change."""
    with (data / "sources.csv").open(encoding="utf-8", newline="") as fh:
        top = Counter(r["outlet"] for r in csv.DictReader(fh)).most_common(1)[0][0]
    edit_csv(data, "sources", "outlet", lambda v: v + " (edited)", lambda r: r["outlet"] == top)


#: One visible edit per input: each changes at least one brief's HTML.
EDITS = {
    "sources": _edit_top_outlet,
    "rounds": lambda d: edit_csv(d, "rounds", "venue", lambda v: "Edited Palace"),
    "exchanges": lambda d: edit_csv(d, "exchanges", "returned_to_ukraine", lambda v: _plus(v, 1), lambda r: r["returned_to_ukraine"] != ""),
    "running_totals": lambda d: edit_csv(
        d, "running_totals", "people_returned_count", lambda v: _plus(v, 1), lambda r: r["people_returned_count"] != ""
    ),
    "claims": lambda d: edit_csv(d, "claims", "place", lambda v: v + "ka", lambda r: r["claim_type"] == "captured"),
    "control": lambda d: edit_csv(d, "control", "share_pct", lambda v: _plus(v, 0.1), lambda r: r["share_pct"] != "" and r["area"] == "Ukraine"),
    "positions": lambda d: edit_csv(d, "positions", "stance", lambda v: v + " (edited)", lambda r: r["actor"] == "RU"),
    "deadlines": lambda d: edit_csv(d, "deadlines", "demand", lambda v: v + " (edited)"),
    "releases": _add_release,
}


@pytest.fixture(scope="module")
def published(built_fixture_briefs, tmp_path_factory) -> tuple[Path, Path]:
    """A writable copy of the fixture data and of its published briefs."""
    base = tmp_path_factory.mktemp("incremental")
    data, out = base / "data", base / "out"
    shutil.copytree(FIXTURE_DATA, data)
    shutil.copytree(built_fixture_briefs, out)
    return data, out


@pytest.mark.parametrize("table", list(EDITS))
def test_an_incremental_build_after_editing_any_input_equals_a_forced_build(published, table, tmp_path):
    data, out = published
    before = {p.name: p.read_bytes() for p in out.glob("*.html") if p.name != "index.html"}
    EDITS[table](data)
    result = _run(data, out)
    assert result.code == 0, "\n".join(result.messages)
    rebuilt = {j.file_name for j in result.jobs if j.state == "built"}
    skipped = [j for j in result.jobs if j.state == "skipped"]
    changed = {name for name in rebuilt if (out / name).read_bytes() != before[name]}
    assert changed, f"the edit of {table} changed no brief: the test would prove nothing"
    # The briefs it skipped, built from scratch with the edited data, must equal what is published.
    if not skipped:
        return  # every brief reads this input: all were rebuilt
    forced = tmp_path / "forced"
    again = _run(data, forced, force=True, briefs=sorted({j.brief.name for j in skipped}))
    assert again.code == 0, "\n".join(again.messages)
    for job in skipped:
        assert (forced / job.file_name).read_bytes() == (out / job.file_name).read_bytes(), (
            f"{job.file_name} was skipped after an edit of {table} but a forced build differs"
        )


def test_a_brief_that_reads_an_undeclared_table_fails(tmp_path, monkeypatch):
    """The overview maps recent claims; declared without `claims`, its notebook must fail."""
    overview = BRIEFS["overview"]
    narrowed = type(overview)(**{**overview.__dict__, "tables": tuple(t for t in overview.tables if t != "claims")})
    monkeypatch.setitem(BRIEFS, "overview", narrowed)
    result = _run(FIXTURE_DATA, tmp_path / "out", briefs=["overview"])
    assert result.code == exitcodes.EXIT_BRIEF
    failure = next(j for j in result.jobs if j.state == "failed")
    assert "UndeclaredInput" in failure.message and "'claims'" in failure.message


def test_a_brief_that_reads_releases_without_declaring_them_fails(tmp_path, monkeypatch):
    overview = BRIEFS["overview"]
    monkeypatch.setitem(BRIEFS, "overview", type(overview)(**{**overview.__dict__, "releases": False}))
    result = _run(FIXTURE_DATA, tmp_path / "out", briefs=["overview"])
    failure = next(j for j in result.jobs if j.state == "failed")
    assert "data/releases/" in failure.message
