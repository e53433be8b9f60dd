"""The gazetteer locator (analysis/curate/locate.py and its modules) on tiny inline gazetteers:
never the real files, no network, and none of the `curate` extra's packages needed."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from analysis.curate.findings import Candidate, Finding
from analysis.curate.gazetteers import (
    GazetteerIndex,
    GazetteerPlace,
    Gazetteers,
    Settlement,
    index_gazetteers,
    parse_cities,
    parse_codifier,
    parse_postal,
)
from analysis.curate.locate import locate_claims
from analysis.curate.placenames import GAZETTEER_CITIES, GAZETTEER_POSTAL, admin_match_length, loose_key, strict_key, transliterate_uk
from analysis.curate.pointfile import apply_hints, fill_points, read_claims, read_hints, split_records, write_points
from analysis.curate.verdicts import locate_claim

OBLAST = "Donetsk"

# Two raions, three hromadas. Each hromada has five reference villages (unique names) around a
# centre, so the neighbour vote can place a point.
RAIONS = {"RA": "Покровський", "RB": "Волноваський"}
HROMADAS = {"HA1": ("Шахівська", "RA", 48.40, 37.30), "HA2": ("Добропільська", "RA", 48.60, 36.90), "HB1": ("Комарська", "RB", 47.95, 36.70)}
REFERENCE_NAMES = {
    "HA1": ["Шахове", "Маяк", "Дорожнє", "Заповідне", "Затишок"],
    "HA2": ["Добропілля", "Золотий Колодязь", "Грузьке", "Веселе Поле", "Нове Шахове"],
    "HB1": ["Комар", "Піддубне", "Вільне Поле", "Новоселівка Друга", "Тернове"],
}
OFFSETS = [(0.0, 0.0), (0.02, 0.01), (-0.02, 0.015), (0.015, -0.02), (-0.01, -0.025)]


def settlement(name: str, hromada: str, code: str) -> Settlement:
    h_name, raion, _, _ = HROMADAS[hromada]
    return Settlement(code, name, "C", OBLAST, RAIONS[raion], raion, h_name, hromada)


def postal(name: str, lat: float, lon: float, code: str = "85000", oblast: str = OBLAST) -> GazetteerPlace:
    return GazetteerPlace(GAZETTEER_POSTAL, code, name, oblast, str(lat), str(lon), uk_names=(name,))


def base_gazetteer() -> tuple[list[Settlement], list[GazetteerPlace]]:
    settlements, places = [], []
    n = 0
    for hromada, names in REFERENCE_NAMES.items():
        _, _, lat, lon = HROMADAS[hromada]
        for name, (dlat, dlon) in zip(names, OFFSETS):
            n += 1
            settlements.append(settlement(name, hromada, f"UA{n:017d}"))
            places.append(postal(name, round(lat + dlat, 4), round(lon + dlon, 4), code=f"85{n:03d}"))
    return settlements, places


def build(extra_settlements=(), extra_places=()) -> GazetteerIndex:
    settlements, places = base_gazetteer()
    return index_gazetteers(Gazetteers(tuple(settlements + list(extra_settlements)), tuple(places + list(extra_places))))


def claim(place: str, claim_id: str = "cl-2025-08-01-x", **extra) -> dict[str, str]:
    row = {
        "claim_id": claim_id,
        "claim_date": "2025-08-01",
        "claim_type": "captured",
        "place": place,
        "place_alias": "",
        "oblast": OBLAST,
        "latitude": "",
        "longitude": "",
        "location_precision": "none",
    }
    row.update(extra)
    return row


def inside_box(oblast: str, lat: float, lon: float) -> float:
    """A stand-in for the oblast check: Donetsk is the box 47-49.5 N, 36-38.5 E."""
    return 0.0 if 47 <= lat <= 49.5 and 36 <= lon <= 38.5 else 100.0


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Коптєве", "Koptieve"),
        ("Зелений Гай", "Zelenyi Hai"),
        ("Згурівка", "Zghurivka"),
        ("Їжакевич", "Yizhakevych"),
        ("Знам’янка", "Znamianka"),
        ("Щастя", "Shchastia"),
        ("Новояковлівка", "Novoiakovlivka"),
        ("Юнаківка", "Yunakivka"),
    ],
)
def test_transliteration_follows_the_2010_national_system(cyrillic, latin):
    assert transliterate_uk(cyrillic) == latin


def test_loose_key_merges_common_variants():
    assert loose_key("Dachnoye") == loose_key("Dachne")
    assert loose_key("Zelenyy Gay") == loose_key("Zelenyi Gai")
    assert loose_key("Kalinovskoe") == loose_key("Kalinovske")
    assert loose_key("Novoyakovlivka") == loose_key("Novoiakovlivka")
    assert strict_key("Kupiansk-Vuzlovyi") == strict_key("Kup'iansk Vuzlovyi")


def test_admin_names_match_town_and_adjective():
    assert admin_match_length("Volnovakha district", "Волноваський")
    assert admin_match_length("Polohy raion", "Пологівський")
    assert admin_match_length("Komar", "Комарська")
    assert not admin_match_length("Pokrovsk", "Волноваський")


# --- verdicts ------------------------------------------------------------------------------


def test_unique_name_in_oblast_is_located():
    index = build([settlement("Коптєве", "HA1", "UA14000000000000001")], [postal("Коптєве", 48.41, 37.32)])
    f = locate_claim(claim("Koptieve"), index, km_outside=inside_box)
    assert f.verdict == "unique"
    assert (f.chosen.latitude, f.chosen.longitude) == ("48.41", "37.32")
    assert f.chosen.katottg_code == "UA14000000000000001"
    assert f.chosen.in_oblast is True


def homonyms() -> GazetteerIndex:
    return build(
        [settlement("Вільне", "HA1", "UA14000000000000011"), settlement("Вільне", "HB1", "UA14000000000000012")],
        [postal("Вільне", 48.41, 37.31, "85081"), postal("Вільне", 47.96, 36.71, "85762")],
    )


def test_homonyms_in_one_oblast_are_ambiguous():
    f = locate_claim(claim("Vilne"), homonyms(), km_outside=inside_box)
    assert f.verdict == "ambiguous"
    assert f.chosen is None
    assert len(f.namesakes) == 2 and len(f.candidates) == 2


def test_homonym_resolved_by_the_raion_a_source_names():
    f = locate_claim(claim("Vilne", raion="Volnovakha"), homonyms(), km_outside=inside_box)
    assert f.verdict == "unique"
    assert (f.chosen.latitude, f.chosen.longitude) == ("47.96", "36.71")
    assert f.chosen.katottg_code == "UA14000000000000012"


def two_in_one_raion() -> GazetteerIndex:
    return build(
        [settlement("Вільне", "HA1", "UA14000000000000011"), settlement("Вільне", "HA2", "UA14000000000000012")],
        [postal("Вільне", 48.41, 37.31), postal("Вільне", 48.61, 36.91)],
    )


def test_raion_holding_both_namesakes_leaves_it_ambiguous():
    f = locate_claim(claim("Vilne", raion="Pokrovsk"), two_in_one_raion(), km_outside=inside_box)
    assert f.verdict == "ambiguous"


def test_homonyms_in_one_raion_resolved_by_the_hromada():
    f = locate_claim(claim("Vilne", raion="Pokrovsk", hromada="Shakhove"), two_in_one_raion(), km_outside=inside_box)
    assert f.verdict == "unique"
    assert (f.chosen.latitude, f.chosen.longitude) == ("48.41", "37.31")
    assert f.chosen.hromada == "Шахівська"


def test_former_name_named_by_a_source_finds_the_point():
    index = build(
        [settlement("Новокостянтинівка", "HA1", "UA14000000000000051")], [postal("Перше Травня", 48.41, 37.31), postal("Перше Травня", 47.96, 36.71)]
    )
    f = locate_claim(claim("Novokostiantynivka", former_name="Pershe Travnia"), index, km_outside=inside_box)
    assert f.verdict == "unique"
    assert (f.chosen.latitude, f.chosen.match) == ("48.41", "former")


def test_postal_accuracy_1_rows_are_ignored():
    lines = [
        json.dumps(
            {
                "country_code": "UA",
                "postal_code": "85084",
                "city": "Бойківка",
                "state": "Donetska",
                "latitude": 48.4,
                "longitude": 37.3,
                "accuracy": 1.0,
            }
        ),
        json.dumps(
            {
                "country_code": "UA",
                "postal_code": "85085",
                "city": "Коптєве",
                "state": "Donetska",
                "latitude": 48.38,
                "longitude": 37.36,
                "accuracy": 4.0,
            }
        ),
        json.dumps(
            {
                "country_code": "UA",
                "postal_code": "85086",
                "city": "Коптєве",
                "state": "Donetska",
                "latitude": 48.38,
                "longitude": 37.36,
                "accuracy": 4.0,
            }
        ),
        json.dumps(
            {
                "country_code": "PL",
                "postal_code": "00-001",
                "city": "Warszawa",
                "state": "Mazowieckie",
                "latitude": 52.2,
                "longitude": 21.0,
                "accuracy": 4.0,
            }
        ),
    ]
    places = parse_postal(lines)
    assert [(p.name, p.place_id) for p in places] == [("Коптєве", "85085;85086")]
    index = build([settlement("Бойківка", "HA1", "UA14000000000000021")], places)
    f = locate_claim(claim("Boikivka"), index, km_outside=inside_box)
    assert f.verdict == "not found"
    assert not f.candidates


def test_point_outside_the_oblast_is_refused():
    index = build([settlement("Піддубне Нове", "HB1", "UA14000000000000031")], [postal("Піддубне Нове", 50.0, 30.0)])
    f = locate_claim(claim("Piddubne Nove"), index, km_outside=inside_box)
    assert f.verdict == "not found"
    assert f.candidates[0].in_oblast is False
    assert f.candidates[0].km_outside_oblast == 100.0


def test_former_name_of_another_settlement_makes_it_ambiguous():
    # The codifier's only Артемівка is far away; GeoNames keeps "Artemivka" as the former name
    # of a Sofiivka near the front, and claimants use the old names.
    sofiivka = GazetteerPlace(
        GAZETTEER_CITIES, "713181", "Sofiivka", OBLAST, "48.42", "37.33", ("Софіївка", "Артемівка"), ("Sofiivka", "Artemivka"), ()
    )
    index = build(
        [settlement("Артемівка", "HB1", "UA14000000000000041"), settlement("Софіївка", "HA1", "UA14000000000000042")],
        [postal("Артемівка", 47.96, 36.70), sofiivka],
    )
    f = locate_claim(claim("Artemivka"), index, km_outside=inside_box)
    assert f.verdict == "ambiguous"
    assert "former name" in f.reason


def test_isolated_point_is_held_back():
    index = build([settlement("Коптєве", "HA1", "UA14000000000000001")], [postal("Коптєве", 48.41, 37.32)])
    far_claim = claim("Koptieve", claim_id="cl-2025-08-01-koptieve")
    other = claim(
        "Elsewhere", claim_id="cl-2025-08-02-elsewhere", latitude="50.5", longitude="30.5", location_precision="exact", claim_date="2025-08-02"
    )
    [f] = locate_claims([far_claim, other], index, km_outside=inside_box, isolation_km=50.0)
    assert f.verdict == "ambiguous" and "held back" in f.reason
    [g] = locate_claims([far_claim, other], index, km_outside=inside_box, isolation_km=None)
    assert g.verdict == "unique"


# --- readers -------------------------------------------------------------------------------


def tiny_codifier() -> zipfile.ZipFile:
    """A workbook in the codifier's layout (title rows, header, levels A-E, category F, name G)."""
    rows = [
        {"A": "Кодифікатор"},
        {
            "A": "Перший рівень",
            "B": "Другий рівень",
            "C": "Третій рівень",
            "D": "Четвертий рівень",
            "E": "Додатковий рівень",
            "F": "Категорія об’єкта",
            "G": "Назва об’єкта",
        },
        {"A": "UA14000000000091971", "F": "O", "G": "Донецька"},
        {"A": "UA14000000000091971", "B": "UA14160000000082156", "F": "P", "G": "Покровський"},
        {"A": "UA14000000000091971", "B": "UA14160000000082156", "C": "UA14160270000040380", "F": "H", "G": "Шахівська "},
        {"A": "UA14000000000091971", "B": "UA14160000000082156", "C": "UA14160270000040380", "D": "UA14160270090076586", "F": "C", "G": "Коптєве"},
    ]

    def cell(col: str, r: int, text: str) -> str:
        return f'<c r="{col}{r}" t="inlineStr"><is><t>{text}</t></is></c>'

    xml_rows = "".join(f'<row r="{i}">' + "".join(cell(c, i, t) for c, t in row.items()) + "</row>" for i, row in enumerate(rows, 1))
    sheet = f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{xml_rows}</sheetData></worksheet>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


