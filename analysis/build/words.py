"""Reader words the build writes itself (titles, the front page, the feed, cards): dates in prose,
build times, and the reader labels of the formats of talks.

A leaf of analysis/build: imports nothing from the package, so plan time stays fast.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata

# ---------------------------------------------------------------------------------------------
# READER LABELS OF rounds.format, and the parties each format seats at the table.
# Kept here, in one place, until data/schemas/rounds.schema.json carries these labels: then read
# them from the schema and delete this block.
FORMAT_WORDS = {
    "direct": "Russia–Ukraine talks",
    "trilateral": "US–Russia–Ukraine talks",
    "us_ua": "US–Ukraine talks",
    "us_ru": "US–Russia talks",
    "leaders": "leaders' meeting",
    "other": "other talks",
}
FORMAT_PARTIES = {
    "direct": ("UA", "RU"),
    "trilateral": ("UA", "RU", "US"),
    "us_ua": ("UA", "US"),
    "us_ru": ("RU", "US"),
    "leaders": (),
    "other": (),
}
#: The delegation-head columns of rounds.csv and the party each names.
HEAD_COLUMNS = {"ua_head": "UA", "ru_head": "RU", "us_head": "US"}
# ---------------------------------------------------------------------------------------------


def format_words(code: str) -> str:
    """'us_ua' -> 'US–Ukraine talks' (an unknown code is shown as 'talks', never as the code)."""
    return FORMAT_WORDS.get(code, "talks")


def reader_title(brief: str, title: str, values: dict, facts: dict) -> str:
    """A brief's reader title: 'Istanbul talks, 23 July 2025', '... (as known on the eve)'.

    Args:
        brief: The brief's name ("round", "overview", ...).
        title: The brief's own title (briefs.Brief.title), for briefs not about one round.
        values: The brief's parameter values.
        facts: The round's row of rounds.csv (round briefs; empty otherwise).
    """
    if brief == "round" and facts.get("start_date"):
        place = facts.get("city") or "Online"
        noun = format_words("leaders") if facts.get("format") == "leaders" else "talks"
        t = f"{place} {noun}, {prose_date(facts['start_date'])}"
    elif brief == "round":
        t = f"Round brief: {values.get('round_id') or 'newest round'}"
    else:
        t = title + (f": {values['oblast']}" if values.get("oblast") else "")
    if values.get("as_of"):
        start, cut = day(facts.get("start_date", "")), day(values["as_of"])
        eve = bool(start and cut and (start - cut).days == 1)
        t += " (as known on the eve)" if eve else f" (as known on {prose_date(values['as_of'])})"
    return t


def capitalized(text: str) -> str:
    """First letter upper case, the rest as written ("leaders' meeting" -> "Leaders' meeting")."""
    return text[:1].upper() + text[1:]


def day(value: str | dt.date) -> dt.date | None:
    """An ISO date string (or date) as a date; None when empty or not a date."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def prose_date(value: str | dt.date) -> str:
    """'2025-07-23' -> '23 July 2025' (the form for prose and titles)."""
    d = day(value)
    return f"{d.day} {d:%B %Y}" if d else ""


def table_date(value: str | dt.date) -> str:
    """'2025-07-23' -> '23 Jul 2025' (the form for tables and compact lines)."""
    d = day(value)
    return f"{d.day} {d:%b %Y}" if d else ""


def date_span(start: str, end: str) -> str:
    """'23 July 2025', '23–24 January 2026', '30 November – 2 December 2025' or across years."""
    a, b = day(start), day(end)
    if not a:
        return ""
    if not b or b <= a:
        return prose_date(a)
    if a.year != b.year:
        return f"{prose_date(a)} – {prose_date(b)}"
    if a.month != b.month:
        return f"{a.day} {a:%B} – {prose_date(b)}"
    return f"{a.day}–{prose_date(b)}"


def build_time() -> dt.datetime:
    """Now, in UTC to the second; or SOURCE_DATE_EPOCH when set, so that builds are reproducible.

    Raises:
        ValueError: SOURCE_DATE_EPOCH is set but is not a whole number of seconds.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not re.fullmatch(r"[0-9]+", epoch):
            raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, got {epoch!r}")
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def iso_time(t: dt.datetime) -> str:
    """RFC 3339 in UTC: '2026-04-24T14:05:00Z'."""
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def reader_time(stamp: str) -> str:
    """'2026-04-24T14:05:00Z' -> '24 April 2026 at 14:05 UTC'."""
    try:
        t = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return ""
    return f"{prose_date(t.date())} at {t:%H:%M} UTC"


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 brief', '2 briefs'."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def and_list(items: list[str]) -> str:
    """['a'] -> 'a'; ['a', 'b', 'c'] -> 'a, b and c'."""
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def fold(text: str) -> str:
    """Text for search: accents removed, lower case, every run of non-letters and non-digits one
    space, with a space before the first word (the index page's script folds queries the same way)."""
    decomposed = unicodedata.normalize("NFD", str(text))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()
    return " " + " ".join("".join(ch if ch.isalnum() else " " for ch in bare).split())
