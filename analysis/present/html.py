"""HTML fragments for briefs in which every data value is escaped.

Notebooks display these objects; Jupyter and nbconvert both render them through `_repr_html_`."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import pandas as pd

from analysis.present.format import fmt_date, fmt_int

#: Rows shown in a brief's tables before "showing N of M" (the chart downloads hold them all).
TABLE_ROWS = 40


class HTML:
    """A fragment of trusted markup (built only by the helpers below)."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


def v(value: object) -> str:
    """One data value as escaped text: dates as '23 Jul 2025', whole numbers with separators."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "n/a"
    if isinstance(value, pd.Timestamp):
        return fmt_date(value)
    if isinstance(value, float) and pd.isna(value):
        return "n/a"
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return fmt_int(value)
    return html.escape(str(value), quote=True)


def para(template: str, **values: object) -> HTML:
    """A paragraph: `template` is our own text with {name} slots; each value is escaped."""
    return HTML("<p>" + template.format(**{k: v(x) for k, x in values.items()}) + "</p>")


def bullets(items: Iterable[str | HTML]) -> HTML:
    """A list of already-built fragments (strings are escaped)."""
    lis = "".join(f"<li>{i if isinstance(i, HTML) else html.escape(str(i))}</li>" for i in items)
    return HTML(f"<ul>{lis}</ul>")


def item(template: str, **values: object) -> HTML:
    """One list item's content, escaped like `para`."""
    return HTML(template.format(**{k: v(x) for k, x in values.items()}))


def facts(pairs: Mapping[str, object]) -> HTML:
    """A definition list of label → value (labels are ours, values are escaped)."""
    rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{v(x)}</dd>" for k, x in pairs.items())
    return HTML(f'<dl class="brief-facts">{rows}</dl>')


def headline(number: object, label: str) -> HTML:
    """A big number with its label, for the top of a brief."""
    return HTML(f'<div class="brief-headline"><span class="brief-number">{v(number)}</span> <span>{html.escape(label)}</span></div>')


def headlines(items: Iterable[HTML]) -> HTML:
    """A row of headline numbers."""
    return HTML('<div class="brief-headlines">' + "".join(i.markup for i in items) + "</div>")


def table(frame: pd.DataFrame, columns: Mapping[str, str], *, caption: str = "", limit: int | None = None) -> HTML:
    """An HTML table of `frame[columns]` with reader-facing column labels; all cells escaped."""
    rows = frame if limit is None else frame.head(limit)
    head = "".join(f"<th>{html.escape(label)}</th>" for label in columns.values())
    body = []
    for _, r in rows.iterrows():
        cells = []
        for col in columns:
            val = r[col]
            if col == "topic" and isinstance(val, str):
                val = val.replace("_", " ")
            num = isinstance(val, (int, float)) and not isinstance(val, bool) and not pd.isna(val)
            cells.append(f'<td class="num">{v(val)}</td>' if num else f"<td>{v(val)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if limit is not None and len(frame) > limit:
        more = f'<p class="brief-note">Showing {limit} of {len(frame)} rows; the chart downloads hold them all.</p>'
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return HTML(
        f'<div class="brief-table-wrap"><table class="brief-table">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>{more}'
    )


def note(text: str) -> HTML:
    """A muted note in our own words."""
    return HTML(f'<p class="brief-note">{html.escape(text)}</p>')


def link_list(links: Iterable[tuple[str, str]]) -> HTML:
    """Links to other briefs: (relative file name, label) pairs."""
    items = "".join(f'<li><a href="{html.escape(href, quote=True)}">{html.escape(label)}</a></li>' for href, label in links)
    return HTML(f'<ul class="brief-links">{items}</ul>')


def editor_note(note_text: str) -> HTML | None:
    """The editor's note parameter, shown as plain text (None when empty)."""
    if not note_text:
        return None
    return HTML(f'<aside class="brief-editor-note"><strong>Editor\'s note:</strong> {html.escape(note_text)}</aside>')
