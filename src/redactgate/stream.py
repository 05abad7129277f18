"""Files too large to hold: read, detected and written one segment at a time, memory bounded by the
segment size rather than the file size.

A plain-text file over `limits.segment_chars` bytes is decoded piece by piece (`load.open_stream`,
which validates the whole file first, so an undecodable byte anywhere refuses it before any output)
and cut into `segments.segments`; the workers detect each (`screen.screen`: normalised copy,
encoded runs, boosters, propagation). The caller merges their findings in order (`segments.Merger`)
and masks each region as soon as it is complete, one segment behind detection: masked, checked by
`verify` (together with the end of the previous output, so a splice at the boundary is checked
too), encoded and appended to the temp output. The audit's finding records go to a spill file and
join the log after the file record; placeholder numbers are the document's across segments.

Trade-off (as for any text longer than a segment): a value is spread to its other mentions within
its segment and margins, not across the whole file, and `verify` checks each region's own values.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .discover import RESERVED, Source
from .errors import FileRefused
from .load import TextStream, open_stream
from .mask import Replacement, mask_text
from .numbering import Numbering
from .segments import Merger, Segment, segments
from .verify import rescan, survivors
from .write import AtomicFile

if TYPE_CHECKING:
    from .findings import Finding
    from .pipeline import Outcome, Processor
    from .screen import Screened

VERIFY_TAIL = 256  # characters of the previous output re-scanned with the next region

Screener = Callable[[Iterable[tuple["Segment", str]]], Iterator[tuple["Segment", "Screened"]]]


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
        outcome.mixed_script, outcome.pending, outcome.spill = writer.merger.mixed_script, output, spill
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
        self.merger = Merger()
        self.text, self.start = "", 0  # the document from `start` (all before it is written) on
        self.written = 0  # characters of output so far
        self.tail, self.tail_ours = "", []  # end of the previous output, and our replacements in it
        self.counts: dict[str, int] = {}
        self.digest = processor.key.digester()

    def add(self, segment: Segment, screened: "Screened") -> None:
        self.text += segment.own
        self._write(*self.merger.add(segment, screened))

    def finish(self) -> None:
        self._write(*self.merger.finish(self.start + len(self.text)))

    def _write(self, end: int, region: list["Finding"]) -> None:
        if end <= self.start:
            return
        text = self.text[:end - self.start]
        local = [f.shifted(-self.start) for f in region]
        config, key = self.processor.config, self.processor.key
        masked = mask_text(text, local, config, key, self.doc_id, self.numbering)
        ours = [(r.out_start, r.out_end) for r in masked.replacements]
        # values: in this region's output (spreading them across regions is the trade-off named
        # above); patterns: with the end of the previous output, for a splice at the boundary
        lead = len(self.tail)
        problems = survivors(text, masked.text, local) + rescan(
            self.tail + masked.text, self.processor.detector, self.tail_ours + [(s + lead, e + lead) for s, e in ours])
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
        spill.unlink(missing_ok=True)
