"""What every command shares: exit codes, the one-line error, and reading the dataset's metadata."""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_USAGE, EXIT_DATA, EXIT_NO_INPUT, EXIT_INTERNAL, EXIT_CANT_CREATE, EXIT_IO = 64, 65, 66, 70, 73, 74
EXIT_SIGINT, EXIT_PIPE, EXIT_SIGTERM = 130, 141, 143


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _err(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr, flush=True)


def _data_error(exc, listed: int = 20) -> int:
    """The problems that stop a command from loading the data, then one line: 65, or 66 for missing input."""
    from analysis.present import words

    for issue in exc.issues[:listed]:
        print(issue.format(), file=sys.stderr)
    more = f" ({len(exc.issues) - listed} more not listed)" if len(exc.issues) > listed else ""
    _err(f"the data cannot be read: {words.count(len(exc.issues), 'problem')}{more}; python -m analysis validate lists them all")
    return EXIT_NO_INPUT if exc.missing_file else EXIT_DATA


def _dataset_info(data_dir: Path):
    """The dataset's version and date, or DataError naming datapackage.json."""
    from analysis.dataset.csvread import DataError, Issue
    from analysis.dataset.tables import load_dataset_info

    path = data_dir / "datapackage.json"
    try:
        return load_dataset_info(data_dir)
    except (OSError, KeyError, ValueError, TypeError, AttributeError) as exc:
        kind = "missing-file" if isinstance(exc, FileNotFoundError) else "metadata"
        detail = exc.strerror if isinstance(exc, OSError) else f"no {exc}" if isinstance(exc, KeyError) else str(exc)
        raise DataError([Issue(str(path), 0, 0, "cannot read the dataset version and date", str(detail), kind)]) from None


def _write_text(target: Path, text: str) -> int:
    """Write a file the command produces; 0, or the exit code after a one-line message."""
    from analysis.build.exitcodes import write_error_code

    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        _err(f"cannot write {target}: {exc.strerror}")
        return write_error_code(exc)
    return 0
