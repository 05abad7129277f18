"""Whole names: PERSON spans grown over the parts the model leaves out (issue 4).

- lower-case particles between or before name words ("Jan van der Berg", "Ana de Souza");
- a nickname in quotes or a given name in brackets between two name parts
  (`Odo " The Hammer " Pellmarsh`, `Tam ( Tammy ) Wrenfield`, `( Tam ) Wrenfield`);
- a regnal number after a name ("Henry VIII"; a lone "I" only after a title or before born/died);
- the rest of a hyphenated word the span stops inside ("Kim Dae" + "-jung").

Grown spans keep the rule id of the span they grew from; only text next to an existing PERSON span
is ever added, so this booster finds no new people, it completes found ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import regex

from ..findings import Finding
from .lexicon import is_given_name
from .places import is_place

_PARTICLES = r"(?:van|von|der|den|de|del|della|degli|di|da|das|dos|du|la|le|ter|ten|bin|ibn|al|el|ben)"
_CAPWORD = r"\p{Lu}[\p{L}'’\-]*\p{L}"
# after a span: particles and a capitalised word ("Joost" + " van der Berg")
_PARTICLE_TAIL = regex.compile(rf"\A(?:[ \t]+{_PARTICLES})+[ \t]+{_CAPWORD}(?![\p{{L}}])")
# before a span: a capitalised word (or capitalised particle) and particles ("Van der" + "Berg")
_PARTICLE_HEAD = regex.compile(rf"(?<![\p{{L}}])(?:{_CAPWORD}|V[ao]n|De|Di|Da|Du|Le|La|Del|Al|El)(?:[ \t]+{_PARTICLES})+[ \t]+\Z")
_QUOTED = regex.compile(rf"\A[ \t]+[\"“][ \t]*\p{{Lu}}[\p{{L}}'’\-]*(?:[ \t]+[\p{{L}}'’\-]+){{0,3}}[ \t]*[\"”][ \t]+{_CAPWORD}(?![\p{{L}}])")
_BRACKETED = regex.compile(rf"\A[ \t]+\([ \t]*((?:\p{{Lu}}[\p{{L}}.'’\-]*)(?:[ \t]+\p{{Lu}}[\p{{L}}.'’\-]*)?)[ \t]*\)[ \t]+{_CAPWORD}(?![\p{{L}}])")
_BRACKET_HEAD = regex.compile(rf"\([ \t]*({_CAPWORD})[ \t]*\)[ \t]+\Z")
_INITIALS = regex.compile(r"(?:\p{Lu}\.){2,4}")
_ROMAN = regex.compile(r"\A[ \t]+(II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|I)(?![\p{L}\p{N}])")
_REGNAL_TITLE = regex.compile(r"(?:King|Queen|Pope|Emperor|Empress|Tsar|Czar|Sultan|Shah|Prince|Princess)[ \t]+\Z")
_LIFE_EVENT = regex.compile(r"\A[ \t]+(?:born|died|dies|was[ \t]+born|[,.;)])")
_HYPHEN_TAIL = regex.compile(r"\A(?:-[\p{L}]+)+")


def join_names(text: str, findings: Sequence[Finding]) -> list[Finding]:
    return [_grown(text, f) if f.entity_type == "PERSON" else f for f in findings]


def _grown(text: str, finding: Finding) -> Finding:
    start, end = finding.start, finding.end
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
