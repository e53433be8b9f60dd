"""The output folder: one build at a time (an OS lock), atomic writes, and cleaning up after a crash.

The output folder is untrusted ground: others may write to it too (a web root, a shared drive). So
the build never follows a link it did not make and writes nothing outside it. Temporary files and
folders get unpredictable names and are created exclusively (O_EXCL); every file is written through a
descriptor of its folder opened without following links, so a folder swapped for a link meanwhile
cannot redirect a write; the lock file is opened with O_NOFOLLOW; and anything at a name the build
writes that is not a regular file (or, for _failed/ and pdf/, a real folder) is refused (exit 73).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from analysis.build.exitcodes import EXIT_CANT_CREATE, EXIT_TEMP, BuildError, write_error_code
from analysis.build.plan import Job
from analysis.dataset.csvread import read_at_most

FAILED_DIR = "_failed"


LOCK_FILE = ".build.lock"


STAGING_PREFIX = ".staging-"


_KINDS = {
    stat.S_IFREG: "file",
    stat.S_IFDIR: "folder",
    stat.S_IFLNK: "symbolic link",
    stat.S_IFCHR: "device",
    stat.S_IFBLK: "device",
    stat.S_IFIFO: "named pipe",
    stat.S_IFSOCK: "socket",
}


def kind_of(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "special file")


def entry_kind(path: Path) -> str | None:
    """What is at `path` itself (a link is not followed): 'file', 'folder', 'symbolic link', ... or None."""
    try:
        return kind_of(os.lstat(path).st_mode)
    except FileNotFoundError:
        return None


def refusal(path: Path, kind: str, want: str) -> BuildError:
    """The exit-73 error for `path` being a `kind` where the build writes a `want` ('file' or 'folder')."""
    why = "the build never follows a link it did not make" if kind == "symbolic link" else f"the build writes a {want} there"
    return BuildError(EXIT_CANT_CREATE, f"{path} is a {kind}, not a {want}: {why}; remove or rename it")


def check_entry(path: Path, want: str = "file") -> None:
    """Refuse (exit 73) anything at `path` but nothing or a `want` ('file' or 'folder')."""
    kind = entry_kind(path)
    if kind is not None and kind != want:
        raise refusal(path, kind, want)


@contextlib.contextmanager
def build_lock(out_dir: Path, wait: float):
    """One build per output folder: an flock the OS releases if the process dies.

    The lock file is opened without following a link and must be a regular file with one name, since
    the build writes its process id into it.
    """
    path = out_dir / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        kind = entry_kind(path)
        if kind not in (None, "file"):
            raise refusal(path, kind, "file") from None
        raise BuildError(write_error_code(exc), f"cannot open the lock file {path}: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise refusal(path, kind_of(st.st_mode), "file")
        if st.st_nlink != 1:
            raise BuildError(EXIT_CANT_CREATE, f"{path} is a file with {st.st_nlink} names (a hard link), not a lock file of its own; remove it")
        deadline = time.monotonic() + wait
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


def _is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


def clean_leftovers(out_dir: Path) -> list[str]:
    """Remove temporary files and folders a crashed build left behind (only called while holding the lock).

    A link named like them is removed itself, never followed; a real folder named like a temporary file
    is not ours and is left alone.
    """
    removed = []
    folders = [out_dir] + [out_dir / d for d in (FAILED_DIR, "pdf") if entry_kind(out_dir / d) == "folder"]
    for folder in folders:
        with os.scandir(folder) as it:
            entries = list(it)
        for e in entries:
            is_dir = e.is_dir(follow_symlinks=False)
            try:
                if folder == out_dir and e.name.startswith(STAGING_PREFIX):
                    shutil.rmtree(e.path, ignore_errors=True) if is_dir else os.unlink(e.path)
                elif _is_temp_name(e.name) and not is_dir:
                    os.unlink(e.path)
                else:
                    continue
            except FileNotFoundError:
                continue
            removed.append(os.path.relpath(e.path, out_dir))
    return removed


def make_staging(out_dir: Path) -> Path:
    """A new private folder in `out_dir` for this build's temporary files (unpredictable name, mode 0700)."""
    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))


