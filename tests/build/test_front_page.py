"""The built front page, feed, meta tags, related links, badges, reproducibility and cards, on the
fixture data."""

from __future__ import annotations

import json
import re
import struct
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis import build
from analysis.build import related
from tests.conftest import FIXTURE_DATA, TEST_JOBS
from tests.helpers import edit_csv

pytestmark = pytest.mark.slow
ATOM = "{http://www.w3.org/2005/Atom}"


def _run(data: Path, out: Path, **kw) -> build.Result:
    return build.run(build.Options(data_dir=data, out_dir=out, log=kw.pop("log", lambda s: None), jobs=TEST_JOBS, **kw))


class _Head(HTMLParser):
    """The meta tags, the <title> and the header's links of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.header_links: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        if tag == "a" and "header" in self._in:
            self.header_links.append(a.get("href", ""))
        if tag in ("title", "header"):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "title":
            self.title += data


def _head(path: Path) -> _Head:
    h = _Head()
    h.feed(path.read_text(encoding="utf-8"))
    return h


def _status(out: Path) -> dict:
    return json.loads((out / "status.json").read_text(encoding="utf-8"))


def test_the_feed_is_valid_atom_and_links_only_existing_briefs(built_fixture_briefs):
    root = ET.parse(built_fixture_briefs / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    status = _status(built_fixture_briefs)["briefs"]
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len([p for p in built_fixture_briefs.glob("*.html") if p.name != "index.html"])
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
    for e in entries:
        href = e.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert (built_fixture_briefs / href).is_file(), href
        rec = next(r for r in status.values() if r["file"] == href)
        assert e.find(f"{ATOM}title").text == rec["title"]
        assert e.find(f"{ATOM}summary").text == rec["headline"]
        assert stamp.fullmatch(e.find(f"{ATOM}updated").text) and e.find(f"{ATOM}updated").text == rec["content_updated"]
        assert e.find(f"{ATOM}id").text.startswith("urn:uuid:")
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)


def test_every_brief_has_open_graph_and_twitter_tags(built_fixture_briefs):
    status = _status(built_fixture_briefs)["briefs"]
    for rec in status.values():
        h = _head(built_fixture_briefs / rec["file"])
        assert h.meta["og:title"] == h.title == rec["title"], rec["file"]
        assert h.meta["og:description"] == h.meta["description"] == rec["headline"], rec["file"]
        assert h.meta["og:type"] == "article" and h.meta["twitter:card"] == "summary", rec["file"]
        assert "og:image" not in h.meta  # only with --base-url


def test_every_eve_brief_links_its_final_brief_and_only_earlier_rounds_and_every_final_brief_another_round(built_fixture_briefs):
    status = _status(built_fixture_briefs)["briefs"]
    rounds = [r for r in status.values() if r["brief"] == "round"]
    assert any(r["params"]["as_of"] for r in rounds)
    for rec in rounds:
        h = _head(built_fixture_briefs / rec["file"])
        assert "index.html" in h.header_links, rec["file"]  # the breadcrumb
        for href in h.header_links:
            assert (built_fixture_briefs / href).is_file(), (rec["file"], href)
        rid = rec["params"]["round_id"]
        others = [href for href in h.header_links if href.startswith("round-") and not href.startswith(f"round-{rid}")]
        if rec["params"]["as_of"]:
            assert f"round-{rid}.html" in h.header_links, rec["file"]
            assert "only what had been published" in (built_fixture_briefs / rec["file"]).read_text(encoding="utf-8")
            # An eve brief names nothing after its date: only rounds that had met by then.
            assert all(href[len("round-") : len("round-") + 10] <= rec["params"]["as_of"] for href in others), (rec["file"], others)
        else:
            assert others, rec["file"]


def test_the_index_puts_the_state_of_the_talks_and_the_topic_briefs_above_the_rounds(built_fixture_briefs):
    html = (built_fixture_briefs / "index.html").read_text(encoding="utf-8")
    assert html.index('class="state"') < html.index('id="h-topics"') < html.index('id="h-rounds"')
    for rec in _status(built_fixture_briefs)["briefs"].values():
        assert f'href="{rec["file"]}"' in html, rec["file"]
    assert 'href="feed.xml"' in html and "last built " in html


def test_badges_mark_only_briefs_whose_content_changed_and_say_what_changed(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1777000000")
    out = tmp_path / "out"
    briefs = ["exchanges", "positions"]
    assert _run(data_copy, out, briefs=briefs).code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="badge' not in index  # a first publication marks nothing
    edit_csv(data_copy, "exchanges", "returned_to_russia", lambda v: str(int(v) + 1), lambda r: (r["returned_to_russia"] or "").isdigit())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1777086400")
    assert _run(data_copy, out, briefs=briefs).code == 0
    status = _status(out)
    assert status["briefs"]["exchanges"]["change"]["tables"] == ["exchanges"]
    assert status["briefs"]["exchanges"]["content_updated"] == "2026-04-25T03:06:40Z"
    assert status["briefs"]["positions"]["content_updated"] == "2026-04-24T03:06:40Z"  # not rebuilt: unchanged
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('class="badge changed"') == 1 and "new or revised exchanges and repatriations" in index
    entries = ET.parse(out / "feed.xml").getroot().findall(f"{ATOM}entry")
    assert entries[0].find(f"{ATOM}link").get("href") == "exchanges.html"  # newest change first
    # Rebuilt with identical content: no brief changed, so the latest update and its badges stay.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1777172800")
    assert _run(data_copy, out, briefs=briefs, force=True).code == 0
    assert _status(out)["last_change"] == "2026-04-25T03:06:40Z"
    assert (out / "index.html").read_text(encoding="utf-8").count('class="badge changed"') == 1


def test_source_date_epoch_gives_byte_identical_pages_index_and_feed(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1777000000")
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        assert _run(FIXTURE_DATA, out, briefs=["round"], params={"round_id": "2025-07-23-istanbul", "as_of": "2025-07-22"}).code == 0
    names = sorted(p.name for p in outs[0].iterdir() if p.suffix in (".html", ".xml"))
    assert names == ["feed.xml", "index.html", "round-2025-07-23-istanbul-as-of-2025-07-22.html"]
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    assert "24 April 2026 at 03:06 UTC" in (outs[0] / "index.html").read_text(encoding="utf-8")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_site_mode_with_a_base_url_has_the_index_feed_absolute_links_and_a_card_per_brief(tmp_path, chromium):
    out = tmp_path / "site"
    logs: list[str] = []
    base = "https://example.org/briefs/"
    assert _run(FIXTURE_DATA, out, site=True, base_url=base, briefs=["exchanges", "territory"], log=logs.append).code == 0
    assert (out / "plotly-briefs.min.js").is_file() and (out / "index.html").is_file()
    for stem in ("exchanges", "territory"):
        h = _head(out / f"{stem}.html")
        assert h.meta["og:url"] == f"{base}{stem}.html"
        assert h.meta["og:image"] == f"{base}cards/{stem}.png" == h.meta["twitter:image"]
        assert h.meta["twitter:card"] == "summary_large_image"
        assert _png_size(out / "cards" / f"{stem}.png") == (1200, 630)
    hrefs = [e.find(f"{ATOM}link").get("href") for e in ET.parse(out / "feed.xml").getroot().findall(f"{ATOM}entry")]
    assert sorted(hrefs) == [f"{base}exchanges.html", f"{base}territory.html"]
    # A second build draws no card again: what they show has not changed.
    logs.clear()
    assert _run(FIXTURE_DATA, out, site=True, base_url=base, briefs=["exchanges", "territory"], log=logs.append).code == 0
    assert not any(line.startswith("cards ") for line in logs), logs


def test_without_chromium_cards_are_skipped_with_one_warning_and_the_rest_builds(tmp_path, monkeypatch):
    from analysis.build import front

    monkeypatch.setattr(related, "chromium_path", lambda: None)
    monkeypatch.setattr(front, "chromium_path", lambda: None)
    out = tmp_path / "out"
    logs: list[str] = []
    assert _run(FIXTURE_DATA, out, base_url="https://example.org/", briefs=["positions"], log=logs.append).code == 0
    warnings = [line for line in logs if line.startswith("warning:")]
    assert len(warnings) == 1 and "cards skipped" in warnings[0] and "\n" not in warnings[0]
    assert not (out / "cards").exists()
    h = _head(out / "positions.html")
    assert "og:image" not in h.meta and h.meta["og:url"] == "https://example.org/positions.html"
    assert (out / "index.html").is_file() and (out / "feed.xml").is_file()
