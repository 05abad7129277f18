"""Name recall boosters: each one on fake text, and each switch turning it off."""

from __future__ import annotations

import pytest

from conftest import SHARED
from redactgate.boosters.cues import find_cues
from redactgate.boosters.fpfilter import filter_persons, is_table_header
from redactgate.boosters.lexicon import find_lexicon_names
from redactgate.boosters.recase import recase_line, recased_lines, recasing
from redactgate.findings import Finding
from redactgate.propagate import propagate_names


def _values(text: str, findings: list[Finding]) -> list[str]:
    return [text[f.start:f.end] for f in findings]


def test_role_reporting_results_and_initial_cues() -> None:
    text = ("Foreign Minister Quenby Farthingale arrived. Farthingale said nothing.\n"
            "1. Orlo Vantrask ( Exampleland ) 2:04.55\nJ. Vantrask left.")
    values = _values(text, find_cues(text))
    assert "Quenby Farthingale" in values and "Orlo Vantrask" in values and "J. Vantrask" in values
    assert "Foreign Minister Quenby Farthingale" not in values  # common leading words trimmed


def test_cues_skip_common_words() -> None:
    assert find_cues("The President Tuesday said that the coach The team won.") == []


def test_lexicon_needs_capitals_and_a_rare_word() -> None:
    text = "We met with Gerhardt yesterday; then Young Boys and may said hello to Sabine Quenby."
    values = _values(text, find_lexicon_names(text))
    assert "Gerhardt" in values and "Sabine Quenby" in values
    assert not any(v in ("Young", "may", "Boys") for v in values)


def test_lexicon_skips_words_inside_places_the_model_found() -> None:
    text = "They flew to Gerhardt."
    place = Finding(13, 21, "LOCATION", 0.0, "model-context")
    assert find_lexicon_names(text, [place]) == []


def test_recase_keeps_length_and_capitalises_only_names() -> None:
    assert recase_line("SABINE BEATS GERHARDT IN FINAL") == "Sabine beats Gerhardt in final"
    assert recase_line("just met sabine at the cafe") == "just met Sabine at the cafe"
    assert recase_line("Mixed Case stays") == "Mixed Case stays"


def test_only_recased_lines_with_a_name_go_to_the_model_again() -> None:
    text = "SABINE BEATS GERHARDT IN FINAL\nSOCCER - LEAGUE RESULTS AND STANDINGS\nMixed Case stays"
    # The second line re-cases to all lower case: the model then finds no name there (eval:
    # same recall on CoNLL, WNUT and the synthetic set, fewer false names), so it is not sent.
    assert recased_lines(text) == [(0, "Sabine beats Gerhardt in final")]


def test_all_caps_lines_are_read_re_cased_in_place_lower_case_lines_again() -> None:
    text = "SABINE BEATS GERHARDT IN FINAL\njust met sabine at the cafe\nMixed Case stays"
    recast = recasing(text)
    assert recast.view == "Sabine beats Gerhardt in final\njust met sabine at the cafe\nMixed Case stays"
    assert recast.again == [(31, "just met Sabine at the cafe")]
    assert recasing("Mixed Case stays").view == "Mixed Case stays"


def test_fpfilter_drops_code_numbers_headers_and_trims_possessive() -> None:
    text = "Name\tTeam\tGoals\n12\tx\t3\nuser_id Orlo's\nJ. Vantrask 4-28"
    spans = [(0, 4), (text.index("user_id"), text.index(" Orlo")), (text.index("Orlo"), text.index("\nJ.")),
             (text.index("J."), len(text))]
    found = [Finding(s, e, "PERSON", 0.8, "spacy-ner") for s, e in spans]
    assert is_table_header(text, found[0])
    assert _values(text, filter_persons(text, found)) == ["Orlo", "J. Vantrask"]


def test_fpfilter_keeps_the_name_after_a_team_list_label() -> None:
    """"Country - Name ( captain )": the model takes the label into the name; the place and the dash
    go, the name stays. Without a place before the dash the span is two things and goes."""
    text = "Norway - Sabine Vantrask ( captain ) , Orlo Brenn\nVantrask - Orlo Brenn\nNew Zealand -- 4-28"
    lines = text.split("\n")
    spans = [(0, len("Norway - Sabine Vantrask")), (len(lines[0]) + 1, len(lines[0]) + 1 + len(lines[1])),
             (text.index("New Zealand"), len(text))]
    found = [Finding(s, e, "PERSON", 0.85, "spacy-ner") for s, e in spans]
    assert _values(text, filter_persons(text, found)) == ["Sabine Vantrask"]


