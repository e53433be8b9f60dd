"""The output folder is untrusted ground (docs/bad-inputs.md row 25): others may write to it too (a web
root, a shared drive). Links planted under the names the build uses are never followed, anything but
a regular file (or a real folder) at a name the build writes is refused with exit 73 before any kernel
starts, kernels run in a private folder outside it, and nothing outside it is ever written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from analysis import build
from analysis.build import kernels
from analysis.build import runner as run_module
from analysis.build.exitcodes import BriefFailure
from tests.build.sandbox import cli, no_traceback, sandbox_env, tree
from tests.build.test_faults import kernel_pids, run
from tests.conftest import FIXTURE_DATA

PRECIOUS = b"someone else's file\n"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder outside the output folder, holding a file the build must never touch."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "precious.txt").write_bytes(PRECIOUS)
    return folder


@pytest.fixture
def no_kernels(monkeypatch):
    monkeypatch.setattr(kernels, "start_kernel", lambda *a, **k: pytest.fail("a kernel was started"))


def _refused(out: Path, **kw) -> build.BuildError:
    with pytest.raises(build.BuildError) as exc:
        run(out, **kw)
    return exc.value


@pytest.mark.slow
def test_row25_planted_staging_links_and_modules_are_never_followed_or_imported(published, outside):
    """A link named like the staging folder of this very process, and a pandas.py in the output folder
    and in the link's target: the kernel runs elsewhere, imports the real pandas, and the link goes."""
    out, _ = published
    marker = outside / "imported"
    trap = f"open({str(marker)!r}, 'w').write('the build imported an attacker module')\nraise ImportError('attacker')\n"
    (outside / "pandas.py").write_text(trap)
    (out / "pandas.py").write_text(trap)
    (out / f".staging-{os.getpid()}").symlink_to(outside, target_is_directory=True)
    before = tree(outside)
    result = run(out, force=True)
    assert result.code == 0, result.jobs[0].message
    assert not marker.exists()
    assert tree(outside) == before
    assert not os.path.lexists(out / f".staging-{os.getpid()}")
    assert not list(out.glob(".staging-*"))


def test_row25_a_lock_file_link_is_refused_and_its_target_untouched(tmp_path, outside, fault_brief, no_kernels):
    fault_brief("ok")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".build.lock").symlink_to(outside / "precious.txt")
    err = _refused(out)
    assert err.code == 73
    assert str(err) == (f"{out / '.build.lock'} is a symbolic link, not a file: the build never follows a link it did not make; remove or rename it")
    assert (outside / "precious.txt").read_bytes() == PRECIOUS
    # A dangling link is not followed either: its target is never created.
    (out / ".build.lock").unlink()
    (out / ".build.lock").symlink_to(outside / "created-by-the-build")
    assert _refused(out).code == 73
    assert not (outside / "created-by-the-build").exists()


def test_row25_a_hard_linked_lock_file_is_refused(tmp_path, outside, fault_brief, no_kernels):
    fault_brief("ok")
    out = tmp_path / "out"
    out.mkdir()
    os.link(outside / "precious.txt", out / ".build.lock")
    err = _refused(out)
    assert err.code == 73 and "hard link" in str(err)
    assert (outside / "precious.txt").read_bytes() == PRECIOUS


@pytest.mark.slow
def test_row25_a_planted_probe_link_is_not_written_through(published, outside):
    out, _ = published
    (out / f".probe-{os.getpid()}.tmp").symlink_to(outside / "precious.txt")
    (out / f".fault.html.{os.getpid()}.1.tmp").symlink_to(outside / "precious.txt")
    result = run(out, force=True)
    assert result.code == 0, result.jobs[0].message
    assert (outside / "precious.txt").read_bytes() == PRECIOUS
    assert not list(out.glob(".*.tmp"))  # the planted links were removed, their target was not


def test_row25_a_failed_folder_link_is_refused_before_any_kernel(tmp_path, outside, fault_brief, no_kernels):
    fault_brief("ok")
    out = tmp_path / "out"
    out.mkdir()
    (out / "_failed").symlink_to(outside, target_is_directory=True)
    err = _refused(out)
    assert err.code == 73
    assert str(err) == f"{out / '_failed'} is a symbolic link, not a folder: the build never follows a link it did not make; remove or rename it"
    assert set(tree(outside)) == {"precious.txt"} and (outside / "precious.txt").read_bytes() == PRECIOUS


