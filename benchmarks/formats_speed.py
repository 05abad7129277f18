"""Cost of the structured-format path against the plain-text path, in the same run on the same bytes.

Generates fake exports (fictional names, example.com, 555-01xx), redacts each one in-process once
as its format (.csv, .json, .html) and once named .txt (the plain-text path: the baseline), and
prints MB/s and the ratio; then the format code alone (extract, join, rebuild every segment,
read back), which is what the structured path adds besides detecting on a different text.
Run: .venv/bin/python benchmarks/formats_speed.py [ROWS]   (default 100: Presidio's context
enhancer is quadratic in a chunk's entity count, so dense exports are slow on both paths)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

from redactgate.config import Config
from redactgate.discover import Source
from redactgate.formats import select_format
from redactgate.formats.structured import join
from redactgate.keys import RunKey
from redactgate.pipeline import Processor

FIRST = ["Sofia", "Oliver", "Helen", "Rajesh", "Chen", "Fatima", "Liam", "Amara", "Jonas", "Priya"]
LAST = ["Alvarez", "Brennan", "Marsh", "Kumar", "Wei", "Benali", "O'Connell", "Okafor", "Lindqvist", "Raman"]


def rows(count: int) -> list[dict[str, str]]:
    return [
        {"id": str(1000 + i), "name": f"{FIRST[i % 10]} {LAST[(i * 7) % 10]}",
         "email": f"{FIRST[i % 10].lower()}.{i}@example.com", "phone": f"+1 415 555 01{i % 100:02d}",
         "note": f"Renewal call with {FIRST[i % 10]} about plan {i % 3}."}
        for i in range(count)
    ]


def exports(count: int) -> dict[str, bytes]:
    data = rows(count)
    header = ",".join(data[0])
    csv = "\n".join([header] + [",".join(f'"{v}"' if "," in v else v for v in r.values()) for r in data]) + "\n"
    html = "<table>\n" + "".join(
        "<tr>" + "".join(f"<td>{v}</td>" for v in r.values()) + "</tr>\n" for r in data) + "</table>\n"
    return {"csv": csv.encode(), "json": json.dumps(data, indent=1).encode(), "html": html.encode()}


def timed(processor: Processor, path: Path, rel: str) -> float:
    began = time.perf_counter()
    [outcome] = processor.process([Source(PurePosixPath(rel), path)], rewrite=True)
    elapsed = time.perf_counter() - began
    if not outcome.ok:
        raise SystemExit(f"{rel}: {outcome.reason} {outcome.detail}")
    return elapsed


def format_only(name: str, data: bytes) -> float:
    fmt = select_format(PurePosixPath(f"x.{name}"), data)
    began = time.perf_counter()
    document = fmt.extract(data)
    join(document.segments)
    # every value replaced (not JSON keys: all keys alike would be duplicates, which read-back refuses)
    output = document.rebuild([[(0, len(s.text), "<X_1>")] if s.text and not s.locator.endswith("~key") else []
                               for s in document.segments])
    fmt.read_back(output)
    return time.perf_counter() - began


def main(count: int) -> None:
    processor = Processor(Config(), RunKey(b"bench-key", "bench"))
    processor.detector.detect(["Warm-up for Ada Lovelace."])
    with tempfile.TemporaryDirectory() as folder:
        for name, data in exports(count).items():
            path = Path(folder) / f"export.{name}"
            path.write_bytes(data)
            plain = timed(processor, path, "export.txt")
            structured = timed(processor, path, f"export.{name}")
            mb = len(data) / 1e6
            print(f"{name:5} {len(data) / 1024:7.0f} KiB  plain text {mb / plain:7.4f} MB/s  "
                  f"as {name} {mb / structured:7.4f} MB/s  time ratio {structured / plain:5.2f}x  "
                  f"format code alone {mb / format_only(name, data):6.2f} MB/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
