"""Read bytes and decode them strictly: binary is recognised by content, undecodable text is an error.

Order: a BOM (UTF-8/16/32) wins; then known binary signatures; then UTF-16 without a BOM when the
NUL bytes sit in the pattern of mostly-ASCII UTF-16 text, or when bytes without NULs are mostly controls
(UTF-16 with no ASCII at all) and exactly one byte order reads as text; then strict UTF-8; then only the
fallback encodings the config declares. Nothing is guessed beyond that: a file that fits none of them is
refused with the byte offset of the first invalid byte. Strict decoders never yield lone surrogates,
which would crash spaCy further on.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

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
# UTF-16 without BOM: in mostly-Latin text one byte of most pairs is NUL, the other (nearly)
# never. Binary data rarely keeps that pattern over thousands of bytes.
_UTF16_NUL_SHARE = 0.7
_UTF16_OTHER_NUL_SHARE = 0.02
# UTF-16 without BOM in other scripts: judged by reading the text (`is_plausible_text`).
_MIN_PLAUSIBLE_CHARS = 8
_MIN_SCRIPT_SHARE = 0.95
# C0 controls that text decoded by heuristic must not contain (tab, LF, VT, FF, CR are allowed).
_CONTROL = frozenset(chr(c) for c in range(0x20) if chr(c) not in "\t\n\v\f\r")
_CONTROL_BYTES = bytes(c for c in range(0x20) if chr(c) not in "\t\n\v\f\r\x1b")  # ESC: colour codes in logs
_CONTROL_BYTE_SHARE = 0.1
T = TypeVar("T")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    bom: bytes

    def encode(self, text: str) -> bytes:
        """Bytes in the input's encoding, BOM kept; a replacement the encoding cannot hold is refused."""
        try:
            return self.bom + text.encode(self.encoding)
        except UnicodeEncodeError as exc:
            raise FileRefused("unencodable", f"output character at {exc.start} has no {self.encoding} form") from None


def decode(data: bytes, fallbacks: Sequence[str] = ()) -> Decoded:
    def attempt(encoding: str, bom: bytes, heuristic: bool) -> Decoded:
        if heuristic:
            return Decoded(_heuristic(data, encoding), encoding, b"")
        return Decoded(_strict(data[len(bom):], encoding, len(bom)), encoding, bom)

    return choose_encoding(data[:_SNIFF_BYTES], len(data), fallbacks, attempt)


Attempt = Callable[[str, bytes, bool], T]


def choose_encoding(head: bytes, size: int, fallbacks: Sequence[str], attempt: Attempt) -> T:
    """The decisions `decode` and `open_stream` share, on the first bytes: `attempt(encoding, bom,
    heuristic)` reads the whole file in that encoding or raises `FileRefused`."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            try:
                return attempt(encoding, bom, False)
            except FileRefused:
                if encoding != "utf-32-le":
                    raise
            # FF FE 00 00 is also UTF-16-LE text that starts with a NUL character.
            return attempt("utf-16-le", codecs.BOM_UTF16_LE, False)
    _refuse_signatures(head)
    # NUL bytes; or no NUL, yet control bytes everywhere: UTF-16 text with no ASCII at all ("Привет"
    # is 1F 04 40 04 ...) reads as valid UTF-8 made of controls; decode it right or refuse it
    if b"\x00" in head or _control_share(head) > _CONTROL_BYTE_SHARE:
        encoding = utf16_without_bom(head, size)
        if encoding is None:
            what = "has NUL bytes" if b"\x00" in head else "is mostly control bytes and has"
            raise FileRefused("binary", f"content {what} no text encoding mark")
        return attempt(encoding, b"", True)
    try:
        return attempt("utf-8", b"", False)
    except FileRefused as utf8_error:
        for encoding in fallbacks:
            try:
                return attempt(encoding, b"", False)
            except FileRefused:
                continue
        if fallbacks:
            utf8_error.detail += f" (declared fallbacks {', '.join(fallbacks)} do not fit either)"
        raise utf8_error


def _control_share(sample: bytes) -> float:
    return sum(sample.count(c) for c in _CONTROL_BYTES) / len(sample) if sample else 0.0


def _refuse_signatures(data: bytes) -> None:
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            refusal = "unsupported-format" if name in ("PDF", "RTF") or "Office" in name or "DOCX" in name else "binary"
            raise FileRefused(refusal, f"content is {name}")


def utf16_without_bom(data: bytes, size: int | None = None) -> str | None:
    """`utf-16-le` / `utf-16-be` when the NUL pattern, or else the text itself, says so; else None.

    Mostly-Latin text shows in its NUL bytes. Other scripts (Cyrillic, Greek, CJK ...) have NULs only
    in their ASCII characters, so both byte orders are read and judged as text: exactly one must be
    plausible (`is_plausible_text`). The wrong order turns line breaks and many letters into
    unassigned code points and controls, so it fails; when both or neither pass, the file stays refused.
    `size`: the whole file's length when `data` is only its first bytes.
    """
    size = len(data) if size is None else size
    sample = data[: _SNIFF_BYTES - _SNIFF_BYTES % 2]
    if size % 2 or len(sample) < 4:
        return None
    pairs = len(sample) // 2
    even = sample[0::2].count(0) / pairs
    odd = sample[1::2].count(0) / pairs
    if odd >= _UTF16_NUL_SHARE and even <= _UTF16_OTHER_NUL_SHARE:
        return "utf-16-le"
    if even >= _UTF16_NUL_SHARE and odd <= _UTF16_OTHER_NUL_SHARE:
        return "utf-16-be"
    if len(sample) < 2 * _MIN_PLAUSIBLE_CHARS:
        return None
    plausible = [enc for enc in ("utf-16-le", "utf-16-be") if is_plausible_text(_sample_text(sample, enc, size))]
    return plausible[0] if len(plausible) == 1 else None


def _sample_text(sample: bytes, encoding: str, full: int) -> str | None:
    """The sample decoded strictly; a surrogate pair cut at the sample's end is dropped."""
    if len(sample) < full:
        last = sample[-2:] if encoding == "utf-16-be" else sample[-1:-3:-1]
        if 0xD8 <= last[0] <= 0xDB:
            sample = sample[:-2]
    try:
        return sample.decode(encoding)
    except UnicodeDecodeError:
        return None