def test_codifier_reader_gives_raion_and_hromada():
    [s] = parse_codifier(tiny_codifier())
    assert (s.name, s.oblast, s.raion, s.hromada, s.code) == ("Коптєве", "Donetsk", "Покровський", "Шахівська", "UA14160270090076586")


def test_cities_reader_keeps_ukraine_and_border_regions_only():
    data = {
        "1": {
            "geonameid": 1,
            "name": "Komar",
            "latitude": 47.97782,
            "longitude": 36.74647,
            "countrycode": "UA",
            "admin1code": "05",
            "alternatenames": ["Комар", "Komar"],
        },
        "2": {
            "geonameid": 2,
            "name": "Sudzha",
            "latitude": 51.19,
            "longitude": 35.27,
            "countrycode": "RU",
            "admin1code": "41",
            "alternatenames": ["Суджа"],
        },
        "3": {"geonameid": 3, "name": "Moscow", "latitude": 55.75, "longitude": 37.62, "countrycode": "RU", "admin1code": "48", "alternatenames": []},
    }
    places = {p.name: p for p in parse_cities(data)}
    assert set(places) == {"Komar", "Sudzha"}
    assert places["Komar"].oblast == "Donetsk" and places["Komar"].latitude == "47.97782"
    assert places["Sudzha"].oblast == "Kursk"


