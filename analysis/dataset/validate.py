"""Validation of the whole dataset: parsing, types and constraints (Frictionless), keys, links.

`validate_tables` returns a `ValidationReport`; it never prints and never exits. The command line
and the build decide what to do with it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from analysis import paths
from analysis.dataset import geo
from analysis.dataset.csvread import MISSING_KINDS, Issue, RawTable, read_raw
from analysis.dataset.schema import LIST_SEPARATOR, TABLES, table_schema
from analysis.dataset.tables import load_dataset_info, normalize_text, split_ids
from analysis.dataset.typed import check_types

MAX_LISTED = 100
_HOST = re.compile(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
#: A round id names files: round-<id>.html, round-<id>-as-of-<date>.html, _failed/<...>.ipynb. At
#: this length every one of them fits the filesystem's 255 bytes.
MAX_ROUND_ID_BYTES = 200
_EVE_SUFFIX = re.compile(r"-as-of-\d{4}-\d{2}-\d{2}$")


@dataclass
class ValidationReport:
    """Every issue found, plus per-table row counts."""

    data_dir: Path
    issues: list[Issue] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def missing_input(self) -> bool:
        return any(i.kind in MISSING_KINDS for i in self.errors)

    def lines(self, limit: int = MAX_LISTED, more: str = "see the JSON report") -> list[str]:
        """Human-readable lines, errors first, at most `limit` plus a count of the rest and where to
        find them: callers pass `more`, naming the report they wrote or how to write one."""
        ordered = self.errors + [i for i in self.issues if i.severity != "error"]
        out = [i.format() for i in ordered[:limit]]
        if len(ordered) > limit:
            out.append(f"... {len(ordered) - limit} more not listed ({more})")
        return out

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "error_count": len(self.errors),
            "warning_count": len(self.issues) - len(self.errors),
            "row_counts": self.row_counts,
            "issues": [i.as_dict() for i in self.issues],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)


def validate_tables(data_dir: Path | None = None, as_of: pd.Timestamp | None = None) -> ValidationReport:
    """Validate every table in `data_dir` against its schema and the others.

    Args:
        data_dir: Folder with the CSV files and datapackage.json (default: `paths.data_dir()`).
        as_of: No event may be dated after this day (default: the dataset date).
    """
    data_dir = (data_dir or paths.data_dir()).resolve()
    report = ValidationReport(data_dir)
    if as_of is None:
        try:
            as_of = load_dataset_info(data_dir).dataset_date
        except (OSError, KeyError, ValueError, TypeError, AttributeError) as exc:
            report.issues.append(
                Issue(
                    _label(data_dir / "datapackage.json"),
                    0,
                    0,
                    "cannot read the dataset version and date",
                    str(exc),
                    "missing-file" if isinstance(exc, FileNotFoundError) else "metadata",
                )
            )
            as_of = None
    raws: dict[str, RawTable] = {}
    for name in TABLES:
        raw = read_raw(name, data_dir)
        schema = table_schema(name)
        if not raw.errors:
            check_types(raw, schema)
        if not raw.errors:
            _check_constraints(raw)
            _check_codes(raw)
            _check_keys(raw)
            _check_urls(raw)
            if name == "rounds":
                _check_round_ids(raw)
            if name == "claims":
                _check_locations(raw)
            if as_of is not None:
                _check_dates(raw, as_of)
        raws[name] = raw
        report.row_counts[name] = len(raw.records)
    _check_links(raws)
    for raw in raws.values():
        report.issues.extend(raw.issues)
    return report


def _label(path: Path) -> str:
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _check_constraints(raw: RawTable) -> None:
    """Required, enum, pattern, min/max, length and uniqueness, checked by Frictionless."""
    from frictionless import Resource, Schema

    from analysis.dataset.schema import frictionless_schema

    descriptor = frictionless_schema(raw.name)
    # Our own checks name both lines of a duplicate key; Frictionless would report it again.
    descriptor = {k: v for k, v in descriptor.items() if k != "primaryKey"}
    for f in descriptor["fields"]:
        f.get("constraints", {}).pop("unique", None)
    schema = Schema.from_descriptor(descriptor)
    order = [f.name for f in schema.fields]
    index = raw.column_index()
    data = [order] + [[row[index[name]] for name in order] for row in raw.records]
    report = Resource(data=data, schema=schema).validate(limit_errors=10_000)
    for err in report.tasks[0].errors:
        row_number = getattr(err, "row_number", None)
        field_name = getattr(err, "field_name", None)
        if row_number is None or field_name is None:
            continue
        line = raw.lines[row_number - 2]
        column = index[field_name] + 1
        note = getattr(err, "note", "")
        kind = err.type
        if kind == "type-error":
            continue  # already reported by check_types, with a clearer message
        raw.issue(line, column, f"{field_name}: {note}", str(getattr(err, "cell", "")), kind)


def _check_codes(raw: RawTable) -> None:
    """Cells listing several codes (`;`-separated, e.g. deadlines.issuer): each one from the field's list."""
    index = raw.column_index()
    for f in table_schema(raw.name).fields:
        if not (f.is_list and f.enum) or f.name not in index:
            continue
        col = index[f.name]
        allowed = set(f.enum)
        for line, row in zip(raw.lines, raw.records):
            value = row[col]
            if not value:
                continue  # a required empty cell is reported by the constraint check
            items = value.split(LIST_SEPARATOR)
            bad = [v for v in items if v not in allowed]
            if bad:
                what = "an empty code (a stray ';')" if "" in bad else f"unknown code {bad[0]!r}"
                raw.issue(line, col + 1, f"{f.name}: {what}; allowed: {', '.join(f.enum)}", value, "enum")


