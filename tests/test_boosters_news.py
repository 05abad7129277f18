"""News name boosters (issue 4): structure vetoes, places; invented teams, firms and people only."""

from __future__ import annotations

import pytest

from redactgate.boosters.places import is_place
from redactgate.boosters.structure import veto_persons, vetoed_values
from redactgate.findings import Finding


def _person(text: str, value: str, nth: int = 0, rule: str = "spacy-ner") -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return Finding(start, start + len(value), "PERSON", 0.85, rule)


def _values(text: str, findings: list[Finding]) -> list[str]:
    return [text[f.start:f.end] for f in findings]


def _detector(**switches: bool):
    """A Detector over a stand-in engine: post-processing needs no model."""
    from types import SimpleNamespace

    from conftest import TEST_KEY
    from redactgate.config import Boosters, Config
    from redactgate.detect import Detector
    from redactgate.keys import RunKey

    config = Config(boosters=Boosters(**switches))
    return Detector(SimpleNamespace(entities=list(config.enabled_entities)), config, RunKey(TEST_KEY.encode(), "test"))


@pytest.mark.parametrize("text,team", [
    ("Results on Sunday:\nVarnholt 3 Quillby Rovers 1\n", "quillby rovers"),
    ("Standings:\nVarnholt 10 6 2 2 18 9 20\n", "varnholt"),
    ("Varnholt 46 6 54 .462 14\n", "varnholt"),
    ("Varnholt beat Quillby by an innings and 12 runs.", "quillby"),
    ("The Varnholt striker Odo Pellmarsh scored twice.", "varnholt"),
    ("Shares of Quillby Tooling Inc rose.", "quillby tooling"),
    ("Varnholt 214 ( O. Pellmarsh 84 ; T. Wrenfield 4-55 ) , Quillby 108-3 .", "varnholt"),
])
def test_structure_evidence(text: str, team: str) -> None:
    assert team in vetoed_values(text)


def test_coordination_spreads_team_evidence() -> None:
    text = "Varnholt captain Odo Pellmarsh was out. Varnholt , Quillby and Dunmere all won."
    values = vetoed_values(text)
    assert {"quillby", "dunmere"} <= values and "odo pellmarsh" not in values


def test_people_in_results_are_not_teams() -> None:
    # set scores, a country in brackets, a golfer's four rounds: people, not teams
    text = ("Odo Pellmarsh ( Exampleland ) beat Tam Wrenfield ( Sampleland ) 6-3 6-4\n"
            "279 Tam Wrenfield 70 68 72 69 , Odo Pellmarsh 71 70 69 69\n")
    values = vetoed_values(text)
    assert not {"odo pellmarsh", "tam wrenfield", "pellmarsh", "wrenfield"} & values


def test_veto_drops_teams_everywhere_and_keeps_people() -> None:
    text = "Varnholt 3 Quillby 1\nVarnholt coach Odo Pellmarsh said Varnholt played well."
    found = [_person(text, "Varnholt"), _person(text, "Odo Pellmarsh"), _person(text, "Varnholt", 2)]
    assert _values(text, veto_persons(text, found)) == ["Odo Pellmarsh"]


def test_places_and_demonyms_are_not_people() -> None:
    assert is_place("Kenya") and is_place("KENYAN") and is_place("Sri Lanka") and is_place("French")
    assert is_place("Aland Islands") and is_place("Åland Islands")
    assert not is_place("Lori") and not is_place("Francis") and not is_place("Pellmarsh")


def test_a_country_that_is_a_found_surname_stays() -> None:
    text = "Director Odo Jordan arrived. Jordan said the film was done. Flights to Kenya resumed."
    found = [_person(text, "Odo Jordan"), _person(text, "Jordan", 1), _person(text, "Kenya")]
    assert _values(text, veto_persons(text, found)) == ["Odo Jordan", "Jordan"]


def test_structure_switch() -> None:
    text = "Varnholt 3 Quillby 1\nVarnholt played well."
    model_says = [_person(text, "Varnholt"), _person(text, "Varnholt", 1)]
    off = dict(cues=False, lexicon=False, propagation=False)
    assert _detector(**off).postprocess(text, model_says) == []
    assert len(_detector(**off, structure=False).postprocess(text, model_says)) == 2


