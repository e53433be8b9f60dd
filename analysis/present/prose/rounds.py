"""The round brief in words: its heading, lead paragraph, facts, the tables of deadlines, positions,
earlier results, truces and claims, and what came of the round."""

from __future__ import annotations

import pandas as pd

from analysis import metrics
from analysis.dataset.tables import Dataset
from analysis.metrics.rounds import RoundContext
from analysis.present import labels, links, words
from analysis.present.format import fmt_date, ordinal
from analysis.present.html import HTML, Lead, facts, note, table
from analysis.present.prose.common import heading, parties_phrase, position_cell

#: Who sat at the table, per format, as the subject of a sentence.
DELEGATIONS = {
    "direct": "Russian and Ukrainian delegations",
    "trilateral": "Russian, Ukrainian and US delegations",
    "us_ua": "US and Ukrainian delegations",
    "us_ru": "US and Russian envoys",
    "leaders": "The leaders",
    "other": "The participants",
}


def is_eve(ctx: RoundContext, cut: pd.Timestamp) -> bool:
    """Whether the brief is as of a day before the round opened."""
    return bool(cut < ctx.round["start_date"])


def round_heading(ctx: RoundContext, cut: pd.Timestamp, ds: Dataset) -> HTML:
    """H1 (the round's human title) and the standfirst saying what the brief shows."""
    r = ctx.round
    if is_eve(ctx, cut):
        stand = (
            f"What was known on {words.day(cut)}, before the round opened: this brief counts and cites only what had been "
            f"published by then (dataset {ds.info.version})."
        )
    else:
        stand = f"The round among the others, the deadlines running, how far apart the sides were, and what it produced. As known on {words.day(cut)} (dataset {ds.info.version})."
    return heading(links.round_title(r, eve=is_eve(ctx, cut)), stand)


def _when(ctx: RoundContext, cut: pd.Timestamp) -> str:
    start = ctx.round["start_date"]
    if is_eve(ctx, cut):
        return f"meet tomorrow, {words.day(start)}," if (start - cut).days == 1 else "are due to meet on " + words.day(start)
    return "met on " + words.day(start)


def round_lead(ctx: RoundContext, running: pd.DataFrame, side: pd.DataFrame, earlier: pd.DataFrame, cut: pd.Timestamp) -> Lead:
    """The lead paragraph: the round's place among the talks, the nearest deadline, how far apart
    the sides are and what earlier rounds produced, all computed from the data."""
    r = ctx.round
    eve = is_eve(ctx, cut)
    place = links.round_place(r)
    where = f"in {place}" if r.get("city") is not None and not pd.isna(r.get("city")) else place
    sentences = [
        f"{DELEGATIONS.get(r['format'], 'Delegations')} {_when(ctx, cut)} {where} for the {ordinal(ctx.number_in_series)} round of the "
        f"{labels.series(r['series'])}"
        + (
            f", {words.count(ctx.days_since_previous_in_series, 'day')} after the previous round on {words.day(ctx.previous_in_series['start_date'])}."
            if ctx.days_since_previous_in_series is not None
            else ", its first round."
        )
    ]
    if len(running):
        d = running.iloc[0]
        has = "has" if eve else "had"
        s = (
            f"The nearest deadline running on the day, set by {parties_phrase(d['issuer'])} for {parties_phrase(d['target'])} on "
            f"{words.day(d['issued_date'])}, {has} {d['days_left']:,} of its {words.count(d['days_total'], 'day')} left (due {words.day(d['deadline_date'])})"
        )
        sentences.append(s + ".")
        threat = d.get("threat")
        if isinstance(threat, str) and threat:
            sentences.append(f"The threat if it {'is' if eve else 'was'} missed: {_sentence_part(threat)}.")
    both = side[side["gap"] != "one side only"] if len(side) else side
    if len(both):
        opposed = int((both["gap"] == "opposed").sum())
        only = len(side) - len(both)
        were = "are" if eve else "were"
        s = f"On {opposed} of the {words.count(len(both), 'topic')} on which both sides had stated a position before the round, their latest positions {were} opposed"
        sentences.append(s + (f"; on {only} more only one side had spoken." if only else "."))
    if len(earlier):
        people, p_missing = metrics.exchanges.figure_sum(earlier.loc[earlier["kind"] != "bodies", "returned_to_ukraine"])
        bodies, b_missing = metrics.exchanges.figure_sum(earlier.loc[earlier["kind"] == "bodies", "returned_to_ukraine"])
        missing = int(earlier["ua_figure_missing_count"].sum())
        people_txt = f"at least {words.count(people, 'person', 'people')}" if p_missing else words.count(people, "person", "people")
        bodies_txt = f"at least {words.count(bodies, 'body', 'bodies')}" if b_missing else words.count(bodies, "body", "bodies")
        gap = f" ({words.count(missing, 'exchange')} without a published figure)" if missing else ""
        returned = people_txt if bodies == 0 and not b_missing else f"{people_txt} and {bodies_txt}"
        sentences.append(f"Earlier rounds of these talks led to the return of {returned} to Ukraine, by Ukraine's count{gap}.")
    return Lead(HTML('<p class="brief-lead">{}</p>').format(" ".join(sentences)))


