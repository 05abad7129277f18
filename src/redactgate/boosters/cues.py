"""Context cues that mark a capitalised word sequence as a person the model missed.

Honorifics and roles ("Mr", "President", "coach"), reporting verbs ("Havel said", "said Jan Novak"),
results and list lines ("Jan Novak ( Norway ) 6-3 6-4"), and initials ("J. Novak"). Each cue only
proposes capitalised words that are not very common English words, so "President Tuesday" or
"coach The" never match. Rule ids are stable: `cue-role`, `cue-reporting`, `cue-results`, `cue-initial`.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..findings import Finding
from .lexicon import is_common_word, is_given_name, is_known_name, is_rare_word
from .scan import matches_from, word_starts

CUE_SCORE = 0.6
_CAP = r"(?<![\p{L}\p{N}_])\p{Lu}(?=[\p{L}'’\-]*\p{Ll})[\p{L}'’\-]*\p{L}(?![\p{L}\p{N}_])"
_SEQ = rf"{_CAP}(?:[ \t]+(?:\p{{Lu}}\.[ \t]*)?{_CAP}){{0,2}}"
_ROLES = (
    "Mr|Mrs|Ms|Miss|Mme|Mlle|Dr|Prof|Professor|Sir|Dame|Lady|Lord|Rev|Reverend|Fr|Sr|Jr|Herr|Frau|"
    "President|Vice[ -]President|Prime[ \t]Minister|Minister|Chancellor|Senator|Sen|Rep|Congressman|"
    "Congresswoman|Governor|Gov|Mayor|Judge|Justice|Gen|Col|Capt|Lt|Sgt|Cpl|Adm|Ambassador|Envoy|"
    "Premier|Secretary|Commissioner|Inspector|Detective|Officer|Sheikh|Ayatollah|Pope|Cardinal|"
    "Bishop|Archbishop|Rabbi|Imam|Prince|Princess|Queen|King|Chairman|Chairwoman|"
    "coach|manager|striker|midfielder|defender|goalkeeper|keeper|winger|forward|captain|skipper|"
    "batsman|bowler|pitcher|quarterback|rider|driver|jockey|trainer|champion|seed|compatriot|"
    "teammate|team-mate|rival|opponent|chairman|chairwoman|spokesman|spokeswoman|spokesperson|"
    "director|secretary|minister|president|leader|chief|official|ambassador|envoy|analyst|economist|"
    "strategist|trader|dealer|lawyer|attorney|prosecutor|judge|doctor|professor|author|writer|"
    "novelist|poet|actor|actress|singer|artist|director|producer|journalist|reporter|editor|"
    "colleague|wife|husband|son|daughter|brother|sister|father|mother|uncle|aunt|cousin|nephew|"
    "niece|widow|friend|patient|nurse|suspect|victim|defendant|witness|player|veteran|newcomer|"
    "substitute|star|boss|founder|owner|inventor|candidate|challenger|incumbent|dissident|general"
)
_REPORTING = ("said|says|told|added|asked|wrote|explained|insisted|declared|announced|argued|noted|"
              "warned|stated|replied|recalled|admitted|acknowledged|confirmed|denied|claimed|urged|"
              "conceded|complained|commented|predicted|reported|believes|thinks")
_ROLE_CUE = regex.compile(rf"(?<![\p{{L}}])(?:{_ROLES})\.?,?[ \t]+({_SEQ})")
# where a role can start: each alternative's words up to its first class ("Vice[ -]President")
_ROLE_STARTS = word_starts(role.split("[")[0] for role in _ROLES.split("|"))
_REPORTED = regex.compile(rf"({_SEQ})[ \t]+(?:{_REPORTING})\b")
_SAID_NAME = regex.compile(rf"\b(?:said|says|according[ \t]+to)[ \t]+({_SEQ})")
_RESULTS = regex.compile(rf"({_SEQ})[ \t]*\([ \t]*\p{{Lu}}[\p{{L}}.' \t]{{0,30}}\)")
_RESULT_LINE = regex.compile(r"\d[\-:.]\d|^\s*\d+[.)]?\s")
_WORD = regex.compile(r"\S+")
_INITIAL = regex.compile(rf"(?<![\p{{L}}.])((?:\p{{Lu}}\.[ \t]?){{1,2}}[ \t]?{_CAP}(?:[ \t]+{_CAP})?)")


def find_cues(text: str) -> list[Finding]:
    found = list(_role_cues(text)) + list(_reporting_cues(text))
    found += list(_results_cues(text)) + list(_initial_cues(text))
    return found


def _emit(match: regex.Match, rule: str, group: int = 1) -> Iterator[Finding]:
    """The sequence without its leading common words ("Foreign Minister X" -> "X"); nothing when a
    common word remains inside it."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(match.group(group))]
    while words and (_is_common(words[0][2]) or (len(words) > 2 and _is_ordinary(words[0][2]))):
        words.pop(0)
    if words and not any(_is_common(w) for _, _, w in words):
        base = match.start(group)
        yield Finding(base + words[0][0], base + words[-1][1], "PERSON", CUE_SCORE, rule)


def _is_ordinary(word: str) -> bool:
    """A leading word that is no known name and not rare ("Agent" in "Agent Kwame Mensah") is a
    title in front of a two-word name, not part of it."""
    return not is_given_name(word) and not is_rare_word(word.rstrip("."))


def _is_common(word: str) -> bool:
    word = word.rstrip(".")
    return len(word) > 2 and (is_common_word(word) or word.casefold() in _CALENDAR)


# Capitalised in English but never a person in these positions ("President Tuesday").
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april june "
    "july august september october november december today tonight yesterday tomorrow".split()
)


def _role_cues(text: str) -> Iterator[Finding]:
    for match in matches_from(_ROLE_CUE, _ROLE_STARTS, text):
        yield from _emit(match, "cue-role")


def _reporting_cues(text: str) -> Iterator[Finding]:
    for match in _REPORTED.finditer(text):
        words = match.group(1).split()
        # one word before "said" is as often an agency or a place: it must be a known or rare name
        if len(words) > 1 or (is_known_name(words[0]) and is_rare_word(words[0])):
            yield from _emit(match, "cue-reporting")
    for match in _SAID_NAME.finditer(text):
        if len(match.group(1).split()) > 1:
            yield from _emit(match, "cue-reporting")


def _results_cues(text: str) -> Iterator[Finding]:
    lines: dict[tuple[int, int], bool] = {}  # each line read once: a long line of matches was quadratic
    for match in _RESULTS.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line = (line_start, line_end if line_end >= 0 else len(text))
        if line not in lines:
            lines[line] = bool(_RESULT_LINE.search(text[line[0]:line[1]]))
        if lines[line]:
            yield from _emit(match, "cue-results")


def _initial_cues(text: str) -> Iterator[Finding]:
    for match in _INITIAL.finditer(text):
        yield from _emit(match, "cue-initial")