def test_propagation_finds_surname_and_all_caps_but_not_over_a_place() -> None:
    text = "Quenby Farthingale spoke. FARTHINGALE WINS. Later Farthingale left for Farthingale Park."
    park = Finding(71, 88, "LOCATION", 0.0, "model-context")
    seed = [Finding(0, 18, "PERSON", 0.85, "spacy-ner")]
    plain = _values(text, propagate_names(text, seed))
    assert plain.count("Farthingale") == 2 and "FARTHINGALE" in plain
    guarded = _values(text, propagate_names(text, seed, [park, park, park]))
    # the word is a place more often than a person here: only the full name is propagated
    assert guarded == ["Quenby Farthingale"]


def _detector(**switches: bool):
    """A Detector over a stand-in engine: post-processing needs no model."""
    from types import SimpleNamespace

    from conftest import TEST_KEY
    from redactgate.config import Boosters, Config
    from redactgate.detect import Detector
    from redactgate.keys import RunKey

    config = Config(boosters=Boosters(**switches))
    return Detector(SimpleNamespace(entities=list(config.enabled_entities)), config, RunKey(TEST_KEY.encode(), "test"))


SWITCH_TEXT = "Minister Sabine Vantrask met Gerhardt on Monday; later Vantrask left."


@pytest.mark.parametrize("booster,rule", [("cues", "cue-role"), ("lexicon", "lexicon-name")])
def test_each_candidate_switch(booster: str, rule: str) -> None:
    only = {"cues": False, "lexicon": False, "propagation": False}
    on = _detector(**{**only, booster: True}).postprocess(SWITCH_TEXT, [])
    off = _detector(**only).postprocess(SWITCH_TEXT, [])
    assert any(f.rule == rule for f in on) and not any(f.rule == rule for f in off)


def test_propagation_and_fpfilter_switches() -> None:
    model_says = [Finding(9, 24, "PERSON", 0.85, "spacy-ner")]
    off = dict(cues=False, lexicon=False)
    assert "name-propagation" in {f.rule for f in _detector(**off).postprocess(SWITCH_TEXT, model_says)}
    assert "name-propagation" not in {f.rule for f in _detector(**off, propagation=False).postprocess(SWITCH_TEXT, model_says)}
    code = "Ask user_id for help."
    token = [Finding(4, 11, "PERSON", 0.85, "spacy-ner")]
    assert _detector(**off, propagation=False).postprocess(code, token) == []
    assert len(_detector(**off, propagation=False, fpfilter=False).postprocess(code, token)) == 1


@pytest.mark.model
def test_recase_switch(processor, test_key) -> None:
    from redactgate.config import Boosters
    from redactgate.detect import Detector

    text = "SPORTS NEWS\nSABINE KOVACS AND GERHARDT MUELLER WIN THE FINAL\nthe end"
    counts = {}
    for on in (True, False):
        config = processor.config.model_copy(update={"boosters": Boosters(recase=on, propagation=False, cues=False, lexicon=False)})
        found = Detector(processor.engine, config, test_key).detect([text])[0]
        counts[on] = sum(f.entity_type == "PERSON" for f in found)
    assert counts[True] > counts[False] == 0


@pytest.mark.model
def test_seed_article_people_masked_places_kept(detect) -> None:
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("shared seed article absent")
    text = seeds[0].read_text(encoding="utf-8")
    persons = [text[f.start:f.end] for f in detect(text) if f.entity_type == "PERSON"]
    surnames = ["Shoigu", "Lavrov", "Cavusoglu", "Trump", "Ushakov", "Kalin", "Fidan", "Akar", "Putin", "Erdogan"]
    for surname in surnames:
        assert sum(surname in p for p in persons) == text.count(surname), surname
    assert sum(text.count(s) for s in surnames) == 13
    assert not any(place in p for p in persons for place in ("Turkey", "Moscow", "Syria"))
