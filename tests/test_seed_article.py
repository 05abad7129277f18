"""The seed article: a real news story naming ten people (13 mentions)."""

from __future__ import annotations

import shutil

import pytest

from conftest import SHARED, run_cli
from helpers import findings_of, outside_spans, read_audit

SEEDS = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
PEOPLE = [
    "Sergei Shoigu", "Sergei Lavrov", "Mevlut Cavusoglu", "Donald Trump", "Yuri Ushakov",
    "Ibrahim Kalin", "Hakan Fidan", "Hulusi Akar", "Vladimir Putin", "Recep Erdogan",
]
SURNAMES = [name.split()[1] for name in PEOPLE]
KEPT_PLACES = ["Turkey", "Moscow", "Syria"]

pytestmark = pytest.mark.skipif(not SEEDS, reason="../shared/seeds not present")


@pytest.fixture(scope="module")
def redacted_seed(tmp_path_factory):
    src = tmp_path_factory.mktemp("in")
    shutil.copy(SEEDS[0], src / "article.txt")
    out = tmp_path_factory.mktemp("out") / "clean"
    result = run_cli("redact", src, "--out", out)
    assert result.returncode == 0, result.stderr
    return src / "article.txt", out, result


def test_every_mention_is_masked(redacted_seed):
    original, out, _ = redacted_seed
    text = (out / "article.txt").read_text(encoding="utf-8")
    for surname in SURNAMES:
        assert surname not in text
    audit = read_audit(out / ".redactgate" / "audit.jsonl")
    persons = [r for r in findings_of(audit, "article.txt") if r["entity_type"] == "PERSON"]
    source = original.read_text(encoding="utf-8")
    masked = {source[r["start"]:r["end"]] for r in persons}
    assert len(persons) == 13
    assert "Shoigu" in masked  # the lone surname, "Defence Minister Shoigu"
    assert set(PEOPLE) <= masked


def test_places_stay(redacted_seed):
    _, out, _ = redacted_seed
    text = (out / "article.txt").read_text(encoding="utf-8")
    for place in KEPT_PLACES:
        assert place in text


def test_same_person_same_number(redacted_seed):
    original, out, _ = redacted_seed
    source = original.read_text(encoding="utf-8")
    text = (out / "article.txt").read_text(encoding="utf-8")
    audit = findings_of(read_audit(out / ".redactgate" / "audit.jsonl"), "article.txt")
    placeholder = {}
    for r in audit:
        placeholder.setdefault(source[r["start"]:r["end"]], set()).add(text[r["out_start"]:r["out_end"]])
    assert placeholder["Shoigu"] == placeholder["Sergei Shoigu"]
    assert len(placeholder["Sergei Lavrov"]) == 1
    assert placeholder["Sergei Lavrov"] != placeholder["Sergei Shoigu"]


def test_text_outside_spans_is_byte_identical(redacted_seed):
    original, out, _ = redacted_seed
    source = original.read_text(encoding="utf-8")
    text = (out / "article.txt").read_text(encoding="utf-8")
    audit = findings_of(read_audit(out / ".redactgate" / "audit.jsonl"), "article.txt")
    assert outside_spans(source, [(r["start"], r["end"]) for r in audit]) == outside_spans(
        text, [(r["out_start"], r["out_end"]) for r in audit]
    )


def test_no_name_in_audit_or_summary(redacted_seed):
    _, out, result = redacted_seed
    written = (out / ".redactgate" / "audit.jsonl").read_text() + (out / ".redactgate" / "manifest.json").read_text()
    for token in SURNAMES + ["Sergei", "Mevlut", "Vladimir"]:
        assert token not in written
        assert token not in result.stdout + result.stderr
