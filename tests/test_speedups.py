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


@settings(max_examples=500, deadline=None)
@given(st.lists(st.integers(0, 60), max_size=30), st.integers(1, 6), st.integers(1, 100))
def test_model_batches_are_consecutive_full_runs_within_both_limits(lengths: list, count: int, chars: int) -> None:
    from redactgate.engine import model_batches

    runs = list(model_batches(lengths, count, chars))
    assert [k for run in runs for k in run] == list(range(len(lengths)))
    for run, following in zip(runs, [*runs[1:], None]):
        size = sum(lengths[k] for k in run)
        assert len(run) <= count and (size <= chars or len(run) == 1)
        if following is not None:  # closed only when the next text would break a limit
            assert len(run) == count or size + lengths[following[0]] > chars


@pytest.mark.model
def test_findings_do_not_depend_on_model_batches(processor) -> None:
    """`analyze` and `persons` give the same findings with the model reading a few characters a batch
    as with whole batches; and the model is never handed more than the budget (beyond one chunk)."""
    from redactgate.engine import MODEL_BATCH_CHARS

    engine = processor.engine
    texts = [" ".join(LINES[i:] + LINES[:i]) for i in range(len(LINES))] * 4
    whole = engine.analyze(texts), engine.persons(texts)
    seen: list[list[int]] = []
    pipe = engine.nlp.pipe

    def recording(batch, batch_size):
        seen.append([len(t) for t in batch])
        return pipe(batch, batch_size=batch_size)

    engine.batch_chars, engine.nlp.pipe = 600, recording  # two or three of these texts a batch
    try:
        small = engine.analyze(texts), engine.persons(texts)
    finally:
        engine.batch_chars = MODEL_BATCH_CHARS
        del engine.nlp.pipe
    assert len(seen) > len(texts) // 2 and all(sum(b) <= 600 or len(b) == 1 for b in seen)
    assert any(len(b) > 1 for b in seen)
    assert small == whole and sum(map(len, whole[1])) >= 4 * 6


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


