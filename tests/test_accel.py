"""Speed-ups that must not change what is found: the phone prefilter, the context enhancer, chunking.

The chunker cuts at white space, so only values with spaces inside can straddle a boundary."""

from __future__ import annotations

import json

import pytest

from conftest import SHARED

PHONE_TEXTS = [
    "Call (202) 555-0142 during office hours, or +1 415 555 0101 after 6pm.",
    "Scores: 7-2, 6:40 to 6:25, 2025 and 10,000 residents; fax 020 7946 0958 ext. 123.",
    "Numbers 555-0199/555-0123 and 617-555-0188, then 12 ext 555-0142 and +49 30 901820.",
    "Israeli 09-7625400, Indian 022 2549 4231, Brazilian (11) 5555-0123, time 12:45:30.",
    "",
]


def _vectors(name: str) -> list[str]:
    path = SHARED / "eval" / "recognizer-vectors" / f"{name}.json"
    cases = json.loads(path.read_text())["cases"] if path.is_file() else []
    return [case["text"] if "text" in case else f"pay to {case['iban']} today" for case in cases]


def _spans(results) -> list[tuple]:
    return sorted((r.start, r.end, r.entity_type, r.score) for r in results)


@pytest.mark.parametrize("text", PHONE_TEXTS + _vectors("phone"))
def test_prefiltered_phone_recognizer_finds_what_presidios_finds(text: str) -> None:
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    from redactgate.accel import PrefilteredPhoneRecognizer

    stock = PhoneRecognizer().analyze(text, ["PHONE_NUMBER"], None)
    assert _spans(PrefilteredPhoneRecognizer().analyze(text, ["PHONE_NUMBER"], None)) == _spans(stock)


GATE_TEXTS = ["Server 192.0.2.44 and ::1, fe80::1ff:fe23:4567:890a%eth0, 2001:db8::8a2e:370:7334/64 at 10:30.",
              "In full 2001:0db8:85a3:0000:0000:8a2e:0370:7334 and 1:2:3:4:5:6:192.0.2.33, at 10:30:45.",
              "Write to jane.roe@example.com or ops@example.org; IBAN GB82 WEST 1234 5698 7654 32, DE89370400440532013000.",
              "Scores 6:4 and 1.5 km; version 2.0.1; no addresses here.", ""]


@pytest.mark.parametrize("name", ["IpRecognizer", "EmailRecognizer", "IbanRecognizer"])
def test_gated_recognizers_find_what_presidios_find(name: str) -> None:
    """The gate is installed for the installed Presidio's patterns, every match of every pattern
    contains a gate match (what makes skipping a text without one safe), and results are equal."""
    import re

    import presidio_analyzer.predefined_recognizers as predefined
    import regex

    from redactgate.accel import GATES, gated

    cls = getattr(predefined, name)
    texts = GATE_TEXTS + _vectors({"IpRecognizer": "ip", "EmailRecognizer": "email", "IbanRecognizer": "iban"}[name])
    recognizer = gated(cls())
    assert recognizer.analyze.__name__ == "gated_analyze"  # a Presidio upgrade that changed the patterns shows here
    gate = re.compile(GATES[cls], re.IGNORECASE)
    stock, matches = cls(), 0
    for text in texts:
        for pattern in stock.patterns:
            for match in regex.finditer(pattern.regex, text, flags=stock.global_regex_flags):
                matches += 1
                assert gate.search(match.group()), pattern.name
        assert _spans(recognizer.analyze(text, cls().supported_entities, None)) == _spans(stock.analyze(text, stock.supported_entities, None))
    assert matches >= 3
    assert recognizer.analyze("nothing to see at 10 past 6", cls().supported_entities, None) == []


def test_memoised_phone_results_are_fresh_copies() -> None:
    """The memo hands out copies: the analyzer shifts and re-scores results (and their explanation)
    in place, which must not reach the results of the next text with the same window."""
    from redactgate.accel import PrefilteredPhoneRecognizer

    recognizer = PrefilteredPhoneRecognizer()
    first = recognizer.analyze(PHONE_TEXTS[0], ["PHONE_NUMBER"], None)
    expected = _spans(first)
    explained = [(r.analysis_explanation.score, r.recognition_metadata) for r in first]
    for r in first:
        r.start, r.score = r.start + 100, 0.99
        r.analysis_explanation.set_improved_score(0.99)
        r.recognition_metadata["changed"] = "yes"
    again = recognizer.analyze(PHONE_TEXTS[0], ["PHONE_NUMBER"], None)
    assert len(expected) == 2 and _spans(again) == expected
    assert [(r.analysis_explanation.score, r.recognition_metadata) for r in again] == [
        (score, {k: v for k, v in meta.items() if k != "changed"}) for score, meta in explained]


