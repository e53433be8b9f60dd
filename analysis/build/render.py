"""The executed notebook turned into one offline HTML page with nbconvert and the brief template."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from analysis import paths
from analysis.build.execute import PLOTLY_MIME
from analysis.build.plan import Job


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


def render_html(nb, job: Job, assets: Assets, info: dict, site: bool) -> str:
    """nbconvert with the brief template: no code, no prompts, no parameters cells."""
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
    exporter = HTMLExporter(config=c)
    exporter.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    has_geo = any(
        '"type":"scattergeo"' in json.dumps(o.get("data", {}).get(PLOTLY_MIME, {}), separators=(",", ":"))
        or '"type":"choropleth"' in json.dumps(o.get("data", {}).get(PLOTLY_MIME, {}), separators=(",", ":"))
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
    )
    nb.metadata["title"] = info["title"]
    resources = {
        "brief": {
            **info,
            "plotly_js": None if site else assets.plotly_js,
            "site": site,
            "geo_js": assets.geo_js if has_geo else None,
            "css": assets.css,
            "render_js": assets.render_js,
        }
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return add_toc(body)


_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)(<a class="anchor-link"[^>]*>.*?</a>)?</h2>', re.S)


def add_toc(body: str) -> str:
    """Fill the table of contents from the brief's section headings."""
    items = [f'<li><a href="#{m.group(1)}">{re.sub(r"<[^>]+>", "", m.group(2)).strip()}</a></li>' for m in _H2.finditer(body)]
    return body.replace("<!--brief-toc-->", "<ol>" + "".join(items) + "</ol>", 1)
