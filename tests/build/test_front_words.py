"""Reader titles, dates, search folding, headline numbers, related-brief links and the front page's
rules (badges, the feed), without building any brief."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from analysis import build
from analysis.briefs import ParameterError
from analysis.build import cards, feed, index, plan, words
from tests.conftest import FIXTURE_DATA

ATOM = "{http://www.w3.org/2005/Atom}"


def test_links_index_and_status_take_titles_from_the_one_title_function():
    from analysis.briefs import BRIEFS, brief_title
    from analysis.build.status import brief_title as status_title

    jobs = _jobs()
    for j in jobs.values():
        assert status_title(j) == brief_title(j.brief, j.values, FIXTURE_DATA), j.stem
        for link in j.page["links"]:
            target = jobs[link["href"].removesuffix(".html")]
            assert link["title"] == status_title(target), (j.stem, link)
    assert BRIEFS["round"].name == "round"


def test_formats_and_parties_read_as_words_from_the_schemas():
    from analysis.dataset.schema import table_schema

    for code in table_schema("rounds").field("format").constraints["enum"]:
        assert code in words.FORMAT_PARTIES, code
        assert "_" not in words.format_words(code) and words.format_words(code) != code
    assert words.format_words("not-a-format") == "talks"
    assert words.party_words("US") == "United States"


def test_dates_and_spans_read_as_prose():
    assert words.prose_date("2025-07-23") == "23 July 2025"
    assert words.table_date("2025-07-03") == "3 Jul 2025"
    assert words.date_span("2026-01-23", "2026-01-24") == "23–24 January 2026"
    assert words.date_span("2025-11-30", "2025-12-02") == "30 November – 2 December 2025"
    assert words.date_span("2025-12-31", "2026-01-01") == "31 December 2025 – 1 January 2026"
    assert words.date_span("2025-07-23", "2025-07-23") == "23 July 2025"
    assert words.reader_time("2026-04-24T14:05:09Z") == "24 April 2026 at 14:05 UTC"
    assert words.plural(1, "brief") == "1 brief" and words.plural(2, "brief") == "2 briefs"
    assert words.and_list(["a", "b", "c"]) == "a, b and c"


def test_source_date_epoch_sets_the_build_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1777000000")
    assert words.iso_time(words.build_time()) == "2026-04-24T03:06:40Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError):
        words.build_time()
    with pytest.raises(build.BuildError) as err:
        build.run(build.Options(data_dir=FIXTURE_DATA, out_dir=None, log=lambda s: None))
    assert err.value.code == 64 and "SOURCE_DATE_EPOCH" in str(err.value)


def test_search_folding_drops_accents_case_and_punctuation():
    assert words.fold("Bürgenstock, US–Ukraine") == " burgenstock us ukraine"
    assert words.fold("  Abu-Dhabi!! ") == " abu dhabi"


def test_the_headline_number_is_the_first_count_not_a_date_year_or_ordinal():
    h = (
        "Delegations met in Istanbul on 23 Jul 2025 for the 3rd round of the istanbul-2025 series, 51 days after "
        "the previous one (2 Jun 2025, Istanbul). On 5 of 14 topics the two sides' positions are opposed."
    )
    number, sentence = cards.headline_figure(h)
    assert number == "51" and sentence.startswith("Delegations met") and sentence.endswith("Istanbul).")
    assert cards.headline_figure("On 0 of 5 topics the sides are opposed.")[0] == "0 of 5"
    assert cards.headline_figure("64% of the claims are mapped.")[0] == "64%"
    assert cards.headline_figure("Nothing counted on 4 Feb 2026.") == ("", "Nothing counted on 4 Feb 2026.")


def test_base_url_must_be_an_absolute_web_address():
    assert plan.check_base_url("https://example.org/briefs") == "https://example.org/briefs/"
    assert plan.check_base_url("") == ""
    for bad in ("example.org", "file:///tmp/x/", "javascript:alert(1)", "https://example.org/?q=1", 'https://e.org/"x'):
        with pytest.raises(ParameterError):
            plan.check_base_url(bad)


def _jobs():
    return {j.stem: j for j in plan.plan_jobs(build.Options(), FIXTURE_DATA)}


def test_round_briefs_link_neighbouring_rounds_and_their_twin_at_plan_time():
    jobs = _jobs()
    stems = set(jobs)
    rounds = [j for j in jobs.values() if j.brief.name == "round"]
    assert rounds
    for j in rounds:
        links = j.page["links"]
        others = [link for link in links if not link["href"].startswith(f"round-{j.values['round_id']}")]
        if j.values["as_of"]:
            # An eve brief links only rounds that had met by its date (the first round's eve, none).
            assert all(link["href"][len("round-") : len("round-") + 10] <= j.values["as_of"] for link in others), j.stem
        else:
            assert others, j.stem  # at least one other round
        for link in links:
            assert link["href"].removesuffix(".html") in stems, (j.stem, link)
            assert link["title"] and "_" not in link["label"], (j.stem, link)
        if j.values["as_of"]:
            assert j.page["eve"]["href"] == f"round-{j.values['round_id']}.html" and j.page["eve"]["is_eve"], j.stem
        else:
            assert j.page["eve"] is None
            assert any(link["label"] == "As known on the eve" for link in links), j.stem  # fixture rounds are all direct or trilateral
    assert all(not j.page["links"] and j.page["eve"] is None for j in jobs.values() if j.brief.name != "round")


def test_the_base_url_changes_the_key_of_every_brief(monkeypatch):
    from analysis.build import related

    monkeypatch.setattr(related, "chromium_path", lambda: "/usr/bin/chromium")
    plain = plan.plan_jobs(build.Options(briefs=["exchanges"]), FIXTURE_DATA)[0]
    hosted = plan.plan_jobs(build.Options(briefs=["exchanges"], base_url="https://example.org/b/"), FIXTURE_DATA)[0]
    assert hosted.page["image"] == "https://example.org/b/cards/exchanges.png"
    keys = [plan.job_key(j, {}, "code", False) for j in (plain, hosted)]
    assert keys[0] != keys[1]


def _status(n_rounds: int) -> dict:
    """A status.json as a build writes it, for `n_rounds` rounds with eve briefs, plus topic briefs."""
    briefs = {}
    for name, title in (("overview", "Overview"), ("exchanges", "Exchanges"), ("positions", "Positions")):
        briefs[name] = {"brief": name, "file": f"{name}.html", "sha": "a", "title": title, "headline": f"{title} headline", "params": {}}
    cities = ["Istanbul", "Geneva", "Abu Dhabi", "Miami", "Riyadh", "Jeddah"]
    for i in range(n_rounds):
        year, day = 2000 + i // 300, i % 300
        start = f"{year}-{1 + day // 28:02d}-{1 + day % 28:02d}"
        rid = f"{start}-r{i}"
        city = cities[i % len(cities)]
        facts = {
            "round_id": rid,
            "start_date": start,
            "end_date": start,
            "city": city,
            "country": "Land",
            "format": ["direct", "us_ua", "us_ru"][i % 3],
        }
        facts["heads"] = {"UA": f"Head {i}"}
        briefs[f"round-{rid}"] = {"brief": "round", "file": f"round-{rid}.html", "sha": "b", "title": f"{city} talks {i}", "facts": facts}
        briefs[f"round-{rid}"]["headline"] = f"Delegations met in {city}; round number {i}, after {cities[(i + 1) % len(cities)]}."
        briefs[f"round-{rid}"]["params"] = {"round_id": rid, "as_of": ""}
        eve = {"brief": "round", "file": f"round-{rid}-as-of-x.html", "sha": "c", "title": f"{city} talks {i} (as known on the eve)", "facts": facts}
        eve["params"] = {"round_id": rid, "as_of": start}
        briefs[f"round-{rid}-as-of-x"] = eve
    return {"briefs": briefs, "dataset_version": "9.9.9", "dataset_date": "2026-01-01", "last_build": "2026-01-01T00:00:00Z"}


def test_badges_mark_only_the_latest_content_change_and_say_what_changed():
    status = _status(2)
    status["last_change"] = "2026-01-02T00:00:00Z"
    recs = status["briefs"]
    recs["exchanges"]["change"] = {
        "at": "2026-01-02T00:00:00Z",
        "kind": "changed",
        "dataset_from": "1.0.0",
        "dataset_to": "1.1.0",
        "tables": ["exchanges"],
    }
    recs["positions"]["change"] = {"at": "2026-01-01T00:00:00Z", "kind": "changed", "dataset_from": "0.9.0", "dataset_to": "1.0.0", "tables": []}
    recs["overview"]["change"] = {"at": "2026-01-02T00:00:00Z", "kind": "first", "dataset_to": "1.1.0"}
    assert index.badge(recs["exchanges"], status) == {
        "kind": "changed",
        "text": "dataset v1.0.0 → v1.1.0; new or revised exchanges and repatriations",
    }
    assert index.badge(recs["positions"], status) is None  # an older change
    assert index.badge(recs["overview"], status) is None  # a first publication is not "new"
    html = index.render_index(status)
    assert html.count('class="badge changed"') == 1 and 'class="badge new"' not in html


def test_the_index_orders_topics_first_and_rounds_by_year_newest_first():
    html = index.render_index(_status(700))
    assert html.index('id="h-topics"') < html.index('id="h-rounds"')
    years = [int(y) for y in re.findall(r'id="h-y(\d{4})"', html)]
    assert years == sorted(years, reverse=True) and len(years) == 3
    assert html.count('class="twin"') == 700  # each round's eve brief under it, not as an entry of its own


def test_the_embedded_search_index_cannot_end_its_script():
    status = _status(1)
    status["briefs"]["exchanges"]["headline"] = "</script><script>alert(1)</script> & <!-- \u2028"
    html = index.render_index(status)
    data = html[html.index('id="search-data"') :]
    data = data[data.index(">") + 1 : data.index("</script>")]
    assert "<" not in data and ">" not in data and "\u2028" not in data
    assert any("alert" in e["x"] for e in json.loads(data))


def test_the_feed_is_atom_with_stable_ids_and_newest_change_first(tmp_path):
    status = _status(3)
    recs = status["briefs"]
    for i, r in enumerate(sorted(recs)):
        recs[r]["content_updated"] = f"2026-01-{1 + i % 5:02d}T00:00:00Z"
        (tmp_path / recs[r]["file"]).write_text("x", encoding="utf-8")
    (tmp_path / recs["positions"]["file"]).unlink()  # gone from disk: not in the feed
    recs["exchanges"]["headline"] = "A \x07bell and <b>markup</b>"
    root = ET.fromstring(feed.render_feed(status, tmp_path, "test-dataset", "Someone"))
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(recs) - 1
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    assert feed.entry_id("test-dataset", "exchanges") in ids  # the same id in every build, wherever hosted
    hrefs = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert all((tmp_path / h).is_file() for h in hrefs)
    summary = next(e for e in entries if e.find(f"{ATOM}link").get("href") == "exchanges.html").find(f"{ATOM}summary").text
    assert summary == "A bell and <b>markup</b>"
    hosted = ET.fromstring(feed.render_feed(status, tmp_path, "test-dataset", "Someone", "https://example.org/b/"))
    assert all(e.find(f"{ATOM}link").get("href").startswith("https://example.org/b/") for e in hosted.findall(f"{ATOM}entry"))
    assert [e.find(f"{ATOM}id").text for e in hosted.findall(f"{ATOM}entry")] == ids
