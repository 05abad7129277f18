"""Segments that live in one source string: map segment offsets to source offsets and splice edits.

A segment's text may differ from its source (a quoted CSV cell, a JSON string with escapes, HTML
text with character references); `offsets[i]` is where the text's character i starts in the source
and `offsets[len(text)]` where the segment ends, so an edit replaces whole escape sequences.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import Edit


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    offsets: tuple[int, ...] | None = None  # None: the text is the source slice itself
    escape: Callable[[str], str] = str
    # Replace the whole source span with escape(new text) when any edit touches it (a JSON number
    # becomes a JSON string, never a half-number).
    whole: bool = False

    def source_offset(self, index: int) -> int:
        return self.start + index if self.offsets is None else self.offsets[index]


def identity(start: int, end: int, escape: Callable[[str], str] = str) -> Span:
    return Span(start, end, None, escape)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    parts, cursor = [], 0
    for start, end, new in sorted(edits):
        parts += [text[cursor:start], new]
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


def splice(source: str, spans: Sequence[Span], texts: Sequence[str], edits: Sequence[Sequence[Edit]]) -> str:
    """`source` with each segment's edits written into its span (spans must not overlap)."""
    changes: list[tuple[int, int, str]] = []
    for span, text, segment_edits in zip(spans, texts, edits):
        if not segment_edits:
            continue
        if span.whole:
            changes.append((span.start, span.end, span.escape(apply_edits(text, segment_edits))))
            continue
        for start, end, new in segment_edits:
            changes.append((span.source_offset(start), span.source_offset(end), span.escape(new)))
    return apply_edits(source, changes)


@dataclass
class TextDocument:
    """A text format (CSV, JSON, HTML): segments are slices of the decoded source, rewritten in place,
    so everything outside the detected values stays byte for byte (encoding, BOM, line endings)."""

    source: str
    segments: list  # list[Segment], parallel to spans
    spans: list[Span]
    encode: Callable[[str], bytes]

    def rebuild(self, edits: Sequence[Sequence[Edit]]) -> bytes:
        return self.encode(splice(self.source, self.spans, [s.text for s in self.segments], edits))
