"""Long texts in segments: cut at blank lines, detected with their neighbours as margins, and the
segments' findings merged back into the document's, region by region, in order.

`segments` cuts a text (given in pieces, so a streamed file is never whole in memory) into segments
of about `size` characters, at a blank line where there is one, else a line break, else white
space, each carrying up to `MARGIN` characters of its neighbours on both sides: a name or number
across a cut is seen whole by both segments. `Merger` takes each segment's findings in order and
gives back regions: once segment k's findings are in, every finding that starts before segment k is
known (its own segment's, or one seen across the cut from segment k's margin), so the document up
to there, extended to the end of any finding crossing it, is complete. Overlaps between the two
sides of a cut are resolved like any overlap (`resolve`: no character of either survives).

`screen.screen` detects a text longer than one segment this way (so `check`, `eval` and the Ray
datasets see what `redact` sees), and `stream.py` streams large files through the same segments.
Trade-off: a value is spread to its other mentions (`every_occurrence`, name propagation) within its
segment and margins, not across the whole text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import regex

from .findings import Finding
from .resolve import resolve

if TYPE_CHECKING:
    from .screen import Screened

MARGIN = 4_000  # characters of each neighbour detected with a segment
_BREAKS = (regex.compile(r"\n[ \t]*\n"), regex.compile(r"\n"), regex.compile(r"\s"))
_SPACE = regex.compile(r"\s")
_SPACE_BACK = regex.compile(r"\s", flags=regex.REVERSE)


def longest_segment(size: int) -> int:
    """The most characters a segment of `size` carries with its margins: longer texts are segmented."""
    return size + 2 * min(MARGIN, size // 4)


@dataclass(frozen=True)
class Segment:
    start: int  # the segment's own characters, in document offsets
    end: int
    offset: int  # document offset of `text[0]`
    text: str  # the segment with its margins

    @property
    def own(self) -> str:
        return self.text[self.start - self.offset:self.end - self.offset]


def segments(pieces: Iterable[str], size: int, margin: int = MARGIN) -> Iterator[Segment]:
    margin = min(margin, size // 4)  # a segment is always longer than the margins around it (`longest_segment`)
    pieces = iter(pieces)
    buffer, buffer_start, start, done = "", 0, 0, False
    while True:
        while not done and buffer_start + len(buffer) < start + size + margin:
            piece = next(pieces, None)
            done = piece is None
            buffer += piece or ""
        available = buffer_start + len(buffer)
        if start >= available:
            return
        end = available if done and available - start <= size else buffer_start + _cut(buffer, start - buffer_start, size)
        before = _word_edge(buffer, max(buffer_start, start - margin) - buffer_start, forward=True) + buffer_start
        after = _word_edge(buffer, min(available, end + margin) - buffer_start, forward=False) + buffer_start
        yield Segment(start, end, before, buffer[before - buffer_start:after - buffer_start])
        start = end
        drop = max(buffer_start, start - margin) - buffer_start
        buffer, buffer_start = buffer[drop:], buffer_start + drop


def _cut(buffer: str, start: int, size: int) -> int:
    """Where a segment starting at `start` ends: after the last blank line, else line break, else
    white space in its last quarter; a hard cut only in text with none of them."""
    low, high = start + size * 3 // 4, start + size
    for pattern in _BREAKS:
        last = None
        for last in pattern.finditer(buffer, low, high):
            pass
        if last is not None:
            return last.end()
    return high


def _word_edge(buffer: str, index: int, forward: bool) -> int:
    """`index` moved to white space (forward for a margin's start, back for its end), within 64
    characters, so the model never sees a word cut in half at a margin's edge."""
    if forward:
        found = _SPACE.search(buffer, index, index + 64)
        return found.end() if found and index > 0 else index
    found = _SPACE_BACK.search(buffer, max(0, index - 64), index)
    return found.start() if found and index < len(buffer) else index


class Merger:
    """The document's findings from its segments' findings, one region at a time, in order."""

    def __init__(self) -> None:
        self.done = 0  # document offset: every finding before it has been given out
        self._pending: list[Finding] = []
        self.mixed_script: list[tuple[int, int]] = []

    def add(self, segment: Segment, screened: "Screened") -> tuple[int, list[Finding]]:
        """Segment k's findings in; out: the region from `done` to where every finding is known
        (its end), with its findings, resolved, in document offsets."""
        found = [f.shifted(segment.offset) for f in screened.findings]
        self._pending += [f for f in found if segment.start <= f.start < segment.end or f.start < segment.start < f.end]
        self.mixed_script += [(s + segment.offset, e + segment.offset) for s, e in screened.mixed_script
                              if segment.start <= s + segment.offset < segment.end]
        return self._region(segment.start)

    def finish(self, length: int) -> tuple[int, list[Finding]]:
        return self._region(length)

    def _region(self, until: int) -> tuple[int, list[Finding]]:
        self._pending.sort()
        end, region = until, []
        for f in self._pending:
            if f.start >= end:
                break
            end = max(end, f.end)
            region.append(f)
        self._pending = self._pending[len(region):]
        # a finding from the next segment's margin that reaches into a region already given out
        # keeps only its new part
        region = resolve(replace(f, start=max(f.start, self.done)) for f in region if f.end > self.done)
        self.done = max(self.done, end)
        return self.done, region
