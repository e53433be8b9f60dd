"""Charts of territorial claims and control, including the offline claims map."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis import metrics
from analysis.dataset.tables import Dataset
from analysis.present import labels, words
from analysis.present.charts.base import BriefFigure, empty, finish
from analysis.present.charts.basemap import add_ukraine_basemap
from analysis.present.format import esc, fmt_date
from analysis.present.theme import MUTED_INK, OKABE_ITO, STATUS_COLOURS, STATUS_SYMBOLS, party_colour, text_on

#: Above this many located claims a map draws grid cells (counts) instead of one point per claim,
#: so page size and drawing time stay bounded however many claims there are.
MAP_POINT_LIMIT = 400
#: A control line joins two readings of one tracker only when they are at most this many days apart.
LINE_GAP_DAYS = 120


def status_words(status: str) -> str:
    return labels.label("claims", "status", status)


def point_origins(located: pd.DataFrame) -> str:
    """'GeoNames (12) and the settlements' Wikipedia articles (3)': where the drawn points come from."""
    counts = located["location_source"].value_counts()
    parts = [f"{labels.label('claims', 'location_source', k)} ({n})" for k, n in counts.items()]
    return words.join(parts) if parts else "none"


def plot_claims_map(claims: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp, *, title: str | None = None, focus: str | None = None) -> BriefFigure:
    """Settlement claims as points on an offline map of Ukraine; status in colour and shape, the
    claimant in the legend (Ukraine's points outlined in black).

    With more than MAP_POINT_LIMIT located claims, claims are counted per grid cell, status and
    claimant (`metrics.claims.claims_grid`) and each cell is one marker sized by its count.
    """
    fig = BriefFigure()
    add_ukraine_basemap(fig, focus)
    c = metrics.claims.settlement_claims(claims)
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
            f"{words.count(len(c), 'settlement claim')}, {int(counts.get('confirmed', 0))} of them confirmed"
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
        + (f" and {int(per_oblast.iloc[5:].sum())} elsewhere." if len(per_oblast) > 5 else ".")
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
                    f"{n} of {labels.party(c)}'s claims {status_words(status)} ({p}%)"
                    for n, c, p in zip(g["claim_count"], g["claimant"], g["share_pct"])
                ],
                hoverinfo="text",
            )
        )
    ru = rates[rates["claimant"] == "RU"]
    ru_total = int(ru["claim_count"].sum())
    conf = int(ru.loc[ru["status"] == "confirmed", "claim_count"].sum())
    title = (
        f"{conf} of Russia's {words.count(ru_total, 'settlement claim')} {words.verb(conf, 'is', 'are')} confirmed by Ukraine or a tracker"
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


def _with_breaks(g: pd.DataFrame) -> pd.DataFrame:
    """The readings with an empty row between two that are more than LINE_GAP_DAYS apart, so the line
    breaks there instead of suggesting a steady change across years without a reading."""
    rows = []
    prev = None
    for _, r in g.iterrows():
        if prev is not None and (r["as_of_date"] - prev).days > LINE_GAP_DAYS:
            rows.append({"as_of_date": prev + (r["as_of_date"] - prev) / 2, "share_pct": None})
        rows.append({"as_of_date": r["as_of_date"], "share_pct": float(r["share_pct"])})
        prev = r["as_of_date"]
    return pd.DataFrame(rows)


def plot_control(series: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Share of Ukraine held by Russia over time, one line per tracker (broken across long gaps)."""
    table = {"as_of_date": "Date", "tracker": "Tracker", "share_pct": "Share held by Russia (%)"}
    if series.empty:
        return finish(
            empty("No reading of the share held."),
            series,
            ds,
            as_of,
            name="control",
            title="No control readings",
            alt="No control readings.",
            table=table,
            about="Readings by named trackers.",
            height=260,
        )
    fig = BriefFigure()
    for i, (tracker, g) in enumerate(series.groupby("tracker")):
        line = _with_breaks(g)
        fig.add_trace(
            go.Scatter(
                x=line["as_of_date"],
                y=line["share_pct"],
                mode="lines+markers",
                connectgaps=False,
                name=esc(tracker),
                marker=dict(color=OKABE_ITO[i % len(OKABE_ITO)]),
                line=dict(color=OKABE_ITO[i % len(OKABE_ITO)]),
                hovertemplate=f"{esc(tracker)}, %{{x|%-d %b %Y}}: %{{y}}%<extra></extra>",
            )
        )
    last = series.sort_values(["as_of_date", "tracker"]).iloc[-1]
    title = f"Russia held {last['share_pct']:g}% of Ukraine on {words.day(last['as_of_date'])}, by {last['tracker']}'s reading"
    alt = f"Line chart of {words.count(len(series), 'reading')} of the share of Ukraine held by Russia, by {words.count(series['tracker'].nunique(), 'tracker')}; the newest: {last['share_pct']:g}% on {words.day(last['as_of_date'])} ({last['tracker']})."
    fig.update_layout(
        yaxis=dict(title="% of Ukraine held by Russia", rangemode="tozero"), legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0)
    )
    return finish(
        fig,
        series,
        ds,
        as_of,
        name="control",
        title=title,
        alt=alt,
        table=table,
        about=f"Readings by named trackers as cited by the sources; a line breaks where a tracker's readings are more than {LINE_GAP_DAYS} days apart. "
        "Trackers count differently (with or without Crimea and the areas held before 2022), so compare a tracker with itself over time.",
    )


def plot_annexation_vs_held(table: pd.DataFrame, ds: Dataset, as_of: pd.Timestamp) -> BriefFigure:
    """Regions Russia claims to have annexed, each claimed whole, against the latest share it holds;
    a region without a reading says so instead of drawing an empty bar."""
    cols = {"oblast": "Region", "claim_date": "Claimed annexed", "held": "Held by Russia (latest reading)", "reading": "Reading"}
    held = pd.to_numeric(table["held_share_pct"], errors="coerce")
    shown = table.assign(
        held=held.map(lambda v: "no reading" if pd.isna(v) else f"{v:g}%"),
        reading=table.apply(lambda r: "" if pd.isna(r["reading_date"]) else f"{r['tracker']}, {fmt_date(r['reading_date'])}", axis=1),
    )
    if table.empty:
        return finish(
            empty("No annexation claims."),
            shown,
            ds,
            as_of,
            name="annexation-vs-held",
            title="No annexation claims",
            alt="No annexation claims.",
            table=cols,
            about="Russia's annexation claims.",
            height=240,
        )
    names = [esc(o) for o in table["oblast"]]
    fig = BriefFigure(
        [
            go.Bar(
                y=names,
                x=table["claimed_share_pct"],
                orientation="h",
                name="Claimed by Russia (whole region)",
                marker_color="#DDDDDD",
                hoverinfo="skip",
            ),
            go.Bar(
                y=names,
                x=held,
                orientation="h",
                name="Held by Russia (latest reading)",
                marker_color=party_colour("RU"),
                text=[f"{v:g}%" if not pd.isna(v) else "" for v in held],
                textposition="outside",
                hovertext=[f"{esc(o)}: {'no reading' if pd.isna(v) else f'{v:g}%'}" for o, v in zip(table["oblast"], held)],
                hoverinfo="text",
            ),
        ]
    )
    for name, v in zip(names, held):
        if pd.isna(v):
            fig.add_annotation(
                y=name,
                x=2,
                xref="x",
                yref="y",
                text="no reading of the share held",
                showarrow=False,
                xanchor="left",
                font=dict(size=12, color=MUTED_INK),
            )
    read = table[held.notna()]
    below = table[held.notna() & (held < 100)]
    title = (
        f"Russia claims {words.count(len(table), 'region')} whole; of the {len(read)} with a reading, it holds all of {len(read) - len(below)}"
        if len(table)
        else "No annexation claims"
    )
    alt = (
        "Bar chart of Russia's annexation claims against the share it holds: "
        + words.join(f"{o} {'no reading' if pd.isna(v) else f'{v:g}%'}" for o, v in zip(table["oblast"], held))
        + "."
    )
    fig.update_layout(
        barmode="overlay",
        xaxis=dict(range=[0, 112], title="% of the region"),
        yaxis=dict(automargin=True),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
    )
    return finish(
        fig,
        shown,
        ds,
        as_of,
        name="annexation-vs-held",
        title=title,
        alt=alt,
        table=cols,
        download=["oblast", "claim_date", "claimed_share_pct", "held_share_pct", "tracker", "reading_date", "source_ids"],
        about="Russia's annexation claims cover each region whole (grey). The red bar is the latest share of the region it holds, as read by "
        "the named tracker on the reading's date; a region without any reading is labelled so, not drawn as 0%.",
        height=340,
    )
