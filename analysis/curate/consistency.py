"""The consistency report: figures computed from the data, for curators to read before a release.

Exchange totals against the official running totals, claims per status, rows per source tier and
the newest date per table. Nothing here is asserted by hand; the report says what the data says.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import metrics
from analysis.dataset import geo
from analysis.dataset.tables import load_dataset, split_ids


def _md_table(frame: pd.DataFrame) -> str:
    """A markdown table (GitHub style) with dates as ISO days and missing values empty."""
    shown = frame.copy()
    for col in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[col]):
            shown[col] = shown[col].dt.strftime("%Y-%m-%d")
    shown = shown.astype(object).where(shown.notna(), "")
    return shown.to_markdown(index=False, tablefmt="github")


def _located_by_source(claims: pd.DataFrame) -> pd.DataFrame:
    """Settlement claims per location_source and precision, with each row's share of all of them."""
    origin = claims["location_source"].astype("string").fillna("(no point)")
    out = claims.assign(location_source=origin).groupby(["location_source", "location_precision"]).size().rename("claim_count").reset_index()
    out["share_pct"] = (100 * out["claim_count"] / len(claims)).round(1)
    return out


def uae_reconciliation(exchanges: pd.DataFrame, running_totals: pd.DataFrame) -> pd.DataFrame:
    """The UAE's published totals against the sum of the UAE's own figures in our rows.

    One row per published UAE total (both sides counted) that gives its mediation number and a
    people count: the increase since the previous such total, the mediations it spans, the sum of
    the mediator's figures (both sides) over our rows numbered in that span, the numbered rows with
    no mediator figure, and the UAE-mediated rows without a mediation number in the same dates (with
    the sides' own figures), which are what usually explains a gap.
    """
    uae = exchanges.loc[exchanges["mediator"].map(lambda v: "AE" in split_ids(v)).astype(bool)]
    numbered = uae[uae["mediation_number"].notna()]
    both = numbered["mediator_returned_to_ukraine"].astype("Float64") + numbered["mediator_returned_to_russia"].astype("Float64")
    published = running_totals[
        (running_totals["reporter_party"] == "AE").fillna(False)
        & running_totals["exchange_count"].notna()
        & running_totals["people_returned_count"].notna()
    ].sort_values(["as_of_date", "total_id"])
    rows, prev_n, prev_total, prev_date = [], None, None, None
    for t in published.itertuples():
        n = int(t.exchange_count)
        span = range((prev_n or 0) + 1, n + 1)
        in_span = numbered["mediation_number"].isin(list(span))
        ours = both[in_span]
        unnumbered = uae[uae["mediation_number"].isna() & (uae["exchange_date"] <= t.as_of_date)]
        if prev_date is not None:
            unnumbered = unnumbered[unnumbered["exchange_date"] > prev_date]
        increase = None if prev_total is None else int(t.people_returned_count) - prev_total
        our_sum = int(ours.fillna(0).sum())
        rows.append(
            {
                "as_of_date": t.as_of_date,
                "total_id": t.total_id,
                "mediation_number": n,
                "published_people": int(t.people_returned_count),
                "increase": increase,
                "mediations": f"{span.start}–{span.stop - 1}" if len(span) > 1 else str(span.start),
                "numbered_rows": int(in_span.sum()),
                "our_mediator_sum": our_sum,
                "rows_without_mediator_figures": ";".join(numbered.loc[in_span & both.isna(), "exchange_id"]),
                "unnumbered_uae_rows": ";".join(
                    f"{r.exchange_id} ({int(r.returned_to_ukraine) if pd.notna(r.returned_to_ukraine) else '?'}+"
                    f"{int(r.returned_to_russia) if pd.notna(r.returned_to_russia) else '?'})"
                    for r in unnumbered.itertuples()
                ),
                "gap": None if increase is None else increase - our_sum,
            }
        )
        prev_n, prev_total, prev_date = n, int(t.people_returned_count), t.as_of_date
    return pd.DataFrame(rows)


