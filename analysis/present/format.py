"""Numbers, dates and text for readers: one place, so prose, tables and charts agree."""

from __future__ import annotations

import html

import pandas as pd


def esc(value: object) -> str:
    """Data text made inert for Plotly text properties (which accept a small HTML subset)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    # Quotes need no escaping in Plotly text (no attributes can form once < and > are escaped),
    # and Plotly would show &quot; literally.
    return html.escape(str(value), quote=False)


def short(text: object, limit: int = 60) -> str:
    """Text cut at a word boundary to at most `limit` characters, with an ellipsis."""
    t = "" if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)) else str(text)
    if len(t) <= limit:
        return t
    return t[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def fmt_int(n: object) -> str:
    """12345 -> '12,345'; missing -> 'n/a'."""
    if n is None or n is pd.NA or (isinstance(n, float) and pd.isna(n)):
        return "n/a"
    return f"{int(n):,}"


def fmt_date(d: object) -> str:
    """A day as '23 Jul 2025'."""
    if d is None or d is pd.NaT or (not isinstance(d, str) and pd.isna(d)):
        return "n/a"
    return f"{pd.Timestamp(d):%-d %b %Y}"


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
