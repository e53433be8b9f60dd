"""Charts of territorial claims and control, including the offline claims map."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis import metrics
from analysis.dataset.tables import Dataset
from analysis.present.charts.base import BriefFigure, finish
from analysis.present.charts.basemap import add_ukraine_basemap
from analysis.present.format import esc, fmt_date
from analysis.present.theme import STATUS_COLOURS, party_colour, party_name


def point_origins(located: pd.DataFrame) -> str:
    """'GeoNames (12) and Wikipedia articles (3)': where the drawn points come from, with counts."""
    counts = located["location_source"].value_counts()
    names = {"geonames": "GeoNames", "wikipedia": "the settlements' Wikipedia articles"}
    parts = [f"{names.get(k, k)} ({n})" for k, n in counts.items()]
    if not parts:
        return "none"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


#: Above this many located claims a map draws grid cells (counts) instead of one point per claim,
#: so page size and drawing time stay bounded however many claims there are.
MAP_POINT_LIMIT = 400


def plot_claims_map(claims: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, title: str | None = None, focus: str | None = None) -> BriefFigure:
    """Settlement claims as points on an offline map of Ukraine, coloured by status.

    With more than MAP_POINT_LIMIT located claims, claims are counted per grid cell, status and
    claimant (`metrics.claims.claims_grid`) and each cell is one marker sized by its count.
    """
    fig = BriefFigure()
    add_ukraine_basemap(fig, focus)
    c = metrics.claims.settlement_claims(claims)
    located = c[c["latitude"].notna()]
    grid = len(located) > MAP_POINT_LIMIT
    plotted = metrics.claims.claims_grid(located) if grid else located
    for status, colour in STATUS_COLOURS.items():
        for claimant, symbol in (("RU", "circle"), ("UA", "diamond")):
            g = plotted[(plotted["status"] == status) & (plotted["claimant"] == claimant)]
            if g.empty:
                continue
            if grid:
                hover = [
                    f"{r.claim_count} {esc(status)} claim(s) by {esc(r.claimant)} near {r.latitude:.2f}, {r.longitude:.2f}" for r in g.itertuples()
                ]
                marker = dict(
                    size=[min(30, 6 + 2 * n**0.5) for n in g["claim_count"]], color=colour, symbol=symbol, line=dict(width=0.8, color="white")
                )
            else:
                hover = [
                    f"{esc(r.place)}{' (' + esc(r.place_alias) + ')' if not pd.isna(r.place_alias) else ''}, {esc(r.oblast)}<br>"
                    f"{esc(r.claim_type)} per {esc(r.claimant)} on {fmt_date(r.claim_date)}<br>status: {esc(r.status)}"
                    f"{' (approximate location)' if r.location_precision == 'approximate' else ''}"
                    for r in g.itertuples()
                ]
                marker = dict(
                    size=9,
                    color=colour,
                    symbol=symbol,
                    line=dict(width=0.8, color="white"),
                    opacity=[0.55 if p == "approximate" else 1 for p in g["location_precision"]],
                )
            fig.add_trace(
                go.Scattergeo(
                    lat=g["latitude"],
                    lon=g["longitude"],
                    mode="markers",
                    name=f"{party_name(claimant)}: {status}",
                    marker=marker,
                    hovertext=hover,
                    hoverinfo="text",
                )
            )
    unlocated = len(c) - len(located)
    if title is None:
        title = (
            f"{len(c)} settlement claims, {int((c['status'] == 'confirmed').sum())} of them confirmed"
            if len(c)
            else "No settlement claims in this period"
        )
    fig.update_layout(title=esc(title), margin=dict(l=0, r=0, t=80, b=0), legend=dict(y=-0.02, yanchor="top"))
    note = f" {unlocated} claim(s) without a location are not drawn." if unlocated else ""
    if grid:
        deg = float(plotted["cell_degrees"].iloc[0]) if len(plotted) else metrics.claims.GRID_DEGREES
        note += f" With {len(located)} located claims the map counts them per {deg:g}° grid cell; the download holds the cells."
        return finish(
            fig,
            plotted,
            ds,
            as_of,
            name="claims-map-cells",
            columns=["latitude", "longitude", "cell_degrees", "status", "claimant", "claim_count", "source_ids"],
            source_columns=("source_ids",),
            about="Each marker is a grid cell; its size grows with the number of claims in it, colour is the claims' status." + note,
            height=560,
        )
    return finish(
        fig,
        c,
        ds,
        as_of,
        name="claims-map",
        columns=[
            "claim_id",
            "claim_date",
            "claimant",
            "claimant_body",
            "claim_type",
            "place",
            "place_alias",
            "oblast",
            "latitude",
            "longitude",
            "geonames_id",
            "location_precision",
            "location_source",
            "location_source_ids",
            "status",
            "status_date",
            "source_ids",
            "status_source_ids",
        ],
        source_columns=("source_ids", "status_source_ids", "location_source_ids"),
        about="Each point is a claim by one side to have taken a settlement; circles are Russian claims, diamonds Ukrainian. "
        "Colour is the claim's status by the brief's date: claimed (the claimant's word only), confirmed (by the other side "
        "or an independent tracker), disputed, denied, retaken. Faded points are approximate locations (a nearby settlement). "
        f"Boundaries: Natural Earth; points: {point_origins(located)}." + note,
        height=560,
    )


def plot_claims_per_week(weekly: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Stacked bars of settlement claims per week, by oblast, one panel per claimant."""
    fig = BriefFigure()
    oblasts = weekly.groupby("oblast")["claim_count"].sum().sort_values(ascending=False).index.tolist()
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
    for i, ob in enumerate(oblasts):
        g = weekly[weekly["oblast"] == ob]
        fig.add_trace(
            go.Bar(
                x=g["week"],
                y=g["claim_count"],
                name=esc(ob),
                marker_color=palette[i % len(palette)],
                hovertext=[
                    f"{esc(ob)}, week of {fmt_date(r.week)}: {r.claim_count} claim(s) by {esc(r.claimant)}<br>{esc(r.places)}" for r in g.itertuples()
                ],
                hoverinfo="text",
            )
        )
    total = int(weekly["claim_count"].sum())
    top = oblasts[0] if oblasts else None
    title = f"{total} settlement claims; most in {esc(top)} oblast" if top else "No settlement claims in this period"
    fig.update_layout(title=title, barmode="stack", yaxis_title="claims per week")
    return finish(
        fig,
        weekly,
        ds,
        as_of,
        name="claims-per-week",
        about="Named settlements claimed captured (by Russia) or liberated (by Ukraine) per week, by oblast. Ukraine more often reports "
        "areas and counts than named places, so its claims are under-represented here.",
    )


