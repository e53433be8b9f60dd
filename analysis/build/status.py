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
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.build.plan import Job
from analysis.build.publish import write_atomic
from analysis.build.words import build_time, iso_time
from analysis.dataset.tables import read_datapackage

STATUS_FILE = "status.json"


def brief_title(job: Job) -> str:
    """The reader title of a brief (set at plan time from the data: see analysis.briefs.brief_title)."""
    return job.title or job.brief.title


def read_status(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


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
                }
            )
            rec.pop("last_error", None)
        elif j.state == "failed":
            rec.update({"last_failure": now, "last_error": j.message})
    status["last_build"] = now
    status["dataset_version"] = meta.get("version")
    status["dataset_date"] = str(dataset_date(data_dir))
    write_status(out_dir, status)
