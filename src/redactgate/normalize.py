"""The detection copy: what a reader sees, without the tricks that hide a value from a recognizer.

- a right-to-left override run is read in display order (`\u202emoc.elpmaxe@enaj` shows an address);
- format characters (zero-width space and joiners, soft hyphen, bidi controls, BOM) and decorating
  combining marks (diacritics, zalgo stacks, variation selectors) are removed;
- each character is NFKC-folded (full-width letters and digits, ligatures, no-break spaces), and
  decimal digits of any script become ASCII digits;
- white space between two parts of a number (a line break, a tab, several spaces) becomes one space,
  so a card or phone number split across lines reads as one (after a hyphen it is removed);
- inside a token that mixes Latin with Cyrillic or Greek letters, look-alike letters are folded to
  Latin (`Аlice` with a Cyrillic `А`), and the token is reported as mixed-script.

`Normalised.span` maps a span of the copy back to the original, so masking covers the whole original
span, invisible characters included. The map records only replacements that change the length
(removals, expansions, joined white space); one-for-one folds such as full-width letters keep every
offset, so the map stays small even for a document written entirely in full-width forms.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

import regex

# Non-ASCII characters and white-space runs that may need folding; everything else is copied as is.
# Non-ASCII characters, C0 controls (NUL ...), letter-spaced runs and white-space runs that may need
# folding; everything else is copied as is.
_RLO_RUN = r"\u202e[^\u202a-\u202e\u2066-\u2069\n]*\u202c?"
_OTHER = r"[^\t\n\v\f\r\x20-\x7e\u202e]+|[ \t\r\n\f\v]{2,}|[\t\r\n\f\v]"
_CANDIDATE = regex.compile(f"{_RLO_RUN}|{_OTHER}")
# With letter-spaced runs: only for texts with a spaced "@", as the extra branch costs 4x per character.
_CANDIDATE_SPACED = regex.compile(rf"{_RLO_RUN}|(?<!\S)\S(?: \S){{5,}}(?!\S)|{_OTHER}")
_LINE_BREAK = regex.compile(r"[ \t]*(?:\r\n|\n|\r)[ \t]*")
_NAME_WORD = regex.compile(r"\p{Lu}\p{Ll}+")
_ADDRESS_EDGE = regex.compile(r"[\w.+-]")  # characters of an e-mail address, either part
_ADDRESS_MAX = 254
SOFT_WRAP_MIN_LINE = 40  # a shorter line ending in a capitalised word is a heading or a row, not a wrap
RLO, PDF = "\u202e", "\u202c"  # right-to-left override, pop directional formatting
_TOKEN = regex.compile(r"\w+")
_NON_ASCII_WORD_CHAR = regex.compile(r"[^\W\x00-\x7f]")  # no word can mix scripts without one
_NUMBER_PART = regex.compile(r"[0-9A-Z]")
_NUMBER_RUN_BEFORE = regex.compile(r"[0-9A-Z]*$")
_NUMBER_RUN_AFTER = regex.compile(r"[0-9A-Z]*")
# Combining marks that decorate rather than spell (diacritics, zalgo stacks, variation selectors):
# removed from the copy, so "J\u0334a\u0334n\u0334e\u0334" and a decomposed "e\u0301" read as letters.
_INVISIBLE_MARK = regex.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\U000e0100-\U000e01ef]"
)
# Cyrillic and Greek letters drawn like Latin ones (a subset of Unicode's confusables.txt).
HOMOGLYPHS: dict[str, str] = dict(zip(
    "аеорсухіјѕԁһԛԝАВЕКМНОРСТХІЈЅУ" "οινρκΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhqwABEKMHOPCTXIJSY" "oivpkABEZHIKMNOPTYX",
))
_MIXED_SCRIPTS = ("CYRILLIC", "GREEK")


@dataclass
class Normalised:
    original: str
    text: str
    # Pieces that are not copied 1:1: (copy start, copy end, original start, original end), sorted.
    pieces: list[tuple[int, int, int, int]] = field(default_factory=list)
    mixed_script: list[tuple[int, int]] = field(default_factory=list)  # original offsets

    def offset(self, index: int, edge: str) -> int:
        """Original offset of the start (`edge="start"`) or end of copy character `index`."""
        at = bisect.bisect_right(self._starts, index) - 1
        if at >= 0:
            start, end, ostart, oend = self.pieces[at]
            if index < end:
                return ostart if edge == "start" else oend
            return oend + (index - end) + (edge == "end")
        return index + (edge == "end")

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind copy span [start, end); empty spans stay empty."""
        if end <= start:
            point = self.offset(start, "start") if start < len(self.text) else len(self.original)
            return point, point
        ostart, oend = self.offset(start, "start"), self.offset(end - 1, "end")
        while oend < len(self.original) and _INVISIBLE_MARK.match(self.original[oend]):
            oend += 1  # marks stacked on the span's last letter belong to it
        return ostart, oend

    @cached_property
    def _starts(self) -> list[int]:
        return [p[0] for p in self.pieces]


