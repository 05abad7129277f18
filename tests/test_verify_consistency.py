"""A value detected in one place is masked wherever it stands as a word (what verify demands)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from redactgate.findings import Finding
from helpers import value_pattern
from redactgate.verify import every_occurrence, surviving_values


def _values(text: str, findings: list[Finding]) -> list[tuple[str, int]]:
    return sorted((text[f.start:f.end], f.start) for f in findings)


def test_a_value_found_once_is_added_at_its_other_whole_word_occurrences() -> None:
    text = "Archdeacon Quill spoke. Later Archdeacon Quill left; Quillfeather stayed."
    found = [Finding(30, 40, "PERSON", 0.75, "name-propagation"), Finding(41, 46, "PERSON", 0.85, "spacy-ner")]
    out = every_occurrence(text, found)
    assert _values(text, out) == [("Archdeacon", 0), ("Archdeacon", 30), ("Quill", 11), ("Quill", 41)]
    assert {f.rule for f in out if f.start == 0} == {"name-propagation"}  # typed like the value found


def test_covered_occurrences_and_short_values_are_left_alone() -> None:
    text = "Ann Quill met Quill and Al met Al."
    found = [Finding(0, 9, "PERSON", 0.85, "spacy-ner"), Finding(4, 9, "PERSON", 0.75, "x"),
             Finding(24, 26, "PERSON", 0.85, "spacy-ner")]
    out = every_occurrence(text, found)
    assert _values(text, out) == [("Al", 24), ("Ann Quill", 0), ("Quill", 4), ("Quill", 14)]


def test_after_masking_every_occurrence_nothing_survives() -> None:
    text = "Cardinal Vell said so. Cardinal Vell agreed."
    found = every_occurrence(text, [Finding(0, 8, "PERSON", 0.75, "p"), Finding(9, 13, "PERSON", 0.85, "m")])
    redacted = text
    for f in sorted(found, key=lambda f: -f.start):
        redacted = redacted[:f.start] + "<PERSON>" + redacted[f.end:]
    assert surviving_values(text, redacted, found) == []
    assert "Cardinal" not in redacted and "Vell" not in redacted


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(["Ann", "Bo", "Cyd", "Ann Lee", "x", ".", "Lee"]), max_size=40),
       picks=st.lists(st.tuples(st.integers(0, 39), st.integers(1, 3)), max_size=8))
def test_every_occurrence_adds_exactly_the_mentions_no_finding_overlaps(words: list[str], picks: list[tuple[int, int]]) -> None:
    text = " ".join(words)
    starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
    found = [Finding(starts[i], starts[min(i + n, len(words)) - 1] + len(words[min(i + n, len(words)) - 1]), "PERSON", 0.8, "p")
             for i, n in picks if i < len(words)]
    added = every_occurrence(text, found)[len(found):]
    values = {text[f.start:f.end].strip() for f in found if len(text[f.start:f.end].strip()) >= 3}
    expected = [(m.start(), m.end()) for m in value_pattern(values).finditer(text)
                if not any(f.start < m.end() and m.start() < f.end for f in found)] if values else []
    assert [(f.start, f.end) for f in added] == expected
