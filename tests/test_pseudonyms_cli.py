"""Pseudonymisation through the real `redactgate` process: consistency across files, runs, keys and
datasets; restore round trip and tamper rejection; date intervals; nothing planted leaks anywhere."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import CliRunner
from redactgate.dates import parse_date

pytestmark = pytest.mark.model

ONE = """Harriet Quellmore met Tobias Vennick at the harbour office on Monday.
Quellmore later wrote to harriet.quellmore@example.com and called (202) 555-0147.
She paid with card 4111 1111 1111 1111.
"""
TWO = """Tobias Vennick phoned Harriet Quellmore again the next week.
Vennick sent the refund to IBAN GB82 WEST 1234 5698 7654 32 from 198.51.100.23.
"""
THREE = """Clara Brightwell asked Tobias Vennick about the ferry timetable.
Vennick said Brightwell would get an answer by Friday.
"""
PLANTED = ["Harriet", "Quellmore", "Tobias", "Vennick", "Clara", "Brightwell", "harriet.quellmore@example.com",
           "555-0147", "2025550147", "4111 1111 1111 1111", "4111111111111111", "GB82 WEST 1234",
           "GB82WEST", "198.51.100.23"]
SURROGATE_ALL = ["--operator", "PERSON=surrogate", "--operator", "EMAIL_ADDRESS=surrogate",
                 "--operator", "PHONE_NUMBER=surrogate", "--operator", "CREDIT_CARD=surrogate",
                 "--operator", "IBAN_CODE=surrogate", "--operator", "IP_ADDRESS=surrogate"]
ENCRYPT_ALL = [a.replace("surrogate", "encrypt") for a in SURROGATE_ALL]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for folder, name, text in (("a", "one.txt", ONE), ("a", "two.txt", TWO), ("c", "three.txt", THREE)):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / name).write_text(text, encoding="utf-8")
    return root


def ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout + result.stderr


def people(text: str, verb: str) -> tuple[str, str]:
    m = re.match(rf"(.+?) {verb} (.+?) (at|again|about)", text)
    assert m, text
    return m.group(1), m.group(2)


def test_corpus_placeholders_are_consistent_across_files_and_runs(cli: CliRunner, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ok(cli("redact", corpus / "a", "--out", out, "--numbering", "corpus"))
    harriet, tobias = people((out / "one.txt").read_text(), "met")
    assert (harriet, tobias) == ("<PERSON_1>", "<PERSON_2>")
    assert people((out / "two.txt").read_text(), "phoned") == (tobias, harriet)  # same numbers in another file
    ok(cli("redact", corpus / "c", "--out", out, "--numbering", "corpus"))  # a later run, same key
    clara, tobias_again = people((out / "three.txt").read_text(), "asked")
    assert (clara, tobias_again) == ("<PERSON_3>", tobias)
    # the saved map belongs to this key and dataset: another one is refused, not mixed in
    for extra_args, env in (((), {"REDACTGATE_KEY": "another-key"}), (("--dataset", "other"), None)):
        refused = cli("redact", corpus / "c", "--out", out, "--numbering", "corpus", *extra_args, env=env)
        assert refused.returncode == 3 and "placeholder map" in refused.stderr


def test_surrogates_are_consistent_across_files_and_runs_and_separated_by_key_and_dataset(
        cli: CliRunner, corpus: Path, tmp_path: Path) -> None:
    def run(name: str, *args: str, env: dict[str, str] | None = None) -> Path:
        out = tmp_path / name
        ok(cli("redact", corpus / "a", corpus / "c", "--out", out, *SURROGATE_ALL, *args, env=env))
        return out
    first, again = run("first"), run("again")
    harriet, tobias = people((first / "one.txt").read_text(), "met")
    assert people((first / "two.txt").read_text(), "phoned") == (tobias, harriet)
    assert people((first / "three.txt").read_text(), "asked")[1] == tobias
    surname = tobias.split()[1]
    assert re.search(rf"^{surname} sent the refund", (first / "two.txt").read_text(), re.M)  # "Vennick" alone
    for name in ("one.txt", "two.txt", "three.txt"):
        assert (again / name).read_bytes() == (first / name).read_bytes()
    for other in (run("other-dataset", "--dataset", "other"), run("other-key", env={"REDACTGATE_KEY": "another-key"})):
        o_harriet, o_tobias = people((other / "one.txt").read_text(), "met")
        assert o_harriet != harriet and o_tobias != tobias


def test_restore_round_trip_and_tamper_rejection(cli: CliRunner, corpus: Path, tmp_path: Path) -> None:
    tokens, restored = tmp_path / "tokens", tmp_path / "restored"
    ok(cli("redact", corpus / "a", corpus / "c", "--out", tokens, *ENCRYPT_ALL))
    ok(cli("restore", tokens, "--out", restored))
    for folder, name in (("a", "one.txt"), ("a", "two.txt"), ("c", "three.txt")):
        assert (restored / name).read_bytes() == (corpus / folder / name).read_bytes()
    assert not (restored / ".redactgate").exists()

    text = (tokens / "two.txt").read_text()
    last = list(re.finditer(r"<<RG1:[A-Z_]+:([A-Za-z0-9_-]+)>>", text))[-1]
    flip = last.start(1) + 5
    (tokens / "two.txt").write_text(text[:flip] + ("A" if text[flip] != "A" else "B") + text[flip + 1:])
    again = cli("restore", tokens, "--out", tmp_path / "restored-again")
    assert again.returncode == 2
    assert "two.txt: not restored: token-rejected" in again.stdout
    assert not (tmp_path / "restored-again" / "two.txt").exists()  # never partly restored
    assert (tmp_path / "restored-again" / "one.txt").exists()
    assert not any(v in again.stdout + again.stderr for v in PLANTED)
    wrong_key = cli("restore", tokens, "--out", tmp_path / "wrong", env={"REDACTGATE_KEY": "another-key"})
    assert wrong_key.returncode == 2 and not (tmp_path / "wrong" / "one.txt").exists()


def test_reversible_tokens_refuse_a_random_key(cli: CliRunner, corpus: Path, tmp_path: Path) -> None:
    redact = cli("redact", corpus / "a", "--out", tmp_path / "out", "--operator", "PERSON=encrypt",
                 env={"REDACTGATE_KEY": ""})
    assert redact.returncode == 3 and "need a key" in redact.stderr
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]  # refused before any file
    restore = cli("restore", corpus / "a", "--out", tmp_path / "restored", env={"REDACTGATE_KEY": ""})
    assert restore.returncode == 3


def test_date_shift_keeps_intervals_within_a_document(cli: CliRunner, tmp_path: Path) -> None:
    memo = tmp_path / "in" / "memo.txt"
    memo.parent.mkdir()
    memo.write_text("The contract with Bluewater Lines was signed on 2026-01-15 and renewed on 2026-02-14.\n"
                    "The next review is on April 1, 2026 and the audit closes 15/04/2026 at 10:30.\n")
    config = tmp_path / "redactgate.toml"
    config.write_text('enable = ["DATE_TIME"]\n[entities.DATE_TIME]\noperator = "date_shift"\n')
    ok(cli("redact", memo.parent, "--out", tmp_path / "out", "--config", config))
    text = (tmp_path / "out" / "memo.txt").read_text()
    m = re.search(r"signed on (\S+) and renewed on (\S+)\.\nThe next review is on (\w+ \d+, \d{4}) "
                  r"and the audit closes (\S+) at", text)
    assert m, text
    new = [parse_date(m.group(i), day_first=True).value for i in range(1, 5)]
    old = [date(2026, 1, 15), date(2026, 2, 14), date(2026, 4, 1), date(2026, 4, 15)]
    offsets = {(n - o).days for n, o in zip(new, old)}
    assert len(offsets) == 1 and offsets != {0}


def test_no_planted_value_in_outputs_audit_map_or_messages(cli: CliRunner, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    mixed = ["--operator", "PERSON=surrogate", "--operator", "EMAIL_ADDRESS=encrypt",
             "--operator", "PHONE_NUMBER=hmac", "--operator", "CREDIT_CARD=surrogate", "--numbering", "corpus"]
    result = cli("redact", corpus / "a", corpus / "c", "--out", out, *mixed)
    ok(result)
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.name for p in written} >= {"one.txt", "two.txt", "three.txt", "audit.jsonl", "placeholders.json"}
    for path in written:
        content = path.read_text(encoding="utf-8").casefold()
        leaked = [v for v in PLANTED if v.casefold() in content]
        assert not leaked, f"{path.name} holds planted values {leaked}"
    assert not any(v in result.stdout + result.stderr for v in PLANTED)
