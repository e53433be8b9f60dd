"""Incremental builds: a no-op build starts no kernel, and an edit rebuilds only the briefs that read it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import build
from analysis.briefs import BRIEFS
from analysis.build import kernels
from tests.conftest import FIXTURE_DATA
from tests.helpers import edit_csv

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
    edit_csv(data, "exchanges", "notes", lambda v: (v + " (edited)").strip())
    result = _run(data, out, briefs=brief_names)
    states = {j.stem: j.state for j in result.jobs}
    readers = {n for n in brief_names if "exchanges" in BRIEFS[n].tables}
    assert {s for s, st in states.items() if st == "built"} == readers == {"exchanges"}
    assert states["territory"] == states["positions"] == "skipped"