def normalize(text: str) -> Normalised:
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    cursor = length = 0
    for match in (_CANDIDATE_SPACED if " @ " in text or " \uff20 " in text else _CANDIDATE).finditer(text):
        for ostart, oend, new in _replacements(text, match):
            length += ostart - cursor
            out += [text[cursor:ostart], new]
            # One character for one (full-width, no-break space) keeps offsets; a run (a reversed
            # right-to-left override run) is mapped whole even when its length happens not to change.
            if len(new) != oend - ostart or oend - ostart > 1:
                pieces.append((length, length + len(new), ostart, oend))
            length += len(new)
            cursor = oend
    out.append(text[cursor:])
    result = Normalised(text, "".join(out), pieces)
    _fold_homoglyphs(result)
    return result


def _replacements(text: str, match: regex.Match) -> list[tuple[int, int, str]]:
    """(original start, original end, copy text) for each character or run that changes."""
    if match.group()[0] == RLO:  # shown reversed: the reader sees the value, the bytes hold it backwards
        shown = "".join(_fold(c) for c in reversed(match.group()[1:].removesuffix(PDF)))
        return [(match.start(), match.end(), shown)]
    if match.group()[0] in " \t\r\n\f\v":
        if _joins_number(text, match.start(), match.end()):
            return [(match.start(), match.end(), " ")]
        if _after_hyphen(text, match.start(), match.end()):  # "078-05-\n1120" reads as "078-05-1120"
            return [(match.start(), match.end(), "")]
        if _LINE_BREAK.fullmatch(match.group()):
            return _soft_wrap(text, match.start(), match.end())
        return []
    if " " in match.group():
        return _letter_spaced(match)
    changes = []
    for index in range(match.start(), match.end()):
        new = _fold(text[index])
        if new != text[index]:
            changes.append((index, index + 1, new))
    return changes


def _fold(char: str) -> str:
    if unicodedata.category(char) in ("Cf", "Cc") or _INVISIBLE_MARK.match(char):
        return ""  # a NUL or other control inside a value shows as nothing (tab and line ends never come here)
    if unicodedata.category(char) == "Nd":  # Arabic-Indic, Devanagari ... digits: NFKC keeps them
        return str(unicodedata.decimal(char))
    return unicodedata.normalize("NFKC", char)


def _soft_wrap(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """A single line break inside an e-mail address is removed ("jane.roe@exam\\nple.com"); one
    between two capitalised words reads as a space ("Helen\\nMarsh"), so the model sees one name."""
    before = _word_before(text, start)
    after = _word_after(text, end)
    if _splits_address(before, after):
        return [(start, end, "")]
    if _NAME_WORD.fullmatch(before) and _NAME_WORD.match(after) and _is_wrapped_line(text, start):
        return [(start, end, " ")]
    return []


def _is_wrapped_line(text: str, end: int) -> bool:
    """The line is running text cut by a wrap, not a heading or a table row ("May 18 v Derby")."""
    begin = max(text.rfind("\n", max(end - SOFT_WRAP_MIN_LINE, 0), end), text.rfind("\r", max(end - SOFT_WRAP_MIN_LINE, 0), end))
    return begin < 0 and end >= SOFT_WRAP_MIN_LINE


def _word_before(text: str, start: int) -> str:
    begin = start
    while begin > max(start - _ADDRESS_MAX, 0) and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:start]