def _check_keys(raw: RawTable) -> None:
    """Primary keys: present and unique, also ignoring case and whitespace."""
    schema = table_schema(raw.name)
    index = raw.column_index()
    cols = [index[k] for k in schema.primary_key]
    seen: dict[tuple, int] = {}
    for line, row in zip(raw.lines, raw.records):
        key = tuple(normalize_text(row[c]) for c in cols)
        if any(k == "" for k in key):
            raw.issue(line, cols[0] + 1, f"empty primary key ({', '.join(schema.primary_key)})", "", "primary-key")
            continue
        if key in seen:
            shown = ",".join(row[c] for c in cols)
            raw.issue(line, cols[0] + 1, f"duplicate primary key: same as line {seen[key]} (ignoring case and spaces)", shown, "primary-key")
        else:
            seen[key] = line


def _check_urls(raw: RawTable) -> None:
    schema = table_schema(raw.name)
    index = raw.column_index()
    for f in schema.fields:
        if not f.is_url:
            continue
        col = index[f.name]
        for line, row in zip(raw.lines, raw.records):
            value = row[col]
            if not value and not f.required:
                continue
            problem = url_problem(value)
            if problem:
                raw.issue(line, col + 1, f"{f.name} {problem}", value, "url")


def _check_locations(raw: RawTable) -> None:
    """A claim's point, its precision and where it comes from agree with each other."""
    index = raw.column_index()
    needed = ("latitude", "longitude", "geonames_id", "location_precision", "location_source", "location_source_ids")
    if any(n not in index for n in needed):
        return
    for line, row in zip(raw.lines, raw.records):
        lat, lon, gid, precision, origin, ids = (row[index[n]] for n in needed)
        code = row[index["katottg_code"]] if "katottg_code" in index else ""
        if bool(lat) != bool(lon):
            raw.issue(line, index["latitude"] + 1, "latitude and longitude must both be given or both be empty", lat or lon, "location")
            continue
        if lat and precision == "none":
            raw.issue(line, index["location_precision"] + 1, "a point is given but location_precision is none", precision, "location")
        if not lat and precision in ("exact", "approximate"):
            raw.issue(line, index["location_precision"] + 1, f"location_precision is {precision} but no point is given", precision, "location")
        if lat and not origin:
            raw.issue(line, index["location_source"] + 1, "a point is given without its location_source (geonames or wikipedia)", "", "location")
        if not lat and (origin or gid or ids):
            raw.issue(
                line,
                index["location_source"] + 1,
                "location_source, geonames_id or location_source_ids given without a point",
                origin or gid or ids,
                "location",
            )
        if not lat and code:
            raw.issue(line, index["katottg_code"] + 1, "katottg_code given without a point", code, "location")
        if lat and origin == "geonames" and not gid:
            raw.issue(line, index["geonames_id"] + 1, "location_source is geonames but geonames_id is empty", "", "location")
        if lat and origin == "geonames-postal" and not code and "katottg_code" in index:
            # A postal code is not a place id: the codifier's settlement is what the point was matched to.
            raw.issue(line, index["katottg_code"] + 1, "location_source is geonames-postal but katottg_code is empty", "", "location")
        if lat and origin == "wikipedia" and not ids:
            raw.issue(line, index["location_source_ids"] + 1, "location_source is wikipedia but location_source_ids names no article", "", "location")
        oblast = row[index["oblast"]] if "oblast" in index else ""
        if lat and precision == "exact" and geo.has_outline(oblast):
            try:
                off = geo.km_outside(oblast, float(lat), float(lon))
            except ValueError:
                continue  # not a number: reported by the type check
            if off > geo.TOLERANCE_KM:
                raw.issue(line, index["latitude"] + 1, f"the point lies {off:.0f} km outside {oblast} oblast", f"{lat},{lon}", "location")


