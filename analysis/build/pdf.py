"""Each brief printed to PDF with headless Chromium."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from analysis.build.exitcodes import EXIT_BRIEF, EXIT_NO_INPUT, BuildError
from analysis.build.plan import Job


def export_pdfs(jobs: list[Job], out_dir: Path, log: Callable[[str], None]) -> None:
    """Print each brief to PDF with headless Chromium (charts drawn before printing)."""
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        raise BuildError(EXIT_NO_INPUT, "--pdf needs Chromium (make browser, or apt-get install chromium)")
    pdf_dir = out_dir / "pdf"
    pdf_dir.mkdir(exist_ok=True)
    for j in jobs:
        target = pdf_dir / f"{j.stem}.pdf"
        tmp = pdf_dir / f".{j.stem}.pdf.tmp"
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
            f"--user-data-dir={pdf_dir / '.chromium'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={tmp}",
            (out_dir / j.file_name).as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, timeout=120)
        if proc.returncode != 0 or not tmp.is_file():
            tmp.unlink(missing_ok=True)
            raise BuildError(EXIT_BRIEF, f"PDF export of {j.stem} failed: {proc.stderr.decode(errors='replace')[-300:]}")
        os.replace(tmp, target)
        log(f"pdf {target.relative_to(out_dir)} {target.stat().st_size / 1024:,.0f} KB {time.monotonic() - t:.1f} s")
    shutil.rmtree(pdf_dir / ".chromium", ignore_errors=True)
