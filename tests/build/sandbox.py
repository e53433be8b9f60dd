"""Running the command line the way cron does, in a sandbox: a subprocess with its own HOME and TMPDIR,
and (when the tests run as root, who ignores file permissions) without the capabilities that let
root read or write any file, so that a read-only folder or an unreadable file is one for real."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

#: capability numbers (linux/capability.h): DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER
_DAC_CAPS = (1, 2, 3)
_PR_CAPBSET_DROP = 24


def _drop_file_capabilities() -> None:
    """In the child before exec: drop the capabilities that bypass file permissions from the
    bounding set, so the exec'd program (root or not) is held to the permission bits."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _DAC_CAPS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def sandbox_env(home: Path, tmp: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("ANALYSIS_REPORTS_DIR", "ANALYSIS_DATA_DIR")}
    env.update({"HOME": str(home), "TMPDIR": str(tmp), "PYTHONDONTWRITEBYTECODE": "1", **extra})
    return env


def cli(args: list[str], env: dict | None = None, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    """`python -m analysis ARGS` in a subprocess held to file permissions (see module docstring)."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_drop_file_capabilities if os.geteuid() == 0 else None,
        **kw,
    )


def tree(folder: Path) -> dict[str, tuple]:
    """Every entry under `folder` (links not followed) with its kind, size and content hash."""
    import hashlib
    import stat

    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            digest = hashlib.sha256(p.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else os.readlink(p) if p.is_symlink() else ""
            out[str(p.relative_to(folder))] = (stat.S_IFMT(st.st_mode), st.st_size, digest)
    return out


def no_traceback(proc: subprocess.CompletedProcess) -> str:
    """The last line of stderr, after checking that no traceback was printed."""
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr[-3000:]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ""
