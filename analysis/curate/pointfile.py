"""Curators' hints, and writing points into claims.csv byte for byte (every other byte unchanged)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from analysis.curate.findings import (
    Finding,
)
from analysis.curate.placenames import (
    GAZETTEER_CITIES,
    ID_COLUMN,
)

HINT_FIELDS = ("raion", "hromada", "former_name")


def read_hints(path: Path) -> dict[str, dict[str, str]]:
    """Curator hints per claim_id: raion, hromada, former_name (each named by a source).

    A CSV with a claim_id column and any of HINT_FIELDS; other columns (source_ids, evidence)
    are for the curators and are not read. Rows whose `basis` column is present and not `named`
    are proposals and are skipped.
    """
    out: dict[str, dict[str, str]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row.get("basis", "named") not in ("", "named"):
                continue
            out[row["claim_id"]] = {k: (row.get(k) or "").strip() for k in HINT_FIELDS if (row.get(k) or "").strip()}
    return out


def apply_hints(rows: Sequence[Mapping[str, str]], hints: Mapping[str, Mapping[str, str]]) -> list[dict[str, str]]:
    """Rows with hint values filled where the row's own column is absent or empty."""
    out = []
    for r in rows:
        extra = hints.get(r.get("claim_id", ""), {})
        out.append({**r, **{k: v for k, v in extra.items() if not (r.get(k) or "").strip()}})
    return out


def split_records(text: str) -> list[tuple[list[str], str]]:
    """CSV records as their raw field texts (quotes kept) and line terminator.

    `"".join(",".join(f) + t for f, t in split_records(text)) == text` for any text, so a file
    can be edited field by field without re-quoting or re-ending any other line.
    """
    records: list[tuple[list[str], str]] = []
    fields: list[str] = []
    start = i = 0
    n = len(text)
    in_quotes = False
    while i < n:
        c = text[i]
        if in_quotes:
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 1
                else:
                    in_quotes = False
        elif c == '"':
            in_quotes = True
        elif c == ",":
            fields.append(text[start:i])
            start = i + 1
        elif c in "\r\n":
            end = i + 2 if c == "\r" and i + 1 < n and text[i + 1] == "\n" else i + 1
            fields.append(text[start:i])
            records.append((fields, text[i:end]))
            fields, start, i = [], end, end
            continue
        i += 1
    if start < n or fields:
        fields.append(text[start:n])
        records.append((fields, ""))
    return records


def _unquote(raw: str) -> str:
    return raw[1:-1].replace('""', '"') if len(raw) >= 2 and raw[0] == raw[-1] == '"' else raw


def _quote(value: str) -> str:
    # The files are written with minimal quoting; values here are numbers, codes and words.
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value


def fill_points(text: str, findings: Iterable[Finding], *, id_column: str = ID_COLUMN) -> tuple[str, list[str]]:
    """Write the unique points into a claims.csv text; every other byte stays as it was.

    Only rows whose finding is `unique` and whose latitude is empty are changed: latitude,
    longitude, location_precision (exact), location_source (`geonames` or `geonames-postal`),
    geonames_id (cities500 only) and `id_column` (the KATOTTG code of the settlement). When the
    file has no `id_column` and a point is written, the column is appended at the end of every
    record (header included), so the order of the existing columns does not change.

    Args:
        text: The file's text.
        findings: From `locate_claims`.
        id_column: The column for the codifier code.

    Returns:
        The new text, and the claim_ids filled.
    """
    unique = {f.claim_id: f.chosen for f in findings if f.verdict == "unique" and f.chosen}
    records = split_records(text)
    if not records:
        return text, []
    header = [_unquote(f) for f in records[0][0]]
    col = {name: i for i, name in enumerate(header)}
    for name in ("claim_id", "latitude", "longitude", "geonames_id", "location_precision", "location_source"):
        if name not in col:
            raise ValueError(f"claims file lacks column {name}")
    to_fill = []
    for n, (fields, _) in enumerate(records[1:], start=1):
        if len(fields) != len(header):
            continue  # a blank or malformed line is left for the validator
        cid = _unquote(fields[col["claim_id"]])
        if cid in unique and not _unquote(fields[col["latitude"]]) and not _unquote(fields[col["longitude"]]):
            to_fill.append((n, cid))
    if not to_fill:
        return text, []
    add_column = id_column not in col
    if add_column:
        col[id_column] = len(header)
    filled = []
    out_records = []
    fill_at = dict(to_fill)
    for n, (fields, end) in enumerate(records):
        fields = list(fields)
        if add_column and (n == 0 or len(fields) == len(header)):
            fields.append(id_column if n == 0 else "")
        if n in fill_at:
            c = unique[fill_at[n]]
            values = {
                "latitude": c.latitude,
                "longitude": c.longitude,
                "location_precision": "exact",
                "location_source": c.gazetteer,
                "geonames_id": c.gazetteer_id if c.gazetteer == GAZETTEER_CITIES else "",
                id_column: c.katottg_code,
            }
            for name, value in values.items():
                fields[col[name]] = _quote(value)
            filled.append(fill_at[n])
        out_records.append(",".join(fields) + end)
    return "".join(out_records), filled


def read_claims(path: Path) -> list[dict[str, str]]:
    """claims.csv rows as dicts (strings, empty for missing)."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_points(path: Path, findings: Iterable[Finding], *, id_column: str = ID_COLUMN) -> list[str]:
    """Fill the unique points into the file at `path` (see `fill_points`); returns the ids filled."""
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    new_text, filled = fill_points(text, findings, id_column=id_column)
    if filled:
        path.write_bytes(new_text.encode("utf-8"))
    return filled
