"""Hostile text in every free-text column, built into briefs and opened in a real browser
(BAD-INPUTS rows 12, 13 and 15 end to end).

Every non-empty cell of every free-text column (a string column with no enum, pattern, URL or
foreign key: notes, outcome, stance, demand, threat, title, outlet, place, oblast, city,
venue, heads, claimant_body, reporter, tracker, area...) is replaced by a string from CORPUS plus a
unique suffix, one mapping for the whole dataset so equal texts stay equal (joins such as
claims.oblast = control.area keep working) and keys stay unique. Ids, enums, dates and numbers are
untouched, so the data still validates and the build runs.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from analysis import build
from analysis.build import checks, render
from analysis.dataset.schema import TABLES, table_schema
from tests.conftest import FIXTURE_DATA, TEST_JOBS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "javascript:alert(4)",
    "</script><script>alert(5)</script>",
    "before{{7*7}}after",
    "$x^2$ and $y$",
    "<b>bold</b>",
    "&lt;escaped&gt;",
    "' onmouseover='alert(6)",
    '<a href="https://evil.example/">link</a>',
    '<a href="javascript:alert(7)">js link</a>',
    '<span style="color:red">red</span><br>',
    '=HYPERLINK("https://evil.example/","click")',
    "@SUM(A1:A9)",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "\tleading tab",
]
# Strings that must be seen as literal text on some page (the others may only reach CSV downloads).
MUST_SHOW = [s for s in CORPUS if not s.startswith("\t")]
NOTE = "<script>alert(8)</script> note {{7*7}} $z$"
BRIEFS = ["overview", "round", "exchanges", "territory", "positions"]
TEXT_NODES = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const tag = n.parentNode && n.parentNode.nodeName.toUpperCase();
    if (tag !== 'SCRIPT' && tag !== 'STYLE') out.push(n.nodeValue);
  }
  return out.join('\\n');
}"""
INJECTED = """() => ({
  scripts: document.querySelectorAll('script:not([data-brief]):not(.brief-figure)').length,
  onattrs: Array.from(document.querySelectorAll('*')).filter(e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length,
  imgs: document.querySelectorAll('img, svg image[href="x"], iframe').length,
  bold: Array.from(document.querySelectorAll('b, strong, tspan')).filter(e => e.textContent === 'bold').length,
  jslinks: Array.from(document.querySelectorAll('a[href]')).filter(a => /^\\s*(javascript|vbscript|data:text\\/html)/i.test(a.getAttribute('href'))).length,
  plots: document.querySelectorAll('.brief-plot').length,
  drawn: document.querySelectorAll('.brief-plot[data-drawn="yes"] .main-svg').length,
})"""


def free_text_columns(name: str) -> list[str]:
    return [
        f.name
        for f in table_schema(name).fields
        if f.type == "string" and not f.foreign_key and not f.is_url and not {"enum", "pattern"} & set(f.constraints)
    ]


def make_hostile(target: Path) -> dict[str, list[str]]:
    """Copy the fixture data to `target` with every free-text cell replaced; returns the columns changed."""
    shutil.copytree(FIXTURE_DATA, target)
    mapping: dict[str, str] = {}
    changed = {}
    for name in TABLES:
        path = target / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        cols = free_text_columns(name)
        changed[name] = cols
        for row in body:
            for c in cols:
                i = header.index(c)
                if row[i]:
                    if row[i] not in mapping:
                        k = len(mapping)
                        mapping[row[i]] = f"{CORPUS[k % len(CORPUS)]} #{k}"
                    row[i] = mapping[row[i]]
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows([header, *body])
    return changed


def figure_strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in figure_strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in figure_strings(v)]
    return []


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> tuple[Path, Path, list[str]]:
    base = tmp_path_factory.mktemp("hostile")
    data = base / "data"
    changed = make_hostile(data)
    # The ones the brief asked for by name are really replaced.
    flat = {c for cols in changed.values() for c in cols}
    assert {
        "notes",
        "outcome",
        "stance",
        "demand",
        "threat",
        "title",
        "outlet",
        "place",
        "place_alias",
        "oblast",
        "city",
        "venue",
        "ua_head",
        "claimant_body",
        "reporter",
        "tracker",
        "area",
    } <= flat
    from analysis.dataset.validate import validate_tables

    report = validate_tables(data)
    assert report.ok, "\n".join(report.lines())
    out = base / "reports"
    logs: list[str] = []
    result = build.run(build.Options(briefs=BRIEFS, params={"note": NOTE}, data_dir=data, out_dir=out, log=logs.append, jobs=TEST_JOBS))
    assert result.code == 0, "\n".join(logs + [j.message for j in result.jobs])
    return data, out, logs


