"""Which oblast a point lies in, from the bundled oblast outlines (analysis/assets/ua_oblasts.geojson).

Used to check curated points: a settlement's own point must fall inside the oblast the claim names.
The outlines are simplified (about 83 KB for the country), so a point within `TOLERANCE_KM` of
its oblast's edge is accepted. Oblasts outside Ukraine (Kursk, Belgorod) have no outline here.
"""

from __future__ import annotations

import json
import math
from functools import cache

from analysis import paths

TOLERANCE_KM = 3.0
KM_PER_DEG_LAT = 111.2


@cache
def _rings() -> dict[str, list[list[tuple[float, float]]]]:
    gj = json.loads((paths.ASSETS_DIR / "ua_oblasts.geojson").read_text(encoding="utf-8"))
    out: dict[str, list[list[tuple[float, float]]]] = {}
    for feat in gj["features"]:
        geom = feat["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        out[feat["properties"]["name"]] = [[(x, y) for x, y in ring] for poly in polys for ring in poly[:1]]
    return out


def has_outline(oblast: str) -> bool:
    return oblast in _rings()


def _inside(ring: list[tuple[float, float]], lon: float, lat: float) -> bool:
    hit = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def _segment_km(lon: float, lat: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    kx = KM_PER_DEG_LAT * math.cos(math.radians(lat))
    px, py = lon * kx, lat * KM_PER_DEG_LAT
    ax, ay, bx, by = a[0] * kx, a[1] * KM_PER_DEG_LAT, b[0] * kx, b[1] * KM_PER_DEG_LAT
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def km_outside(oblast: str, lat: float, lon: float) -> float:
    """0 when the point lies in `oblast`, else its distance in km to the oblast's outline.

    Raises KeyError for an oblast without an outline (see `has_outline`).
    """
    rings = _rings()[oblast]
    if any(_inside(r, lon, lat) for r in rings):
        return 0.0
    return min(_segment_km(lon, lat, r[i - 1], r[i]) for r in rings for i in range(1, len(r)))
