"""Files too large to hold: read, detected and written one segment at a time, memory bounded by the
segment size rather than the file size.

A plain-text file over `limits.segment_chars` bytes is decoded piece by piece (`load.open_stream`,
which validates the whole file first, so an undecodable byte anywhere refuses it before any output)
and cut into segments of about that many characters, at a blank line where there is one, else a
line break, else white space. Each segment goes to detection (`screen.screen`, the same path as a
whole file: normalised copy, encoded runs, boosters, propagation) with up to `MARGIN` characters of
its neighbours on both sides, so a name or number across a cut is seen whole by both segments.

The caller masks in order, one segment behind detection: once segment k's findings are in, every
finding that starts before segment k is known (its own segment's, or one seen across the cut from
segment k's margin), so the text up to there, extended to the end of any finding that crosses it,
is masked, checked by `verify` (together with the end of the previous output, so a splice at the
boundary is checked too), encoded and appended to the temp output. The audit's finding records go
to a spill file and join the log after the file record; placeholder numbers are the document's
across segments.

Trade-off: a value is spread to its other mentions (`every_occurrence`, name propagation) within its
segment and margins, not across the whole file, and `verify` checks each region's own values.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import regex

from .discover import RESERVED, Source
from .errors import FileRefused
from .findings import Finding
from .load import TextStream, open_stream
from .mask import Replacement, mask_text
from .numbering import Numbering
from .resolve import resolve
from .verify import verify
from .write import AtomicFile

if TYPE_CHECKING:
    from .pipeline import Outcome, Processor
    from .screen import Screened

MARGIN = 4_000  # characters of each neighbour detected with a segment
VERIFY_TAIL = 256  # characters of the previous output re-scanned with the next region
_BREAKS = (regex.compile(r"\n[ \t]*\n"), regex.compile(r"\n"), regex.compile(r"\s"))

Screener = Callable[[Iterable[tuple["Segment", str]]], Iterator[tuple["Segment", "Screened"]]]


@dataclass(frozen=True)
class Segment:
    start: int  # the segment's own characters, in document offsets
    end: int
    offset: int  # document offset of `text[0]`
    text: str  # the segment with its margins

    @property
    def own(self) -> str:
        return self.text[self.start - self.offset:self.end - self.offset]


def is_streamed(source: Source, segment_chars: int) -> bool:
    """Plain text over one segment (structured formats are read whole)."""
    from .formats import select_format

    try:
        if source.path.stat().st_size <= segment_chars:
            return False
        with open(source.path, "rb") as handle:
            head = handle.read(64)
    except OSError:
        return False  # the whole-file path reports it
    return select_format(source.rel, head) is None


def segments(pieces: Iterable[str], size: int, margin: int = MARGIN) -> Iterator[Segment]:
    margin = min(margin, size // 4)  # a segment is always longer than the margins around it
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
        found = regex.compile(r"\s").search(buffer, index, index + 64)
        return found.end() if found and index > 0 else index
    found = regex.compile(r"\s", flags=regex.REVERSE).search(buffer, max(0, index - 64), index)
    return found.start() if found and index < len(buffer) else index


def redact_file(processor: "Processor", screen: Screener, source: Source, out: Path,
                numbering: Numbering | None) -> "Outcome":
    """One streamed file, its output left uncommitted in `outcome.pending` (the caller renames it
    in input order) and its finding records in `outcome.spill`; any failure refuses the file and
    leaves no output."""
    from .pipeline import Outcome

    outcome = Outcome(source.rel, source.path)
    limits = processor.config.limits
    output: AtomicFile | None = None
    spill: Path | None = None
    try:
        stream = open_stream(source.path, processor.config.fallback_encodings, limits.max_file_bytes)
        output = AtomicFile(out, source.rel)
        spill = out / RESERVED / f".{secrets.token_hex(8)}.spill.redactgate-tmp"
        with open(spill, "x", encoding="utf-8") as records:
            writer = _Regions(processor, stream, source, output, records, numbering or Numbering())
            digest = processor.key.digester()
            found = screen((s, s.text) for s in segments(stream.pieces(digest.update), limits.segment_chars))
            for segment, screened in found:
                writer.add(segment, screened)
            writer.finish()
        outcome.encoding, outcome.input_digest = stream.encoding, digest.hexdigest()
        outcome.output_digest, outcome.counts = writer.digest.hexdigest(), writer.counts
        outcome.mixed_script, outcome.pending, outcome.spill = writer.mixed_script, output, spill
        return outcome
    except FileRefused as refusal:
        outcome.refuse(refusal)
    except BrokenProcessPool:
        outcome.refuse(FileRefused("worker-failed", "a worker process ended unexpectedly"))
    except Exception as exc:  # noqa: BLE001 - the message may quote document text: type name only
        outcome.refuse(FileRefused("internal-error", type(exc).__name__))
    if output is not None:
        output.discard()
    if spill is not None:
        spill.unlink(missing_ok=True)
    return outcome


class _Regions:
    """Masks, checks and writes the document region by region, in order."""

    def __init__(self, processor: "Processor", stream: TextStream, source: Source, output: AtomicFile,
                 records: TextIO, numbering: Numbering) -> None:
        self.processor, self.stream, self.output, self.records = processor, stream, output, records
        self.doc_id = source.rel.as_posix()
        self.numbering = numbering
        self.text, self.start = "", 0  # the document from `start` (all before it is written) on
        self.written = 0  # characters of output so far
        self.tail, self.tail_ours = "", []  # end of the previous output, and our replacements in it
        self.pending: list[Finding] = []
        self.mixed_script: list[tuple[int, int]] = []
        self.counts: dict[str, int] = {}
        self.digest = processor.key.digester()

    def add(self, segment: Segment, screened: "Screened") -> None:
        found = [f.shifted(segment.offset) for f in screened.findings]
        self.pending += [f for f in found if segment.start <= f.start < segment.end or f.start < segment.start < f.end]
        self.mixed_script += [(s + segment.offset, e + segment.offset) for s, e in screened.mixed_script
                              if segment.start <= s + segment.offset < segment.end]
        self.text += segment.own
        self._flush(segment.start)

    def finish(self) -> None:
        self._flush(self.start + len(self.text))

    def _flush(self, until: int) -> None:
        """Write the document up to `until`, extended to the end of any finding crossing it."""
        self.pending.sort()
        end, region = until, []
        for f in self.pending:
            if f.start >= end:
                break
            end = max(end, f.end)
            region.append(f)
        self.pending = self.pending[len(region):]
        if end <= self.start:
            return
        # a finding from the next segment's margin that reaches into what is written keeps only its new part
        region = resolve(replace(f, start=max(f.start, self.start)) for f in region if f.end > self.start)
        text = self.text[:end - self.start]
        local = [f.shifted(-self.start) for f in region]
        config, key = self.processor.config, self.processor.key
        masked = mask_text(text, local, config, key, self.doc_id, self.numbering)
        ours = [(r.out_start, r.out_end) for r in masked.replacements]
        lead = len(self.tail)
        problems = verify(text, self.tail + masked.text, local, self.processor.detector,
                          self.tail_ours + [(s + lead, e + lead) for s, e in ours])
        if problems:
            # region offsets in the messages: say where the region starts in the document
            raise FileRefused("verify-failed", f"in the region from character {self.start}: " + "; ".join(problems))
        data = self.stream.encode(masked.text, self.written)
        self.output.write(data)
        self.digest.update(data)
        from .pipeline import finding_record

        for r in masked.replacements:
            shifted = Replacement(r.finding.shifted(self.start), r.operator,
                                  r.out_start + self.written, r.out_end + self.written)
            self.records.write(json.dumps(finding_record(self.doc_id, shifted)) + "\n")
            self.counts[r.finding.entity_type] = self.counts.get(r.finding.entity_type, 0) + 1
        self._keep_tail(masked.text, ours)
        self.written += len(masked.text)
        self.text, self.start = self.text[end - self.start:], end

    def _keep_tail(self, output: str, ours: list[tuple[int, int]]) -> None:
        joined = self.tail + output
        cut = max(0, len(joined) - VERIFY_TAIL)
        spans = self.tail_ours + [(s + len(self.tail), e + len(self.tail)) for s, e in ours]
        self.tail = joined[cut:]
        self.tail_ours = [(max(s, cut) - cut, e - cut) for s, e in spans if e > cut]


def spilled_records(spill: Path) -> Iterator[dict]:
    with open(spill, encoding="utf-8") as records:
        for line in records:
            yield json.loads(line)


def remove_spill(spill: Path | None) -> None:
    if spill is not None:
        try:
            os.unlink(spill)
        except FileNotFoundError:
            pass
