"""Names for the gazetteer tool: oblast tables, matching thresholds, transliteration and name keys.

Cyrillic names are transliterated by Ukraine's national system of 2010 (Cabinet of Ministers
resolution 55); a strict key compares names letter for letter, a loose key merges the spelling
variants that Russian-based and older transliterations produce."""

from __future__ import annotations

import re
import unicodedata

SETTLEMENT_CLAIM_TYPES = ("captured", "liberated")
GAZETTEER_CITIES = "geonames"
GAZETTEER_POSTAL = "geonames-postal"
ID_COLUMN = "katottg_code"
POSTAL_ACCURACY_PLACE = 4.0

# Two gazetteer points closer than this are one settlement (cities500 and the postal file place
# the same village a few hundred metres apart).
CLUSTER_KM = 2.5
# Neighbour vote for a point's raion and hromada: how many neighbours, how far, what majority.
RAION_NEIGHBOURS, RAION_RADIUS_KM, RAION_MAJORITY = 7, 20.0, 0.7
HROMADA_NEIGHBOURS, HROMADA_RADIUS_KM, HROMADA_MAJORITY = 4, 8.0, 1.0
# Distance from a hromada's centre (the settlement it is named after) beyond which a point lies
# outside the hromada; doubled for a raion.
CENTRE_OUT_KM = 35.0
# hromada_fit: nearest neighbours that place a point in a hromada, and those that rule it out.
FIT_NEIGHBOURS, FIT_RADIUS_KM, FIT_MIN_VOTES, OUT_NEIGHBOURS = 4, 15.0, 2, 8
MIN_VOTES = 3
# A neighbour this close is the point itself (its own postal row), so it does not vote.
SELF_KM = 0.3

# Codifier categories of a settlement: city, settlement (selyshche), village. The codifier of
# 2024 has no "T" (urban-type settlement) rows any more; it is kept for older editions.
SETTLEMENT_CATEGORIES = frozenset("MTXC")

KM_PER_DEG = 111.2

# Project oblast name -> (codifier name of the oblast, cities500 admin1 code, postal-file state).
UKRAINE_OBLASTS: dict[str, tuple[str, str, str]] = {
    "Cherkasy": ("Черкаська", "01", "Cherkaska"),
    "Chernihiv": ("Чернігівська", "02", "Chernihivska"),
    "Chernivtsi": ("Чернівецька", "03", "Chernivetska"),
    "Dnipropetrovsk": ("Дніпропетровська", "04", "Dnipropetrovska"),
    "Donetsk": ("Донецька", "05", "Donetska"),
    "Ivano-Frankivsk": ("Івано-Франківська", "06", "Ivano-Frankivska"),
    "Kharkiv": ("Харківська", "07", "Kharkivska"),
    "Kherson": ("Херсонська", "08", "Khersonska"),
    "Khmelnytskyi": ("Хмельницька", "09", "Khmelnytska"),
    "Kirovohrad": ("Кіровоградська", "10", "Kirovohradska"),
    "Crimea": ("Автономна Республіка Крим", "11", ""),
    "Kyiv City": ("Київ", "12", "Kyiv"),
    "Kyiv": ("Київська", "13", "Kyivska"),
    "Luhansk": ("Луганська", "14", "Luhanska"),
    "Lviv": ("Львівська", "15", "Lvivska"),
    "Mykolaiv": ("Миколаївська", "16", "Mykolaivska"),
    "Odesa": ("Одеська", "17", "Odeska"),
    "Poltava": ("Полтавська", "18", "Poltavska"),
    "Rivne": ("Рівненська", "19", "Rivnenska"),
    "Sevastopol": ("Севастополь", "20", ""),
    "Sumy": ("Сумська", "21", "Sumska"),
    "Ternopil": ("Тернопільська", "22", "Ternopilska"),
    "Vinnytsia": ("Вінницька", "23", "Vinnytska"),
    "Volyn": ("Волинська", "24", "Volynska"),
    "Zakarpattia": ("Закарпатська", "25", "Zakarpatska"),
    "Zaporizhzhia": ("Запорізька", "26", "Zaporizka"),
    "Zhytomyr": ("Житомирська", "27", "Zhytomyrska"),
}
# Russian border regions that appear in claims: cities500 covers them, the codifier does not.
RUSSIA_REGIONS: dict[str, str] = {"Belgorod": "09", "Bryansk": "10", "Kursk": "41"}

_UK_BY_CODIFIER = {v[0]: k for k, v in UKRAINE_OBLASTS.items()}
_UK_BY_ADMIN1 = {v[1]: k for k, v in UKRAINE_OBLASTS.items()}
_UK_BY_POSTAL = {v[2]: k for k, v in UKRAINE_OBLASTS.items() if v[2]}
_RU_BY_ADMIN1 = {v: k for k, v in RUSSIA_REGIONS.items()}