# --- writer --------------------------------------------------------------------------------

HEADER = "claim_id,claim_date,claim_type,place,place_alias,oblast,latitude,longitude,geonames_id,location_precision,location_source,location_source_ids,notes"
CLAIMS_TEXT = (
    HEADER + "\r\n"
    'cl-2025-08-01-koptieve,2025-08-01,captured,Koptieve,Koptevo,Donetsk,,,,none,,,"Listed, with others; ""MoD"" said\r\nso"\r\n'
    "cl-2025-08-01-vilne,2025-08-01,captured,Vilne,Volnoe,Donetsk,48.1,37.1,123,approximate,geonames,,near a town\r\n"
    'cl-2025-08-01-other,2025-08-01,captured,Other,Drugoe,Donetsk,,,,none,,,"quoted, untouched"'
)


def unique_finding(claim_id: str, gazetteer: str = GAZETTEER_POSTAL, gid: str = "85085") -> Finding:
    c = Candidate(
        gazetteer,
        gid,
        "Коптєве",
        OBLAST,
        "Покровський",
        "Шахівська",
        "codifier",
        "48.3812",
        "37.365",
        "strict",
        1,
        None,
        "",
        0.0,
        True,
        "UA14160270090076586",
    )
    return Finding(claim_id, "Koptieve", OBLAST, "unique", "test", chosen=c)


