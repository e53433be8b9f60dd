"""The offline basemap of the claims maps: Ukraine's oblast outlines over plotly's bundled Europe
topojson (see analysis/assets/ASSETS.md), so no map tile or CDN is ever fetched."""

from __future__ import annotations

import json
from functools import cache

import plotly.graph_objects as go

from analysis import paths
from analysis.present.format import esc


@cache
def _oblast_geojson() -> dict:
    return json.loads((paths.ASSETS_DIR / "ua_oblasts.geojson").read_text(encoding="utf-8"))


def add_ukraine_basemap(fig: go.Figure, focus: str | None = None) -> None:
    """Oblast outlines under the points, on an offline basemap (see analysis/assets/ASSETS.md)."""
    gj = _oblast_geojson()
    names = [f["properties"]["name"] for f in gj["features"]]
    fig.add_trace(
        go.Choropleth(
            geojson=gj,
            featureidkey="properties.name",
            locations=names,
            z=[1 if (focus and n == focus) else 0 for n in names],
            colorscale=[[0, "#F4F4F4"], [1, "#E3E3E3"]],
            zmin=0,
            zmax=1,
            showscale=False,
            marker=dict(line=dict(color="#9A9A9A", width=0.6)),
            hoverinfo="text",
            text=[esc(n) for n in names],
            name="Oblasts",
            showlegend=False,
        )
    )
    fig.update_geos(
        scope="europe",
        resolution=50,
        projection_type="mercator",
        lonaxis_range=[21.5, 41.0],
        lataxis_range=[44.0, 52.6],
        showland=True,
        landcolor="#FBFBFB",
        showcountries=True,
        countrycolor="#BDBDBD",
        showocean=True,
        oceancolor="#EAF2F8",
        showlakes=False,
        showframe=False,
        showcoastlines=True,
        coastlinecolor="#BDBDBD",
    )
