"""The briefs: their notebooks, the inputs each may read, and the rules for their parameters.

A parameter is declared once, in its notebook's parameters cell (`name: type = default  # help`):
names, types, defaults and help come from there, read with papermill's own parser. This module adds
only what a notebook cannot say: each parameter's rule (a date, free text, a choice among values
read from the data, a whole number in a range), the tables and release manifests a brief reads,
and the variants `make reports` builds. Values are checked here, before any kernel starts (exit 64).
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analysis import paths
from analysis.dataset.csvread import DataError, Issue, RawTable, read_raw
from analysis.dataset.schema import TABLES, table_schema
from analysis.dataset.tables import read_datapackage
from analysis.dataset.typed import check_types
from analysis.present import links

EARLIEST = dt.date(2014, 1, 1)
MAX_TEXT = 500
_PATHLIKE = re.compile(r"[/\\]|^\.|^~|\.\.")
#: Only the calendar form: date.fromisoformat also takes week dates (2025-W30-2) and 20250722.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Characters of a value quoted back in a message.
SHOWN = 60


class ParameterError(ValueError):
    """A parameter value or name that the brief does not accept."""


class DeclarationError(ValueError):
    """A brief's rules and its notebook's parameters cell do not match."""


def shown(value: object) -> str:
    """`value` quoted for a message, cut to SHOWN characters (a 5 MB value is not echoed whole)."""
    text = str(value)
    if len(text) <= SHOWN:
        return repr(text)
    return f"{text[:SHOWN]!r}... ({len(text):,} characters)"


def did_you_mean(word: str, choices: list[str]) -> str:
    """' Did you mean 'x'?' for the closest of `choices`, or '' when none is close."""
    if len(word) > 100:
        return ""
    close = difflib.get_close_matches(word, choices, n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


@lru_cache(maxsize=16)
def _checked_table(data_dir: Path, table: str, stamp: tuple) -> RawTable:
    raw = read_raw(table, data_dir)
    if not raw.errors:
        check_types(raw, table_schema(table))
    if raw.errors:
        raise DataError(raw.errors)
    return raw


def checked_table(data_dir: Path, table: str) -> RawTable:
    """One table read strictly and type-checked (DataError listing its problems): planning the briefs
    reads the data only through this, so a typo in rounds.csv is reported like any invalid data."""
    path = data_dir / f"{table}.csv"
    try:
        st = os.stat(path)
        stamp: tuple = (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        stamp = ()
    return _checked_table(data_dir, table, stamp)


def _column(data_dir: Path, table: str, column: str) -> list[str]:
    """Distinct values of one column of the checked table."""
    raw = checked_table(data_dir, table)
    col = raw.column_index()[column]
    return sorted({row[col] for row in raw.records if row[col]})


def dataset_date(data_dir: Path) -> dt.date:
    """The dataset date from datapackage.json (DataError when it cannot be read)."""
    path = data_dir / "datapackage.json"
    try:
        value = read_datapackage(data_dir)["dataset_date"]
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise ValueError(f"dataset_date must be an ISO date YYYY-MM-DD, got {str(value)[:40]!r}")
        return dt.date.fromisoformat(value)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        kind = "missing-file" if isinstance(exc, FileNotFoundError) else "metadata"
        detail = exc.strerror if isinstance(exc, OSError) else f"no {exc}" if isinstance(exc, KeyError) else str(exc)
        raise DataError([Issue(str(path), 0, 0, "cannot read the dataset date", str(detail), kind)]) from None


@dataclass(frozen=True)
class Rule:
    """What values a parameter accepts, beyond its type: the part a notebook cannot declare."""

    kind: str  # "date", "text", "choice", "choices", "int"
    choices: Callable[[Path], list[str]] | tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None


DATE = Rule("date")
TEXT = Rule("text")


@dataclass(frozen=True)
class Param:
    """One parameter: name, type, default and help from the notebook, plus its rule."""

    name: str
    python_type: str  # "str" or "int", as annotated in the notebook
    default: str | int
    help: str
    rule: Rule

    @property
    def type(self) -> str:
        return self.rule.kind

    @property
    def minimum(self) -> int | None:
        return self.rule.minimum

    @property
    def maximum(self) -> int | None:
        return self.rule.maximum

    def allowed(self, data_dir: Path) -> list[str]:
        choices = self.rule.choices
        if choices is None:
            return []
        return list(choices(data_dir) if callable(choices) else choices)

    def check(self, raw: object, data_dir: Path) -> str | int:
        """The value as the notebook receives it, or ParameterError saying what is allowed."""
        if self.type == "int":
            text = str(raw).strip()
            try:
                if len(text) > 20:
                    raise ValueError
                value = int(text)
            except ValueError:
                raise ParameterError(f"{self.name}: expected a whole number, got {shown(raw)}") from None
            if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
                raise ParameterError(f"{self.name}: {value} is out of range; allowed {self.minimum}..{self.maximum}")
            return value
        value = str(raw)
        if self.type == "text":
            if len(value) > MAX_TEXT:
                raise ParameterError(f"{self.name}: longer than {MAX_TEXT} characters")
            return value
        if value == "":
            return value
        if self.type != "date" and _PATHLIKE.search(value):
            raise ParameterError(f"{self.name}: {shown(value)} looks like a file path; this parameter takes a value, not a path")
        if self.type == "date":
            try:
                if not _ISO_DATE.fullmatch(value):
                    raise ValueError
                day = dt.date.fromisoformat(value)
            except ValueError:
                raise ParameterError(f"{self.name}: expected an ISO date YYYY-MM-DD, got {shown(value)}") from None
            last = dataset_date(data_dir)
            if not EARLIEST <= day <= last:
                raise ParameterError(f"{self.name}: {value} is out of range; allowed {EARLIEST} to {last} (the dataset date)")
            return value
        allowed = self.allowed(data_dir)
        items = [v.strip() for v in value.split(",")] if self.type == "choices" else [value]
        for it in items:
            if it not in allowed:
                listed = ", ".join(allowed[:40]) + (" ..." if len(allowed) > 40 else "")
                raise ParameterError(f"{self.name}: {shown(it)} is not allowed.{did_you_mean(it, allowed)} Allowed: {listed}")
        return ",".join(items)


_CELL = re.compile(r"^# %%", re.M)
_PARAMETERS_TAG = re.compile(r'[^\n]*\btags=\[[^\]\n]*"parameters"')


@lru_cache(maxsize=64)
def _parameters_cell(path: Path, stamp: tuple[int, int]) -> tuple[tuple[str, str, str, str], ...]:
    """(name, type, default source, help) of each parameter in a notebook's parameters cell.

    Read from the jupytext percent file with `ast`: jupytext and papermill cost a second of imports,
    which every build (a no-op one too) would pay while planning. tests/test_briefs.py checks that
    this agrees with papermill's own reading (`PythonTranslator.inspect`) for every notebook.
    """
    cells = [c for c in _CELL.split(path.read_text(encoding="utf-8"))[1:] if _PARAMETERS_TAG.match(c)]
    if len(cells) != 1:
        raise DeclarationError(f"{path.name}: expected one cell tagged 'parameters', found {len(cells)}")
    body = cells[0].split("\n", 1)[1] if "\n" in cells[0] else ""
    lines = body.splitlines()
    out = []
    for node in ast.parse(body).body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None):
            raise DeclarationError(f"{path.name}: each parameter is one line 'name: type = default  # help', got {ast.unparse(node)!r}")
        rest = lines[node.end_lineno - 1][node.end_col_offset :]
        help_text = rest.split("#", 1)[1].strip() if "#" in rest else ""
        out.append((node.target.id, ast.unparse(node.annotation), ast.get_source_segment(body, node.value), help_text))
    return tuple(out)


def notebook_parameters(path: Path) -> tuple[tuple[str, str, str, str], ...]:
    """The parameters cell of `path`, read again whenever the file changes."""
    st = path.stat()
    return _parameters_cell(path, (st.st_mtime_ns, st.st_size))


@dataclass(frozen=True)
class Brief:
    """A brief: its notebook, the inputs it reads, its parameters' rules and its default variants."""

    name: str
    notebook: str
    title: str
    tables: tuple[str, ...]
    rules: Mapping[str, Rule]
    releases: bool = False  # reads data/releases/ (the release manifests)
    variants: Callable[[Path], list[dict]] = field(default=lambda data_dir: [{}])
    slug: Callable[[dict], str] | None = None

    @property
    def notebook_path(self) -> Path:
        return paths.NOTEBOOKS_DIR / self.notebook

    @property
    def params(self) -> tuple[Param, ...]:
        """The notebook's parameters, in its order, each with its rule from `rules`."""
        declared = notebook_parameters(self.notebook_path)
        names = [d[0] for d in declared]
        missing = [n for n in names if n not in self.rules]
        extra = [n for n in self.rules if n not in names]
        if missing or extra:
            raise DeclarationError(
                f"brief {self.name!r}: the rules in analysis/briefs.py and the parameters cell of {self.notebook} differ "
                f"(no rule for {missing}; rules without a parameter {extra})"
            )
        out = []
        for name, ptype, default, help_text in declared:
            rule = self.rules[name]
            if ptype not in ("str", "int") or (ptype == "int") != (rule.kind == "int"):
                raise DeclarationError(f"brief {self.name!r}: parameter {name} is typed {ptype} but its rule is {rule.kind!r}")
            out.append(Param(name, ptype, ast.literal_eval(default), help_text, rule))
        return tuple(out)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def resolve(self, given: dict, data_dir: Path) -> dict:
        """Defaults overlaid with `given`, every name and value checked."""
        params = self.params
        names = [p.name for p in params]
        for key in given:
            if key not in names:
                raise ParameterError(f"brief '{self.name}' has no parameter {shown(key)}.{did_you_mean(key, names)} Parameters: {', '.join(names)}")
        values = {p.name: p.default for p in params}
        values.update(given)
        return {p.name: p.check(values[p.name], data_dir) for p in params}

    def output_stem(self, values: dict) -> str:
        return self.slug(values) if self.slug else self.name


