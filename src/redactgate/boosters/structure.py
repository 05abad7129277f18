"""Vetoes for PERSON values that the document itself shows are teams, clubs, firms or places (issue 4).

News tables and results read like lists of names to the model ("Wigan 42 Bradford Bulls 36",
"Norwich striker Keith O'Neill", "Magna International Inc"). The evidence is in the document's
structure, never in a list of team names:

- a line that is two capitalised names each followed by one score (`Name 3 Other Name 1`);
- a standings row: a capitalised name followed by six or more numbers, or by numbers and a
  winning percentage (`.462`);
- "X beat Y by an innings / by N runs / by N wickets / by N goals";
- a capitalised word right before a role noun and a name ("Norwich striker Keith", "Acme spokesman
  Jan"): the word is the person's team or firm;
- a capitalised sequence ending in a company suffix ("Inc", "Ltd", "SpA", "Bros").

Plus countries, regions and demonyms (`places`). A vetoed value is dropped wherever it is a whole
PERSON span, so `verify` stays consistent; a word that is also a token of a longer name found in
the same document ("Neil Jordan", then "Jordan said") is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain

import regex

from ..findings import Finding
from .lexicon import (PAIR_ZIPF, _sentence_initial, is_common_word, is_family_name, is_given_name,
                      is_known_name, zipf)
from .places import is_place
from .scan import matches_on_lines, trie

_CAP = r"(?:\p{Lu}[\p{L}'’.\-]*\p{L}\.?|\p{Lu}\.|&)"
_SEQ = rf"{_CAP}(?:[ \t]{_CAP})*"
_SCORE_LINE = regex.compile(rf"^[ \t]*({_SEQ})[ \t]+\d{{1,3}}[ \t]*,?[ \t]+({_SEQ})[ \t]+\d{{1,3}}[ \t]*\.?[ \t]*$", regex.M)
_STANDINGS = regex.compile(
    rf"^[ \t]*(?:\d+\.?[ \t]+)?({_SEQ})((?:[ \t]+[\d.\-/]+){{6,}}|(?:[ \t]+\d+){{2,}}[ \t]+\.\d{{3}}\b.*)$", regex.M)
_MARGIN = regex.compile(
    rf"({_SEQ})[ \t]+(?:beat|beats|defeated|thrashed|crushed)[ \t]+({_SEQ})[ \t]+by[ \t]+"
    r"(?:an[ \t]+innings|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)[ \t]+"
    r"(?:runs|wickets|goals|tries))\b")
# roles a team or a firm has and a person does not ("Yeltsin spokesman" is a person's aide)
_ROLES = ("captain|skipper|coach|manager|striker|midfielder|defender|goalkeeper|keeper|forward|winger|"
          "playmaker|batsman|bowler|all-rounder|seamer|spinner|opener|pitcher|outfielder|infielder|"
          "quarterback|chairman|chairwoman|team-mate|teammate")
_ROLE_AFTER = regex.compile(rf"(?<![\p{{L}}.])({_SEQ})[ \t]+(?:{_ROLES})[ \t]+(?=\p{{Lu}})")
# company forms, and institution words no personal name ends with ("New York Stock Exchange")
ORG_SUFFIXES = frozenset(
    "inc corp corporation co ltd plc llc llp sa s.a. ag ab nv n.v. bv spa gmbh kg oy asa bhd pty "
    "bros holdings industries bancorp group company newsroom newsdesk exchange bank university "
    "party association federation union club committee council commission agency institute "
    "foundation ministry airlines airways motors international".split())
# "Nottinghamshire 214 ( Name 84 ; ... )": a side's total, then its players' figures
_SCORECARD = regex.compile(
    rf"({_SEQ})[ \t]+\d+(?:-\d+)?(?:[ \t]+and[ \t]+\d+(?:-\d+)?)?[ \t]+\([ \t]*(?:\p{{Lu}}\.[ \t]*)?\p{{Lu}}[\p{{L}}'’\-]+[ \t]+\d")
_ITEM = rf"{_CAP}(?:[ \t]{_CAP}){{0,2}}"
# "Essex , Derbyshire and Surrey": items of one coordination are the same kind of thing
_COORDINATION = regex.compile(rf"(?<![\p{{L}}.])({_ITEM}(?:[ \t]*,[ \t]*{_ITEM})*[ \t]*,?[ \t]+(?:and|or)[ \t]+{_ITEM})(?![\p{{L}}])")
_COORD_SPLIT = regex.compile(r"[ \t]*,[ \t]*|[ \t]+(?:and|or)[ \t]+")
_SEQ_RE = regex.compile(_SEQ)
# What every match of these holds, on its line (`scan.matches_on_lines`)
_MARGIN_GATE = regex.compile(r"[ \t](?:beat|beats|defeated|thrashed|crushed)[ \t]")
_ROLE_GATE = re.compile(rf"[ \t](?:{trie(_ROLES.split('|'))})[ \t]")
_SCORECARD_GATE = regex.compile(r"\d[ \t]+\(")
_COORDINATION_GATE = regex.compile(r"[ \t](?:and|or)[ \t]+[\p{Lu}&]")
LABEL_ZIPF = 3.0  # an English word (about once per million words), not a rare name


def vetoed_values(text: str) -> set[str]:
    """Case-folded values the document's structure shows are not people."""
    values: set[str] = set()
    for match in chain(_SCORE_LINE.finditer(text), matches_on_lines(_MARGIN, _MARGIN_GATE, text)):
        values |= _with_tokens(match.group(1), match.group(2))
    for match in chain(_STANDINGS.finditer(text), matches_on_lines(_SCORECARD, _SCORECARD_GATE, text),
                       matches_on_lines(_ROLE_AFTER, _ROLE_GATE, text)):
        values |= _with_tokens(match.group(1))
    for match in _SEQ_RE.finditer(text):
        words = match.group().split()
        if len(words) > 1 and words[-1].casefold() in ORG_SUFFIXES:
            # the firm and its words; "Odo Pellmarsh Foundation" names a person, who stays one
            values |= _with_tokens(" ".join(words[:-1])) | {" ".join(words).casefold()}
    return values | _coordinated(text, values)


