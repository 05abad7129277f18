"""Countries, their regions and demonyms from `pycountry` (ISO 3166 and ISO 639 data, installed,
nothing fetched): a PERSON span whose whole value is one of these is a place or a people, not a
person ("Sri Lanka beat ...", "the Kenyan", "Name ( Country )"). Regions that are also given or
family names ("Paul", "Rivera") are left out; countries are not ("Chad", "Jordan": see `structure`
for how a document that uses one as a surname keeps it).

Demonyms are not in ISO data; the forms English builds from a country name ("Kenya" -> "Kenyan",
"Italy" -> "Italian", "Japan" -> "Japanese") are generated and kept only when English uses them as
words (`wordfreq`), and ISO 639-1 language names ("French", "Tajik") cover most of the rest.
Loaded lazily, once per process.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from .lexicon import is_known_name, zipf

DEMONYM_ZIPF = 2.5  # a generated form English actually uses ("Kenyan" 3.6); "Chinan" is not a word


@cache
def place_words() -> frozenset[str]:
    import pycountry

    countries = {n for c in pycountry.countries for n in _country_names(c)}
    # a region that is also a given or family name ("Paul", "Rivera", "Kent") stays a possible name
    regions = {_fold(s.name) for s in pycountry.subdivisions if "," not in s.name and "(" not in s.name}
    regions = {r for r in regions if " " in r or not is_known_name(r)}  # "Loṙi" is "Lori" too
    languages = {l.name for l in pycountry.languages if hasattr(l, "alpha_2") and " " not in l.name}
    words = countries | regions | languages | {d for c in countries for d in _demonyms(c)}
    return frozenset(_fold(w) for w in words)


def _country_names(country: object) -> set[str]:
    names = {getattr(country, key, "") for key in ("name", "common_name", "official_name")}
    # "Korea, Republic of" -> "Korea"
    return {n.split(",")[0] for n in names if n and "(" not in n}


def _demonyms(country: str) -> set[str]:
    stem = country[:-1] if country[-1:] in "aeiouy" else country
    forms = {country + "n", stem + "an", stem + "ian", stem + "ese", stem + "i", stem + "ish"}
    forms |= {f + "s" for f in forms}
    return {f for f in forms if zipf(f) >= DEMONYM_ZIPF and not is_known_name(f)}  # not "Franci"+"s"


def _fold(value: str) -> str:
    """Case and accents folded ("Åland" -> "aland"), white space collapsed."""
    decomposed = unicodedata.normalize("NFKD", value)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


@cache
def is_place(value: str) -> bool:
    return _fold(value) in place_words()
