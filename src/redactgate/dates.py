"""Date shifting: every parseable date of a document moves by one keyed offset, written back in its format.

Intervals between the dates of a document are kept exactly. The offset is derived from the key and
the document's path (or the dataset alone, `date_shift_scope = "dataset"`, to keep intervals across
documents); it is never zero, and the first candidate offset that would turn one date of the
document into another is skipped, since `verify` would then see an original value survive.

Parsing is a small table of explicit formats rather than `dateutil`: dateutil returns a date but not
the format it read, and the date must be written back in the same format, so a table was needed anyway.
Formats: 2026-11-25 (also / and .), 25/11/2026 and 11/25/2026 (day first when any such date of the
document has a first part above 12, else month first), 25 November 2026, November 25, 2026, with
abbreviated months, ordinals (25th) and a weekday name (recomputed). Anything else (a year alone,
"March 2026", "Tuesday", "last spring") is not shifted; the caller falls back to a placeholder.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .keys import RunKey

MAX_OFFSET_TRIES = 32
_MONTHS = [m for m in calendar.month_name[1:]]
_MONTH_ABBR = [m for m in calendar.month_abbr[1:]]
_DAYS = list(calendar.day_name)
_DAY_ABBR = list(calendar.day_abbr)
_MONTH_RE = "|".join(sorted(_MONTHS + _MONTH_ABBR + ["Sept"], key=len, reverse=True))
_SUFFIX = r"(?P<suf>st|nd|rd|th)?"
_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\d)"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}){_SUFFIX}(?:\s+of)?\s+(?P<mon>{_MONTH_RE})\.?,?\s+(?P<y>\d{{4}})(?!\d)", re.I),
    re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}}){_SUFFIX},?\s+(?P<y>\d{{4}})(?!\d)", re.I),
]
_WEEKDAY = re.compile(r"\b(" + "|".join(_DAYS + _DAY_ABBR) + r")\b", re.I)
# What may surround the date inside a finding: a weekday, a time of day, a few joining words.
_REST_OK = re.compile(r"^(?:[\s,.:;()\-]|\d{1,2}[:.]\d{2}(?::\d{2})?|[ap]\.?m\.?|at|on|the|of|utc|t|z|"
                      + "|".join(_DAYS + _DAY_ABBR) + r")*$", re.I)


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
    groups = m.groupdict()
    year = int(groups["y"]) + (2000 if len(groups["y"]) == 2 and int(groups["y"]) < 70 else 1900 if len(groups["y"]) == 2 else 0)
    if groups.get("mon"):
        month = _month_number(groups["mon"])
        day = int(groups["d"])
    elif groups.get("a"):
        first, second = int(groups["a"]), int(groups["b"])
        day, month = (first, second) if day_first else (second, first)
    else:
        month, day = int(groups["m"]), int(groups["d"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def is_day_first(values: Sequence[str]) -> bool:
    """Numeric a/b/y dates of one document read day first when any first part is above 12."""
    return any(int(m.group("a")) > 12 for v in values if (m := _PATTERNS[1].search(v)))


def render(parsed: ParsedDate, new: date, text: str) -> str:
    """`text` with its date moved to `new`, every part written as the original wrote it."""
    m = parsed.match
    values = {"y": _width(new.year % 100 if len(m.group("y")) == 2 else new.year, m.group("y"))}
    if m.groupdict().get("mon"):
        values["mon"] = _month_style(new.month, m.group("mon"))
        values["d"] = _width(new.day, m.group("d"))
        if m.group("suf"):
            values["suf"] = _ordinal(new.day, m.group("suf"))
    elif m.groupdict().get("a"):
        a, b = (new.day, new.month) if parsed.day_first else (new.month, new.day)
        values["a"], values["b"] = _width(a, m.group("a")), _width(b, m.group("b"))
    else:
        values["m"], values["d"] = _width(new.month, m.group("m")), _width(new.day, m.group("d"))
    out = _splice(text, m, values)
    return _WEEKDAY.sub(lambda w: _weekday_style(new.weekday(), w.group(0)), out)


def shift_offset(key: RunKey, scope_id: str, max_days: int, attempt: int) -> int:
    """A keyed offset in [-max_days, -1] or [1, max_days] days."""
    raw = int.from_bytes(key.stream("date-shift", f"{scope_id}\0{attempt}".encode(), 8), "big")
    magnitude = 1 + raw % max_days
    return magnitude if (raw >> 32) & 1 else -magnitude


def shift_all(key: RunKey, scope_id: str, max_days: int, values: Sequence[str]) -> list[str | None]:
    """Shifted text for each value (None when it is not a date we can parse); one offset for all."""
    day_first = is_day_first(values)
    parsed = [parse_date(v, day_first) for v in values]
    originals = {v.casefold() for v in values}
    result: list[str | None] = [None] * len(values)
    for attempt in range(MAX_OFFSET_TRIES):
        delta = timedelta(days=shift_offset(key, scope_id, max_days, attempt))
        result = [_shifted(p, v, delta) for p, v in zip(parsed, values)]
        if not any(r is not None and r.casefold() in originals for r in result):
            return result
    return result  # verify() refuses the document if a date still maps onto another


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
