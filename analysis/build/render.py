"""The executed notebook turned into one offline HTML page with nbconvert and the brief template.

One HTMLExporter per worker thread (setting one up costs more than using it); the table of contents
comes from the notebook's own section headings, with the anchors nbconvert gives them.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass

from analysis import paths
from analysis.build.execute import has_maps
from analysis.build.plan import Job
from analysis.build.related import META_DESCRIPTION, META_TITLE, fill_meta


@dataclass(frozen=True)
class Assets:
    """Scripts and styles inlined in every brief."""

    plotly_js: str
    css: str
    render_js: str

    @property
    def geo_js(self) -> str:
        """The basemap for geo charts, handed to plotly.js so it never fetches one from a CDN."""
        return _geo_js()


@functools.cache
def _geo_js() -> str:
    topo = (paths.ASSETS_DIR / "europe_50m.topojson.json").read_text(encoding="utf-8")
    return "window.PlotlyGeoAssets={topojson:{europe_50m:" + topo + "}};"


#: A partial plotly.js holding only the trace types the briefs draw (scripts/build_plotly_bundle.py).
PLOTLY_BUNDLE = "plotly-briefs.min.js"


def load_assets() -> Assets:
    plotly_js = (paths.ASSETS_DIR / PLOTLY_BUNDLE).read_text(encoding="utf-8")
    css = (paths.TEMPLATES_DIR / "brief" / "static" / "brief.css").read_text(encoding="utf-8")
    render_js = (paths.TEMPLATES_DIR / "brief" / "static" / "render.js").read_text(encoding="utf-8")
    return Assets(plotly_js, css, render_js)


_local = threading.local()


def _exporter():
    """This thread's HTMLExporter with the brief template: no code, no prompts, no injected cells."""
    if getattr(_local, "exporter", None) is None:
        from nbconvert import HTMLExporter
        from traitlets.config import Config

        c = Config()
        c.TagRemovePreprocessor.enabled = True
        c.TagRemovePreprocessor.remove_cell_tags = {"parameters", "injected-parameters", "remove"}
        c.HTMLExporter.exclude_input = True
        c.HTMLExporter.exclude_input_prompt = True
        c.HTMLExporter.exclude_output_prompt = True
        c.HTMLExporter.extra_template_basedirs = [str(paths.TEMPLATES_DIR)]
        c.HTMLExporter.template_name = "brief"
        _local.exporter = HTMLExporter(config=c)
    return _local.exporter


_HEADING = re.compile(r"^## (.+?)\s*$", re.M)


def contents(nb) -> list[tuple[str, str]]:
    """(anchor, text) of each section heading ('## ...') of the notebook's markdown cells, in order,
    with the anchor nbconvert's Markdown renderer gives the heading."""
    from markupsafe import Markup
    from nbconvert.filters.strings import add_anchor

    out = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for m in _HEADING.finditer(cell.source):
            text = m.group(1)
            anchored = str(add_anchor(f"<h2>{Markup.escape(text)}</h2>"))
            out.append((re.search(r'id="([^"]+)"', anchored).group(1), text))
    return out


def render_html(nb, job: Job, assets: Assets, info: dict, site: bool) -> str:
    """The brief page: nbconvert with the brief template (analysis/templates/brief)."""
    nb.metadata["title"] = info["title"]
    resources = {
        "brief": {
            **info,
            "plotly_js": None if site else assets.plotly_js,
            "site": site,
            "geo_js": assets.geo_js if has_maps(nb) else None,
            "css": assets.css,
            "render_js": assets.render_js,
            "contents": contents(nb),
            # The head's meta tags and the header's related briefs and eve notice (build/related.py).
            "file": job.file_name,
            "meta_title": META_TITLE,
            "meta_description": META_DESCRIPTION,
            "page": job.page,
        }
    }
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return fill_meta(body, info["title"], job.headline)
