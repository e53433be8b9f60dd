"""Post-build checks on a brief's final HTML, read with a real HTML parser."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

from analysis.build.exitcodes import BriefFailure
from analysis.build.render import PLOTLY_BUNDLE, Assets
from analysis.present import words

SITE_BUDGET = 500 * 1024


_PLOT_ID = re.compile(r"plot-[0-9]+-[0-9a-f]{10}")


#: Elements a brief may contain: what the template, nbconvert and the package emit. Anything else
#: (svg, math, iframe, object, embed, form, base, link, img, ...) fails the check.
ALLOWED_TAGS = frozenset(
    "html head body meta title style script header main aside nav footer section article h1 h2 h3 h4 h5 h6 p a div span "
    "strong em b i u s small sub sup code pre kbd blockquote q cite abbr time mark br hr wbr ul ol li dl dt dd table caption "
    "colgroup col thead tbody tfoot tr th td figure figcaption details summary".split()
)


#: Attributes that hold a URL (or a list of them) in HTML, SVG or MathML.
URL_ATTRIBUTES = frozenset("href src action formaction xlink:href data poster srcset background ping lowsrc dynsrc cite codebase longdesc".split())


_EXTERNAL_TAGS = frozenset("script link img iframe source video audio embed object track input".split())


_CSS_EXTERNAL = re.compile(r"url\(\s*[\"']?\s*(?:https?:|//)|@import", re.I)


_CSS_SCRIPT = re.compile(r"expression\s*\(|javascript:|vbscript:|url\(\s*[\"']?\s*(?!data:image/)", re.I)


_RAW_HANDLER = re.compile(r"[\s/\"']on[a-z]+\s*=", re.I)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")


def _scheme(value: str) -> str:
    """A URL's scheme as a browser reads it: tabs, newlines and controls ignored, lower case."""
    v = _URL_NOISE.sub("", value).lower()
    return v.split(":", 1)[0] + ":" if ":" in v.split("/", 1)[0] else ""


