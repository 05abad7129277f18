"""One deterministic order for overlapping spans.

Larger spans win over what they contain; equal spans go to the higher score, then a fixed tie-break
(entity type, rule id). A span that only partly overlaps a winner keeps its uncovered part, so no
character of any detected span survives. Adjacent spans are never merged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .findings import Finding, in_order


def _priority(f: Finding) -> tuple:
    return (-(f.end - f.start), -f.score, f.entity_type, f.rule, f.start)


def resolve(findings: Iterable[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    for cluster in _clusters(in_order(set(findings))):
        winners: list[Finding] = []
        for finding in sorted(cluster, key=_priority):
            winners.extend(_uncovered_parts(finding, winners))
        kept.extend(winners)
    return in_order(kept)


def _clusters(findings: list[Finding]) -> Iterable[list[Finding]]:
    """Runs of transitively overlapping spans (sorted input). Spans in different runs never
    interact, so resolving run by run gives the same result in linear rather than quadratic time."""
    cluster: list[Finding] = []
    end = -1
    for finding in findings:
        if cluster and finding.start >= end:
            yield cluster
            cluster = []
        cluster.append(finding)
        end = max(end, finding.end) if len(cluster) > 1 else finding.end
    if cluster:
        yield cluster


def _uncovered_parts(finding: Finding, kept: list[Finding]) -> list[Finding]:
    parts = [finding]
    for winner in kept:
        next_parts = []
        for part in parts:
            if not part.overlaps(winner):
                next_parts.append(part)
                continue
            if part.start < winner.start:
                next_parts.append(replace(part, end=winner.start))
            if winner.end < part.end:
                next_parts.append(replace(part, start=winner.end))
        parts = next_parts
    return parts
