"""HTML fragments for briefs, built with markupsafe and Jinja templates: every data value is
escaped on the way in, and only markup built here is trusted.

Notebooks display these objects; Jupyter and nbconvert both render them through `_repr_html_`.
The templates live in analysis/templates/fragments/.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from analysis import contract, paths
from analysis.present.format import fmt_date, fmt_int

#: Rows shown in a brief's tables before "showing N of M" (the chart downloads hold them all).
TABLE_ROWS = 40


class HTML(Markup):
    """A fragment of trusted markup (built only by the helpers here and in `prose`)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)

    @property
    def markup(self) -> str:
        return str(self)


class Lead(HTML):
    """A brief's lead paragraph: shown like any fragment, and handed to the build, as plain text in
    the output's metadata, as the brief's headline for the index and the feed."""

    def __new__(cls, markup: str = "", headline: str | None = None):
        self = super().__new__(cls, markup)
        self.headline = Markup(markup).striptags() if headline is None else headline
        return self

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": str(self)}, {contract.HEADLINE: self.headline}


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.TEMPLATES_DIR / "fragments"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render(template: str, **context: object) -> HTML:
    """One fragment template rendered with autoescaping (values are escaped unless they are HTML)."""
    return HTML(_env().get_template(template).render(**context))


def text(value: object) -> str:
    """One data value as reader text (not yet escaped): dates as '23 Jul 2025', whole numbers with
    separators, missing as 'n/a'."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "n/a"
    if isinstance(value, pd.Timestamp):
        return fmt_date(value)
    if isinstance(value, float) and pd.isna(value):
        return "n/a"
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return fmt_int(value)
    return str(value)


def v(value: object) -> HTML:
    """One data value as escaped markup (see `text`)."""
    return HTML(escape(text(value)))


def para(template: str, **values: object) -> HTML:
    """A paragraph: `template` is our own text with {name} slots; each value is escaped."""
    return HTML("<p>" + template + "</p>").format(**{k: text(x) for k, x in values.items()})


def bullets(items: Iterable[str | HTML]) -> HTML:
    """A list of already-built fragments (strings are escaped)."""
    return HTML("<ul>{}</ul>").format(HTML("").join(HTML("<li>{}</li>").format(i) for i in items))


def item(template: str, **values: object) -> HTML:
    """One list item's content, escaped like `para`."""
    return HTML(template).format(**{k: text(x) for k, x in values.items()})


def facts(pairs: Mapping[str, object]) -> HTML:
    """A definition list of label → value (labels are ours, values are escaped)."""
    return render("facts.html.j2", pairs=[(k, text(x)) for k, x in pairs.items()])


def headline(number: object, label: str) -> HTML:
    """A big number with its label, for the top of a brief."""
    return HTML('<div class="brief-headline"><span class="brief-number">{}</span> <span>{}</span></div>').format(text(number), label)


def headlines(items: Iterable[HTML]) -> HTML:
    """A row of headline numbers."""
    return HTML('<div class="brief-headlines">{}</div>').format(HTML("").join(items))


def table(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    caption: str = "",
    limit: int | None = None,
    what: str = "rows",
    rest: str = "",
    stack: bool = False,
    chart: bool = False,
    missing: Mapping[str, str] | None = None,
) -> HTML:
    """An HTML table of `frame[columns]` with reader-facing column labels; all cells escaped.

    Args:
        limit: Rows shown; when there are more, a note says how many of how many `what` are shown,
            followed by `rest` (where the others are, e.g. "All 174 are in the map's download.").
        stack: On a narrow screen each row becomes a block of labelled values (for tables of text).
        chart: The table is a chart's data, inside its figure: the note says the download holds all.
        missing: Column -> what a missing value says there ("First round", "No due date"); other
            columns say "n/a".
    """
    rows = frame if limit is None else frame.head(limit)
    body = []
    for _, r in rows.iterrows():
        cells = []
        for col in columns:
            val = r[col]
            num = isinstance(val, (int, float)) and not isinstance(val, bool) and not pd.isna(val)
            blank = missing and col in missing and text(val) == "n/a"
            cells.append((num, missing[col] if blank else text(val)))
        body.append(cells)
    if chart and not rest:
        rest = f"The download below holds all {len(frame):,}."
    return render(
        "table.html.j2",
        caption=caption,
        labels=list(columns.values()),
        rows=body,
        shown=len(rows),
        total=len(frame),
        what=what,
        rest=rest,
        stack=stack,
    )


def note(words: str) -> HTML:
    """A muted note in our own words."""
    return HTML('<p class="brief-note">{}</p>').format(words)


def link_list(links: Iterable[tuple[str, str]]) -> HTML:
    """Links to other briefs: (relative file name, label) pairs."""
    return render("links.html.j2", links=list(links))
