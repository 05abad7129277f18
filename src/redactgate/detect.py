"""Detection: the engine's raw spans, then thresholds, allow list, name propagation, resolve, groups.

`redact`, `check` and `eval` all go through `screen.screen` (normalised copy, encoded runs, re-cased
lines, then `Detector.postprocess`), so they see the same findings; `Detector.detect` is its shortcut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .address import extend_addresses
from .boosters import candidates, complete_names, filter_persons
from .config import Config
from .findings import CONTEXT_RULE, Finding
from .keys import RunKey
from .propagate import name_text, person_canonical, propagate_names
from .resolve import resolve
from .screen import screen
from .verify import every_occurrence

if TYPE_CHECKING:  # the engine module imports spaCy; keep it out of model-free code paths
    from .engine import Engine

_DIGIT_ENTITIES = frozenset({"PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "US_ITIN", "US_BANK_NUMBER"})


def normalise_value(entity_type: str, value: str) -> str:
    """The form under which two mentions count as the same value."""
    if entity_type in _DIGIT_ENTITIES:
        return "".join(c for c in value if c.isalnum())
    if entity_type == "IBAN_CODE":
        return "".join(value.split()).upper()
    return " ".join(value.split()).casefold()


class Detector:
    def __init__(self, engine: "Engine", config: Config, key: RunKey) -> None:
        self.engine = engine
        self.config = config
        self.key = key
        self._allow_values = frozenset(config.allow.values)
        self._allow_patterns = [re.compile(p) for p in config.allow.patterns]
        self._allow_ids = frozenset(config.allow.value_ids)

    def detect(self, texts: Sequence[str]) -> list[list[Finding]]:
        """Findings per text at original offsets, exactly as `check` and `redact` find them."""
        return [screened.findings for screened in screen(self, texts)]

    def postprocess(self, text: str, found: Sequence[Finding]) -> list[Finding]:
        context = [f for f in found if f.rule == CONTEXT_RULE]  # guards only, never reported
        found = [f for f in found if f.rule != CONTEXT_RULE]
        boosters = self.config.boosters
        extra = candidates(text, boosters, context) if "PERSON" in self.engine.entities else []
        kept = self.accepted(text, found + extra)
        kept = filter_persons(text, kept, context) if boosters.fpfilter else kept
        if boosters.propagation:
            propagated = propagate_names(text, kept, context)
            kept = kept + [f for f in propagated if not self.is_allowed(text, f)]
        before = set(kept)  # what complete_names adds or grows meets thresholds and allow list too
        kept = [f for f in complete_names(text, kept, context, boosters) if f in before or self.accepted(text, [f])]
        return self.assign_groups(text, resolve(every_occurrence(text, resolve(extend_addresses(text, kept)))))

    def accepted(self, text: str, found: Sequence[Finding]) -> list[Finding]:
        """Findings above their entity's threshold that no allow-list entry accepts."""
        return [
            f for f in found
            if f.score >= self.config.threshold_for(f.entity_type) and not self.is_allowed(text, f)
        ]

    def is_allowed(self, text: str, finding: Finding) -> bool:
        value = text[finding.start:finding.end]
        return (
            value in self._allow_values
            or any(p.fullmatch(value) for p in self._allow_patterns)
            or (bool(self._allow_ids) and self.value_id(finding.entity_type, value) in self._allow_ids)
        )

    def value_id(self, entity_type: str, value: str) -> str:
        return self.key.value_id(entity_type, normalise_value(entity_type, value))

    def assign_groups(self, text: str, findings: list[Finding]) -> list[Finding]:
        persons = [name_text(text, f) for f in findings if f.entity_type == "PERSON"]
        canonical = person_canonical(persons)
        grouped = []
        for f in findings:
            value = canonical[name_text(text, f)] if f.entity_type == "PERSON" else text[f.start:f.end]
            grouped.append(replace(f, group=self.value_id(f.entity_type, value)))
        return grouped
