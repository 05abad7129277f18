"""Structured document formats: each module extracts the text segments to scan and rebuilds the file.

A format module offers `extract(data: bytes) -> Document`. A `Document` lists its `segments` (cell
values, JSON strings and numbers, HTML text nodes and attribute values, DOCX paragraphs ...) with a
locator that names where each lives without quoting it, and `rebuild(edits)` writes the file back in
the same format with each segment's edits applied. Anything a module cannot account for completely
raises `FileRefused`: a document is never partly redacted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol

# (start, end, replacement) in the coordinates of one segment's text
Edit = tuple[int, int, str]


@dataclass(frozen=True)
class Segment:
    text: str
    # Where the segment lives (row/column, JSON index path, DOCX part and paragraph ...); built from
    # positions and part names only, never from document text, because it goes into the audit log.
    locator: str
    # What follows the segment in the text the detector sees: gives the model context (a CSV row
    # reads as one line) and keeps neighbouring segments apart.
    sep: str = "\n"


class Document(Protocol):
    segments: Sequence[Segment]

    def rebuild(self, edits: Sequence[Sequence[Edit]]) -> bytes:
        """The file with `edits[i]` applied to segment i, in the same format."""
        ...


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    extract: Callable[..., Document]
    # How a written output is read back to check it (same as `extract` unless the output is a
    # rendition in another format, as for PDF).
    reparse: Callable[[bytes], Document] | None = None
    output_suffix: str = ""
    # A text format: `extract(data, fallbacks)` decodes with the config's fallback encodings, the
    # same rules as plain text files (issue 6).
    text: bool = False

    def read(self, data: bytes, fallbacks: Sequence[str] = ()) -> Document:
        return self.extract(data, fallbacks) if self.text else self.extract(data)

    def read_back(self, data: bytes, fallbacks: Sequence[str] = ()) -> Document:
        return self.reparse(data) if self.reparse else self.read(data, fallbacks)


def _registry() -> list[Format]:
    # Imported here so `import redactgate.formats` stays cheap for code that never meets these formats.
    from . import csv_format, docx_format, eml_format, html_format, json_format, pdf_format

    return [
        Format("csv", (".csv",), csv_format.extract_csv, text=True),
        Format("tsv", (".tsv", ".tab"), csv_format.extract_tsv, text=True),
        Format("json", (".json",), json_format.extract_json, text=True),
        Format("jsonl", (".jsonl", ".ndjson"), json_format.extract_jsonl, text=True),
        Format("html", (".html", ".htm", ".xhtml"), html_format.extract, text=True),
        Format("eml", (".eml",), eml_format.extract, text=True),
        Format("docx", (".docx",), docx_format.extract),
        Format("pdf", (".pdf",), pdf_format.extract, reparse=pdf_format.reparse, output_suffix=".txt"),
    ]


_SNIFFED = {b"%PDF-": "pdf"}


def select_format(rel: PurePosixPath, data: bytes) -> Format | None:
    """The format for a file, by content first (a PDF is a PDF whatever its name), then extension.

    None means the plain-text path; a ZIP that is not named .docx stays with the plain-text path,
    which refuses it by signature.
    """
    formats = _registry()
    for signature, name in _SNIFFED.items():
        if data.startswith(signature):
            return next(f for f in formats if f.name == name)
    suffix = rel.suffix.lower()
    return next((f for f in formats if suffix in f.extensions), None)
