"""Literal values found as whole words, without compiling a pattern per document (issue 5).

Propagation and `verify` look for a document's own values (names, numbers) at every whole-word
occurrence. They used to compile `(?<!\\w)(?:v1|v2|...)(?!\\w)`, longest value first, once per
document and per check: compiling that alternation cost more CPU than every scan it served (0.6 of
12 s on 0.28 MB of news). `word_spans` gives the same spans: where a value occurs, the engine took
the first alternative, that is the longest value, that starts there with no word character on
either side; a plain search resumes after the match, an overlapped one at the next character.

A value that starts with a word character can only match at the start of a run of word characters,
and that run is then the value's own first run (a word character after it would break the match),
so one pass over the text's runs and a dictionary find them, however many values there are. With
few values, a `str.find` per value is cheaper than that pass (about 1 ns a character each against
120 ns a character for the pass).
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

_WORD_CHAR = regex.compile(r"\w")  # the same \w as the pattern's look-arounds
_WORD_RUN = regex.compile(r"\w+")
FIND_LIMIT = 64  # up to this many values, each is searched for on its own
PERIODIC_MIN = 256  # values at least this long are followed by their period (`_find_all`)


def _is_word_at(text: str, index: int) -> bool:
    return 0 <= index < len(text) and _WORD_CHAR.match(text, index) is not None


def word_spans(text: str, values: Iterable[str], overlapped: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each whole-word occurrence of the longest value starting there, in order;
    without `overlapped`, an occurrence that starts inside the previous one is skipped. Empty
    values are ignored (the pattern would match nothing useful with them)."""
    longest: dict[int, int] = {}  # start -> end of the longest value found there as a whole word
    by_first_run: dict[str, list[str]] = {}
    distinct = {v for v in values if v}
    for value in distinct:
        run = _WORD_RUN.match(value) if len(distinct) > FIND_LIMIT else None
        if run:
            by_first_run.setdefault(run.group(), []).append(value)
        else:
            _find_all(text, value, longest)
    if by_first_run:
        for run in _WORD_RUN.finditer(text):
            for value in by_first_run.get(run.group(), ()):
                _keep_if_whole(text, run.start(), value, longest)
    spans, cursor = [], 0
    for start in sorted(longest):
        if start >= cursor:
            spans.append((start, longest[start]))
            cursor = start + 1 if overlapped else longest[start]
    return spans


def _find_all(text: str, value: str, longest: dict[int, int]) -> None:
    """Every occurrence of `value`. A long value is followed along the text by its period: where it
    occurs at `start`, it occurs again one period on exactly when the text goes on with the
    value's last `period` characters, and nowhere in between (a closer one would be a shorter
    period). A long line that repeats one short unit, found as one name, is then read once, not
    once per repeat (80 KB of "Abc Abc ...": 3.9 s -> 1.8 s to screen)."""
    period = 0
    start = text.find(value)
    while start >= 0:
        _keep_if_word(text, start, start + len(value), longest)
        if len(value) >= PERIODIC_MIN:
            period = period or _period(value)
            tail = value[-period:]
            while text.startswith(tail, start + len(value)):
                start += period
                _keep_if_word(text, start, start + len(value), longest)
        start = text.find(value, start + 1)


def _period(value: str) -> int:
    """The smallest p with value[i] == value[i + p] throughout (Knuth-Morris-Pratt's border)."""
    border, k = [0] * len(value), 0
    for i in range(1, len(value)):
        while k and value[i] != value[k]:
            k = border[k - 1]
        if value[i] == value[k]:
            k += 1
        border[i] = k
    return len(value) - border[-1]


def _keep_if_word(text: str, start: int, end: int, longest: dict[int, int]) -> None:
    """An occurrence at start..end if it is a whole word there."""
    if end > longest.get(start, -1) and not _is_word_at(text, start - 1) and not _is_word_at(text, end):
        longest[start] = end


def _keep_if_whole(text: str, start: int, value: str, longest: dict[int, int]) -> None:
    """`value` at `start` if it is there as a whole word."""
    if text.startswith(value, start):
        _keep_if_word(text, start, start + len(value), longest)
