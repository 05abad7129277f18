"""Operators: typed placeholder (default), character mask, removal, keyed pseudonym, realistic
surrogate, reversible token, date shift.

The splice is done here rather than with Presidio's anonymizer because the audit log needs each
replacement's output offsets and placeholders need numbering by group (per document, or corpus-wide
through a shared `Numbering`). An operator that cannot handle a span falls back, and the audit
records the operator actually applied: `surrogate` -> `hmac` for entity types without a surrogate
generator, `date_shift` -> `placeholder` for a date text it cannot parse.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .config import Config
from .dates import shift_all
from .findings import Finding
from .keys import RunKey
from .numbering import Numbering
from .propagate import name_text
from .surrogate import Surrogates, name_roles
from .tokens import TokenCipher, require_real_key


@dataclass(frozen=True)
class Replacement:
    finding: Finding
    operator: str
    out_start: int
    out_end: int


@dataclass(frozen=True)
class Masked:
    text: str
    replacements: tuple[Replacement, ...]


def pseudonym(key: RunKey, entity_type: str, group: str) -> str:
    digest = bytes.fromhex(key.mac(key.scoped("pseudonym"), f"{entity_type}\0{group}".encode()))
    return f"{entity_type}_{base64.b32encode(digest[:5]).decode()}"


def check_keys(config: Config, key: RunKey) -> None:
    """Refuse, before any file is read, an operator the key cannot serve (tokens with a random key)."""
    if any(config.operator_for(e) == "encrypt" for e in config.enabled_entities):
        require_real_key(key)


@lru_cache(maxsize=4)
def _cipher(key: RunKey) -> TokenCipher:
    return TokenCipher(key)


class _Document:
    """Per-document operator state: numbering, name roles, the planned date shifts."""

    def __init__(self, text: str, findings: Sequence[Finding], config: Config, key: RunKey,
                 doc_id: str, numbering: Numbering | None) -> None:
        self.text, self.config, self.key = text, config, key
        self.numbering = numbering or Numbering()
        self.operators = [config.operator_for(f.entity_type) for f in findings]
        values = [text[f.start:f.end] for f in findings]
        persons = [name_text(text, f) for f in findings if f.entity_type == "PERSON"]
        self.surrogates = Surrogates(key, values + [t for p in persons for t in p.split()], name_roles(persons))
        dated = [i for i, op in enumerate(self.operators) if op == "date_shift"]
        scope = "dataset" if config.date_shift_scope == "dataset" else f"doc:{doc_id}"
        shifted = shift_all(key, scope, config.date_shift_days, [values[i] for i in dated], values) if dated else []
        self.shifted = dict(zip(dated, shifted))

    def replace(self, index: int, f: Finding) -> tuple[str, str]:
        """(replacement text, operator applied) for the finding at `index`."""
        operator, value = self.operators[index], self.text[f.start:f.end]
        if operator == "surrogate":
            new = self.surrogates.replace(f.entity_type, value)
            return (new, operator) if new is not None else (pseudonym(self.key, f.entity_type, f.group), "hmac")
        if operator == "date_shift":
            new = self.shifted.get(index)
            return (new, operator) if new is not None else (self.placeholder(f), "placeholder")
        if operator == "encrypt":
            return _cipher(self.key).encrypt(f.entity_type, value), operator
        if operator == "placeholder":
            return self.placeholder(f), operator
        if operator == "mask":
            return "".join(c if c in "\r\n" else "*" for c in value), operator
        if operator == "hmac":
            return pseudonym(self.key, f.entity_type, f.group), operator
        return "", operator  # redact

    def placeholder(self, f: Finding) -> str:
        return f"<{f.entity_type}_{self.numbering.number(f.entity_type, f.group)}>"


def mask_text(text: str, findings: Sequence[Finding], config: Config, key: RunKey,
              doc_id: str = "", numbering: Numbering | None = None) -> Masked:
    """Replace every finding (sorted, non-overlapping) and record where each replacement landed."""
    document = _Document(text, findings, config, key, doc_id, numbering)
    parts: list[str] = []
    replacements: list[Replacement] = []
    cursor = out_len = 0
    for index, f in enumerate(findings):
        new, operator = document.replace(index, f)
        kept = text[cursor:f.start]
        parts += [kept, new]
        out_len += len(kept)
        replacements.append(Replacement(f, operator, out_len, out_len + len(new)))
        out_len += len(new)
        cursor = f.end
    parts.append(text[cursor:])
    return Masked("".join(parts), tuple(replacements))
