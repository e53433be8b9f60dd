"""reports/index.html: every published brief with its headline, dataset version and build date,
rendered from status.json with a Jinja template (analysis/templates/index/)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from analysis import paths
from analysis.build.publish import write_atomic

GROUPS = [
    ("overview", "Overview"),
    ("round", "Round briefs"),
    ("exchanges", "Exchanges"),
    ("territory", "Territory"),
    ("positions", "Positions and deadlines"),
]


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(paths.TEMPLATES_DIR / "index"), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("index.html.j2")


def write_index(out_dir: Path, status: dict) -> None:
    """reports/index.html: every brief with its headline, dataset version and build date."""
    write_atomic(out_dir / "index.html", render_index(status).encode("utf-8"))


def render_index(status: dict) -> str:
    """The index page from status.json (only briefs that have been published at least once)."""
    briefs = status.get("briefs", {})
    last = status.get("last_build")
    groups = []
    for key, label in GROUPS:
        rows = sorted(
            ((stem, r) for stem, r in briefs.items() if r.get("brief") == key and r.get("sha")), key=lambda x: x[0], reverse=(key == "round")
        )
        if rows:
            groups.append(
                (
                    label,
                    [
                        {
                            "file": r["file"],
                            "title": r.get("title") or stem,
                            "changed": r.get("last_success") == last and r.get("sha") != r.get("previous_sha"),
                            "failed": bool(r.get("last_error")),
                            "headline": r.get("headline", ""),
                            "dataset_version": r.get("dataset_version", ""),
                            "last_success": r.get("last_success", ""),
                            "size_kb": f"{int(r.get('size', 0)) / 1024:,.0f}",
                        }
                        for stem, r in rows
                    ],
                )
            )
    return (
        _template().render(
            groups=groups, dataset_version=status.get("dataset_version", ""), dataset_date=status.get("dataset_date", ""), last_build=last or ""
        )
        + "\n"
    )