def open_folder(path: Path) -> int:
    """A descriptor of the folder `path`, which must be a real folder: a link there fails (ELOOP, ENOTDIR)."""
    return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)


def write_atomic(target: Path, data: bytes, staging: Path | None = None) -> None:
    """Write `data` to a new temporary file in `staging` (or beside `target`), fsync it, then rename it
    over `target`.

    The temporary file has an unpredictable name and is created exclusively, without following a
    link; both folders are held by descriptors opened without following links, so nothing can
    redirect the write outside them. (tempfile.mkstemp takes a folder path, not a descriptor.)
    """
    try:
        parent = open_folder(target.parent)
        try:
            tmp_dir = open_folder(staging) if staging is not None else parent
            try:
                name = f".{target.name[:40]}.{secrets.token_hex(8)}.tmp"
                fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=tmp_dir)
                try:
                    with os.fdopen(fd, "wb") as fh:
                        fh.write(data)
                        fh.flush()
                        os.fsync(fh.fileno())
                    os.replace(name, target.name, src_dir_fd=tmp_dir, dst_dir_fd=parent)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(name, dir_fd=tmp_dir)
                    raise
                with contextlib.suppress(OSError):
                    os.fsync(parent)
            finally:
                if tmp_dir != parent:
                    os.close(tmp_dir)
        finally:
            os.close(parent)
    except OSError as exc:
        if not os.path.isabs(str(exc.filename or "")):
            exc.filename = str(target)  # name the file, not the temporary name relative to a descriptor
        raise


def remove_file(folder: Path, name: str) -> None:
    """Remove `folder/name` if it is there, through a descriptor of `folder` (which must be a real folder)."""
    with contextlib.suppress(OSError):
        fd = open_folder(folder)
        try:
            os.unlink(name, dir_fd=fd)
        finally:
            os.close(fd)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file `path` (a link there is not followed), at most `limit` + 1 of them.

    Raises FileNotFoundError, BuildError (73: not a regular file) or OSError.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError:
        kind = entry_kind(path)
        if kind not in (None, "file"):
            raise refusal(path, kind, "file") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise refusal(path, kind_of(st.st_mode), "file")
        return read_at_most(fd, limit)
    finally:
        os.close(fd)


def preflight(out_dir: Path, files: Iterable[str] = (), folders: Iterable[str] = ()) -> None:
    """Fail before any kernel starts if the output folder cannot be written, or if one of the names the
    build writes holds something else than a regular file (`files`) or a real folder (`folders`)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(EXIT_CANT_CREATE, f"cannot create the output folder {out_dir}: {exc.strerror}") from None
    try:
        fd, probe = tempfile.mkstemp(prefix=".probe-", suffix=".tmp", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise BuildError(EXIT_CANT_CREATE, f"cannot write in the output folder {out_dir}: {exc.strerror}") from None
    for name in files:
        check_entry(out_dir / name, "file")
    for name in folders:
        check_entry(out_dir / name, "folder")


def keep_failed(nb, job: Job, failed_dir: Path) -> str:
    """Keep the executed (or partly executed) notebook of a failed brief under _failed/.

    Returns where it was kept (relative to the output folder), or '' when nothing ran or it could not
    be kept (then `job.message` says why). _failed/ must be a real folder: a link there is refused.
    """
    import nbformat

    if nb is None:
        return ""
    name = f"{job.stem}.ipynb"
    try:
        with contextlib.suppress(FileExistsError):
            os.mkdir(failed_dir)  # never follows a link: an entry of any kind there raises FileExistsError
        kind = entry_kind(failed_dir)
        if kind != "folder":
            job.message += f"; the failed notebook was not kept: {failed_dir} is a {kind}, not a folder"
            return ""
        write_atomic(failed_dir / name, nbformat.writes(nb).encode("utf-8"))
    except OSError as exc:
        job.message += f"; the failed notebook was not kept: {exc.strerror}"
        return ""
    return f"{failed_dir.name}/{name}"
