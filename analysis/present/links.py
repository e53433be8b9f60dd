"""Names of the briefs as readers and links see them: titles and file names (without .html).

One place, so the build's file names, the links between briefs and the index always agree.
"""

from __future__ import annotations

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
