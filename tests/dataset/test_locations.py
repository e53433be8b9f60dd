"""A claim's map point, its precision and its origin agree, and exact points lie in their oblast."""

from __future__ import annotations

import pytest

from tests.dataset.badfiles import claim_line, cli, errors_of, label, read_rows, set_cell


def test_point_without_its_origin_is_named(data_copy, capsys):
    line = claim_line(data_copy, located=True)
    col = set_cell(data_copy, "claims", line, "location_source", "")
    f = label(data_copy, "claims")
    assert errors_of(data_copy) == [
        f"ERROR {f}:{line}:{col}: a point is given without its location_source (geonames or wikipedia), got '' [location]"
    ]
    assert cli(data_copy, capsys)[0] == 65


@pytest.mark.parametrize(
    "ids, message",
    [
        ("", "location_source is wikipedia but location_source_ids names no article, got '' [location]"),
        ("no-such-article", "location_source_ids refers to an unknown sources.source_id, got 'no-such-article' [foreign-key]"),
    ],
)
def test_wikipedia_point_must_cite_a_known_article(data_copy, ids, message):
    line = claim_line(data_copy, located=True)
    set_cell(data_copy, "claims", line, "location_source", "wikipedia")
    col = set_cell(data_copy, "claims", line, "location_source_ids", ids)
    f = label(data_copy, "claims")
    assert errors_of(data_copy) == [f"ERROR {f}:{line}:{col}: {message}"]


def test_precision_none_with_a_point_and_half_a_point(data_copy):
    line = claim_line(data_copy, located=False)
    col_lat = set_cell(data_copy, "claims", line, "latitude", "48.5")
    f = label(data_copy, "claims")
    assert errors_of(data_copy) == [f"ERROR {f}:{line}:{col_lat}: latitude and longitude must both be given or both be empty, got '48.5' [location]"]
    col_lon = set_cell(data_copy, "claims", line, "longitude", "37.5")
    errs = errors_of(data_copy)
    prec = read_rows(data_copy, "claims")[0].index("location_precision") + 1
    src = read_rows(data_copy, "claims")[0].index("location_source") + 1
    assert errs == [
        f"ERROR {f}:{line}:{prec}: a point is given but location_precision is none, got 'none' [location]",
        f"ERROR {f}:{line}:{src}: a point is given without its location_source (geonames or wikipedia), got '' [location]",
    ]
    assert col_lon == col_lat + 1


def test_exact_point_outside_its_oblast(data_copy):
    rows = read_rows(data_copy, "claims")
    h = rows[0]
    line = next(i + 1 for i, r in enumerate(rows[1:], start=1) if r[h.index("oblast")] == "Donetsk" and r[h.index("latitude")])
    set_cell(data_copy, "claims", line, "location_precision", "exact")
    col = set_cell(data_copy, "claims", line, "latitude", "50.9")  # moved north into Kharkiv/Sumy
    lon = rows[line - 1][h.index("longitude")]
    f = label(data_copy, "claims")
    errs = errors_of(data_copy)
    assert len(errs) == 1
    assert errs[0].startswith(f"ERROR {f}:{line}:{col}: the point lies ")
    assert errs[0].endswith(f" km outside Donetsk oblast, got '50.9,{lon}' [location]")


def test_oblast_outline_check_on_known_points():
    from analysis.dataset import geo

    assert geo.km_outside("Donetsk", 48.28198, 37.17585) == 0  # Pokrovsk
    assert geo.km_outside("Sumy", 50.9216, 34.80029) == 0  # Sumy
    assert 200 < geo.km_outside("Sumy", 48.28198, 37.17585) < 300  # Pokrovsk is ~250 km from Sumy oblast
    assert not geo.has_outline("Kursk")