def _sentence_part(text: str) -> str:
    """A curator's summary placed inside a sentence: no final full stop, first letter as written."""
    return text.strip().rstrip(".")


def round_facts(ctx: RoundContext, cut: pd.Timestamp) -> HTML:
    """Where, when and who. Before the round opens only its announced date, place, format and host."""
    r = ctx.round
    eve = is_eve(ctx, cut)
    same_day = pd.isna(r["end_date"]) or r["end_date"] == r["start_date"]
    when = words.day(r["start_date"]) if same_day else f"{words.day(r['start_date'])} to {words.day(r['end_date'])}"
    where = ", ".join(str(x) for x in (r.get("venue"), r.get("city"), r.get("country")) if isinstance(x, str) and x) or "By video link"
    pairs = {
        "When": when,
        "Where": where,
        "Talks": f"{labels.series(r['series'])}: round {ctx.number_in_series}" + ("" if eve else f" of {ctx.series_count}"),
        "Format": labels.round_format(r["format"]),
        "Host or mediator": r.get("mediator"),
        "Opened by": r.get("opened_by"),
        "Ukraine's delegation led by": r.get("ua_head"),
        "Russia's delegation led by": r.get("ru_head"),
        "The US delegation led by": r.get("us_head"),
        "Days since the previous round of these talks": ctx.days_since_previous_in_series,
        "Days since the previous round of any talks": ctx.days_since_previous_any,
    }
    shown = {k: x for k, x in pairs.items() if x is not None and x is not pd.NA and not (isinstance(x, float) and pd.isna(x))}
    out = facts(shown)
    if eve:
        out += note("Who opened the round and who led the delegations is not shown: those reports were published when the round met.")
    return out


def deadlines_table(running: pd.DataFrame, on: pd.Timestamp) -> HTML:
    """The deadlines running on the round's day, with the demand and the threat."""
    if running.empty:
        return note(f"No ultimatum or deadline was running on {words.day(on)}.")
    shown = running.assign(
        by=running["issuer"].map(lambda c: labels.parties(c)),
        to=running["target"].map(lambda c: labels.parties(c)),
        left=running.apply(lambda d: f"{d['days_left']} of {d['days_total']}", axis=1),
    )
    cols = {"by": "Set by", "to": "For", "issued_date": "Set on", "deadline_date": "Due", "left": "Days left", "demand": "Demand", "threat": "Threat"}
    return table(shown, cols, stack=True, missing={"threat": "None stated"})


def positions_table(side: pd.DataFrame, on: pd.Timestamp, stale_after: int) -> HTML:
    """Ukraine's and Russia's latest positions per topic before the round, and how far apart they are."""
    if side.empty:
        return note("Neither side had stated a position before the round.")
    gap_words = {"opposed": "Opposed", "conditional": "Terms differ", "compatible": "Compatible", "one side only": "Only one side has spoken"}
    shown = pd.DataFrame(
        {
            "topic": side["topic"].map(lambda t: words.capital(labels.topic(t))),
            **{
                f"{s}": side.apply(
                    lambda r, s=s: position_cell(
                        r[f"{s}_type"], r[f"{s}_stance"], r[f"{s}_statement"], r[f"{s}_date"], r[f"{s}_age_days"], stale_after, "before the round"
                    ),
                    axis=1,
                )
                for s in ("UA", "RU")
            },
            "gap": side["gap"].map(gap_words),
        }
    )
    return table(shown, {"topic": "Topic", "UA": "Ukraine's position", "RU": "Russia's position", "gap": "How far apart"}, stack=True)


