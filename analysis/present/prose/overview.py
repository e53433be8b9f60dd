"""The overview in words: the headline numbers, the open deadlines, the key positions and what
changed since the previous release of the dataset."""

from __future__ import annotations

import pandas as pd

from analysis.metrics.changes import DatasetChanges
from analysis.metrics.positions import STALE_DAYS
from analysis.present import labels, links, words
from analysis.present.format import fmt_date
from analysis.present.html import HTML, Lead, headline, headlines, note, para, table, text
from analysis.present.prose.common import TABLE_WORDS, position_cell


def overview_lead(
    latest: pd.Series,
    upcoming: pd.Series | None,
    years: pd.DataFrame,
    recent: pd.DataFrame,
    still_open: pd.DataFrame,
    cut: pd.Timestamp,
    recent_days: int,
) -> Lead:
    """Headline numbers of the overview, each with what it counts."""
    people = years[years["kind"] == "people"]
    this_year, last_span = people.iloc[0], people.iloc[1]
    settlements = recent[recent["claim_type"].isin(["captured", "liberated"])] if len(recent) else recent
    to = this_year["span_end"]
    upto = f"{to:%-d %B}" + (", where the exchanges data ends" if to < cut else "")
    pairs = [(fmt_date(latest["start_date"]), f"the latest round: {links.round_name(latest)}")]
    if upcoming is not None:
        pairs.append((fmt_date(upcoming["start_date"]), f"the next round announced: {links.round_name(upcoming)}"))
    pairs += [
        (
            int(this_year["event_count"]),
            f"prisoner and civilian {words.noun(this_year['event_count'], 'exchange')} from 1 January to {upto} "
            f"(against {int(last_span['event_count']):,} in the same span of {to.year - 1})",
        ),
        (len(settlements), f"settlement {words.noun(len(settlements), 'claim')} in the {recent_days} days to {cut:%-d %B}"),
        (len(still_open), f"open {words.noun(len(still_open), 'deadline')}"),
    ]
    parts = [headline(n, label) for n, label in pairs]
    next_words = "" if upcoming is not None else " No next round has been announced."
    # The headline for the index and the feed: the same figures as sentences.
    summary = (
        f"The latest round: {links.round_name(latest)}, {words.day(latest['start_date'])}.{next_words} "
        + "; ".join(f"{text(n)} {label}" for n, label in pairs[1 if upcoming is None else 2 :])
        + "."
    )
    return Lead(headlines(parts) + para("Everything as known on {cut}.{next}", cut=words.day(cut), next=next_words), headline=summary)


def open_deadlines_table(still_open: pd.DataFrame) -> HTML:
    """The open deadlines: those due ahead and the open-ended ones, each marked as which."""
    if still_open.empty:
        return note("No deadline is open.")
    shown = still_open.assign(
        by=still_open["issuer"].map(labels.parties),
        to=still_open["target"].map(labels.parties),
        threat_words=still_open["threat"].fillna("None stated"),
        due=still_open["deadline_date"].map(lambda d: "No due date" if pd.isna(d) else fmt_date(d)),
        kind=still_open.apply(lambda r: "Open-ended" if r["open_kind"] == "open-ended" else f"{words.count(r['days_left'], 'day')} left", axis=1),
    )
    return table(
        shown,
        {"issued_date": "Set on", "by": "Set by", "to": "For", "due": "Due", "kind": "Time left", "demand": "Demand", "threat_words": "Threat"},
        stack=True,
    )


def key_positions_table(key: pd.DataFrame, actors: tuple[str, ...] = ("UA", "RU", "US")) -> HTML:
    """The latest stance of each party on the key topics, dated."""

    def cell(r, a) -> str:
        return position_cell(r[f"{a}_type"], r[f"{a}_stance"], r[f"{a}_statement"], r[f"{a}_date"], r[f"{a}_age_days"], STALE_DAYS, "before this day")

    shown = pd.DataFrame(
        {"topic": key["topic"].map(lambda t: words.capital(labels.topic(t))), **{a: key.apply(lambda r, a=a: cell(r, a), axis=1) for a in actors}}
    )
    return table(shown, {"topic": "Topic", **{a: labels.party(a) for a in actors}}, stack=True)


def dataset_changes(changes: DatasetChanges) -> HTML:
    """What changed since the previous version of the dataset, table by table and in the totals."""
    if changes.previous_version is None:
        return note("This is the first published version of the dataset; there is no earlier version to compare with.")
    counts = changes.counts.assign(
        what=changes.counts["table"].map(lambda t: words.capital(TABLE_WORDS.get(t, "sources read" if t == "sources" else t)))
    )
    out = para("Compared with dataset {prev}:", prev=changes.previous_version)
    out += table(counts, {"what": "Table", "added_count": "Rows added", "revised_count": "Rows revised", "removed_count": "Rows removed"})
    if len(changes.totals):
        out += table(
            changes.totals.assign(what=changes.totals["measure"].map(words.capital)),
            {"what": "Total", "previous": "Before", "current": "Now", "change": "Change"},
        )
    return out


def brief_links(rounds: pd.DataFrame) -> HTML:
    """Links to the topic briefs and to every round's brief, newest first."""
    from analysis.present.html import link_list

    links_ = [(f"{n}.html", links.TITLES[n]) for n in ("exchanges", "territory", "positions")]
    for _, r in rounds.sort_values("start_date", ascending=False).iterrows():
        if r.get("status") == "cancelled":
            continue
        links_.append((links.round_stem({"round_id": r["round_id"]}) + ".html", links.round_title(r)))
    return link_list(links_)
