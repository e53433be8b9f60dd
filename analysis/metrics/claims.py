"""Territorial claims and control readings: claims in a window, per week, per status, on a grid, and
annexation claims against the share held."""

from __future__ import annotations

import pandas as pd

from analysis.metrics.asof import Period
from analysis.metrics.ids import join_ids

#: "Recent" in the overview: claims of the past this-many days.
RECENT_DAYS = 30


#: Claims about one named settlement: a capture claimed by Russia or a liberation claimed by Ukraine.
SETTLEMENT_TYPES = ("captured", "liberated")


def settlement_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims about named settlements (captures and liberations), not annexations, areas or tallies."""
    return claims[claims["claim_type"].isin(SETTLEMENT_TYPES)].reset_index(drop=True)


def claims_in(claims: pd.DataFrame, period: Period, oblast: str | None = None) -> pd.DataFrame:
    """Claims made within `period`, optionally in one oblast."""
    c = period.select(claims, "claim_date")
    return c[c["oblast"] == oblast].reset_index(drop=True) if oblast else c


def weeks_before(day: pd.Timestamp, weeks: int) -> Period:
    """The `weeks` weeks up to and including `day` (a round's day counts: claims are often announced
    on the morning of a round)."""
    return Period.ending(day, days=7 * weeks)


def status_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """Settlement claims per claimant and status (the counts a brief's prose quotes)."""
    c = settlement_claims(claims)
    return c.groupby(["claimant", "status"]).size().rename("claim_count").reset_index()


def _some_places(s: pd.Series, limit: int = 8) -> str:
    names = sorted(s.dropna().unique())
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return "; ".join(names[:limit]) + more


def claims_per_week(claims: pd.DataFrame) -> pd.DataFrame:
    """Settlement claims per ISO week (Monday start), oblast and claimant."""
    c = settlement_claims(claims)
    c = c.assign(week=c["claim_date"].dt.to_period("W-SUN").dt.start_time, oblast=c["oblast"].fillna("oblast not stated"))
    g = (
        c.groupby(["week", "oblast", "claimant"])
        .agg(
            claim_count=("claim_id", "size"),
            places=("place", _some_places),
            source_ids=("source_ids", join_ids),
        )
        .reset_index()
    )
    return g.sort_values(["week", "oblast", "claimant"]).reset_index(drop=True)


#: Grid cell size (degrees) when a map counts claims per cell instead of drawing each one.
GRID_DEGREES = 0.25


def claims_grid(located: pd.DataFrame, max_cells: int = 400) -> pd.DataFrame:
    """Located claims counted per grid cell, status and claimant, with the cell centre as point.

    Cells start at GRID_DEGREES and double in size until there are at most `max_cells` of them,
    so a map's size stays bounded however many claims there are. `cell_degrees` says which size
    was used; `source_ids` is kept per cell.
    """
    deg = GRID_DEGREES
    while True:
        lat = (located["latitude"].astype(float) // deg) * deg + deg / 2
        lon = (located["longitude"].astype(float) // deg) * deg + deg / 2
        g = (
            located.assign(latitude=lat, longitude=lon)
            .groupby(["latitude", "longitude", "status", "claimant"])
            .agg(claim_count=("claim_id", "size"), source_ids=("source_ids", join_ids))
            .reset_index()
        )
        if len(g) <= max_cells or deg >= 4:
            return g.assign(cell_degrees=deg)
        deg *= 2


def claim_status_rates(claims: pd.DataFrame) -> pd.DataFrame:
    """Per claimant: how many settlement claims are in each status, and the share of each."""
    c = settlement_claims(claims)
    g = c.groupby(["claimant", "status"]).agg(claim_count=("claim_id", "size"), source_ids=("source_ids", join_ids)).reset_index()
    g["share_pct"] = (100 * g["claim_count"] / g.groupby("claimant")["claim_count"].transform("sum")).round(1)
    order = ["confirmed", "claimed", "disputed", "denied", "retaken"]
    g["order"] = g["status"].map({s: i for i, s in enumerate(order)})
    return g.sort_values(["claimant", "order"]).drop(columns="order").reset_index(drop=True)


def control_series(control: pd.DataFrame, area: str = "Ukraine") -> pd.DataFrame:
    """Readings of the share of `area` held by Russia, per tracker, over time (share given only)."""
    c = control[(control["area"] == area) & control["share_pct"].notna()].sort_values(["tracker", "as_of_date"])
    return c.reset_index(drop=True)


def latest_reading(control: pd.DataFrame, area: str = "Ukraine") -> pd.Series | None:
    """The newest reading of the share of `area` held by Russia, by any tracker (None if none)."""
    c = control_series(control, area)
    return None if c.empty else c.sort_values(["as_of_date", "tracker"]).iloc[-1]


def annexation_vs_held(claims: pd.DataFrame, control: pd.DataFrame) -> pd.DataFrame:
    """For each region Russia claims to have annexed: the latest reading of the share it holds."""
    a = claims[claims["claim_type"] == "annexed"].copy()
    rows = []
    for _, r in a.sort_values("claim_date").iterrows():
        readings = control[(control["area"] == r["oblast"]) & control["share_pct"].notna()].sort_values("as_of_date")
        last = readings.iloc[-1] if len(readings) else None
        rows.append(
            {
                "oblast": r["oblast"],
                "claim_date": r["claim_date"],
                "claimed_share_pct": 100.0,
                "held_share_pct": last["share_pct"] if last is not None else pd.NA,
                "tracker": last["tracker"] if last is not None else pd.NA,
                "reading_date": last["as_of_date"] if last is not None else pd.NaT,
                "source_ids": ";".join(dict.fromkeys([r["source_ids"]] + ([last["source_ids"]] if last is not None else []))),
            }
        )
    out = pd.DataFrame(rows, columns=["oblast", "claim_date", "claimed_share_pct", "held_share_pct", "tracker", "reading_date", "source_ids"])
    out["held_share_pct"] = pd.to_numeric(out["held_share_pct"], errors="coerce").astype("Float64")
    return out


def located_share(claims: pd.DataFrame) -> float:
    """Share (0–1) of settlement claims that have coordinates."""
    c = settlement_claims(claims)
    return float(c["latitude"].notna().mean()) if len(c) else 0.0
