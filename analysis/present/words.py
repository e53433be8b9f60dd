"""Small pieces of English a brief's sentences are built from: counts with their nouns, lists of
names, and dates in prose. One place, so no brief says "1 deadline(s)" or "1 rows"."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 deadline', '2 deadlines', '1,250 people' (pass `plural` when it is not singular + 's')."""
    n = int(n)
    word = singular if n == 1 else (plural or singular + "s")
    return f"{n:,} {word}"


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun alone, agreeing with `n`: 'deadline' or 'deadlines'."""
    return singular if int(n) == 1 else (plural or singular + "s")


def verb(n: int, singular: str, plural: str) -> str:
    """'is' or 'are', 'was' or 'were', agreeing with `n`."""
    return singular if int(n) == 1 else plural


def join(items: Iterable[str], conj: str = "and") -> str:
    """'A', 'A and B', 'A, B and C'."""
    items = [str(i) for i in items if str(i)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def day(d: object) -> str:
    """A day in prose: '23 July 2025' (tables and axes use `format.fmt_date`: '23 Jul 2025')."""
    return f"{pd.Timestamp(d):%-d %B %Y}"


def days_between(a: object, b: object) -> int:
    """Whole days from `a` to `b`."""
    return int((pd.Timestamp(b) - pd.Timestamp(a)).days)


def capital(text: str) -> str:
    """The text with its first letter in upper case and the rest as it is ('US–Ukraine talks' stays
    so; str.capitalize would write 'Us–ukraine talks')."""
    return text[:1].upper() + text[1:] if text else text
