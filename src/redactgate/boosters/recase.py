"""Lines the model handles badly, re-cased for detection with offsets unchanged.

An ALL-CAPS line ("SAMPRAS BEATS IVANISEVIC") is title-cased; in an all-lowercase line (social
media) only words that are known names and not common English words get a capital, so the model
sees "met anna in paris" as "met Anna in paris". Only case changes that keep every character's
length are made, so an offset in the re-cased text is the same offset in the original.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import regex

from ..findings import Finding
from .lexicon import is_common_word, is_known_name

_LINE = regex.compile(r"[^\n]+")
_WORD = regex.compile(r"\p{L}[\p{L}'’]*")
Analyze = Callable[[Sequence[str]], list[list[Finding]]]


def recased_lines(text: str) -> list[tuple[int, str]]:
    """(offset, re-cased line) for each line whose case changed; only the lines go to the model
    again, so the cost is proportional to how much of the text is badly cased."""
    changed = []
    for line in _LINE.finditer(text):
        new = recase_line(line.group())
        if new != line.group() and len(new) == len(line.group()):
            changed.append((line.start(), new))
    return changed


def recase_line(line: str) -> str:
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 4:
        return line
    if all(c.isupper() for c in letters):
        return _WORD.sub(lambda m: m.group().capitalize(), line)
    if all(c.islower() for c in letters):
        return _WORD.sub(_capitalise_name, line)
    return line


def _capitalise_name(match: regex.Match) -> str:
    word = match.group()
    return word.capitalize() if len(word) > 2 and is_known_name(word) and not is_common_word(word) else word


def recased_persons(texts: Sequence[str], analyze: Analyze) -> list[list[Finding]]:
    """PERSON findings the model makes on the re-cased lines, in the original texts' offsets."""
    lines = [(index, offset, line) for index, text in enumerate(texts) for offset, line in recased_lines(text)]
    results: list[list[Finding]] = [[] for _ in texts]
    for (index, offset, _), found in zip(lines, analyze([line for _, _, line in lines])):
        results[index] += [f.shifted(offset) for f in found if f.entity_type == "PERSON"]
    return results
