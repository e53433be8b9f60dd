"""One hashing scheme for everything a build keys on: length-prefixed SHA-256 over byte chunks.

`input_hashes` fingerprints the dataset's files (each table, datapackage.json and the release
manifests); the build combines them with the notebook, parameters, code and library versions.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha(*chunks: bytes) -> str:
    """SHA-256 (hex) over the chunks, each prefixed by its length so that chunk borders count."""
    h = hashlib.sha256()
    for c in chunks:
        h.update(len(c).to_bytes(8, "little"))
        h.update(c)
    return h.hexdigest()


def input_hashes(data_dir: Path) -> dict[str, str]:
    """Hash of each CSV file, of datapackage.json and of the release manifests (data/releases/)."""
    out = {}
    for p in sorted(data_dir.glob("*.csv")) + [data_dir / "datapackage.json"]:
        out[p.stem if p.suffix == ".csv" else "datapackage"] = sha(p.read_bytes()) if p.is_file() else "missing"
    releases = sorted((data_dir / "releases").glob("*.json"))
    out["releases"] = sha(*[c for p in releases for c in (p.name.encode(), p.read_bytes())])
    return out
