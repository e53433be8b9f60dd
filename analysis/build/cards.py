"""Social cards: one 1200x630 PNG per brief (cards/<stem>.png), the og:image of its page when the
build has a base URL. Each card shows the brief's title, its date and its headline number, and is
drawn from a small HTML page (templates/index/card.html.j2) by the headless Chromium that `--pdf`
uses, one browser for all cards, driven over its DevTools pipe (no extra dependency, no port).

A card is drawn again only when what it shows changes (its fingerprint is kept in status.json).
Without Chromium, or when it fails, cards are skipped with a one-line warning: nothing else fails.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import select
import subprocess
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import jinja2

from analysis import paths
from analysis.build.publish import write_atomic
from analysis.build.related import CARDS_DIR, chromium_path
from analysis.build.words import capitalized, date_span, format_words, prose_date
from analysis.present.links import round_place

WIDTH, HEIGHT = 1200, 630
TIMEOUT = 30.0


class CardError(RuntimeError):
    """Chromium could not draw a card."""


_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_DATES = re.compile(rf"\b\d{{1,2}} (?:{_MONTHS})[a-z]*(?: \d{{4}})?\b|\b(?:{_MONTHS})[a-z]* \d{{4}}\b|\b(?:19|20)\d\d\b")
_NUMBER = re.compile(r"(?<![\w.,\-])\d[\d,]*(?:\.\d+)?%?(?: of \d[\d,]*)?(?![\w])")
_SENTENCE = re.compile(r"[^.;]+(?:[.;](?!\s|$)[^.;]*)*[.;]?")


def headline_figure(headline: str) -> tuple[str, str]:
    """The headline number of a brief and the sentence that says it: the first count in the headline
    (dates, years and ordinals are not counts), e.g. ('51', 'Delegations met ... 51 days after ...').
    ('', first sentence) when the headline holds no count."""
    masked = _DATES.sub(lambda m: " " * len(m.group(0)), headline)
    m = _NUMBER.search(masked)
    sentences = [(s.start(), s.end()) for s in _SENTENCE.finditer(headline) if s.group(0).strip()]
    if not m:
        return "", headline[sentences[0][0] : sentences[0][1]].strip() if sentences else headline
    for a, b in sentences:
        if a <= m.start() < b:
            return m.group(0), headline[a:b].strip().rstrip(";")
    return m.group(0), headline.strip()


def card_facts(rec: dict, status: dict) -> dict:
    """What a brief's card shows, from its status record."""
    f = rec.get("facts") or {}
    as_of = (rec.get("params") or {}).get("as_of") or ""
    if f.get("start_date"):
        place = ", ".join(x for x in (f.get("city"), f.get("country")) if x) or capitalized(round_place(f))
        span = date_span(f["start_date"], f.get("end_date", ""))
        when = " · ".join(
            x
            for x in (
                f"As known on {prose_date(as_of)}" if as_of else "",
                capitalized(format_words(f.get("format", ""))),
                place,
                span if "–" in span else "",
            )
            if x
        )
    else:
        when = f"As of {prose_date(as_of or status.get('dataset_date', ''))}"
    number, sentence = headline_figure(rec.get("headline", ""))
    return {
        "title": rec.get("title", ""),
        "when": when,
        "number": number,
        "sentence": sentence,
        "dataset": f"Dataset v{rec.get('dataset_version', '')} of {prose_date(status.get('dataset_date', ''))}",
    }


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(paths.TEMPLATES_DIR / "index"), autoescape=True)
    return env.get_template("card.html.j2")


def card_html(facts: dict) -> str:
    return _template().render(width=WIDTH, height=HEIGHT, **facts)