def earlier_table(earlier: pd.DataFrame, rounds: pd.DataFrame) -> HTML:
    """Exchanges and repatriations the sources tie to earlier rounds of the same talks."""
    if earlier.empty:
        return note("The sources tie no exchange or repatriation to an earlier round of these talks.")
    titles = {r["round_id"]: links.round_title(r) for _, r in rounds.iterrows()}

    def ukraine(r) -> str:
        n = "n/a" if pd.isna(r["returned_to_ukraine"]) else f"{int(r['returned_to_ukraine']):,}"
        if r["ua_figure_missing_count"]:
            return (
                ("at least " if n != "n/a" else "")
                + (n if n != "n/a" else "no figure")
                + f" ({words.count(r['ua_figure_missing_count'], 'event')} without a figure)"
            )
        return n

    shown = earlier.assign(
        round=earlier["round_id"].map(titles),
        what=earlier["kind"].map(lambda k: words.capital(labels.label("exchanges", "kind", k))),
        ua=earlier.apply(ukraine, axis=1),
        ru=earlier["returned_to_russia"].map(lambda n: "no figure" if pd.isna(n) else f"{int(n):,}"),
    )
    cols = {"round": "Round", "what": "Kind", "event_count": "Events", "ua": "To Ukraine (Ukraine's count)", "ru": "To Russia (Russia's count)"}
    return table(shown, cols)


def truces_table(truces: pd.DataFrame, on: pd.Timestamp) -> HTML:
    """Truces in force, announced, or announced or over in the month before `on`."""
    if truces.empty:
        return note(f"No truce was in force, announced or recently over on {words.day(on)}.")

    def span(r) -> str:
        if pd.isna(r["start_date"]):
            return "never began"
        if pd.isna(r["end_date"]) or r["end_date"] == r["start_date"]:
            return fmt_date(r["start_date"])
        return f"{fmt_date(r['start_date'])} to {fmt_date(r['end_date'])}"

    shown = truces.assign(
        by=truces["announced_by"].map(labels.parties),
        what=truces.apply(lambda r: f"{words.capital(labels.label('truces', 'scope', r['scope']))}: {r['area']}", axis=1),
        when=truces.apply(span, axis=1),
        state=truces["state"].map(words.capital),
        response=truces["other_side_response"].map(lambda v: words.capital(labels.label("truces", "other_side_response", v))),
    )
    cols = {
        "by": "Announced by",
        "what": "What",
        "announced_date": "Announced",
        "when": "In force",
        "state": f"On {fmt_date(on)}",
        "response": "The other side",
    }
    return table(shown, cols, stack=True)


def claims_table(before: pd.DataFrame) -> HTML | None:
    """The settlement claims of the weeks before the round, newest first (nothing when there are
    none: the map's place says so)."""
    c = metrics.claims.settlement_claims(before).sort_values(["claim_date", "claim_id"], ascending=[False, True])
    if c.empty:
        return None
    shown = c.assign(by=c["claimant"].map(labels.party), state=c["status"].map(lambda s: words.capital(labels.label("claims", "status", s))))
    return table(
        shown,
        {"claim_date": "Date", "by": "Claimed by", "place": "Place", "oblast": "Oblast", "state": "Status"},
        limit=40,
        what="claims, newest first",
    )


def outcome(ctx: RoundContext, produced: pd.DataFrame, stated: pd.DataFrame, cut: pd.Timestamp) -> HTML:
    """What came of the round: its outcome in the curators' words, the exchanges and positions the
    sources tie to it. Before the round opens: where to read it once it has met."""
    r = ctx.round
    if is_eve(ctx, cut):
        final = links.round_stem({"round_id": r["round_id"]}) + ".html"
        opens = f"opens tomorrow, {words.day(r['start_date'])}" if (r["start_date"] - cut).days == 1 else f"opens on {words.day(r['start_date'])}"
        return HTML('<p>The round {}. What came of it is in <a href="{}">the brief on the round as known now</a>.</p>').format(opens, final)
    text = r.get("outcome")
    out = HTML("<p>{}</p>").format(text if isinstance(text, str) and text else "The sources read record no outcome.")
    if len(produced):
        rows = produced.assign(
            what=produced["kind"].map(lambda k: words.capital(labels.label("exchanges", "kind", k))),
            ua=produced["returned_to_ukraine"].map(lambda n: "no figure" if pd.isna(n) else f"{int(n):,}"),
            ru=produced["returned_to_russia"].map(lambda n: "no figure" if pd.isna(n) else f"{int(n):,}"),
        )
        out += HTML("<p>Exchanges and repatriations the sources tie to this round:</p>")
        out += table(rows, {"exchange_date": "Date", "what": "Kind", "ua": "To Ukraine (Ukraine's count)", "ru": "To Russia (Russia's count)"})
    if len(stated):
        rows = stated.assign(
            who=stated["actor"].map(labels.party),
            on=stated["topic"].map(lambda t: words.capital(labels.topic(t))),
            what=stated.apply(lambda p: f"{words.capital(labels.stance(p['stance_type']))}: {p['stance']}", axis=1),
        )
        out += HTML("<p>Positions stated at the round:</p>")
        out += table(rows, {"stated_date": "Date", "who": "Party", "on": "Topic", "what": "Position"}, stack=True)
    return out
