"""Document-level name propagation: once "Sergei Shoigu" is found, a later "Shoigu" is the same person.

Every capitalised occurrence of a found name, or of one of its tokens, becomes a PERSON span; a
single-token mention that belongs to exactly one full name joins that person's group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import regex

from .boosters.lexicon import is_common_word
from .findings import Finding, SpanIndex
from .wordmatch import word_spans

PROPAGATION_RULE = "name-propagation"
PROPAGATION_SCORE = 0.75
_POSSESSIVE = regex.compile(r"['’]s?$")
_NAME_TOKEN = regex.compile(r"^\p{Lu}[\p{L}'’\-.]*\p{L}$")


def name_text(text: str, finding: Finding) -> str:
    """The mention without a trailing possessive, white space collapsed."""
    return " ".join(_POSSESSIVE.sub("", text[finding.start:finding.end]).split())


def is_name_token(token: str) -> bool:
    return len(token) >= 2 and bool(_NAME_TOKEN.match(token))


def propagate_names(text: str, findings: Sequence[Finding], context: Sequence[Finding] = ()) -> list[Finding]:
    """Every occurrence of a found name, of its tokens and of their ALL-CAPS forms. A token is not
    propagated on its own when the model calls it a place or organisation more often than a person
    in this document (`context`); the whole found name still is, everywhere (verify needs that)."""
    names = {name_text(text, f) for f in findings if f.entity_type == "PERSON"}
    tokens = {t for n in names for t in n.split() if is_name_token(t)} - names
    tokens -= _outvoted(text, findings, context, tokens)
    tokens = {t for t in tokens if not is_common_word(t)}  # "At", "King" alone are words first
    variants = {n for n in names if n} | tokens
    variants |= {v.upper() for v in variants if len(v) > 2}
    if not variants:
        return []
    return [Finding(start, end, "PERSON", PROPAGATION_SCORE, PROPAGATION_RULE) for start, end in word_spans(text, variants)]


def _outvoted(text: str, findings: Sequence[Finding], context: Sequence[Finding], tokens: set[str]) -> set[str]:
    as_person = Counter(t.casefold() for f in findings if f.entity_type == "PERSON"
                        for t in name_text(text, f).split())
    # a place or organisation span that overlaps a found name is the model mislabelling that name
    # ("Customer Amelia Novak" as an organisation): it is no vote against it
    persons = SpanIndex(f for f in findings if f.entity_type == "PERSON")
    votes = [c for c in context if not persons.overlaps(c)]
    as_other = Counter(t.casefold() for c in votes for t in text[c.start:c.end].split())
    return {t for t in tokens if as_other[t.casefold()] > as_person[t.casefold()]}


def person_canonical(mentions: Sequence[str]) -> dict[str, str]:
    """Map each PERSON mention to the full name it stands for (itself when ambiguous or unknown)."""
    full_names = sorted({m for m in mentions if len(m.split()) > 1})
    owners: dict[str, set[str]] = {}
    for name in full_names:
        for token in name.split():
            owners.setdefault(token, set()).add(name)
    canonical = {}
    for mention in mentions:
        candidates = owners.get(mention, set()) if len(mention.split()) == 1 else set()
        canonical[mention] = next(iter(candidates)) if len(candidates) == 1 else mention
    return canonical