class _Scan(HTMLParser):
    """Every start tag with its parsed attributes (quotes and entities resolved as a browser does),
    the text of each script and style element, and anything html.parser and a browser could read
    differently (comments holding markup, CDATA, processing instructions)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str], str]] = []
        self.raw: list[tuple[str, dict[str, str], str]] = []  # (tag, attrs, text) of script/style elements
        self.odd: list[str] = []
        self._open: tuple[str, dict[str, str]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a: dict[str, str] = {}
        for k, v in attrs:
            if k in a:
                self.odd.append(f"duplicate attribute {k!r} in <{tag}>")
            a[k] = v or ""
        self.tags.append((tag, a, self.get_starttag_text() or ""))
        if tag in ("script", "style"):
            self._open, self._text = (tag, a), []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.odd.append(f"self-closing <{tag}/>")
            self._open = None

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self.raw.append((tag, self._open[1], "".join(self._text)))
            self._open = None

    def handle_comment(self, data):
        # Browsers close a comment at "-->", "--!>", or at once for "<!-->": text html.parser keeps
        # inside a comment may be live markup in a browser, so a comment may hold no markup at all.
        if "<" in data or ">" in data or data.startswith("-"):
            self.odd.append(f"comment holding markup: <!--{data[:60]}")

    def handle_decl(self, decl):
        if decl.lower() != "doctype html":
            self.odd.append(f"declaration <!{decl[:60]}>")

    def unknown_decl(self, data):
        self.odd.append(f"declaration <![{data[:60]}")

    def handle_pi(self, data):
        self.odd.append(f"processing instruction <?{data[:60]}")


def scan_html(body: str) -> _Scan:
    """Parse a page with html.parser (see `_Scan`)."""
    scan = _Scan()
    scan.feed(body)
    scan.close()
    if scan._open:
        scan.odd.append(f"unclosed <{scan._open[0]}>")
    return scan


#: The brief's metadata block (status.META_ID): stem, parameters, rebuild key, headline.
META_ATTRS = {"type": "application/json", "id": "brief-meta", "data-brief": "meta"}


def _meta_allowed(text: str, meta: str | None) -> bool:
    if meta is not None:
        return text == meta
    try:
        return "<" not in text and isinstance(json.loads(text), dict)
    except ValueError:
        return False


def _script_allowed(attrs: dict[str, str], text: str, assets: Assets, meta: str | None = None) -> bool:
    """Only the scripts this package emits: chart data blocks, the metadata block and our own scripts, byte for byte."""
    if attrs.get("type") == "application/json" and attrs.get("class") == "brief-figure" and _PLOT_ID.fullmatch(attrs.get("data-plot", "")):
        return len(attrs) == 3
    if attrs == META_ATTRS:
        return _meta_allowed(text, meta)
    own = {"plotly": assets.plotly_js, "geo": assets.geo_js, "render": assets.render_js}
    if len(attrs) == 1 and attrs.get("data-brief") in own:
        return text == own[attrs["data-brief"]]
    return attrs == {"data-brief": "plotly-site", "src": PLOTLY_BUNDLE} and text == ""


_FIGURE = re.compile(r'<figure class="brief-chart">.*?</figure>', re.S)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_TABLE = re.compile(r'<table class="brief-table">.*?</table>', re.S)
_CAPTION = re.compile(r"<caption>(.*?)</caption>", re.S)
_DOWNLOAD = re.compile(r'href="data:text/csv;[^"]*"')
_TAG = re.compile(r"<[^>]*>")


def _plain(markup: str, limit: int = 80) -> str:
    text = " ".join(html.unescape(_TAG.sub("", markup)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def _chart_title(figure_json: str) -> str:
    try:
        title = json.loads(figure_json).get("layout", {}).get("title", {})
    except ValueError:
        return ""
    return _plain(title.get("text", "") if isinstance(title, dict) else str(title or ""))


def size_breakdown(body: str) -> list[tuple[int, str]]:
    """(bytes, description) of each chart and table of a page, largest first: what makes a brief big."""
    parts: list[tuple[int, str]] = []
    for m in _FIGURE.finditer(body):
        block = m.group(0)
        title, plot_id, fig_bytes = "", "", 0
        for attrs, text in _SCRIPT.findall(block):
            a = dict(_ATTR.findall(attrs))
            if a.get("class") == "brief-figure":
                plot_id, fig_bytes, title = a.get("data-plot", ""), len(text.encode("utf-8")), _chart_title(text)
        csv_bytes = sum(len(d.encode("utf-8")) for d in _DOWNLOAD.findall(block))
        size = len(block.encode("utf-8"))
        parts.append((size, f"chart {title or '(untitled)'!r} ({plot_id}) {_kb(size)}: figure data {_kb(fig_bytes)}, CSV download {_kb(csv_bytes)}"))
    for m in _TABLE.finditer(body):
        cap = _CAPTION.search(m.group(0))
        size = len(m.group(0).encode("utf-8"))
        rows = m.group(0).partition("<tbody>")[2].count("<tr>")
        parts.append((size, f"table {(_plain(cap.group(1)) if cap else '(no caption)')!r} {_kb(size)} ({rows} rows)"))
    return sorted(parts, key=lambda p: -p[0])


def over_budget(body: str, size: int, limit: int, allowed: tuple[tuple[str, int], ...] = ()) -> str:
    """The size failure, naming the charts and tables that take the most room (`allowed`: the fixed
    scripts inlined in the page, plotly.js and the basemap, each with its size; they have their own
    allowance)."""
    parts = size_breakdown(body)
    top = "; ".join(d for _, d in parts[:3])
    rest = size - sum(n for n, _ in parts) - sum(n for _, n in allowed)
    fixed = f"{words.join(f'{name} {_kb(n)}' for name, n in allowed)} (allowed on top of the budget); " if allowed else ""
    return f"the HTML is {size:,} bytes, over its {limit:,}-byte limit; largest parts: {top or 'none'}; {fixed}everything else {_kb(rest)}"


def check_html(body: str, assets: Assets, expected_charts: int, site: bool, meta: str | None = None) -> None:
    """Post-build checks on the final HTML, read by a real HTML parser; BriefFailure on the first problem.

    `meta` is the brief's metadata block as the build made it: the page must carry exactly that one.
    """
    if expected_charts == 0:
        raise BriefFailure("the notebook produced no chart")
    scan = scan_html(body)
    if scan.odd:
        raise BriefFailure(f"markup a browser may read differently: {scan.odd[0]}")
    drawn = sum(1 for tag, a, _ in scan.tags if tag == "div" and a.get("class") == "brief-plot")
    if drawn != expected_charts:
        raise BriefFailure(f"the HTML has {words.count(drawn, 'chart')} where the notebook produced {expected_charts}")
    figure_json = sum(1 for tag, a, _ in scan.raw if tag == "script" and a.get("class") == "brief-figure")
    if figure_json != expected_charts:
        raise BriefFailure(f"the HTML has {words.count(figure_json, 'chart data block')} for {words.count(expected_charts, 'chart')}")
    for tag, attrs, text in scan.raw:
        # A browser ends a script or style at "</script" or "</style" followed by any delimiter.
        if f"</{tag}" in text.lower() or (tag == "script" and "<!--" in text):
            raise BriefFailure(f"a <{tag}> element holds text that could end it early: {text[:80]!r}")
        if tag == "script" and not _script_allowed(attrs, text, assets, meta):
            raise BriefFailure(f"unexpected script in the HTML: <script {' '.join(f'{k}={v!r}' for k, v in attrs.items())[:100]}>")
        if tag == "style" and _CSS_EXTERNAL.search(text):
            raise BriefFailure(f"external reference in a stylesheet: {_CSS_EXTERNAL.search(text).group(0)!r}")
    metas = sum(1 for tag, a, _ in scan.raw if tag == "script" and a == META_ATTRS)
    if metas > 1 or (meta is not None and metas != 1):
        raise BriefFailure(f"the HTML has {words.count(metas, 'metadata block')} where the brief has one")
    for tag, attrs, raw in scan.tags:
        if tag not in ALLOWED_TAGS:
            raise BriefFailure(f"element <{tag}> is not allowed in a brief: {raw[:120]!r}")
        handler = next((k for k in attrs if k.startswith("on")), None)
        # The raw tag as a second look, with quoted values blanked: escaped text inside a value
        # (an alt text quoting '" onload=') is data, not an attribute.
        if handler or _RAW_HANDLER.search(_QUOTED.sub('""', raw)):
            raise BriefFailure(f"event-handler attribute {handler or 'on*'!r} in the HTML: {raw[:120]!r}")
        if tag == "meta" and ("http-equiv" in attrs or "charset" in attrs and len(attrs) > 1):
            raise BriefFailure(f"meta element not allowed: {raw[:120]!r}")
        for key, value in attrs.items():
            if key in URL_ATTRIBUTES or key.endswith(":href"):
                scheme = _scheme(value)
                if scheme in ("javascript:", "vbscript:", "file:") or (
                    scheme == "data:" and not _URL_NOISE.sub("", value).lower().startswith("data:text/csv;")
                ):
                    raise BriefFailure(f"script or data URL in the HTML: {raw[:120]!r}")
                if tag in _EXTERNAL_TAGS and (scheme in ("http:", "https:") or _URL_NOISE.sub("", value).startswith("//")):
                    raise BriefFailure(f"external reference in the HTML: {raw[:120]!r}")
        if "style" in attrs and _CSS_SCRIPT.search(attrs["style"]):
            raise BriefFailure(f"style attribute with a URL or script: {raw[:120]!r}")
        if "srcdoc" in attrs:
            raise BriefFailure(f"srcdoc attribute in the HTML: {raw[:120]!r}")
    text_outside = body.replace(assets.plotly_js, "")
    if "MathJax" in text_outside or "require.js" in text_outside or "requirejs" in text_outside:
        raise BriefFailure("the HTML references MathJax or require.js")
    size = len(body.encode("utf-8"))
    # plotly.js and the basemap are the same bytes in every brief that carries them, whatever the data
    # holds: the budget is for what the data puts on the page. (Both are checked byte for byte above.)
    allowed = () if site else (("plotly.js", len(assets.plotly_js.encode("utf-8"))),)
    if '<script data-brief="geo">' in body:
        allowed += (("the basemap", len(assets.geo_js.encode("utf-8"))),)
    limit = SITE_BUDGET + sum(n for _, n in allowed)
    if size > limit:
        raise BriefFailure(over_budget(body, size, limit, allowed))
