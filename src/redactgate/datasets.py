"""Labelled evaluation data: CoNLL (IOB2) and presidio-research JSON, read into one shape.

Follows the protocol in `shared/eval/README.md`: CoNLL articles split at `-DOCSTART-`, tokens of a
sentence joined by single spaces, sentences by `\\n`, and every token's offsets kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import RedactgateError

DatasetFormat = Literal["conll", "presidio-json", "recognizer-vectors"]
# Gold labels of other corpora under Presidio's entity names; unknown labels keep their own name.
GOLD_LABELS = {"PER": "PERSON", "PERSON": "PERSON", "person": "PERSON"}


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    entity_type: str


@dataclass
class LabelledDoc:
    text: str
    spans: list[GoldSpan]
    # Token offsets (CoNLL only): token-level metrics count these; JSON data uses white-space tokens.
    tokens: list[tuple[int, int]] = field(default_factory=list)


# Recognizer test vectors (`{cases: [...]}`) name their entity in the file name (`phone.json`).
VECTOR_ENTITIES = {"credit_card": "CREDIT_CARD", "crypto": "CRYPTO", "date": "DATE_TIME",
                   "email": "EMAIL_ADDRESS", "iban": "IBAN_CODE", "ip": "IP_ADDRESS", "phone": "PHONE_NUMBER",
                   "uk_nhs": "UK_NHS", "url": "URL", "us_bank": "US_BANK_NUMBER",
                   "us_passport": "US_PASSPORT", "us_ssn": "US_SSN"}


def guess_format(path: Path, raw: str = "") -> DatasetFormat:
    if path.suffix.lower() != ".json":
        return "conll"
    return "recognizer-vectors" if raw.lstrip().startswith("{") else "presidio-json"


def load_dataset(path: Path, fmt: DatasetFormat | None = None) -> list[LabelledDoc]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RedactgateError(f"cannot read dataset {path}: {type(exc).__name__}") from None
    fmt = fmt or guess_format(path, raw)
    if fmt == "recognizer-vectors":
        docs = parse_vectors(raw, VECTOR_ENTITIES.get(path.stem.lower(), path.stem.upper()))
    else:
        docs = parse_presidio_json(raw) if fmt == "presidio-json" else parse_conll(raw)
    if not docs:
        raise RedactgateError(f"dataset {path} holds no documents (format {fmt})")
    return docs


def parse_conll(raw: str) -> list[LabelledDoc]:
    """Articles at `-DOCSTART-`; without any, each sentence (a post, in social-media sets) is one."""
    per_sentence = "-DOCSTART-" not in raw
    docs, sentences, sentence = [], [], []
    for line in raw.splitlines() + [""]:
        cols = line.replace("\ufeff", "").split()  # a stray byte-order mark is not a token
        if not cols or cols[0] == "-DOCSTART-":
            if sentence:
                sentences.append(sentence)
            sentence = []
            if per_sentence and sentences:
                docs.append(_build_conll_doc(sentences))
                sentences = []
            if cols and sentences:
                docs.append(_build_conll_doc(sentences))
                sentences = []
            continue
        if len(cols) < 2:
            raise RedactgateError("CoNLL line without a tag column")  # never quote data
        sentence.append((cols[0], cols[-1]))
    if sentences:
        docs.append(_build_conll_doc(sentences))
    return docs


def _build_conll_doc(sentences: list[list[tuple[str, str]]]) -> LabelledDoc:
    parts, tokens, tags, pos = [], [], [], 0
    for index, sentence in enumerate(sentences):
        if index:
            parts.append("\n")
            pos += 1
        for j, (token, tag) in enumerate(sentence):
            if j:
                parts.append(" ")
                pos += 1
            parts.append(token)
            tokens.append((pos, pos + len(token)))
            tags.append(tag)
            pos += len(token)
    return LabelledDoc("".join(parts), list(_iob_spans(tokens, tags)), tokens)


def _iob_spans(tokens: list[tuple[int, int]], tags: list[str]) -> Iterator[GoldSpan]:
    start = end = None
    label = ""
    for (s, e), tag in zip(tokens, tags):
        prefix, _, name = tag.partition("-")
        continues = prefix == "I" and start is not None and name == label
        if not continues and start is not None:
            yield GoldSpan(start, end, GOLD_LABELS.get(label, label))
            start = None
        if prefix in ("B", "I") and not continues:
            start, label = s, name
        if start is not None:
            end = e
    if start is not None:
        yield GoldSpan(start, end, GOLD_LABELS.get(label, label))


def parse_presidio_json(raw: str) -> list[LabelledDoc]:
    try:
        items = json.loads(raw)
        return [
            LabelledDoc(item["full_text"], [
                GoldSpan(s["start_position"], s["end_position"], GOLD_LABELS.get(s["entity_type"], s["entity_type"]))
                for s in item.get("spans", [])
            ])
            for item in items
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise RedactgateError(f"not presidio-research JSON: {type(exc).__name__}") from None


def parse_vectors(raw: str, entity: str) -> list[LabelledDoc]:
    """`{cases: [{text, expected_len, expected_positions: [[start, end], ...]}]}` (Presidio's own
    recognizer tests; `iban`/`expected_res` in some files). Each case is a document; every listed
    position is gold, whatever score the original test expected for it."""
    try:
        cases = json.loads(raw)["cases"]
        return [
            LabelledDoc(case.get("text", case.get("iban")), [
                GoldSpan(start, end, label)
                for (start, end), label in zip(_positions(case), case.get("entities") or [entity] * 999)
            ])
            for case in cases
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise RedactgateError(f"not recognizer-vector JSON: {type(exc).__name__}") from None


def _positions(case: dict) -> list[list[int]]:
    positions = case.get("expected_positions", case.get("expected_res"))
    text = case.get("text", case.get("iban"))
    if positions == [] and case["expected_len"] == 1:  # some cases give only a count: the whole text
        positions = [[0, len(text)]]
    if positions is None or len(positions) != case["expected_len"]:
        raise ValueError("expected_len does not match the positions")
    return positions
