"""The front page and the links between briefs as a reader gets them: opened from disk in headless
Chromium with the network blocked, searched by typing, followed by clicking."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from analysis.build import index
from tests.reader.reading import open_offline

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VISIBLE = """() => Array.from(document.querySelectorAll('li.entry'))
  .filter(e => e.offsetParent !== null)
  .map(e => ({id: e.id, text: e.innerText, href: e.querySelector('a.title').getAttribute('href')}))"""


def _status(out: Path) -> dict:
    return json.loads((out / "status.json").read_text(encoding="utf-8"))


def _a_city_of_some_rounds(out: Path) -> str:
    """A city that some round briefs are about, but not all."""
    cities = [
        (r.get("facts") or {}).get("city") for r in _status(out)["briefs"].values() if r.get("brief") == "round" and not r["params"].get("as_of")
    ]
    counts = {c: cities.count(c) for c in cities if c}
    return min(counts, key=lambda c: (counts[c], c))


def test_the_index_shows_the_state_of_the_talks_then_the_topic_briefs_above_the_rounds(built_fixture_briefs, browser):
    page, requests, errors = open_offline(browser, built_fixture_briefs / "index.html")
    state = page.locator(".state").bounding_box()
    topics = page.locator("#topics").bounding_box()
    rounds = page.locator("#rounds").bounding_box()
    assert state["y"] < topics["y"] < rounds["y"]
    assert page.locator("#finder").is_visible()  # the search box appears once its script runs
    assert "Latest round:" in page.inner_text(".state") and "Data current to" in page.inner_text(".state")
    years = [int(t.split()[0]) for t in page.locator("section.year h3").all_inner_texts()]
    assert years == sorted(years, reverse=True)
    assert requests == [] and errors == []
    page.context.close()


def test_typing_a_city_leaves_only_its_briefs_and_nonsense_leaves_none(built_fixture_briefs, browser):
    city = _a_city_of_some_rounds(built_fixture_briefs)
    page, requests, errors = open_offline(browser, built_fixture_briefs / "index.html")
    everything = page.evaluate(VISIBLE)
    page.locator("#q").press_sequentially(city, delay=20)
    shown = page.evaluate(VISIBLE)
    assert 0 < len(shown) < len(everything)
    status = _status(built_fixture_briefs)["briefs"]
    for e in shown:
        rec = next(r for r in status.values() if r["file"] == e["href"])
        assert (rec.get("facts") or {}).get("city") == city, e
    assert "#q=" in page.evaluate("location.hash")
    assert "match" in page.inner_text("#result")

    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("qzxv wqpl", delay=10)
    assert page.evaluate(VISIBLE) == []
    assert "No brief matches" in page.inner_text("#result")
    assert page.locator("#topics").is_hidden() and page.locator("#rounds").is_hidden()
    page.locator("#result button").click()  # "Clear the search"
    assert len(page.evaluate(VISIBLE)) == len(everything)
    assert requests == [] and errors == []
    page.context.close()


def test_a_shared_search_opens_filtered_and_the_filters_narrow_it(built_fixture_briefs, browser):
    city = _a_city_of_some_rounds(built_fixture_briefs)
    from urllib.parse import quote

    page, _, errors = open_offline(browser, built_fixture_briefs / "index.html", "#q=" + quote(city))
    shown = page.evaluate(VISIBLE)
    assert shown and page.locator("#q").input_value() == city
    page.locator("#q").fill("")
    year = page.locator("#f-year option").nth(1).get_attribute("value")
    page.locator("#f-year").select_option(year)
    shown = page.evaluate(VISIBLE)
    assert shown and all(e["text"] for e in shown)
    assert page.locator("#topics").is_hidden()  # topic briefs have no year
    assert all(h3.startswith(year) for h3 in page.locator("section.year:not([hidden]) h3").all_inner_texts())
    assert f"year={year}" in page.evaluate("location.hash")
    assert errors == []
    page.context.close()


def test_the_index_reads_at_390_px_without_sideways_scrolling(built_fixture_briefs, browser):
    page, _, errors = open_offline(browser, built_fixture_briefs / "index.html", width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
    page.context.close()


def test_eve_briefs_say_so_and_lead_to_the_final_brief_and_every_brief_back_to_the_index(built_fixture_briefs, browser):
    eve = next(p for p in sorted(built_fixture_briefs.glob("round-*-as-of-*.html")))
    page, requests, errors = open_offline(browser, eve)
    notice = page.locator(".brief-eve")
    assert notice.is_visible() and "only what had been published" in notice.inner_text()
    assert notice.bounding_box()["y"] < page.locator("h1").first.bounding_box()["y"]  # at the top
    notice.locator("a").click()
    page.wait_for_load_state()
    final = eve.name.split("-as-of-")[0] + ".html"
    assert page.url.endswith("/" + final)
    related = page.locator("nav.brief-related a")
    assert related.count() >= 1
    page.locator(".brief-kicker a", has_text="All briefs").click()
    page.wait_for_load_state()
    assert page.url.endswith("/index.html")
    assert requests == [] and errors == []
    page.context.close()


def test_search_stays_fast_at_100_times_the_briefs(tmp_path, browser):
    """About 6,000 briefs (100 times today's): the page loads and a keystroke filters the list quickly."""
    status = {"briefs": {}, "dataset_version": "9.9.9", "dataset_date": "2026-01-01", "last_build": "2026-01-01T00:00:00Z"}
    cities = ["Istanbul", "Geneva", "Abu Dhabi", "Miami", "Riyadh", "Jeddah", "Paris", "London"]
    for i in range(3000):
        start = f"{1900 + i // 300}-{1 + (i % 300) // 28:02d}-{1 + i % 28:02d}"
        rid = f"{start}-r{i}"
        facts = {"round_id": rid, "start_date": start, "city": cities[i % 8], "format": "direct", "heads": {"UA": f"Person {i}"}}
        headline = f"Delegations met in {cities[i % 8]} for round {i}; on {i % 14} of 14 topics the sides are opposed, after {cities[(i + 3) % 8]}."
        for suffix, as_of in (("", ""), ("-as-of-eve", start)):
            status["briefs"][f"round-{rid}{suffix}"] = {
                "brief": "round",
                "file": f"round-{rid}{suffix}.html",
                "sha": "x",
                "title": f"{cities[i % 8]} talks, round {i}",
                "headline": headline,
                "facts": facts,
                "params": {"round_id": rid, "as_of": as_of},
            }
    (tmp_path / "index.html").write_text(index.render_index(status), encoding="utf-8")
    t0 = time.monotonic()
    page, _, errors = open_offline(browser, tmp_path / "index.html")
    loaded = time.monotonic() - t0
    timing = page.evaluate(
        """() => {
      const q = document.getElementById('q'), out = [];
      for (const text of ['g', 'ge', 'gen', 'geneva', 'geneva person 1', 'zzzz', '']) {
        const t = performance.now();
        q.value = text; q.dispatchEvent(new Event('input'));
        document.body.offsetHeight;  // include the layout the change causes
        out.push(performance.now() - t);
      }
      return out;
    }"""
    )
    page.locator("#q").fill("geneva")
    shown = page.evaluate("() => document.querySelectorAll('li.entry:not([hidden])').length")
    assert shown == 3000 // 8
    # Narrowing the whole list costs most (thousands of entries hidden at once); later keystrokes little.
    assert loaded < 15 and max(timing) < 1500 and sorted(timing)[len(timing) // 2] < 150, (loaded, timing)
    assert errors == []
    print(f"6,000 briefs: page loaded in {loaded:.1f} s; keystrokes took {', '.join(f'{t:.0f}' for t in timing)} ms")
    page.context.close()
