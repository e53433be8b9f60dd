"""Notebook, kernel and filesystem faults (BAD-INPUTS rows 19–24): each made to happen for real.

A small test brief is registered whose notebook does what the row describes (raise, exit, hang,
kill its kernel, flood its output). Every test checks that the published brief stays byte-identical,
that the failure names the brief and cell, and that no kernel process is left behind.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from analysis import briefs, build, paths
from analysis.build import kernels, publish, status
from analysis.build import runner as run_module
from tests.conftest import FIXTURE_DATA

pytestmark = pytest.mark.slow

HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Fault brief

# %% tags=["parameters"]
note: str = ""  # an editor's note shown at the top of the brief (plain text)
mode: str = "ok"  # what to do

# %%
from analysis import dataset, metrics, present
full = dataset.load_dataset()
cut = metrics.asof.resolve_as_of(full, "")
present.prose.common.editor_note(note)

# %%
present.charts.exchanges.plot_mediators(metrics.exchanges.mediator_shares(full.exchanges), full, cut)
"""

FAULTS = {
    "raise": "raise ValueError('boom in a cell')",
    "exit": "import sys\nsys.exit(0)",
    "hang": "import time\ntime.sleep(600)",
    "die": "import os\nos._exit(1)",
    "flood": "print('x' * 200000)",
    "stderr": "import sys\nprint('a warning', file=sys.stderr)",
    "nochart": "",
}


def kernel_pids() -> set[int]:
    """Kernel processes started by builds in this test process (marked ANALYSIS_BUILD_PID), from the process table."""
    marker = f"ANALYSIS_BUILD_PID={os.getpid()}".encode()
    pids = set()
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                cmd = (p / "cmdline").read_bytes()
                env = (p / "environ").read_bytes() if b"ipykernel_launcher" in cmd else b""
            except OSError:
                continue
            if b"ipykernel_launcher" in cmd and marker in env.split(b"\0"):
                pids.add(int(p.name))
    return pids


@pytest.fixture
def fault_brief(tmp_path, monkeypatch):
    """Register brief 'fault' whose notebook runs FAULTS[mode] after its chart cell."""
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()

    def make(mode: str) -> str:
        body = HEADER + ("\n# %%\n" + FAULTS[mode] + "\n" if FAULTS.get(mode) else "")
        if mode == "nochart":
            body = HEADER.split("# %%\npresent.charts.exchanges.plot_mediators")[0]
        (nb_dir / "99-fault.py").write_text(body, encoding="utf-8")
        return mode

    brief = briefs.Brief(
        name="fault",
        notebook="99-fault.py",
        title="Fault brief",
        tables=("sources", "exchanges"),
        rules={"note": briefs.TEXT, "mode": briefs.TEXT},
    )
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", nb_dir)
    monkeypatch.setitem(briefs.BRIEFS, "fault", brief)
    return make


def run(out: Path, **kw) -> build.Result:
    logs: list[str] = []
    opts = build.Options(briefs=["fault"], data_dir=FIXTURE_DATA, out_dir=out, log=logs.append, jobs=1, **kw)
    result = build.run(opts)
    result.messages = logs
    return result


@pytest.fixture
def published(tmp_path, fault_brief):
    """An output folder holding a good, published fault brief; returns (out, bytes)."""
    fault_brief("ok")
    out = tmp_path / "out"
    assert run(out).code == 0
    return out, (out / "fault.html").read_bytes()


@pytest.mark.parametrize(
    ("mode", "needle"),
    [
        ("raise", "ValueError: boom in a cell"),
        ("exit", "SystemExit"),
        ("flood", "output flood"),
        ("stderr", "stderr"),
    ],
)
def test_row19_21_a_failing_cell_fails_the_brief_and_keeps_the_published_one(published, fault_brief, mode, needle):
    out, before = published
    fault_brief(mode)
    pids = kernel_pids()
    result = run(out, force=True)
    job = result.jobs[0]
    assert result.code == 70 and job.state == "failed"
    assert needle in job.message and "cell" in job.message
    assert (out / "fault.html").read_bytes() == before
    assert (out / "_failed" / "fault.ipynb").is_file()
    record = status.read_status(out)["briefs"]["fault"]
    assert record["last_error"] == job.message and record["last_success"]
    assert kernel_pids() <= pids == set()


