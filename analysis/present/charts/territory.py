"""Charts of territorial claims: the offline claims map, claims per week and what became of them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis import metrics
from analysis.dataset.tables import Dataset
from analysis.present import labels, words
from analysis.present.charts.base import BriefFigure, empty, finish
from analysis.present.charts.basemap import add_ukraine_basemap
from analysis.present.format import esc, fmt_date
from analysis.present.theme import OKABE_ITO, STATUS_COLOURS, STATUS_SYMBOLS, text_on

#: Above this many located claims a map draws grid cells (counts) instead of one point per claim,
#: so page size and drawing time stay bounded however many claims there are.
MAP_POINT_LIMIT = 400


def status_words(status: str) -> str:
    return labels.label("claims", "status", status)


def point_origins(located: pd.DataFrame) -> str:
    """'12 from GeoNames (cities500) and 3 from Wikipedia': where the drawn points come from."""
    counts = located["location_source"].value_counts()
    parts = [f"{n:,} from {labels.label('claims', 'location_source', k)}" for k, n in counts.items()]
    return words.join(parts) if parts else "none"


def plot_claims_map(
    claims: pd.DataFrame,
    ds: Dataset,
    as_of: pd.Timestamp,
    *,
    title: str | None = None,
    focus: str | None = None,
    none: str = "No settlement was claimed in this period.",
) -> BriefFigure:
    """Settlement claims as points on an offline map of Ukraine; status in colour and shape, the
    claimant in the legend (Ukraine's points outlined in black).

    With more than MAP_POINT_LIMIT located claims, claims are counted per grid cell, status and
    claimant (`metrics.claims.claims_grid`) and each cell is one marker sized by its count.
    """
    c = metrics.claims.settlement_claims(claims)
    if c.empty:
        return finish(empty(none), c, ds, as_of, name="claims-map", title=none, alt=none, table={}, about="")
    fig = BriefFigure()
    add_ukraine_basemap(fig, focus)
    located = c[c["latitude"].notna()]
    grid = len(located) > MAP_POINT_LIMIT
    plotted = metrics.claims.claims_grid(located) if grid else located
    for claimant in ("RU", "UA"):
        for status, colour in STATUS_COLOURS.items():
            g = plotted[(plotted["status"] == status) & (plotted["claimant"] == claimant)]
            if g.empty:
                continue
            hollow = STATUS_SYMBOLS[status].endswith("-open")
            outline = dict(width=1.6 if not hollow else 2.4, color="#000" if claimant == "UA" else (colour if hollow else "white"))
            if grid:
                hover = [
                    f"{words.count(r.claim_count, status_words(status) + ' claim')} by {labels.party(claimant)} in this cell" for r in g.itertuples()
                ]
                size = [min(30, 6 + 2 * n**0.5) for n in g["claim_count"]]
                opacity = 1
            else:
                hover = [
                    f"{esc(r.place)}{' (' + esc(r.place_alias) + ')' if isinstance(r.place_alias, str) else ''}, {esc(r.oblast) if isinstance(r.oblast, str) else 'oblast not stated'}<br>"
                    f"claimed by {labels.party(claimant)} on {fmt_date(r.claim_date)}; {status_words(status)}"
                    f"{' (location approximate)' if r.location_precision == 'approximate' else ''}"
                    for r in g.itertuples()
                ]
                size, opacity = 10, [0.55 if p == "approximate" else 1 for p in g["location_precision"]]
            fig.add_trace(
                go.Scattergeo(
                    lat=g["latitude"],
                    lon=g["longitude"],
                    mode="markers",
                    name=f"{labels.party(claimant)}'s claims: {status_words(status)}",
                    marker=dict(size=size, color=colour, symbol=STATUS_SYMBOLS[status], line=outline, opacity=opacity),
                    hovertext=hover,
                    hoverinfo="text",
                )
            )
    unlocated = len(c) - len(located)
    counts = c["status"].value_counts()
    if title is None:
        title = (
            f"{words.count(len(c), 'settlement claim')}, {int(counts.get('confirmed', 0)):,} of them confirmed"
            if len(c)
            else "No settlement claims in this period"
        )
    alt = f"Map of Ukraine with {words.count(len(located), 'located settlement claim')}" + (
        ": " + words.join(f"{n} {status_words(s)}" for s, n in counts.items()) + "." if len(c) else "."
    )
    if unlocated:
        alt += f" {words.count(unlocated, 'claim')} without a location {words.verb(unlocated, 'is', 'are')} not drawn."
    fig.update_layout(margin=dict(l=0, r=0, t=80, b=0), legend=dict(y=-0.02, yanchor="top", orientation="h"))
    note = f" {words.count(unlocated, 'claim')} without a location {words.verb(unlocated, 'is', 'are')} not drawn." if unlocated else ""
    if grid:
        deg = float(plotted["cell_degrees"].iloc[0]) if len(plotted) else metrics.claims.GRID_DEGREES
        shown = plotted.assign(
            by=plotted["claimant"].map(labels.party),
            state=plotted["status"].map(status_words),
            cell=plotted.apply(lambda r: f"{r['latitude']:.2f}, {r['longitude']:.2f}", axis=1),
        )
        return finish(
            fig,
            shown,
            ds,
            as_of,
            name="claims-map-cells",
            title=title,
            alt=alt + f" The map counts claims per {deg:g}-degree grid cell.",
            table={"cell": "Cell centre (latitude, longitude)", "by": "Claimed by", "state": "Status", "claim_count": "Claims"},
            download=["latitude", "longitude", "cell_degrees", "status", "claimant", "claim_count", "source_ids"],
            about=f"With {len(located):,} located claims the map counts them per {deg:g}-degree grid cell: each marker's size grows with the "
            "number of claims in it, colour and shape are the claims' status. The download holds one row per cell, not one per claim." + note,
            height=580,
        )
    shown = c.assign(
        by=c["claimant"].map(labels.party),
        state=c["status"].map(status_words),
        where=c["location_precision"].map(lambda p: labels.label("claims", "location_precision", p)),
    )
    return finish(
        fig,
        shown.sort_values(["claim_date", "claim_id"], ascending=[False, True]),
        ds,
        as_of,
        name="claims-map",
        title=title,
        alt=alt,
        table={"claim_date": "Date", "by": "Claimed by", "place": "Place", "oblast": "Oblast", "state": "Status", "where": "Location"},
        download=[
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
        about="Each point is one side's claim to have taken a settlement (the download holds one row per claim, located or not). Colour and "
        "shape are the claim's status as known on the brief's day: claimed (the claimant's word only), confirmed (by the other side or an "
        "independent tracker), disputed, denied, retaken. Ukraine's claims are outlined in black. Faded points are approximate: a nearby "
        f"settlement's point. Boundaries: Natural Earth; points: {point_origins(located)}." + note,
        height=580,
    )


def plot_claims_per_week(weekly: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Stacked bars of settlement claims per week, by oblast."""
    table = {"week": "Week of", "oblast": "Oblast", "by": "Claimed by", "claim_count": "Claims", "places": "Places"}
    if weekly.empty:
        return finish(
            empty("No settlement claims in this period."),
            weekly.assign(by=[]),
            ds,
            as_of,
            name="claims-per-week",
            title="No settlement claims in this period",
            alt="No settlement claims in this period.",
            table=table,
            about="Named settlements claimed per week.",
            height=260,
        )
    fig = BriefFigure()
    oblasts = weekly.groupby("oblast")["claim_count"].sum().sort_values(ascending=False).index.tolist()
    palette = OKABE_ITO
    for i, ob in enumerate(oblasts):
        g = weekly[weekly["oblast"] == ob].groupby("week", as_index=False).agg(claim_count=("claim_count", "sum"), places=("places", "; ".join))
        fig.add_trace(
            go.Bar(
                x=g["week"],
                y=g["claim_count"],
                name=esc(ob),
                marker_color=palette[i % len(palette)],
                hovertext=[
                    f"{esc(ob)}, week of {fmt_date(r.week)}: {words.count(r.claim_count, 'claim')}<br>{esc(r.places)}" for r in g.itertuples()
                ],
                hoverinfo="text",
            )
        )
    total = int(weekly["claim_count"].sum())
    per_oblast = weekly.groupby("oblast")["claim_count"].sum().sort_values(ascending=False)
    top = per_oblast.index[0]
    title = f"{words.count(total, 'settlement claim')}; most in {top}" + ("" if top == "oblast not stated" else " oblast")
    alt = (
        f"Stacked bar chart of {words.count(total, 'settlement claim')} per week, by oblast: "
        + words.join(f"{n} in {o}" for o, n in per_oblast.head(5).items())
        + (f" and {int(per_oblast.iloc[5:].sum()):,} elsewhere." if len(per_oblast) > 5 else ".")
    )
    fig.update_layout(barmode="stack", yaxis_title="claims per week", legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0))
    return finish(
        fig,
        weekly.assign(by=weekly["claimant"].map(labels.party)),
        ds,
        as_of,
        name="claims-per-week",
        title=title,
        alt=alt,
        table=table,
        about="Named settlements claimed captured (by Russia) or liberated (by Ukraine) per week, by oblast. Ukraine more often reports "
        "areas and counts than named places, so its claims are under-represented here.",
    )


