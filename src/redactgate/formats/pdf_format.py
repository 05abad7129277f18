"""PDF: the text layer, redacted into a plain-text rendition (`NAME.pdf.txt`); never a PDF.

A PDF that only looks redacted (a black box drawn over text that is still in the file) is the
classic leak, so no PDF is ever written. Pages are extracted with pypdf and joined with form feeds,
as `pdftotext` does. A page without a text layer (a scan) cannot be screened: the file is refused,
as is an encrypted file we cannot open. Metadata (author, title) is not carried into the rendition.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from collections.abc import Sequence

from ..errors import FileRefused
from . import Edit, Segment
from .splice import apply_edits

PAGE_BREAK = "\f\n"
logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its log messages can quote object content


@dataclass
class PdfText:
    segments: list[Segment]

    def rebuild(self, edits: Sequence[Sequence[Edit]]) -> bytes:
        pages = [apply_edits(s.text, e) for s, e in zip(self.segments, edits)]
        return (PAGE_BREAK.join(pages) + "\n").encode("utf-8")


def extract(data: bytes) -> PdfText:
    from pypdf import PdfReader  # imported on first use: most runs meet no PDF

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pypdf's warnings can quote object content
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileRefused("pdf-encrypted", "the PDF is encrypted with a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    segments = []
    for number, text in enumerate(pages, start=1):
        if not text.strip():
            raise FileRefused("pdf-no-text-layer", f"page {number} has no text layer (a scan cannot be screened)")
        segments.append(Segment(text, f"pdf:page {number}", "\n\n"))
    if not segments:
        raise FileRefused("pdf-no-text-layer", "the PDF has no pages")
    return PdfText(segments)


def reparse(data: bytes) -> PdfText:
    """Read a rendition back: UTF-8 text, one segment per page."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FileRefused("undecodable", "the rendition is not UTF-8") from None
    return PdfText([Segment(page, f"pdf:page {n}", "\n\n") for n, page in enumerate(text.split(PAGE_BREAK), 1)])
