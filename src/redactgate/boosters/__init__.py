"""Recall boosters for names on top of the model (issue 4), each switched by `[boosters]` in config.

`screen.screen` asks `recasings` what the model reads and calls `extra_raw` after the engine (the
lines the model reads again); `candidates` / `filter_persons` / `complete_names` run in
`Detector.postprocess` (text-only boosters).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..config import Boosters
from ..findings import Finding
from .fpfilter import filter_persons as _filter_persons
from .guard import drop_outvoted
from .recase import Analyze, Recasing, recased_persons, recasing

__all__ = ["candidates", "extra_raw", "complete_names", "filter_persons", "recasings"]


def recasings(texts: Sequence[str], settings: Boosters) -> list[Recasing]:
    """What the model reads for each text (recase.py); the texts themselves with `recase` off."""
    return [recasing(text) if settings.recase else Recasing(text, []) for text in texts]


def extra_raw(recasings: Sequence[Recasing], raw: list[list[Finding]], analyze: Analyze) -> list[list[Finding]]:
    if not any(r.again for r in recasings):
        return raw
    return [a + b for a, b in zip(raw, recased_persons(recasings, analyze))]


def candidates(text: str, settings: Boosters, context: Sequence[Finding] = ()) -> list[Finding]:
    found: list[Finding] = []
    if settings.cues:
        from .cues import find_cues  # loads the word lists on first use

        found += find_cues(text)
    if settings.lexicon:
        from .lexicon import find_lexicon_names

        found += find_lexicon_names(text, context)
    if settings.social:
        from .social import find_social_names

        found += find_social_names(text, context)
    return found


def complete_names(text: str, findings: list[Finding], context: Sequence[Finding], settings: Boosters) -> list[Finding]:
    """After propagation: appositions and list peers (spread like any found name), grown names,
    then vetoes, so a vetoed value goes wherever it was spread to."""
    new: list[Finding] = []
    if settings.cues:
        from .apposition import find_appositions

        new += find_appositions(text)
    if settings.peers:
        from .peers import find_peers

        new += find_peers(text, findings)
    if new and settings.propagation:
        from ..propagate import propagate_names  # imports this package: not at module level

        new += propagate_names(text, new, context)
    findings = findings + new
    if settings.joins:
        from .joins import join_names

        findings = join_names(text, findings)
    if settings.structure:
        from .structure import veto_persons  # loads the place lists on first use

        findings = veto_persons(text, findings)
    return findings


def filter_persons(text: str, findings: list[Finding], context: Sequence[Finding] = ()) -> list[Finding]:
    from .joins import cut_at_caps_line

    findings = [cut_at_caps_line(text, f) if f.entity_type == "PERSON" else f for f in findings]
    return _filter_persons(text, drop_outvoted(text, findings, context))