def _word_after(text: str, end: int) -> str:
    stop = end
    while stop < min(end + _ADDRESS_MAX, len(text)) and not text[stop].isspace():
        stop += 1
    return text[end:stop]


def _splits_address(before: str, after: str) -> bool:
    """The two sides of a line break are one e-mail address: the joined word holds an "@", and one
    side is visibly unfinished (ends in "@" or ".", or its domain has no dot yet) or the other starts
    with "@" or "."; "Contact\\njane@example.com" is two words and stays so."""
    if "@" not in before + after or not before or not after:
        return False
    if not (_ADDRESS_EDGE.match(before[-1]) or before[-1] == "@") or not (_ADDRESS_EDGE.match(after[0]) or after[0] == "@"):
        return False
    if before[-1] in "@.-+_" or after[0] in "@.":
        return True
    local, at, domain = before.rpartition("@")
    return bool(at) and bool(local) and "." not in domain


def _letter_spaced(match: regex.Match) -> list[tuple[int, int, str]]:
    """A letter-spaced address ("j a n e @ e x a m p l e . c o m") reads without its spaces; other
    runs of single characters (lists, initials) keep them and only have their characters folded."""
    text, start = match.group(), match.start()
    folded = [_fold(c) for c in text[0::2]]
    changes = [(start + 2 * i, start + 2 * i + 1, new) for i, new in enumerate(folded) if new != text[2 * i]]
    if "@" in "".join(folded) and "." in "".join(folded).rpartition("@")[2]:
        changes += [(start + i, start + i + 1, "") for i in range(1, len(text), 2)]
    return sorted(changes)


def _after_hyphen(text: str, start: int, end: int) -> bool:
    return text[max(start - 2, 0):start][:1].isdigit() and text[start - 1:start] == "-" and text[end:end + 1].isdigit()


def _joins_number(text: str, start: int, end: int) -> bool:
    """Two characters of a number group on each side (digits, or IBAN capitals), one side a digit.

    Keeps prose apart: "Smith 50\nM. Waugh" in a score table is not one number.
    """
    before, after = text[max(start - 2, 0):start], text[end:end + 2]
    if before[-1:] == ")" and before[:1].isdigit() and after[:1].isdigit():  # "(202)\n555-0147"
        return True
    if not (_is_group_edge(before, lead="+") and _is_group_edge(after)):
        return False
    run_before = _NUMBER_RUN_BEFORE.search(text, max(start - 64, 0), start).group()
    if _is_word(run_before) or _is_word(_NUMBER_RUN_AFTER.match(text, end, end + 64).group()):
        return False  # "Apt. 297\nTYSTBERGA": a capitalised word on the next line, not an IBAN group
    return before[-1].isdigit() or after[0].isdigit()


def _is_word(run: str) -> bool:
    """Capitals with no digit, longer than an IBAN group (four characters, as in "GB82 WEST 1234")."""
    return len(run) > 4 and not any(c.isdigit() for c in run)


def _is_group_edge(chars: str, lead: str = "") -> bool:
    """Two number-group characters; `lead` may stand first (the `+` of "+1\n202 555 0100")."""
    return len(chars) == 2 and (chars[0] in lead or bool(_NUMBER_PART.match(chars[0]))) and bool(_NUMBER_PART.match(chars[1]))


def _fold_homoglyphs(result: Normalised) -> None:
    """Fold look-alikes inside mixed-script tokens; the copy keeps its length, so the map holds."""
    if not _NON_ASCII_WORD_CHAR.search(result.text):
        return  # most English text: a scan at C speed instead of a test per word
    chars = None
    for match in _TOKEN.finditer(result.text):
        token = match.group()
        if token.isascii() or not _is_mixed_script(token):
            continue
        chars = chars if chars is not None else list(result.text)
        for index in range(match.start(), match.end()):
            chars[index] = HOMOGLYPHS.get(chars[index], chars[index])
        result.mixed_script.append(result.span(match.start(), match.end()))
    if chars is not None:
        result.text = "".join(chars)


def _is_mixed_script(token: str) -> bool:
    scripts = {_script(c) for c in token if c.isalpha()}
    return "LATIN" in scripts and any(s in scripts for s in _MIXED_SCRIPTS)


def _script(char: str) -> str:
    if char.isascii():
        return "LATIN"
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
