"""The briefs and their typed parameters, declared once.

The notebook's parameters cell, the command line (`build -p`, `params`), the "brief settings" box in
the HTML and the default set of briefs built by `make reports` all come from `BRIEFS`; a convention
test keeps each notebook's parameters cell in sync with it. Values are checked here, before any
kernel starts (exit code 64 on failure).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths
from analysis.dataset.schema import TABLES, table_schema
from analysis.dataset.tables import read_datapackage

#: Topics a position can be about: the enum of positions.topic in its schema (one place).
TOPICS = tuple(table_schema("positions").field("topic").constraints["enum"])
EARLIEST = dt.date(2014, 1, 1)
MAX_TEXT = 500
_PATHLIKE = re.compile(r"[/\\]|^\.|^~|\.\.")


class ParameterError(ValueError):
    """A parameter value or name that the brief does not accept."""


def _column(data_dir: Path, table: str, column: str) -> list[str]:
    """Distinct values of one column, read with the csv module (fast: no pandas at plan time)."""
    path = data_dir / f"{table}.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        values = [row.get(column, "") for row in csv.DictReader(fh)]
    return sorted({v for v in values if v})


def dataset_date(data_dir: Path) -> dt.date:
    """The dataset date from datapackage.json."""
    return dt.date.fromisoformat(read_datapackage(data_dir)["dataset_date"])


@dataclass(frozen=True)
class Param:
    """One parameter: its type, default, help text and allowed values."""

    name: str
    type: str  # "date", "text", "choice", "choices", "int"
    default: str | int
    help: str
    choices: Callable[[Path], list[str]] | tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None

    @property
    def python_type(self) -> str:
        return "int" if self.type == "int" else "str"

    def allowed(self, data_dir: Path) -> list[str]:
        if self.choices is None:
            return []
        return list(self.choices(data_dir) if callable(self.choices) else self.choices)

    def check(self, raw: object, data_dir: Path) -> str | int:
        """The value as the notebook receives it, or ParameterError saying what is allowed."""
        if self.type == "int":
            try:
                value = int(str(raw).strip())
            except ValueError:
                raise ParameterError(f"{self.name}: expected a whole number, got {raw!r}") from None
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
            raise ParameterError(f"{self.name}: {value!r} looks like a file path; this parameter takes a value, not a path")
        if self.type == "date":
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                raise ParameterError(f"{self.name}: expected an ISO date YYYY-MM-DD, got {value!r}") from None
            last = dataset_date(data_dir)
            if not EARLIEST <= day <= last:
                raise ParameterError(f"{self.name}: {value} is out of range; allowed {EARLIEST} to {last} (the dataset date)")
            return value
        allowed = self.allowed(data_dir)
        items = [v.strip() for v in value.split(",")] if self.type == "choices" else [value]
        for it in items:
            if it not in allowed:
                close = difflib.get_close_matches(it, allowed, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                shown = ", ".join(allowed[:40]) + (" ..." if len(allowed) > 40 else "")
                raise ParameterError(f"{self.name}: {it!r} is not allowed.{hint} Allowed: {shown}")
        return ",".join(items)


@dataclass(frozen=True)
class Brief:
    """A brief: its notebook, the tables it reads, its parameters and the variants built by default."""

    name: str
    notebook: str
    title: str
    tables: tuple[str, ...]
    params: tuple[Param, ...]
    releases: bool = False  # reads data/releases/ (the release manifests)
    variants: Callable[[Path], list[dict]] = field(default=lambda data_dir: [{}])
    slug: Callable[[dict], str] | None = None

    @property
    def notebook_path(self) -> Path:
        return paths.NOTEBOOKS_DIR / self.notebook

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def resolve(self, given: dict, data_dir: Path) -> dict:
        """Defaults overlaid with `given`, every name and value checked."""
        names = [p.name for p in self.params]
        for key in given:
            if key not in names:
                close = difflib.get_close_matches(key, names, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ParameterError(f"brief '{self.name}' has no parameter {key!r}.{hint} Parameters: {', '.join(names)}")
        values = self.defaults()
        values.update(given)
        return {p.name: p.check(values[p.name], data_dir) for p in self.params}

    def output_stem(self, values: dict) -> str:
        return self.slug(values) if self.slug else self.name


def _round_ids(data_dir: Path) -> list[str]:
    return _column(data_dir, "rounds", "round_id")


def _oblasts(data_dir: Path) -> list[str]:
    return _column(data_dir, "claims", "oblast")


EVE_FORMATS = ("direct", "trilateral")


def _round_variants(data_dir: Path) -> list[dict]:
    """One brief per round as of the dataset date, plus one as of the eve of each held round at which
    Russia and Ukraine sat at one table (direct and trilateral formats): the pre-talks view."""
    out = []
    path = data_dir / "rounds.csv"
    if not path.is_file():
        return out
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in sorted(rows, key=lambda r: (r["start_date"], r["round_id"])):
        out.append({"round_id": r["round_id"]})
        if r.get("status", "held") == "held" and r.get("format") in EVE_FORMATS:
            eve = dt.date.fromisoformat(r["start_date"]) - dt.timedelta(days=1)
            out.append({"round_id": r["round_id"], "as_of": eve.isoformat()})
    return out


def _round_slug(values: dict) -> str:
    rid = values.get("round_id") or "latest"
    return f"round-{rid}" + (f"-as-of-{values['as_of']}" if values.get("as_of") else "")


AS_OF = Param("as_of", "date", "", "data cut-off, ISO date; empty means the dataset date. Only rows whose sources were published by then are used.")
END_DATE = Param("end_date", "date", "", "last day of the period, ISO date; empty means the as-of date")
NOTE = Param("note", "text", "", "an editor's note shown at the top of the brief (plain text)")

BRIEFS: dict[str, Brief] = {
    b.name: b
    for b in (
        Brief(
            name="overview",
            notebook="00-overview.py",
            title="Overview: the state of the talks",
            # "What changed since the previous version" compares every table with the last release.
            tables=TABLES,
            params=(AS_OF, NOTE),
            releases=True,
        ),
        Brief(
            name="round",
            notebook="10-round-brief.py",
            title="Round brief",
            tables=("sources", "rounds", "exchanges", "claims", "positions", "deadlines"),
            params=(
                Param("round_id", "choice", "", "the round, e.g. 2025-07-23-istanbul; empty means the newest round", _round_ids),
                AS_OF,
                Param("claims_weeks", "int", 4, "weeks before the round whose territorial claims are mapped", minimum=1, maximum=52),
                NOTE,
            ),
            variants=_round_variants,
            slug=_round_slug,
        ),
        Brief(
            name="exchanges",
            notebook="20-exchanges.py",
            title="Prisoner exchanges and repatriations",
            tables=("sources", "rounds", "exchanges", "running_totals"),
            params=(
                Param("start_date", "date", "", "first day of the period, ISO date; empty means the first exchange"),
                END_DATE,
                AS_OF,
                NOTE,
            ),
        ),
        Brief(
            name="territory",
            notebook="30-territory.py",
            title="Territorial claims and control",
            tables=("sources", "claims", "control"),
            params=(
                Param("start_date", "date", "2025-01-01", "first day of the period for settlement claims, ISO date"),
                END_DATE,
                Param("oblast", "choice", "", "limit the claims to one oblast; empty means all", _oblasts),
                AS_OF,
                NOTE,
            ),
            slug=lambda v: "territory" + (f"-{v['oblast'].lower()}" if v.get("oblast") else ""),
        ),
        Brief(
            name="positions",
            notebook="40-positions-deadlines.py",
            title="Positions and deadlines",
            tables=("sources", "rounds", "positions", "deadlines"),
            params=(
                Param("start_date", "date", "", "first day of the period, ISO date; empty means the first position"),
                END_DATE,
                Param("topics", "choices", "", "comma-separated topics to show; empty means all", TOPICS),
                AS_OF,
                NOTE,
            ),
        ),
    )
}


def parse_assignments(items: list[str]) -> dict:
    """`NAME=VALUE` strings into a dict (the value may contain '=' and anything else)."""
    out = {}
    for it in items:
        if "=" not in it:
            raise ParameterError(f"expected NAME=VALUE, got {it!r}")
        k, v = it.split("=", 1)
        out[k.strip()] = v
    return out
