"""The dataset as typed DataFrames, its version and date, and the inputs a brief may read.

`load_dataset` loads every table strictly (DataError with every problem found); during a build only
the tables the brief declares can be read (`declare_inputs`, `UndeclaredInput`)."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.dataset.csvread import DataError, Issue, read_raw
from analysis.dataset.fingerprint import sha
from analysis.dataset.schema import LIST_SEPARATOR, table_schema
from analysis.dataset.typed import check_types, to_frame


class UndeclaredInput(LookupError):
    """A brief read a table or the release manifests that its declaration in analysis/briefs.py
    does not list: its rebuild key would miss changes to that input, so the read is refused."""


#: What the brief being executed declared (set by the build's first cell); None outside a build.
_declared: dict | None = None


def declare_inputs(tables: tuple[str, ...] | list[str], *, releases: bool = False) -> None:
    """Allow only these tables (and the release manifests if `releases`) to be read from now on.

    The build runs this before a brief's first cell, from the brief's declaration, so a notebook that
    reads anything else fails instead of publishing a brief that a later data edit would leave stale.
    """
    global _declared
    _declared = {"tables": frozenset(tables), "releases": releases}


def _check_declared(table: str | None = None, releases: bool = False) -> None:
    if _declared is None:
        return
    if table is not None and table not in _declared["tables"]:
        raise UndeclaredInput(f"this brief reads the table {table!r}, which its declaration in analysis/briefs.py does not list")
    if releases and not _declared["releases"]:
        raise UndeclaredInput("this brief reads data/releases/, which its declaration in analysis/briefs.py does not list (releases=True)")


def load_table(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Load one table strictly; raise DataError listing every problem with file:line:column."""
    _check_declared(name)
    schema = table_schema(name)
    raw = read_raw(name, data_dir)
    if not raw.errors:
        check_types(raw, schema)
    if raw.errors:
        raise DataError(raw.errors)
    return to_frame(raw, schema)


def load_sources(data_dir: Path | None = None) -> pd.DataFrame:
    """Every source read, one row per page."""
    return load_table("sources", data_dir)


def load_rounds(data_dir: Path | None = None) -> pd.DataFrame:
    """Rounds of talks, sorted by start date."""
    return load_table("rounds", data_dir).sort_values(["start_date", "round_id"], ignore_index=True)


def load_truces(data_dir: Path | None = None) -> pd.DataFrame:
    """Truces and ceasefires (announced or proposed), sorted by announcement date."""
    return load_table("truces", data_dir).sort_values(["announced_date", "truce_id"], ignore_index=True)


def load_exchanges(data_dir: Path | None = None) -> pd.DataFrame:
    """Exchanges and repatriations, sorted by date."""
    return load_table("exchanges", data_dir).sort_values(["exchange_date", "exchange_id"], ignore_index=True)


def load_running_totals(data_dir: Path | None = None) -> pd.DataFrame:
    """Published cumulative totals, sorted by date."""
    return load_table("running_totals", data_dir).sort_values(["as_of_date", "total_id"], ignore_index=True)


def load_claims(data_dir: Path | None = None) -> pd.DataFrame:
    """Territorial claims, sorted by claim date."""
    return load_table("claims", data_dir).sort_values(["claim_date", "claim_id"], ignore_index=True)


def load_control(data_dir: Path | None = None) -> pd.DataFrame:
    """Control readings, sorted by date."""
    return load_table("control", data_dir).sort_values(["as_of_date", "tracker", "area"], ignore_index=True)


def load_positions(data_dir: Path | None = None) -> pd.DataFrame:
    """Positions, sorted by date."""
    return load_table("positions", data_dir).sort_values(["stated_date", "position_id"], ignore_index=True)


def load_deadlines(data_dir: Path | None = None) -> pd.DataFrame:
    """Deadlines and ultimatums, sorted by issue date."""
    return load_table("deadlines", data_dir).sort_values(["issued_date", "deadline_id"], ignore_index=True)


@dataclass(frozen=True)
class DatasetInfo:
    """The dataset's name, version and date, from data/datapackage.json."""

    name: str
    version: str
    dataset_date: pd.Timestamp
    licence: str


def read_datapackage(data_dir: Path | None = None) -> dict:
    """data/datapackage.json as a dict: the one place that reads it."""
    path = (data_dir or paths.data_dir()) / "datapackage.json"
    return json.loads(path.read_text(encoding="utf-8"))


def load_dataset_info(data_dir: Path | None = None) -> DatasetInfo:
    """Version and date of the dataset in use."""
    meta = read_datapackage(data_dir)
    licences = meta.get("licenses") or [{}]
    return DatasetInfo(
        name=meta.get("name", ""),
        version=meta["version"],
        dataset_date=pd.Timestamp(meta["dataset_date"]),
        licence=licences[0].get("name", ""),
    )


def split_ids(value: object) -> list[str]:
    """The ids in a `;`-separated list cell (empty list for a missing cell)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return []
    return [v for v in str(value).split(LIST_SEPARATOR) if v]


def normalize_text(value: str) -> str:
    """Key form used for duplicate detection: NFC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


@dataclass
class Dataset:
    """The tables of the dataset (those the brief declares, during a build) plus its version and date."""

    info: DatasetInfo
    tables: dict[str, pd.DataFrame]

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        if name in _LOADERS:
            _check_declared(name)
        raise AttributeError(name)


_LOADERS = {
    "sources": load_sources,
    "rounds": load_rounds,
    "truces": load_truces,
    "exchanges": load_exchanges,
    "running_totals": load_running_totals,
    "claims": load_claims,
    "control": load_control,
    "positions": load_positions,
    "deadlines": load_deadlines,
}


#: Parsed tables by (file, content hash): a kernel that runs many briefs parses each file once.
_parsed: dict[tuple[str, str], pd.DataFrame] = {}


def _load_cached(name: str, data_dir: Path | None) -> pd.DataFrame:
    """`_LOADERS[name]`, parsed once per file content; callers get their own copy to change."""
    path = (data_dir or paths.data_dir()) / f"{name}.csv"
    try:
        key = (str(path), sha(path.read_bytes()))
    except OSError:
        return _LOADERS[name](data_dir)  # reports the missing or unreadable file
    if key not in _parsed:
        _parsed[key] = _LOADERS[name](data_dir)
    return _parsed[key].copy()


def load_dataset(data_dir: Path | None = None) -> Dataset:
    """Load every table strictly (raising DataError with all problems found)."""
    issues: list[Issue] = []
    tables: dict[str, pd.DataFrame] = {}
    for name in _LOADERS:
        if _declared is not None and name not in _declared["tables"]:
            continue
        try:
            tables[name] = _load_cached(name, data_dir)
        except DataError as exc:
            issues.extend(exc.issues)
    if issues:
        raise DataError(issues)
    return Dataset(load_dataset_info(data_dir), tables)