def _uae_section(exchanges: pd.DataFrame, running_totals: pd.DataFrame) -> list[str]:
    uae = exchanges.loc[exchanges["mediator"].map(lambda v: "AE" in split_ids(v)).astype(bool) & exchanges["mediation_number"].notna()]
    table = uae[["exchange_id", "exchange_date", "mediation_number", "mediator_returned_to_ukraine", "mediator_returned_to_russia"]].copy()
    table["mediator_both_sides"] = table["mediator_returned_to_ukraine"] + table["mediator_returned_to_russia"]
    rec = uae_reconciliation(exchanges, running_totals)
    latest = rec.iloc[-1] if len(rec) else None
    total = int(table["mediator_both_sides"].fillna(0).sum())
    parts = [
        "## UAE mediations against the UAE's published totals",
        "",
        "The UAE numbers its mediations and publishes a running total of people exchanged through it, both sides "
        "counted. Compared like with like: the mediator's own figures (mediator_returned_to_ukraine + "
        "mediator_returned_to_russia) over our rows with a mediation number, never each side's own figures.",
        "",
        _md_table(table),
        "",
        f"Sum of the mediator's figures over the {len(table)} numbered rows: {total:,}"
        + (
            f"; the UAE's latest published total ({latest['as_of_date']:%Y-%m-%d}, mediation {latest['mediation_number']}): {latest['published_people']:,}."
            if latest is not None
            else "."
        ),
        "",
        "Per published total: the increase since the previous published total against the mediator's figures in our rows "
        "numbered in that span (gap = increase − our sum; rows without mediator figures and UAE rows without a mediation "
        "number, with the sides' own figures, are listed as the likely explanation).",
        "",
        _md_table(rec),
        "",
    ]
    return parts


def consistency_report(data_dir: Path | None = None) -> str:
    """Markdown text of the consistency report for the dataset in `data_dir`."""
    ds = load_dataset(data_dir)
    parts = [
        f"# Consistency report: dataset v{ds.info.version} ({ds.info.dataset_date:%Y-%m-%d})",
        "",
        "Generated by `python -m analysis consistency` from the data; nothing here is typed by hand.",
        "",
    ]
    parts += ["## Rows and dates per table", "", _md_table(metrics.coverage.table_summary(ds)), ""]
    tiers = ds.sources["tier"].value_counts().rename_axis("tier").reset_index(name="source_count")
    parts += ["## Sources per tier", "", _md_table(tiers), ""]
    cited = pd.Series(
        [
            s
            for name, f in ds.tables.items()
            if name != "sources"
            for col in ("source_ids", "status_source_ids", "location_source_ids")
            if col in f
            for v in f[col]
            for s in split_ids(v)
        ]
    )
    tier_of = dict(zip(ds.sources["source_id"], ds.sources["tier"]))
    by_tier = cited.map(tier_of).value_counts().rename_axis("tier").reset_index(name="citation_count")
    parts += ["Citations of sources, by tier:", "", _md_table(by_tier), ""]
    parts += [
        "## Exchanges against published running totals",
        "",
        "Each published total beside the sum of our rows up to the same date (people: Ukraine's figure for prisoner and "
        "civilian exchanges; bodies: repatriations). A positive gap means the published total counts more than our rows hold.",
        "",
    ]
    rec = metrics.exchanges.reconcile_totals(ds.exchanges, ds.running_totals)
    parts += [_md_table(rec.drop(columns=["source_ids"])), ""]
    tot = metrics.exchanges.exchange_totals(ds.exchanges)
    parts += ["Totals by kind (each side's own figures):", "", _md_table(tot), ""]
    parts += _uae_section(ds.exchanges, ds.running_totals)
    c = metrics.claims.settlement_claims(ds.claims)
    status = c.groupby(["claimant", "status"]).size().rename("claim_count").reset_index()
    parts += [
        "## Claims per status",
        "",
        _md_table(status),
        "",
        f"Settlement claims with coordinates: {c['latitude'].notna().sum()} of {len(c)} "
        f"({100 * metrics.claims.located_share(ds.claims):.1f}%); approximate: {(c['location_precision'] == 'approximate').sum()}; "
        f"points from GeoNames: {(c['location_source'] == 'geonames').sum()}, from Wikipedia articles: "
        f"{(c['location_source'] == 'wikipedia').sum()}.",
        "",
        "Settlement claims by where their point comes from:",
        "",
        _md_table(_located_by_source(c)),
        "",
    ]
    outside = [
        (r.claim_id, r.location_precision, r.oblast, round(km, 1))
        for r in c[c["latitude"].notna()].itertuples()
        if geo.has_outline(r.oblast)
        for km in [geo.km_outside(r.oblast, r.latitude, r.longitude)]
        if km > geo.TOLERANCE_KM
    ]
    parts += [
        f"Points more than {geo.TOLERANCE_KM:g} km outside the claim's oblast (checked against the bundled outlines; "
        f"{int(c['oblast'].map(geo.has_outline).sum()):,} claims are in oblasts with an outline): {len(outside)}.",
        "",
    ]
    if outside:
        parts += [_md_table(pd.DataFrame(outside, columns=["claim_id", "location_precision", "oblast", "km_outside"])), ""]
    pos = ds.positions.groupby("actor").size().rename("position_count").reset_index()
    parts += ["## Positions per actor", "", _md_table(pos), ""]
    dl = ds.deadlines["outcome"].value_counts().rename_axis("outcome").reset_index(name="deadline_count")
    parts += ["## Deadlines per outcome", "", _md_table(dl), ""]
    return "\n".join(parts)
