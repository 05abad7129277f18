"""Recall boosters for names on top of the model (issue 4), each switched by `[boosters]` in config.

`detect.Detector` calls `extra_raw` after the engine (boosters that need the model again) and
`candidates` / `filter_persons` in its post-processing (text-only boosters).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..config import Boosters
from ..findings import Finding
from .fpfilter import filter_persons as _filter_persons
from .guard import drop_outvoted
from .recase import Analyze, recased_persons

__all__ = ["candidates", "extra_raw", "filter_persons"]


def extra_raw(texts: Sequence[str], raw: list[list[Finding]], analyze: Analyze, settings: Boosters) -> list[list[Finding]]:
    if not settings.recase:
        return raw
    return [a + b for a, b in zip(raw, recased_persons(texts, analyze))]


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


def filter_persons(text: str, findings: list[Finding], context: Sequence[Finding] = ()) -> list[Finding]:
    return _filter_persons(text, drop_outvoted(text, findings, context))