def test_row13_15_hostile_text_builds_and_stays_literal_in_the_html(hostile_build):
    _, out, _ = hostile_build
    pages = sorted(p for p in out.glob("*.html") if p.name != "index.html")
    assert len(pages) == len(BRIEFS), [p.name for p in pages]
    for path in pages:
        page = path.read_text(encoding="utf-8")
        # The build's own checks passed; check the raw HTML again for what must never appear: no
        # tag carries the hostile text outside a quoted value (inside one, e.g. in a chart's text
        # alternative, it is escaped data; a string that broke out of its quotes would show here).
        for tag in re.findall(r"<[a-zA-Z][^>]*>", page):
            assert "alert(" not in re.sub(r"\"[^\"]*\"|'[^']*'", '""', tag), (path.name, tag[:200])
        for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>bold</b>", '<a href="javascript', '<span style="color:red'):
            assert raw not in page, (path.name, raw)
        # Plotly text properties accept some HTML: every data string in every figure is escaped.
        for m in re.finditer(r'<script type="application/json" class="brief-figure" data-plot="[^"]+">(.*?)</script>', page, re.S):
            strings = figure_strings(json.loads(m.group(1)))
            for s in strings:
                for bad in ("<script", "<img", "<svg", "<b>", "<a href", "<span style", "</script"):
                    assert bad not in s, (path.name, s[:120])
                assert "before49after" not in s
        # Row 12: the CSV downloads neutralize formulas.
        csvs = [base64.b64decode(b).decode("utf-8") for b in re.findall(r'href="data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)"', page)]
        assert csvs, path.name
        for text in csvs:
            for row in csv.reader(text.splitlines()):
                for cell in row:
                    assert not cell.startswith(("=", "@", "+", "\t")) or cell.lstrip("+-").replace(".", "").isdigit(), (path.name, cell)
                    if cell.startswith("-"):
                        assert re.fullmatch(r"-[0-9.]+", cell), (path.name, cell)
    # The editor's note (a string parameter) is escaped too, and shown in every brief.
    for path in pages:
        assert "&lt;script&gt;alert(8)&lt;/script&gt; note {{7*7}} $z$" in path.read_text(encoding="utf-8"), path.name


def test_row12_formula_text_neutralized_in_downloads_but_shown_as_is(hostile_build):
    import html as html_mod

    _, out, _ = hostile_build
    cells, all_pages = [], ""
    for path in sorted(out.glob("*.html")):
        page = path.read_text(encoding="utf-8")
        all_pages += page
        for b in re.findall(r'href="data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)"', page):
            cells += [c for row in csv.reader(io.StringIO(base64.b64decode(b).decode("utf-8"), newline="")) for c in row]
    formulas = [s for s in CORPUS if s.startswith(("=", "@", "+", "-", "\t"))]
    neutralized = {s for s in formulas if any(c.startswith("'" + s) for c in cells)}
    for s in formulas:
        assert not any(c.startswith(s) for c in cells), s  # no download cell starts with a formula
    assert len(neutralized) >= 3, neutralized  # and they did reach the downloads, with a leading apostrophe
    shown = html_mod.unescape(re.sub(r"<[^>]+>", "", all_pages))
    assert sum(s in shown for s in formulas) >= 3  # the page shows the text as-is...
    assert not any("'" + s in shown for s in formulas)  # ...without the apostrophe


def test_row13_script_urls_are_caught_in_tags_but_inert_as_text():
    """nbconvert re-serializes outputs (&#34; becomes a plain quote in text), so the post-build check
    must look inside real start tags only: escaped markup shown as text passes, a real link fails."""
    from analysis import present

    assets = render.Assets(plotly_js="/*plotly*/", css="", render_js="/*render*/")
    figure = '<div class="brief-plot" id="plot-1-0123456789"></div><script class="brief-figure" data-plot="plot-1-0123456789" type="application/json">{}</script>'
    cell = present.html.table(__import__("pandas").DataFrame({"n": ['<a href="javascript:alert(7)">link</a>']}), {"n": "Note"}).markup
    assert "&#34;javascript:" in cell
    inert = "<html><body>" + figure + cell.replace("&#34;", '"') + "</body></html>"
    checks.check_html(inert, assets, 1, site=True)  # passes: the link is text, not a tag
    for bad in (
        '<a href="javascript:alert(7)">x</a>',
        "<a href='JavaScript:alert(7)'>x</a>",
        '<img src="data:image/svg+xml,x">',
        '<div onclick="alert(1)">x</div>',
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    ):
        with pytest.raises(build.BriefFailure):
            checks.check_html("<html><body>" + figure + bad + "</body></html>", assets, 1, site=True)


def test_row13_15_hostile_text_is_inert_in_chromium(hostile_build, browser):
    _, out, _ = hostile_build
    pages = sorted(p for p in out.glob("*.html") if p.name != "index.html")
    seen_text = ""
    for path in [*pages, out / "index.html"]:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        requests: list[str] = []
        errors: list[str] = []
        dialogs: list[str] = []

        def route(r, requests=requests):
            if r.request.url.startswith("file:"):
                return r.continue_()
            requests.append(r.request.url)
            return r.abort()

        page.route("**/*", route)
        page.on("console", lambda m, errors=errors: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(f"pageerror: {e}"))
        page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        if path.name != "index.html":
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.brief-plot')).every(e => e.getAttribute('data-drawn') === 'yes')", timeout=20000
            )
            # Hover over every chart's plot area so hover labels (with data text) are drawn too.
            for box in page.query_selector_all(".brief-plot .nsewdrag"):
                try:
                    box.hover(timeout=2000)
                except Exception:  # noqa: BLE001 - a drag layer hidden under another one is fine
                    pass
            page.wait_for_timeout(300)
        state = page.evaluate(INJECTED)
        text = page.evaluate(TEXT_NODES)
        seen_text += text
        assert dialogs == [], (path.name, dialogs)
        assert errors == [], (path.name, errors)
        assert requests == [], (path.name, requests)
        assert state["scripts"] == 0 and state["onattrs"] == 0 and state["jslinks"] == 0, (path.name, state)
        assert state["imgs"] == 0 and state["bold"] == 0, (path.name, state)
        if path.name != "index.html":
            assert state["plots"] > 0 and state["drawn"] >= state["plots"], (path.name, state)
            assert "before49after" not in text and "z$" in text  # no template or math evaluation
        context.close()
    for s in MUST_SHOW:
        if s.startswith(("=", "@", "+", "-")):
            continue  # formula strings are checked in the downloads test; they may sit in CSV only
        assert s in seen_text, f"{s!r} never shown as literal text"
    assert "<script>alert(8)</script> note {{7*7}} $z$" in seen_text
