"""Pattern entities (issue 4): context words, phone false positives in tables, cards, addresses.

Every value is fake: 555-01xx numbers, test card numbers, example streets and invented names.
"""

from __future__ import annotations

import pytest

from redactgate.phonefilter import is_not_a_phone
from redactgate.rules import is_luhn_valid, is_luhn_valid_one_separator

LEAGUE_TABLE = (
    "Division two standings:\n"
    "Examplefield Rovers 3 1 0 2 2 5 3\n"
    "Sampleton United 3 1 0 6 1 10 3\n"
    "Fakeburgh Athletic 3 0 2 1 3 4 2\n"
)
STANDINGS = "Placeholder City 57 5 49 .536 6 1/2\nDemo Town 49 5 56 .468 14\n"
TENNIS = "Orlo Vantree ( Exampleland ) beat Ida Quell 6-7 ( 1-7 ) 6-3 6-4 6-4\n"


def _values(text: str, found, entity: str) -> list[str]:
    return [text[f.start:f.end] for f in found if f.entity_type == entity]


@pytest.mark.parametrize("value,expected", [
    ("3 1 0 6 1 10", True), ("57 5 49 .536 6 1", True), ("6-7 ( 1-7 ) 6-3 6-4 6-4", True),
    ("639.55 639.38", True), ("16.41", True),
    ("(202) 555-0142", False), ("+44 20 5550 0199", False), ("( 36 1 ) 555 0140", False),
    ("555.555.0100", False), ("5 5 5 0 1 2 3", False),
])
def test_phone_filter_reads_tables_scores_and_prices(value: str, expected: bool) -> None:
    assert is_not_a_phone(value, 0, len(value)) is expected


def test_one_digit_cells_count_as_a_table_only_beside_another_number_row() -> None:
    row = "3 1 0 2 2 5 3"
    start = LEAGUE_TABLE.index(row)
    assert is_not_a_phone(LEAGUE_TABLE, start, start + len(row))
    alone = f"Read me the code: {row}."
    assert not is_not_a_phone(alone, alone.index(row), alone.index(row) + len(row))


def test_split_card_numbers_need_one_kind_of_separator() -> None:
    assert is_luhn_valid("3-18 4-27 5-33 6-41 7-02")  # passes the checksum by chance ...
    assert not is_luhn_valid_one_separator("3-18 4-27 5-33 6-41 7-02")  # ... but is a wickets line
    assert is_luhn_valid_one_separator("4111.1111.1111.1111")


@pytest.mark.model
def test_stop_words_are_context_words_unlike_presidio(processor) -> None:
    """Deliberate difference from Presidio, which drops spaCy's stop words ("call", "give") from
    the context: "call me on 555 0123" was never lifted over the threshold."""
    from presidio_analyzer.nlp_engine import NlpArtifacts

    engine = processor.engine
    text = "Can someone call me on 555 0123? I have some questions."
    artifacts = engine.analyzer.nlp_engine._doc_to_nlp_artifact(engine.nlp(text), "en")
    assert "call" in artifacts.keywords
    assert "call" not in NlpArtifacts.set_keywords(engine.analyzer.nlp_engine, artifacts.lemmas, "en")
    assert _values(text, processor.detector.detect([text])[0], "PHONE_NUMBER") == ["555 0123"]


@pytest.mark.model
@pytest.mark.parametrize("text,value", [
    ("Please stop sending messages to 555 012 345 after six.", "555 012 345"),
    ("Orlo Vantree\nExample Ltd\n555 0142 office\n", "555 0142"),
    ("Desk line: (55) 555-012-Mobile", "(55) 555-012"),
])
def test_phone_numbers_found_by_context_words_and_labels(detect, text: str, value: str) -> None:
    assert _values(text, detect(text), "PHONE_NUMBER") == [value]


@pytest.mark.model
def test_context_words_match_whole_words_only(detect) -> None:
    # "McAllister" holds "call", "pretext" holds "text": Presidio's substring match lifted these
    text = "Ida McAllister scored 555 0123 points; the pretext 555 0145 was weak."
    assert _values(text, detect(text), "PHONE_NUMBER") == []


@pytest.mark.model
@pytest.mark.parametrize("text", [LEAGUE_TABLE, STANDINGS, TENNIS,
                                  "Fall of wickets : 3-18 4-27 5-33 6-41 7-02 .\n"])
def test_sports_tables_and_score_lines_are_not_numbers(detect, text: str) -> None:
    found = detect(text)
    assert not [f for f in found if f.entity_type in ("PHONE_NUMBER", "CREDIT_CARD")], found


