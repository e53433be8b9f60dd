"""reports/status.json: each brief's key, size, headline and last success or failure."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from analysis.build.plan import Job
from analysis.build.publish import write_atomic
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


def update_status(out_dir: Path, status: dict, jobs: list[Job], data_dir: Path) -> None:
    from analysis.briefs import dataset_date

    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    briefs = status.setdefault("briefs", {})
    meta = read_datapackage(data_dir)
    for j in jobs:
        rec = briefs.setdefault(j.stem, {})
        rec.update({"brief": j.brief.name, "params": j.values, "file": j.file_name, "title": brief_title(j)})
        if j.state == "built":
            rec["previous_sha"] = rec.get("sha", "")
            rec.update(
                {
                    "key": j.key,
                    "size": j.size,
                    "sha": j.html_sha,
                    "headline": j.headline,
                    "last_success": now,
                    "dataset_version": meta.get("version"),
                    "last_build_seconds": round(j.seconds, 2),
                }
            )
            rec.pop("last_error", None)
        elif j.state == "failed":
            rec.update({"last_failure": now, "last_error": j.message})
    status["last_build"] = now
    status["dataset_version"] = meta.get("version")
    status["dataset_date"] = str(dataset_date(data_dir))
    write_atomic(out_dir / STATUS_FILE, json.dumps(status, indent=2, sort_keys=True).encode("utf-8"))
