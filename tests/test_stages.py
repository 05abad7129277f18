"""Model-free stages: decode, resolve, mask, audit chain, write, discover, config."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path, PurePosixPath

import pytest

from redactgate.audit import AuditWriter, verify_chain
from redactgate.config import Config, parse_config
from redactgate.discover import discover
from redactgate.errors import FileRefused, RedactgateError
from redactgate.findings import Finding
from redactgate.keys import RunKey
from redactgate.load import decode
from redactgate.mask import mask_text
from redactgate.resolve import resolve
from redactgate.write import confined, write_atomic

KEY = RunKey(b"k", "env:TEST")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32", "utf-16-be"])
def test_decode_with_bom_round_trips(encoding):
    text = "Caf\u00e9 \u2014 r\u00e9sum\u00e9\r\nline two\n"
    data = text.encode(encoding) if encoding != "utf-16-be" else codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    decoded = decode(data)
    assert decoded.text == text
    assert decoded.encode(decoded.text) == data


def test_decode_refuses_lone_surrogates_in_utf16():
    with pytest.raises(FileRefused) as refused:
        decode(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8b\x00")
    assert refused.value.reason == "undecodable" and "byte 4" in refused.value.detail


def f(start, end, entity="PERSON", score=0.85, rule="r", group=""):
    return Finding(start, end, entity, score, rule, group)


def test_resolve_larger_wins_and_partial_overlap_keeps_uncovered_part():
    assert resolve([f(0, 10), f(2, 5, "PHONE_NUMBER", 1.0)]) == [f(0, 10)]
    assert resolve([f(0, 6), f(4, 12, "EMAIL_ADDRESS", 1.0)]) == [f(0, 4), f(4, 12, "EMAIL_ADDRESS", 1.0)]
    assert resolve([f(0, 5, "A", 0.5), f(0, 5, "B", 0.9)]) == [f(0, 5, "B", 0.9)]
    assert resolve([f(0, 5, "B"), f(0, 5, "A")]) == [f(0, 5, "A")]  # fixed tie-break
    assert resolve([f(0, 5), f(5, 9)]) == [f(0, 5), f(5, 9)]  # adjacent: never merged


def test_placeholders_number_by_group_per_entity():
    text = "Ann met Bob; Ann left."
    spans = [f(0, 3, group="a"), f(8, 11, group="b"), f(13, 16, group="a")]
    masked = mask_text(text, spans, Config(), KEY)
    assert masked.text == "<PERSON_1> met <PERSON_2>; <PERSON_1> left."
    assert [(r.out_start, r.out_end) for r in masked.replacements] == [(0, 10), (15, 25), (27, 37)]


@pytest.mark.parametrize(("operator", "expected"), [("mask", "*** met"), ("redact", " met")])
def test_other_operators(operator, expected):
    masked = mask_text("Ann met", [f(0, 3, group="a")], Config(operator=operator), KEY)
    assert masked.text == expected


def test_hmac_pseudonym_depends_on_key():
    config = Config(operator="hmac")
    one = mask_text("Ann", [f(0, 3, group="a")], config, KEY).text
    assert one.startswith("PERSON_") and one == mask_text("Ann", [f(0, 3, group="a")], config, KEY).text
    assert one != mask_text("Ann", [f(0, 3, group="a")], config, RunKey(b"other", "env:TEST")).text


def write_log(path: Path, n: int = 4) -> list[bytes]:
    writer = AuditWriter(path)
    for i in range(n):
        writer.write({"type": "file", "path": f"f{i}.txt"})
    writer.close({"files": n})
    return path.read_bytes().splitlines(keepends=True)


@pytest.mark.parametrize(
    ("tamper", "line"),
    [
        (lambda ls: [ls[0], ls[1].replace(b"f1.txt", b"f9.txt"), *ls[2:]], 2),  # flipped content
        (lambda ls: [ls[0], *ls[2:]], 2),  # deleted
        (lambda ls: [ls[0], ls[2], ls[1], *ls[3:]], 2),  # reordered
        (lambda ls: ls[:-1], 5),  # truncated: end record missing
        (lambda ls: ls[:-2] + [ls[-1]], 4),  # deleted just before the end
    ],
)
def test_audit_chain_names_first_bad_record(tmp_path, tamper, line):
    log = tmp_path / "audit.jsonl"
    lines = write_log(log)
    assert verify_chain(log).ok
    log.write_bytes(b"".join(tamper(lines)))
    result = verify_chain(log)
    assert not result.ok and result.line == line


def test_audit_flipped_byte_anywhere_is_detected(tmp_path):
    log = tmp_path / "audit.jsonl"
    data = b"".join(write_log(log))
    for index in range(0, len(data) - 1, 37):
        flipped = bytearray(data)
        flipped[index] ^= 0x01
        log.write_bytes(bytes(flipped))
        assert not verify_chain(log).ok, index


def test_audit_is_ascii_json_even_for_hostile_names(tmp_path):
    log = tmp_path / "audit.jsonl"
    writer = AuditWriter(log)
    writer.write({"type": "file", "path": "evil\nname\u2028.txt"})
    writer.close({})
    lines = log.read_bytes().split(b"\n")
    assert len(lines) == 3 and lines[-1] == b""
    assert json.loads(lines[0])["path"] == "evil\nname\u2028.txt"


def test_write_is_confined_and_atomic(tmp_path):
    root = tmp_path / "out"
    root.mkdir()
    write_atomic(root, PurePosixPath("a/b.txt"), b"data")
    assert (root / "a/b.txt").read_bytes() == b"data"
    assert not list(root.rglob("*.redactgate-tmp"))
    with pytest.raises(FileRefused):
        confined(root, PurePosixPath("../escape.txt"))
    os.symlink(tmp_path, root / "link")
    with pytest.raises(FileRefused):
        write_atomic(root, PurePosixPath("link/escape.txt"), b"x")
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.parametrize("failing", ["write", "replace"])
def test_write_failure_leaves_no_file_under_any_name(tmp_path, monkeypatch, failing):
    root = tmp_path / "out"
    root.mkdir()

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if failing == "replace":
        monkeypatch.setattr(os, "replace", no_space)
    else:
        monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(FileRefused, match="write-failed"):
        write_atomic(root, PurePosixPath("x.txt"), b"x" * 100)
    assert list(root.iterdir()) == []


def test_discover_mirrors_and_lists_symlinks(tmp_path):
    (tmp_path / "in/sub").mkdir(parents=True)
    (tmp_path / "in/sub/a.txt").write_text("a")
    os.symlink(tmp_path / "in/sub/a.txt", tmp_path / "in/l.txt")
    found, skipped = discover([tmp_path / "in"])
    assert [s.rel.as_posix() for s in found] == ["sub/a.txt"]
    assert [(s.rel.as_posix(), s.reason) for s in skipped] == [("l.txt", "symlink")]


def test_config_rejects_unknown_keys_and_builds_profiles():
    with pytest.raises(RedactgateError, match="colour"):
        parse_config({"colour": "red"})
    with pytest.raises(RedactgateError, match="entities.PERSON.treshold"):
        parse_config({"entities": {"PERSON": {"treshold": 0.3}}})
    strict = parse_config({"profile": "strict", "disable": ["NRP"], "enable": ["UK_NHS"]})
    assert "LOCATION" in strict.enabled_entities and "NRP" not in strict.enabled_entities
    assert "LOCATION" not in Config().enabled_entities
    assert parse_config({"entities": {"PERSON": {"threshold": 0.7}}}).threshold_for("PERSON") == 0.7
