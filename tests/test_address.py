"""Street addresses: the rule finds the street line, `address.py` grows it over the block."""

from __future__ import annotations

from redactgate.address import extend_addresses
from redactgate.findings import Finding
from redactgate.rules import builtin_rules_dir, check_examples, load_rule_file


def _grown(text: str, street: str) -> str:
    start = text.index(street)
    [f] = extend_addresses(text, [Finding(start, start + len(street), "STREET_ADDRESS", 0.6, "street-address")])
    return text[f.start:f.end]


def test_block_lines_after_the_street_are_taken() -> None:
    text = "Send it to:\n12 Example Street\n Suite 4\n Exampleton\n\n Exampleland 01234\nThanks, Orlo."
    assert _grown(text, "12 Example Street") == "12 Example Street\n Suite 4\n Exampleton\n\n Exampleland 01234"


def test_house_number_before_and_unit_after_on_the_same_line() -> None:
    text = "Lives at 4821 Beispielweg 7 Apt. 12, since May."
    assert _grown(text, "Beispielweg 7") == "4821 Beispielweg 7 Apt. 12"


def test_prose_after_the_street_is_not_taken() -> None:
    text = "He lives at 12 Example Street\nand he said the weather there was lovely all summer long."
    assert _grown(text, "12 Example Street") == "12 Example Street"


def test_contact_rule_examples() -> None:
    rules = load_rule_file(builtin_rules_dir() / "contact.yaml")
    assert {r.entity for r in rules} == {"PHONE_NUMBER", "CREDIT_CARD", "STREET_ADDRESS"}
    assert [p for rule in rules for p in check_examples(rule)] == []


def test_same_line_place_words_up_to_the_prose() -> None:
    text = "Ship it to 12 Example Street Apt. 4, Exampleton, Exampleland 01234 before Friday."
    assert _grown(text, "12 Example Street") == "12 Example Street Apt. 4, Exampleton, Exampleland 01234"


def test_place_words_are_not_taken_without_an_end_of_the_address() -> None:
    text = "We met at 12 Example Street The Manager said hello."
    assert _grown(text, "12 Example Street") == "12 Example Street"


def test_quoted_block_and_a_postcode_line_that_goes_on_as_prose() -> None:
    text = "> 12 Example Road\n> Suite 5\n> Exampleton\n> Exampleland 01234 for the invoice"
    assert _grown(text, "12 Example Road") == "12 Example Road\n> Suite 5\n> Exampleton\n> Exampleland 01234"


def test_building_name_more_street_words_and_direction() -> None:
    text = "send it to Fakehouse Court 42 Sample Road Mockup Crossroad West\n Apt. 7\n Exampleton."
    assert _grown(text, "42 Sample Road") == "Fakehouse Court 42 Sample Road Mockup Crossroad West\n Apt. 7\n Exampleton"


def test_corner_of_two_streets() -> None:
    text = "Meet at the corner of 12 Example Street and Sample Lane."
    assert _grown(text, "12 Example Street") == "the corner of 12 Example Street and Sample Lane"
