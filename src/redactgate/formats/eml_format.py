"""E-mail (`.eml`): every header of every part (decoded), text and HTML bodies, preamble, epilogue.

Parsed and written with the standard library's `compat32` policy, which gives back an unchanged
message byte for byte; only the headers and bodies that hold a detected value are rewritten, in
their original transfer encoding and charset. In address and message-id headers a placeholder loses
its angle brackets and a replaced address gets the domain `redacted.invalid`, so the header still
parses as addresses (`From: PERSON_1 <EMAIL_ADDRESS_1@redacted.invalid>`). A part we cannot screen (an image, a PDF or any
other non-text attachment) refuses the whole message: it is never sent on half-redacted.
"""

from __future__ import annotations

import base64
import email
import email.header
import io
import quopri
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.generator import BytesGenerator
from email.message import Message
from email.policy import compat32

from ..errors import FileRefused
from . import Edit, Segment, html_format
from .splice import TextDocument, apply_edits, identity


# Headers that hold addresses or message ids: a placeholder must keep them parseable.
_ADDRESS_HEADERS = frozenset({
    "from", "to", "cc", "bcc", "reply-to", "sender", "return-path", "delivered-to", "resent-from", "resent-to",
    "resent-cc", "resent-bcc", "resent-sender", "disposition-notification-to", "message-id", "in-reply-to",
    "references",
})
_KNOWN_MAINTYPES = frozenset({"application", "image", "audio", "video", "font", "model"})
INVALID_DOMAIN = "redacted.invalid"  # RFC 2606: never resolves, never delivers


def _as_address_part(original: str, new: str) -> str:
    """`<PERSON_1>` inside an address header would read as an angle address: drop the brackets, and
    give a replaced address a domain that cannot exist (`EMAIL_ADDRESS_1@redacted.invalid`)."""
    new = new.replace("<", "").replace(">", "")
    return f"{new}@{INVALID_DOMAIN}" if "@" in original and "@" not in new else new


@dataclass
class _Header:
    part: Message
    index: int

    def apply(self, text: str, edits: Sequence[Edit]) -> None:
        items = list(self.part.raw_items())  # raw: the other headers are written back untouched
        if items[self.index][0].lower() in _ADDRESS_HEADERS:
            edits = [(start, end, _as_address_part(text[start:end], value)) for start, end, value in edits]
        new = apply_edits(text, edits)
        items[self.index] = (items[self.index][0], new if new.isascii() else email.header.Header(new, "utf-8").encode())
        for name in {name for name, _ in items}:
            del self.part[name]
        for name, value in items:
            self.part[name] = value  # compat32 stores the value as given, in order


@dataclass
class _Body:
    part: Message
    text: TextDocument  # the decoded body; HTML bodies have one segment per node
    charset: str

    def apply(self, edits: Sequence[Sequence[Edit]]) -> None:
        raw = self.text.rebuild(edits)
        encoding = (self.part.get("Content-Transfer-Encoding") or "7bit").strip().lower()
        if encoding == "base64":
            self.part.set_payload(base64.encodebytes(raw).decode("ascii"))
        elif encoding == "quoted-printable":
            self.part.set_payload(quopri.encodestring(raw).decode("ascii"))
        else:  # 7bit / 8bit / binary: the bytes as they are (compat32 carries 8-bit as surrogates)
            self.part.set_payload(raw.decode("ascii", "surrogateescape"))


@dataclass
class _Preamble:
    part: Message
    attribute: str  # "preamble" or "epilogue"

    def apply(self, text: str, edits: Sequence[Edit]) -> None:
        setattr(self.part, self.attribute, apply_edits(text, edits))


