"""Names of the briefs as readers and links see them: titles and file names (without .html).

One place, so the build's file names, the links between briefs and the index always agree.
"""

from __future__ import annotations

import re

#: Titles of the briefs that are not about one round.
TITLES = {
    "overview": "Overview: the state of the talks",
    "round": "Round brief",
    "exchanges": "Prisoner exchanges and repatriations",
    "territory": "Territorial claims and control",
    "positions": "Positions and deadlines",
}


def round_stem(values: dict) -> str:
    """'round-2025-07-23-istanbul', plus '-as-of-2025-07-22' for a brief as of an earlier day."""
    rid = values.get("round_id") or "latest"
    return f"round-{rid}" + (f"-as-of-{values['as_of']}" if values.get("as_of") else "")


def territory_stem(values: dict) -> str:
    """'territory', or 'territory-donetsk' for a brief on one oblast."""
    return "territory" + (f"-{values['oblast'].lower()}" if values.get("oblast") else "")


def _day(d: object) -> str:
    import pandas as pd

    return f"{pd.Timestamp(d):%-d %B %Y}"


def round_place(row: dict) -> str:
    """Where a round met, in words: 'Istanbul', 'Abu Dhabi', or 'by video link'."""
    city = row.get("city")
    return str(city) if isinstance(city, str) and city else "by video link"


def round_name(row: dict) -> str:
    """A round's name without its date: 'Istanbul talks', 'US–Ukraine talks in Geneva', 'Black Sea
    grain talks in Istanbul'."""
    from analysis.present.labels import round_format

    city = row.get("city")
    has_city = isinstance(city, str) and bool(city)
    series = row.get("series")
    if row.get("format") == "direct":
        head = f"{city} talks" if has_city else "Russia–Ukraine talks by video link"
    elif row.get("format") == "other" and isinstance(series, str) and series:
        # 'Other talks' says nothing: the talks' own name, without its year, and the city unless named.
        from analysis.present.labels import series as series_label

        name = re.sub(r" \(\d{4}\)$", "", series_label(series))
        head = name if not has_city or city in name else f"{name} in {city}"
    else:
        head = round_format(row.get("format")) + (f" in {city}" if has_city else " by video link")
    return head[0].upper() + head[1:]


def round_title(row: dict, *, eve: bool = False) -> str:
    """The human title of a round, built from its data: 'Istanbul talks, 23 July 2025' for talks
    between Russia and Ukraine, 'US–Ukraine talks in Geneva, 26 February 2026' for the others, with
    '(as known on the eve)' for a brief as of the day before.

    `row` needs city, start_date, format and series (a dict or a pandas row).
    """
    title = f"{round_name(row)}, {_day(row['start_date'])}"
    return title + (" (as known on the eve)" if eve else "")
