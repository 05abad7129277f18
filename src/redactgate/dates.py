"""Date shifting: every parseable date of a document moves by one keyed offset, written back in its format.

Intervals between the dates of a document are kept exactly. The offset is derived from the key and
the document's path (or the dataset alone, `date_shift_scope = "dataset"`, to keep intervals across
documents); it is never zero, and the first candidate offset that would turn one date of the
document into another is skipped, since `verify` would then see an original value survive.

Parsing is a small table of explicit formats rather than `dateutil`: dateutil returns a date but not
the format it read, and the date must be written back in the same format, so a table was needed anyway.
Full dates (shifted exactly): 2026-11-25 (also / and ., with a time), 25/11/2026 and 11/25/2026 (day
first when any such date of the document has a first part above 12, else month first), 25 November
2026, November 25, 2026, with abbreviated months, ordinals (25th) and a weekday name (recomputed).
Partial dates follow the same offset: a weekday alone exactly ("Tuesday" moves with the offset modulo
7), "3 March" and "March 2026" from the 15th or the given day, "March" alone and a year alone
approximately (from the 15th, or 2 July). Anything else ("the 1990s", "last spring", "5 pm") is not
shifted; the caller falls back to a placeholder.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .keys import RunKey

MAX_OFFSET_TRIES = 64
MIN_VALUE_CHARS = 3  # as verify.MIN_SURVIVOR_CHARS: shorter values are not checked there either
_MONTHS = [m for m in calendar.month_name[1:]]
_MONTH_ABBR = [m for m in calendar.month_abbr[1:]]
_DAYS = list(calendar.day_name)
_DAY_ABBR = list(calendar.day_abbr)
_MONTH_RE = "|".join(sorted(_MONTHS + _MONTH_ABBR + ["Sept"], key=len, reverse=True))
_SUFFIX = r"(?P<suf>st|nd|rd|th)?"
_PATTERNS = [  # most precise first: the first one that matches (with an acceptable rest) is used
    re.compile(r"(?<!\d)(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\d)"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}){_SUFFIX}(?:\s+of)?\s+(?P<mon>{_MONTH_RE})\.?(?:,?\s+(?P<y>\d{{4}}))?(?!\d)", re.I),
    re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}}){_SUFFIX}(?:,?\s+(?P<y>\d{{4}}))?(?!\d)", re.I),
    re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?(?:,?\s+(?P<y>\d{{4}}))?(?!\d)", re.I),
    re.compile(r"(?<!\d)(?P<y>[12]\d{3})(?!\d)"),
    re.compile(r"\b(?P<wd>" + "|".join(_DAYS + _DAY_ABBR) + r")\b", re.I),
]
_WEEKDAY = re.compile(r"\b(" + "|".join(_DAYS + _DAY_ABBR) + r")\b", re.I)
# What may surround the date inside a finding: a weekday, a time of day, a few joining words.
_REST_OK = re.compile(r"^(?:[\s,.:;()+\-]|t(?=\d)|(?<=\d)z\b|\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?|\b(?:[ap]\.?m\.?|at|on|in|by|the|of|"
                      r"from|until|since|early|mid|late|utc|" + "|".join(_DAYS + _DAY_ABBR) + r")\b)*$", re.I)
# Parts a date leaves out are filled from a fixed non-leap reference: a month alone is its 15th, a
# year alone its 2 July, so the shifted month or year follows the document's offset (approximately).
_REF_YEAR = 2001  # starts on a Monday


@dataclass(frozen=True)
class ParsedDate:
    value: date
    match: re.Match[str]
    day_first: bool = False


def parse_date(text: str, day_first: bool = False) -> ParsedDate | None:
    """The one date in `text`, when the rest of it is only a weekday, a time or joining words."""
    for pattern in _PATTERNS:
        m = pattern.search(text)
        if m and _REST_OK.match(text[: m.start()] + " " + text[m.end():]):
            value = _to_date(m, day_first)
            return ParsedDate(value, m, day_first) if value else None
    return None


def _to_date(m: re.Match[str], day_first: bool) -> date | None:
    g = m.groupdict()
    if g.get("wd"):
        return date(_REF_YEAR, 1, 1) + timedelta(days=_weekday_number(g["wd"]))
    year = _year(g["y"]) if g.get("y") else _REF_YEAR
    if g.get("a"):
        first, second = int(g["a"]), int(g["b"])
        day, month = (first, second) if day_first else (second, first)
    elif g.get("mon") or g.get("m"):
        month = _month_number(g["mon"]) if g.get("mon") else int(g["m"])
        day = int(g["d"]) if g.get("d") else 15
    else:
        month, day = 7, 2
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(text: str) -> int:
    if len(text) == 4:
        return int(text)
    return int(text) + (2000 if int(text) < 70 else 1900)


def is_day_first(values: Sequence[str]) -> bool:
    """Numeric a/b/y dates of one document read day first when any first part is above 12."""
    return any(int(m.group("a")) > 12 for v in values if (m := _PATTERNS[1].search(v)))


def render(parsed: ParsedDate, new: date, text: str) -> str:
    """`text` with its date moved to `new`, every part written as the original wrote it."""
    m, g = parsed.match, parsed.match.groupdict()
    values = {}
    if g.get("y"):
        values["y"] = _width(new.year % 100 if len(g["y"]) == 2 else new.year, g["y"])
    if g.get("mon"):
        values["mon"] = _month_style(new.month, g["mon"])
    if g.get("m"):
        values["m"] = _width(new.month, g["m"])
    if g.get("d"):
        values["d"] = _width(new.day, g["d"])
    if g.get("suf"):
        values["suf"] = _ordinal(new.day, g["suf"])
    if g.get("a"):
        a, b = (new.day, new.month) if parsed.day_first else (new.month, new.day)
        values["a"], values["b"] = _width(a, g["a"]), _width(b, g["b"])
    out = _splice(text, m, values)
    return _WEEKDAY.sub(lambda w: _weekday_style(new.weekday(), w.group(0)), out)


def shift_offset(key: RunKey, scope_id: str, max_days: int, attempt: int) -> int:
    """A keyed offset in [-max_days, -1] or [1, max_days] days."""
    raw = int.from_bytes(key.stream("date-shift", f"{scope_id}\0{attempt}".encode(), 8), "big")
    magnitude = 1 + raw % max_days
    return magnitude if (raw >> 32) & 1 else -magnitude


def shift_all(key: RunKey, scope_id: str, max_days: int, values: Sequence[str],
              forbidden: Sequence[str] = ()) -> list[str | None]:
    """Shifted text for each value (None when it is not a date we can parse); one offset for all.

    An offset is skipped when a shifted text would contain, as a word, one of `values` or
    `forbidden` (the document's other detected values): "Tuesday" shifted by a whole number of weeks,
    a year by less than its distance to a year boundary, or a date landing on another date of the
    document would show an original value, which `verify` refuses."""
    day_first = is_day_first(values)
    parsed = [parse_date(v, day_first) for v in values]
    originals = _word_pattern([*values, *forbidden])
    result: list[str | None] = [None] * len(values)
    for attempt in range(MAX_OFFSET_TRIES):
        delta = timedelta(days=shift_offset(key, scope_id, max_days, attempt))
        result = [_shifted(p, v, delta) for p, v in zip(parsed, values)]
        if originals is None or not any(r is not None and originals.search(r) for r in result):
            return result
    return result  # verify() refuses the document if an original value still shows


def _word_pattern(values: Sequence[str]) -> re.Pattern[str] | None:
    words = sorted({v.strip() for v in values if len(v.strip()) >= MIN_VALUE_CHARS}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.I) if words else None


def _shifted(parsed: ParsedDate | None, text: str, delta: timedelta) -> str | None:
    if parsed is None:
        return None
    try:
        return render(parsed, parsed.value + delta, text)
    except OverflowError:
        return None


def _splice(text: str, m: re.Match[str], values: dict[str, str]) -> str:
    spans = sorted((m.start(g), m.end(g), v) for g, v in values.items())
    out, cursor = [], 0
    for start, end, value in spans:
        out += [text[cursor:start], value]
        cursor = end
    return "".join(out) + text[cursor:]


def _width(number: int, original: str) -> str:
    return str(number).zfill(len(original)) if original.startswith("0") or len(original) > len(str(number)) else str(number)


def _weekday_number(name: str) -> int:
    lowered = name.casefold()
    return next(i for i, (full, abbr) in enumerate(zip(_DAYS, _DAY_ABBR)) if lowered in (full.casefold(), abbr.casefold()))


def _month_number(name: str) -> int:
    lowered = name.casefold()
    for index, (full, abbr) in enumerate(zip(_MONTHS, _MONTH_ABBR), start=1):
        if lowered in (full.casefold(), abbr.casefold()) or (lowered == "sept" and index == 9):
            return index
    raise ValueError(name)


def _month_style(month: int, original: str) -> str:
    full = original.casefold() in {m.casefold() for m in _MONTHS}
    name = _MONTHS[month - 1] if full else _MONTH_ABBR[month - 1]
    return _case_like(name, original)


def _weekday_style(weekday: int, original: str) -> str:
    full = original.casefold() in {d.casefold() for d in _DAYS}
    return _case_like(_DAYS[weekday] if full else _DAY_ABBR[weekday], original)


def _case_like(word: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    return word.lower() if original.islower() else word


def _ordinal(day: int, original: str) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return suffix.upper() if original.isupper() else suffix
