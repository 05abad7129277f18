"""Names in social-media text (issue 4): posts, comments and chat, where names are often lower case.

Capitalisation cues do nothing there ("met kishan at the mall", "love u crissy"), so this booster
first decides, line by line, whether a line is written in an informal register, and only on those
lines applies methods that would be too loose for edited prose such as news.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from ..findings import Finding
from .lexicon import COMMON_ZIPF, GIVEN_ZIPF, RARE_ZIPF, census_given_names, is_family_name, is_rare_word, is_given_name, zipf

# Informal-register markers, from general knowledge of chat and social-media writing.
_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Emoji_Modifier}]|[:;]-?[()DPp](?![\p{L}\p{N}])")
_HANDLE = regex.compile(r"(?<![\p{L}\p{N}_.])[@#][\p{L}\p{N}_]+(?![.(\p{L}\p{N}_])")
_REPEATED = regex.compile(r"([!?])\s?\1|(?<![\p{L}])(?:ha){2,}|(\p{Ll})\2{3,}")
_SLANG = frozenset(
    "lol lmao lmfao rofl omg omfg wtf idk imo imho tbh smh btw ikr ily u ur im ya yall gonna "
    "wanna gotta dont cant wont didnt doesnt isnt thats xd pls plz thx bro sis fam".split()
)
_WORD = regex.compile(r"\p{L}[\p{L}'’]*")
_LINE = regex.compile(r"[^\n]+")
_QUOTED = regex.compile(r"\"[^\"\n]*\"|“[^”\n]*”|(?<!\p{L})'[^'\n]*'(?!\p{L})|‘[^’\n]*’(?!\p{L})")
_ELONGATED = regex.compile(r"(\p{L})\1\1|(?i:ha|he|lo)(?i:ha|he|lo|h)+")
# code, commands and markup: "x = 1", "`redact`", "--out", "{", "<b>"
_CODE = regex.compile(r"[`{}=<>|\\]|(?<!\S)--?\p{L}|;\s*$")
_PERSONAL = frozenset(
    "i me my i'm i’m we us our you your you're you’re yours u ur ya yall "
    "wow hey yeah oh ok okay please thanks love".split()
)


def social_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line written in an informal register. Strong markers count anywhere;
    the weak ones (mostly lower case, says "you") only on a line that stands alone as a post, since a
    hard-wrapped paragraph has lower-case line starts too."""
    lines = [m.span() for m in _LINE.finditer(text) if m.group().strip()]
    social = []
    for index, (start, end) in enumerate(lines):
        alone = (index == 0 or "\n\n" in _blank_joined(text, lines[index - 1][1], start)) and (
            index + 1 == len(lines) or "\n\n" in _blank_joined(text, end, lines[index + 1][0]))
        if is_social_line(text[start:end], standalone=alone) or (len(lines) == 1 and _is_short(text[start:end])):
            social.append((start, end))
    return social


def _is_short(line: str) -> bool:
    """A one-line text of a few words is a message or comment: no editor's casing to rely on."""
    return len(_WORD.findall(line)) <= 40 and not _CODE.search(line)


def _blank_joined(text: str, end: int, start: int) -> str:
    """The gap between two lines with its spaces removed: two newlines in it mean a blank line."""
    return "".join(c for c in text[end:start] if c == "\n")


def is_social_line(line: str, standalone: bool = True) -> bool:
    words = _WORD.findall(line)
    if not words or _CODE.search(line):
        return False
    if _EMOJI.search(line) or _HANDLE.search(line) or _REPEATED.search(line):
        return True
    if any(w in _SLANG for w in words) or "i" in words:  # lower case only: "U.S." is no "u"
        return True
    if not standalone:
        return False
    unquoted = _QUOTED.sub(" ", line)  # reported speech in an article says "we" and "you" too
    return _is_lower_case(words) or _is_personal(unquoted, _WORD.findall(unquoted))


def _is_lower_case(words: list[str]) -> bool:
    """Starts lower case and most words are lower case: no editor touched it."""
    lower = sum(w[0].islower() for w in words)
    return words[0][0].islower() and lower >= 0.8 * len(words)


def _is_personal(line: str, words: list[str]) -> bool:
    """A short line in the first or second person, exclaiming or asking: a post, not a report."""
    return len(words) <= 40 and ("!" in line or "?" in line or any(_is_personal_word(w) for w in words))


def _is_personal_word(word: str) -> bool:
    """"you", "You", "I", "thanks"; never an abbreviation in capitals ("US", the "U" of "U.S.")."""
    return word == "I" or (not word.isupper() and word.casefold() in _PERSONAL)


