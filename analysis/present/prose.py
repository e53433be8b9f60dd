"""The briefs' generated prose: lead paragraphs, facts, outcomes and the links between briefs, with
every number computed from the data and every data value escaped."""

from __future__ import annotations

import pandas as pd

from analysis import metrics
from analysis.present.format import ordinal
from analysis.present.html import HTML, Lead, bullets, facts, headline, headlines, item, link_list, note, para, table, text, v
from analysis.present.links import TITLES, round_stem
from analysis.present.theme import party_names


def round_summary(ctx: metrics.rounds.RoundContext, running: pd.DataFrame, side: pd.DataFrame, by_round: pd.DataFrame, cut: pd.Timestamp) -> HTML:
    """The brief's lead paragraph: the seed article's key facts, computed."""
    r = ctx.round
    where = r["city"] if not pd.isna(r["city"]) else "online"
    tense = "met" if ctx.is_past else "meet"
    parts = [
        f"Delegations {tense} in <strong>{v(where)}</strong> on <strong>{v(r['start_date'])}</strong> for the "
        f"<strong>{ordinal(ctx.number_in_series)}</strong> round of the {v(r['series'])} series"
    ]
    if ctx.days_since_previous_in_series is not None:
        parts.append(
            f", <strong>{ctx.days_since_previous_in_series} days</strong> after the previous one "
            f"({v(ctx.previous_in_series['start_date'])}, {v(ctx.previous_in_series['city'])})"
        )
    parts.append(".")
    if len(running):
        d = running.iloc[0]
        parts.append(
            f" The nearest deadline running that day, set by {v(party_names(d['issuer']))} for {v(party_names(d['target']))} on {v(d['issued_date'])}, "
            f"had <strong>{int(d['days_left'])} of {int(d['days_total'])} days</strong> left (due {v(d['deadline_date'])})."
        )
    if len(side):
        counts = metrics.positions.gap_counts(side)
        parts.append(f" On <strong>{int(counts['opposed'])} of {len(side)}</strong> topics the two sides' latest stated positions are opposed.")
    people = by_round[by_round["kind"] != "bodies"]["returned_to_ukraine"].sum() if len(by_round) else 0
    bodies = by_round[by_round["kind"] == "bodies"]["returned_to_ukraine"].sum() if len(by_round) else 0
    if len(by_round):
        parts.append(
            f" Earlier rounds of the series led to the return of {v(int(people))} people and {v(int(bodies))} bodies to Ukraine, by Ukraine's count."
        )
    return Lead('<p class="brief-lead">' + "".join(parts) + "</p>")


def round_facts(ctx: metrics.rounds.RoundContext) -> HTML:
    """Where, when and who."""
    r = ctx.round
    days = f"{r['start_date']:%-d %b %Y}" + ("" if r["end_date"] == r["start_date"] else f" – {r['end_date']:%-d %b %Y}")
    pairs = {
        "When": days,
        "Where": ", ".join(str(x) for x in (r["venue"], r["city"], r["country"]) if not pd.isna(x)) or "online",
        "Format": f"{r['format']} ({ordinal(ctx.number_in_series)} of {ctx.series_count} in series {r['series']})",
        "Mediator": r["mediator"],
        "Opened by": r["opened_by"],
        "Ukraine's delegation led by": r["ua_head"],
        "Russia's delegation led by": r["ru_head"],
        "US delegation led by": r["us_head"],
        "Days since the previous round of the series": ctx.days_since_previous_in_series,
        "Days since the previous round of any format": ctx.days_since_previous_any,
    }
    return facts({k: x for k, x in pairs.items() if x is not None and not (isinstance(x, float) and pd.isna(x)) and x is not pd.NA})


def round_outcome(ctx: metrics.rounds.RoundContext, produced: pd.DataFrame, cut: pd.Timestamp) -> HTML:
    """What came of the round, once it is past the as-of date."""
    r = ctx.round
    if not ctx.is_past:
        return note(f"As of {cut:%-d %b %Y} the round had not ended; its outcome is not part of this brief.")
    out = [para("{outcome}", outcome=r["outcome"] if not pd.isna(r["outcome"]) else "No outcome recorded.").markup]
    if len(produced):
        items = [
            item(
                "{d}: {kind}, {ua} returned to Ukraine, {ru} to Russia",
                d=x["exchange_date"],
                kind=x["kind"],
                ua=x["returned_to_ukraine"],
                ru=x["returned_to_russia"],
            )
            for _, x in produced.iterrows()
        ]
        out.append("<p>Exchanges the sources tie to this round:</p>" + bullets(items).markup)
    return HTML("".join(out))


def claims_window_title(claims: pd.DataFrame, end: pd.Timestamp, weeks: int) -> str:
    """'7 settlement claims in the 4 weeks before 23 Jul 2025, 2 confirmed' (plain text)."""
    c = metrics.claims.settlement_claims(claims)
    confirmed = int((c["status"] == "confirmed").sum())
    return f"{len(c)} settlement claims in the {weeks} weeks before {end:%-d %b %Y}, {confirmed} confirmed"


def exchanges_summary(period: pd.DataFrame, totals: pd.DataFrame, cut: pd.Timestamp) -> HTML:
    """Lead paragraph of the exchanges brief."""
    swaps = period[period["kind"] != "bodies"]
    bodies = period[period["kind"] == "bodies"]
    if period.empty:
        return note("No exchanges in this period.")
    return Lead(
        '<p class="brief-lead">'
        f"From {v(period['exchange_date'].min())} to {v(period['exchange_date'].max())} the data records "
        f"<strong>{v(len(swaps))}</strong> exchanges of prisoners or civilians, in which Ukraine reported receiving "
        f"<strong>{v(int(swaps['returned_to_ukraine'].fillna(0).sum()))}</strong> people and Russia "
        f"<strong>{v(int(swaps['returned_to_russia'].fillna(0).sum()))}</strong>, and "
        f"<strong>{v(len(bodies))}</strong> repatriations of bodies returning <strong>{v(int(bodies['returned_to_ukraine'].fillna(0).sum()))}</strong> "
        f"bodies to Ukraine. Figures are each side's own; as of {v(cut)}.</p>"
    )