@pytest.mark.model
def test_a_newsroom_number_after_a_table_is_still_found(detect) -> None:
    text = LEAGUE_TABLE + "-- Exampleton newsroom +44 20 5550 0199\n"
    assert _values(text, detect(text), "PHONE_NUMBER") == ["+44 20 5550 0199"]


@pytest.mark.model
def test_card_number_with_another_leading_digit_needs_a_card_word(detect) -> None:
    with_context = "Points on my credit card 7000 0000 0000 0005 expire."
    assert _values(with_context, detect(with_context), "CREDIT_CARD") == ["7000 0000 0000 0005"]
    without = "Parcel 7000 0000 0000 0005 left the depot."
    assert _values(without, detect(without), "CREDIT_CARD") == []


FAKE_VECTORS = {"cases": [
    {"text": "Call (202) 555-0142 or +1 415 555 0101", "expected_len": 2,
     "expected_positions": [[5, 19], [23, 38]]},
    {"text": "No number here", "expected_len": 0, "expected_positions": []},
]}


def test_recognizer_vectors_are_read_with_the_entity_from_the_file_name(tmp_path) -> None:
    import json

    from redactgate.datasets import load_dataset

    path = tmp_path / "phone.json"
    path.write_text(json.dumps(FAKE_VECTORS), encoding="utf-8")
    docs = load_dataset(path)  # a `{cases: ...}` object, not a presidio-research list
    assert [[(s.start, s.end, s.entity_type) for s in d.spans] for d in docs] == [
        [(5, 19, "PHONE_NUMBER"), (23, 38, "PHONE_NUMBER")], []]
    assert docs[0].text[5:19] == "(202) 555-0142"


@pytest.mark.model
def test_eval_cli_reads_recognizer_vectors(cli, tmp_path) -> None:
    import json

    path = tmp_path / "phone.json"
    path.write_text(json.dumps(FAKE_VECTORS), encoding="utf-8")
    result = cli("eval", path, "--no-baseline", "--min-recall", "1.0")
    assert result.returncode == 0, result.stderr
    [row] = [line.split() for line in result.stdout.splitlines() if line.startswith("PHONE_NUMBER")]
    assert row[2:4] == ["1.000", "1.000"] and row[-1] == "2"  # token recall, precision, gold spans
    assert "555" not in result.stdout + result.stderr


@pytest.mark.model
@pytest.mark.parametrize("text,address", [
    ("Please send the parcel to 12 Example Crossroad Apt. 4, Exampleton, Exampleland 01234 soon.",
     "12 Example Crossroad Apt. 4, Exampleton, Exampleland 01234"),
    ("Her new address is 7 Rue de l'Exemple, Exempleville.", "7 Rue de l'Exemple, Exempleville"),
    ("He lives at Beispieler Strasse 5.", "Beispieler Strasse 5"),
    ("Deliver to ul. Przykładowa 10 please.", "ul. Przykładowa 10"),
    ("Our postal address is P.O. Box 123.", "P.O. Box 123"),
    ("Mail it to USNS Example\nFPO AP 01234", "USNS Example\nFPO AP 01234"),
    ("Send to Unit 1234 Box 5678\nDPO AE 01234 today", "Unit 1234 Box 5678\nDPO AE 01234"),
    ("meet me at 2407 exampletie 6, sampleby, exampleland", "2407 exampletie 6, sampleby, exampleland"),
    ("My address is the corner of Examplevej 12 and Sample Lane.", "the corner of Examplevej 12 and Sample Lane"),
    ("Orlo Vantree\n> 77 Eksempelgade 4\n> Apt. 3\n> Exampleton\n> Exampleland 01234",
     "77 Eksempelgade 4\n> Apt. 3\n> Exampleton\n> Exampleland 01234"),
])
def test_street_addresses_in_the_default_profile(detect, text: str, address: str) -> None:
    assert _values(text, detect(text), "STREET_ADDRESS") == [address]


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "During 1971, the Example Group invested heavily.",
    "About 100 people from the party were detained.",
    "Sent: Friday, 31 October 2025 16:02",
    "The minister will visit Exampleland on September 3 and 4 to revive talks.",
    "Exampleshire 259 and 207 ( O. Vantree 69 , I. Quell 45 )",
    "The team won 3 straight games at home.",
])
def test_news_phrasing_is_no_street_address(detect, text: str) -> None:
    assert _values(text, detect(text), "STREET_ADDRESS") == []
