"""The output folder: one build at a time (an OS lock), atomic writes, and cleaning up after a crash."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
from pathlib import Path

from analysis.build.exitcodes import EXIT_CANT_CREATE, EXIT_TEMP, BuildError
from analysis.build.plan import Job

FAILED_DIR = "_failed"


@contextlib.contextmanager
def build_lock(out_dir: Path, wait: float):
    """One build per output folder: an flock the OS releases if the process dies."""
    path = out_dir / ".build.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildError(EXIT_TEMP, f"another build holds the lock on {out_dir} (try again, or pass --wait SECONDS)") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def clean_leftovers(out_dir: Path) -> list[str]:
    """Remove temporary files a crashed build left behind (only called while holding the lock)."""
    removed = []
    for p in out_dir.glob(".staging-*"):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        removed.append(p.name)
    for p in out_dir.glob(".*.tmp"):
        p.unlink(missing_ok=True)
        removed.append(p.name)
    return removed


def write_atomic(target: Path, data: bytes, staging: Path | None = None) -> None:
    """Write `data` to a temporary file beside `target`, fsync it, then rename it over `target`."""
    tmp_dir = staging or target.parent
    tmp = tmp_dir / f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def preflight(out_dir: Path) -> None:
    """Fail before any kernel starts if the output folder cannot be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(EXIT_CANT_CREATE, f"cannot create the output folder {out_dir}: {exc.strerror}") from None
    probe = out_dir / f".probe-{os.getpid()}.tmp"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise BuildError(EXIT_CANT_CREATE, f"cannot write in the output folder {out_dir}: {exc.strerror}") from None


def keep_failed(nb, job: Job, failed_dir: Path) -> None:
    """Keep the executed (or partly executed) notebook of a failed brief under _failed/."""
    import nbformat

    if nb is None:
        return
    with contextlib.suppress(OSError):
        failed_dir.mkdir(exist_ok=True)
        write_atomic(failed_dir / f"{job.stem}.ipynb", nbformat.writes(nb).encode("utf-8"))
