"""Model-free checks for the hostile-input gaps closed on the `hostile` branch (issue 6): UTF-16
without BOM in other scripts, values split by a line break or letter spacing, controls inside
values, base64 after a short word. The same cases run through the CLI in test_hostile_corpus.py.
"""

from __future__ import annotations

import base64
import random

import pytest

from redactgate.encoded import encoded_runs
from redactgate.errors import FileRefused
from redactgate.load import decode, is_plausible_text
from redactgate.normalize import normalize

SCRIPTS = {
    "cyrillic": "Привет, пишите на jane.roe@example.com сегодня.\nСпасибо за письмо.\n",
    "greek": "Γεια σας, γράψτε στο jane.roe@example.com σήμερα.\nΕυχαριστώ πολύ.\n",
    "arabic": "مرحبا، اكتب إلى jane.roe@example.com اليوم.\nشكرا جزيلا على رسالتك.\n",
    "hebrew": "שלום, כתבו אל jane.roe@example.com היום.\nתודה רבה על המכתב.\n",
    "chinese": "你好，请写信给 jane.roe@example.com 今天。\n谢谢你的来信，我们星期一见。\n",
    "japanese": "こんにちは、jane.roe@example.com に今日メールしてください。\nお手紙ありがとうございます。\n",
    "korean": "안녕하세요, 오늘 jane.roe@example.com 으로 메일 주세요.\n편지 감사합니다.\n",
    "devanagari": "नमस्ते, आज jane.roe@example.com पर लिखें।\nआपके पत्र के लिए धन्यवाद।\n",
}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_utf16_without_bom_in_other_scripts_decodes_in_the_right_byte_order(script: str, encoding: str) -> None:
    text = SCRIPTS[script] * 2
    doc = decode(text.encode(encoding))
    assert (doc.text, doc.encoding) == (text, encoding)
    assert doc.encode(doc.text) == text.encode(encoding)


def test_the_wrong_byte_order_is_not_plausible_text() -> None:
    for text in SCRIPTS.values():
        wrong = text.encode("utf-16-le").decode("utf-16-be", errors="replace")
        assert is_plausible_text(text) and not is_plausible_text(wrong)


def test_binary_with_nul_bytes_stays_refused() -> None:
    rng = random.Random(6)
    for size in (64, 512, 4096):
        for _ in range(50):
            data = bytes(rng.randrange(256) if rng.random() < 0.7 else 0 for _ in range(size))
            with pytest.raises(FileRefused):
                decode(data)


def test_truly_ambiguous_short_utf16_is_refused() -> None:
    with pytest.raises(FileRefused) as refused:
        decode("Пр\n".encode("utf-16-le"))  # a NUL, but too short to judge either byte order
    assert refused.value.reason == "binary"


@pytest.mark.parametrize("text,value", [
    ("Contact jane.roe@exam\nple.com for details.", "jane.roe@exam\nple.com"),
    ("Contact jane.roe@\n    example.com for details.", "jane.roe@\n    example.com"),
    ("Contact jane.roe@example\r\n.com for details.", "jane.roe@example\r\n.com"),
    ("Contact jane.roe\n@example.com for details.", "jane.roe\n@example.com"),
    ("Contact j a n e . r o e @ e x a m p l e . c o m for details.", "j a n e . r o e @ e x a m p l e . c o m"),
    ("Contact jane\x00.roe@exam\x07ple.com for details.", "jane\x00.roe@exam\x07ple.com"),
])
def test_split_address_reads_whole_and_maps_to_the_whole_original_span(text: str, value: str) -> None:
    copy = normalize(text)
    start = copy.text.index("jane.roe@example.com")
    assert copy.span(start, start + len("jane.roe@example.com")) == (text.index(value), text.index(value) + len(value))


