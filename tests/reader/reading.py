"""A reader's pass over a page in Chromium: what is on the page (words, headings, charts, links,
downloads) and whether it fits a phone and a printed A4 page. The rules that use these readings
live in the test modules; tests/reader/test_rules_can_fail.py shows each rule failing on a bad page.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

PHONE = 390
#: A4 (210 mm) less the 12 mm side margins of the print stylesheet, at 96 px per inch.
PRINT_WIDTH = 703

READ = r"""() => {
  // Everything a reader can reach: open every collapsed section first.
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  // The page's words as laid out (cells and blocks apart); chart text is read from each chart.
  const plots = Array.from(document.querySelectorAll('.brief-plot'));
  plots.forEach(p => { p.style.display = 'none'; });
  const text = document.body.innerText;
  plots.forEach(p => { p.style.display = ''; });
  const visible = text;
  const heads = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
    .filter(h => h.getClientRects().length)
    .map(h => ({level: +h.tagName[1], text: h.textContent.trim()}));
  const cells = Array.from(document.querySelectorAll('td, th, dd, dt, li')).map(e => e.textContent.trim());
  const charts = Array.from(document.querySelectorAll('.brief-plot')).map(el => {
    const gd = el, strings = [];
    const add = v => {
      if (v == null) return;
      if (Array.isArray(v)) { v.forEach(add); return; }
      if (typeof v === 'string') strings.push(v);
    };
    (gd.data || []).forEach(t => { add(t.name); add(t.text); add(t.hovertext); add(t.legendgrouptitle && t.legendgrouptitle.text); });
    const lay = gd.layout || {};
    add(lay.title && lay.title.text);
    Object.keys(lay).filter(k => /^(x|y)axis/.test(k)).forEach(k => { add(lay[k].title && lay[k].title.text); add(lay[k].ticktext); });
    (lay.annotations || []).forEach(a => add(a.text));
    add(lay.legend && lay.legend.title && lay.legend.title.text);
    el.querySelectorAll('.main-svg text').forEach(t => add(t.textContent));
    const fig = el.closest('figure');
    const q = s => fig && fig.querySelector(s);
    const dl = q('a[download]');
    return {
      id: el.id,
      role: el.getAttribute('role'),
      label: el.getAttribute('aria-label') || '',
      title: (lay.title && lay.title.text) || '',
      strings: strings.map(s => s.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]+>/g, '')),
      source: q('.brief-source') ? q('.brief-source').textContent.trim() : '',
      about: q('.brief-about') ? q('.brief-about').textContent.replace(/^\s*About this data/, '').trim() : '',
      table: q('.brief-data table') ? q('.brief-data table').rows.length - 1 : -1,
      download: dl ? {name: dl.getAttribute('download'), href: dl.getAttribute('href'), text: dl.textContent.trim()} : null,
    };
  });
  const links = Array.from(document.querySelectorAll('a[href]')).map(a => ({href: a.getAttribute('href'), text: a.textContent.trim()}));
  const downloads = Array.from(document.querySelectorAll('a[download]')).map(a => ({name: a.getAttribute('download'), href: a.getAttribute('href')}));
  return {title: document.title, text, visible, heads, cells, charts, links, downloads};
}"""

# Elements that reach past the right or left edge of the page. An element inside a box that scrolls
# sideways counts only if that box itself does not fit; elements moved wholly off the left edge are
# the visually-hidden pattern (skip link, headers of stacked tables) and are skipped. Text drawn in a
# chart must lie inside the chart, and a chart's legend must not cover its title.
OVERFLOW = r"""(width) => {
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const scroller = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (/(auto|scroll)/.test(getComputedStyle(p).overflowX)) return p;
    }
    return null;
  };
  const fits = r => r.left >= -1 && r.right <= width + 1;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.brief-plot')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || r.right <= 0) continue;
    if (fits(r)) continue;
    const box = scroller(el);
    if (box && fits(box.getBoundingClientRect())) continue;
    out.push(name(el) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' px');
  }
  for (const el of document.querySelectorAll('.brief-plot')) {
    const r = el.getBoundingClientRect();
    if (!fits(r)) out.push(name(el) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' px');
    const svg = el.querySelector('.main-svg');
    if (svg && svg.getBoundingClientRect().width > r.width + 1) out.push(name(el) + ' draws ' + Math.round(svg.getBoundingClientRect().width) + ' px into ' + Math.round(r.width) + ' px');
    const title = el.querySelector('.g-gtitle'), legend = el.querySelector('.legend');
    if (title && legend) {
      const a = title.getBoundingClientRect(), b = legend.getBoundingClientRect();
      if (a.height && b.height && a.bottom > b.top + 1 && a.top < b.bottom - 1 && a.left < b.right && a.right > b.left) {
        out.push(name(el) + ' draws its legend over its title');
      }
    }
    el.querySelectorAll('.main-svg text').forEach(t => {
      const b = t.getBoundingClientRect();
      if (!t.textContent.trim() || !b.width) return;
      if (b.left < r.left - 2 || b.right > r.right + 2 || b.top < r.top - 2 || b.bottom > r.bottom + 2) {
        out.push(name(el) + ' clips "' + t.textContent.trim().slice(0, 40) + '"');
      }
    });
  }
  return {scrollWidth: document.documentElement.scrollWidth, overflow: out.slice(0, 25)};
}"""

WAIT_DRAWN = "() => Array.from(document.querySelectorAll('.brief-plot')).every(e => e.getAttribute('data-drawn') === 'yes')"


@dataclass
class Reading:
    """What one page shows a reader, at desktop width, on a phone and on paper."""

    path: Path
    text: str
    visible: str
    title: str
    heads: list[dict]
    cells: list[str]
    charts: list[dict]
    links: list[dict]
    downloads: list[dict]
    desktop: dict = field(default_factory=dict)
    phone: dict = field(default_factory=dict)
    paper: dict = field(default_factory=dict)
    axe: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def as_of(self) -> str | None:
        """The eve date of an "as of" brief (from its file name), else None."""
        found = re.search(r"-as-of-(\d{4}-\d{2}-\d{2})\.html$", self.path.name)
        return found.group(1) if found else None


def open_offline(browser, path: Path, fragment: str = "", width: int = 1280):
    """Open a page from disk with every request that is not a file blocked and every console error,
    page error and dialog recorded; returns (page, blocked requests, errors)."""
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    requests: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith("file:"):
            return r.continue_()
        requests.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(path.as_uri() + fragment)
    return page, requests, errors


def settle(page) -> None:
    """Let render.js refit the charts after a resize or a media change (it debounces by 150 ms)."""
    page.wait_for_timeout(400)
    page.wait_for_function(WAIT_DRAWN, timeout=20000)


def read_page(page, path: Path, *, axe=None) -> Reading:
    """Open `path` at 1280 px, read it, then measure it at phone width and as printed."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_function(WAIT_DRAWN, timeout=20000)
    raw = page.evaluate(READ)
    reading = Reading(path=path, **raw)
    settle(page)
    reading.desktop = page.evaluate(OVERFLOW, 1280)
    if axe is not None:
        reading.axe = axe(page)
    page.set_viewport_size({"width": PHONE, "height": 844})
    settle(page)
    reading.phone = page.evaluate(OVERFLOW, PHONE)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINT_WIDTH, "height": 1000})
    settle(page)
    reading.paper = page.evaluate(OVERFLOW, PRINT_WIDTH)
    page.emulate_media(media="screen")
    return reading


