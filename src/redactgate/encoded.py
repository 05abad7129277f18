"""Bounded decoding of encoded runs: base64, URL percent-encoding, HTML character references, and
backslash escapes (`\\x40`, `\\u0040`).

A value hidden as `YWxpY2VAZXhhbXBsZS5jb20=`, `alice%40example.com` or `alice&#64;example.com`
is decoded (one layer; percent-encoding up to three, as in `%2540`), scanned like any text, and when
something is found there the whole encoded run is replaced. Every run is decoded, none is skipped
(issue 6: a run past a limit used to pass unscanned): a base64 run longer than `MAX_RUN_CHARS` is
decoded in windows of whole lines, other runs whole. The budget is linear by construction, so a
hostile file cannot turn this into a decompression bomb: runs of one kind never overlap and no
decoder yields more characters than it reads, so each of the `MAX_LAYERS` layers is at most
`len(_KINDS)` times the one before (in practice far less: most runs do not decode to text), and
`screen` analyses a document's decoded runs as one text, not one text per run.
"""

from __future__ import annotations

import base64
import bisect
import binascii
import html
import quopri
import re
import urllib.parse
from dataclasses import dataclass

import regex

from .load import utf16_without_bom

MAX_RUN_CHARS = 4096
MAX_TRIMMED_WORDS = 2
MAX_LAYERS = 2  # an encoded run inside a decoded one is decoded too, once
MIN_DECODED_CHARS = 6
MIN_PRINTABLE_SHARE = 0.95
MAX_URL_LAYERS = 3

# Base64 may be wrapped at line ends (MIME: 76 characters a line); the run then spans the lines. In
# the normalised copy a line break between digits reads as a space, so a space may stand there too.
# Only ASCII classes and literals: `re` finds the same runs 2.5x faster than `regex` (0.09 s a MB).
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=_-])(?:[A-Za-z0-9+/]{4}(?:(?:\r?\n| )(?=[A-Za-z0-9+/]{4}))?){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![A-Za-z0-9+/=_-])"
                        r"|(?<![A-Za-z0-9+/=_-])[A-Za-z0-9_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])")
_WORD = regex.compile(r"\S+")
# The runs below are units (a character of a class, or an escape) around at least one escape. Each
# starts only after a character not of its class: a match can never start there, as one starting a
# character earlier, or the greedy tail of the match before, would have taken that character. It
# keeps the search linear: from every character of a long word, the engine would otherwise read the
# rest of the word looking for an escape (a 20,000-character word with one "&" elsewhere: 16 s).
_URL = regex.compile(r"(?<![A-Za-z0-9._~+-])(?:[A-Za-z0-9._~+-]|%[0-9A-Fa-f]{2})*%[0-9A-Fa-f]{2}(?:[A-Za-z0-9._~+-]|%[0-9A-Fa-f]{2})*")
_ESCAPE_UNIT = r"\\x([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})"
_ESCAPE = regex.compile(_ESCAPE_UNIT)
_ESCAPED = regex.compile(rf"(?<![\w.+-])(?:[\w.+-]|{_ESCAPE_UNIT})*(?:{_ESCAPE_UNIT})(?:[\w.+-]|{_ESCAPE_UNIT})*")
# Quoted-printable as in a raw e-mail saved as text: `=40` for "@", soft line breaks `=\n`.
_QP_UNIT = r"=[0-9A-F]{2}|=\r?\n"
_QP = regex.compile(rf"(?<![\w.+@-])(?:[\w.+@-]|{_QP_UNIT})*(?:{_QP_UNIT})(?:[\w.+@-]|{_QP_UNIT})*")
_HTML = regex.compile(r"(?<![\w.+-])(?:[\w.+-]|&#?[A-Za-z0-9]{1,8};)*&#?[A-Za-z0-9]{1,8};(?:[\w.+-]|&#?[A-Za-z0-9]{1,8};)*")


@dataclass(frozen=True)
class EncodedRun:
    start: int
    end: int
    kind: str  # base64, url, html: part of the rule id `encoded-<kind>`
    decoded: str


