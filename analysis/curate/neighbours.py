"""Distances and the neighbour votes that give a gazetteer point its raion and hromada.

The gazetteers carry no raion: a point's raion and hromada are voted by its nearest reference
points, postal points whose name is unique in their oblast, hence whose raion the codifier knows."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from analysis.curate.gazetteers import (
    GazetteerIndex,
)
from analysis.curate.placenames import (
    CLUSTER_KM,
    FIT_MIN_VOTES,
    FIT_NEIGHBOURS,
    FIT_RADIUS_KM,
    HROMADA_MAJORITY,
    HROMADA_NEIGHBOURS,
    HROMADA_RADIUS_KM,
    KM_PER_DEG,
    MIN_VOTES,
    OUT_NEIGHBOURS,
    RAION_MAJORITY,
    RAION_NEIGHBOURS,
    RAION_RADIUS_KM,
    SELF_KM,
    admin_match_length,
    name_keys,
)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def compass(lat1: float, lon1: float, lat2: float, lon2: float) -> str:
    """Eight-point compass direction from the first point to the second."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    bearing = (math.degrees(math.atan2(x, y)) + 360) % 360
    return ("N", "NE", "E", "SE", "S", "SW", "W", "NW")[int((bearing + 22.5) // 45) % 8]


def _fast_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Equirectangular: within a few tens of km its error is far below the vote's precision.
    kx = KM_PER_DEG * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot((lon2 - lon1) * kx, (lat2 - lat1) * KM_PER_DEG)


def _neighbours(index: GazetteerIndex, oblast: str, lat: float, lon: float) -> list[tuple[float, str, str]]:
    """Reference points within RAION_RADIUS_KM, nearest first, as (km, raion code, hromada code).

    Any within `SELF_KM` is left out: the point's own postal row would vote for itself.
    """
    return sorted(
        (d, r, h) for rlat, rlon, r, h in index.references.get(oblast, ()) if SELF_KM < (d := _fast_km(lat, lon, rlat, rlon)) <= RAION_RADIUS_KM
    )


def _vote(items: Sequence[str], majority: float) -> str:
    if len(items) < MIN_VOTES:
        return ""
    code, n = Counter(items).most_common(1)[0]
    return code if n / len(items) >= majority else ""


def infer_admin(index: GazetteerIndex, oblast: str, lat: float, lon: float) -> tuple[str, str]:
    """The raion and hromada codes a point's neighbours agree on ('' where they do not)."""
    near = _neighbours(index, oblast, lat, lon)
    raion = _vote([r for _, r, _ in near[:RAION_NEIGHBOURS]], RAION_MAJORITY)
    hromada = _vote([h for d, _, h in near[:HROMADA_NEIGHBOURS] if d <= HROMADA_RADIUS_KM], HROMADA_MAJORITY)
    return raion, hromada


def raion_support(index: GazetteerIndex, oblast: str, lat: float, lon: float, raion_code: str) -> int:
    """How many of a point's nearest neighbours (up to twice RAION_NEIGHBOURS) lie in `raion_code`.

    A point near a raion's edge has some neighbours on each side, so the vote may go the other
    way; a point that belongs to another village far away has none in the raion.
    """
    return sum(1 for _, r, _ in _neighbours(index, oblast, lat, lon)[: 2 * RAION_NEIGHBOURS] if r == raion_code)


def hromada_fit(index: GazetteerIndex, oblast: str, lat: float, lon: float, hromada_code: str, rivals: Iterable[str] = ()) -> str:
    """Whether a point lies in a hromada, by its nearest labelled neighbours: 'in', 'out' or 'unsure'.

    'in': at least FIT_MIN_VOTES of the nearest FIT_NEIGHBOURS (within FIT_RADIUS_KM) lie in the
    hromada and it leads the vote weighted by 1/distance, and no rival hromada (one holding a
    namesake) leads. 'out': none of the nearest OUT_NEIGHBOURS lies in the hromada, or a rival
    leads. On the reference points (leave-one-out) 'in' finds a village's own hromada for 67% of
    them and wrongly puts a village into a given neighbouring hromada 11% of the time, so a
    caller takes an 'in' only when every other candidate point is 'out'.
    """
    near = _neighbours(index, oblast, lat, lon)
    close = [(d, h) for d, _, h in near[:FIT_NEIGHBOURS] if d <= FIT_RADIUS_KM]
    weight: dict[str, float] = defaultdict(float)
    for d, h in close:
        weight[h] += 1.0 / max(d, 0.5)
    ranked = sorted(weight.items(), key=lambda t: -t[1])
    leader = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else ""
    if leader and leader in set(rivals):
        return "out"
    if leader == hromada_code and sum(1 for _, h in close if h == hromada_code) >= FIT_MIN_VOTES:
        return "in"
    if hromada_code not in {h for d, _, h in near[:OUT_NEIGHBOURS] if d <= FIT_RADIUS_KM}:
        return "out"
    return "unsure"


def centre_point(index: GazetteerIndex, oblast: str, unit_code: str) -> tuple[float, float] | None:
    """The point of the settlement a raion or hromada is named after, when it is unambiguous.

    Raions and hromadas take the name of their centre (Комарська hromada: Комар; Волноваський
    raion: Волноваха). The centre's point is used only when its name is held by one settlement of
    the oblast and its gazetteer points form one group.
    """
    unit_name = index.raion_names.get(unit_code) or index.hromada_names.get(unit_code) or ""
    scored = sorted(
        ((admin_match_length(unit_name, s.name), "MXTC".find(s.category), s) for s in index.members.get(unit_code, ())),
        key=lambda t: (-t[0], t[1]),
    )
    if not scored or scored[0][0] == 0:
        return None
    centre = scored[0][2]
    key = name_keys(centre.name)[0]
    if len(index.settlements_strict.get((oblast, key), [])) != 1:
        return None
    points = [k.place for k in index.places_by_oblast.get(oblast, ()) if key in k.strict]
    if not points or any(distance_km(points[0].lat, points[0].lon, p.lat, p.lon) > CLUSTER_KM for p in points):
        return None
    return points[0].lat, points[0].lon