def test_row20_a_hanging_cell_times_out(published, fault_brief):
    out, before = published
    fault_brief("hang")
    pids = kernel_pids()
    t = time.monotonic()
    result = run(out, force=True, cell_timeout=3)
    assert time.monotonic() - t < 60
    assert result.code == 75 and "timeout" in result.jobs[0].message
    assert (out / "fault.html").read_bytes() == before
    assert kernel_pids() <= pids == set()


def test_row20_a_brief_timeout_stops_the_kernel(published, fault_brief):
    out, before = published
    fault_brief("hang")
    pids = kernel_pids()
    result = run(out, force=True, cell_timeout=120, brief_timeout=4)
    assert result.code == 75, result.jobs[0].message
    assert "timed out after 4 s" in result.jobs[0].message
    assert (out / "fault.html").read_bytes() == before
    assert kernel_pids() <= pids == set()


def test_row20_a_dying_kernel_is_reported(published, fault_brief):
    out, before = published
    fault_brief("die")
    pids = kernel_pids()
    result = run(out, force=True)
    assert result.code == 70 and "died" in result.jobs[0].message
    assert (out / "fault.html").read_bytes() == before
    assert kernel_pids() <= pids == set()


def test_row20_a_kernel_that_cannot_start(published, fault_brief, monkeypatch):
    out, before = published
    fault_brief("ok")

    class Broken:
        def __init__(self, *a, **k):
            pass

        def start_kernel(self, **k):
            raise RuntimeError("no such kernel")

        def shutdown_kernel(self, **k):
            pass

    import jupyter_client.manager

    monkeypatch.setattr(jupyter_client.manager, "AsyncKernelManager", Broken)
    result = run(out, force=True)
    assert result.code == 69 and "could not start" in result.jobs[0].message
    assert (out / "fault.html").read_bytes() == before


def test_row21_a_brief_without_charts_fails(published, fault_brief):
    out, before = published
    fault_brief("nochart")
    result = run(out, force=True)
    assert result.code == 70 and "no chart" in result.jobs[0].message
    assert (out / "fault.html").read_bytes() == before


def test_row21_a_chart_dropped_from_the_html_fails(published, fault_brief, monkeypatch):
    out, before = published
    fault_brief("ok")
    real = run_module.render_html
    monkeypatch.setattr(run_module, "render_html", lambda *a, **k: real(*a, **k).replace('class="brief-plot"', 'class="gone"', 1))
    result = run(out, force=True)
    assert result.code == 70 and "chart" in result.jobs[0].message
    assert (out / "fault.html").read_bytes() == before


def test_row22_disk_full_while_writing_keeps_the_old_brief(published, fault_brief, monkeypatch):
    out, before = published
    fault_brief("ok")
    real_replace = os.replace

    def full(src, dst, **kw):
        if str(dst).endswith("fault.html"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, **kw)

    monkeypatch.setattr(publish.os, "replace", full)
    result = run(out, force=True, params={"note": "changed"})
    assert result.code == 74 and "No space left" in result.jobs[0].message
    assert (out / "fault.html").read_bytes() == before
    assert not list(out.glob(".*.tmp")) and not list(out.glob(".staging-*"))


def test_row22_unwritable_output_folder_fails_before_any_kernel(tmp_path, fault_brief, monkeypatch):
    fault_brief("ok")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(kernels, "start_kernel", lambda *a, **k: pytest.fail("kernel started"))
    with pytest.raises(build.BuildError) as exc:
        run(blocker / "reports")
    assert exc.value.code == 73


def test_row22_leftovers_of_a_killed_build_are_cleaned_next_run(published, fault_brief):
    out, before = published
    (out / ".staging-4242").mkdir()
    (out / ".staging-4242" / ".fault.html.4242.1.tmp").write_bytes(b"half a brief")
    (out / ".fault.html.4242.1.tmp").write_bytes(b"half")
    result = run(out)
    assert result.code == 0
    assert not list(out.glob(".staging-*")) and not list(out.glob(".*.tmp"))
    assert any("leftover" in m for m in result.messages)
    assert (out / "fault.html").read_bytes() == before