def encoded_runs(text: str, layer: int = 1) -> list[EncodedRun]:
    """Each run's `decoded` holds its text and, after a blank line, what its own encoded runs decode
    to (base64 around a URL-encoded address), down to `MAX_LAYERS`."""
    runs: list[EncodedRun] = []
    for kind, pattern, decoder, needs in _KINDS:
        if needs not in text:
            continue  # every run of this kind holds `needs`: no scan (0.13 s a MB of news for HTML runs)
        base64_spans = [(r.start, r.end) for r in runs if r.kind == "base64"]  # in order, disjoint
        for match in pattern.finditer(text):
            if kind == "qp" and _overlaps(base64_spans, match.start(), match.end()):
                continue  # base64 padding before a line break ("...LiA=\n") is not a soft line break
            run = match.group().rstrip(".") if kind != "base64" else match.group()  # a sentence's full stop
            for start, piece in _windows(match.start(), run, kind):
                for begin, part in _trims(start, piece) if kind == "base64" else [(start, piece)]:
                    decoded = decoder(part)
                    if decoded is not None and is_plain_text(decoded) and decoded != part:
                        inner = encoded_runs(decoded, layer + 1) if layer < MAX_LAYERS else []
                        runs.append(EncodedRun(begin, begin + len(part), kind, "\n\n".join([decoded, *(r.decoded for r in inner)])))
                        break
    return runs


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether one of the sorted, disjoint `spans` overlaps [start, end)."""
    at = bisect.bisect_right(spans, (start, len(spans) and spans[-1][1] + 1))
    return (at > 0 and spans[at - 1][1] > start) or (at < len(spans) and spans[at][0] < end)


def _trims(start: int, run: str) -> list[tuple[int, str]]:
    """The run, then without up to `MAX_TRIMMED_WORDS` short words at either end: a base64 run may be
    joined across a space or line break, so "Blob <base64>" first reads as one run that fails."""
    words = [m.span() for m in _WORD.finditer(run)]
    heads = [0] + [words[i + 1][0] for i in range(min(MAX_TRIMMED_WORDS, len(words) - 1)) if words[i][1] - words[i][0] <= 8]
    tails = [len(run)] + [words[-i - 2][1] for i in range(min(MAX_TRIMMED_WORDS, len(words) - 1)) if words[-i - 1][1] - words[-i - 1][0] <= 8]
    return [(start + h, run[h:t]) for h in heads for t in tails if t - h >= 16]


def _windows(start: int, run: str, kind: str) -> list[tuple[int, str]]:
    """A long base64 run in windows of whole lines (or of 4-character groups), each decoded alone, so
    that text in one window is found even when another holds binary data. Other kinds are decoded
    whole: their decoders work character by character, and cutting them could split an escape.
    """
    if len(run) <= MAX_RUN_CHARS or kind != "base64":
        return [(start, run)]
    windows, begin = [], 0
    while begin < len(run):
        end = min(begin + MAX_RUN_CHARS, len(run))
        cut = run.rfind("\n", begin, end) + 1 if end < len(run) else end
        end = cut if cut > begin else begin + (end - begin) // 4 * 4
        windows.append((start + begin, run[begin:end]))
        begin = end
    return windows


def is_plain_text(decoded: str) -> bool:
    if len(decoded) < MIN_DECODED_CHARS:
        return False
    printable = sum(1 for c in decoded if c.isprintable() or c in "\t\n\r")
    return printable / len(decoded) >= MIN_PRINTABLE_SHARE


def _from_base64(run: str) -> str | None:
    compact = "".join(run.split()).rstrip("=")
    padded = compact + "=" * (-len(compact) % 4)
    try:
        data = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None
    if b"\x00" in data and (encoding := utf16_without_bom(data)):  # PowerShell -EncodedCommand and the like
        return data.decode(encoding, errors="replace")
    return _utf8_window(data)


def _utf8_window(data: bytes) -> str | None:
    """Strict UTF-8, except that a character cut by a window edge (continuation bytes at the start,
    an unfinished sequence at the end) is dropped rather than failing the whole window."""
    lead = 0
    while lead < min(3, len(data)) and 0x80 <= data[lead] <= 0xBF:
        lead += 1
    body = data[lead:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(body) - 3:
            return body[:exc.start].decode("utf-8")
        return None


def _from_url(run: str) -> str | None:
    """Percent-decoding, repeated while it changes (`%2540` is `%40` is `@`), at most `MAX_URL_LAYERS`."""
    decoded = run.replace("+", " ")
    for _ in range(MAX_URL_LAYERS):
        try:
            again = urllib.parse.unquote(decoded, errors="strict")
        except UnicodeDecodeError:
            return None
        if again == decoded:
            break
        decoded = again
    return decoded


def _from_escapes(run: str) -> str | None:
    """Backslash escapes as in source code and JSON: `\\x40`, `\\u0040`, `\\U00000040`."""
    codes = [int(m.group(1) or m.group(2) or m.group(3), 16) for m in _ESCAPE.finditer(run)]
    if any(0xD800 <= code <= 0xDFFF or code > 0x10FFFF for code in codes):  # chr() would fail or crash spaCy
        return None
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2) or m.group(3), 16)), run)


def _from_qp(run: str) -> str | None:
    try:
        return quopri.decodestring(run.encode("ascii")).decode("utf-8")
    except (ValueError, UnicodeError):  # non-ASCII around the escapes, or not UTF-8 inside
        return None


def _from_html(run: str) -> str | None:
    decoded = html.unescape(run)
    return None if any(0xD800 <= ord(c) <= 0xDFFF for c in decoded) else decoded


# (kind, pattern, decoder, a character every run of the kind holds; "" for none)
_KINDS = (("base64", _BASE64, _from_base64, ""), ("url", _URL, _from_url, "%"), ("html", _HTML, _from_html, "&"),
          ("escape", _ESCAPED, _from_escapes, "\\"), ("qp", _QP, _from_qp, "="))
