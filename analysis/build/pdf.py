"""Each brief printed to PDF with headless Chromium.

Chromium's profile and its output go to a private folder in the system's temporary folder; each PDF
then reaches pdf/ (a real folder: a link there is refused) by an atomic write, so nothing is
written through a name someone else may have planted in the output folder.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from analysis.build.exitcodes import EXIT_BRIEF, EXIT_NO_INPUT, BuildError, write_error_code
from analysis.build.plan import Job
from analysis.build.publish import check_entry, write_atomic


def export_pdfs(jobs: list[Job], out_dir: Path, log: Callable[[str], None]) -> None:
    """Print each brief to PDF with headless Chromium (charts drawn before printing)."""
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        raise BuildError(EXIT_NO_INPUT, "--pdf needs Chromium (make browser, or apt-get install chromium)")
    pdf_dir = out_dir / "pdf"
    check_entry(pdf_dir, "folder")
    try:
        pdf_dir.mkdir(exist_ok=True)
    except OSError as exc:
        raise BuildError(write_error_code(exc), f"cannot create {pdf_dir}: {exc.strerror}") from None
    check_entry(pdf_dir, "folder")
    private = Path(tempfile.mkdtemp(prefix="brief-pdf-"))
    try:
        for j in jobs:
            target = pdf_dir / f"{j.stem}.pdf"
            check_entry(target, "file")
            tmp = private / "out.pdf"
            tmp.unlink(missing_ok=True)
            t = time.monotonic()
            cmd = [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--run-all-compositor-stages-before-draw",
                "--virtual-time-budget=10000",
                f"--user-data-dir={private / 'chromium'}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={tmp}",
                (out_dir / j.file_name).as_uri(),
            ]
            proc = subprocess.run(cmd, capture_output=True, timeout=120)
            if proc.returncode != 0 or not tmp.is_file():
                raise BuildError(EXIT_BRIEF, f"PDF export of {j.stem} failed: {proc.stderr.decode(errors='replace')[-300:]}")
            data = tmp.read_bytes()
            try:
                write_atomic(target, data)
            except OSError as exc:
                raise BuildError(write_error_code(exc), f"cannot write {target}: {exc.strerror}") from None
            log(f"pdf {target.relative_to(out_dir)} {len(data) / 1024:,.0f} KB {time.monotonic() - t:.1f} s")
    finally:
        shutil.rmtree(private, ignore_errors=True)
