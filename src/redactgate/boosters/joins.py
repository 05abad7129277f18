"""Whole names: PERSON spans grown over the parts the model leaves out (issue 4).

- lower-case particles between or before name words ("Jan van der Berg", "Ana de Souza");
- a nickname in quotes or a given name in brackets between two name parts
  (`Odo " The Hammer " Pellmarsh`, `Tam ( Tammy ) Wrenfield`, `( Tam ) Wrenfield`);
- a regnal number after a name ("Henry VIII"; a lone "I" only after a title or before born/died);
- the rest of a hyphenated word the span stops inside ("Kim Dae" + "-jung");
- a rare capitalised word right beside the span ("Japie" + "Mulder": the model often finds only
  the part of a foreign name it knows); never a title, role, place or everyday word.

A leading title is trimmed off ("Cardinal Wolsey" -> "Wolsey"; the cue boosters already leave
titles out), so the title word is neither masked nor spread as a name.

Grown spans keep the rule id of the span they grew from; only text next to an existing PERSON span
is ever added, so this booster finds no new people, it completes found ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import regex

from ..findings import Finding
from .cues import _ROLES as ROLE_WORDS
from .lexicon import GIVEN_ZIPF, _sentence_initial, is_given_name, is_rare_word, zipf
from .places import is_place
from .structure import ORG_SUFFIXES

PARTICLES = r"(?:van|von|der|den|de|del|della|degli|di|da|das|dos|du|la|le|ter|ten|bin|ibn|al|el|ben)"
_CAPWORD = r"\p{Lu}[\p{L}'’\-]*\p{L}"
# after a span: particles and a capitalised word ("Joost" + " van der Berg")
_PARTICLE_TAIL = regex.compile(rf"\A(?:[ \t]+{PARTICLES})+[ \t]+{_CAPWORD}(?![\p{{L}}])")
# before a span: a capitalised word (or capitalised particle) and particles ("Van der" + "Berg")
_PARTICLE_HEAD = regex.compile(rf"(?<![\p{{L}}])(?:{_CAPWORD}|V[ao]n|De|Di|Da|Du|Le|La|Del|Al|El)(?:[ \t]+{PARTICLES})+[ \t]+\Z")
_QUOTED = regex.compile(rf"\A[ \t]+[\"“][ \t]*\p{{Lu}}[\p{{L}}'’\-]*(?:[ \t]+[\p{{L}}'’\-]+){{0,3}}[ \t]*[\"”][ \t]+{_CAPWORD}(?![\p{{L}}])")
_BRACKETED = regex.compile(rf"\A[ \t]+\([ \t]*((?:\p{{Lu}}[\p{{L}}.'’\-]*)(?:[ \t]+\p{{Lu}}[\p{{L}}.'’\-]*)?)[ \t]*\)[ \t]+{_CAPWORD}(?![\p{{L}}])")
_BRACKET_HEAD = regex.compile(rf"\([ \t]*({_CAPWORD})[ \t]*\)[ \t]+\Z")
_INITIALS = regex.compile(r"(?:\p{Lu}\.){2,4}")
_ROMAN = regex.compile(r"\A[ \t]+(II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|I)(?![\p{L}\p{N}])")
_REGNAL_TITLE = regex.compile(r"(?:King|Queen|Pope|Emperor|Empress|Tsar|Czar|Sultan|Shah|Prince|Princess)[ \t]+\Z")
_LIFE_EVENT = regex.compile(r"\A[ \t]+(?:born|died|dies|was[ \t]+born|[,.;)])")
_HYPHEN_TAIL = regex.compile(r"\A(?:-[\p{L}]+)+")


# a word in title case ("Japie", "McAteer", "O'Neill"), not ALL-CAPS or an acronym ("GDRs")
_TITLE_CASE = r"\p{Lu}(?:\p{Ll}|['’]\p{Lu})[\p{L}'’\-]*\p{Ll}"
_LEFT_WORD = regex.compile(rf"(?<![\p{{L}}\p{{N}}_.'’\-])({_TITLE_CASE})[ \t]\Z")
_RIGHT_WORD = regex.compile(rf"\A[ \t]({_TITLE_CASE})(?![\p{{L}}\p{{N}}_'’\-])(?![ \t]+\p{{Lu}})")
UNKNOWN_ZIPF = 2.5  # hardly an English word at all
_POSSESSIVE_INSIDE = regex.compile(r"['’]s?(?:[ \t]|$)")
_TITLES = frozenset(w.casefold() for w in ROLE_WORDS.split("|") if " " not in w and "[" not in w)
_NOT_NEIGHBOURS = _TITLES | ORG_SUFFIXES
_TITLE_HEAD = regex.compile(r"\A(\p{L}+)\.?[ \t]+(?=\p{Lu})")


def join_names(text: str, findings: Sequence[Finding]) -> list[Finding]:
    return [_grown(text, _trimmed(text, f)) if f.entity_type == "PERSON" else f for f in findings]


def cut_at_caps_line(text: str, finding: Finding) -> Finding:
    """A byline's name that runs into the next line's ALL-CAPS dateline ("Jan Novak\nOSLO") stops
    at the line break."""
    value = text[finding.start:finding.end]
    cut = value.find("\n")
    if cut > 0 and _is_caps(value[cut:]) and not _is_caps(value[:cut]):
        return replace(finding, end=finding.start + len(value[:cut].rstrip()))
    return finding


def _trimmed(text: str, finding: Finding) -> Finding:
    head = _TITLE_HEAD.match(text[finding.start:finding.end])
    if head and head.group(1).casefold() in _TITLES:
        return replace(finding, start=finding.start + head.end())
    return finding


def _is_caps(value: str) -> bool:
    return any(c.isalpha() for c in value) and not any(c.islower() for c in value)


def _is_neighbour(word: str) -> bool:
    """A word beside a found name that is part of it: rare, or a given name, and nothing else."""
    return (len(word) > 1 and word.casefold() not in _NOT_NEIGHBOURS and not is_place(word)
            and (is_rare_word(word) or (is_given_name(word) and zipf(word) < GIVEN_ZIPF)))


def _is_unknown(word: str) -> bool:
    return is_given_name(word) or zipf(word) < UNKNOWN_ZIPF


def _neighbours(text: str, start: int, end: int) -> tuple[int, int]:
    for _ in range(2):
        left = _LEFT_WORD.search(text[max(0, start - 40):start])
        if not left or not _is_neighbour(left.group(1)):
            break
        if _sentence_initial(text, start - len(left.group())) and not _is_unknown(left.group(1)):
            break  # any word has a capital there ("Historian Odo ..."): only names or unknown words
        start -= len(left.group())
    right = _RIGHT_WORD.match(text[end:end + 40])
    if right and _is_neighbour(right.group(1)):
        end += right.end()
    return start, end


def _grown(text: str, finding: Finding) -> Finding:
    start, end = finding.start, finding.end
    if text[end:end + 1] == "-":
        end += _match_len(_HYPHEN_TAIL, text[end:end + 40])
    for pattern in (_PARTICLE_TAIL, _QUOTED):
        end += _match_len(pattern, text[end:end + 60])
    bracketed = _BRACKETED.match(text[end:end + 60])
    if bracketed and _is_inner_name(bracketed.group(1)):
        end += bracketed.end()
    end += _regnal_len(text, start, end)
    head = _PARTICLE_HEAD.search(text[max(0, start - 60):start])
    bracket = _BRACKET_HEAD.search(text[max(0, start - 40):start])
    head = head or (bracket if bracket and _is_inner_name(bracket.group(1)) else None)
    if head:
        start -= len(head.group())
    if not _POSSESSIVE_INSIDE.search(text[start:end]):  # "Name's Book Title": no name beyond it
        start, end = _neighbours(text, start, end)
    return finding if (start, end) == (finding.start, finding.end) else replace(finding, start=start, end=end)


def _is_inner_name(value: str) -> bool:
    """What brackets inside a name hold: a given name or initials, never "( Exampleland )"."""
    words = value.split()
    return bool(_INITIALS.fullmatch(value)) or (all(is_given_name(w) for w in words) and not is_place(value))


def _match_len(pattern: regex.Pattern, window: str) -> int:
    match = pattern.match(window)
    return match.end() if match else 0


def _regnal_len(text: str, start: int, end: int) -> int:
    match = _ROMAN.match(text[end:end + 8])
    if not match:
        return 0
    if match.group(1) != "I":
        return match.end()
    after = text[end + match.end():end + match.end() + 12]
    titled = _REGNAL_TITLE.search(text[max(0, start - 12):start])
    return match.end() if titled or _LIFE_EVENT.match(after) else 0
