"""`redactgate eval` metric arithmetic on tiny fake data (fictional names), and the real CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from conftest import SHARED
from redactgate.datasets import load_dataset, parse_conll, parse_presidio_json
from redactgate.evaluate import Counts, score_doc

FAKE_CONLL = """-DOCSTART- -X- -X- O

Quenby NNP B-NP B-PER
Farthingale NNP I-NP I-PER
met VBD B-VP O
Orlo NNP B-NP B-PER
in IN B-PP O
Exampleton NNP B-NP B-LOC
. . O O

Farthingale NNP B-NP B-PER
left VBD B-VP O
. . O O
"""


def test_conll_rebuilds_text_and_offsets() -> None:
    [doc] = parse_conll(FAKE_CONLL)
    assert doc.text == "Quenby Farthingale met Orlo in Exampleton .\nFarthingale left ."
    assert [(doc.text[s.start:s.end], s.entity_type) for s in doc.spans] == [
        ("Quenby Farthingale", "PERSON"), ("Orlo", "PERSON"), ("Exampleton", "LOC"), ("Farthingale", "PERSON")]
    assert len(doc.tokens) == 10


def test_conll_without_docstart_is_one_document_per_sentence() -> None:
    docs = parse_conll("orlo\tB-person\nsays\tO\n\nhi\tO\n")
    assert [d.text for d in docs] == ["orlo says", "hi"]
    assert docs[0].spans[0].entity_type == "PERSON"


def test_token_span_and_whole_name_arithmetic() -> None:
    [doc] = parse_conll(FAKE_CONLL)
    # "Quenby" only (first name half), "Orlo" exactly, "Exampleton" wrongly, second "Farthingale" missed
    predicted = [(0, 6, "PERSON"), (23, 27, "PERSON"), (31, 41, "PERSON")]
    c = score_doc(doc, predicted, "PERSON")
    assert (c.gold_tokens, c.caught_tokens, c.pred_tokens, c.correct_tokens) == (4, 2, 3, 2)
    assert (c.gold_spans, c.pred_spans, c.exact, c.whole) == (3, 3, 1, 1)
    assert (c.gold_overlapped, c.pred_overlapping) == (2, 2)
    assert c.token_recall == 0.5 and math.isclose(c.token_precision, 2 / 3)
    assert math.isclose(c.span_f1, 1 / 3) and math.isclose(c.whole_share, 1 / 3)


def test_abutting_spans_cover_a_token_and_partial_cover_does_not() -> None:
    [doc] = parse_conll(FAKE_CONLL)
    whole = score_doc(doc, [(0, 3, "PERSON"), (3, 6, "PERSON")], "PERSON")
    partial = score_doc(doc, [(0, 4, "PERSON")], "PERSON")
    assert whole.caught_tokens == 1 and partial.caught_tokens == 0 and partial.pred_tokens == 1


def test_presidio_json_and_empty_counts() -> None:
    raw = json.dumps([{"full_text": "Mail orlo@example.com now", "spans": [
        {"entity_type": "EMAIL_ADDRESS", "entity_value": "orlo@example.com", "start_position": 5, "end_position": 21}]}])
    [doc] = parse_presidio_json(raw)
    c = score_doc(doc, [(5, 21, "EMAIL_ADDRESS")], "EMAIL_ADDRESS")
    assert (c.gold_tokens, c.caught_tokens, c.exact) == (3, 3, 1)  # orlo, example, com
    assert math.isnan(Counts().token_recall)


@pytest.mark.model
def test_eval_cli_prints_both_systems_and_gates_on_recall(cli, tmp_path: Path) -> None:
    data = tmp_path / "fake.conll"
    data.write_text(FAKE_CONLL.replace("Quenby", "Mr Quenby"), encoding="utf-8")
    result = cli("eval", data, "--min-recall", "0.1", "--no-baseline")
    assert result.returncode == 0, result.stderr
    assert "PERSON" in result.stdout and "redactgate" in result.stdout
    assert "Quenby" not in result.stdout + result.stderr  # counts only, never text
    assert cli("eval", data, "--min-recall", "1.01", "--no-baseline").returncode == 1


@pytest.mark.model
def test_recall_floor_on_shared_conll(processor) -> None:
    """Floors just under what was measured (0.957 token recall, 0.81 precision on 2026-11-25)."""
    path = SHARED / "eval" / "conll2003-dev.conll"
    if not path.is_file():
        pytest.skip("shared evaluation data absent")
    from redactgate.evaluate import detector_predictor, run_system

    result = run_system("redactgate", detector_predictor(processor.detector), load_dataset(path), ["PERSON"])
    assert result.counts["PERSON"].token_recall >= 0.94
    assert result.counts["PERSON"].token_precision >= 0.78
