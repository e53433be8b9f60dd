"""Reader words the build writes itself (the front page, the feed, cards): dates in prose, build
times, plurals, the labels of formats and parties (from the schemas), and text folded for search."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata

from analysis.present import words
from analysis.present.format import fmt_date

# ---------------------------------------------------------------------------------------------
# THE PARTIES EACH FORMAT OF TALKS SEATS AT THE TABLE (rounds.format, as its schema defines each code),
# for the front page's party filter. Kept here until the schema says it in a field of its own.
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
    """'us_ua' -> 'US–Ukraine talks': the reader label in the rounds schema ('talks' for an unknown
    code, never the code)."""
    from analysis.dataset.schema import table_schema

    field = table_schema("rounds").field("format")
    return field.label(code) if code in field.constraints.get("enum", ()) else "talks"


def party_words(code: str) -> str:
    """'US' -> 'United States': the reader label of a party code, from the schemas."""
    from analysis.dataset.schema import party_label

    return party_label(code)


#: The brief's own helpers for English, so the front page and the briefs say things one way.
capitalized = words.capital
plural = words.count
and_list = words.join


def day(value: str | dt.date) -> dt.date | None:
    """An ISO date string (or date) as a date; None when empty or not a date."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def prose_date(value: str | dt.date) -> str:
    """'2025-07-23' -> '23 July 2025' (the form for prose and titles; empty when not a date)."""
    d = day(value)
    return words.day(d) if d else ""


def table_date(value: str | dt.date) -> str:
    """'2025-07-23' -> '23 Jul 2025' (the form for tables and compact lines; empty when not a date)."""
    d = day(value)
    return fmt_date(d) if d else ""


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


def fold(text: str) -> str:
    """Text for search: accents removed, lower case, every run of non-letters and non-digits one
    space, with a space before the first word (the index page's script folds queries the same way)."""
    decomposed = unicodedata.normalize("NFD", str(text))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()
    return " " + " ".join("".join(ch if ch.isalnum() else " " for ch in bare).split())
