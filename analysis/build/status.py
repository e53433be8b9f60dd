"""reports/status.json: each brief's key, size, headline and last success or failure, and what the
front page, the feed and the cards need: the brief's title and round facts, when its content last
changed and what changed then (the "new" and "changed" badges), and its card's fingerprint.

Fields of a brief's record besides key, size, sha, headline, last_success and last_error:
  title             the reader title (brief_title, the one place titles come from)
  facts             the round's row of rounds.csv (round briefs only)
  inputs            hash of each table the brief reads, as of its last build
  first_published   when the brief was first published
  content_updated   when its HTML last changed (the feed's <updated>; not the build time)
  change            what its last content change was: {"at", "kind" (first/new/changed), the dataset
                    and package versions before and after, the tables whose data changed}
  card              fingerprint of its social card, when one was drawn
The status's own `last_change` is the time of the latest build that changed any brief's content.

status.json is never silently reset: a damaged one (a stray byte, a truncated write) is kept aside
as status.json.damaged-<time> and the status is rebuilt from the published briefs, each of which
carries its own metadata (`<script type="application/json" id="brief-meta">`: stem, brief,
parameters, title, rebuild key, headline, dataset version). A status.json that is a link, a folder
or anything but a regular file is refused (exit 73).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

from analysis.build.exitcodes import BuildError, write_error_code
from analysis.build.plan import Job
from analysis.build.publish import entry_kind, read_regular, write_atomic
from analysis.build.words import build_time, iso_time
from analysis.dataset.fingerprint import sha
from analysis.dataset.tables import read_datapackage
from analysis.present import words

STATUS_FILE = "status.json"


#: The id of the metadata block every brief carries in its <head>.
META_ID = "brief-meta"


MAX_STATUS_BYTES = 64 * 2**20


#: The block as published (its attributes in whatever order nbconvert writes them).
_META = re.compile(rb'<script [^>]*\bid="brief-meta"[^>]*>(.*?)</script>', re.S)


class DamagedStatus(ValueError):
    """status.json is there but cannot be read as the build's status."""


def brief_title(job: Job) -> str:
    """The reader title of a brief (set at plan time from the data: see analysis.briefs.brief_title)."""
    return job.title or job.brief.title


