"""Evasions (issue 6): invisible characters, full-width forms, split numbers, encoded runs, homoglyphs.

The normalised copy and its offset map are pure functions (fast, fuzzed); each evasion is then run
through the real CLI with its expected outcome: detected, and the whole original span masked.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redactgate.encoded import MAX_RUN_CHARS, encoded_runs
from redactgate.findings import Finding
from redactgate.mask import mask_text
from redactgate.normalize import normalize

ZWSP, SHY, WJ = "\u200b", "\u00ad", "\u2060"


def test_format_characters_removed_and_span_covers_them() -> None:
    text = f"mail ali{ZWSP}ce{SHY}@exa{WJ}mple.com now"
    copy = normalize(text)
    assert copy.text == "mail alice@example.com now"
    start = copy.text.index("alice")
    assert copy.span(start, start + len("alice@example.com")) == (5, text.index(" now"))


def test_full_width_and_ligatures_fold() -> None:
    copy = normalize("ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ ﬁle")
    assert copy.text == "jane@example.com file"
    assert copy.span(17, 21) == (17, 20)  # "file" comes from the three characters "ﬁle"


def test_white_space_inside_numbers_joins_but_prose_does_not() -> None:
    copy = normalize("card 4111 1111\r\n1111\t1111 and DE89 3704\n0044 end\nnext line")
    assert copy.text == "card 4111 1111 1111 1111 and DE89 3704 0044 end\nnext line"


def test_mixed_script_token_folded_and_reported() -> None:
    text = "\u0410lice Sm\u0456th and Ελλάδα and plain"
    copy = normalize(text)
    assert copy.text.startswith("Alice Smith and Ελλάδα")
    assert copy.mixed_script == [(0, 5), (6, 11)]  # a purely Greek word is not reported


def test_encoded_runs_are_all_decoded_within_a_linear_budget() -> None:
    hidden = base64.b64encode(b"jane.roe@example.com").decode()
    assert [r.kind for r in encoded_runs(f"x {hidden} y")] == ["base64"]
    long_run = "%40".join(["jane.roe"] * MAX_RUN_CHARS)
    runs = encoded_runs(long_run)  # once skipped without a word: a leak (issue 6)
    assert [(r.start, r.end, r.kind) for r in runs] == [(0, len(long_run), "url")]
    many = " ".join(f"user{i}%40example.com" for i in range(600))  # once only the first 256 were decoded
    runs = encoded_runs(many)
    assert len(runs) == 600 and sum(len(r.decoded) for r in runs) <= len(many)
    assert encoded_runs("x \\UFFFFFFFF y \\ud800\\ud800") == []  # out of range: no crash, no surrogate


def test_long_wrapped_base64_is_decoded_in_windows() -> None:
    body = b"filler words for a long attachment. " * 200 + b"reach jane.roe@example.com now. " + b"more filler. " * 300
    wrapped = base64.encodebytes(body).decode()  # 76 characters a line
    runs = encoded_runs(f"Attachment:\n{wrapped}end\n")
    assert len(runs) > 1 and all(len(r.decoded) < MAX_RUN_CHARS for r in runs)
    assert sum("jane.roe@example.com" in r.decoded for r in runs) == 1
    assert runs[0].start == len("Attachment:\n") and runs[-1].end == len("Attachment:\n") + len(wrapped) - 1
    assert encoded_runs("internationalization and superlongidentifiername") == []


invisible = st.sampled_from([ZWSP, SHY, WJ, "\ufeff", "\u200d", "\u202e"])
visible = st.characters(codec="utf-8", exclude_categories=("Cs", "Cf"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(visible, st.lists(invisible, max_size=2)), max_size=40), st.data())
def test_fuzz_offset_map_is_monotone_and_covers_invisibles(chars: list, data: st.DataObject) -> None:
    text = "".join(c + "".join(inv) for c, inv in chars)
    copy = normalize(text)
    if not copy.text:
        return
    start = data.draw(st.integers(0, len(copy.text) - 1))
    end = data.draw(st.integers(start + 1, len(copy.text)))
    ostart, oend = copy.span(start, end)
    assert 0 <= ostart < oend <= len(text)
    # Masking the mapped span leaves no format character between its first and last visible character.
    masked = mask_text(text, [Finding(ostart, oend, "X", 1.0, "t")], _config(), _key()).text
    assert masked == text[:ostart] + "<X_1>" + text[oend:]
    # The original span reads as (at least) the copy span: an expansion such as ¼ -> 1⁄4 is taken whole.
    assert copy.text[start:end] in normalize(text[ostart:oend]).text


def _config():
    from redactgate.config import Config

    return Config()


def _key():
    from redactgate.keys import RunKey

    return RunKey(b"k", "random")


# --- through the real CLI: each evasion is detected and its whole original span masked ---

EVASIONS = {
    "zero-width": (f"Write to jane{ZWSP}.roe@exam{ZWSP}ple.com today.", f"jane{ZWSP}.roe@exam{ZWSP}ple.com"),
    "soft-hyphen": (f"Write to jane.roe@exa{SHY}mple.com today.", f"jane.roe@exa{SHY}mple.com"),
    "full-width": ("Write to ｊａｎｅ．ｒｏｅ＠ｅｘａｍｐｌｅ．ｃｏｍ today.", "ｊａｎｅ．ｒｏｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
    "card-line-break": ("Card 4111 1111\n1111 1111 on file.", "4111 1111\n1111 1111"),
    "card-spaces": ("Card 4111  1111\t1111   1111 on file.", "4111  1111\t1111   1111"),
    "card-zero-width": (f"Card 4111{ZWSP}1111{ZWSP}1111{ZWSP}1111 on file.", f"4111{ZWSP}1111{ZWSP}1111{ZWSP}1111"),
    "phone-full-width": ("Call ＋１ (２０２) ５５５-０１２３ now.", "＋１ (２０２) ５５５-０１２３"),
    "iban-line-break": ("IBAN DE89 3704\r\n0044 0532 0130 00 ok.", "DE89 3704\r\n0044 0532 0130 00"),
    "base64": ("The data: " + base64.b64encode(b"contact jane.roe@example.com").decode() + " end.",
               base64.b64encode(b"contact jane.roe@example.com").decode()),
    "base64-wrapped": ("Blob:\n" + base64.encodebytes(b"notes " * 20 + b"contact jane.roe@example.com").decode() + "end.",
                       base64.encodebytes(b"notes " * 20 + b"contact jane.roe@example.com").decode().rstrip("\n")),
    "url-encoded": ("Link ?to=jane.roe%40example.com end.", "jane.roe%40example.com"),
    "html-entities": ("Mail jane.roe&#64;example&#x2e;com end.", "jane.roe&#64;example&#x2e;com"),
    "homoglyph": ("Write to j\u0430ne.roe@example.com today.", "j\u0430ne.roe@example.com"),
    "url-double": ("Link ?to=jane.roe%2540example.com end.", "jane.roe%2540example.com"),
    "escapes": ("Mail jane.roe\\x40example\\u002ecom end.", "jane.roe\\x40example\\u002ecom"),
    "zalgo": ("Write to j\u0334ane.roe@exa\u0334mple.com today.", "j\u0334ane.roe@exa\u0334mple.com"),
    "variation-selector": ("Card 4111\ufe0f 1111 1111 1111 on file.", "4111\ufe0f 1111 1111 1111"),
    "arabic-digits": ("Card \u0664\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 on file.",
                      "\u0664\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661"),
    "rtl-override": ("Write to \u202emoc.elpmaxe@eor.enaj\u202c today.", "\u202emoc.elpmaxe@eor.enaj\u202c"),
    "card-dots": ("Card no. 4111.1111.1111.1111 on file.", "4111.1111.1111.1111"),
    "card-single-digits": ("Card no. 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 on file.", "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"),
    "bracketed-at": ("Write to jane.roe [at] example [dot] com today.", "jane.roe [at] example [dot] com"),
    "spelled-out": ("Write to jane dot roe at example dot com today.", "jane dot roe at example dot com"),
}


@pytest.mark.model
def test_cli_every_evasion_detected_and_masked_whole(cli, tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name, (text, _) in EVASIONS.items():
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
    result = cli("redact", src, "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    leaks = {}
    for name, (text, hidden) in EVASIONS.items():
        output = (out / f"{name}.txt").read_text(encoding="utf-8")
        # No 4-character piece of the hidden value survives, and the text after it is kept.
        pieces = {hidden[i:i + 4] for i in range(len(hidden) - 3)} - {"    "}
        if any(p in output for p in pieces) or not output.endswith(text.split(hidden)[1]):
            leaks[name] = output
    assert leaks == {}
    audit = [json.loads(line) for line in (out / ".redactgate" / "audit.jsonl").read_text().splitlines()]
    rules = {(r["path"], r["rule"]) for r in audit if r["type"] == "finding"}
    assert {("base64.txt", "encoded-base64"), ("url-encoded.txt", "encoded-url"), ("html-entities.txt", "encoded-html")} <= rules
    homoglyph = next(r for r in audit if r.get("path") == "homoglyph.txt" and r["type"] == "file")
    assert homoglyph["mixed_script"] == [[9, 13]]
    assert "warning: 1 token(s) mix Latin with Cyrillic or Greek" in result.stdout


@pytest.mark.model
def test_cli_check_reports_mixed_script_and_exits_1(cli, tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("Mail j\u0430ne.roe@example.com please.\n", encoding="utf-8")
    result = cli("check", tmp_path / "note.txt")
    assert result.returncode == 1
    assert ":1:6: EMAIL_ADDRESS" in result.stdout and ":1:6: warning: token mixes Latin" in result.stdout
    assert "\u0430" not in result.stdout


def test_reversed_run_of_unchanged_length_maps_whole() -> None:
    # Found by the fuzz test: the override removed and an NFKC expansion inside the run cancel out.
    text = "000\u202e\u00a8"
    copy = normalize(text)
    assert copy.span(3, len(copy.text)) == (3, len(text))