def test_split_records_round_trips_any_text():
    for text in (CLAIMS_TEXT, CLAIMS_TEXT + "\n", "a,b\nc,d", 'a,"b\nc",d\r\n', ""):
        assert "".join(",".join(f) + end for f, end in split_records(text)) == text


def test_writer_fills_only_unique_rows_and_leaves_other_bytes_unchanged():
    new, filled = fill_points(CLAIMS_TEXT, [unique_finding("cl-2025-08-01-koptieve")])
    assert filled == ["cl-2025-08-01-koptieve"]
    old_records, new_records = split_records(CLAIMS_TEXT), split_records(new)
    assert len(old_records) == len(new_records)
    header = old_records[0][0]
    changed_cols = {header.index(c) for c in ("latitude", "longitude", "geonames_id", "location_precision", "location_source")}
    for (old_f, old_end), (new_f, new_end) in zip(old_records, new_records):
        assert old_end == new_end  # CRLF kept, no newline added at the end
        assert len(new_f) == len(old_f) + 1  # katottg_code appended, nowhere else
        is_target = old_f[0] == "cl-2025-08-01-koptieve"
        for i, (a, b) in enumerate(zip(old_f, new_f)):
            if not (is_target and i in changed_cols):
                assert a == b, (old_f[0], header[i])
    target = dict(zip(header + ["katottg_code"], new_records[1][0]))
    assert target["latitude"] == "48.3812" and target["longitude"] == "37.365"
    assert target["location_precision"] == "exact" and target["location_source"] == "geonames-postal"
    assert target["geonames_id"] == "" and target["katottg_code"] == "UA14160270090076586"
    assert new_records[0][0][-1] == "katottg_code"
    # Dropping the appended column gives back the original file byte for byte, except the fills.
    rebuilt = "".join(",".join(f[:-1]) + end for f, end in new_records)
    assert rebuilt.replace("48.3812,37.365,,exact,geonames-postal", ",,,none,") == CLAIMS_TEXT


