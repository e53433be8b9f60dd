"""Pieces every brief shares: the heading, the editor's note, notes on data gaps, the description of
positions and deadlines in words, and the "about this brief" paragraph."""

from __future__ import annotations

import pandas as pd

from analysis.dataset.tables import Dataset
from analysis.metrics.coverage import data_ends
from analysis.present import labels, words
from analysis.present.format import fmt_date
from analysis.present.html import HTML, note

#: What each table holds, as a reader says it (for the notes on where the data ends).
TABLE_WORDS = {
    "rounds": "rounds of talks",
    "truces": "truces",
    "exchanges": "exchanges and repatriations",
    "running_totals": "published running totals",
    "claims": "territorial claims",
    "control": "control readings",
    "positions": "stated positions",
    "deadlines": "deadlines",
}


#: "No ... is recorded": each table's rows in the negative, as a reader says it.
TABLE_NONE = {
    "rounds": "No round of talks is",
    "truces": "No truce is",
    "exchanges": "No exchange or repatriation is",
    "running_totals": "No published running total is",
    "claims": "No territorial claim is",
    "control": "No control reading is",
    "positions": "No stated position is",
    "deadlines": "No deadline is",
}


def heading(title: str, standfirst: str) -> HTML:
    """The brief's one H1 and the line under it."""
    return HTML('<h1>{}</h1><p class="brief-standfirst">{}</p>').format(title, standfirst)


def as_known(cut: pd.Timestamp, ds: Dataset) -> str:
    """'As known on 6 July 2026 (dataset 1.2.0).'"""
    return f"As known on {words.day(cut)} (dataset {ds.info.version})."


def editor_note(note_text: str) -> HTML | None:
    """The editor's note parameter, shown as plain text (None when empty)."""
    if not note_text:
        return None
    return HTML('<aside class="brief-editor-note"><strong>Editor\'s note:</strong> {}</aside>').format(note_text)


def data_end_note(full: Dataset, table: str, end: pd.Timestamp, cut: pd.Timestamp) -> HTML | None:
    """What a window shows that is not there: days after the brief's own date (nothing from them can be
    known), or days after the table's data ends (a gap in the data, not an absence of events).
    None when the window lies within both."""
    if end > cut:
        return note(f"The days after {words.day(cut)} lie after this brief's date: nothing from them is shown.")
    last = data_ends(full).get(table)
    if last is None:
        return note(f"The data holds no {TABLE_WORDS[table]}.")
    if end <= last:
        return None
    return note(
        f"{TABLE_NONE[table]} recorded after {words.day(last)}: the data ends there, so the days after it show a gap in the data, not an absence of events."
    )


def coverage_line(ds: Dataset, tables: tuple[str, ...]) -> str:
    """'Data current to: rounds of talks 22 Mar 2026, exchanges and repatriations 15 May 2026, ...'"""
    ends = data_ends(ds)
    return "Data current to: " + "; ".join(f"{TABLE_WORDS[t]} {fmt_date(ends[t])}" for t in tables if t in ends) + "."


def age(days: int) -> str:
    """'3 weeks', '5 months', 'over a year', 'over 2 years' (how long before a day a thing was said)."""
    if days < 14:
        return words.count(days, "day")
    if days < 60:
        return words.count(days // 7, "week")
    if days < 365:
        return words.count(days // 30, "month")
    years = days // 365
    return "over a year" if years == 1 else f"over {years} years"


def position_cell(stance_type: object, stance: object, statement: object, stated: object, age_days: object, stale_after: int, when: str) -> str:
    """One side's position in a table cell: 'Rejects: <the stance> (Zelensky, press conference,
    23 Jun 2025)', adding how long before `when` it was stated when that is over `stale_after` days."""
    if stance_type is None or stance_type is pd.NA or (isinstance(stance_type, float) and pd.isna(stance_type)):
        return "Nothing stated"
    source = f"{statement}, {fmt_date(stated)}" if isinstance(statement, str) and statement else fmt_date(stated)
    dated = f"; stated {age(int(age_days))} {when}" if not pd.isna(age_days) and int(age_days) > stale_after else ""
    return f"{words.capital(labels.stance(stance_type))}: {str(stance).rstrip('.')} ({source}{dated})."


def parties_phrase(codes: object) -> str:
    """'the United States', 'France, Germany, the United Kingdom and Ukraine'."""
    return labels.parties(codes, article=True)


def about(what: str, cut: pd.Timestamp, ds: Dataset, extra: list[str] | None = None) -> HTML:
    """The 'About this brief' section: what it covers, as known on which day, which dataset, and how
    the figures are to be read."""
    parts = [
        f"{what} The data is as known on {words.day(cut)}, from dataset {ds.info.version} of {words.day(ds.info.dataset_date)}.",
        *(extra or []),
        "Figures are each side's own unless marked confirmed; sums over rows without a published figure are given as at least that much.",
        "Every row of the data cites the pages it was read from: the chart downloads hold the rows and their sources.",
    ]
    return HTML('<section class="brief-about-brief"><h2 id="about-this-brief">About this brief</h2><p>{}</p></section>').format(" ".join(parts))