def _round_ids(data_dir: Path) -> list[str]:
    return _column(data_dir, "rounds", "round_id")


def _oblasts(data_dir: Path) -> list[str]:
    return _column(data_dir, "claims", "oblast")


#: Topics a position can be about: the enum of positions.topic in its schema (one place).
TOPICS = tuple(table_schema("positions").field("topic").constraints["enum"])
EVE_FORMATS = ("direct", "trilateral")


def _round_variants(data_dir: Path) -> list[dict]:
    """One brief per held or announced round as of the dataset date, plus one as of the eve of each held
    round at which Russia and Ukraine sat at one table (direct and trilateral formats): the pre-talks
    view. Cancelled rounds get none.

    rounds.csv is read strictly (DataError on any fault in it), never guessed at."""
    out = []
    raw = checked_table(data_dir, "rounds")
    rows = [dict(zip(raw.header, rec)) for rec in raw.records]
    for r in sorted(rows, key=lambda r: (r["start_date"], r["round_id"])):
        if r.get("status") == "cancelled":
            continue  # a round that never met has no brief; the others' timelines leave it out too
        out.append({"round_id": r["round_id"]})
        if r.get("status", "held") == "held" and r.get("format") in EVE_FORMATS:
            eve = dt.date.fromisoformat(r["start_date"]) - dt.timedelta(days=1)
            out.append({"round_id": r["round_id"], "as_of": eve.isoformat()})
    return out


