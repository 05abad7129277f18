"""Street addresses: grow a street match (from `rules/contact.yaml`) over the rest of the address.

The rules find the street line ("12 Example Street", "Beispielstraße 5", "PSC 1234, Box 5678"); an
address usually goes on: a building name or house number before it, more street words, apartments
or suites after it, then the city, region, postcode and country on the same line or on short lines
below (also quoted, "> Exampleton"). Those parts alone are not personal data and match too much text
to be rules of their own, so they are taken only next to a street match. "the corner of A and B"
is taken whole when a street match is one of its sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import regex

from .findings import Finding

ENTITY = "STREET_ADDRESS"
MAX_EXTRA_LINES = 4
MAX_LINE_CHARS = 48
MAX_TAIL_WORDS = 6
# USPS Publication 28 street suffixes (and common European type words written in English order);
# the rule patterns use the short, unambiguous part of this list, the extension all of it.
STREET_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Square|Sq|Terrace|"
    "Way|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Crescent|Close|Row|Trail|Alley|Plaza|Gardens?|Hill|Park|"
    "Grove|Mews|Walk|Bypass|Causeway|Crossing|Crossroad|Expressway|Extension|Freeway|Gateway|Harbou?r|"
    "Heights|Junction|Loop|Mall|Manor|Motorway|Overpass|Pass|Passage|Pike|Point|Port|Prairie|Radial|"
    "Ramp|Ranch|Rapid|Ridge|Route|Skyway|Spur|Stravenue|Summit|Throughway|Trace|Track|Trafficway|"
    "Tunnel|Turnpike|Underpass|Union|Valley|View|Village|Ville|Vista|Branch|Bridge|Brook|Burg|Camp|"
    "Canyon|Cape|Center|Centre|Cliff|Club|Common|Corner|Course|Cove|Creek|Crest|Curve|Dale|Dam|Divide|"
    "Estate|Falls|Ferry|Field|Flat|Ford|Forest|Forge|Fork|Fort|Glen|Green|Haven|Hollow|Inlet|Island|"
    "Isle|Key|Knoll|Lake|Landing|Light|Lock|Lodge|Meadow|Mill|Mission|Mount|Mountain|Neck|Orchard|Oval|"
    "Path|Pine|Plain|Rest|River|Run|Shoal|Shore|Spring|Station|Stream|Wall|Well"
)
# Function words never taken as place names after a street ("12 Example Street The next day").
_PROSE = frozenset(
    "a an the and or but if then so as at by for from in into of off on onto to with without about "
    "i you he she it we they me him her us them my your his its our their this that these those "
    "is are was were be been has have had do does did will would can could should may might must "
    "please thanks thank hi hello dear yes no not".split()
)
_UNIT = regex.compile(
    r"[ \t]*,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Room|Floor|Fl|Box|#)\.?[ \t]*#?\d+\w?", regex.IGNORECASE
)
_UNIT_BEFORE = regex.compile(r"(?:Apt|Apartment|Suite|Ste|Unit|Flat)\.?[ \t]*\d+\w?[ \t]+$", regex.IGNORECASE)
_HOUSE_BEFORE = regex.compile(r"\d{1,6}[ \t]+$")
_WORD = regex.compile(r"\S+")
_CAPITALISED = regex.compile(r"\p{Lu}[\p{L}'’\-]*")
_MORE_STREET = regex.compile(
    rf"(?:[ \t]+\p{{L}}[\p{{L}}'’.\-]*){{1,3}}?[ \t]+(?i:{STREET_TYPES})s?\b\.?"
)
_DIRECTION = regex.compile(r"[ \t]+(?:North|South|East|West|NE|NW|SE|SW)\b\.?")
_CORNER_BEFORE = regex.compile(r"\bthe[ \t]+corner[ \t]+of[ \t]+$", regex.IGNORECASE)
_CORNER_AFTER = regex.compile(r"[ \t]+and[ \t]+(?:[\p{L}'’.\-]+[ \t]+){0,3}?[\p{L}'’.\-]*\p{L}(?:[ \t]+\d{1,5}\.?)?(?=[ \t]*(?:[.,;:?!)]|$|\n))")
_TAIL_WORD = regex.compile(r"(?:[ \t]*,[ \t]*|[ \t]+)(\p{L}[\p{L}'’.\-]*(?:[ \t]*\([\p{L} ]{1,20}\))?|[A-Z]{2}|\d{4,6}(?:-\d{3,4})?)")
_QUOTE = r"[ \t]*(?:[>|]+|\?{2,})?[ \t]*"
_BLOCK_LINE = regex.compile(
    _QUOTE + r",?[ \t]*(?:(?:Apt|Apartment|Suite|Ste|Unit|Flat)\.?[ \t]*\d+\w?"
    r"|\p{L}[\p{L}'’.\-]*(?:[ \t]*\([\p{L} ]{1,20}\)|[ \t,]+\p{L}[\p{L}'’.\-]*){0,3}(?:,?[ \t]+\d{1,3}(?=[ \t]+\d{4,6}\b))?(?:[ \t]+\d{4,6}\b)?"
    r"|\d{4,6}(?:-\d{3,4})?)[ \t]*",
    regex.IGNORECASE,
)
_ENDS_WITH_POSTCODE = regex.compile(r"\d{4,6}$")
_POSTCODE_LINE = regex.compile(_QUOTE + r"\p{L}[\p{L} .'()\-]{1,30}[ \t]+\d{4,6}[ \t]*(?:\n|$)")
_LINE_END_PUNCT = regex.compile(r"[.?!]+[ \t]*")
_NEXT_WORD = regex.compile(r"[ \t]+(\p{L}+)")
_SENTENCE_END = regex.compile(r"[ \t]*(?:[.?!,;:)]|$)")


def extend_addresses(text: str, findings: Sequence[Finding]) -> list[Finding]:
    return [_extend(text, f) if f.entity_type == ENTITY else f for f in findings]


def _extend(text: str, finding: Finding) -> Finding:
    start = _grow_back(text, finding.start)
    end = _grow_same_line(text, finding.end, lowercase=text[finding.start:finding.end].islower())
    corner = _CORNER_BEFORE.search(text, max(0, start - 16), start)
    if corner:
        start = corner.start()
        after = _CORNER_AFTER.match(text, end)
        end = after.end() if after else end
    else:
        end = _grow_lines(text, end)
    return replace(finding, start=start, end=end)


def _grow_back(text: str, start: int) -> int:
    for pattern in (_HOUSE_BEFORE, _UNIT_BEFORE):
        before = pattern.search(text, max(0, start - 16), start)
        if before:
            start = before.start()
    return _name_before(text, start) if text[start:start + 1].isdigit() else start


def _name_before(text: str, start: int) -> int:
    """Start of up to two capitalised words (a building or street name: "Serenade Opus 420 ...")
    right before a house number, when a lower-case word, a colon or the line start precedes them."""
    line_start = text.rfind("\n", 0, start) + 1
    words = list(_WORD.finditer(text, line_start, start))
    if not words or words[-1].end() == start:
        return start
    taken = 0
    while taken < min(2, len(words)) and _is_name_word(words[-1 - taken].group()):
        taken += 1
    if taken == 0:
        return start
    before = words[-1 - taken].group() if taken < len(words) else ""
    if before and not (before[0].islower() or before[-1] in ":>?"):
        return start
    return words[-taken].start()


def _is_name_word(word: str) -> bool:
    return bool(_CAPITALISED.fullmatch(word)) and word.lower() not in _PROSE


def _grow_same_line(text: str, end: int, lowercase: bool) -> int:
    more = _MORE_STREET.match(text, end)
    if more and not _is_prose(more.group()) and (lowercase or more.group().split()[0][0].isupper()):
        end = more.end()
    direction = _DIRECTION.match(text, end)
    end = direction.end() if direction else end
    while unit := _UNIT.match(text, end):
        end = unit.end()
    return _tail(text, end, lowercase)


def _tail(text: str, end: int, lowercase: bool) -> int:
    """Place words after the street on its line (", Exampleton, Exampleland 01234"), taken only when
    the line or the sentence ends right after them."""
    words, pos = 0, end
    while words < MAX_TAIL_WORDS and (word := _TAIL_WORD.match(text, pos)):
        value = word.group(1)
        if value.lower() in _PROSE or (value[0].islower() and not lowercase):
            break
        pos, words = word.end() - value.endswith("."), words + 1  # a full stop ends the sentence
        if _SENTENCE_END.match(text, pos) or (not lowercase and _is_prose_next(text[pos:pos + 24])):
            end = pos
    return end


def _is_prose_next(rest: str) -> bool:
    """The text after an address goes on as a sentence: a space, then a lower-case word."""
    word = _NEXT_WORD.match(rest)
    return bool(word) and word.group(1)[0].islower()


def _is_prose(words: str) -> bool:
    return any(w.lower() in _PROSE for w in words.split())


def _grow_lines(text: str, end: int) -> int:
    for _ in range(MAX_EXTRA_LINES):
        line_end = _next_block_line(text, end)
        if line_end is None:
            break
        end = line_end
        if _ENDS_WITH_POSTCODE.search(text, max(0, end - 6), end):
            break  # "Exampleland 01234" closes the block
    return end


def _next_block_line(text: str, end: int) -> int | None:
    """End of the address part of the next line when it is a short address line right after `end`
    (the rest of the current line must be empty); None otherwise. A line may go on after a
    postcode ("01234 for this card"), never after place words alone."""
    newline = text.find("\n", end)
    if newline < 0 or text[end:newline].strip(" \t,"):
        return None
    if text[newline + 1:newline + 2] == "\n" and _POSTCODE_LINE.match(text, newline + 2):
        newline += 1  # one blank line before a "Country 12345" line still belongs to the block
    stop = text.find("\n", newline + 1)
    stop = len(text) if stop < 0 else stop
    line = text[newline + 1:stop]
    match = _BLOCK_LINE.match(line)
    if not match or not line.strip() or _is_prose(match.group()):
        return None
    taken = match.group().rstrip()
    rest = line[len(taken):]
    postcode = _ENDS_WITH_POSTCODE.search(taken)
    if rest.strip() and not (postcode and (_SENTENCE_END.match(rest) or _is_prose_next(rest))
                             or _LINE_END_PUNCT.fullmatch(rest)):
        return None
    if not rest.strip() and len(line) > MAX_LINE_CHARS:
        return None
    return newline + 1 + len(taken.rstrip(".?!"))  # a full stop ends the sentence, not the address