def test_writer_never_overwrites_a_curated_point():
    finding = unique_finding("cl-2025-08-01-vilne", GAZETTEER_CITIES, "999")
    new, filled = fill_points(CLAIMS_TEXT, [finding])
    assert filled == [] and new == CLAIMS_TEXT


def test_writer_records_geonames_id_for_cities500_and_reuses_an_existing_id_column():
    text = HEADER + ",katottg_code\n" + "cl-2025-08-01-koptieve,2025-08-01,captured,Koptieve,Koptevo,Donetsk,,,,none,,,,\n"
    new, filled = fill_points(text, [unique_finding("cl-2025-08-01-koptieve", GAZETTEER_CITIES, "705271")])
    row = split_records(new)[1][0]
    assert filled and row[8] == "705271" and row[10] == "geonames" and row[-1] == "UA14160270090076586"
    assert len(row) == len(split_records(text)[1][0])


def test_writer_ignores_ambiguous_findings():
    f = Finding("cl-2025-08-01-koptieve", "Koptieve", OBLAST, "ambiguous", "two namesakes")
    assert fill_points(CLAIMS_TEXT, [f]) == (CLAIMS_TEXT, [])


def test_write_points_on_a_file(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_bytes(CLAIMS_TEXT.encode("utf-8"))
    assert write_points(path, [unique_finding("cl-2025-08-01-koptieve")]) == ["cl-2025-08-01-koptieve"]
    assert path.read_bytes().count(b"\r\n") == CLAIMS_TEXT.count("\r\n")
    rows = read_claims(path)
    assert rows[0]["location_source"] == "geonames-postal" and rows[1]["latitude"] == "48.1"


def test_hints_fill_only_empty_columns(tmp_path):
    hints = tmp_path / "hints.csv"
    hints.write_text("claim_id,raion,hromada,basis\na,Volnovakha,,named\nb,Pokrovsk,,linked\n", encoding="utf-8")
    rows = apply_hints([{"claim_id": "a", "raion": ""}, {"claim_id": "b"}, {"claim_id": "c", "raion": "X"}], read_hints(hints))
    assert rows[0]["raion"] == "Volnovakha"
    assert "raion" not in rows[1]  # a proposal (basis linked) is not applied
    assert rows[2]["raion"] == "X"


def test_candidates_carry_distance_and_direction_to_the_date_centroid():
    index = build([settlement("Коптєве", "HA1", "UA14000000000000001")], [postal("Коптєве", 48.41, 37.32)])
    other = claim("Elsewhere", claim_id="cl-2025-08-01-elsewhere", latitude="48.30", longitude="37.32", location_precision="approximate")
    [f] = locate_claims([claim("Koptieve"), other], index, km_outside=inside_box, isolation_km=None)
    c = f.candidates[0]
    assert c.direction == "N" and 12.0 < c.km_to_centroid < 12.5