class Browser:
    """Headless Chromium driven over --remote-debugging-pipe (DevTools messages, NUL-terminated JSON)."""

    def __init__(self, chromium: str, profile: Path):
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()

        def child_fds():  # runs in the child before exec: Chromium reads fd 3 and writes fd 4
            a = fcntl.fcntl(to_child, fcntl.F_DUPFD, 20)
            b = fcntl.fcntl(from_child, fcntl.F_DUPFD, 20)
            os.dup2(a, 3)
            os.dup2(b, 4)
            for fd in {a, b, to_child, from_parent, to_parent, from_child} - {3, 4}:
                try:
                    os.close(fd)
                except OSError:
                    pass

        cmd = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--mute-audio",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--force-device-scale-factor=1",
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=child_fds
        )
        os.close(to_child)
        os.close(from_child)
        self._w, self._r = from_parent, to_parent
        self._buf = b""
        self._id = 0
        self._events: list[dict] = []
        self.session = ""
        try:
            target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            self.call("Page.enable", session=True)
            metrics = {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False}
            self.call("Emulation.setDeviceMetricsOverride", metrics, session=True)
        except BaseException:
            self.close()
            raise

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._r], [], [], left)[0]:
                raise CardError("Chromium did not answer in time")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise CardError("Chromium closed the DevTools pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: bool = False) -> dict:
        self._id += 1
        msg: dict = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._message(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise CardError(f"{method}: {m['error'].get('message', m['error'])}")
                return m.get("result", {})
            self._events.append(m)

    def wait_event(self, method: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while True:
            for i, m in enumerate(self._events):
                if m.get("method") == method:
                    del self._events[: i + 1]
                    return
            self._events.append(self._message(deadline))

    def screenshot(self, url: str) -> bytes:
        """The page at `url` drawn at WIDTH x HEIGHT, as PNG bytes."""
        self._events.clear()
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_event("Page.loadEventFired")
        self.call("Runtime.evaluate", {"expression": "document.fonts.ready.then(() => true)", "awaitPromise": True}, session=True)
        clip = {"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT, "scale": 1}
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png", "clip": clip}, session=True)["data"])

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (CardError, OSError, ValueError):
            pass
        for fd in (self._w, self._r):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def draw_cards(out_dir: Path, status: dict, stems: list[str], log: Callable[[str], None]) -> bool:
    """Draw the card of each brief in `stems` whose card is missing or shows something new; record
    each card's fingerprint in `status`. Returns whether any card was drawn. Never raises."""
    from analysis.dataset.fingerprint import sha

    records = status.get("briefs", {})
    todo = []
    for stem in stems:
        rec = records.get(stem) or {}
        if not rec.get("sha"):
            continue
        html = card_html(card_facts(rec, status))
        key = sha(html.encode("utf-8"))[:16]
        if rec.get("card") != key or not (out_dir / CARDS_DIR / f"{stem}.png").is_file():
            todo.append((stem, html, key))
    if not todo:
        return False
    chromium = chromium_path()
    if not chromium:
        log("warning: social cards skipped: Chromium is not installed (make browser); everything else was built")
        return False
    (out_dir / CARDS_DIR).mkdir(exist_ok=True)
    t0 = time.monotonic()
    drawn = 0
    with tempfile.TemporaryDirectory(prefix="analysis-cards-") as tmp:
        browser = None
        try:
            browser = Browser(chromium, Path(tmp) / "profile")
            for stem, html, key in todo:
                page = Path(tmp) / f"{stem}.html"
                page.write_text(html, encoding="utf-8")
                png = browser.screenshot(page.as_uri())
                if png[:8] != b"\x89PNG\r\n\x1a\n":
                    raise CardError(f"Chromium returned no PNG for {stem}")
                write_atomic(out_dir / CARDS_DIR / f"{stem}.png", png)
                records[stem]["card"] = key
                drawn += 1
        except (CardError, OSError, ValueError, KeyError) as exc:
            log(f"warning: social cards skipped after {drawn} of {len(todo)}: {exc}; everything else was built")
        finally:
            if browser is not None:
                browser.close()
    if drawn:
        log(f"cards {drawn} drawn in {time.monotonic() - t0:.1f} s ({CARDS_DIR}/)")
    return drawn > 0
