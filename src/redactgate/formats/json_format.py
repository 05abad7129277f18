"""JSON and JSON Lines: every key and string value, nested, plus numbers (a card number may be one).

Strings are rewritten in place with JSON escaping, so formatting and key order stay as they were;
a number that holds a detected value becomes a JSON string with the replacement. Locators are index
paths (`$[0]{2}` = first array item, third object member; `~key` for the key) so that no key text,
which may itself be personal data, reaches the audit log.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from ..errors import FileRefused
from ..load import decode
from . import Segment
from .splice import Span, TextDocument

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[{}\[\]:,]|true|false|null|[ \t\r\n]+', re.S)
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def extract_json(data: bytes, fallbacks: Sequence[str] = ()) -> TextDocument:
    decoded = decode(data, fallbacks)
    _parse(decoded.text, "")
    segments, spans = _scan(decoded.text, 0, len(decoded.text), "")
    return TextDocument(decoded.text, segments, spans, decoded.encode)


def extract_jsonl(data: bytes, fallbacks: Sequence[str] = ()) -> TextDocument:
    decoded = decode(data, fallbacks)
    segments, spans, offset = [], [], 0
    # Lines end at "\n" only: str.splitlines would also cut at U+2028 and others, legal inside strings.
    for number, line in enumerate(decoded.text.split("\n"), start=1):
        line += "\n" if offset + len(line) < len(decoded.text) else ""
        if line.strip():
            _parse(line, f"line {number}: ")
            found = _scan(decoded.text, offset, offset + len(line), f"line {number} ")
            segments += found[0]
            spans += found[1]
        offset += len(line)
    return TextDocument(decoded.text, segments, spans, decoded.encode)


def _parse(text: str, where: str) -> None:
    try:
        json.loads(text, object_pairs_hook=_no_duplicates)
    except ValueError as exc:
        reason = getattr(exc, "msg", "duplicate key")  # never str(exc): it may quote the document
        raise FileRefused("malformed-json", f"{where}{reason}") from None
    if any(0xD800 <= ord(c) <= 0xDFFF for c in json.dumps(json.loads(text), ensure_ascii=False)):
        raise FileRefused("undecodable", f"{where}a JSON string holds a lone surrogate escape")


def _no_duplicates(pairs: list) -> dict:
    # Two members under one key: readers disagree on which one counts, and a redacted key could
    # collide with another; refuse rather than guess.
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("an object has a duplicate key")
    return dict(pairs)


def _scan(text: str, start: int, end: int, prefix: str) -> tuple[list[Segment], list[Span]]:
    segments: list[Segment] = []
    spans: list[Span] = []
    stack: list[list] = []  # [kind "{" or "[", member index]
    pos = start
    while pos < end:
        match = _TOKEN.match(text, pos, end)
        if match is None:  # json.loads accepted it, so this is our lexer's gap: refuse, never skip text
            raise FileRefused("malformed-json", f"unexpected character at {pos}")
        token = match.group()
        if token[0] == '"' or token[0] in "-0123456789":
            is_key = token[0] == '"' and _next_is_colon(text, match.end(), end)
            locator = prefix + "$" + "".join(f"{k}{i}{'}' if k == '{' else ']'}" for k, i in stack) + ("~key" if is_key else "")
            segment_text, span = _string(text, match) if token[0] == '"' else _number(match)
            segments.append(Segment(segment_text, "json:" + locator, ": " if is_key else "\n"))
            spans.append(span)
        elif token in "{[":
            stack.append([token, 0])
        elif token in "}]":
            stack.pop()
        elif token == ",":
            stack[-1][1] += 1
        pos = match.end()
    return segments, spans


def _next_is_colon(text: str, pos: int, end: int) -> bool:
    while pos < end and text[pos] in " \t\r\n":
        pos += 1
    return pos < end and text[pos] == ":"


def _string(text: str, match: re.Match) -> tuple[str, Span]:
    chars, offsets, i, end = [], [], match.start() + 1, match.end() - 1
    while i < end:
        offsets.append(i)
        if text[i] != "\\":
            chars.append(text[i])
            i += 1
        elif text[i + 1] == "u":
            code = int(text[i + 2:i + 6], 16)
            low = text[i + 8:i + 12] if text.startswith("\\u", i + 6) else ""
            if 0xD800 <= code < 0xDC00 and low and 0xDC00 <= int(low, 16) < 0xE000:
                chars.append(chr(0x10000 + ((code - 0xD800) << 10) + int(low, 16) - 0xDC00))
                i += 12
            else:
                chars.append(chr(code))
                i += 6
        else:
            chars.append(_ESCAPES[text[i + 1]])
            i += 2
    offsets.append(end)
    return "".join(chars), Span(match.start(), match.end(), tuple(offsets), _escape_inside_string)


def _escape_inside_string(new: str) -> str:
    return json.dumps(new, ensure_ascii=False)[1:-1]


def _number(match: re.Match) -> tuple[str, Span]:
    return match.group(), Span(match.start(), match.end(), None, lambda new: json.dumps(new, ensure_ascii=False), whole=True)
