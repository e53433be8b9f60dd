"""SIGTERM (how cron, systemd and CI stop a job) and SIGINT (Ctrl-C) sent to a real multi-brief build
while briefs run (docs/bad-inputs.md row 27): the kernels are stopped, the staging folder and the
kernels' private folder removed, status.json and the index record the briefs already published, the
lock is released, and the build exits 143 or 130 with one line saying so."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.build import publish
from tests.build.sandbox import sandbox_env
from tests.conftest import FIXTURE_DATA, ROOT

pytestmark = pytest.mark.slow


def _kernels_of(pid: int) -> set[int]:
    marker = f"ANALYSIS_BUILD_PID={pid}".encode()
    found = set()
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if b"ipykernel_launcher" in (p / "cmdline").read_bytes() and marker in (p / "environ").read_bytes().split(b"\0"):
                    found.add(int(p.name))
            except OSError:
                continue
    return found


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"])
def test_row27_a_signal_stops_a_real_multi_brief_build_and_records_what_was_published(tmp_path, sig, code):
    out, home, tmp = tmp_path / "reports", tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    log, errlog = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with log.open("w") as stdout_file, errlog.open("w") as stderr_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "analysis", "build", "--data", str(FIXTURE_DATA), "--out", str(out), "--jobs", "2"],
            cwd=ROOT,
            env=sandbox_env(home, tmp),
            stdout=stdout_file,
            stderr=stderr_file,
            text=True,
        )
        try:
            deadline = time.monotonic() + 240
            while " built " not in log.read_text() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _kernels_of(proc.pid), "briefs are running when the signal is sent"
            proc.send_signal(sig)
            sent = time.monotonic()
            proc.wait(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
    stopped_after = time.monotonic() - sent
    stdout, err = log.read_text(), errlog.read_text()
    assert proc.returncode == code, err
    assert "Traceback" not in err
    built = re.findall(r"^\[\s*\d+/12\] built\s+(\S+)", stdout, re.M)
    stopped = re.findall(r"^\[\s*\d+/12\] stopped\s+(\S+)", stdout, re.M)
    assert built and stopped, stdout
    assert err.strip().splitlines()[-1] == (
        f"error: interrupted by {sig.name}: {len(stopped)} {'brief' if len(stopped) == 1 else 'briefs'} stopped or not started; the {len(built)} built before "
        "are published and recorded in status.json and the index"
    )
    assert f"exit {code}" in stdout.strip().splitlines()[-1]
    assert stopped_after < 60
    # Published briefs are recorded and listed; nothing half-done is left.
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    recorded = sorted(stem for stem, rec in status["briefs"].items() if rec.get("sha"))
    assert recorded == sorted(built)
    assert sorted(p.stem for p in out.glob("*.html") if p.name != "index.html") == sorted(built)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{stem}.html"' in index for stem in built)
    assert not any(f'href="{stem}.html"' in index for stem in stopped)
    assert not list(out.glob(".staging-*")) and not list(out.glob(".*.tmp")) and not (out / "_failed").exists()
    # The lock is free, no kernel is left, the kernels' folder is gone from the temporary folder.
    with publish.build_lock(out, 0):
        pass
    deadline = time.monotonic() + 10
    while _kernels_of(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _kernels_of(proc.pid) == set()
    assert os.listdir(tmp) == [] and os.listdir(home) == []