def territory_summary(claims: pd.DataFrame, control: pd.DataFrame, cut: pd.Timestamp) -> HTML:
    """Lead paragraph of the territory brief."""
    c = metrics.claims.settlement_claims(claims)
    ru = c[c["claimant"] == "RU"]
    ua = c[c["claimant"] == "UA"]
    s = metrics.claims.control_series(control)
    s = s[s["share_pct"].notna()].sort_values("as_of_date")
    held = (
        (
            f" The latest reading, by {v(s.iloc[-1]['tracker'])} on {v(s.iloc[-1]['as_of_date'])}, puts <strong>{v(s.iloc[-1]['share_pct'])}%</strong> "
            f"of Ukraine under Russian control."
        )
        if len(s)
        else ""
    )
    confirmed = int((ru["status"] == "confirmed").sum())
    retaken = int((ru["status"] == "retaken").sum())
    return Lead(
        '<p class="brief-lead">'
        f"Russia claimed <strong>{v(len(ru))}</strong> settlements in this period, of which {v(confirmed)} {'is' if confirmed == 1 else 'are'} confirmed "
        f"and {v(retaken)} {'was' if retaken == 1 else 'were'} later retaken; Ukraine claimed {v(len(ua))} named settlement{'' if len(ua) == 1 else 's'}. "
        f"{v(round(100 * metrics.claims.located_share(claims)))}% of the claims are mapped.{held}</p>"
    )


def positions_summary(positions: pd.DataFrame, matrix: pd.DataFrame, ledger: pd.DataFrame, cut: pd.Timestamp) -> HTML:
    """Lead paragraph of the positions and deadlines brief."""
    side = metrics.positions.positions_side_by_side(positions, cut)
    counts = metrics.positions.gap_counts(side)
    pending = int((ledger["outcome"] == "pending").sum())
    unmet = int(ledger["outcome"].isin(["missed", "extended", "superseded", "withdrawn"]).sum())
    return Lead(
        '<p class="brief-lead">'
        f"The data holds <strong>{v(len(positions))}</strong> positions by {v(positions['actor'].nunique())} parties on "
        f"{v(positions['topic'].nunique())} topics. Of the {v(len(side))} topics on which Ukraine or Russia has spoken, the two are opposed on "
        f"<strong>{v(int(counts['opposed']))}</strong>. Of <strong>{v(len(ledger))}</strong> deadlines, {v(unmet)} passed unmet, were extended or "
        f"replaced and {v(pending)} are pending as of {v(cut)}.</p>"
    )


def overview_summary(
    latest: pd.Series, upcoming: pd.Series | None, years: pd.DataFrame, recent: pd.DataFrame, still_open: pd.DataFrame, cut: pd.Timestamp
) -> HTML:
    """Headline numbers of the overview."""
    spans = list(dict.fromkeys(years["span"]))
    this_year = years[(years["span"] == spans[0]) & (years["kind"] == "prisoners")].iloc[0]
    last_span = years[(years["span"] == spans[1]) & (years["kind"] == "prisoners")].iloc[0]
    nxt = f"{v(upcoming['start_date'])} in {v(upcoming['city'])}" if upcoming is not None else "none announced"
    pairs = [
        (f"{latest['start_date']:%-d %b %Y}", f"latest round ({latest['city'] if not pd.isna(latest['city']) else 'online'}, {latest['format']})"),
        (nxt if upcoming is not None else "none", "next round announced"),
        (int(this_year["event_count"]), f"prisoner exchanges {this_year['span']} (vs {int(last_span['event_count'])} {last_span['span']})"),
        (int(recent["claim_count"].sum()) if len(recent) else 0, f"settlement claims in the past {metrics.claims.RECENT_DAYS} days"),
        (len(still_open), "deadlines still open"),
    ]
    parts = [headline(n, label) for n, label in pairs]
    summary = "; ".join(f"{text(n)} {label}" for n, label in pairs)
    return Lead(headlines(parts).markup + para("Everything as of {cut}.", cut=cut).markup, headline=summary)


def dataset_changes(changes: metrics.changes.DatasetChanges) -> HTML:
    """The 'what changed since the previous version' section."""
    if changes.previous_version is None:
        return note("This is the first published version of the dataset; there is no earlier version to compare with.")
    out = [
        para("Compared with dataset v{prev}:", prev=changes.previous_version).markup,
        table(
            changes.counts, {"table": "Table", "added_count": "Rows added", "revised_count": "Rows revised", "removed_count": "Rows removed"}
        ).markup,
    ]
    if len(changes.totals):
        out.append(table(changes.totals, {"measure": "Total", "previous": "Before", "current": "Now", "change": "Change"}).markup)
    return HTML("".join(out))


def brief_links(rounds: pd.DataFrame) -> HTML:
    """Links to every other brief built by default (file names from `present.links`)."""
    links = [(f"{n}.html", TITLES[n]) for n in ("exchanges", "territory", "positions")]
    for r in rounds.sort_values("start_date", ascending=False).itertuples():
        stem = round_stem({"round_id": r.round_id})
        links.append((f"{stem}.html", f"Round brief: {r.start_date:%-d %b %Y}, {r.city if not pd.isna(r.city) else 'online'} ({r.format})"))
    return link_list(links)