def plot_claim_status(rates: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, claims: pd.DataFrame) -> BriefFigure:
    """Share of each side's claims that were later confirmed, disputed, denied or reversed."""
    fig = BriefFigure()
    for status, colour in STATUS_COLOURS.items():
        g = rates[rates["status"] == status]
        fig.add_trace(
            go.Bar(
                y=[party_name(c) for c in g["claimant"]],
                x=g["share_pct"],
                orientation="h",
                name=status,
                marker_color=colour,
                text=[f"{n}" for n in g["claim_count"]],
                textposition="inside",
            )
        )
    ru = rates[rates["claimant"] == "RU"]
    conf = ru[ru["status"] == "confirmed"]["share_pct"].sum()
    title = f"{conf}% of Russia's settlement claims are confirmed by Ukraine or a tracker" if len(ru) else "Claim outcomes"
    fig.update_layout(title=esc(title), barmode="stack", xaxis=dict(title="% of the side's claims", range=[0, 100]), yaxis=dict(automargin=True))
    return finish(
        fig,
        rates,
        ds,
        as_of,
        name="claim-status",
        source_columns=("source_ids",),
        about="Share of each side's settlement claims in each status by the brief's date. 'claimed' means no confirmation or denial "
        "was found in the sources read, not that the claim is false.",
        height=300,
    )


def plot_control(series: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Share of Ukraine held by Russia over time, one line per tracker."""
    fig = BriefFigure()
    for tracker, g in series.groupby("tracker"):
        g = g[g["share_pct"].notna()]
        if g.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=g["as_of_date"],
                y=g["share_pct"],
                mode="lines+markers",
                name=esc(tracker),
                hovertext=[f"{esc(tracker)}, {fmt_date(r.as_of_date)}: {r.share_pct}%" for r in g.itertuples()],
                hoverinfo="text",
            )
        )
    s = series[series["share_pct"].notna()].sort_values("as_of_date")
    title = (
        f"Russia held {s.iloc[-1]['share_pct']}% of Ukraine on {fmt_date(s.iloc[-1]['as_of_date'])} per {esc(s.iloc[-1]['tracker'])}"
        if len(s)
        else "No control readings"
    )
    fig.update_layout(title=title, yaxis=dict(title="% of Ukraine held by Russia", rangemode="tozero"))
    return finish(
        fig,
        series,
        ds,
        as_of,
        name="control",
        about="Readings by named trackers as cited by the sources. Trackers count differently (e.g. with or without Crimea and the "
        "areas held before 2022), so compare a tracker with itself over time.",
    )


def plot_annexation_vs_held(table: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Regions Russia claims to have annexed against the share it is reported to hold."""
    fig = BriefFigure(
        [
            go.Bar(
                y=[esc(o) for o in table["oblast"]], x=table["claimed_share_pct"], orientation="h", name="Claimed by Russia", marker_color="#DDDDDD"
            ),
            go.Bar(
                y=[esc(o) for o in table["oblast"]],
                x=table["held_share_pct"],
                orientation="h",
                name="Held (latest reading)",
                marker_color=party_colour("RU"),
                text=[f"{v}%" if not pd.isna(v) else "no reading" for v in table["held_share_pct"]],
                textposition="outside",
            ),
        ]
    )
    held = pd.to_numeric(table["held_share_pct"], errors="coerce")
    short = table[held.notna() & (held < 100)]
    title = f"Russia claims {len(table)} regions whole; it holds less than all of {len(short)} of them" if len(table) else "No annexation claims"
    fig.update_layout(title=esc(title), barmode="overlay", xaxis=dict(range=[0, 110], title="% of the region"), yaxis=dict(automargin=True))
    return finish(
        fig,
        table,
        ds,
        as_of,
        name="annexation-vs-held",
        about="Russia's annexation claims cover each region entire. The red bar is the latest share of the region it holds, "
        "as read by the named tracker on the reading date in the download.",
        height=320,
    )
