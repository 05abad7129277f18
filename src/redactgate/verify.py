"""Check a redacted text before it is written; any problem blocks the write (fail closed).

Two checks: no detected value survives anywhere in the output, and the pattern recognizers find
nothing in it (a splice can join digits into a new number). Messages give offsets, never values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .findings import Finding
from .normalize import normalize
from .wordmatch import word_spans

if TYPE_CHECKING:
    from .detect import Detector

MIN_SURVIVOR_CHARS = 3  # shorter values (initials) match too much ordinary text to be told apart


def surviving_values(original: str, redacted: str, findings: Sequence[Finding]) -> list[Finding]:
    """Findings whose exact value still occurs, as a whole word, in the redacted text."""
    values = _values(original, findings)
    if not values:
        return []
    # `overlapped` so a value inside another surviving one is reported too.
    survivors = {redacted[start:end] for start, end in word_spans(redacted, values, overlapped=True)}
    return [f for value, f in values.items() if value in survivors]


def _values(text: str, findings: Sequence[Finding]) -> dict[str, Finding]:
    """Each detected value long enough to be told apart, with the first finding of it."""
    values: dict[str, Finding] = {}
    for f in findings:
        value = text[f.start:f.end].strip()
        if len(value) >= MIN_SURVIVOR_CHARS:
            values.setdefault(value, f)
    return values


def every_occurrence(text: str, findings: Sequence[Finding]) -> list[Finding]:
    """Each detected value at every whole-word occurrence in the text, as `surviving_values` checks:
    a value found in one place and not in another (a title trimmed off one mention but spread to
    another, a word vetoed here and found there) would otherwise survive and fail the file."""
    values = _values(text, findings)
    if not values:
        return list(findings)
    spans = sorted((f.start, f.end) for f in findings)
    extra = []
    # Matches come in order, so one sweep: a match overlaps a finding exactly when some finding
    # starting before the match's end reaches past its start (linear, not matches x findings).
    index, reach = 0, -1
    for start, end in word_spans(text, values):
        while index < len(spans) and spans[index][0] < end:
            reach = max(reach, spans[index][1])
            index += 1
        if reach <= start:
            extra.append(replace(values[text[start:end]], start=start, end=end))
    return list(findings) + extra


def verify(original: str, redacted: str, findings: Sequence[Finding], detector: "Detector",
           ours: Sequence[tuple[int, int]] = ()) -> list[str]:
    return survivors(original, redacted, findings) + rescan(redacted, detector, ours)


def survivors(original: str, redacted: str, findings: Sequence[Finding]) -> list[str]:
    return [
        f"a value detected at {f.start}-{f.end} ({f.entity_type}) survives in the output"
        for f in surviving_values(original, redacted, findings)
    ]


def rescan(redacted: str, detector: "Detector", ours: Sequence[tuple[int, int]] = ()) -> list[str]:
    """`ours`: output spans the operators wrote. A pattern match wholly inside one is a surrogate,
    token or shifted date we made on purpose; one that reaches outside (a splice joining digits) counts.
    Re-scans what a reader sees: the normalised copy (zero-width splits, full-width digits), with its
    matches mapped back to output offsets so they compare with `ours`."""
    copy = normalize(redacted)
    found = []
    for f in detector.accepted(copy.text, detector.engine.scan_patterns(copy.text)):
        start, end = copy.span(f.start, f.end)
        if not any(s <= start and end <= e for s, e in ours):
            found.append(replace(f, start=start, end=end))
    return [f"pattern rule {f.rule} ({f.entity_type}) matches the output at {f.start}-{f.end}" for f in found]
