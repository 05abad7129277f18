"""Streamed files (stream.py): a plain-text file over `limits.segment_chars` is read, detected and
written one segment at a time. The tests shrink the segment to 1,000 characters so small files
cross many segment boundaries, and plant fake values right across the cuts."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import read_audit
from redactgate.load import TextStream
from redactgate.segments import segments

SEGMENT = 1_000
FILLER = "The harbour committee met again on Thursday to review the ferry timetable and the budget. "


# -- segmentation (no model) ----------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab \n\t.é"), max_size=6_000),
       piece=st.integers(1, 700), size=st.integers(1_000, 1_500))
def test_segments_cover_the_text_exactly_once_with_neighbours_as_margins(text: str, piece: int, size: int) -> None:
    parts = list(segments((text[i:i + piece] for i in range(0, len(text), piece)), size, margin=300))
    assert "".join(p.own for p in parts) == text
    assert all(p.end - p.start <= size for p in parts)
    for part in parts:
        assert part.text == text[part.offset:part.offset + len(part.text)]  # margins are the neighbours
        assert part.offset <= part.start and part.end <= part.offset + len(part.text)
    for part, following in zip(parts, parts[1:]):
        assert part.end == following.start
        assert following.start - following.offset >= min(300 - 64, part.end - part.start - 64) or part.offset == 0


def test_segments_end_at_a_blank_line_when_there_is_one() -> None:
    text = ("word " * 150 + "\n\n") * 40
    parts = list(segments([text], 1_000, margin=200))
    assert len(parts) > 5
    assert all(p.own.endswith("\n\n") for p in parts[:-1])


def test_a_piece_of_output_keeps_the_bom_once_and_refuses_what_the_encoding_cannot_hold(tmp_path: Path) -> None:
    from redactgate.errors import FileRefused

    stream = TextStream(tmp_path / "x", "latin-1", b"", False, 10)
    assert stream.encode("café", 0) == "café".encode("latin-1")
    with pytest.raises(FileRefused) as refused:
        stream.encode("ok <Ω>", 100)
    assert refused.value.reason == "unencodable" and "at 104" in refused.value.detail
    utf16 = TextStream(tmp_path / "x", "utf-16-le", codecs.BOM_UTF16_LE, False, 10)
    assert utf16.encode("a", 0) == codecs.BOM_UTF16_LE + b"a\x00" and utf16.encode("a", 1) == b"a\x00"


# -- end to end (the real model, the real CLI) ----------------------------------------------------

def planted_document(copies: int = 12) -> tuple[str, list[str]]:
    """Paragraphs of filler with fake contact details; some paragraphs have no blank line after
    them, so the cuts also fall at single line breaks next to the values."""
    values, paragraphs = [], []
    for index in range(copies):
        mail = f"jordan.vale{index}@example.com"
        phone = f"(212) 555-01{index:02d}"
        values += [mail, phone]
        paragraphs.append(FILLER * (3 + index % 4) + f"\nPlease write to {mail} or call {phone} "
                          f"and ask for Margaret Okonkwo-Bell.\n" + FILLER * 2)
    return "\n\n".join(p if i % 3 else p.replace("\n\n", "\n") for i, p in enumerate(paragraphs)) + "\n", values


def write_config(folder: Path, top: str = "") -> Path:
    config = folder / "redactgate.toml"
    config.write_text(f"{top}[limits]\nsegment_chars = {SEGMENT}\n", encoding="utf-8")
    return config


@pytest.mark.model
def test_a_streamed_file_masks_every_planted_value_and_its_audit_rebuilds_the_output(tmp_path: Path, cli) -> None:
    text, values = planted_document()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.txt").write_text(text, encoding="utf-8")
    result = cli("redact", tmp_path / "in", "--out", tmp_path / "out", "--config", write_config(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    output = (tmp_path / "out" / "long.txt").read_text(encoding="utf-8")
    assert len(text) > 8 * SEGMENT
    for value in values + ["Okonkwo-Bell", "Margaret"]:
        assert value not in output
    assert output.count("<EMAIL_ADDRESS_") == 12 and output.count("<PHONE_NUMBER_") == 12
    # the audit's records, applied to the input in order, give exactly the output
    audit = read_audit(tmp_path / "out" / ".redactgate" / "audit.jsonl")
    records = [r for r in audit if r["type"] == "finding"]
    rebuilt, cursor = [], 0
    for r in records:
        rebuilt += [text[cursor:r["start"]], output[r["out_start"]:r["out_end"]]]
        cursor = r["end"]
    assert "".join(rebuilt + [text[cursor:]]) == output
    (file_record,) = [r for r in audit if r["type"] == "file"]
    assert file_record["counts"]["EMAIL_ADDRESS"] == 12 and file_record["status"] == "redacted"
    # one person across every segment: one placeholder number
    assert set(re.findall(r"<PERSON_\d+>", output)) == {"<PERSON_1>"}
    raw = (tmp_path / "out" / ".redactgate" / "audit.jsonl").read_text() + (tmp_path / "out" / ".redactgate" / "manifest.json").read_text()
    assert not any(value in raw for value in values + ["Okonkwo"])
    assert cli("audit", "verify", tmp_path / "out" / ".redactgate" / "audit.jsonl").returncode == 0
    assert not list((tmp_path / "out").rglob("*.redactgate-tmp"))


@pytest.mark.model
def test_streamed_output_and_audit_are_the_same_with_one_or_two_workers(tmp_path: Path, cli) -> None:
    text, _ = planted_document(8)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a-long.txt").write_text(text, encoding="utf-8")
    (tmp_path / "in" / "b-short.txt").write_text("Write to ada.quill@example.com today.\n", encoding="utf-8")
    (tmp_path / "in" / "c-long.txt").write_text(text.upper(), encoding="utf-8")
    config = write_config(tmp_path)
    one = cli("redact", tmp_path / "in", "--out", tmp_path / "one", "--config", config, "--jobs", "1")
    two = cli("redact", tmp_path / "in", "--out", tmp_path / "two", "--config", config, "--jobs", "2")
    assert one.returncode == two.returncode == 0, one.stdout + two.stdout
    for name in ("a-long.txt", "b-short.txt", "c-long.txt", ".redactgate/audit.jsonl"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    files = [r["path"] for r in read_audit(tmp_path / "two" / ".redactgate" / "audit.jsonl") if r["type"] == "file"]
    assert files == ["a-long.txt", "b-short.txt", "c-long.txt"]  # input order, streamed or not


@pytest.mark.model
def test_an_undecodable_byte_late_in_a_streamed_file_refuses_it_and_writes_nothing(tmp_path: Path, cli) -> None:
    text, values = planted_document(6)
    data = text.encode("utf-8")
    bad_at = len(data) - 40
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "late.txt").write_bytes(data[:bad_at] + b"\xff" + data[bad_at:])
    result = cli("redact", tmp_path / "in", "--out", tmp_path / "out", "--config", write_config(tmp_path))
    assert result.returncode == 2
    assert "late.txt: undecodable" in result.stdout and f"at byte {bad_at}" in result.stdout
    assert not (tmp_path / "out" / "late.txt").exists()
    assert not list((tmp_path / "out").rglob("*.redactgate-tmp"))
    audit = read_audit(tmp_path / "out" / ".redactgate" / "audit.jsonl")
    assert [r for r in audit if r["type"] == "finding"] == []


@pytest.mark.model
def test_streamed_files_keep_their_encoding_bom_and_declared_fallback(tmp_path: Path, cli) -> None:
    text, values = planted_document(5)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "wide.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (tmp_path / "in" / "legacy.txt").write_bytes((text + "It cost \xa312.\n").encode("latin-1"))
    config = write_config(tmp_path, 'fallback_encodings = ["latin-1"]\n')
    result = cli("redact", tmp_path / "in", "--out", tmp_path / "out", "--config", config)
    assert result.returncode == 0, result.stdout + result.stderr
    wide = (tmp_path / "out" / "wide.txt").read_bytes()
    assert wide.startswith(codecs.BOM_UTF16_LE) and wide.count(codecs.BOM_UTF16_LE) == 1
    legacy = (tmp_path / "out" / "legacy.txt").read_bytes().decode("latin-1")
    assert legacy.endswith("It cost \xa312.\n")
    for output in (wide[2:].decode("utf-16-le"), legacy):
        assert not any(value in output for value in values)
    encodings = {r["path"]: r["encoding"] for r in read_audit(tmp_path / "out" / ".redactgate" / "audit.jsonl")
                 if r["type"] == "file"}
    assert encodings == {"legacy.txt": "latin-1", "wide.txt": "utf-16-le"}


@pytest.mark.model
def test_a_value_across_a_segment_cut_is_masked_whole(tmp_path: Path, cli) -> None:
    # no white space near the planted value but the one inside it: the cut must fall there or at
    # the value's edges, and the margins show both segments the whole value
    head = "x" * 960 + " "
    text = head + "Reach Dana Whitcombe-Ortiz at dana.whitcombe@example.com now.\n" + FILLER * 30
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "cut.txt").write_text(text, encoding="utf-8")
    result = cli("redact", tmp_path / "in", "--out", tmp_path / "out", "--config", write_config(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    output = (tmp_path / "out" / "cut.txt").read_text(encoding="utf-8")
    assert "dana.whitcombe" not in output and "example.com" not in output
    assert "Whitcombe" not in output and "Dana" not in output
    assert json.dumps(output).count("<EMAIL_ADDRESS_1>") == 1


@pytest.mark.model
def test_a_text_longer_than_a_segment_is_screened_as_redact_streams_it(tmp_path: Path, cli, test_key) -> None:
    """`check`, `eval` and Ray datasets hold the text, yet find exactly what streaming `redact` masks."""
    from redactgate.config import Config, Limits
    from redactgate.pipeline import Processor

    text, _ = planted_document(9)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.txt").write_text(text, encoding="utf-8")
    assert cli("redact", tmp_path / "in", "--out", tmp_path / "out", "--config", write_config(tmp_path)).returncode == 0
    streamed = [(r["start"], r["end"], r["entity_type"]) for r in read_audit(tmp_path / "out" / ".redactgate" / "audit.jsonl")
                if r["type"] == "finding"]
    processor = Processor(Config(limits=Limits(segment_chars=SEGMENT)), test_key)
    (held,) = processor.detector.detect([text])
    assert [(f.start, f.end, f.entity_type) for f in held] == streamed
    assert len(streamed) >= 27  # e-mail, phone and name in each of 9 paragraphs