def test_row22_kill_between_write_and_rename(tmp_path, published, fault_brief):
    """A real build process killed with SIGKILL while it publishes: the old brief survives."""
    out, before = published
    script = tmp_path / "killer.py"
    script.write_text(
        "import os, signal, sys\n"
        "from analysis.build import publish\n"
        "real = os.replace\n"
        "def replace(src, dst, **kw):\n"
        "    if str(dst).endswith('.html'):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(src, dst, **kw)\n"
        "publish.os.replace = replace\n"
        "from analysis.cli import main\n"
        f"sys.exit(main(['build', 'exchanges', '--data', {str(FIXTURE_DATA)!r}, '--out', {str(out)!r}, '--force', '--jobs', '1']))\n"
    )
    (out / "exchanges.html").write_bytes(b"previously published")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.communicate(timeout=180)
    assert proc.returncode == -9
    assert (out / "exchanges.html").read_bytes() == b"previously published"
    assert list(out.glob(".staging-*"))  # the crash left its temp files...
    kernel_folders = list(Path(tempfile.gettempdir()).glob(f"{kernels.PRIVATE_PREFIX}{proc.pid}-*"))
    assert kernel_folders
    result = run(out)
    assert result.code == 0
    assert not list(out.glob(".staging-*"))  # ...and the next run removed them
    assert not any(f.exists() for f in kernel_folders)  # the kernels' private folder too


def test_row23_a_second_build_exits_75_while_the_first_holds_the_lock(published, fault_brief):
    out, _ = published
    with publish.build_lock(out, 0):
        with pytest.raises(build.BuildError) as exc:
            run(out)
    assert exc.value.code == 75 and "lock" in str(exc.value)


def test_row23_a_stale_lock_from_a_crashed_process_is_released(published, fault_brief):
    out, _ = published
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from analysis.build import publish; import time\nwith publish.build_lock(__import__('pathlib').Path({str(out)!r}), 0):\n    print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout.readline().strip() == b"locked"
    with pytest.raises(build.BuildError):
        run(out)
    holder.kill()
    holder.wait()
    assert run(out).code == 0


def test_row24_a_data_file_changing_during_the_build_is_detected(published, fault_brief, tmp_path, monkeypatch):
    import shutil

    out, before = published
    fault_brief("ok")
    data = tmp_path / "data-live"
    shutil.copytree(FIXTURE_DATA, data)
    real = run_module.execute

    def execute_and_edit(job, km, opts, run):
        nb = real(job, km, opts, run)
        with (data / "exchanges.csv").open("a", encoding="utf-8") as fh:
            fh.write("\n")
        return nb

    monkeypatch.setattr(run_module, "execute", execute_and_edit)
    result = build.run(build.Options(briefs=["fault"], data_dir=data, out_dir=out, log=lambda s: None, jobs=1, force=True))
    assert result.code == 75 and "data changed" in result.jobs[0].message
    assert (out / "fault.html").read_bytes() == before


def test_row18_hostile_string_parameter_reaches_the_notebook_unchanged(published, fault_brief):
    import html as html_mod
    import json

    out, _ = published
    value = "quote \" apostrophe ' backslash \\ newline\nand tab\t {{7*7}} $x$ <b>bold</b>"
    result = run(out, params={"note": value}, force=True)
    assert result.code == 0, result.jobs[0].message
    import re

    page = (out / "fault.html").read_text(encoding="utf-8")
    note = re.search(r'<aside class="brief-editor-note">(.*?)</aside>', page, re.S).group(1)
    shown = html_mod.unescape(re.sub(r"<[^>]+>", "", note))
    assert shown == "Editor's note: " + value  # every character arrived, as text
    assert "<b>bold</b>" not in page
    assert json.loads((out / "status.json").read_text(encoding="utf-8"))["briefs"]["fault"]["params"]["note"] == value
