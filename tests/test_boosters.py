"""Name recall boosters: each one on fake text, and each switch turning it off."""

from __future__ import annotations

import pytest

from conftest import SHARED
from redactgate.boosters.cues import find_cues
from redactgate.boosters.fpfilter import filter_persons, is_table_header
from redactgate.boosters.lexicon import find_lexicon_names
from redactgate.boosters.recase import recase_line
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
    assert recase_line("FARTHINGALE BEATS VANTRASK") == "Farthingale Beats Vantrask"
    assert recase_line("just met sabine at the cafe") == "just met Sabine at the cafe"
    assert recase_line("Mixed Case stays") == "Mixed Case stays"


def test_fpfilter_drops_code_numbers_headers_and_trims_possessive() -> None:
    text = "Name\tTeam\tGoals\n12\tx\t3\nuser_id Orlo's"
    found = [Finding(0, 4, "PERSON", 0.8, "spacy-ner"), Finding(24, 31, "PERSON", 0.8, "spacy-ner"),
             Finding(32, 38, "PERSON", 0.8, "spacy-ner")]
    assert is_table_header(text, found[0])
    assert _values(text, filter_persons(text, found)) == ["Orlo"]


def test_propagation_finds_surname_and_all_caps_but_not_over_a_place() -> None:
    text = "Quenby Farthingale spoke. FARTHINGALE WINS. Later Farthingale left for Farthingale Park."
    park = Finding(71, 88, "LOCATION", 0.0, "model-context")
    seed = [Finding(0, 18, "PERSON", 0.85, "spacy-ner")]
    plain = _values(text, propagate_names(text, seed))
    assert plain.count("Farthingale") == 2 and "FARTHINGALE" in plain
    guarded = _values(text, propagate_names(text, seed, [park, park, park]))
    assert guarded.count("Farthingale") == 1  # the park's word is a place more often than a person


BOOSTER_RULES = {"cues": "cue-", "lexicon": "lexicon-", "propagation": "name-propagation"}


@pytest.mark.model
@pytest.mark.parametrize("booster", sorted(BOOSTER_RULES))
def test_each_switch_turns_its_booster_off(processor, test_key, booster: str) -> None:
    from redactgate.config import Boosters
    from redactgate.detect import Detector

    text = ("Mr Quenby Farthingale met Gerhardt Vantrask on Monday. Vantrask said it went well.\n"
            "Later Farthingale left.")
    rules = {}
    for on in (True, False):
        config = processor.config.model_copy(update={"boosters": Boosters(**{booster: on})})
        found = Detector(processor.engine, config, test_key).detect([text])[0]
        rules[on] = {f.rule for f in found}
    assert any(r.startswith(BOOSTER_RULES[booster]) for r in rules[True])
    assert not any(r.startswith(BOOSTER_RULES[booster]) for r in rules[False])


@pytest.mark.model
def test_recase_switch(processor, test_key) -> None:
    from redactgate.config import Boosters
    from redactgate.detect import Detector

    text = "SPORTS NEWS\nFARTHINGALE AND VANTRASK WIN\nthe end"
    counts = {}
    for on in (True, False):
        config = processor.config.model_copy(update={"boosters": Boosters(recase=on, propagation=False)})
        found = Detector(processor.engine, config, test_key).detect([text])[0]
        counts[on] = sum(f.entity_type == "PERSON" for f in found)
    assert counts[True] > counts[False]


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