RESULTS = ("CRICKET - VARNHOLT BEAT QUILLBY .\n"
           "Varnholt beat Quillby by an innings and 39 runs on Friday .\n"
           "Quillby 83 and 174 ( P. Pellmarsh 4-38 ) , Varnholt 296 .\n"
           "Varnholt captain Odo Pellmarsh said Quillby had played well .\n"
           "Shares of Brackwell Tooling Inc rose ; Brackwell said profit would rise .")


@pytest.mark.model
@pytest.mark.parametrize("structure", [True, False])
def test_teams_and_firms_in_results_are_not_masked(processor, test_key, structure: bool) -> None:
    from redactgate.config import Boosters
    from redactgate.detect import Detector

    config = processor.config.model_copy(update={"boosters": Boosters(structure=structure)})
    found = Detector(processor.engine, config, test_key).detect([RESULTS])[0]
    persons = [RESULTS[f.start:f.end] for f in found if f.entity_type == "PERSON"]
    assert "Odo Pellmarsh" in persons and "P. Pellmarsh" in persons
    things = [p for p in persons if p.casefold() in ("quillby", "varnholt", "brackwell")]
    assert (things == []) is structure  # the small model takes two of them for people


@pytest.mark.parametrize("text,found,whole", [
    ("Coach Joost van der Brakel left.", "Joost", "Joost van der Brakel"),
    ("A pass from Van der Brakel won it.", "Brakel", "Van der Brakel"),
    ('Champion Odo " The Hammer " Pellmarsh fights again.', "Odo", 'Odo " The Hammer " Pellmarsh'),
    ("He saw ( Tam ) Wrenfield pitch.", "Wrenfield", "( Tam ) Wrenfield"),
    ("Historian Odo Quillan ( O.Q. ) Pellmarsh died.", "Odo Quillan", "Odo Quillan ( O.Q. ) Pellmarsh"),
    ("1533 - Queen Odila I born .", "Odila", "Odila I"),
    ("The reign of Ottokar VIII ended.", "Ottokar", "Ottokar VIII"),
    ("Minister Kim Dae-sung arrived.", "Kim Dae", "Kim Dae-sung"),
    ("13 - Zorvan Pellmarsh ( 48 mins )", "Pellmarsh", "Zorvan Pellmarsh"),  # a rare neighbour
    ("A shot by Odo Quenbarrow went wide.", "Odo", "Odo Quenbarrow"),
    ("We met Cardinal Pellmarsh today.", "Cardinal Pellmarsh", "Pellmarsh"),  # title trimmed
])
def test_joins_grow_whole_names(text: str, found: str, whole: str) -> None:
    from redactgate.boosters.joins import join_names

    assert _values(text, join_names(text, [_person(text, found)])) == [whole]


@pytest.mark.parametrize("text,found", [
    ("Odo Pellmarsh ( Exampleland ) Quillby Cycling won the stage.", "Odo Pellmarsh"),
    ("Then Odila I think left early.", "Odila"),  # a lone "I" is the pronoun without a title
    ("He met Odo Pellmarsh and Quillby.", "Odo Pellmarsh"),
    ("The Prince Odo Pellmarsh spoke.", "Odo Pellmarsh"),  # titles, places, common words stay out
    ("Shares of Quillby Tooling Inc rose.", "Quillby Tooling"),
    ("Then Kenya Odo Pellmarsh won.", "Odo Pellmarsh"),
    ("Odo Pellmarsh's Cautionary Tales sold well.", "Odo Pellmarsh's Cautionary"),
    ("SPORTS Odo Pellmarsh WINS", "Odo Pellmarsh"),
])
def test_joins_leave_what_is_not_part_of_the_name(text: str, found: str) -> None:
    from redactgate.boosters.joins import join_names

    assert _values(text, join_names(text, [_person(text, found)])) == [found]


def test_peers_complete_a_line_up() -> None:
    from redactgate.boosters.peers import find_peers

    text = ("The team is as follows :\nWrenfield , Pellmarsh , Such , Quillan ( captain ) , Brakel .\n"
            "Did not bat : Odo Marsh , Dunmere 4-0-25-0 , Tam Hale\nVisits to Kenya , Exampleton and Sampleville")
    found = [_person(text, v) for v in ("Wrenfield", "Pellmarsh", "Quillan", "Odo Marsh", "Tam Hale")]
    assert _values(text, find_peers(text, found)) == ["Such", "Brakel", "Dunmere"]