# Ukrainian national transliteration (Cabinet of Ministers resolution 55 of 2010): the letters
# that differ at the start of a word are in _UK_INITIAL. Russian-only letters, which the old
# postal names sometimes carry, get their usual Latin forms.
# fmt: off
_UK_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia",
    "ы": "y", "э": "e", "ё": "io", "ъ": "",
}
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_RU_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}
# fmt: on
_APOSTROPHES = "'’ʼ`´ʹ‘\""
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_UK_ONLY = re.compile("[іїєґІЇЄҐ]")
_RU_ONLY = re.compile("[ыэъёЫЭЪЁ]")


def transliterate_uk(text: str) -> str:
    """Ukrainian Cyrillic to Latin by the national transliteration of 2010.

    Args:
        text: A name in Ukrainian Cyrillic (other characters pass through).

    Returns:
        The Latin spelling, capitalised as the input, apostrophes dropped.
    """
    out: list[str] = []
    at_start = True
    low = text.lower()
    for i, (ch, lo) in enumerate(zip(text, low)):
        if lo in _APOSTROPHES:
            continue  # the apostrophe is not transliterated, and does not start a word
        if lo == "г" and i > 0 and low[i - 1] == "з":
            latin = "gh"  # зг is "zgh", so it is not read back as ж
        elif at_start and lo in _UK_INITIAL:
            latin = _UK_INITIAL[lo]
        else:
            latin = _UK_LETTERS.get(lo, ch)
        if ch != lo and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
        at_start = not lo.isalpha()
    return "".join(out)


def transliterate_ru(text: str) -> str:
    """Russian Cyrillic to a plain Latin spelling (near BGN/PCGN), for matching only."""
    return "".join(_RU_LETTERS.get(c, c) for c in text.lower() if c not in _APOSTROPHES)


def strict_key(latin: str) -> str:
    """The spelling with case, diacritics, apostrophes, spaces and hyphens removed.

    Two names with the same strict key are the same name in the national transliteration.
    """
    decomposed = unicodedata.normalize("NFKD", latin.lower())
    return "".join(c for c in decomposed if "a" <= c <= "z")


# Applied in order: the soft vowels (ye/ie, ya/ia, yu/iu, yi/i, j/y) and Russian neuter/feminine
# endings (-oye, -aya) come out as one form, and y/i merge, because transliterations disagree on
# exactly these letters.
_LOOSE_STEPS = (
    (re.compile("j"), "y"),
    (re.compile("zhzh"), "zh"),
    (re.compile("(?:yy|iy|yi|ii)"), "i"),
    (re.compile("[yi]e"), "e"),
    (re.compile("[yi]a"), "a"),
    (re.compile("[yi]u"), "u"),
    (re.compile("[yi]o"), "o"),
    (re.compile("y"), "i"),
    (re.compile("oe$"), "e"),
    (re.compile("aa$"), "a"),
    (re.compile(r"(.)\1+"), r"\1"),
)


def loose_key(latin: str) -> str:
    """A key that also merges the usual variants of other transliterations.

    Handles ye/ie/e, ya/ia, yu/iu, yi/i/iy, j/y, y/i, -oye/-oe/-e (so -skoe = -ske), -aya,
    doubled letters, and diacritics. Used as a fallback and for Latin or Russian gazetteer names,
    never to count a settlement's namesakes when a strict match exists.
    """
    key = strict_key(latin)
    for pattern, repl in _LOOSE_STEPS:
        key = pattern.sub(repl, key)
    return key


def name_keys(name: str) -> tuple[str, str]:
    """Strict and loose keys of a name in Latin or Ukrainian Cyrillic."""
    latin = transliterate_uk(name) if _CYRILLIC.search(name) else name
    return strict_key(latin), loose_key(latin)


_ADMIN_WORDS = re.compile(
    r"\b(raion|rayon|district|hromada|hromady|community|territorial|municipality|urban|rural|"
    r"settlement|village|city|town|oblast|region|council|of|the|tg|otg|mtg|stg|sth)\b",
    re.IGNORECASE,
)
_ADMIN_SUFFIX = re.compile(r"(?:s|ts|z|c)?(?:kyi|kyy|kiy|kij|ky|ka|ke|koe|kaya)$")


def admin_stem(name: str) -> str:
    """The stem of a raion or hromada name: 'Pokrovskyi raion', 'Покровська' -> 'pokrov'."""
    latin = transliterate_uk(name) if _CYRILLIC.search(name) else name
    latin = _ADMIN_WORDS.sub(" ", latin)
    return _ADMIN_SUFFIX.sub("", strict_key(latin))


def admin_match_length(claimed: str, codifier_name: str) -> int:
    """How well a source's raion/hromada name fits a codifier name: 0 for no fit.

    Sources write the raion after its town ("Volnovakha district", "Polohy raion") or as the
    adjective the codifier uses ("Volnovaskyi"); the town and the adjective share a stem but may
    differ in their last letters (Volnovakha/Volnovaskyi, Polohy/Polohivskyi). The fit is the
    common prefix of the two stems, accepted when it covers all but at most three letters of the
    shorter stem and at least four letters.
    """
    a, b = admin_stem(claimed), admin_stem(codifier_name)
    if not a or not b:
        return 0
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return common if common >= 4 and common >= min(len(a), len(b)) - 3 else 0
