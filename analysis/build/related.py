"""What each brief's head and header show beyond its notebook, known at plan time from rounds.csv
and the briefs a full build publishes: the round's facts (for titles, the index and search), the
links to the previous and next round (of its series and of any format), its eve or final twin,
the eve notice, and the page's address and social card when the build has a base URL.

Links point at the briefs a default build publishes (the same for a build of one brief), as file
names relative to the brief. Read with the csv module: no pandas at plan time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from markupsafe import Markup

from analysis.briefs import checked_table
from analysis.build.words import HEAD_COLUMNS, day, prose_date

#: Where the social cards go, beside the briefs (build/cards.py draws them).
CARDS_DIR = "cards"
#: Columns of rounds.csv a brief's page and the index use.
FACT_COLUMNS = ("round_id", "start_date", "end_date", "status", "series", "format", "city", "country", "venue", "mediator", "opened_by")


def read_rounds(data_dir: Path) -> dict[str, dict]:
    """Each round's facts by round_id (empty values dropped; heads of delegation under 'heads')."""
    if not (data_dir / "rounds.csv").is_file():
        return {}
    # Through the strict reader, like every read of the plan: a fault in rounds.csv is a data error.
    raw = checked_table(data_dir, "rounds")
    out = {}
    for row in (dict(zip(raw.header, rec)) for rec in raw.records):
        rid = row.get("round_id") or ""
        if not rid:
            continue
        facts = {c: row[c].strip() for c in FACT_COLUMNS if (row.get(c) or "").strip()}
        heads = {party: row[c].strip() for c, party in HEAD_COLUMNS.items() if (row.get(c) or "").strip()}
        if heads:
            facts["heads"] = heads
        out[rid] = facts
    return out


def attribute_text(text: str) -> Markup:
    """Text for an attribute value (the head's meta tags): every ASCII character but letters, digits
    and spaces written as a character reference, as OWASP advises for attributes, so no data text
    can read as markup, an attribute or a handler to any HTML reader."""
    return Markup("".join(ch if ch == " " or ord(ch) >= 128 or ch.isalnum() else f"&#x{ord(ch):02x};" for ch in str(text or "")))


#: Stand-ins for data text in the head's meta tags: filled in by `fill_meta` after nbconvert has
#: parsed and written the page again (which would undo the encoding of `attribute_text`).
META_TITLE, META_DESCRIPTION = "brief-meta-title", "brief-meta-description"


def fill_meta(body: str, title: str, description: str) -> str:
    """The page with each meta tag's stand-in replaced by its text, encoded for an attribute."""
    for token, text in ((META_TITLE, title), (META_DESCRIPTION, description)):
        body = body.replace(f'content="{token}"', f'content="{attribute_text(text)}"')
    return body


def chromium_path() -> str | None:
    """The headless Chromium that PDFs and social cards use, if installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _order(facts: dict) -> tuple[str, str]:
    return (facts.get("start_date", ""), facts.get("round_id", ""))


def _neighbours(chain: list[dict], rid: str) -> tuple[dict | None, dict | None]:
    ids = [f["round_id"] for f in chain]
    if rid not in ids:
        return None, None
    i = ids.index(rid)
    return (chain[i - 1] if i > 0 else None), (chain[i + 1] if i + 1 < len(chain) else None)


def attach(jobs: list, data_dir: Path, base_url: str = "") -> None:
    """Set `facts` and `page` on every job (see the module docstring)."""
    from analysis.briefs import BRIEFS, brief_title
    from analysis.present.links import round_stem

    rounds = read_rounds(data_dir)
    round_brief = BRIEFS["round"]
    # Variants a default build publishes: the final brief of every round, and its eve brief(s).
    twins: dict[str, list[str]] = {}
    for v in round_brief.variants(data_dir):
        if v.get("as_of") and v.get("round_id") in rounds:
            twins.setdefault(v["round_id"], []).append(v["as_of"])
    # Cancelled rounds are skipped between neighbours (as in metrics.rounds.days_since_previous_round).
    chain = sorted((f for f in rounds.values() if f.get("status") != "cancelled"), key=_order)
    image = bool(base_url) and chromium_path() is not None

    def target(facts: dict, as_of: str = "") -> dict:
        values = {"round_id": facts["round_id"], "as_of": as_of}
        # The title the target brief itself gets (briefs.brief_title, as plan_jobs sets it).
        return {"href": f"{round_stem(values)}.html", "title": brief_title(round_brief, values, data_dir)}

    for job in jobs:
        page: dict = {"links": [], "eve": None, "base_url": base_url, "image": f"{base_url}{CARDS_DIR}/{job.stem}.png" if image else ""}
        rid = job.values.get("round_id") if job.brief.name == "round" else None
        facts = rounds.get(rid) if rid else None
        if facts:
            job.facts = facts
            as_of = job.values.get("as_of") or ""
            links = page["links"]
            if as_of:
                final = target(facts)
                start = day(facts.get("start_date", ""))
                cut = day(as_of)
                page["eve"] = {
                    "as_of": prose_date(as_of),
                    "is_eve": bool(start and cut and cut < start),  # as briefs.brief_title words it
                    "before_round": bool(start and cut and cut < start),
                    **final,
                }
            for eve in twins.get(rid, []):
                if eve != as_of:
                    links.append({"label": "As known on the eve", **target(facts, eve)})
            chain_here = chain if any(f["round_id"] == rid for f in chain) else sorted([*chain, facts], key=_order)
            series = [f for f in chain_here if f.get("series") and f.get("series") == facts.get("series")]
            prev_s, next_s = _neighbours(series, rid)
            prev_a, next_a = _neighbours(chain_here, rid)
            steps = [("Previous round of these talks", "Previous round, any format", prev_s, prev_a)]
            if not as_of:
                # An "as of" brief names nothing after its date: no link to the rounds that followed.
                steps.append(("Next round of these talks", "Next round, any format", next_s, next_a))
            for label, label_any, f_s, f_a in steps:
                if as_of:
                    f_s = f_s if f_s and str(f_s.get("start_date", "")) <= as_of else None
                    f_a = f_a if f_a and str(f_a.get("start_date", "")) <= as_of else None
                if f_s:
                    links.append({"label": label, **target(f_s)})
                if f_a and f_a is not f_s:
                    links.append({"label": label_any, **target(f_a)})
        job.page = page