@pytest.mark.parametrize("text", [
    "Contact\njane.roe@example.com\nThanks",  # two words, a complete address: left alone
    "mail jane.roe@example.com\nThanks",
    "follow @jane\nfor updates",
    "a b c d e f g h",  # letters spaced, but no address
    "end of sentence.\nNext line",
])
def test_ordinary_line_breaks_and_spaced_letters_are_kept(text: str) -> None:
    assert normalize(text).text == text


def test_capitalised_words_across_a_soft_wrap_read_as_one_name() -> None:
    line = "The lease for the new office was signed by Helen"
    assert normalize(f"{line}\nMarsh on Monday").text == f"{line} Marsh on Monday"
    assert normalize(f"{line}\r\nMarsh").text == f"{line} Marsh"
    assert normalize(f"{line[:-6]} the end\nof it").text == f"{line[:-6]} the end\nof it"
    # a short line is a heading or a table row, not a wrap
    assert normalize("May 18 v Worcestershire\nMay 20 v Durham").text == "May 18 v Worcestershire\nMay 20 v Durham"


def test_quoted_printable_and_nested_encodings_are_decoded() -> None:
    text = "Reach jane.roe=40exam=\nple.com today."
    assert [(text[r.start:r.end], r.decoded) for r in encoded_runs(text)] == [("jane.roe=40exam=\nple.com", "jane.roe@example.com")]
    nested = base64.b64encode(b"to=jane.roe%40example.com").decode()
    assert any("jane.roe@example.com" in r.decoded for r in encoded_runs(f"x {nested} y"))


def test_phone_split_after_the_area_code_reads_whole() -> None:
    assert normalize("Call (202)\n555-0147 today.").text == "Call (202) 555-0147 today."


def test_base64_after_a_short_word_is_still_decoded() -> None:
    blob = base64.b64encode(b"call (202) 555-0147 now").decode()
    for prefix in ("Blob ", "data from ", ""):
        text = f"{prefix}{blob} end."
        runs = encoded_runs(text)
        assert [(text[r.start:r.end], r.decoded) for r in runs] == [(blob, "call (202) 555-0147 now")]


def test_base64_window_cut_inside_a_character_still_decodes() -> None:
    blob = base64.b64encode("café jane.roe@example.com x".encode() + b"\xc3").decode()
    assert [r.decoded for r in encoded_runs(blob)] == ["café jane.roe@example.com x"]


def test_base64_of_utf16_text_is_decoded() -> None:
    blob = base64.b64encode("mail jane.roe@example.com now".encode("utf-16-le")).decode()
    assert [r.decoded for r in encoded_runs(f"x {blob} y")] == ["mail jane.roe@example.com now"]


@pytest.mark.parametrize(("text", "joined"), [
    ("Flat 4, Apt. 297\nNORTHWICK\nExampleland 01234", False),  # a town in capitals is a word
    ("IBAN GB82 WEST\n1234 5698 7654 32", True),  # a four-letter IBAN group still joins
    ("Ref DE89 3704 0044\n0532 0130 00", True),
])
def test_a_capitalised_word_after_a_number_is_not_an_iban_group(text: str, joined: bool) -> None:
    first_break = text.index("\n")
    assert (normalize(text).text[first_break] == " ") is joined


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_and_without_any_ascii_is_decoded_not_read_as_controls(encoding: str) -> None:
    text = "Приветмирпишитемневпятницуспасибоилюбезно" * 8  # Cyrillic only: no NUL byte anywhere
    data = text.encode(encoding)
    assert b"\x00" not in data
    doc = decode(data)
    assert (doc.text, doc.encoding) == (text, encoding)


def test_control_bytes_without_an_encoding_mark_are_refused_as_binary() -> None:
    rng = random.Random(7)
    data = bytes(rng.choice(range(1, 32)) for _ in range(4096))
    with pytest.raises(FileRefused) as refused:
        decode(data)
    assert refused.value.reason == "binary"


def test_a_log_with_colour_codes_is_still_utf8_text() -> None:
    line = "\x1b[32mINFO\x1b[0m job finished for ticket 42\n"
    assert decode((line * 50).encode()).encoding == "utf-8"
