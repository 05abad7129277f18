"""CSV and TSV: every cell (headers too), quoted cells with newlines; cells rewritten in place.

Our own tokenizer finds each cell's exact place in the source so that nothing outside the values
changes (quoting style, line endings, trailing newline); the result is checked against the
standard library's reader, and a file the two read differently is refused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from ..errors import FileRefused
from ..load import decode
from . import Segment
from .splice import Span, TextDocument

_QUOTE = '"'
# A blank line between rows: with a single newline the model ran a header's name into the next
# row's id ("Helen Marsh\n2001" as one PERSON); measured in benchmarks/csv_context.py.
_ROW_END = "\n\n"
Cell = tuple[int, int, bool]  # source start, end, quoted


def extract_csv(data: bytes, fallbacks: Sequence[str] = ()) -> TextDocument:
    return _extract(data, ",", fallbacks)


def extract_tsv(data: bytes, fallbacks: Sequence[str] = ()) -> TextDocument:
    return _extract(data, "\t", fallbacks)


def _extract(data: bytes, delimiter: str, fallbacks: Sequence[str]) -> TextDocument:
    decoded = decode(data, fallbacks)
    rows = [row for row in tokenize(decoded.text, delimiter) if not _is_blank(row)]
    _check_against_stdlib(decoded.text, rows, delimiter)
    segments, spans = [], []
    for r, row in enumerate(rows, start=1):
        for c, (start, end, quoted) in enumerate(row, start=1):
            span = _quoted_span(decoded.text, start, end) if quoted else Span(start, end, None, _unquoted(delimiter), whole=True)
            segments.append(Segment(cell_text(decoded.text, span), f"row {r}, column {c}", _ROW_END if c == len(row) else ", "))
            spans.append(span)
    return TextDocument(decoded.text, segments, spans, decoded.encode)


def tokenize(text: str, delimiter: str) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    i, n = 0, len(text)
    while i < n or row:
        start = i
        if i < n and text[i] == _QUOTE:
            i = _closing_quote(text, i) + 1
            if i < n and text[i] not in (delimiter, "\r", "\n"):
                raise FileRefused("malformed-csv", f"text after a closing quote at character {i}")
            row.append((start, i, True))
        else:
            while i < n and text[i] not in (delimiter, "\r", "\n"):
                i += 1
            row.append((start, i, False))
        if i < n and text[i] == delimiter:
            i += 1
            continue
        i += 2 if text.startswith("\r\n", i) else 1
        rows.append(row)
        row = []
    return rows


def _is_blank(row: list[Cell]) -> bool:
    return len(row) == 1 and row[0][0] == row[0][1] and not row[0][2]  # an empty line is no row


def _closing_quote(text: str, opening: int) -> int:
    i = opening + 1
    while True:
        i = text.find(_QUOTE, i)
        if i < 0:
            raise FileRefused("malformed-csv", f"quote opened at character {opening} is never closed")
        if not text.startswith(_QUOTE * 2, i):
            return i
        i += 2


def _quoted_span(text: str, start: int, end: int) -> Span:
    offsets, i = [], start + 1
    while i < end - 1:
        offsets.append(i)
        i += 2 if text.startswith(_QUOTE * 2, i) else 1
    offsets.append(end - 1)
    return Span(start, end, tuple(offsets), lambda new: new.replace(_QUOTE, _QUOTE * 2))


def _unquoted(delimiter: str) -> Callable[[str], str]:
    def escape(cell: str) -> str:
        # The whole new cell: quoted only when a replacement (a surrogate, say) brings a character
        # that would otherwise end the cell or the row.
        if any(c in cell for c in (delimiter, _QUOTE, "\r", "\n")):
            return _QUOTE + cell.replace(_QUOTE, _QUOTE * 2) + _QUOTE
        return cell
    return escape


def cell_text(text: str, span: Span) -> str:
    if span.offsets is None:
        return text[span.start:span.end]
    return "".join(text[o] for o in span.offsets[:-1])


def _check_against_stdlib(text: str, rows: list[list[Cell]], delimiter: str) -> None:
    ours = [[cell_text(text, _quoted_span(text, s, e) if q else Span(s, e)) for s, e, q in row] for row in rows]
    try:
        theirs = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        raise FileRefused("malformed-csv", "the standard CSV reader rejects the file") from None
    if ours != [r for r in theirs if r]:
        raise FileRefused("malformed-csv", "the file does not read the same way as standard CSV")
