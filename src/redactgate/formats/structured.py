"""A structured document as the detector sees it: its segments joined into one text, and back.

Detection runs on one joined text per document (segments in order, each followed by its `sep`), so
the model has context (a CSV row reads as one line) and names propagate across segments. Findings
are then clipped to segment boundaries (a span never crosses into a separator or the next cell),
masked on the joined text so placeholder numbers are per document, and turned into per-segment edits.

Audit offsets for these files are in this joined-text coordinate; each finding also names its
segment's locator and its offsets inside that segment.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from ..errors import FileRefused
from ..findings import Finding
from ..mask import Masked
from ..verify import surviving_values
from . import Edit, Format, Segment

_SURROGATE = re.compile("[\ud800-\udfff]")
T = TypeVar("T")
R = TypeVar("R")


def join(segments: Sequence[Segment]) -> tuple[str, list[int]]:
    parts, starts, cursor = [], [], 0
    for segment in segments:
        starts.append(cursor)
        parts += [segment.text, segment.sep]
        cursor += len(segment.text) + len(segment.sep)
    return "".join(parts), starts


@dataclass(frozen=True)
class Located:
    locator: str
    start: int  # inside the segment
    end: int


class Structured:
    """One file of a structured format, extracted; built by `load`, rewritten by `render`."""

    def __init__(self, fmt: Format, data: bytes, fallbacks: Sequence[str] = ()) -> None:
        self.format = fmt
        self.fallbacks = tuple(fallbacks)
        self.document = _guarded(lambda d: fmt.read(d, self.fallbacks), data, f"malformed-{fmt.name}")
        self.segments = list(self.document.segments)
        self.text, self.starts = join(self.segments)
        self.encoding = fmt.name  # what the audit's `encoding` field shows for these files
        surrogate = _SURROGATE.search(self.text)
        if surrogate:  # spaCy crashes on lone surrogates, which would stop the whole batch
            raise FileRefused("undecodable", f"a lone surrogate at character {surrogate.start()} of the extracted text")

    def clip(self, findings: Sequence[Finding]) -> list[Finding]:
        """Each finding cut to the segments it covers; parts that fall on separators are dropped."""
        clipped = []
        for f in findings:
            first = max(bisect.bisect_right(self.starts, f.start) - 1, 0)
            for index in range(first, len(self.segments)):
                seg_start = self.starts[index]
                if seg_start >= f.end:
                    break
                start, end = max(f.start, seg_start), min(f.end, seg_start + len(self.segments[index].text))
                part = self._trimmed(replace(f, start=start, end=end), crosses=(start, end) != (f.start, f.end))
                if part is not None:
                    clipped.append(part)
        return sorted(clipped)

    def _trimmed(self, part: Finding, crosses: bool) -> Finding | None:
        """White space at a part's edges is not part of the value; and where the model ran a name
        across a separator, a piece without a letter ("Helen Marsh" + the next row's id) is not a name."""
        value = self.text[part.start:part.end]
        start = part.start + len(value) - len(value.lstrip())
        end = part.end - (len(value) - len(value.rstrip()))
        if start >= end or (crosses and part.entity_type == "PERSON" and not any(c.isalpha() for c in value)):
            return None
        return replace(part, start=start, end=end)

    def locate(self, start: int, end: int) -> Located:
        index = max(bisect.bisect_right(self.starts, start) - 1, 0)
        base = self.starts[index]
        return Located(self.segments[index].locator, start - base, end - base)

    def edits(self, masked: Masked) -> list[list[Edit]]:
        per_segment: list[list[Edit]] = [[] for _ in self.segments]
        for r in masked.replacements:
            index = max(bisect.bisect_right(self.starts, r.finding.start) - 1, 0)
            base = self.starts[index]
            new = masked.text[r.out_start:r.out_end]
            per_segment[index].append((r.finding.start - base, r.finding.end - base, new))
        return per_segment

    def render(self, masked: Masked, findings: Sequence[Finding]) -> bytes:
        """The rewritten file, after checking it parses again and no detected value survives in it."""
        output = _guarded(self.document.rebuild, self.edits(masked), "unsupported-format")
        try:
            again = _guarded(lambda d: self.format.read_back(d, self.fallbacks), output, "verify-failed")
        except FileRefused as refusal:
            raise FileRefused("verify-failed", f"the rewritten {self.format.name} does not parse again ({refusal.reason})") from None
        survivors = surviving_values(self.text, join(again.segments)[0], findings)
        if survivors:
            places = ", ".join(f"{f.start}-{f.end} ({f.entity_type})" for f in survivors)
            raise FileRefused("verify-failed", f"values detected at {places} survive in the rewritten {self.format.name}")
        return output


def _guarded(step: Callable[[T], R], arg: T, reason: str) -> R:
    """Run a format step; a library error (bad ZIP, broken XML ...) refuses the file instead of
    stopping the run. Only the exception's type is kept: its message may quote the document."""
    try:
        return step(arg)
    except FileRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - fail closed on anything a parser raises
        raise FileRefused(reason, f"{type(exc).__name__} while reading the file") from None
