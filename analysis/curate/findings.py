"""What the tool says about a claim: candidates, findings, and the helpers that pick among namesakes."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

from analysis.curate.gazetteers import (
    GazetteerIndex,
    Settlement,
    _Keyed,
)
from analysis.curate.neighbours import distance_km
from analysis.curate.placenames import (
    CLUSTER_KM,
    admin_match_length,
)


@dataclass(frozen=True)
class Candidate:
    """A gazetteer point that may be the claim's settlement.

    Attributes:
        gazetteer: `geonames` or `geonames-postal`.
        gazetteer_id: GeoNames id, or the postal codes.
        name: As in the gazetteer.
        oblast: The gazetteer's oblast.
        raion: Raion name: the codifier's when the point is tied to a codifier settlement,
            otherwise the neighbours' vote ('' when they disagree).
        hromada: Hromada name, the same way.
        admin_basis: `codifier` or `neighbours`.
        latitude: Text as in the gazetteer.
        longitude: Text as in the gazetteer.
        match: `strict` (national transliteration) or `loose` (a variant spelling or the alias).
        group: Candidates with the same group number are one settlement (points within CLUSTER_KM).
        km_to_centroid: Distance to the centroid of the other located claims of the claim date.
        direction: Compass direction from that centroid to the point.
        km_outside_oblast: 0 inside the claim's oblast, else the distance to its outline; None
            when no check was given or the oblast has no outline.
        in_oblast: True/False by the check's tolerance; None when unchecked.
        katottg_code: The codifier settlement the point is tied to, when it is.
    """

    gazetteer: str
    gazetteer_id: str
    name: str
    oblast: str
    raion: str
    hromada: str
    admin_basis: str
    latitude: str
    longitude: str
    match: str
    group: int
    km_to_centroid: float | None
    direction: str
    km_outside_oblast: float | None
    in_oblast: bool | None
    katottg_code: str = ""


@dataclass(frozen=True)
class Finding:
    """What the gazetteers say about one settlement claim.

    Attributes:
        claim_id: The claim.
        place: The claim's place.
        oblast: The claim's oblast.
        verdict: `unique`, `ambiguous` or `not found`.
        reason: Why, in plain words.
        namesakes: Codifier settlements of the name in the oblast (before any raion filter).
        candidates: Gazetteer points of the name.
        chosen: The candidate taken (verdict unique only).
        has_point: Whether the claim already had a point.
        precision: The claim's location_precision.
    """

    claim_id: str
    place: str
    oblast: str
    verdict: str
    reason: str
    namesakes: tuple[Settlement, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    chosen: Candidate | None = None
    has_point: bool = False
    precision: str = ""
    km_to_nearest_claim: float | None = None

    @property
    def chosen_lat(self) -> float:
        return float(self.chosen.latitude) if self.chosen else math.nan

    @property
    def chosen_lon(self) -> float:
        return float(self.chosen.longitude) if self.chosen else math.nan

    def as_dict(self) -> dict:
        return asdict(self)


OblastCheck = Callable[[str, float, float], "float | None"]
"""(oblast, lat, lon) -> km outside the oblast's outline (0 inside), or None if it has none."""


def _date_centroids(rows: Sequence[Mapping[str, str]]) -> dict[str, list[tuple[str, float, float]]]:
    by_date: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for r in rows:
        if r.get("latitude") and r.get("longitude"):  # exact and approximate points alike
            try:
                by_date[r.get("claim_date", "")].append((r["claim_id"], float(r["latitude"]), float(r["longitude"])))
            except ValueError:
                continue  # a malformed number is the validator's business
    return by_date


def _centroid(points: Sequence[tuple[str, float, float]], exclude: str) -> tuple[float, float] | None:
    others = [(la, lo) for cid, la, lo in points if cid != exclude]
    if not others:
        return None
    return sum(la for la, _ in others) / len(others), sum(lo for _, lo in others) / len(others)


def _groups(places: Sequence[_Keyed]) -> list[int]:
    """Single-linkage groups of points within CLUSTER_KM; returns a group number per place."""
    parent = list(range(len(places)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(places)):
        for j in range(i + 1, len(places)):
            a, b = places[i].place, places[j].place
            if distance_km(a.lat, a.lon, b.lat, b.lon) <= CLUSTER_KM:
                parent[find(i)] = find(j)
    roots: dict[int, int] = {}
    return [roots.setdefault(find(i), len(roots) + 1) for i in range(len(places))]


def _select_by_admin(index: GazetteerIndex, oblast: str, namesakes: list[Settlement], raion: str, hromada: str) -> tuple[list[Settlement], str]:
    """Namesakes left after the raion and hromada a source names, with a note on the filter."""
    notes = []
    selected = namesakes
    if raion:
        scores = {code: admin_match_length(raion, name) for code, name in index.raions.get(oblast, {}).items()}
        best = max(scores.values(), default=0)
        codes = {c for c, s in scores.items() if s and s == best}
        if not codes:
            notes.append(f"raion '{raion}' matches no raion of {oblast} oblast")
        else:
            selected = [s for s in selected if s.raion_code in codes]
            notes.append(f"raion '{raion}' read as {'/'.join(sorted(index.raion_names[c] for c in codes))}")
    if hromada:
        raion_codes = {s.raion_code for s in selected} if raion and selected else None
        pool = {code: name for code, (name, r) in index.hromadas.get(oblast, {}).items() if raion_codes is None or r in raion_codes}
        scores = {code: admin_match_length(hromada, name) for code, name in pool.items()}
        best = max(scores.values(), default=0)
        codes = {c for c, s in scores.items() if s and s == best}
        if not codes:
            notes.append(f"hromada '{hromada}' matches no hromada of {oblast} oblast")
        else:
            selected = [s for s in selected if s.hromada_code in codes]
            notes.append(f"hromada '{hromada}' read as {'/'.join(sorted(index.hromada_names[c] for c in codes))}")
    return selected, "; ".join(notes)


def _discriminating_level(target: Settlement, namesakes: Sequence[Settlement]) -> str:
    """The coarsest level that tells `target` apart from its namesakes: oblast, raion or hromada."""
    others = [s for s in namesakes if s.code != target.code]
    if not others:
        return "oblast"
    if all(s.raion_code != target.raion_code for s in others):
        return "raion"
    if all(s.hromada_code != target.hromada_code for s in others):
        return "hromada"
    return "none"


def _describe(settlements: Sequence[Settlement]) -> str:
    return "; ".join(f"{s.name} ({s.raion} raion, {s.hromada.strip()} hromada, {s.code})" for s in settlements)
