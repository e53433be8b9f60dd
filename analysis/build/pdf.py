"""Each brief printed to PDF with Playwright and headless Chromium.

Playwright gives Chromium a fresh profile in the system's temporary folder; each PDF reaches pdf/
(a real folder: a link there is refused) by an atomic write, so nothing is written through a name
someone else may have planted in the output folder.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from analysis.build.exitcodes import EXIT_BRIEF, EXIT_NO_INPUT, BuildError, write_error_code
from analysis.build.plan import Job
from analysis.build.publish import check_entry, write_atomic

#: What a page says once every chart is drawn (render.js sets data-drawn on each chart's box).
_DRAWN = "() => Array.from(document.querySelectorAll('.brief-plot')).every(e => e.getAttribute('data-drawn') === 'yes')"
#: A4 less the print stylesheet's side margins (12 mm each), at 96 px per inch: the width the charts
#: are redrawn to before printing.
PRINT_WIDTH = 703
PAGE_TIMEOUT_MS = 60_000


def export_pdfs(jobs: list[Job], out_dir: Path, log: Callable[[str], None]) -> None:
    """Print each brief to PDF with Playwright's page.pdf(): opened offline in headless Chromium,
    printed only once every chart reports drawn, after the charts are redrawn to the A4 page width.

    Runs in a thread of its own: Playwright's sync API refuses to start where an asyncio loop is
    running (a build started from Jupyter, or next to another Playwright session)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf") as pool:
        pool.submit(_export, jobs, out_dir, log).result()


def _export(jobs: list[Job], out_dir: Path, log: Callable[[str], None]) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        raise BuildError(EXIT_NO_INPUT, "--pdf needs Chromium (make browser, or apt-get install chromium)")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BuildError(EXIT_NO_INPUT, "--pdf needs Playwright: pip install -e '.[pdf]' (make env installs it)") from None
    pdf_dir = out_dir / "pdf"
    check_entry(pdf_dir, "folder")
    try:
        pdf_dir.mkdir(exist_ok=True)
    except OSError as exc:
        raise BuildError(write_error_code(exc), f"cannot create {pdf_dir}: {exc.strerror}") from None
    check_entry(pdf_dir, "folder")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        try:
            for j in jobs:
                target = pdf_dir / f"{j.stem}.pdf"
                check_entry(target, "file")
                t = time.monotonic()
                try:
                    data = _print(browser, out_dir / j.file_name)
                except PlaywrightError as exc:
                    raise BuildError(EXIT_BRIEF, f"PDF export of {j.stem} failed: {str(exc).splitlines()[0][:300]}") from None
                try:
                    write_atomic(target, data)
                except OSError as exc:
                    raise BuildError(write_error_code(exc), f"cannot write {target}: {exc.strerror}") from None
                log(f"pdf {target.relative_to(out_dir)} {len(data) / 1024:,.0f} KB {time.monotonic() - t:.1f} s")
        finally:
            browser.close()


def _print(browser, page_file: Path) -> bytes:
    """One brief as PDF bytes: no request leaves the machine; charts drawn, refitted to the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        page.goto(page_file.as_uri(), timeout=PAGE_TIMEOUT_MS)
        page.wait_for_function(_DRAWN, timeout=PAGE_TIMEOUT_MS)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": PRINT_WIDTH, "height": 1000})
        # render.js marks the charts pending while it refits them to the new width, then drawn again.
        page.wait_for_timeout(300)
        page.wait_for_function(_DRAWN, timeout=PAGE_TIMEOUT_MS)
        return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        context.close()