def _check_round_ids(raw: RawTable) -> None:
    """Every round's briefs get file names of their own that fit the filesystem."""
    col = raw.column_index()["round_id"]
    for line, row in zip(raw.lines, raw.records):
        rid = row[col]
        size = len(rid.encode("utf-8"))
        if size > MAX_ROUND_ID_BYTES:
            raw.issue(
                line, col + 1, f"round_id is {size} bytes long; at most {MAX_ROUND_ID_BYTES}, so that its briefs' file names fit", rid, "file-name"
            )
        elif _EVE_SUFFIX.search(rid):
            raw.issue(
                line,
                col + 1,
                "round_id must not end in -as-of-YYYY-MM-DD: the brief of another round as of that day has that file name",
                rid,
                "file-name",
            )


def url_problem(value: str) -> str | None:
    """Why `value` is not an acceptable source URL (None if it is)."""
    if value != value.strip() or any(c.isspace() for c in value):
        return "must not contain spaces"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "is not a well-formed URL"
    if parts.scheme not in ("http", "https"):
        return "must start with http:// or https://"
    host = parts.hostname or ""
    if not _HOST.match(host):
        return "must name a host"
    return None


def _check_dates(raw: RawTable, as_of: pd.Timestamp) -> None:
    schema = table_schema(raw.name)
    index = raw.column_index()
    limit = as_of.strftime("%Y-%m-%d")
    for name in schema.date_fields:
        col = index[name]
        # A deadline's due date may lie ahead; every other date is an event already past.
        if name == "deadline_date":
            continue
        # A truce's planned first and last days may lie ahead; its announcement may not.
        if raw.name == "truces" and name in ("start_date", "end_date"):
            continue
        for line, row in zip(raw.lines, raw.records):
            if raw.name == "rounds" and row[index["status"]] == "announced":
                continue  # an announced round may lie ahead
            if row[col] and row[col] > limit:
                raw.issue(line, col + 1, f"{name} is after the dataset date {limit}", row[col], "future-date")
    # A claim's status may predate the claim (a tracker can report a retake before the claimant does).
    pairs = {
        "rounds": [("start_date", "end_date")],
        "deadlines": [("issued_date", "deadline_date")],
        "truces": [("start_date", "end_date")],
        "claims": [("period_start_date", "claim_date")],
    }
    for a, b in pairs.get(raw.name, []):
        if a not in index or b not in index:
            continue
        for line, row in zip(raw.lines, raw.records):
            if row[index[a]] and row[index[b]] and row[index[b]] < row[index[a]]:
                raw.issue(line, index[b] + 1, f"{b} is before {a} ({row[index[a]]})", row[index[b]], "date-order")
    if raw.name == "truces" and "round_id" in index and "agreed_in" in index:
        for line, row in zip(raw.lines, raw.records):
            if row[index["round_id"]] and row[index["agreed_in"]]:
                raw.issue(
                    line,
                    index["agreed_in"] + 1,
                    "agreed_in names a meeting although round_id is given (use one of the two)",
                    row[index["agreed_in"]],
                    "truce-origin",
                )


def _check_links(raws: dict[str, RawTable]) -> None:
    """Foreign keys: every referenced id exists in its table."""
    keys: dict[str, set[str]] = {}
    for name, raw in raws.items():
        schema = table_schema(name)
        if len(schema.primary_key) == 1 and schema.primary_key[0] in raw.column_index():
            col = raw.column_index()[schema.primary_key[0]]
            keys[f"{name}.{schema.primary_key[0]}"] = {row[col] for row in raw.records}
    for name, raw in raws.items():
        index = raw.column_index()
        for f in table_schema(name).fields:
            if not f.foreign_key or f.name not in index:
                continue
            target = keys.get(f.foreign_key)
            if target is None:
                continue
            col = index[f.name]
            for line, row in zip(raw.lines, raw.records):
                value = row[col]
                ids = split_ids(value) if f.is_list else ([value] if value else [])
                if f.required and not ids:
                    raw.issue(line, col + 1, f"{f.name} is empty: every row needs a value", "", "foreign-key")
                for ref in ids:
                    if ref not in target:
                        raw.issue(line, col + 1, f"{f.name} refers to an unknown {f.foreign_key}", ref, "foreign-key")
