"""Reader labels from the schemas (one place for every code), and the checks added with dataset 1.2.0:
party codes in list cells, postal points with their KATOTTG code, truces' dates and origin."""

from __future__ import annotations

import csv
import io
import re

import pytest

from analysis.dataset.codebook import render_codebook
from analysis.dataset.schema import TABLES, frictionless_schema, parties, party_label, table_schema
from analysis.dataset.validate import validate_tables

CODED = [(t, f) for t in TABLES for f in table_schema(t).fields if f.categories]


@pytest.mark.parametrize(("table", "field"), CODED, ids=lambda x: getattr(x, "name", x))
def test_every_code_has_a_reader_label_and_a_definition(table, field):
    for c in field.categories:
        assert c.label.strip() and c.definition.strip(), f"{table}.{field.name}={c.value}"
        assert "_" not in c.label, f"{table}.{field.name}: the label of {c.value!r} reads like a code: {c.label!r}"
    assert field.enum == tuple(c.value for c in field.categories)
    assert field.constraints["enum"] == list(field.enum)  # derived, for code reading constraints


def test_labels_speak_to_readers():
    assert table_schema("rounds").field("format").label("direct") == "Russia–Ukraine talks"
    assert table_schema("rounds").field("format").label("us_ua") == "US–Ukraine talks"
    topic = table_schema("positions").field("topic")
    assert topic.label("nato_neutrality") == "NATO and neutrality" and topic.label("pows") == "prisoners of war"
    assert table_schema("positions").field("stance_type").label("reject") == "rejects"
    assert table_schema("exchanges").field("kind").label("bodies") == "repatriation of bodies"
    with pytest.raises(KeyError, match="stance_type"):
        table_schema("positions").field("stance_type").label("refuse")


def test_party_codes_are_one_list_with_articles_where_english_needs_them():
    users = {(t, f.name) for t in TABLES for f in table_schema(t).fields if f.codes == "parties"}
    assert users == {
        ("positions", "actor"),
        ("claims", "claimant"),
        ("deadlines", "issuer"),
        ("deadlines", "target"),
        ("truces", "announced_by"),
        ("running_totals", "reporter_party"),
        ("exchanges", "mediator"),
    }
    assert party_label("US") == "United States" and party_label("US", article=True) == "the United States"
    assert party_label("UA", article=True) == "Ukraine"
    assert "IAEA" in {c.value for c in parties()}
    assert table_schema("claims").field("claimant").enum == ("UA", "RU")
    assert table_schema("deadlines").field("issuer").label("GB", article=True) == "the United Kingdom"


@pytest.mark.parametrize("table", TABLES)
def test_frictionless_gets_a_plain_enum_and_no_categories(table):
    schema = frictionless_schema(table)
    for raw, f in zip(schema["fields"], table_schema(table).fields):
        assert "categories" not in raw and not any(k.startswith("x-") for k in raw)
        if f.enum and not f.is_list:
            assert raw["constraints"]["enum"] == list(f.enum)
        else:
            assert "enum" not in raw.get("constraints", {})


def test_series_are_channels_not_calendar_years():
    slugs = set(table_schema("rounds").field("series").enum)
    for s in slugs:
        m = re.fullmatch(r"(.+)-(\d{4})", s)
        if m:
            assert f"{m.group(1)}-{int(m.group(2)) - 1}" not in slugs, f"{s} restarts a series on 1 January"


def test_codebook_lists_labels_parties_and_the_coding_guide():
    text = render_codebook("9.9.9", "2026-01-01", {})
    assert "| `us_ua` | US–Ukraine talks |" in text
    assert "| `US` | United States | the United States |" in text
    assert "## Coding guide for positions" in text
    assert "both offering counts as terms that differ, not as agreement" in " ".join(text.split())


# --- checks on the fixture slice ------------------------------------------------------------------


