"""False-positive filters for PERSON spans: small `is_*` predicates, as detect-secrets does it.

A person's name has letters and no digits, no code or log punctuation (`_ = / \\ { } < > @ # | $`),
and is not a cell of a table header. A trailing possessive is trimmed (the name stays masked, the
`'s` is not part of it).
"""

from __future__ import annotations

from dataclasses import replace

import regex

from ..findings import Finding
from .places import is_place

_CODE_CHARS = regex.compile(r"[\d_=/\\{}<>@#|$%^*~`\[\]]")
_POSSESSIVE = regex.compile(r"\s*['’]s?$")
_TOKEN = regex.compile(r"\S+")
_CELL_SPLIT = regex.compile(r"\t|\||\s{2,}")
_DASHES = {"-", "–", "—", "--"}


def filter_persons(text: str, findings: list[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    headers: dict[tuple[int, int], frozenset[str]] = {}  # each line's header cells, read once
    for f in findings:
        if f.entity_type == "PERSON":
            f = trim_possessive(text, f)
            f = trim_non_name_tokens(text, f) if f else None
            if f is None or is_not_a_name(text[f.start:f.end]) or is_table_header(text, f, headers):
                continue
        kept.append(f)
    return kept


def trim_possessive(text: str, finding: Finding) -> Finding | None:
    match = _POSSESSIVE.search(text[finding.start:finding.end])
    if match is None:
        return finding
    end = finding.start + match.start()
    return replace(finding, end=end) if end > finding.start else None


def trim_non_name_tokens(text: str, finding: Finding) -> Finding | None:
    """"J. Smith 4-28" (a score glued to the name by the model) -> "J. Smith"; a span with such a
    token in its middle ("Leeds 3 Derby") is two things, not a name, and goes. A team list's label
    ("Sri Lanka - Arjuna Ranatunga ( captain )"): a place and a dash before the name are dropped,
    and the name is kept."""
    tokens = [m.span() for m in _TOKEN.finditer(text, finding.start, finding.end)]
    dash = next((k for k, (s, e) in enumerate(tokens) if text[s:e] in _DASHES), None)
    if dash and is_place(text[tokens[0][0]:tokens[dash - 1][1]]):
        tokens = tokens[dash + 1:]
    while tokens and is_not_a_name(text[tokens[0][0]:tokens[0][1]]):
        tokens.pop(0)
    while tokens and is_not_a_name(text[tokens[-1][0]:tokens[-1][1]]):
        tokens.pop()
    if not tokens or any(is_not_a_name(text[s:e]) for s, e in tokens):
        return None
    return replace(finding, start=tokens[0][0], end=tokens[-1][1])


def is_not_a_name(value: str) -> bool:
    return not any(map(str.isalpha, value)) or bool(_CODE_CHARS.search(value))


def is_table_header(text: str, finding: Finding, headers: dict[tuple[int, int], frozenset[str]] | None = None) -> bool:
    """The span is a whole cell of a line of three or more short word cells followed by a line
    with digits: a header row, not a person. `headers` keeps each line's cells for the next span on
    it: split again for every name, a long line of names cost time quadratic in its length (80 KB
    of "Abc and Abc and ...": 20 s)."""
    start = text.rfind("\n", 0, finding.start) + 1
    end = text.find("\n", finding.end)
    end = len(text) if end < 0 else end
    cells = headers.get((start, end)) if headers is not None else None
    if cells is None:
        cells = _header_cells(text, start, end)
        if headers is not None:
            headers[(start, end)] = cells
    return text[finding.start:finding.end].strip() in cells


def _header_cells(text: str, start: int, end: int) -> frozenset[str]:
    """The cells of text[start:end] if it reads as a table header row, else none."""
    cells = [c.strip() for c in _CELL_SPLIT.split(text[start:end])]
    if len(cells) < 3 or any(not c or len(c.split()) > 3 or is_not_a_name(c) for c in cells):
        return frozenset()
    following = text[end + 1:text.find("\n", end + 1) if text.find("\n", end + 1) >= 0 else len(text)]
    return frozenset(cells) if any(c.isdigit() for c in following) else frozenset()
