"""Read bytes and decode them strictly: binary is recognised by content, undecodable text is an error."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .errors import FileRefused

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Formats that we recognise by their first bytes and cannot rewrite as text (yet): refused, never
# half-redacted.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP container (DOCX, XLSX, ODT, JAR ...)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 (legacy Office)"),
    (b"{\\rtf", "RTF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    bom: bytes

    def encode(self, text: str) -> bytes:
        """Bytes in the input's encoding, BOM kept."""
        return self.bom + text.encode(self.encoding)


def decode(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data[len(bom):], encoding, len(bom)), encoding, bom)
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            refusal = "unsupported-format" if name in ("PDF", "RTF") or "Office" in name or "DOCX" in name else "binary"
            raise FileRefused(refusal, f"content is {name}")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise FileRefused("binary", "content has NUL bytes and no text encoding mark")
    return Decoded(_strict(data, "utf-8", 0), "utf-8", b"")


def _strict(data: bytes, encoding: str, offset: int) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileRefused("undecodable", f"invalid {encoding} at byte {offset + exc.start}") from None
