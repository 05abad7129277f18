"""Operators: typed placeholder (default), character mask, removal, keyed pseudonym.

The splice is done here rather than with Presidio's anonymizer because the audit log needs each
replacement's output offsets and placeholders need per-document numbering by group.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from .config import Config
from .findings import Finding
from .keys import RunKey


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
    digest = bytes.fromhex(key.mac("pseudonym", f"{entity_type}\0{group}".encode()))
    return f"{entity_type}_{base64.b32encode(digest[:5]).decode()}"


def mask_text(text: str, findings: Sequence[Finding], config: Config, key: RunKey) -> Masked:
    """Replace every finding (sorted, non-overlapping) and record where each replacement landed."""
    numbers: dict[tuple[str, str], int] = {}
    counters: dict[str, int] = {}
    parts: list[str] = []
    replacements: list[Replacement] = []
    cursor = out_len = 0
    for f in findings:
        operator = config.operator_for(f.entity_type)
        if operator == "placeholder":
            slot = (f.entity_type, f.group)
            if slot not in numbers:
                counters[f.entity_type] = numbers[slot] = counters.get(f.entity_type, 0) + 1
            new = f"<{f.entity_type}_{numbers[slot]}>"
        elif operator == "mask":
            new = "".join(c if c in "\r\n" else "*" for c in text[f.start:f.end])
        elif operator == "hmac":
            new = pseudonym(key, f.entity_type, f.group)
        else:  # redact
            new = ""
        kept = text[cursor:f.start]
        parts += [kept, new]
        out_len += len(kept)
        replacements.append(Replacement(f, operator, out_len, out_len + len(new)))
        out_len += len(new)
        cursor = f.end
    parts.append(text[cursor:])
    return Masked("".join(parts), tuple(replacements))
