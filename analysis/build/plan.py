"""What a build will do: the jobs (one brief with one set of parameter values) and the content hash
that decides whether each must be rebuilt."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths
from analysis.briefs import BRIEFS, Brief, ParameterError
from analysis.dataset.fingerprint import sha

LIBRARIES = ("pandas", "plotly", "papermill", "nbconvert", "nbclient", "ipykernel", "jupytext", "frictionless")


@dataclass
class Job:
    """One brief with one set of parameter values."""

    brief: Brief
    values: dict
    stem: str
    key: str = ""
    state: str = "planned"  # planned, skipped, built, failed
    seconds: float = 0.0
    size: int = 0
    message: str = ""
    headline: str = ""
    html_sha: str = ""
    code: int = 0  # the exit code of a failure
    kept: str = ""  # where the failed notebook was kept ("_failed/<stem>.ipynb"), if it was
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase of the build

    @property
    def file_name(self) -> str:
        return f"{self.stem}.html"


@dataclass
class Options:
    """Everything a build needs to know."""

    briefs: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    data_dir: Path | None = None
    out_dir: Path | None = None
    as_of: str = ""
    jobs: int = 0
    force: bool = False
    pdf: bool = False
    site: bool = False
    cell_timeout: int = 120
    brief_timeout: int = 600
    lock_wait: float = 0.0
    pool: bool = True
    log: Callable[[str], None] = print


def code_fingerprint() -> str:
    """Hash of the package's code, templates and assets, plus the versions of the libraries used."""
    from importlib.metadata import version

    chunks = []
    for base in (paths.PACKAGE_DIR,):
        for p in sorted(base.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix in {".py", ".j2", ".json", ".css", ".js", ".geojson"}:
                chunks.append(str(p.relative_to(base)).encode())
                chunks.append(p.read_bytes())
    for lib in LIBRARIES:
        try:
            chunks.append(f"{lib}=={version(lib)}".encode())
        except Exception:  # noqa: BLE001 - a missing library is a different fingerprint, not an error
            chunks.append(f"{lib}==missing".encode())
    chunks.append(sys.version.encode())
    return sha(*chunks)


def job_key(job: Job, tables: dict[str, str], code: str, site: bool) -> str:
    """The content hash that decides whether a brief must be rebuilt."""
    nb = job.brief.notebook_path.read_bytes()
    read = [f"{t}={tables.get(t, 'missing')}" for t in sorted(job.brief.tables)] + [f"datapackage={tables.get('datapackage')}"]
    if job.brief.releases:
        read.append(f"releases={tables.get('releases')}")
    return sha(
        nb,
        json.dumps(job.values, sort_keys=True).encode(),
        "\n".join(read).encode(),
        code.encode(),
        job.brief.name.encode(),
        b"site" if site else b"standalone",
    )


def plan_jobs(opts: Options, data_dir: Path) -> list[Job]:
    """The jobs of this build, with parameters checked (ParameterError on any bad value)."""
    names = opts.briefs or list(BRIEFS)
    for n in names:
        if n not in BRIEFS:
            import difflib

            close = difflib.get_close_matches(n, list(BRIEFS), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ParameterError(f"no brief named {n!r}.{hint} Briefs: {', '.join(BRIEFS)}")
    jobs = []
    for n in names:
        brief = BRIEFS[n]
        if opts.params or (opts.briefs and opts.as_of):
            variants = [dict(opts.params)]
        else:
            variants = brief.variants(data_dir)
        for given in variants:
            given = dict(given)
            if opts.as_of and "as_of" not in given:
                given["as_of"] = opts.as_of
            values = brief.resolve(given, data_dir)
            jobs.append(Job(brief, values, brief.output_stem(values)))
    seen: dict[str, Job] = {}
    unique = []
    for j in jobs:
        if j.stem not in seen:
            seen[j.stem] = j
            unique.append(j)
    return unique
