"""What a build will do: the jobs (one brief with one set of parameter values) and the content hash
that decides whether each must be rebuilt."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths
from analysis.briefs import BRIEFS, Brief, ParameterError, brief_title, did_you_mean, shown
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
    title: str = ""
    headline: str = ""
    html_sha: str = ""
    code: int = 0  # the exit code of a failure
    kept: str = ""  # where the failed notebook was kept ("_failed/<stem>.ipynb"), if it was
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase of the build
    facts: dict = field(default_factory=dict)  # the round's row of rounds.csv, for a round brief (related.py)
    page: dict = field(default_factory=dict)  # what the head and header show beyond the notebook (related.py)

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
    base_url: str = ""  # where the briefs will be published (absolute links in the feed, og:url, og:image)
    log: Callable[[str], None] = print


#: Longest timeout accepted, in seconds (a week): a timeout cannot be switched off, only made long.
MAX_TIMEOUT = 7 * 24 * 3600


#: Longest brief file name, in bytes: the filesystem's 255 less the room for ".ipynb" in _failed/.
MAX_FILE_NAME = 249


class PlanConflict(ValueError):
    """Two briefs would share a file name, or a name would not fit the filesystem: a fault of the
    data (a round id), refused before anything is built."""


def check_options(opts: Options) -> None:
    """ParameterError for option values that would switch a guarantee off (a timeout of 0) or make no sense."""
    for label, value in (("--cell-timeout", opts.cell_timeout), ("--brief-timeout", opts.brief_timeout)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TIMEOUT:
            raise ParameterError(
                f"{label} must be a whole number of seconds from 1 to {MAX_TIMEOUT} (timeouts cannot be switched off), got {str(value)[:20]!r}"
            )
    if isinstance(opts.jobs, bool) or not isinstance(opts.jobs, int) or opts.jobs < 0:
        raise ParameterError(f"--jobs must be 0 (number of cores) or more, got {str(opts.jobs)[:20]!r}")
    if not (opts.lock_wait >= 0 and (math.isfinite(opts.lock_wait) or opts.lock_wait == math.inf)):
        raise ParameterError(f"--wait must be 0 or more seconds, got {str(opts.lock_wait)[:20]!r}")


def describe(job: Job) -> str:
    """'round round_id=2025-07-23-istanbul as_of=2025-07-22': a brief and its non-default values, for messages."""
    defaults = job.brief.defaults()
    given = " ".join(f"{k}={str(v)[:60]}" for k, v in job.values.items() if v != defaults.get(k))
    return f"{job.brief.name} {given}".strip()


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
        json.dumps([job.facts, job.page], sort_keys=True).encode(),
    )


def plan_jobs(opts: Options, data_dir: Path) -> list[Job]:
    """The jobs of this build, with parameters checked (ParameterError on any bad value)."""
    names = opts.briefs or list(BRIEFS)
    for n in names:
        if n not in BRIEFS:
            raise ParameterError(f"no brief named {shown(n)}.{did_you_mean(n, list(BRIEFS))} Briefs: {', '.join(BRIEFS)}")
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
            jobs.append(Job(brief, values, brief.output_stem(values), title=brief_title(brief, values, data_dir)))
    # Every brief has its own file: the same brief and values twice is one job, two different ones
    # with one file name would silently replace each other's brief.
    seen: dict[str, Job] = {}
    unique = []
    for j in jobs:
        if len(j.file_name.encode("utf-8")) > MAX_FILE_NAME:
            raise PlanConflict(
                f"the file name of the brief {describe(j)[:80]}... is {len(j.file_name.encode())} bytes; "
                f"file names may have at most {MAX_FILE_NAME} (shorten the id in the data)"
            )
        prev = seen.get(j.stem.casefold())
        if prev is None:
            seen[j.stem.casefold()] = j
            unique.append(j)
        elif prev.brief.name != j.brief.name or prev.values != j.values:
            raise PlanConflict(
                f"two briefs would be written to {j.file_name}: {describe(prev)} and {describe(j)}; "
                "every brief needs its own file name (rename one of the ids in the data)"
            )
    from analysis.build.related import attach
    from analysis.build.words import build_time

    try:
        build_time()
    except ValueError as exc:
        raise ParameterError(str(exc)) from None
    attach(unique, data_dir, check_base_url(opts.base_url))
    return unique


def check_base_url(url: str) -> str:
    """The base URL with one trailing slash ('' when not given); ParameterError unless http(s)."""
    url = (url or "").strip()
    if not url:
        return ""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment or any(c in url for c in " \"'<>"):
        raise ParameterError(f"--base-url: expected an absolute http(s) address such as https://example.org/briefs/, got {url!r}")
    return url.rstrip("/") + "/"
