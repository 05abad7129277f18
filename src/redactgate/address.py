"""Street addresses: grow a street match (from `rules/contact.yaml`) over the rest of the address.

The rules find the street line ("12 Example Street", "Beispielstraße 5"); an address usually goes
on: a house number before it, an apartment or suite after it, then short lines with the city,
region, postcode and country. Those lines alone are not personal data and match too much text to
be rules of their own, so they are taken only when they follow a street match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import regex

from .findings import Finding

ENTITY = "STREET_ADDRESS"
MAX_EXTRA_LINES = 4
MAX_LINE_CHARS = 40
_BEFORE = regex.compile(r"\d{1,6}[ \t]+$")
_UNIT = regex.compile(r"[ \t]*,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Box|#)\.?[ \t]*\d+\w?", regex.IGNORECASE)
# a line of an address block: a unit, or place words with an optional region code and postcode
_BLOCK_LINE = regex.compile(
    r"[ \t]*,?[ \t]*(?:(?:Apt|Apartment|Suite|Ste|Unit|Flat)\.?[ \t]*\d+\w?"
    r"|\p{L}[\p{L}'’.\-]*(?:[ \t,]+\p{L}[\p{L}'’.\-]*){0,3}(?:[ \t]+\d{4,6})?|\d{4,6})[ \t]*",
    regex.IGNORECASE,
)

_ENDS_WITH_POSTCODE = regex.compile(r"\p{L}[ \t]+\d{4,6}$")
_POSTCODE_LINE = regex.compile(r"[ \t]*\p{L}[\p{L} .'\-]{1,30}[ \t]+\d{4,6}[ \t]*(?:\n|$)")


def extend_addresses(text: str, findings: Sequence[Finding]) -> list[Finding]:
    return [_extend(text, f) if f.entity_type == ENTITY else f for f in findings]


def _extend(text: str, finding: Finding) -> Finding:
    start, end = finding.start, finding.end
    before = _BEFORE.search(text, max(0, start - 12), start)
    if before:
        start = before.start()
    unit = _UNIT.match(text, end)
    if unit:
        end = unit.end()
    for _ in range(MAX_EXTRA_LINES):
        line_end = _next_block_line(text, end)
        if line_end is None:
            break
        end = line_end
        if _ENDS_WITH_POSTCODE.search(text, 0, end):
            break  # "Exampleland 01234" closes the block
    return replace(finding, start=start, end=end)


def _next_block_line(text: str, end: int) -> int | None:
    """End of the next line when it is a short address line right after `end` (same line's rest
    must be empty); None otherwise."""
    newline = text.find("\n", end)
    if newline < 0 or text[end:newline].strip(" \t,"):
        return None
    if text[newline + 1:newline + 2] == "\n" and _POSTCODE_LINE.match(text, newline + 2):
        newline += 1  # one blank line before a "Country 12345" line still belongs to the block
    stop = text.find("\n", newline + 1)
    stop = len(text) if stop < 0 else stop
    line = text[newline + 1:stop]
    if not line.strip() or len(line) > MAX_LINE_CHARS or not _BLOCK_LINE.fullmatch(line):
        return None
    return newline + 1 + len(line.rstrip())