def plot_claim_status(rates: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Each side's settlement claims by status, as counts (the share is in the hover and the table)."""
    table = {"by": "Claimed by", "state": "Status", "claim_count": "Claims", "share_pct": "Share of the side's claims (%)"}
    shown = rates.assign(by=rates["claimant"].map(labels.party), state=rates["status"].map(status_words))
    if rates.empty:
        return finish(
            empty("No settlement claims in this period."),
            shown,
            ds,
            as_of,
            name="claim-status",
            title="No settlement claims in this period",
            alt="No settlement claims in this period.",
            table=table,
            about="Each side's settlement claims by status.",
            height=260,
        )
    fig = BriefFigure()
    for status, colour in STATUS_COLOURS.items():
        g = rates[rates["status"] == status]
        if g.empty:
            continue
        fig.add_trace(
            go.Bar(
                y=[labels.party(c) for c in g["claimant"]],
                x=g["claim_count"],
                orientation="h",
                name=words.capital(status_words(status)),
                marker_color=colour,
                text=[str(n) for n in g["claim_count"]],
                textposition="inside",
                insidetextfont=dict(color=text_on(colour)),
                hovertext=[
                    f"{n:,} of {labels.party(c)}'s claims {status_words(status)} ({p}%)"
                    for n, c, p in zip(g["claim_count"], g["claimant"], g["share_pct"])
                ],
                hoverinfo="text",
            )
        )
    ru = rates[rates["claimant"] == "RU"]
    ru_total = int(ru["claim_count"].sum())
    conf = int(ru.loc[ru["status"] == "confirmed", "claim_count"].sum())
    title = (
        f"{conf:,} of Russia's {words.count(ru_total, 'settlement claim')} {words.verb(conf, 'is', 'are')} confirmed by Ukraine or a tracker"
        if ru_total
        else "Claim outcomes"
    )
    alt = (
        "Stacked bars of each side's settlement claims by status: "
        + "; ".join(
            f"{labels.party(cl)}: " + words.join(f"{r.claim_count} {status_words(r.status)}" for r in g.itertuples())
            for cl, g in rates.groupby("claimant")
        )
        + "."
    )
    fig.update_layout(
        barmode="stack",
        xaxis=dict(title="settlement claims"),
        yaxis=dict(automargin=True),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
    )
    return finish(
        fig,
        shown,
        ds,
        as_of,
        name="claim-status",
        title=title,
        alt=alt,
        table=table,
        about="Each side's settlement claims by status as known on the brief's day. 'Claimed' means no confirmation or denial was found in the "
        "sources read, not that the claim is false.",
        height=320,
    )
