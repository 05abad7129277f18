"""What detection produces: spans with offsets, never the matched text."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, fields
from itertools import accumulate
from operator import attrgetter

# Rule id of the model's entities of types nobody asked for (places, organisations): guards for the
# name boosters, dropped by `detect` before anything is reported.
CONTEXT_RULE = "model-context"


@dataclass(frozen=True, order=True)
class Finding:
    start: int
    end: int
    entity_type: str
    score: float
    rule: str
    # Keyed id of the person/value this span belongs to (same id -> same placeholder number);
    # set by detect, never the value itself.
    group: str = ""

    def shifted(self, offset: int) -> "Finding":
        # the constructor, not `dataclasses.replace`: a third of the cost, called for most findings
        return Finding(self.start + offset, self.end + offset, self.entity_type, self.score, self.rule, self.group)

    def overlaps(self, other: "Finding") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Finding") -> bool:
        return self.start <= other.start and other.end <= self.end


_FIELDS = attrgetter(*(f.name for f in fields(Finding)))


def in_order(findings: Iterable[Finding]) -> list[Finding]:
    """`sorted(findings)` with the fields compared in C: the dataclass's `__lt__` builds two tuples in
    Python for every comparison (half a million of them for 1 MB of news)."""
    return sorted(findings, key=_FIELDS)


class SpanIndex:
    """Whether a span overlaps any of many, in log time: the spans sorted by start with the running
    maximum of their ends (one of those starting before a span's end reaches past its start)."""

    def __init__(self, spans: Iterable[Finding]) -> None:
        ordered = sorted((f.start, f.end) for f in spans)
        self._starts = [start for start, _ in ordered]
        self._reach = list(accumulate((end for _, end in ordered), max))

    def overlaps(self, span: Finding) -> bool:
        index = bisect_left(self._starts, span.end)
        return index > 0 and self._reach[index - 1] > span.start