@dataclass
class EmlDocument:
    message: Message
    linesep: str
    segments: list[Segment] = field(default_factory=list)
    owners: list[tuple[object, int]] = field(default_factory=list)  # (slot, index of segment in slot)

    def rebuild(self, edits: Sequence[Sequence[Edit]]) -> bytes:
        bodies: dict[int, tuple[_Body, list]] = {}
        for segment, (slot, inner), segment_edits in zip(self.segments, self.owners, edits):
            if isinstance(slot, _Body):
                bodies.setdefault(id(slot), (slot, [[] for _ in slot.text.segments]))[1][inner] = list(segment_edits)
            elif segment_edits:
                slot.apply(segment.text, segment_edits)
        for slot, body_edits in bodies.values():
            if any(body_edits):
                slot.apply(body_edits)
        out = io.BytesIO()
        BytesGenerator(out, mangle_from_=False, policy=compat32.clone(linesep=self.linesep)).flatten(self.message)
        return out.getvalue()

    def add(self, text: str, locator: str, slot: object, inner: int = 0) -> None:
        self.segments.append(Segment(text, locator))
        self.owners.append((slot, inner))


def extract(data: bytes, fallbacks: Sequence[str] = ()) -> EmlDocument:
    message = email.message_from_bytes(data, policy=compat32)
    first_line = data.split(b"\n", 1)[0]
    doc = EmlDocument(message, "\r\n" if first_line.endswith(b"\r") else "\n")
    for number, part in enumerate(message.walk()):
        where = f"eml:part {number} "
        for index, (_, value) in enumerate(part.raw_items()):
            doc.add(_header_text(value, f"{where}header {index}", fallbacks), f"{where}header {index}", _Header(part, index))
        if part.is_multipart():
            for attribute in ("preamble", "epilogue"):
                if (getattr(part, attribute) or "").strip():
                    doc.add(getattr(part, attribute), f"{where}{attribute}", _Preamble(part, attribute))
        else:
            _read_body(doc, part, where, fallbacks)
        if part.defects:
            raise FileRefused("malformed-eml", f"part {number}: {type(part.defects[0]).__name__}")
    return doc


def _header_text(value: str, where: str, fallbacks: Sequence[str] = ()) -> str:
    """The header as text: raw 8-bit bytes read as UTF-8 (RFC 6532) or a declared fallback
    encoding, encoded words decoded."""
    raw = value.encode("ascii", "surrogateescape")
    for charset in ("utf-8", *fallbacks):
        try:
            value = raw.decode(charset)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRefused("undecodable", f"{where} is neither ASCII nor UTF-8 nor a declared fallback") from None
    if "=?" not in value:
        return value
    return str(email.header.make_header(email.header.decode_header(value)))


def _read_body(doc: EmlDocument, part: Message, where: str, fallbacks: Sequence[str] = ()) -> None:
    maintype = part.get_content_maintype()
    if maintype != "text":
        # the type comes from the file: name only the standard top-level kinds
        kind = maintype if maintype in _KNOWN_MAINTYPES else "non-text"
        raise FileRefused("email-attachment", f"{where.strip()} is an {kind} part, which cannot be screened")
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or _undeclared_charset(payload, fallbacks)
    try:
        text = payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise FileRefused("undecodable", f"{where.strip()} body is not valid {charset}") from None
    encode = lambda new: new.encode(charset)  # noqa: E731
    if part.get_content_subtype() == "html":
        body = _Body(part, html_format.extract_text(text, encode, prefix=f"{where}html "), charset)
    else:
        body = _Body(part, TextDocument(text, [Segment(text, f"{where}body")], [identity(0, len(text))], encode), charset)
    for inner, segment in enumerate(body.text.segments):
        doc.add(segment.text, segment.locator, body, inner)


def _undeclared_charset(payload: bytes, fallbacks: Sequence[str]) -> str:
    """No charset parameter: UTF-8 (a superset of US-ASCII), else the first declared fallback that fits."""
    for charset in ("utf-8", *fallbacks):
        try:
            payload.decode(charset)
            return charset
        except UnicodeDecodeError:
            continue
    return "utf-8"  # refused by the caller with the byte problem named