SOCIAL_SCORE = 0.5
ADDRESS_ZIPF = RARE_ZIPF - 1  # an addressed word must be rarer than once per million words
FAMILY_ZIPF = RARE_ZIPF - 0.5  # a family name alone: many are also words ("Baker", "Rice")
# a word of letters with at most punctuation around it: never a piece of an address, handle or code
_NAME_WORD = regex.compile(r"(?<!\S)[\p{P}--[@#_/\\]]*+\K\p{L}[\p{L}'’]*?\p{L}(?=(?:['’]s)?[\p{P}--[@#_/\\]]*(?!\S))", regex.V1)
# words before a name in a post: greetings, thanks, address ("hey kishan", "love you crissy")
_ADDRESS = regex.compile(
    r"(?i)(?<![\p{L}])(?:hi|hey|hello|hiya|yo|bye|thanks|thank\s+you|thank\s+u|thx|ty|love\s+(?:you|u|ya)|"
    r"miss\s+(?:you|u|ya)|congrats|congratulations|happy\s+birthday|go|dear|shout\s*out\s+to|"
    r"my\s+name\s+is|i\s+am|i'm|im|named|called|fan\s+of|with|and|me\s+and)\s+$"
)


def find_social_names(text: str, context: Sequence[Finding] = ()) -> list[Finding]:
    """Known names written in any case on informal lines, and rare words where a post addresses or
    introduces someone ("hey zorblat", "thanks zorblat", a line that starts "Trevanna , ...")."""
    found = []
    guarded = _guarded(text, context)
    for start, end in social_lines(text):
        for m in _NAME_WORD.finditer(text, start, end):
            if m.start() in guarded:
                continue
            rule = _rule_for(text, start, m)
            if rule:
                found.append(Finding(m.start(), m.end(), "PERSON", SOCIAL_SCORE, rule))
        found += _pairs(text, start, end, guarded)
    return found


def _pairs(text: str, start: int, end: int, guarded: set[int]) -> list[Finding]:
    """"bruno marsden", "kylie quillon": a given name then a family name or rare word, any case."""
    words = list(_NAME_WORD.finditer(text, start, end))
    found = []
    for first, second in zip(words, words[1:]):
        if (text[first.end():second.start()] == " " and first.start() not in guarded
                and _is_pair(first.group(), second.group())):
            found.append(Finding(first.start(), second.end(), "PERSON", SOCIAL_SCORE, "social-pair"))
    return found


def _is_pair(first: str, second: str) -> bool:
    if first.isupper() or second.isupper() or _ELONGATED.search(first + " " + second):
        return False
    given = first.casefold() in census_given_names() if first.islower() else is_given_name(first)
    return (len(first) > 3 and given and zipf(first) < GIVEN_ZIPF and len(second) > 2
            and ((is_family_name(second) and zipf(second) < COMMON_ZIPF) or zipf(second) < ADDRESS_ZIPF))


def _rule_for(text: str, line_start: int, m: regex.Match) -> str:
    word = m.group()
    if word.isupper() or _ELONGATED.search(word):  # "LOL", "Loooool", "hahaha": shouting and laughter
        return ""
    if is_lexicon_name(word):
        return "social-lexicon"
    if zipf(word) < ADDRESS_ZIPF and _is_addressed(text, line_start, m):
        return "social-address"
    return ""


def is_lexicon_name(word: str) -> bool:
    """Capitalised: a given name that is not an everyday word, or a rare family name. Lower case:
    the wide given-name list is full of chat words ("ina", "imma"), so only the census's common
    given names of four letters or more, and never an everyday word."""
    if word[0].islower():
        return len(word) > 3 and zipf(word) < RARE_ZIPF and word.casefold() in census_given_names()
    return len(word) > 2 and (
        (is_given_name(word) and zipf(word) < GIVEN_ZIPF) or (is_family_name(word) and zipf(word) < FAMILY_ZIPF)
    )


def _is_addressed(text: str, line_start: int, m: regex.Match) -> bool:
    before = text[max(line_start, m.start() - 30):m.start()]
    return bool(_ADDRESS.search(before)) or not before.strip()


def _guarded(text: str, context: Sequence[Finding]) -> set[int]:
    """Characters inside a place or organisation of two or more words the model found ("Real
    Madrid"), or a one-word one that is frequent in English ("Syria"); the model's one-word labels on
    rare words are guesses in posts ("Linus , you ..." as an organisation) and no guard."""
    return {i for c in context if _is_sure(text[c.start:c.end]) for i in range(c.start, c.end)}


def _is_sure(value: str) -> bool:
    words = _WORD.findall(value)
    return len(words) > 1 or (len(words) == 1 and not is_rare_word(words[0]))
