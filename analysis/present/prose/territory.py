"""The territory brief in words: its lead, and the titles and tables of claims."""

from __future__ import annotations

import pandas as pd

from analysis import metrics
from analysis.dataset.schema import table_schema
from analysis.dataset.tables import Dataset
from analysis.metrics.asof import Period
from analysis.present import labels, words
from analysis.present.html import HTML, Lead, note, table


def window_title(claims: pd.DataFrame, window: Period) -> str:
    """'7 settlement claims in the 4 weeks to 23 July 2025; 2 confirmed' (plain text)."""
    c = metrics.claims.settlement_claims(claims)
    confirmed = int((c["status"] == "confirmed").sum())
    days = (window.end - window.start).days + 1
    span = words.count(days // 7, "week") if days % 7 == 0 else words.count(days, "day")
    return f"{words.count(len(c), 'settlement claim')} in the {span} to {words.day(window.end)}; {confirmed or 'none'} confirmed"


def no_claims(full: Dataset, window: Period) -> str:
    """What a window without settlement claims says: none were claimed, or the data starts later."""
    begin = metrics.coverage.settlement_claims_begin(full)
    if begin is not None and window.end < begin:
        return f"The dataset's settlement claims begin on {words.day(begin)}, after these weeks: none can be shown for them."
    return "No settlement was claimed in these weeks."


def territory_lead(claims: pd.DataFrame, control: pd.DataFrame, period: Period) -> Lead:
    """Lead paragraph of the territory brief: each side's claims and their fate, the share mapped,
    and the newest reading of the share of Ukraine held."""
    c = metrics.claims.settlement_claims(claims)
    start = words.day(period.start) if period.start is not None else "the first claim"
    sentences = []
    for side, verb in (("RU", "captured"), ("UA", "liberated")):
        s = c[c["claimant"] == side]
        counts = s["status"].value_counts()
        order = [st for st in table_schema("claims").field("status").enum if st != "claimed"]
        parts = [f"{counts[st]} {labels.label('claims', 'status', st)}" for st in order if counts.get(st)]
        fate = f"; of these, {words.join(parts)}" if parts else ""
        sentences.append(
            f"{labels.party(side)} claimed to have {verb} {words.count(len(s), 'settlement')} from {start} to {words.day(period.end)}{fate}."
        )
    located = metrics.claims.located_share(claims)
    sentences.append(f"{round(100 * located)}% of these claims have a point on the map.")
    last = metrics.claims.latest_reading(control)
    if last is not None:
        sentences.append(
            f"The newest reading, by {last['tracker']} on {words.day(last['as_of_date'])}, puts {last['share_pct']:g}% of Ukraine under Russian control."
        )
    return Lead(HTML('<p class="brief-lead">{}</p>').format(" ".join(sentences)))


def claims_table(claims: pd.DataFrame, *, limit: int, map_holds_all: bool) -> HTML:
    """The settlement claims of the period, newest first, in reader words."""
    c = metrics.claims.settlement_claims(claims).sort_values(["claim_date", "claim_id"], ascending=[False, True])
    if c.empty:
        return note("No settlement was claimed in this period.")
    shown = c.assign(
        by=c["claimant"].map(labels.party),
        state=c["status"].map(lambda s: words.capital(labels.label("claims", "status", s))),
        where=c["location_precision"].map(lambda p: labels.label("claims", "location_precision", p)),
    )
    rest = f"The download of the map above holds all {len(c):,}." if map_holds_all else ""
    return table(
        shown,
        {
            "claim_date": "Date",
            "by": "Claimed by",
            "place": "Place",
            "place_alias": "Also spelled",
            "oblast": "Oblast",
            "state": "Status",
            "where": "Location",
        },
        limit=limit,
        what="claims, newest first",
        rest=rest,
    )


def tallies_table(claims: pd.DataFrame) -> HTML:
    """Each side's own tallies of area and settlements taken, as claimed."""
    t = claims[claims["claim_type"].isin(["area_captured", "area_regained"])].sort_values("claim_date", ascending=False)
    if t.empty:
        return note("No tally of area or settlements was claimed in this period.")
    shown = t.assign(
        by=t["claimant"].map(labels.party),
        what=t.apply(
            lambda r: (
                words.join(
                    [
                        x
                        for x in (
                            f"{r['area_km2']:,.0f} km²" if not pd.isna(r.get("area_km2")) else "",
                            words.count(r["settlement_count"], "settlement") if not pd.isna(r.get("settlement_count")) else "",
                        )
                        if x
                    ]
                )
                or "area not stated"
            ),
            axis=1,
        ),
        where=t["oblast"].map(lambda o: "Not stated" if pd.isna(o) else o),
        since=t["period_start_date"].map(lambda d: "Not stated" if pd.isna(d) else words.day(d)) if "period_start_date" in t else "Not stated",
        state=t["status"].map(lambda s: words.capital(labels.label("claims", "status", s))),
    )
    return table(
        shown,
        {"claim_date": "Date", "by": "Claimed by", "where": "Where", "what": "Claimed taken", "since": "Counted since", "state": "Status"},
        limit=40,
        what="tallies, newest first",
        stack=True,
    )
