"""reports/index.html, the front page: the state of the talks in two lines, the overview and the topic
briefs, then the rounds by year (newest first) with their eve briefs, an offline search with
filters, and the "new" and "changed" badges of the latest update.

Rendered from status.json (what was published, titles, headlines, round facts, content changes)
and, for the state of the talks, from the dataset through the same metrics the overview uses. The
search index is built here and embedded in the page (no file to fetch: the page works from file://);
the page's script (templates/index/search.js) filters the list in place.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from analysis import paths
from analysis.build.publish import write_atomic
from analysis.build.words import (
    FORMAT_PARTIES,
    and_list,
    capitalized,
    date_span,
    fold,
    format_words,
    party_words,
    plural,
    prose_date,
    reader_time,
    table_date,
)
from analysis.present.links import round_place

#: The topic briefs, in the order the front page shows them.
TOPICS = ("overview", "exchanges", "territory", "positions")
#: Tables whose newest row the front page dates ("data current to"); sources is the registry of pages.
DATED_TABLES = ("rounds", "exchanges", "running_totals", "claims", "control", "positions", "deadlines")


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(paths.TEMPLATES_DIR / "index"), autoescape=True, trim_blocks=True, lstrip_blocks=True)


def write_index(out_dir: Path, status: dict, talks: dict | None = None) -> None:
    """reports/index.html (written only when its bytes change)."""
    data = render_index(status, talks, out_dir).encode("utf-8")
    target = out_dir / "index.html"
    if not target.is_file() or target.read_bytes() != data:
        write_atomic(target, data)


def published(status: dict, out_dir: Path | None = None) -> list[tuple[str, dict]]:
    """(stem, record) of every brief published at least once whose file is there, by stem."""
    return sorted(
        (stem, r)
        for stem, r in status.get("briefs", {}).items()
        if r.get("sha") and r.get("file") and (out_dir is None or (out_dir / r["file"]).is_file())
    )


def badge(rec: dict, status: dict) -> dict | None:
    """The "new" or "changed" badge of a brief whose content changed in the latest update, with what
    changed (dataset and package versions, the tables read whose data changed)."""
    ch = rec.get("change") or {}
    if not ch or ch.get("at") != status.get("last_change") or ch.get("kind") not in ("new", "changed"):
        return None
    if ch["kind"] == "new":
        return {"kind": "new", "text": f"first published with dataset v{ch.get('dataset_to', '')}"}
    from analysis.dataset.schema import table_schema

    parts = []
    if ch.get("dataset_from") and ch.get("dataset_from") != ch.get("dataset_to"):
        parts.append(f"dataset v{ch['dataset_from']} → v{ch['dataset_to']}")
    tables = [table_schema(t).title.lower() for t in ch.get("tables", []) if t != "datapackage"]
    if tables:
        parts.append("new or revised " + and_list(tables))
    if not parts and ch.get("package_from") and ch.get("package_from") != ch.get("package_to"):
        parts.append(f"analysis {ch['package_from']} → {ch['package_to']}")
    return {"kind": "changed", "text": "; ".join(parts) or "revised presentation"}


def talks_state(data_dir: Path, status: dict) -> dict:
    """The state of the talks as of the dataset date, with the metrics the overview brief uses: the
    latest and the next announced round, the open deadlines, and the newest row of each table."""
    import pandas as pd

    from analysis import dataset, metrics
    from analysis.briefs import BRIEFS, brief_title
    from analysis.build.related import read_rounds
    from analysis.dataset.schema import table_schema
    from analysis.present.links import round_stem

    full = dataset.load_dataset(data_dir)
    cut = metrics.asof.resolve_as_of(full, None)
    ds = metrics.asof.known_as_of(full, cut)
    facts = read_rounds(data_dir)
    briefs = status.get("briefs", {})

    def round_ref(rid: str) -> dict:
        values = {"round_id": rid, "as_of": ""}
        stem = round_stem(values)
        f = facts.get(rid, {})
        title = briefs.get(stem, {}).get("title") or brief_title(BRIEFS["round"], values, data_dir)
        return {"title": title, "href": f"{stem}.html" if briefs.get(stem, {}).get("sha") else "", "format": format_words(f.get("format", ""))}

    held = ds.rounds[ds.rounds["start_date"] <= cut]
    latest = round_ref(metrics.rounds.newest_round_id(held)) if len(held) else None
    upcoming = metrics.rounds.next_round(ds.rounds, cut)
    still_open = metrics.deadlines.open_deadlines(ds.deadlines, cut)
    due = still_open[still_open["deadline_date"] >= cut]["deadline_date"]
    by_date: dict[str, list[str]] = {}
    for row in metrics.coverage.table_summary(ds).itertuples():
        if row.table in DATED_TABLES and not pd.isna(row.newest_date):
            by_date.setdefault(f"{row.newest_date:%Y-%m-%d}", []).append(table_schema(row.table).title.lower())
    return {
        "as_of": prose_date(f"{cut:%Y-%m-%d}"),
        "latest": latest,
        "next": round_ref(str(upcoming["round_id"])) if upcoming is not None else None,
        "open_deadlines": plural(len(still_open), "deadline"),
        "open_count": len(still_open),
        "next_due": prose_date(f"{due.min():%Y-%m-%d}") if len(due) else "",
        "coverage": [{"date": table_date(d), "tables": and_list(t)} for d, t in sorted(by_date.items(), reverse=True)],
    }


@dataclass
class Entry:
    """One line of the front page: a brief, with the eve briefs of its round beneath it."""

    id: str
    kind: str  # "topic", "round" or "other"
    title: str
    href: str
    headline: str
    badge: dict | None
    failed: bool
    updated: str
    what: str = ""
    who: str = ""
    twins: list[dict] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    names: list[str] = field(default_factory=list)


def _entry(n: int, kind: str, rec: dict, status: dict) -> Entry:
    return Entry(
        id=f"b{n}",
        kind=kind,
        title=rec.get("title") or rec["file"],
        href=rec["file"],
        headline=rec.get("headline", ""),
        badge=badge(rec, status),
        failed=bool(rec.get("last_error")),
        updated=table_date(rec.get("content_updated") or rec.get("last_success", "")),
        names=[rec.get("title", "")],
    )


def _round_entry(n: int, main: dict, twins: list[dict], status: dict) -> Entry:
    f = main.get("facts") or {}
    e = _entry(n, "round", main, status)
    place = ", ".join(x for x in (f.get("city"), f.get("country")) if x) or capitalized(round_place(f))
    span = date_span(f.get("start_date", ""), f.get("end_date", ""))
    e.what = " · ".join(x for x in (capitalized(format_words(f.get("format", ""))), place, f.get("venue"), span if "–" in span else "") if x)
    heads = f.get("heads") or {}
    who = [f"{party_words(p)}: {h}" for p, h in heads.items()]
    if f.get("mediator"):
        who.append(f"host or mediator: {f['mediator']}")
    if f.get("opened_by"):
        who.append(f"opened by {f['opened_by']}")
    e.who = " · ".join(who)
    parties = sorted(set(FORMAT_PARTIES.get(f.get("format", ""), ())) | set(heads))
    e.facets = {
        "format": f.get("format", ""),
        "year": f.get("start_date", "")[:4],
        "party": parties,
        "city": f.get("city") or capitalized(round_place(f)),
    }
    e.names += [format_words(f.get("format", "")), place, f.get("venue", ""), f.get("mediator", ""), f.get("opened_by", "")]
    e.names += [*heads.values(), *(party_words(p) for p in parties)]
    for t in twins:
        as_of = (t.get("params") or {}).get("as_of", "")
        eve = t.get("title", "").endswith("(as known on the eve)")
        e.twins.append(
            {
                "href": t["file"],
                "label": f"As known on the eve, {prose_date(as_of)}" if eve else f"As known on {prose_date(as_of)}",
                "headline": t.get("headline", ""),
                "badge": badge(t, status),
            }
        )
    return e


def _search_json(entries: list[Entry], group_of: dict[str, int]) -> Markup:
    """The search index embedded in the page: folded names (titles, places, people, formats) and
    folded findings per entry, plus its filter values. Safe inside a <script> element."""
    rows = []
    for e in entries:
        text = " ".join([e.headline, *(t["headline"] for t in e.twins)])
        rows.append({"id": e.id, "k": e.kind, "g": group_of[e.id], "n": fold(" ".join(x for x in e.names if x)), "x": fold(text), **e.facets})
    raw = json.dumps(rows, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        raw = raw.replace(ch, esc)
    return Markup(raw)


def _options(entries: list[Entry], key: str, label) -> list[dict]:
    counts: dict[str, int] = {}
    for e in entries:
        values = e.facets.get(key)
        for v in values if isinstance(values, list) else [values]:
            if v:
                counts[v] = counts.get(v, 0) + 1
    ordered = sorted(counts, reverse=True) if key == "year" else sorted(counts, key=lambda v: label(v).lower())
    return [{"value": v, "label": f"{label(v)} ({counts[v]})"} for v in ordered]


def render_index(status: dict, talks: dict | None = None, out_dir: Path | None = None) -> str:
    """The front page from status.json (only briefs published at least once, and still there)."""
    recs = published(status, out_dir)
    topics, other = [], []
    rounds: dict[str, list[dict]] = {}
    for _, r in recs:
        rid = (r.get("facts") or {}).get("round_id")
        if r.get("brief") == "round" and rid:
            rounds.setdefault(rid, []).append(r)
        elif r.get("brief") in TOPICS:
            topics.append(r)
        else:
            other.append(r)
    number = itertools.count(1)
    topic_entries = []
    for r in sorted(topics, key=lambda r: (TOPICS.index(r["brief"]), r["file"])):
        topic_entries.append(_entry(next(number), "topic", r, status))
        topic_entries[-1].names.append((r.get("params") or {}).get("oblast", ""))
    years: dict[str, list[Entry]] = {}
    ordered = sorted(rounds.items(), key=lambda kv: ((kv[1][0].get("facts") or {}).get("start_date", ""), kv[0]), reverse=True)
    for _rid, group in ordered:
        # The brief as of the dataset date first, then its "as known on" twins, latest first.
        group.sort(key=lambda r: ((r.get("params") or {}).get("as_of") or "9999", r["file"]), reverse=True)
        e = _round_entry(next(number), group[0], group[1:], status)
        years.setdefault(e.facets["year"], []).append(e)
    other_entries = [_entry(next(number), "other", r, status) for r in other]
    groups = [("topics", topic_entries)] + [(f"y{y}", es) for y, es in years.items()] + [("other", other_entries)]
    group_of = {e.id: i for i, (_, es) in enumerate(groups) for e in es}
    all_entries = [e for _, es in groups for e in es]
    round_entries = [e for es in years.values() for e in es]
    filters = [
        ("format", "Any format", _options(round_entries, "format", lambda v: capitalized(format_words(v)))),
        ("year", "Any year", _options(round_entries, "year", str)),
        ("party", "Any party", _options(round_entries, "party", party_words)),
        ("city", "Any city", _options(round_entries, "city", str)),
    ]
    changed = sum(1 for _, r in recs if badge(r, status))
    latest = [(r.get("change") or {}).get("kind") for _, r in recs if (r.get("change") or {}).get("at") == status.get("last_change")]
    first_publication = bool(latest) and all(k == "first" for k in latest)
    return (
        _env()
        .get_template("index.html.j2")
        .render(
            talks=talks,
            topics=topic_entries,
            years=list(years.items()),
            other=other_entries,
            rounds_count=len(round_entries),
            briefs_count=len(recs),
            filters=filters,
            search_json=_search_json(all_entries, group_of),
            search_js=Markup((paths.TEMPLATES_DIR / "index" / "search.js").read_text(encoding="utf-8")),
            dataset_version=status.get("dataset_version", ""),
            dataset_date=prose_date(status.get("dataset_date", "")),
            last_build=reader_time(status.get("last_build", "")),
            last_change=reader_time(status.get("last_change", "")),
            changed_count=changed,
            first_publication=first_publication,
            plural=plural,
        )
        + "\n"
    )
