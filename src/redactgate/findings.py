"""What detection produces: spans with offsets, never the matched text."""

from __future__ import annotations

from dataclasses import dataclass, replace

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
        return replace(self, start=self.start + offset, end=self.end + offset)

    def overlaps(self, other: "Finding") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Finding") -> bool:
        return self.start <= other.start and other.end <= self.end