@st.composite
def periodic_text_and_values(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A short unit repeated, a few characters changed, and long slices of it as values: where a
    value is followed along the text by its period."""
    unit = draw(st.text(_ALPHABET, min_size=1, max_size=4))
    text = list(unit * draw(st.integers(1, 30)))
    for index, char in draw(st.lists(st.tuples(st.integers(0, len(text) - 1), st.sampled_from(_ALPHABET)), max_size=3)):
        text[index] = char
    text = "".join(text) + draw(st.text(_ALPHABET, max_size=4))
    cuts = st.tuples(st.integers(0, len(text)), st.integers(1, 40))
    values = [text[i:i + n] for i, n in draw(st.lists(cuts, min_size=1, max_size=4))]
    return text, [v for v in values if v]


@settings(max_examples=1500, deadline=None)
@given(st.one_of(text_and_values(), periodic_text_and_values()), st.booleans())
@example(("Anna Anna-Lena Anna_x Annabel É\u0301Anna ANNA", ["Anna", "Anna-Lena", "ANNA"]), False)
@example(("Anna Smith Smithers", ["Anna", "Anna Smith", "Smith"]), True)
# "a a" at 2, and the text goes on with "a " (the value's first period), not " a" (its last): there
# is no "a a" at 4, which following the wrong end of the value would claim
@example(("a a aa ", ["a a"]), False)
def test_word_spans_match_the_alternation_pattern(case: tuple[str, list[str]], overlapped: bool) -> None:
    from redactgate import wordmatch
    from helpers import value_pattern

    text, values = case
    expected = [m.span() for m in value_pattern(values).finditer(text, overlapped=overlapped)] if values else []
    saved = wordmatch.FIND_LIMIT, wordmatch.PERIODIC_MIN
    try:
        # the pass over word runs, a search per value, and a search per value following its period
        for limit, periodic in ((0, saved[1]), (1000, saved[1]), (1000, 1)):
            wordmatch.FIND_LIMIT, wordmatch.PERIODIC_MIN = limit, periodic
            assert wordmatch.word_spans(text, values, overlapped=overlapped) == expected, (limit, periodic)
    finally:
        wordmatch.FIND_LIMIT, wordmatch.PERIODIC_MIN = saved


def test_given_names_read_directly_are_gender_guessers() -> None:
    import gender_guesser.detector

    from redactgate.boosters.lexicon import _gender_guesser_names

    names = gender_guesser.detector.Detector().names
    assert _gender_guesser_names() == {n.casefold() for n in names if "+" not in n and " " not in n}


def test_wordfreq_finds_its_data_where_its_own_lookup_would() -> None:
    """`lexicon._zipf_frequency` answers wordfreq's import-time `locate.this_dir()` itself; in a
    fresh process, the folder it gave is the one the real lookup finds, which is back in place."""
    import subprocess
    import sys

    from conftest import cli_env

    code = ("import locate; real = locate.this_dir; from redactgate.boosters.lexicon import zipf; "
            "print(zipf('Sampras') < zipf('the')); import wordfreq, wordfreq.util; "
            "print(locate.this_dir is real, wordfreq.DATA_PATH == wordfreq.util.data_path(), wordfreq.DATA_PATH.is_dir())")
    out = subprocess.run([sys.executable, "-c", code], env=cli_env(), capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True", "True"]


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


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ09+/=_- \n\r.é\u00a0QUJD"), max_size=120))
@example("Blob QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo= end")
@example("four word runs make base64 look alike\r\nWXYZ abcd efgh ijkl mnop")
def test_base64_runs_found_by_re_as_by_regex(text: str) -> None:
    import regex

    from redactgate.encoded import _BASE64

    assert [m.span() for m in _BASE64.finditer(text)] == [m.span() for m in regex.finditer(_BASE64.pattern, text)]


_BOOSTER_TOKENS = st.sampled_from([
    "Mr", "Mrs", "Vice President", "Vice-President", "Prime\tMinister", "coach", "Frau", "Sen", "Senator",
    "captain", "team-mate", "beat", "beats", "by", "an innings", "3", "214", "6-2", "runs", "wickets", "(",
    ")", "and", "or", ",", ".", "Essex", "Kent", "Odo", "Pellmarsh", "É", "Ölund", "&", "x", "said",
])
_BOOSTER_TEXTS = st.lists(st.tuples(_BOOSTER_TOKENS, st.sampled_from([" ", " ", "\t", "\n", "", ". ", " \t"])),
                          max_size=30).map(lambda parts: "".join(t + sep for t, sep in parts))


@settings(max_examples=1500, deadline=None)
@given(_BOOSTER_TEXTS)
@example("Vice President Al Gore and Mr. J. Smith\ncaptain Essex captain Kent Smith")
@example("Essex beat Kent by an innings\nEssex 214 ( Odo 84 ; Kent , Essex and Surrey")
@example("x\nKent beats Essex by 3 runs . Essex 214 and 6-2 \t( Ölund 3")
def test_scanned_booster_patterns_match_as_finditer(text: str) -> None:
    from redactgate.boosters import cues, structure
    from redactgate.boosters.scan import matches_from, matches_on_lines

    def spans(matches) -> list:
        return [(m.span(), m.groups()) for m in matches]

    assert spans(matches_from(cues._ROLE_CUE, cues._ROLE_STARTS, text)) == spans(cues._ROLE_CUE.finditer(text))
    for pattern, gate in [(structure._MARGIN, structure._MARGIN_GATE), (structure._ROLE_AFTER, structure._ROLE_GATE),
                          (structure._SCORECARD, structure._SCORECARD_GATE),
                          (structure._COORDINATION, structure._COORDINATION_GATE)]:
        assert spans(matches_on_lines(pattern, gate, text)) == spans(pattern.finditer(text))


def test_trie_matches_the_words_it_is_built_from() -> None:
    import re

    from redactgate.boosters.scan import trie

    words = ["Mr", "Mrs", "Ms", "Miss", "Sen", "Senator", "team-mate", "Prime\tMinister", "a.b"]
    pattern = re.compile(f"(?:{trie(words)})")
    for word in words:
        assert pattern.fullmatch(word), word
    for other in ["M", "Mis", "Senat", "team", "aXb", "Prime Minister"]:
        assert not pattern.fullmatch(other), other


_FINDINGS = st.lists(st.builds(
    lambda start, length, entity, score, rule, group: __import__("redactgate.findings").findings.Finding(
        start, start + length, entity, score, rule, group),
    st.integers(0, 9), st.integers(0, 4), st.sampled_from(["PERSON", "EMAIL_ADDRESS"]), st.sampled_from([0.3, 0.85]),
    st.sampled_from(["spacy-ner", "cue-role"]), st.sampled_from(["", "g1"])), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_FINDINGS)
def test_in_order_is_the_dataclass_order(findings: list) -> None:
    from redactgate.findings import in_order

    assert in_order(findings) == sorted(findings)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ0%41F&#;=\\xu.-~+@ \né_"), max_size=60))
@example("x%41%zz%42y a&amp;b&c d &#64;x \\x41\\u0042 =41=\nb")
def test_encoded_runs_start_where_the_patterns_without_a_start_guard_start(text: str) -> None:
    """The look-behind that keeps these searches linear drops no match: the same matches as the
    patterns without it (which took seconds on one long word)."""
    import regex

    from redactgate import encoded

    for pattern in (encoded._URL, encoded._ESCAPED, encoded._QP, encoded._HTML):
        unguarded = regex.compile(regex.sub(r"^\(\?<!\[[^\]]*\]\)", "", pattern.pattern))
        assert unguarded.pattern != pattern.pattern
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in unguarded.finditer(text)]


def test_encoded_runs_are_found_in_linear_time_in_a_long_word() -> None:
    """A 200,000-character word and one marker of each kind: the search without the start guard read
    the rest of the word from each of its characters (hours); with it, a fraction of a second. The
    time limit only tells a linear search from a quadratic one."""
    import subprocess
    import sys

    from conftest import cli_env

    code = "from redactgate.encoded import encoded_runs; encoded_runs('a' * 200_000 + ' & % = \\\\x4 ')"
    subprocess.run([sys.executable, "-c", code], env=cli_env(), check=True, timeout=120)


_TABLE_LINES = st.lists(st.sampled_from([
    "Name\tTeam\tGoals", "Jan Novak  Kent  Essex", "Odo Pellmarsh | Tam Wrenfield | Ana Lima", "1 2 3", "12\t4\t5",
    "Jan Novak and Odo Pellmarsh met", "", "Kent\tEssex", "Ana  Lima  Odo  Tam  Kent"]), min_size=1, max_size=8)


@settings(max_examples=500, deadline=None)
@given(_TABLE_LINES, st.data())
def test_table_header_cells_read_once_per_line_give_the_same_answers(lines: list, data) -> None:
    import regex

    from redactgate.boosters.fpfilter import is_table_header
    from redactgate.findings import Finding

    text = "\n".join(lines)
    words = [m.span() for m in regex.finditer(r"[A-Z]\w+(?: [A-Z]\w+)?", text)]
    spans = data.draw(st.lists(st.sampled_from(words), max_size=12)) if words else []
    headers: dict = {}
    for start, end in spans:
        finding = Finding(start, end, "PERSON", 0.85, "spacy-ner")
        assert is_table_header(text, finding, headers) == is_table_header(text, finding)


def test_table_header_cache_keeps_a_header_a_header() -> None:
    from redactgate.boosters.fpfilter import is_table_header
    from redactgate.findings import Finding

    text = "Kent\tEssex\tSurrey\n12\t4\t5\nKent won"
    headers: dict = {}
    found = [is_table_header(text, Finding(s, e, "PERSON", 0.85, "spacy-ner"), headers) for s, e in [(0, 4), (5, 10), (27, 31)]]
    assert found == [True, True, False] and len(headers) == 2