@pytest.mark.model
@pytest.mark.parametrize("mode", ["substring", "whole_word"])
def test_fast_context_enhancer_scores_like_presidios(processor, mode: str) -> None:
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
    from presidio_analyzer.nlp_engine import NlpArtifacts
    from spacy.lang.en.stop_words import STOP_WORDS

    from redactgate.accel import FastLemmaContextEnhancer

    engine = processor.engine
    text = "Margaret Okonkwo-Hale wrote: " + (  # a name the model finds: no context words
        "Please call my phone number 212-555-0123. My social security number is 078-05-1120 "
        "and the card 4111 1111 1111 1111 expires soon; the server at 192.0.2.44 logged it. ") * 3
    artifacts = engine.analyzer.nlp_engine._doc_to_nlp_artifact(engine.nlp(text), "en")
    assert "phone" in artifacts.keywords  # context words see the tokens (no lemmatizer loaded)
    # Presidio's keywords, plus the stop words it drops: a deliberate difference (test_patterns.py)
    presidio_keywords = NlpArtifacts.set_keywords(engine.analyzer.nlp_engine, artifacts.lemmas, "en")
    assert [w for w in artifacts.keywords if w not in STOP_WORDS] == presidio_keywords
    recognizers = engine.analyzer.registry.recognizers
    raw = [r for rec in recognizers for r in (rec.analyze(text, engine.entities, artifacts) or [])]
    before = [(r.start, r.end, r.entity_type, r.score) for r in raw]
    slow = LemmaContextAwareEnhancer(context_matching_mode=mode).enhance_using_context(text, raw, artifacts, recognizers)
    fast = FastLemmaContextEnhancer(context_matching_mode=mode).enhance_using_context(text, raw, artifacts, recognizers)
    assert [(r.start, r.end, r.entity_type, r.score) for r in fast] == [(r.start, r.end, r.entity_type, r.score) for r in slow]
    assert [(r.start, r.end, r.entity_type, r.score) for r in raw] == before  # the input is never re-scored
    assert any(r.score > o.score for r, o in zip(sorted(slow, key=_key), sorted(raw, key=_key)))  # context counted
    names = [i for i, r in enumerate(raw) if r.entity_type == "PERSON"]
    assert names and all(fast[i] is raw[i] for i in names)  # no context words: passed through, not copied


def _key(r) -> tuple:
    return (r.start, r.end, r.entity_type)


@pytest.mark.model
def test_fast_analyzer_engine_gives_presidios_results(processor) -> None:
    """Grouping the results once per analysis gives what Presidio's per-recognizer scans give, in the
    same order, and a recognizer that does re-score its own results (as Presidio allows) still does."""
    from presidio_analyzer import AnalyzerEngine, PatternRecognizer

    class Rescoring(PatternRecognizer):
        def enhance_using_context(self, text, raw_recognizer_results, other_raw_recognizer_results, nlp_artifacts,
                                  context=None):
            for result in raw_recognizer_results:
                result.score = min(1.0, result.score + 0.1 * len(other_raw_recognizer_results))
            return raw_recognizer_results

    fast = processor.engine.analyzer
    stock = AnalyzerEngine(nlp_engine=fast.nlp_engine, registry=fast.registry, supported_languages=["en"],
                           context_aware_enhancer=fast.context_aware_enhancer)
    text = ("Margaret Okonkwo-Hale wrote: call my phone 212-555-0123, social security number 078-05-1120, "
            "card 4111 1111 1111 1111, server 192.0.2.44, ticket ZZ-4821 for jane.roe@example.com.")
    extra = Rescoring(supported_entity="TICKET", deny_list=["ZZ-4821"], deny_list_score=0.3)
    for ad_hoc in ([], [extra]):
        entities = processor.engine.entities + (["TICKET"] if ad_hoc else [])
        results = [fast.analyze(text, language="en", entities=entities, ad_hoc_recognizers=ad_hoc, return_decision_process=True),
                   stock.analyze(text, language="en", entities=entities, ad_hoc_recognizers=ad_hoc, return_decision_process=True)]
        assert [(r.start, r.end, r.entity_type, r.score) for r in results[0]] == \
            [(r.start, r.end, r.entity_type, r.score) for r in results[1]]
        assert len(results[0]) >= 5
    assert any(r.entity_type == "TICKET" and r.score > 0.5 for r in results[0])  # re-scored from 0.3: others were found


@pytest.mark.model
@pytest.mark.parametrize("value,entity", [("(202) 555-0142", "PHONE_NUMBER"),
                                          ("Margaret Okonkwo-Hale", "PERSON"),
                                          ("4111 1111 1111 1111", "CREDIT_CARD"),
                                          ("GB82 WEST 1234 5698 7654 32", "IBAN_CODE")])
def test_values_straddling_a_chunk_boundary_are_found_whole(processor, value: str, entity: str) -> None:
    from redactgate.engine import chunk_spans

    engine = processor.engine
    filler = "The council met on Tuesday and voted to approve the revised ferry timetable for the town. "
    size, overlap = 300, 60
    # Place the value so that the first chunk ends inside it.
    for pad in range(200, 300):
        text = (filler * 4)[:pad] + f" Council leader {value} spoke. " + filler * 3
        start = text.index(value)
        if any(start < end < start + len(value) for _, end in chunk_spans(len(text), text, size, overlap)):
            break
    else:
        pytest.fail("could not place the value across a chunk boundary")
    saved = engine.chunk_chars, engine.chunk_overlap
    engine.chunk_chars, engine.chunk_overlap = size, overlap
    try:
        found = processor.detector.detect([text])[0]
    finally:
        engine.chunk_chars, engine.chunk_overlap = saved
    end = start + len(value)
    assert any(f.entity_type == entity and f.start <= start and end <= f.end for f in found), found