def brief_meta(job: Job, dataset_version: str) -> str:
    """The brief's metadata block as JSON text safe inside <script> (no '<', '>' or '&')."""
    meta = {
        "stem": job.stem,
        "brief": job.brief.name,
        "params": job.values,
        "title": brief_title(job),
        "key": job.key,
        "headline": job.headline,
        "dataset_version": dataset_version,
    }
    text = json.dumps(meta, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _shape_problem(status: object) -> str:
    if not isinstance(status, dict):
        return f"expected a JSON object, found {type(status).__name__}"
    briefs = status.get("briefs", {})
    if not isinstance(briefs, dict) or not all(isinstance(r, dict) for r in briefs.values()):
        return "'briefs' is not a mapping of brief records"
    return ""


def read_status(out_dir: Path) -> dict:
    """status.json as a dict ({} when there is none yet).

    Raises DamagedStatus when it cannot be read as a status, BuildError (73) when it is not a
    regular file or cannot be read.
    """
    path = out_dir / STATUS_FILE
    try:
        data = read_regular(path, MAX_STATUS_BYTES)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise BuildError(write_error_code(exc), f"cannot read {path}: {exc.strerror}") from None
    if len(data) > MAX_STATUS_BYTES:
        raise DamagedStatus(f"larger than {MAX_STATUS_BYTES // 2**20} MiB")
    try:
        status = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DamagedStatus(f"not UTF-8 at byte {exc.start}") from None
    except ValueError as exc:
        raise DamagedStatus(f"not valid JSON: {exc}") from None
    problem = _shape_problem(status)
    if problem:
        raise DamagedStatus(problem)
    return status


def load_status(out_dir: Path, log: Callable[[str], None]) -> dict:
    """The build's status: status.json, or, when it is damaged or missing while briefs are published,
    the status rebuilt from the briefs' metadata (a damaged file is kept aside, and the log says so)."""
    path = out_dir / STATUS_FILE
    try:
        status = read_status(out_dir)
    except DamagedStatus as exc:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = out_dir / f"{STATUS_FILE}.damaged-{stamp}"
        n = 1
        while entry_kind(aside) is not None:
            n += 1
            aside = out_dir / f"{STATUS_FILE}.damaged-{stamp}-{n}"
        try:
            os.rename(path, aside)
        except OSError as err:
            raise BuildError(write_error_code(err), f"{path} is damaged ({exc}) and cannot be kept aside: {err.strerror}") from None
        status, found, skipped = recover_status(out_dir)
        log(
            f"WARNING {path} was damaged ({exc}); kept it as {aside.name} and rebuilt the status of {words.count(found, 'published brief')} "
            f"from their metadata" + (f" ({words.count(skipped, 'HTML file')} without metadata left out)" if skipped else "")
        )
        return status
    if status:
        return status
    status, found, _ = recover_status(out_dir)
    if found:
        log(f"WARNING {path} is missing; rebuilt the status of {words.count(found, 'published brief')} from their metadata")
    return status


def _record(meta: object, name: str, data: bytes, mtime: float) -> dict | None:
    """A status record from a brief's metadata block, or None if the block is not one the build wrote."""
    from analysis.briefs import BRIEFS

    if not isinstance(meta, dict) or meta.get("stem") != name.removesuffix(".html") or meta.get("brief") not in BRIEFS:
        return None
    params = meta.get("params")
    texts = ("title", "key", "headline")
    if not isinstance(params, dict) or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in params.values()):
        return None
    if not all(isinstance(meta.get(k), str) for k in texts) or not isinstance(meta.get("dataset_version"), (str, type(None))):
        return None
    digest = sha(data)[:16]
    return {
        "brief": meta["brief"],
        "params": params,
        "file": name,
        "title": meta["title"],
        "key": meta["key"],
        "size": len(data),
        "sha": digest,
        "previous_sha": digest,
        "headline": meta["headline"],
        "dataset_version": meta["dataset_version"],
        "last_success": dt.datetime.fromtimestamp(mtime, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def recover_status(out_dir: Path) -> tuple[dict, int, int]:
    """The status rebuilt from the published briefs' metadata: (status, briefs found, HTML files skipped)."""
    briefs: dict[str, dict] = {}
    skipped = 0
    with os.scandir(out_dir) as it:
        entries = sorted((e for e in it if e.name.endswith(".html") and e.name != "index.html"), key=lambda e: e.name)
    for e in entries:
        try:
            if not e.is_file(follow_symlinks=False):
                raise OSError
            data = read_regular(Path(e.path), 64 * 2**20)
            mtime = e.stat(follow_symlinks=False).st_mtime
            m = _META.search(data, 0, 256 * 1024)
            rec = _record(json.loads(m.group(1)), e.name, data, mtime) if m else None
        except (OSError, BuildError, ValueError):
            rec = None
        if rec is None:
            skipped += 1
        else:
            briefs[e.name.removesuffix(".html")] = rec
    return ({"briefs": briefs} if briefs else {}), len(briefs), skipped


def write_status(out_dir: Path, status: dict) -> None:
    write_atomic(out_dir / STATUS_FILE, json.dumps(status, indent=2, sort_keys=True).encode("utf-8"))


def update_status(out_dir: Path, status: dict, jobs: list[Job], data_dir: Path) -> None:
    from analysis import __version__
    from analysis.briefs import dataset_date
    from analysis.dataset.fingerprint import input_hashes

    now = iso_time(build_time())
    briefs = status.setdefault("briefs", {})
    meta = read_datapackage(data_dir)
    tables = input_hashes(data_dir)
    # A folder that had no published brief before this build is a first publication: nothing is "new".
    published_before = any(r.get("sha") for r in briefs.values())
    for j in jobs:
        rec = briefs.setdefault(j.stem, {})
        rec.update({"brief": j.brief.name, "params": j.values, "file": j.file_name, "title": brief_title(j)})
        if j.facts:
            rec["facts"] = j.facts
        else:
            rec.pop("facts", None)
        if j.state == "built":
            previous = rec.get("sha", "")
            inputs = {t: tables.get(t, "") for t in sorted(j.brief.tables)}
            if j.html_sha != previous:
                old = rec.get("inputs") or {}
                rec["change"] = {
                    "at": now,
                    "kind": "changed" if previous else ("new" if published_before else "first"),
                    "dataset_from": rec.get("dataset_version", "") if previous else "",
                    "dataset_to": meta.get("version", ""),
                    "package_from": rec.get("package_version", "") if previous else "",
                    "package_to": __version__,
                    "tables": sorted(t for t in inputs if old and old.get(t) != inputs[t]) if previous else [],
                }
                rec["content_updated"] = now
                rec.setdefault("first_published", now)
                status["last_change"] = now
            rec["previous_sha"] = previous
            rec.update(
                {
                    "key": j.key,
                    "size": j.size,
                    "sha": j.html_sha,
                    "headline": j.headline,
                    "last_success": now,
                    "dataset_version": meta.get("version"),
                    "package_version": __version__,
                    "inputs": inputs,
                    "last_build_seconds": round(j.seconds, 2),
                    "last_build_phases": {k: round(v, 3) for k, v in j.phases.items()},
                }
            )
            rec.pop("last_error", None)
        elif j.state == "failed":
            rec.update({"last_failure": now, "last_error": j.message})
    status["last_build"] = now
    status["dataset_version"] = meta.get("version")
    status["dataset_date"] = str(dataset_date(data_dir))
    write_status(out_dir, status)