def is_plausible_text(text: str | None) -> bool:
    """Reads as text: no unassigned, private-use or control characters (tab and line ends aside),
    and its non-ASCII letters come from at most three scripts (Japanese mixes kanji and two kana)."""
    if not text:
        return False
    if any(c in _CONTROL or unicodedata.category(c) in ("Cn", "Co", "Cs") for c in text):
        return False
    scripts = Counter(unicodedata.name(c, "UNKNOWN").split(" ", 1)[0] for c in text if c.isalpha() and not c.isascii())
    top = sum(n for _, n in scripts.most_common(3))
    return top >= _MIN_SCRIPT_SHARE * sum(scripts.values())


def _heuristic(data: bytes, encoding: str) -> str:
    text = _strict(data, encoding, 0)
    control = next((i for i, c in enumerate(text) if c in _CONTROL), None)
    if control is not None:
        raise FileRefused("binary", f"looks like {encoding} without BOM but has a control character at byte {2 * control}")
    return text


def _strict(data: bytes, encoding: str, offset: int) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileRefused("undecodable", f"invalid {encoding} at byte {offset + exc.start}") from None


# Streaming (files over one segment, `stream.py`): the same decisions as `decode`, made on the first
# bytes and a validating pass over the whole file, then the text read piece by piece, never whole.
STREAM_READ_BYTES = 4 << 20


@dataclass(frozen=True)
class TextStream:
    path: Path
    encoding: str
    bom: bytes
    heuristic: bool  # UTF-16 without BOM: a control character refuses the file, as in `decode`
    limit: int

    def encode(self, text: str, offset: int) -> bytes:
        """One piece of output (`offset`: its first character in the whole output), BOM first."""
        try:
            return (self.bom if offset == 0 else b"") + text.encode(self.encoding)
        except UnicodeEncodeError as exc:
            raise FileRefused("unencodable", f"output character at {offset + exc.start} has no {self.encoding} form") from None

    def pieces(self, on_bytes: Callable[[bytes], None]) -> Iterator[str]:
        """The text in pieces; every byte read (BOM included) also goes to `on_bytes`."""
        decoder = codecs.getincrementaldecoder(self.encoding)("strict")
        chars = 0
        for position, block in _blocks(self.path, self.limit):
            on_bytes(block)
            if position == 0:
                block = block[len(self.bom):]
                position = len(self.bom)
            pending = len(decoder.getstate()[0])  # bytes of a character cut at the last block's end
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                raise FileRefused("undecodable", f"invalid {self.encoding} at byte {position - pending + exc.start}") from None
            if self.heuristic:
                control = next((i for i, c in enumerate(text) if c in _CONTROL), None)
                if control is not None:
                    raise FileRefused("binary", f"looks like {self.encoding} without BOM but has a control "
                                                f"character at byte {2 * (chars + control)}")
            chars += len(text)
            if text:
                yield text


def open_stream(path: Path, fallbacks: Sequence[str], limit: int) -> TextStream:
    """How `decode` would read this file, decided without holding it: the BOM, signatures and
    UTF-16 heuristics on the first bytes, then a validating pass for the chosen encoding (UTF-8,
    then each declared fallback), so an undecodable byte anywhere refuses the file before any output."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise FileRefused("unreadable", exc.strerror or type(exc).__name__) from None
    if size > limit:
        raise FileRefused("too-large", f"{size} bytes is over the limit of {limit}")

    def valid(encoding: str, bom: bytes, heuristic: bool) -> TextStream:
        stream = TextStream(path, encoding, bom, heuristic, limit)
        for _ in stream.pieces(lambda block: None):
            pass
        return stream

    return choose_encoding(head, size, fallbacks, valid)


def _blocks(path: Path, limit: int) -> Iterator[tuple[int, bytes]]:
    """(byte position, block) to the end of the file, then (size, b"") once; never past `limit`."""
    position = 0
    try:
        with open(path, "rb") as handle:
            while block := handle.read(STREAM_READ_BYTES):
                if position + len(block) > limit:
                    raise FileRefused("too-large", f"grew over the limit of {limit} bytes while being read")
                yield position, block
                position += len(block)
    except OSError as exc:
        raise FileRefused("unreadable", exc.strerror or type(exc).__name__) from None
    yield position, b""
