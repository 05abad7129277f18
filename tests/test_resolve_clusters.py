"""Resolving overlapping spans run by run, against the kept spans by bisection, gives exactly what
the one-pass quadratic version gave."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from redactgate.findings import Finding, SpanIndex
from redactgate.resolve import _priority, resolve


def _uncovered_parts(finding: Finding, kept: list[Finding]) -> list[Finding]:
    """The finding split around every kept span, one after another (resolve's first version)."""
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


def resolve_all_at_once(findings: list[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    for finding in sorted(set(findings), key=_priority):
        kept.extend(_uncovered_parts(finding, kept))
    return sorted(kept)


spans = st.builds(
    lambda start, length, entity, score, rule: Finding(start, start + length, entity, score, rule),
    st.integers(0, 60), st.integers(1, 15), st.sampled_from(["PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS"]),
    st.sampled_from([0.4, 0.75, 0.85]), st.sampled_from(["spacy-ner", "name-propagation", "presidio-phone"]),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(spans, max_size=40))
def test_resolving_by_clusters_equals_resolving_all_at_once(findings: list[Finding]) -> None:
    assert resolve(findings) == resolve_all_at_once(findings)


@settings(max_examples=300, deadline=None)
@given(spans=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=30),
       probe=st.tuples(st.integers(0, 70), st.integers(1, 12)))
def test_span_index_answers_like_a_scan_of_every_span(spans: list[tuple[int, int]], probe: tuple[int, int]) -> None:
    found = [Finding(s, s + n, "PERSON", 0.5, "r") for s, n in spans]
    span = Finding(probe[0], probe[0] + probe[1], "LOCATION", 0.0, "c")
    assert SpanIndex(found).overlaps(span) == any(span.overlaps(f) for f in found)