def _coordinated(text: str, values: set[str]) -> set[str]:
    """Items listed with a team or firm are teams or firms too ("Essex and Kent")."""
    found: set[str] = set()
    if not values:
        return found
    for match in matches_on_lines(_COORDINATION, _COORDINATION_GATE, text):
        items = [i for i in _COORD_SPLIT.split(match.group(1)) if i]
        if any(" ".join(i.split()).casefold() in values for i in items):
            found |= _with_tokens(*items)
    return found


def _with_tokens(*sequences: str) -> set[str]:
    """The sequences and each of their words ("Bradford Bulls" -> it, "bradford", "bulls"); a
    sequence that reads as a person ("Odo Pellmarsh 10 Tam Wrenfield 4" in snooker) is left out."""
    found = set()
    for sequence in sequences:
        words = [w for w in sequence.split() if w != "&"]
        while len(words) > 1 and is_common_word(words[0]):  # "The Acme Group": "The" is no part
            words.pop(0)
        if _reads_as_person(words):
            continue
        found.add(" ".join(words).casefold())
        found |= {w.casefold() for w in words if len(w) > 1}
    return found


def _reads_as_person(words: list[str]) -> bool:
    """Two or three words: a given name that is not an everyday word, and a family name last."""
    return (2 <= len(words) <= 3 and is_given_name(words[0]) and zipf(words[0]) < PAIR_ZIPF
            and is_family_name(words[-1]) and not is_common_word(words[-1]) and not is_place(" ".join(words)))


def veto_persons(text: str, findings: Sequence[Finding]) -> list[Finding]:
    """Drop PERSON spans whose whole value is a team, firm or place by the evidence above."""
    evidence = vetoed_values(text)
    values = {_value(text, f) for f in findings if f.entity_type == "PERSON"}
    vetoed = {v for v in values if _is_thing(v, evidence)} | _words(text, findings)
    # a name with a word that is no team or place protects its words: "Neil Jordan", then "Jordan"
    protected = {w for v in values - vetoed if len(v.split()) > 1 for w in v.split()}
    return [
        f for f in findings
        if f.entity_type != "PERSON" or (v := _value(text, f)) not in vetoed or v in protected
    ]


def _words(text: str, findings: Sequence[Finding]) -> set[str]:
    """Lone words the model took for names only where any word has a capital: first in a sentence
    when the document also uses them in lower case ("Death is ...", "... death"), or as a label
    ("Attendance : 2,000"). Known names, and words English hardly uses (a speaker's name before
    a colon: "Koppany: ..."), are never words here."""
    spans: dict[str, list[Finding]] = {}
    for f in findings:
        if f.entity_type == "PERSON" and " " not in (v := _value(text, f)) and text[f.start:f.end][:1].isupper():
            spans.setdefault(v, []).append(f)
    return {
        v for v, fs in spans.items()
        if not is_known_name(v) and zipf(v) >= LABEL_ZIPF and (
            all(_is_label(text, f) for f in fs)
            or (all(_sentence_initial(text, f.start) for f in fs) and _in_lower_case(text, v)))
    }


def _is_label(text: str, finding: Finding) -> bool:
    line_start = text.rfind("\n", 0, finding.start) + 1
    return not text[line_start:finding.start].strip() and text[finding.end:finding.end + 3].lstrip()[:1] == ":"


def _in_lower_case(text: str, word: str) -> bool:
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if not (start and text[start - 1].isalnum()) and not text[end:end + 1].isalnum():
            return True
        start = text.find(word, start + 1)
    return False


def _is_thing(value: str, evidence: set[str]) -> bool:
    words = value.split()
    return value in evidence or is_place(value) or all(w in evidence or is_place(w) for w in words)


_POSSESSIVE = regex.compile(r"['’]s?$")


def _value(text: str, finding: Finding) -> str:
    value = _POSSESSIVE.sub("", text[finding.start:finding.end])
    return " ".join(value.split()).casefold()