# ---- rules over readings (pure functions; the tests assert that they return nothing) --------------


@dataclass(frozen=True)
class Codes:
    """Stored values a reader must never meet: codes, ids, column names (value -> what it is)."""

    tokens: dict[str, str]
    #: whole-cell codes whose reader label differs (a table cell "reject" instead of "rejects")
    cells: dict[str, str]


SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "schemas"


def stored_codes(data_dir: Path, schemas: Path = SCHEMAS) -> Codes:
    """Codes and column names from the schemas; ids from the first (id) column of each table."""
    tokens: dict[str, str] = {}
    cells: dict[str, str] = {}
    for schema_path in sorted(schemas.glob("*.schema.json")):
        table = schema_path.name.split(".")[0]
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        for fld in schema.get("fields", []):
            if "_" in fld["name"]:
                tokens[fld["name"]] = f"column name in {table}"
            for cat in fld.get("categories") or []:
                value, label = cat["value"], cat.get("label", "")
                if re.search(r"[_\-;]", value):
                    tokens[value] = f"{table}.{fld['name']} code"
                elif value != label and value.lower() != label.lower():
                    cells[value] = f"{table}.{fld['name']} code (label: {label})"
    parties = json.loads((schemas / "parties.json").read_text(encoding="utf-8"))
    for party in parties["categories"]:
        cells[party["value"]] = f"party code (label: {party['label']})"
    for table_path in sorted(data_dir.glob("*.csv")):
        with table_path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            id_column = next((c for c in reader.fieldnames or [] if c.endswith("_id") and c == reader.fieldnames[0]), None)
            if id_column:
                for row in reader:
                    tokens[row[id_column]] = f"{table_path.stem} id"
    return Codes(tokens=tokens, cells=cells)


