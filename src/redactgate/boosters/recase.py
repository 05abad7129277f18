"""Lines the model handles badly, re-cased for detection with offsets unchanged.

In an ALL-CAPS line ("SAMPRAS BEATS IVANISEVIC") or an all-lowercase one (social media), words
that are known names and not common English words get a capital and the rest goes lower case, so
the model sees "Sampras beats Ivanisevic" and "met Anna in paris". Only case changes that keep every character's
length are made, so an offset in the re-cased text is the same offset in the original.

An ALL-CAPS line is re-cased in place: the model reads the re-cased line instead of the original, in
its one pass over the text. A lower-case or mixed line is read twice, as it is (in the text) and
re-cased (on its own), and the names found in the second reading are added: reading only the
re-cased form lost names there (WNUT dev PERSON token recall 0.705 -> 0.695), while reading only
the re-cased ALL-CAPS lines left recall on CoNLL, WNUT and the synthetic set unchanged and saves
the model a second pass over them (half the re-cased text of news, issue 5).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from ..findings import Finding
from .lexicon import is_common_word, is_given_name, is_known_name, is_rare_word

_LINE = regex.compile(r"[^\n]+")
_WORD = regex.compile(r"\p{L}[\p{L}'’]*")
_LOWER_WORD = regex.compile(r"(?<![\p{L}@#_/.])\p{Ll}[\p{Ll}'’]*(?![\p{L}_/@])")
Analyze = Callable[[Sequence[str]], list[list[Finding]]]


@dataclass(frozen=True)
class Recasing:
    """What the model reads for one text: `view` (the text with its ALL-CAPS lines re-cased in
    place, same length) and `again` ((offset, re-cased line) for the other re-cased lines)."""

    view: str
    again: list[tuple[int, str]]


def recasing(text: str) -> Recasing:
    caps: list[tuple[int, str]] = []
    again: list[tuple[int, str]] = []
    for offset, line in recased_lines(text):
        original = text[offset:offset + len(line)]
        (caps if not any(c.islower() for c in original) else again).append((offset, line))
    return Recasing(_spliced(text, caps) if caps else text, again)


def _spliced(text: str, lines: Sequence[tuple[int, str]]) -> str:
    parts, cursor = [], 0
    for offset, line in lines:
        parts += [text[cursor:offset], line]
        cursor = offset + len(line)
    parts.append(text[cursor:])
    return "".join(parts)


def recased_lines(text: str) -> list[tuple[int, str]]:
    """(offset, re-cased line) for each line whose case changed and that has a capital left (a
    known name); only these lines are read re-cased, so the cost is proportional to how much
    of the text is badly cased. A line re-cased to all lower case ("soccer - league results") gave
    the model no name to find: leaving them out kept recall on CoNLL, WNUT and the synthetic set
    and dropped a few false names (issue 5)."""
    changed = []
    for line in _LINE.finditer(text):
        new = recase_line(line.group())
        if new != line.group() and len(new) == len(line.group()) and any(c.isupper() for c in new):
            changed.append((line.start(), new))
    return changed


def recase_line(line: str) -> str:
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 4:
        return line
    if all(c.isupper() for c in letters) or all(c.islower() for c in letters):
        return _WORD.sub(_truecase, line)
    return _LOWER_WORD.sub(_capitalise_name, line)  # "met sabine today" in mixed-case lines


def _capitalise_name(match: regex.Match) -> str:
    """Stricter than for a wholly lower-case line: a given name that is a rare word."""
    word = match.group()
    return word.capitalize() if len(word) > 2 and is_given_name(word) and is_rare_word(word) else word


def _truecase(match: regex.Match) -> str:
    """Known names that are not everyday words get a capital, everything else lower case: title-
    casing a whole headline makes the model see names everywhere ("Bat", "Qualifier")."""
    word = match.group()
    return word.capitalize() if _is_name_like(word) else word.lower()


def _is_name_like(word: str) -> bool:
    return len(word) > 2 and is_known_name(word) and not is_common_word(word)


def recased_persons(recasings: Sequence[Recasing], analyze: Analyze) -> list[list[Finding]]:
    """PERSON findings the model makes on the lines read again, in the original texts' offsets."""
    lines = [(index, offset, line) for index, r in enumerate(recasings) for offset, line in r.again]
    results: list[list[Finding]] = [[] for _ in recasings]
    for (index, offset, _), found in zip(lines, analyze([line for _, _, line in lines])):
        results[index] += [f.shifted(offset) for f in found if f.entity_type == "PERSON"]
    return results
