"""Appositions that only fit a person: an age ("Pellmarsh , 35 , denied") or a role after a comma
("Pellmarsh , the coach ,", "Pellmarsh , a former editor of"), part of the `cues` booster (issue 4).

The capitalised words before the comma become a PERSON span when they are no place, no everyday
English word and not first in a sentence unless rare. Rule id `cue-apposition`.
"""

from __future__ import annotations

import regex

from ..findings import Finding
from .cues import _ROLES
from .lexicon import _sentence_initial, is_common_word, is_rare_word
from .places import is_place

APPOSITION_RULE = "cue-apposition"
APPOSITION_SCORE = 0.6
_CAP = r"\p{Lu}[\p{L}'’\-]*\p{Ll}"
_LOWER_ROLES = "|".join(r for r in _ROLES.split("|") if r[:1].islower())
_APPOSITION = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}_.'’\-])({_CAP}(?:[ \t]+{_CAP}){{0,2}})[ \t]*,[ \t]*"
    rf"(?:[1-9]\d[ \t]*,|(?:the|a|an)[ \t]+(?:former[ \t]+|new[ \t]+|veteran[ \t]+)?(?:{_LOWER_ROLES})\b)")


def find_appositions(text: str) -> list[Finding]:
    found = []
    for match in _APPOSITION.finditer(text):
        words = match.group(1).split()
        if any(is_common_word(w) or is_place(w) for w in words) or is_place(match.group(1)):
            continue
        if _sentence_initial(text, match.start(1)) and len(words) == 1 and not is_rare_word(words[0]):
            continue
        found.append(Finding(match.start(1), match.end(1), "PERSON", APPOSITION_SCORE, APPOSITION_RULE))
    return found
