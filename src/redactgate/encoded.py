"""Bounded decoding of encoded runs: base64, URL percent-encoding and HTML character references.

A value hidden as `YWxpY2VAZXhhbXBsZS5jb20=`, `alice%40example.com` or `alice&#64;example.com`
is decoded once (no nesting), scanned like any text, and when something is found there the whole
encoded run is replaced. Bounds keep a hostile file from turning this into a decompression bomb:
runs longer than `MAX_RUN_CHARS` are not decoded, and at most `MAX_RUNS` runs per document are.
"""

from __future__ import annotations

import base64
import binascii
import html
import urllib.parse
from dataclasses import dataclass

import regex

MAX_RUN_CHARS = 4096
MAX_RUNS = 256
MIN_DECODED_CHARS = 6
MIN_PRINTABLE_SHARE = 0.95

_BASE64 = regex.compile(r"(?<![A-Za-z0-9+/=_-])(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![A-Za-z0-9+/=_-])"
                        r"|(?<![A-Za-z0-9+/=_-])[A-Za-z0-9_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])")
_URL = regex.compile(r"(?:[A-Za-z0-9._~+-]|%[0-9A-Fa-f]{2})*%[0-9A-Fa-f]{2}(?:[A-Za-z0-9._~+-]|%[0-9A-Fa-f]{2})*")
_HTML = regex.compile(r"(?:[\w.+-]|&#?[A-Za-z0-9]{1,8};)*&#?[A-Za-z0-9]{1,8};(?:[\w.+-]|&#?[A-Za-z0-9]{1,8};)*")


@dataclass(frozen=True)
class EncodedRun:
    start: int
    end: int
    kind: str  # base64, url, html: part of the rule id `encoded-<kind>`
    decoded: str


def encoded_runs(text: str) -> list[EncodedRun]:
    runs: list[EncodedRun] = []
    for kind, pattern, decoder in (("base64", _BASE64, _from_base64), ("url", _URL, _from_url), ("html", _HTML, _from_html)):
        for match in pattern.finditer(text):
            if len(runs) >= MAX_RUNS:
                return runs
            run = match.group().rstrip(".") if kind != "base64" else match.group()  # a sentence's full stop
            if len(run) > MAX_RUN_CHARS:
                continue
            decoded = decoder(run)
            if decoded is not None and is_plain_text(decoded) and decoded != run:
                runs.append(EncodedRun(match.start(), match.start() + len(run), kind, decoded))
    return runs


def is_plain_text(decoded: str) -> bool:
    if len(decoded) < MIN_DECODED_CHARS:
        return False
    printable = sum(1 for c in decoded if c.isprintable() or c in "\t\n\r")
    return printable / len(decoded) >= MIN_PRINTABLE_SHARE


def _from_base64(run: str) -> str | None:
    compact = run.rstrip("=")
    padded = compact + "=" * (-len(compact) % 4)
    try:
        data = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        return data.decode("utf-8")
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        return None


def _from_url(run: str) -> str | None:
    try:
        return urllib.parse.unquote(run.replace("+", " "), errors="strict")
    except UnicodeDecodeError:
        return None


def _from_html(run: str) -> str | None:
    decoded = html.unescape(run)
    return None if any(0xD800 <= ord(c) <= 0xDFFF for c in decoded) else decoded
