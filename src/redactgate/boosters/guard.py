"""A PERSON value the model itself calls a place or an organisation more often in the same document
("Surrey" once a person, five times a team) is dropped everywhere in that document.

Dropping it everywhere, not only at some occurrences, keeps `verify` consistent: a value that is
reported somewhere must be masked everywhere. Only the model's own PERSON spans are dropped;
a cue ("Mr Surrey") keeps its span.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..findings import Finding

MODEL_RULE = "spacy-ner"


def drop_outvoted(text: str, findings: Sequence[Finding], context: Sequence[Finding]) -> list[Finding]:
    persons = Counter(_value(text, f) for f in findings if f.entity_type == "PERSON")
    others = Counter(_value(text, c) for c in context)
    return [
        f for f in findings
        if not (f.entity_type == "PERSON" and f.rule == MODEL_RULE
                and others[_value(text, f)] > persons[_value(text, f)])
    ]


def _value(text: str, finding: Finding) -> str:
    return " ".join(text[finding.start:finding.end].split()).casefold()
