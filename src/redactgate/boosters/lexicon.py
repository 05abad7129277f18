"""Given and family names from package-index data, and English word frequency to guard them.

Sources (installed packages, nothing fetched): `gender-guesser` (about 45,000 given names from
many countries, Jörg Michael's list), `names` (the US census 1990 lists: 88,799 family names and
5,494 given names), `wordfreq` (word frequencies). A name list alone would mask "Young", "Long" and
"May": every use here pairs membership with capitalisation and with the word being rare in English.
Loaded lazily, once per process (about 0.3 s), only when the lexicon or cue boosters are on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import cache
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path

import regex

from ..findings import Finding

RARE_ZIPF = 4.0  # below: a word seen less than about 10 times per million in English text
COMMON_ZIPF = 5.0  # at or above: function words and very common vocabulary ("The", "After")
PLACE_TYPES = frozenset({"LOCATION", "NRP"})  # a given-name pair inside one is a place ("Hong Kong")
GIVEN_ZIPF = 4.7  # given names are frequent "words" ("Jason" 4.5); "Mark" (5.1) and "Grace" stay out
PAIR_ZIPF = 5.5  # before a surname even "John" (5.4) counts; "will" and "may" (6+) never do


@cache
def given_names() -> frozenset[str]:
    return frozenset(_gender_guesser_names() | _census("dist.male.first") | _census("dist.female.first"))


def _gender_guesser_names() -> set[str]:
    """The names of `gender_guesser.detector.Detector().names` without a space, read straight from
    its data file: the detector also parses 50 country columns a line (0.3 s more per process)."""
    text = files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    names = set()
    for line in text.splitlines():  # as the detector's codecs reader splits them
        line = line.strip()
        if line and line[0] not in "#=":
            name = line.split(None, 2)[1]  # "+" joins parts: the detector keeps "AB", "A-B" and "A B"
            names.update({name.replace("+", ""), name.replace("+", "-")} if "+" in name else {name})
    return {name.casefold() for name in names}


@cache
def census_given_names() -> frozenset[str]:
    """The US census's 5,494 given names: common names, a stricter list than `given_names`."""
    return frozenset(_census("dist.male.first") | _census("dist.female.first"))


@cache
def family_names() -> frozenset[str]:
    return frozenset(_census("dist.all.last"))


def _census(name: str) -> set[str]:
    text = files("names").joinpath(name).read_text(encoding="ascii")
    return {line.split(None, 1)[0].casefold() for line in text.splitlines() if line.strip()}


@cache
def zipf(word: str) -> float:
    return _zipf_frequency()(word.casefold(), "en")


@cache
def _zipf_frequency() -> Callable[[str, str], float]:
    """`wordfreq.zipf_frequency`. At import wordfreq finds its data folder with `locate.this_dir()`,
    which reads the source of every frame on the call stack (`inspect.stack()`) only to learn the
    caller's file: 0.07 s of CPU at the depth of the first lookup, paid before the workers fork and
    in every `check`. During that import `this_dir` is given the answer it would find, the folder of
    the package (tested against the real one)."""
    spec = find_spec("wordfreq")
    try:
        import locate
    except ImportError:  # a wordfreq that finds its data another way
        locate = None
    this_dir = getattr(locate, "this_dir", None)
    if this_dir is not None and spec is not None and spec.submodule_search_locations:
        folder = Path(os.path.abspath(spec.submodule_search_locations[0]))
        locate.this_dir = lambda: folder
    try:
        from wordfreq import zipf_frequency
    finally:
        if this_dir is not None:
            locate.this_dir = this_dir
    return zipf_frequency


def is_rare_word(word: str) -> bool:
    return zipf(word) < RARE_ZIPF


def is_common_word(word: str) -> bool:
    return zipf(word) >= COMMON_ZIPF


def is_given_name(word: str) -> bool:
    return word.casefold() in given_names()


def is_family_name(word: str) -> bool:
    return word.casefold() in family_names()


def is_known_name(word: str) -> bool:
    return is_given_name(word) or is_family_name(word)


LEXICON_SCORE = 0.55
# a capitalised word, never the tail of one ("Cy" in "spaCy")
_TOKEN = regex.compile(r"(?<![\p{L}\p{N}_])\p{Lu}(?=[\p{L}'’\-]*\p{Ll})[\p{L}'’\-]*\p{L}(?![\p{L}\p{N}_])")


def find_lexicon_names(text: str, context: Sequence[Finding] = ()) -> list[Finding]:
    """Capitalised words that are known names and not everyday English words, not inside a place
    or organisation the model found; first in a sentence (where any word has a capital) only when
    the word is rare; and a known given name followed by a capitalised word."""
    found, words = [], list(_TOKEN.finditer(text))
    inside = _covered_starts(context)
    places = _covered_starts([c for c in context if c.entity_type in PLACE_TYPES])
    for index, m in enumerate(words):
        if (m.start() not in inside and not _is_credit(text, m.start(), m.end())
                and _is_lone_name(m.group(), _sentence_initial(text, m.start()))):
            found.append(Finding(m.start(), m.end(), "PERSON", LEXICON_SCORE, "lexicon-name"))
        nxt = words[index + 1] if index + 1 < len(words) else None
        if (nxt and text[m.end():nxt.start()] in (" ", "\t") and _is_pair(m.group(), nxt.group())
                and m.start() not in places and not _is_greeting(text, m)):
            found.append(Finding(m.start(), nxt.end(), "PERSON", LEXICON_SCORE, "lexicon-given-name"))
    return found


def _is_lone_name(word: str, sentence_initial: bool) -> bool:
    if sentence_initial:
        return is_given_name(word) and is_rare_word(word)
    # wordfreq counts names as words too: a given name is allowed to be more frequent
    return (is_given_name(word) and zipf(word) < GIVEN_ZIPF) or (is_family_name(word) and is_rare_word(word))


def _is_pair(first: str, second: str) -> bool:
    """"Given Family": a known given name that is not a function word ("will", "may"), then a
    capitalised word that is a family name or rare, and not an everyday word."""
    return is_given_name(first) and zipf(first) < PAIR_ZIPF and not is_common_word(second) and (
        is_family_name(second) or is_rare_word(second))


def _covered_starts(context: Sequence[Finding]) -> set[int]:
    return {i for c in context for i in range(c.start, c.end)}


def _is_greeting(text: str, match: regex.Match) -> bool:
    """First in a sentence, a frequent word that is also a given name is a greeting or a word
    ("Hi Helen", "Will Smith" at a line start stays to the model); mid-sentence it is a name."""
    return zipf(match.group()) >= GIVEN_ZIPF and _sentence_initial(text, match.start())


def _is_credit(text: str, start: int, end: int) -> bool:
    """"[Getty]", "[Reuters]": a lone word in square brackets is a picture or source credit."""
    return text[start - 1:start] == "[" and text[end:end + 1] == "]"


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"
