"""HTML: text nodes, every attribute value (title, alt, href mailto: ...), comments, script and style.

The standard library's parser reports where each construct starts; consecutive starts tile the
source, so every character belongs to exactly one construct and nothing can be skipped unseen.
Text with character references is scanned decoded and rewritten with escaping; the rest of the
source stays byte for byte.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from html.parser import HTMLParser

from ..errors import FileRefused
from ..load import decode
from . import Segment
from .splice import Span, TextDocument

_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_TAG_OPEN = re.compile(r"<[A-Za-z][^\s/>]*")
_ATTRIBUTE = re.compile(r"""[\s/]*(?P<name>(?<=[\s/])[^\s/>][^\s/>=]*)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|(?![>"'])[^\s>]*))?""")
_TAG_CLOSE = re.compile(r"[\s/]*>?")
_PLAIN_END_TAG = re.compile(r"</[A-Za-z][^\s/>]*\s*>")
_TEXT_EVENTS = {"data", "entityref", "charref"}
_RAW_TEXT = {"script", "style"}


class _Events(HTMLParser):
    """Records (start offset, kind, tag) for every construct the parser reports."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.events: list[tuple[int, str, str]] = []
        self._raw = ""

    def _add(self, kind: str, tag: str = "") -> None:
        line, column = self.getpos()
        self.events.append((self.line_starts[line - 1] + column, kind, tag))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._add("starttag", tag)
        self._raw = tag if tag in _RAW_TEXT else ""

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._add("starttag", tag)

    def handle_endtag(self, tag: str) -> None:
        self._add("endtag", tag)
        self._raw = ""

    def handle_data(self, data: str) -> None:
        self._add("rawtext" if self._raw else "data")

    def handle_entityref(self, name: str) -> None:
        self._add("entityref")

    def handle_charref(self, name: str) -> None:
        self._add("charref")

    def handle_comment(self, data: str) -> None:
        self._add("comment")

    def handle_decl(self, decl: str) -> None:
        self._add("decl")

    def handle_pi(self, data: str) -> None:
        self._add("decl")

    def unknown_decl(self, data: str) -> None:
        self._add("decl")


def extract(data: bytes, fallbacks: Sequence[str] = ()) -> TextDocument:
    decoded = decode(data, fallbacks)
    return extract_text(decoded.text, decoded.encode)


def extract_text(text: str, encode: Callable[[str], bytes], prefix: str = "html:") -> TextDocument:
    """An HTML document already decoded (also used for the HTML bodies of e-mail)."""
    doc = TextDocument(text, [], [], encode)
    for start, end, kind, tag in _constructs(text):
        if kind in _TEXT_EVENTS:
            _add(doc, *_decoded_span(text, start, end, html.escape), f"{prefix}text@{start}")
        elif kind == "starttag":
            _attributes(doc, start, end, prefix)
        elif kind in ("rawtext", "comment", "decl") or (kind == "endtag" and not _PLAIN_END_TAG.fullmatch(text, start, end)):
            # an end tag with more than its name (attributes, or text the parser passed over) is scanned too
            _add(doc, Span(start, end), text[start:end], f"{prefix}{kind}@{start}")
    return doc


def _constructs(text: str) -> list[tuple[int, int, str, str]]:
    parser = _Events(text)
    parser.feed(text)
    parser.close()
    events = parser.events
    starts = [e[0] for e in events] + [len(text)]
    if (starts[0] if events else 0) != 0 or starts != sorted(starts):
        raise FileRefused("malformed-html", "the parser's constructs do not cover the file in order")
    merged: list[tuple[int, int, str, str]] = []
    for (start, kind, tag), end in zip(events, starts[1:]):
        if start == end:
            continue
        if merged and kind in _TEXT_EVENTS and merged[-1][2] in _TEXT_EVENTS and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end, "data", "")  # one text run across character references
        else:
            merged.append((start, end, kind, tag))
    return merged


def _attributes(doc: TextDocument, start: int, end: int, prefix: str) -> None:
    """Every attribute value of a start tag; a tag we cannot account for completely is refused."""
    text = doc.source
    opening = _TAG_OPEN.match(text, start, end)
    pos = opening.end() if opening else start
    while pos < end:
        match = _ATTRIBUTE.match(text, pos, end)
        if not match or match.end() == pos:
            break
        value = match.group("value")
        if value:
            quoted = value[0] in "\"'"
            v_start, v_end = match.start("value") + quoted, match.end("value") - quoted
            span, value_text = _decoded_span(text, v_start, v_end, lambda s: html.escape(s, quote=True))
            if not quoted:  # rewritten whole, and quoted if the new value needs it
                span = Span(span.start, span.end, span.offsets, _unquoted_attribute, whole=True)
            _add(doc, span, value_text, f"{prefix}attribute@{match.start('name')}")
        pos = match.end()
    if not opening or _TAG_CLOSE.fullmatch(text, pos, end) is None:
        raise FileRefused("malformed-html", f"a start tag at {start} could not be read completely")


def _unquoted_attribute(value: str) -> str:
    escaped = html.escape(value, quote=True)
    return f'"{escaped}"' if not escaped or any(c.isspace() or c in "<>=`" for c in escaped) else escaped


def _decoded_span(text: str, start: int, end: int, escape: Callable[[str], str]) -> tuple[Span, str]:
    """Text with character references decoded, and where each decoded character starts."""
    chars, offsets, pos = [], [], start
    for match in _REFERENCE.finditer(text, start, end):
        decoded = html.unescape(match.group())
        if decoded == match.group():  # not a reference after all: plain characters
            continue
        chars.extend(text[pos:match.start()])
        offsets.extend(range(pos, match.start()))
        chars.extend(decoded)
        # Every character of a reference maps to its start, so an edit always replaces whole references.
        offsets.extend([match.start()] * len(decoded))
        pos = match.end()
    chars.extend(text[pos:end])
    offsets.extend(range(pos, end))
    offsets.append(end)
    return Span(start, end, tuple(offsets), escape), "".join(chars)


def _add(doc: TextDocument, span: Span, segment_text: str, locator: str) -> None:
    doc.segments.append(Segment(segment_text, locator))
    doc.spans.append(span)
