"""The CI workflow runs the README's commands on a schedule and on data changes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from analysis import build
from tests.conftest import ROOT


def _run(data: Path, out: Path, **kw) -> build.Result:
    return build.run(build.Options(data_dir=data, out_dir=out, log=lambda s: None, **kw))


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
