"""Issue 5: cheaper paths that must find exactly what the general ones find."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

# Re-cased lines as `boosters.recase` makes them, plus lines with other entity types on them, so a
# wrong filter would show; all names invented, numbers in the 555-01xx range.
LINES = [
    "Sabine beats Gerhardt in final",
    "just met Sabine Kovacs at the cafe, call 555-0142",
    "Mail lena.marsh@example.com or ask Ottoline Brandvik in Bergen",
    "Wojtek Ferreira and Amelia Novak of Northwind Ltd on 12 May",
    "",
    "nothing here at all",
]


def _persons_of(found: list[list]) -> list[list]:
    return [[f for f in doc if f.entity_type == "PERSON"] for doc in found]


@pytest.mark.model
def test_persons_are_analyzes_person_findings(processor) -> None:
    engine = processor.engine
    persons = engine.persons(LINES)
    assert persons == _persons_of(engine.analyze(LINES))
    assert sum(map(len, persons)) >= 4  # the model does find names here: the comparison is not empty
    many = LINES * 11  # one batch of 66 for `persons`, three for `analyze`
    assert engine.persons(many) == _persons_of(engine.analyze(many))


@pytest.mark.model
def test_persons_chunk_long_texts_like_analyze(processor) -> None:
    engine = processor.engine
    text = " ".join(LINES * 12)
    saved = engine.chunk_chars, engine.chunk_overlap
    engine.chunk_chars, engine.chunk_overlap = 300, 60
    try:
        persons, full = engine.persons([text]), engine.analyze([text])
    finally:
        engine.chunk_chars, engine.chunk_overlap = saved
    assert persons == _persons_of(full)
    assert len(persons[0]) >= 12


@pytest.mark.model
def test_persons_keeps_person_rules_and_context_only_mode() -> None:
    from presidio_analyzer import PatternRecognizer

    from redactgate.config import Config
    from redactgate.engine import Engine
    from redactgate.findings import CONTEXT_RULE
    from redactgate.rules import builtin_rules_dir, load_rules

    engine = Engine(Config(), load_rules([builtin_rules_dir()]))
    rule = PatternRecognizer(supported_entity="PERSON", name="invented-person-rule", deny_list=["Zorblatt"])
    engine.analyzer.registry.recognizers.append(rule)
    texts = LINES + ["met Zorblatt and Sabine Kovacs today"]
    persons = engine.persons(texts)
    assert persons == _persons_of(engine.analyze(texts))
    assert any(f.rule == "invented-person-rule" for f in persons[-1])

    # PERSON not asked for: `analyze` gives the model's names as score-0 context findings only.
    engine.entities = [e for e in engine.entities if e != "PERSON"]
    persons = engine.persons(texts)
    assert persons == _persons_of(engine.analyze(texts))
    assert persons[-1] and all(f.rule == CONTEXT_RULE and f.score == 0.0 for doc in persons for f in doc)


# Letters, a combining mark, digits, `_`, apostrophes, spaces, dots and hyphens: every kind of
# character that is or is not `\w` next to a value.
_ALPHABET = "AaBbÉé\u0301 1_'’.-\n"


@st.composite
def text_and_values(draw: st.DrawFn) -> tuple[str, list[str]]:
    text = draw(st.text(_ALPHABET, max_size=60))
    cuts = st.tuples(st.integers(0, len(text)), st.integers(1, 6))
    values = [text[i:i + n] for i, n in draw(st.lists(cuts, max_size=8))]
    values += draw(st.lists(st.text(_ALPHABET, min_size=1, max_size=4), max_size=3))
    return text, [v for v in values if v]


@settings(max_examples=1500, deadline=None)
@given(text_and_values(), st.booleans())
@example(("Anna Anna-Lena Anna_x Annabel É\u0301Anna ANNA", ["Anna", "Anna-Lena", "ANNA"]), False)
@example(("Anna Smith Smithers", ["Anna", "Anna Smith", "Smith"]), True)
def test_word_spans_match_the_alternation_pattern(case: tuple[str, list[str]], overlapped: bool) -> None:
    from redactgate import wordmatch
    from helpers import value_pattern

    text, values = case
    expected = [m.span() for m in value_pattern(values).finditer(text, overlapped=overlapped)] if values else []
    saved = wordmatch.FIND_LIMIT
    try:
        for limit in (0, 1000):  # the pass over word runs, and a search per value
            wordmatch.FIND_LIMIT = limit
            assert wordmatch.word_spans(text, values, overlapped=overlapped) == expected, limit
    finally:
        wordmatch.FIND_LIMIT = saved


def test_given_names_read_directly_are_gender_guessers() -> None:
    import gender_guesser.detector

    from redactgate.boosters.lexicon import _gender_guesser_names

    names = gender_guesser.detector.Detector().names
    assert _gender_guesser_names() == {n.casefold() for n in names if "+" not in n and " " not in n}


_SPANS = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda p: (p[0], p[0] + p[1])), max_size=12)


@settings(max_examples=500, deadline=None)
@given(_SPANS, _SPANS)
def test_peer_cover_agrees_with_a_scan(spans: list, queries: list) -> None:
    from redactgate.boosters.peers import _is_covered

    persons = sorted(spans)
    for start, end in queries:
        assert _is_covered((start, end), persons) == any(start <= s and e <= end for s, e in persons)


def test_start_up_does_not_import_faker_until_a_surrogate_is_drawn() -> None:
    import subprocess
    import sys

    from conftest import cli_env

    code = ("import sys, redactgate.cli, redactgate.pipeline; print('faker' in sys.modules); "
            "from redactgate.surrogate import _faker; _faker(); print('faker' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], env=cli_env(), capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_presidio_shipped_patterns_compile() -> None:
    """The check `presidio_import` skips while Presidio is imported, made here instead."""
    import inspect

    import presidio_analyzer.predefined_recognizers as predefined
    import regex

    import redactgate.engine  # noqa: F401 - Presidio imported the way redactgate imports it

    patterns = [p for _, cls in inspect.getmembers(predefined, inspect.isclass) for p in getattr(cls, "PATTERNS", [])]
    assert len(patterns) > 100
    for pattern in patterns:
        regex.compile(pattern.regex)


def test_presidio_import_skips_only_the_import_time_check() -> None:
    import subprocess
    import sys

    from conftest import cli_env

    # Counts the compiles Presidio's `Pattern` check makes while redactgate imports Presidio, and
    # checks that a `Pattern` made afterwards is still checked.
    code = (
        "import sys, regex\n"
        "original, checks = regex.compile, []\n"
        "def counting(*args, **kwargs):\n"
        "    if sys._getframe(1).f_code.co_qualname == 'Pattern.__validate_regex': checks.append(1)\n"
        "    return original(*args, **kwargs)\n"
        "regex.compile = counting\n"
        "import redactgate.engine\n"
        "from presidio_analyzer import Pattern\n"
        "print(len(checks))\n"
        "try:\n"
        "    Pattern('unbalanced', '(', 0.5)\n"
        "except ValueError:\n"
        "    print('checked')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=cli_env(), capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "checked"]