def test_peers_need_most_items_found() -> None:
    from redactgate.boosters.peers import find_peers

    text = "Wrenfield , Acme , Globex , Initech and Umbrella"
    assert find_peers(text, [_person(text, "Wrenfield")]) == []


@pytest.mark.parametrize("booster,text,model_value,expected", [
    ("joins", "Coach Joost van der Brakel left.", "Joost", "Joost van der Brakel"),
    ("peers", "Wrenfield , Pellmarsh , Such , Quillan .", "Wrenfield", "Such"),
])
def test_joins_and_peers_switches(booster: str, text: str, model_value: str, expected: str) -> None:
    model_says = [_person(text, model_value)]
    if booster == "peers":
        model_says += [_person(text, "Pellmarsh"), _person(text, "Quillan")]
    off = dict(cues=False, lexicon=False, propagation=False)
    on_values = _values(text, _detector(**off).postprocess(text, model_says))
    off_values = _values(text, _detector(**off, **{booster: False}).postprocess(text, model_says))
    assert expected in on_values and expected not in off_values


def test_words_the_document_uses_in_lower_case_or_as_labels_are_not_names() -> None:
    text = ("Death is a natural thing , he said of death .\nAttendance : 2,000\n"
            "Zorvanek: \"Who are you?\"\nSuch bowled well and Such took four .")
    found = [_person(text, "Death"), _person(text, "Attendance"), _person(text, "Zorvanek"),
             _person(text, "Such"), _person(text, "Such", 1)]
    # a rare word before a colon is a speaker; "Such" is a known surname
    assert _values(text, veto_persons(text, found)) == ["Zorvanek", "Such", "Such"]


def test_a_byline_name_stops_before_the_dateline() -> None:
    from redactgate.boosters import filter_persons

    text = "Odo Pellmarsh\nEXAMPLETON , Exampleland 2026-01-05\nThe rest ."
    glued = [Finding(0, text.index(" ,"), "PERSON", 0.85, "spacy-ner")]
    assert _values(text, filter_persons(text, glued)) == ["Odo Pellmarsh"]


def test_people_in_firm_names_and_score_lines_stay_people() -> None:
    text = ("The Sabine Novak Foundation gave money ; Sabine Novak said so .\n"
            "Snooker results :\nSabine Novak 10 Gerhardt Kowalski 4\n")
    values = vetoed_values(text)
    assert "the sabine novak foundation" in values
    assert not {"sabine novak", "novak", "sabine", "gerhardt kowalski", "kowalski", "the"} & values
    found = [_person(text, "Sabine Novak", 1)]
    assert _values(text, veto_persons(text, found)) == ["Sabine Novak"]


def test_appositions_mark_people() -> None:
    from redactgate.boosters.apposition import find_appositions

    text = ("Police said Pellmarsh , 35 , denied it . Wrenfield , the coach , agreed .\n"
            "Kenya , 12 , was cut . The Team , the coach said .")
    assert _values(text, find_appositions(text)) == ["Pellmarsh", "Wrenfield"]


def test_apposition_is_part_of_the_cues_switch() -> None:
    text = "Police said Pellmarsh , 35 , denied it ."
    off = dict(lexicon=False, propagation=False)
    assert "Pellmarsh" in _values(text, _detector(**off).postprocess(text, []))
    assert _detector(**off, cues=False).postprocess(text, []) == []


def test_added_names_respect_the_allow_list_and_threshold() -> None:
    from types import SimpleNamespace

    from conftest import TEST_KEY
    from redactgate.config import Boosters, Config, EntitySettings
    from redactgate.detect import Detector
    from redactgate.keys import RunKey

    text = "Police said Pellmarsh , 35 , denied it ."
    boosters = Boosters(lexicon=False, propagation=False)
    for config in (Config(boosters=boosters, allow={"values": ["Pellmarsh"]}),
                   Config(boosters=boosters, entities={"PERSON": EntitySettings(threshold=0.9)})):
        detector = Detector(SimpleNamespace(entities=list(config.enabled_entities)), config, RunKey(TEST_KEY.encode(), "t"))
        assert detector.postprocess(text, []) == []
