"""Release manifests (data/releases/<version>.json): row hashes and totals of a published dataset
version, so a later version can say what changed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.dataset.schema import table_schema
from analysis.dataset.tables import Dataset, _check_declared


def row_hashes(frame: pd.DataFrame, name: str) -> dict[str, str]:
    """Primary key -> short hash of the row's values, for comparing dataset versions.

    A column added in a later version (`x-since` in its schema) counts only where the row fills it,
    so adding an empty column does not make every row look revised against an older release.
    """
    import hashlib

    schema = table_schema(name)
    cols = schema.field_names
    added = {f.name for f in schema.fields if f.since}
    out = {}
    for rec in frame[cols].astype("string").fillna("").itertuples(index=False):
        values = dict(zip(cols, rec))
        key = "|".join(values[k] for k in schema.primary_key)
        hashed = [values[c] for c in cols if c not in added or values[c]]
        out[key] = hashlib.sha256("\x1f".join(hashed).encode()).hexdigest()[:12]
    return out


def release_manifest(ds: Dataset, totals: dict[str, int]) -> dict:
    """What `data/releases/<version>.json` records: version, date, row hashes and totals."""
    return {
        "version": ds.info.version,
        "dataset_date": ds.info.dataset_date.strftime("%Y-%m-%d"),
        "rows": {name: row_hashes(frame, name) for name, frame in ds.tables.items()},
        "totals": totals,
    }


def load_previous_release(current_version: str, data_dir: Path | None = None) -> dict | None:
    """The newest release manifest under data/releases/ whose version differs from `current_version`."""
    _check_declared(releases=True)
    folder = (data_dir or paths.data_dir()) / "releases"
    if not folder.is_dir():
        return None

    def vkey(p: Path) -> tuple:
        return tuple(int(x) if x.isdigit() else 0 for x in p.stem.split("."))

    for p in sorted(folder.glob("*.json"), key=vkey, reverse=True):
        if p.stem != current_version:
            return json.loads(p.read_text(encoding="utf-8"))
    return None
