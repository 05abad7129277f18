"""How CSV cells are shown to the detector: each cell alone vs each row joined into one line.

Prints, for each layout, which cells of a CSV file get a PERSON span that covers the whole cell,
partly, or spills over (the id column swallowed), plus other-entity findings and the time. Run:
    .venv/bin/python benchmarks/csv_context.py examples/exports/customers.csv
"""

from __future__ import annotations

import sys
import time
from pathlib import Path, PurePosixPath

from redactgate.config import Config
from redactgate.formats import Segment, select_format
from redactgate.formats.structured import join
from redactgate.keys import RunKey
from redactgate.pipeline import Processor


def cells_hit(segments: list[Segment], text: str, starts: list[int], findings: list) -> dict[str, str]:
    hits = {}
    for seg, start in zip(segments, starts):
        end = start + len(seg.text)
        for f in findings:
            if f.entity_type == "PERSON" and f.start < end and start < f.end:
                whole = f.start <= start and f.end >= end
                spill = f.start < start or f.end > end
                hits[seg.locator] = "spills over" if spill else ("whole" if whole else "part")
    return hits


def run(path: Path) -> None:
    processor = Processor(Config(), RunKey(b"bench", "bench"))
    data = path.read_bytes()
    document = select_format(PurePosixPath(path.name), data).extract(data)
    segments = list(document.segments)
    processor.detector.detect(["Warm-up text for Ada Lovelace."])  # first call pays spaCy's set-up
    raw = document.source
    began = time.perf_counter()
    starts = [span.start for span in document.spans]
    hits = cells_hit([Segment(raw[sp.start:sp.end], s.locator) for s, sp in zip(segments, document.spans)],
                     raw, starts, processor.detector.detect([raw])[0])
    print(f"plain text (the file as it is, main today): {len(hits)} cells with PERSON ({time.perf_counter() - began:.2f} s)")
    for locator, kind in sorted(hits.items()):
        print(f"    {locator}: {kind}")
    layouts = {
        "per cell (one text per cell)": None,
        "row joined with ', '": ", ",
        "row joined with ' | '": " | ",
        "row joined with tab": "\t",
    }
    for name, sep in layouts.items():
        began = time.perf_counter()
        if sep is None:
            found = processor.detector.detect([s.text for s in segments])
            hits = {s.locator: "whole" for s, f in zip(segments, found)
                    if any(x.entity_type == "PERSON" and x.start == 0 and x.end >= len(s.text) for x in f)}
            hits |= {s.locator: "part" for s, f in zip(segments, found)
                     if s.locator not in hits and any(x.entity_type == "PERSON" for x in f)}
        else:
            laid = [Segment(s.text, s.locator, "\n" if s.sep == "\n" else sep) for s in segments]
            text, starts = join(laid)
            hits = cells_hit(laid, text, starts, processor.detector.detect([text])[0])
        elapsed = time.perf_counter() - began
        print(f"{name}: {len(hits)} cells with PERSON ({elapsed:.2f} s)")
        for locator, kind in sorted(hits.items()):
            print(f"    {locator}: {kind}")


if __name__ == "__main__":
    run(Path(sys.argv[1]))
