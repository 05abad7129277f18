"""Every rule's examples run here; rule files are strict (a typo is an error)."""

from __future__ import annotations

import pytest

from conftest import REPO, run_cli
from redactgate.errors import RedactgateError
from redactgate.rules import builtin_rules_dir, check_examples, is_luhn_valid, is_mod97_valid, load_rule_file, load_rules

RULES = load_rules([builtin_rules_dir()])


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule):
    assert check_examples(rule) == []


def test_rule_ids_are_unique_and_kebab_case():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("rules:\n  - id: x-y\n    entity: CREDENTIAL\n    patern: []\n", "patern"),
        ("rules:\n  - id: Not_Kebab\n    entity: X\n    patterns: [{name: a, regex: a, score: 0.5}]\n"
         "    examples: {match: [a]}\n", "kebab-case"),
        ("rules:\n  - id: bad-regex\n    entity: X\n    patterns: [{name: a, regex: '(', score: 0.5}]\n"
         "    examples: {match: [a]}\n", "does not compile"),
        ("rules:\n  - id: no-examples\n    entity: X\n    patterns: [{name: a, regex: a, score: 0.5}]\n", "examples"),
        ("rules:\n  - id: bad-flag\n    entity: X\n    flags: [VERBOSE]\n    patterns: [{name: a, regex: a, score: 0.5}]\n"
         "    examples: {match: [a]}\n", "flags"),
        ("rules:\n  - id: bad-prefilter\n    entity: X\n    prefilter: '['\n    patterns: [{name: a, regex: a, score: 0.5}]\n"
         "    examples: {match: [a]}\n", "prefilter does not compile"),
        ("rules:\n  - id: narrow-prefilter\n    entity: X\n    prefilter: b\n    patterns: [{name: a, regex: a, score: 0.5}]\n"
         "    examples: {match: [ab, a]}\n", "prefilter finds nothing in the match example 'a'"),
        ("rules:\n  - id: bad-validator\n    entity: X\n    validator: crc\n    patterns: [{name: a, regex: a, score: 0.5}]\n"
         "    examples: {match: [a]}\n", "unknown validator"),
    ],
)
def test_rule_file_errors(tmp_path, body, message):
    path = tmp_path / "r.yaml"
    path.write_text(body)
    with pytest.raises(RedactgateError, match=message):
        load_rule_file(path)


PREFILTERED = [r for r in RULES if r.prefilter]


@pytest.mark.parametrize("rule", PREFILTERED, ids=[r.id for r in PREFILTERED])
def test_prefilter_admits_every_text_a_pattern_matches(rule):
    """A prefilter only saves time: wherever one of the rule's patterns matches (every rule's
    examples, the bundled example documents, and near misses), it finds something too."""
    import regex

    texts = [s for r in RULES for s in r.examples.match + r.examples.no_match]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in (REPO / "examples").rglob("*") if p.is_file()]
    texts += [s.upper() for s in texts] + ["user [AT] example.com", "jane dot roe at example\tdot\tcom"]
    matched = 0
    for text in texts:
        if any(regex.search(p.regex, text, rule.regex_flags) for p in rule.patterns):
            matched += 1
            assert rule.admits(text), text
    assert matched >= len(rule.examples.match)
    assert not rule.admits("Ordinary news: Anna Smith met the minister in Paris on 3 May 1996.")


def test_checksums():
    assert is_luhn_valid("4111 1111 1111 1111") and not is_luhn_valid("4111 1111 1111 1112")
    assert is_mod97_valid("GB82 WEST 1234 5698 7654 32") and not is_mod97_valid("GB83 WEST 1234 5698 7654 32")


def test_rules_validate_cli(tmp_path):
    assert run_cli("rules", "validate").returncode == 0
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "r.yaml").write_text(
        "rules:\n  - id: wrong-example\n    entity: X\n    patterns: [{name: a, regex: 'abc', score: 0.5}]\n"
        "    examples: {match: [xyz]}\n"
    )
    result = run_cli("rules", "validate", bad)
    assert result.returncode == 1 and "wrong-example: does not match" in result.stdout
    listed = run_cli("rules", "list")
    assert listed.returncode == 0 and "aws-access-key-id\tCREDENTIAL" in listed.stdout
