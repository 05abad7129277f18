"""List lines: in a comma- or semicolon-separated line-up where most items are names already found,
the other capitalised items are names too (issue 4).

"Given , Breen , Staunton , Irwin" with three of four found makes "Given" a name, a word the
model and the lexicon both pass over. Per line, after brackets are blanked out (substitutes and
minutes in `Name ( Other , 48 mins )`); an item may carry a shirt number or a label before it
(`14 - Name`, `Did not bat : Name`) and figures after it (`Name 7-0-29-0`). Places are never
peers; `structure` vetoes teams afterwards like any other PERSON span.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

import regex

from ..findings import Finding
from .joins import PARTICLES
from .places import is_place

PEER_RULE = "list-peer"
PEER_SCORE = 0.6
MIN_ITEMS = 3  # a list, not a pair
MIN_NAME_SHARE = 0.6  # most items already names

_LINE = regex.compile(r"[^\n]+")
_BRACKETS = regex.compile(r"\([^()\n]*\)")
_SEPARATOR = regex.compile(r"[,;]|[ \t]{4,}")  # a blanked-out bracket separates items too
_WORD = r"(?:\p{Lu}\.?(?:\p{Lu}\.)*[ \t]?\p{Lu}[\p{L}'’\-]*\p{L}|\p{Lu}[\p{L}'’\-]*\p{L})"
# the name inside an item: after any "label :" or "14 -", before figures
_CORE = regex.compile(
    rf"(?:^[ \t]*|[:\-][ \t]+)((?:{_WORD}|{PARTICLES})(?:[ \t]+(?:{_WORD}|{PARTICLES})){{0,3}})(?:[ \t]+[\d\-./]+)*[ \t.]*$")


def find_peers(text: str, findings: Sequence[Finding]) -> list[Finding]:
    persons = sorted((f.start, f.end) for f in findings if f.entity_type == "PERSON")
    found: list[Finding] = []
    for line in _LINE.finditer(text):
        blanked = _BRACKETS.sub(lambda m: " " * len(m.group()), line.group())
        items = [(line.start() + s, line.start() + e) for s, e in _items(blanked)]
        found += _peers(text, items, persons)
    return found


def _items(line: str) -> list[tuple[int, int]]:
    """(start, end) of each item's name core in the line; (0, 0) for an item without one."""
    items, start = [], 0
    for part, end in _parts(line):
        match = _CORE.search(part)
        items.append((start + match.start(1), start + match.end(1)) if match and part.strip() else (0, 0))
        start = end
    return items


def _parts(line: str) -> list[tuple[str, int]]:
    """Each separated part, with where the next one starts."""
    parts, start = [], 0
    for sep in _SEPARATOR.finditer(line):
        parts.append((line[start:sep.start()], sep.end()))
        start = sep.end()
    return parts + [(line[start:], len(line))]


def _peers(text: str, items: list[tuple[int, int]], persons: list[tuple[int, int]]) -> list[Finding]:
    cores = [(s, e) for s, e in items if e > s]
    if len(items) < MIN_ITEMS or len(cores) < MIN_ITEMS:
        return []
    named = [c for c in cores if _is_covered(c, persons)]
    if len(named) < 2 or len(named) < MIN_NAME_SHARE * len(cores):
        return []
    return [
        Finding(s, e, "PERSON", PEER_SCORE, PEER_RULE)
        for s, e in cores
        if (s, e) not in named and not is_place(text[s:e])
    ]


def _is_covered(core: tuple[int, int], persons: list[tuple[int, int]]) -> bool:
    """Some PERSON span lies inside the item's core (the model often finds part of a name).
    `persons` is sorted: only the spans starting inside the core are looked at."""
    for index in range(bisect_left(persons, (core[0],)), len(persons)):
        s, e = persons[index]
        if s > core[1]:  # and so is every later start (a span never ends before it starts)
            return False
        if e <= core[1]:
            return True
    return False