BRIEFS: dict[str, Brief] = {
    b.name: b
    for b in (
        Brief(
            name="overview",
            notebook="00-overview.py",
            title=links.TITLES["overview"],
            # "What changed since the previous version" compares every table with the last release.
            tables=TABLES,
            rules={"as_of": DATE, "note": TEXT},
            releases=True,
        ),
        Brief(
            name="round",
            notebook="10-round-brief.py",
            title=links.TITLES["round"],
            tables=("sources", "rounds", "truces", "exchanges", "claims", "positions", "deadlines"),
            rules={"round_id": Rule("choice", _round_ids), "as_of": DATE, "claims_weeks": Rule("int", minimum=1, maximum=52), "note": TEXT},
            variants=_round_variants,
            slug=links.round_stem,
        ),
        Brief(
            name="exchanges",
            notebook="20-exchanges.py",
            title=links.TITLES["exchanges"],
            tables=("sources", "rounds", "exchanges", "running_totals"),
            rules={"start_date": DATE, "end_date": DATE, "as_of": DATE, "note": TEXT},
        ),
        Brief(
            name="territory",
            notebook="30-territory.py",
            title=links.TITLES["territory"],
            tables=("sources", "claims", "control"),
            rules={"start_date": DATE, "end_date": DATE, "oblast": Rule("choice", _oblasts), "as_of": DATE, "note": TEXT},
            slug=links.territory_stem,
        ),
        Brief(
            name="positions",
            notebook="40-positions-deadlines.py",
            title=links.TITLES["positions"],
            tables=("sources", "rounds", "positions", "deadlines"),
            rules={"start_date": DATE, "end_date": DATE, "topics": Rule("choices", TOPICS), "as_of": DATE, "note": TEXT},
        ),
    )
}


def _rounds(data_dir: Path) -> dict[str, dict]:
    """rounds.csv's rows by round id, read through the strict reader like every planning read."""
    raw = checked_table(data_dir, "rounds")
    return {r["round_id"]: r for r in (dict(zip(raw.header, rec)) for rec in raw.records)}


def brief_title(brief: Brief, values: dict, data_dir: Path) -> str:
    """The brief's title for readers (H1, <title>, index, feed): a round's human title built from its
    data ("Istanbul talks, 23 July 2025 (as known on the eve)"), else the brief's title, with the
    oblast or the day the data is known for when those are set."""
    as_of = values.get("as_of") or ""
    if brief.name == "round":
        rows = _rounds(data_dir)
        held = sorted((r for r in rows.values() if r.get("status") != "cancelled"), key=lambda r: (r["start_date"], r["round_id"]))
        row = rows.get(values.get("round_id") or "") or (held[-1] if held else None)
        if row is None:
            return brief.title
        return links.round_title(row, eve=bool(as_of) and as_of < row["start_date"])
    title = brief.title + (f": {values['oblast']} oblast" if values.get("oblast") else "")
    return title + (f" (as known on {dt.date.fromisoformat(as_of):%-d %B %Y})" if as_of else "")


def parse_assignments(items: list[str]) -> dict:
    """`NAME=VALUE` strings into a dict (the value may contain '=' and anything else)."""
    out = {}
    for it in items:
        if "=" not in it:
            raise ParameterError(f"expected NAME=VALUE, got {shown(it)}")
        k, v = it.split("=", 1)
        out[k.strip()] = v
    return out
