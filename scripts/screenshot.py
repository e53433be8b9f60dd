"""Screenshot a built brief in headless Chromium (offline), e.g. for docs/.

Usage: .venv/bin/python scripts/screenshot.py reports/round-2025-07-23-istanbul.html docs/round-brief.png [--height 3000]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("page", type=Path)
    ap.add_argument("png", type=Path)
    ap.add_argument("--width", type=int, default=1100)
    ap.add_argument("--height", type=int, default=0, help="clip to this height (0: full page)")
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": args.width, "height": max(900, args.height)})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(args.page.resolve().as_uri())
        page.wait_for_function("() => Array.from(document.querySelectorAll('.brief-plot')).every(e => e.getAttribute('data-drawn') === 'yes')")
        opts = {"path": str(args.png), "full_page": not args.height}
        if args.height:
            opts["clip"] = {"x": 0, "y": 0, "width": args.width, "height": args.height}
        page.screenshot(**opts)
        browser.close()
    print(f"wrote {args.png}")


if __name__ == "__main__":
    main()
