"""After the briefs: the social cards (with a base URL), the front page and the Atom feed.

The build's one call after status.json is updated: the cards first (so status.json records them),
then index.html and feed.xml, each written only when its bytes change.
"""

from __future__ import annotations

from pathlib import Path

from analysis.build.cards import draw_cards
from analysis.build.feed import FEED_FILE, write_feed
from analysis.build.index import talks_state, write_index
from analysis.build.plan import Job, Options, check_base_url
from analysis.build.related import chromium_path
from analysis.build.status import write_status
from analysis.dataset.tables import read_datapackage


def publisher() -> str:
    """Who publishes the briefs: the package's author, as its metadata says."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        return metadata("analysis").get("Author") or "analysis"
    except PackageNotFoundError:
        return "analysis"


def publish_front(out_dir: Path, status: dict, jobs: list[Job], data_dir: Path, opts: Options) -> None:
    """Cards, index.html and feed.xml for what status.json says is published."""
    base_url = check_base_url(opts.base_url)
    if base_url:
        stems = [j.stem for j in jobs if j.state in ("built", "skipped") and j.page.get("image")]
        if not chromium_path():
            opts.log("warning: social cards skipped: Chromium is not installed (make browser); everything else was built")
        elif draw_cards(out_dir, status, stems, opts.log):
            write_status(out_dir, status)
    touched = any(j.state in ("built", "failed") for j in jobs)
    if touched or not (out_dir / "index.html").is_file():
        try:
            talks = talks_state(data_dir, status)
        except Exception as exc:  # noqa: BLE001 - the front page is still useful without its top lines
            opts.log(f"warning: the state of the talks is left off the index: {type(exc).__name__}: {exc}")
            talks = None
        write_index(out_dir, status, talks)
    if touched or not (out_dir / FEED_FILE).is_file():
        write_feed(status, out_dir, read_datapackage(data_dir).get("name", "briefs"), publisher(), base_url)
