"""Digit runs that python-phonenumbers accepts but that read as something else (issue 4).

Presidio's phone recognizer parses any digit group its matcher meets, so sports tables, tennis
score lines and price columns in news come out as phone numbers (about 160 per MB of Reuters
news). These predicates look at the matched value and its line only; they never see a value's
neighbours in other documents and hold no word lists.
"""

from __future__ import annotations

import re

MIN_DIGITS = 6  # "16.41", "4-6": a results column or a score, not a number anyone dials
TABLE_COLUMNS = 5  # a line with this many number columns, beside another such line, is a table
_GROUP = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_DECIMAL_COLUMN = re.compile(r"(?:^|\s)\.\d")  # ".536": a percentage column
_SCORE = re.compile(r"(?<![\d\-])\d{1,2}-\s?\d{1,2}(?![\d\-])")  # "6-3", "7-6", "1- 7"
_PRICE = re.compile(r"(?<![\d.])\d+\.\d{1,3}(?![\d.])")  # "639.55" (one dot; a dotted phone has more)
_NUMBER_TOKEN = re.compile(r"(?<!\S)[\d.,/:\-]*\d[\d.,/:\-]*(?!\S)")


def is_not_a_phone(text: str, start: int, end: int) -> bool:
    value = text[start:end]
    groups = _GROUP.findall(value)
    return (
        sum(map(len, groups)) < MIN_DIGITS
        or _is_table_cells(groups)
        or bool(_DECIMAL_COLUMN.search(value))
        or len(_SCORE.findall(value)) >= 2
        or len(_PRICE.findall(value)) >= 2
        or (all(len(g) == 1 for g in groups) and _in_number_table(text, start))
    )


def is_table_row(text: str, start: int, end: int) -> bool:
    """Whether `is_not_a_phone` drops every value inside text[start:end]: its digits, all on one line,
    are single-digit cells and the line is in a number table. A value's digit groups are then
    single digits too, and it starts on that line."""
    digits = [m.start() for m in _DIGIT.finditer(text, start, end)]
    return (bool(digits) and "\n" not in text[digits[0]:digits[-1]]
            and all(len(g) == 1 for g in _GROUP.findall(text, start, end)) and _in_number_table(text, digits[0]))


def _is_table_cells(groups: list[str]) -> bool:
    # "3 1 0 6 1 10", "57 5 49": several one-digit cells beside wider ones. A number spelled out
    # digit by digit ("5 5 5 0 1 2 3") has no wider group and is left alone.
    return sum(len(g) == 1 for g in groups) >= 2 and any(len(g) > 1 for g in groups)


def _in_number_table(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = _line_end(text, start)
    if _columns(text[line_start:line_end]) < TABLE_COLUMNS:
        return False
    before = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1:max(0, line_start - 1)]
    after = text[line_end + 1:_line_end(text, line_end + 1)] if line_end < len(text) else ""
    return max(_columns(before), _columns(after)) >= TABLE_COLUMNS


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _columns(line: str) -> int:
    return len(_NUMBER_TOKEN.findall(line))
