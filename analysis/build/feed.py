"""reports/feed.xml: an Atom feed (RFC 4287) with one entry per published brief, newest change first.

Each entry carries the brief's reader title, its headline finding as summary, the time its content
last changed (status.json `content_updated`, not the build time) and a link relative to the feed,
or absolute under `--base-url`. Ids are name-based UUIDs (`urn:uuid:`, version 5) of the dataset's
name and the brief's file stem: they stay the same whichever address the feed is published at.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from analysis.build.index import published
from analysis.build.publish import write_atomic
from analysis.build.words import prose_date

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"
TITLE = "Russia–Ukraine war diplomacy: briefs"
KINDS = {"overview": "Overview", "round": "Round briefs", "exchanges": "Exchanges", "territory": "Territory", "positions": "Positions and deadlines"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def entry_id(name: str, stem: str) -> str:
    """The permanent id of a brief's entry: urn:uuid: of the dataset name and the file stem."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{name}/briefs/{stem}')}"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    el.text = _NOT_XML.sub("", text)
    return el


def _updated(rec: dict) -> str:
    return rec.get("content_updated") or rec.get("last_success", "")


def render_feed(status: dict, out_dir: Path, name: str, author: str, base_url: str = "") -> bytes:
    """The Atom document for the briefs published in `out_dir` (see the module docstring)."""
    from analysis import __version__

    recs = published(status, out_dir)
    # Newest change first; at equal times the latest round first, then by file name.
    recs.sort(key=lambda sr: sr[0])
    recs.sort(key=lambda sr: (_updated(sr[1]), (sr[1].get("facts") or {}).get("start_date", "")), reverse=True)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "en"})
    _text(feed, "id", entry_id(name, "feed"))
    _text(feed, "title", TITLE)
    _text(feed, "subtitle", f"Briefs from dataset v{status.get('dataset_version', '')} of {prose_date(status.get('dataset_date', ''))}")
    _text(feed, "updated", max((_updated(r) for _, r in recs), default=status.get("last_build", "")))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": f"{base_url}{FEED_FILE}"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": f"{base_url}index.html"})
    author_el = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author_el, "name", author)
    _text(feed, "generator", "analysis", version=__version__)
    for stem, r in recs:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", entry_id(name, stem))
        _text(entry, "title", r.get("title") or stem)
        _text(entry, "updated", _updated(r))
        if r.get("first_published"):
            _text(entry, "published", r["first_published"])
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": f"{base_url}{r['file']}"})
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": r.get("brief", ""), "label": KINDS.get(r.get("brief", ""), "Briefs")})
        if r.get("headline"):
            _text(entry, "summary", r["headline"], type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def write_feed(status: dict, out_dir: Path, name: str, author: str, base_url: str = "") -> None:
    """reports/feed.xml (written only when its bytes change)."""
    data = render_feed(status, out_dir, name, author, base_url)
    target = out_dir / FEED_FILE
    if not target.is_file() or target.read_bytes() != data:
        write_atomic(target, data)