TOKEN = re.compile(r"[A-Za-z0-9]+(?:[_\-;][A-Za-z0-9]+)+")
JOINED_CODES = re.compile(r"\b[A-Z]{2}(?:;[A-Z]{2})+\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
MACHINE = re.compile(r"\b(?:NaN|NaT|nan|null|undefined|Timestamp)\b|\(default\)|\w\(s\)|\(e?s\)")
COUNT_NOUNS = (
    "row|round|exchange|claim|deadline|source|day|week|month|year|truce|position|settlement|statement|"
    "mediation|brief|chart|place|session|meeting|raion|hromada|oblast|topic|side|offer|demand"
)
ONE_PLURAL = re.compile(rf"(?<![\d.,])\b1 (?:more |other |new |earlier |later )?(?:{COUNT_NOUNS})s\b")
# "9 settlement claims" (a noun used as an adjective) and "2-3 day" (a range in a quotation) are fine.
MANY_SINGULAR = re.compile(
    rf"(?<![\d.,\-–])\b(?:0|[2-9]|\d{{2,}}|\d{{1,3}}(?:,\d{{3}})+) (?:more |other |new |earlier |later )?(?:{COUNT_NOUNS})\b(?![-–'’])(?! [a-z]+s\b)"
)

# "4444 of them", "22357 claims": counts of 1,000 and more take a separator; years 1800-2099 do not.
BARE_THOUSANDS = re.compile(r"(?<![\d.,:/\-–#])(?:\d{5,}|(?!1[89]\d\d|20\d\d)[1-9]\d{3})(?![\d]|[.,]\d|-\d)")


def code_findings(reading: Reading, codes: Codes) -> list[str]:
    found = []
    places = [("text", reading.text)] + [(f"chart {c['id']}", s) for c in reading.charts for s in c["strings"]]
    for where, text in places:
        for token in TOKEN.findall(text):
            if "_" in token:
                found.append(f"{where}: {token!r} ({codes.tokens.get(token, 'a stored name')})")
            elif token in codes.tokens:
                found.append(f"{where}: {token!r} ({codes.tokens[token]})")
        for joined in JOINED_CODES.findall(text):
            found.append(f"{where}: {joined!r} (joined party codes)")
    strings = reading.cells + [s.strip() for c in reading.charts for s in c["strings"]]
    for cell in strings:
        if cell in codes.cells:
            found.append(f"cell or label {cell!r} ({codes.cells[cell]})")
        elif cell in ("None", "nan", "NaN", "NaT", "<NA>"):
            found.append(f"cell or label {cell!r} (a missing value shown as code)")
        elif cell.lower() == "n/a":
            found.append("cell 'n/a' (say what is missing: 'not published', 'no due date', 'first round')")
    return sorted(set(found))


def wording_findings(reading: Reading) -> list[str]:
    found = []
    places = [("text", reading.text)] + [(f"chart {c['id']}", s) for c in reading.charts for s in c["strings"]]
    for where, text in places:
        for rule, pattern in (
            ("ISO date", ISO_DATE),
            ("machine text", MACHINE),
            ("plural after 1", ONE_PLURAL),
            ("singular after a count", MANY_SINGULAR),
            ("no thousands separator", BARE_THOUSANDS),
        ):
            for m in pattern.finditer(text):
                context = text[max(0, m.start() - 40) : m.end() + 20].replace("\n", " ")
                found.append(f"{where}: {rule} {m.group(0)!r} in …{context}…")
    return sorted(set(found))


def heading_findings(reading: Reading) -> list[str]:
    found = []
    h1 = [h["text"] for h in reading.heads if h["level"] == 1]
    if len(h1) != 1:
        found.append(f"{len(h1)} H1 headings: {h1}")
    previous = 0
    for h in reading.heads:
        if h["level"] > previous + 1:
            found.append(f"H{h['level']} {h['text']!r} follows H{previous}")
        previous = h["level"]
    if h1 and h1[0].strip().lower() in {"round brief", "brief", "overview", "exchanges", "territory", "positions"}:
        found.append(f"generic H1 {h1[0]!r}")
    return found


def decode_csv(href: str) -> list[dict]:
    """Rows of a data: URI CSV download."""
    head, _, payload = href.partition(",")
    raw = base64.b64decode(payload).decode("utf-8") if head.endswith(";base64") else unquote(payload)
    return list(csv.DictReader(io.StringIO(raw)))


def cited_source_ids(reading: Reading, urls: dict[str, str]) -> set[str]:
    """Sources a page cites: linked on the page (by URL) or named in its CSV downloads."""
    cited = {urls[link["href"]] for link in reading.links if link["href"] in urls}
    for dl in reading.downloads:
        if not dl["href"].startswith("data:"):
            continue
        for row in decode_csv(dl["href"]):
            for column, value in row.items():
                if column and column.endswith("source_ids") and value:
                    cited.update(v.strip() for v in value.split(";") if v.strip())
    return cited


def figure_findings(chart: dict) -> list[str]:
    found = []
    cid = chart["id"]
    if chart["role"] != "img" or len(chart["label"]) < 30:
        found.append(f"{cid}: no text alternative (role={chart['role']!r}, label={chart['label']!r})")
    if "as of" not in chart["source"] or "Dataset" not in chart["source"]:
        found.append(f"{cid}: source line without dataset and date: {chart['source']!r}")
    if len(chart["about"]) < 20:
        found.append(f"{cid}: no note about the data")
    dl = chart["download"]
    if not dl or not dl["href"].startswith("data:text/csv"):
        found.append(f"{cid}: no CSV of the plotted rows")
    else:
        rows = decode_csv(dl["href"])
        said = re.search(r"\((\d[\d,]*) rows?, CSV\)", dl["text"])
        if not said or int(said.group(1).replace(",", "")) != len(rows):
            found.append(f"{cid}: download says {dl['text']!r} but holds {len(rows)} rows")
    if chart["table"] == 0:
        found.append(f"{cid}: its data table is empty")
    return found
