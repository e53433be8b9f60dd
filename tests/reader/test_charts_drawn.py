"""Each built brief opened from disk in headless Chromium with the network blocked: every chart drawn,
maps with their boundaries and points, no console or page errors, no request leaves the machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reader.reading import WAIT_DRAWN, open_offline

pytestmark = [pytest.mark.browser, pytest.mark.slow]


DRAWN = """() => Array.from(document.querySelectorAll('.brief-plot')).map(el => ({
  id: el.id,
  drawn: el.getAttribute('data-drawn'),
  svg: el.querySelectorAll('.main-svg').length,
  marks: el.querySelectorAll('g.trace path, g.trace .point, g.trace text, .hm image, g.heatmaplayer image, g.bars path').length,
  geo: el.querySelectorAll('g.geo').length,
  geoPoints: el.querySelectorAll('g.geo path.point').length,
  geoAreas: el.querySelectorAll('g.geo path.choroplethlocation').length,
  geoBase: el.querySelectorAll('g.geo g.layer path').length,
  notes: el.querySelectorAll('g.annotation text').length,
}))"""


def open_brief(browser, page_path: Path):
    """Open a brief offline (reading.open_offline) once every chart reports drawn; return (page, requests, errors)."""
    page, requests, errors = open_offline(browser, page_path, width=1200)
    page.wait_for_function(WAIT_DRAWN, timeout=20000)
    return page, requests, errors


def test_every_chart_is_drawn_offline_without_errors(built_fixture_briefs, browser):
    pages = sorted(p for p in built_fixture_briefs.glob("*.html") if p.name != "index.html")
    assert pages
    counted = {"charts": 0, "maps": 0, "map_points": 0}
    for path in pages:
        page, requests, errors = open_brief(browser, path)
        charts = page.evaluate(DRAWN)
        expected = path.read_text(encoding="utf-8").count('class="brief-plot"')
        assert len(charts) == expected, path.name
        for c in charts:
            assert c["drawn"] == "yes" and c["svg"] >= 1, (path.name, c)
            # Data marks, or (for an empty selection) the drawn "nothing to show" message.
            assert c["marks"] + c["geoPoints"] + c["geoAreas"] + c["notes"] > 0, (path.name, c)
            if c["geo"]:
                counted["maps"] += 1
                counted["map_points"] += c["geoPoints"]
                assert c["geoAreas"] == 27, (path.name, c)  # all oblast boundaries drawn
                assert c["geoBase"] > 0, (path.name, c)  # the offline basemap (land, borders)
        counted["charts"] += len(charts)
        assert requests == [], (path.name, requests)
        assert errors == [], (path.name, errors)
        page.context.close()
    assert counted["maps"] >= 2 and counted["map_points"] > 0, counted
    print(f"browser: {len(pages)} briefs, {counted}")


def test_index_opens_and_links_to_briefs(built_fixture_briefs, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto((built_fixture_briefs / "index.html").as_uri())
    links = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    assert any(h.startswith("round-") for h in links)
    for href in links:
        assert (built_fixture_briefs / href).is_file(), href
    context.close()
