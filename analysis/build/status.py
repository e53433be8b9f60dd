"""reports/status.json: each brief's key, size, headline and last success or failure."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

from analysis.build.plan import Job
from analysis.build.publish import write_atomic
from analysis.dataset.tables import read_datapackage

STATUS_FILE = "status.json"


def headline_of(body: str) -> str:
    """The brief's lead (or first chart title) as plain text, for the index."""
    m = re.search(r'<p class="brief-lead">(.*?)</p>', body, re.S)
    if m:
        return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
    m = re.search(r'<div class="brief-headlines">(.*?)</div>\s*</div>\s*<p>', body, re.S)
    if m:
        parts = re.findall(r'<span class="brief-number">(.*?)</span>\s*<span>(.*?)</span>', m.group(1), re.S)
        return "; ".join(html.unescape(f"{n.strip()} {label.strip()}") for n, label in parts)
    m = re.search(r'"title":\{"text":"((?:[^"\\]|\\.)*)"', body)
    return html.unescape(json.loads(f'"{m.group(1)}"')) if m else ""


def brief_title(job: Job) -> str:
    v = job.values
    if job.brief.name == "round":
        t = f"Round brief: {v.get('round_id') or 'newest round'}"
    else:
        t = job.brief.title
    if v.get("as_of"):
        t += f" (as of {v['as_of']})"
    return t


def brief_settings(job: Job) -> list[dict]:
    return [{"name": p.name, "value": job.values[p.name], "help": p.help} for p in job.brief.params]


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