@pytest.mark.slow
def test_row25_a_failed_folder_swapped_for_a_link_during_the_build_keeps_nothing_outside(published, fault_brief, outside, monkeypatch):
    import nbformat

    out, before = published
    fault_brief("ok")
    (out / "_failed").mkdir(exist_ok=True)
    listing = tree(outside)

    def swap_then_fail(job, km, opts, run):
        run.notebook = nbformat.v4.new_notebook()
        os.rmdir(out / "_failed")
        (out / "_failed").symlink_to(outside, target_is_directory=True)
        raise BriefFailure("cell 3 raised ValueError: boom")

    monkeypatch.setattr(run_module, "execute", swap_then_fail)
    result = run(out, force=True)
    job = result.jobs[0]
    assert result.code == 70 and job.kept == ""
    assert job.message == f"cell 3 raised ValueError: boom; the failed notebook was not kept: {out / '_failed'} is a symbolic link, not a folder"
    assert tree(outside) == listing
    assert (out / "fault.html").read_bytes() == before


@pytest.mark.parametrize(
    ("name", "make", "kind", "want"),
    [
        (".build.lock", "folder", "folder", "file"),
        ("status.json", "folder", "folder", "file"),
        ("status.json", "fifo", "named pipe", "file"),
        ("index.html", "folder", "folder", "file"),
        ("validation.json", "folder", "folder", "file"),
        ("fault.html", "folder", "folder", "file"),
        ("fault.html", "link", "symbolic link", "file"),
        ("_failed", "file", "file", "folder"),
    ],
)
def test_row25_anything_but_a_regular_file_at_a_name_the_build_writes_is_refused_before_any_kernel(
    tmp_path, outside, fault_brief, no_kernels, name, make, kind, want
):
    fault_brief("ok")
    out = tmp_path / "out"
    out.mkdir()
    (out / "exchanges.html").write_bytes(b"previously published")
    target = out / name
    if make == "folder":
        target.mkdir()
    elif make == "fifo":
        os.mkfifo(target)
    elif make == "link":
        target.symlink_to(outside / "precious.txt")
    else:
        target.write_bytes(b"a file")
    err = _refused(out)
    assert err.code == 73
    assert str(err).startswith(f"{target} is a {kind}, not a {want}: ")
    assert (out / "exchanges.html").read_bytes() == b"previously published"
    assert (outside / "precious.txt").read_bytes() == PRECIOUS


@pytest.mark.slow
def test_row25_an_index_made_a_folder_during_the_build_ends_in_a_message(published, fault_brief, monkeypatch):
    out, _ = published
    real = run_module.update_status

    def then_block_the_index(out_dir, *a, **k):
        real(out_dir, *a, **k)
        (out_dir / "index.html").unlink()
        (out_dir / "index.html").mkdir()

    monkeypatch.setattr(run_module, "update_status", then_block_the_index)
    with pytest.raises(build.BuildError) as exc:
        run(out, force=True)
    assert exc.value.code == 73
    assert str(exc.value) == f"cannot write {out / 'index.html'}: Is a directory; the briefs built are published but not all are recorded"


@pytest.mark.slow
def test_row25_kernels_run_in_a_private_folder_outside_the_output_folder_removed_afterwards(published, fault_brief, monkeypatch):
    out, _ = published
    seen = []
    real = kernels.start_kernel

    def recording(env, cwd, *a, **k):
        seen.append((Path(cwd), Path(k["socket_dir"]), env.get("IPYTHONDIR")))
        return real(env, cwd, *a, **k)

    monkeypatch.setattr(kernels, "start_kernel", recording)
    assert run(out, force=True).code == 0
    assert seen
    for cwd, sockets, ipython in seen:
        assert out not in cwd.parents and cwd != out
        assert Path(tempfile.gettempdir()) in cwd.parents
        assert cwd.parent == sockets and Path(ipython).parent == sockets
        assert not sockets.exists()  # removed when the batch ended
    assert kernel_pids() == set()


@pytest.mark.slow
def test_row25_nothing_outside_the_output_folder_is_written(tmp_path):
    """A real build whose output folder's parent, HOME and everything but TMPDIR are read-only for it;
    afterwards the parent, HOME and TMPDIR are exactly as before (the kernels' private folder is gone)."""
    parent, home, tmp = tmp_path / "parent", tmp_path / "home", tmp_path / "tmp"
    for d in (parent / "reports", home, tmp):
        d.mkdir(parents=True)
    (parent / "README").write_text("the web root")
    before = {d: tree(d) for d in (parent, home, tmp)}
    parent.chmod(0o555)
    home.chmod(0o555)
    try:
        proc = cli(["build", "exchanges", "--data", FIXTURE_DATA, "--out", parent / "reports"], env=sandbox_env(home, tmp))
    finally:
        parent.chmod(0o755)
        home.chmod(0o755)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    after = {d: tree(d) for d in (parent, home, tmp)}
    assert after[home] == before[home] and after[tmp] == before[tmp]
    written = {k for k in after[parent].keys() - before[parent].keys()}
    assert written and all(k.startswith("reports/") for k in written)