def rows_of(data, table):
    with (data / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(data, table, rows):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (data / f"{table}.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")


def set_cell(data, table, match, column, value):
    """Set `column` on the first row where `match(row as dict)`; return (file line, 1-based column)."""
    rows = rows_of(data, table)
    head = rows[0]
    for i, r in enumerate(rows[1:], start=2):
        if match(dict(zip(head, r))):
            r[head.index(column)] = value
            write_rows(data, table, rows)
            return i, head.index(column) + 1
    raise AssertionError(f"no {table} row matches")


def errors(data):
    return [i.format() for i in validate_tables(data).errors]


def test_the_fixture_is_valid(data_copy):
    assert errors(data_copy) == []


def test_an_unknown_party_in_a_list_cell(data_copy):
    line, col = set_cell(data_copy, "deadlines", lambda r: True, "target", "RU;XX")
    (err,) = errors(data_copy)
    assert err.startswith(f"ERROR {data_copy.resolve() / 'deadlines.csv'}:{line}:{col}: target: unknown code 'XX'; allowed: UA, RU, US")
    assert err.endswith("got 'RU;XX' [enum]")


def test_a_stray_separator_in_a_list_cell(data_copy):
    set_cell(data_copy, "truces", lambda r: True, "announced_by", "RU;")
    (err,) = errors(data_copy)
    assert "announced_by: an empty code (a stray ';')" in err


def test_a_postal_point_needs_its_katottg_code(data_copy):
    line, col = set_cell(data_copy, "claims", lambda r: r["location_source"] == "geonames-postal", "katottg_code", "")
    assert errors(data_copy) == [
        f"ERROR {data_copy.resolve() / 'claims.csv'}:{line}:{col}: location_source is geonames-postal but katottg_code is empty, got '' [location]"
    ]


def test_a_katottg_code_without_a_point(data_copy):
    line, col = set_cell(data_copy, "claims", lambda r: not r["latitude"] and r["claim_type"] == "captured", "katottg_code", "UA14160270090076586")
    assert errors(data_copy) == [
        f"ERROR {data_copy.resolve() / 'claims.csv'}:{line}:{col}: katottg_code given without a point, got 'UA14160270090076586' [location]"
    ]


def test_a_truce_cannot_end_before_it_starts(data_copy):
    line, col = set_cell(data_copy, "truces", lambda r: r["start_date"] > "2025-01-01", "end_date", "2025-01-01")
    (err,) = errors(data_copy)
    assert err.startswith(f"ERROR {data_copy.resolve() / 'truces.csv'}:{line}:{col}: end_date is before start_date")


def test_a_truce_names_a_round_or_a_meeting_not_both(data_copy):
    line, col = set_cell(data_copy, "truces", lambda r: r["round_id"] != "", "agreed_in", "a phone call")
    (err,) = errors(data_copy)
    assert err.startswith(f"ERROR {data_copy.resolve() / 'truces.csv'}:{line}:{col}: agreed_in names a meeting although round_id is given")


def test_a_truce_refers_to_a_known_round_and_scope(data_copy):
    set_cell(data_copy, "truces", lambda r: True, "round_id", "2020-01-01-nowhere")
    set_cell(data_copy, "truces", lambda r: True, "agreed_in", "")
    set_cell(data_copy, "truces", lambda r: True, "scope", "total")
    errs = errors(data_copy)
    assert any("round_id refers to an unknown rounds.round_id, got '2020-01-01-nowhere' [foreign-key]" in e for e in errs)
    assert any("scope: " in e and "got 'total'" in e for e in errs)


def test_a_planned_truce_may_end_after_the_dataset_date_but_not_be_announced_after_it(data_copy):
    set_cell(data_copy, "truces", lambda r: True, "end_date", "2030-01-01")
    assert errors(data_copy) == []
    line, col = set_cell(data_copy, "truces", lambda r: True, "announced_date", "2030-01-01")
    assert any(f":{line}:{col}: announced_date is after the dataset date" in e for e in errors(data_copy))
