"""Small helpers shared by tests (no fixtures here)."""

from __future__ import annotations

import json
from pathlib import Path


def read_audit(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="ascii").splitlines()]


def findings_of(audit: list[dict], rel: str) -> list[dict]:
    return [r for r in audit if r["type"] == "finding" and r["path"] == rel]


def outside_spans(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The pieces of `text` between the given sorted spans."""
    pieces, cursor = [], 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        cursor = end
    pieces.append(text[cursor:])
    return pieces


def all_output_text(*paths: Path) -> str:
    """Everything the tool wrote under the given files/folders, as one string."""
    chunks = []
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        chunks += [f.read_bytes().decode("utf-8", errors="replace") for f in files]
    return "\n".join(chunks)


def value_pattern(values):
    """Any of `values` as a whole word, longest first: the regex `wordmatch.word_spans` replaced
    (compiling it per document cost more than the scans), kept as the tests' reference."""
    import regex

    alternation = "|".join(regex.escape(v) for v in sorted(values, key=lambda v: (-len(v), v)))
    return regex.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
