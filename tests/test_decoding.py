"""Decoding (issue 6): BOMs, UTF-16 without BOM, declared fallbacks, invalid bytes refused with an offset.

Unit tests on `load.decode`, a fuzz harness (hypothesis, many examples, no model), and the outcomes
through the real CLI: output keeps the input's encoding, BOM and line endings.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redactgate.errors import FileRefused
from redactgate.load import decode

TEXT = "Ticket from Jane Roe <jane.roe@example.com>, café ☕\r\nCall +1 202-555-0123.\r\n"


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
])
def test_bom_decodes_and_round_trips(encoding: str, bom: bytes) -> None:
    data = bom + TEXT.encode(encoding)
    doc = decode(data)
    assert (doc.text, doc.encoding, doc.bom) == (TEXT, encoding, bom)
    assert doc.encode(doc.text) == data


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_by_heuristic(encoding: str) -> None:
    doc = decode(TEXT.encode(encoding))
    assert (doc.text, doc.encoding, doc.bom) == (TEXT, encoding, b"")


def test_binary_with_nul_bytes_is_not_taken_for_utf16() -> None:
    with pytest.raises(FileRefused) as refused:
        decode(bytes(range(256)) * 4)
    assert refused.value.reason == "binary"


def test_invalid_utf8_is_refused_with_byte_offset() -> None:
    with pytest.raises(FileRefused) as refused:
        decode(b"plain start \xff\xfe then more")
    assert refused.value.reason == "undecodable"
    assert "at byte 12" in refused.value.detail


def test_encoded_surrogate_is_refused_not_passed_to_spacy() -> None:
    with pytest.raises(FileRefused) as refused:
        decode(b"name \xed\xa0\x80 here")  # UTF-8 form of the lone surrogate U+D800
    assert refused.value.reason == "undecodable" and "at byte 5" in refused.value.detail
    with pytest.raises(FileRefused):
        decode(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8")  # lone high surrogate


def test_fallback_only_when_declared() -> None:
    data = "Müller’s note".encode("cp1252")
    with pytest.raises(FileRefused):
        decode(data)
    doc = decode(data, fallbacks=("cp1252",))
    assert (doc.text, doc.encoding) == ("Müller’s note", "cp1252")
    assert doc.encode(doc.text) == data


def test_replacement_the_encoding_cannot_hold_is_refused() -> None:
    doc = decode("Müller".encode("latin-1"), fallbacks=("latin-1",))
    assert doc.encoding == "latin-1"
    with pytest.raises(FileRefused) as refused:
        doc.encode("a ☕ b")
    assert refused.value.reason == "unencodable"


# --- fuzz: the decoder either returns text that spaCy can take or refuses; it never crashes ---

@settings(max_examples=600, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=80).map(lambda t: t.encode("utf-16-le", "surrogatepass")))
def test_fuzz_decoder_never_crashes_nor_yields_surrogates(data: bytes) -> None:
    try:
        doc = decode(data, fallbacks=("cp1252",))
    except FileRefused as refused:
        assert refused.reason in {"binary", "undecodable", "unsupported-format"}
        return
    doc.text.encode("utf-8")  # raises on a lone surrogate
    assert doc.encode(doc.text) == data  # lossless: the output is written with this very codec


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]))
def test_fuzz_any_text_with_bom_round_trips(text: str, encoding: str) -> None:
    bom = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[encoding]
    try:
        data = bom + text.encode(encoding)
    except UnicodeEncodeError:  # hypothesis text may hold lone surrogates: not valid input bytes
        return
    if data.startswith(codecs.BOM_UTF32_LE) and encoding == "utf-16-le" and len(data) % 4 == 0:
        return  # UTF-16-LE BOM + NUL is byte for byte a UTF-32-LE BOM: ambiguous by the standards
    assert decode(data).text == text


# --- through the real CLI ---

def _redact(cli, src: Path, out: Path, *extra: str):
    return cli("redact", src, "--out", out, *extra)


@pytest.mark.model
def test_cli_keeps_encoding_bom_and_line_endings(cli, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    cases = {"u8.txt": codecs.BOM_UTF8 + TEXT.encode("utf-8"), "u16.txt": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
             "u16nobom.txt": TEXT.encode("utf-16-le"), "u32.txt": codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le")}
    for name, data in cases.items():
        (src / name).write_bytes(data)
    result = _redact(cli, src, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    for name, data in cases.items():
        output = (tmp_path / "out" / name).read_bytes()
        doc, original = decode(output), decode(data)
        assert (doc.encoding, doc.bom) == (original.encoding, original.bom)
        assert doc.text.count("\r\n") == 2 and "\n" not in doc.text.replace("\r\n", "")
        assert "jane.roe" not in doc.text and "555-0123" not in doc.text and "☕\r\nCall " in doc.text


@pytest.mark.model
def test_cli_refuses_undecodable_with_offset_and_exit_2(cli, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "bad.txt").write_bytes(b"Jane Roe, jane.roe@example.com \xc3\x28 more")
    (src / "good.txt").write_text("Nothing to see.\n")
    result = _redact(cli, src, tmp_path / "out")
    assert result.returncode == 2
    assert "bad.txt: undecodable (invalid utf-8 at byte 31)" in result.stdout
    assert not (tmp_path / "out" / "bad.txt").exists()
    check = cli("check", src, "--format", "json")
    assert check.returncode == 2  # never counted as clean
    assert json.loads(check.stdout)["errors"][0]["reason"] == "undecodable"


@pytest.mark.model
def test_cli_declared_fallback_from_config(cli, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    data = "The note went to jane.roe@example.com, fee 5€\r\n".encode("cp1252")
    (src / "legacy.txt").write_bytes(data)
    assert _redact(cli, src, tmp_path / "o1").returncode == 2  # not guessed without the config
    config = tmp_path / "redactgate.toml"
    config.write_text('fallback_encodings = ["cp1252"]\n')
    result = _redact(cli, src, tmp_path / "o2", "--config", config)
    assert result.returncode == 0, result.stdout
    output = (tmp_path / "o2" / "legacy.txt").read_bytes()
    assert output.decode("cp1252") == "The note went to <EMAIL_ADDRESS_1>, fee 5€\r\n"
    assert cli("check", src, "--config", config).returncode == 1  # the gate decodes it the same way
    config.write_text('fallback_encodings = ["base64"]\n')
    assert _redact(cli, src, tmp_path / "o3", "--config", config).returncode == 3
