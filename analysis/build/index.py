"""reports/index.html: every published brief with its headline, dataset version and build date."""

from __future__ import annotations

import html
from pathlib import Path

from analysis.build.publish import write_atomic


def write_index(out_dir: Path, status: dict) -> None:
    """reports/index.html: every brief with its headline, dataset version and build date."""
    write_atomic(out_dir / "index.html", render_index(status).encode("utf-8"))


INDEX_CSS = """
body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1a1a1a}
main{max-width:980px;margin:0 auto;padding:1rem 1.2rem 3rem}h1{border-bottom:3px solid #1a1a1a;padding-bottom:.4rem}
h2{margin-top:2rem;font-size:1.2rem}ul{list-style:none;padding:0}li{border-bottom:1px solid #ddd;padding:.55rem 0}
.meta{color:#5f5f5f;font-size:.85rem}.head{display:block;font-size:.95rem}
.new{background:#0072B2;color:#fff;font-size:.72rem;padding:.05rem .35rem;border-radius:3px;margin-left:.4rem}
.failed{background:#D55E00}
"""
GROUPS = [
    ("overview", "Overview"),
    ("round", "Round briefs"),
    ("exchanges", "Exchanges"),
    ("territory", "Territory"),
    ("positions", "Positions and deadlines"),
]


def render_index(status: dict) -> str:
    """The index page from status.json (only briefs that have been published at least once)."""
    briefs = status.get("briefs", {})
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Russia–Ukraine war diplomacy: briefs</title>",
        f"<style>{INDEX_CSS}</style></head><body><main>",
        "<h1>Russia–Ukraine war diplomacy: briefs</h1>",
        f'<p class="meta">Dataset v{html.escape(str(status.get("dataset_version", "")))} of {html.escape(str(status.get("dataset_date", "")))}; '
        f'last build {html.escape(str(status.get("last_build", "")))}. "new" marks briefs first published or changed in the last build.</p>',
    ]
    last = status.get("last_build")
    for key, label in GROUPS:
        rows = sorted(
            ((stem, r) for stem, r in briefs.items() if r.get("brief") == key and r.get("sha")), key=lambda x: x[0], reverse=(key == "round")
        )
        if not rows:
            continue
        parts.append(f"<h2>{html.escape(label)} ({len(rows)})</h2><ul>")
        for stem, r in rows:
            changed = r.get("last_success") == last and r.get("sha") != r.get("previous_sha")
            badge = ' <span class="new">new</span>' if changed else ""
            if r.get("last_error"):
                badge += ' <span class="new failed">last build failed</span>'
            parts.append(
                f'<li><a href="{html.escape(r["file"], quote=True)}">{html.escape(r.get("title") or stem)}</a>{badge}'
                f'<span class="head">{html.escape(r.get("headline", ""))}</span>'
                f'<span class="meta">dataset v{html.escape(str(r.get("dataset_version", "")))} · built {html.escape(str(r.get("last_success", "")))} · '
                f"{int(r.get('size', 0)) / 1024:,.0f} KB</span></li>"
            )
        parts.append("</ul>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"
