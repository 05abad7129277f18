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
