"""The positions and deadlines brief in words: its lead, the side-by-side table and the ledger."""

from __future__ import annotations

import pandas as pd

from analysis import metrics
from analysis.present import labels, words
from analysis.present.html import HTML, Lead, table
from analysis.present.prose.common import position_cell

GAP_WORDS = {"opposed": "Opposed", "conditional": "Terms differ", "compatible": "Compatible", "one side only": "Only one side has spoken"}
OUTCOME_WORDS = {
    "met": ("was met", "were met"),
    "missed": ("passed unmet", "passed unmet"),
    "extended": ("was extended", "were extended"),
    "superseded": ("was replaced by a later one", "were replaced by later ones"),
    "withdrawn": ("was withdrawn", "were withdrawn"),
    "unrecorded": ("passed with no outcome recorded in the sources read", "passed with no outcome recorded in the sources read"),
    "open": ("is open", "are open"),
    "overdue": ("is past its due date with no outcome recorded yet", "are past their due dates with no outcome recorded yet"),
}


def positions_lead(positions: pd.DataFrame, side: pd.DataFrame, ledger: pd.DataFrame, cut: pd.Timestamp) -> Lead:
    """Lead paragraph: positions, parties and topics; where Ukraine and Russia stand; the deadlines
    and what became of them, every count adding up to its total."""
    both = side[side["gap"] != "one side only"]
    counts = metrics.deadlines.outcome_counts(ledger, cut)
    fates = [f"{n:,} {OUTCOME_WORDS[k][0 if n == 1 else 1]}" for k, n in counts.items() if n]
    s = [
        f"The data holds {words.count(len(positions), 'position')} stated by {words.count(positions['actor'].nunique(), 'party', 'parties')} on "
        f"{words.count(positions['topic'].nunique(), 'topic')}.",
        f"Of the {words.count(len(both), 'topic')} on which both Ukraine and Russia have stated a position, their latest positions are opposed on "
        f"{int((both['gap'] == 'opposed').sum()):,}, their terms differ on {int((both['gap'] == 'conditional').sum()):,} and they are compatible on "
        f"{int((both['gap'] == 'compatible').sum()):,}.",
        f"Of {words.count(len(ledger), 'deadline')}, " + words.join(fates) + f", as of {words.day(cut)}."
        if len(ledger)
        else "No deadline has been set.",
    ]
    return Lead(HTML('<p class="brief-lead">{}</p>').format(" ".join(s)))


def side_by_side_table(side: pd.DataFrame, stale_after: int) -> HTML:
    """Ukraine's and Russia's latest positions per topic, dated, and how far apart they are."""
    shown = pd.DataFrame(
        {
            "topic": side["topic"].map(lambda t: words.capital(labels.topic(t))),
            **{
                s: side.apply(
                    lambda r, s=s: position_cell(
                        r[f"{s}_type"],
                        r[f"{s}_stance"],
                        r[f"{s}_statement"],
                        r[f"{s}_date"],
                        r[f"{s}_age_days"],
                        stale_after,
                        "before the brief's day",
                    ),
                    axis=1,
                )
                for s in ("UA", "RU")
            },
            "gap": side["gap"].map(GAP_WORDS),
        }
    )
    return table(shown, {"topic": "Topic", "UA": "Ukraine's latest position", "RU": "Russia's latest position", "gap": "How far apart"}, stack=True)


def ledger_table(ledger: pd.DataFrame, cut: pd.Timestamp) -> HTML:
    """Every deadline: set by whom for whom, when due, the demand and threat, and what happened."""

    def state(r) -> str:
        if r["outcome"] == "pending":
            if pd.isna(r["deadline_date"]):
                return "Open (no due date)"
            if r["deadline_date"] >= cut:
                return f"Open: due in {words.count((r['deadline_date'] - cut).days, 'day')}"
            return f"Past due by {words.count((cut - r['deadline_date']).days, 'day')}; no outcome recorded yet"
        return words.capital(labels.label("deadlines", "outcome", r["outcome"]))

    shown = ledger.assign(
        by=ledger["issuer"].map(labels.parties),
        to=ledger["target"].map(labels.parties),
        state=ledger.apply(state, axis=1),
        threat_words=ledger["threat"].fillna("None stated"),
    )
    return table(
        shown,
        {
            "issued_date": "Set on",
            "by": "Set by",
            "to": "For",
            "deadline_date": "Due",
            "demand": "Demand",
            "threat_words": "Threat",
            "state": "What happened",
        },
        stack=True,
        missing={"deadline_date": "No due date"},
    )
