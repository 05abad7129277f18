"""The phone recognizer skips, per window, the regions whose numbers need more digits than the
window holds: it must find exactly what matching every region on the same windows finds, over texts
dense in digits (scores, dates, tables, times) where most windows are skipped for most regions.

(The windows themselves are test_accel.py's subject; on some of these generated texts they already
differ from Presidio's whole-text matcher, e.g. a window boundary before an extension, so the
reference here is the windowed recognizer with every region.)"""

from __future__ import annotations

import random

import pytest

SEPARATORS = [" ", "-", ".", "/", ":", " - ", ", ", "\n", " ( ", " ) ", "(", ")", " ext. ", " x"]
WORDS = ["won", "Tel", "call", "fax", "season", "Room", "at", "+", "+49 ", "+1 ", "00", "011 ", "0"]
# Numbers set aside for fiction: US 555-01xx, UK 020 7946 0xxx, France 01 99 00 xx xx, Germany 030 23125 xxx.
FICTIONAL = ["(202) 555-01{:02d}", "020 7946 0{:03d}", "01 99 00 {:02d} 42", "030 23125 {:03d}", "+44 20 7946 0{:03d}"]


def digit_texts(count: int, seed: int = 5) -> list[str]:
    """Invented texts: random digit groups of 1-5 digits with phone-like and table-like separators,
    a few words and plus signs between them, and some numbers from the ranges kept for fiction."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(3, 14)):
            choice = rng.random()
            if choice < 0.1:
                parts.append(rng.choice(FICTIONAL).format(rng.randint(0, 99)))
            elif choice < 0.25:
                parts.append(rng.choice(WORDS))
            else:
                parts.append("".join(rng.choice("0123456789") for _ in range(rng.randint(1, 5))))
            parts.append(rng.choice(SEPARATORS))
        texts.append("".join(parts))
    return texts


def _spans(results) -> list[tuple]:
    return sorted((r.start, r.end, r.entity_type, r.score) for r in results)


def test_region_bounds_come_from_metadata() -> None:
    from redactgate.accel import MIN_PHONE_DIGITS, region_min_digits, regions_for

    assert region_min_digits("DE") == MIN_PHONE_DIGITS  # German numbers can have 4 digits
    assert region_min_digits("US") > MIN_PHONE_DIGITS
    assert region_min_digits("AR") == MIN_PHONE_DIGITS  # its national prefix rule adds a digit: no bound
    assert regions_for("in 1996 ,", ("US", "DE", "GB")) == ("DE",)
    assert regions_for("+1 202", ("US", "DE", "GB")) == ("US", "DE", "GB")  # a plus: every region
    assert regions_for("7-2", ("US", "DE")) == ()


@pytest.mark.parametrize("chunk", range(4))
def test_region_skipping_finds_what_presidio_finds(chunk: int) -> None:
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    from redactgate.accel import PrefilteredPhoneRecognizer

    class EveryRegion(PrefilteredPhoneRecognizer):
        def _match_regions(self, window: str, entities: list[str]) -> list:
            return PhoneRecognizer.analyze(self, window, entities, None)

    stock, fast = EveryRegion(), PrefilteredPhoneRecognizer()
    texts = digit_texts(400)[chunk * 100:(chunk + 1) * 100]
    found = 0
    for text in texts:
        expected = _spans(stock.analyze(text, ["PHONE_NUMBER"], None))
        assert _spans(fast.analyze(text, ["PHONE_NUMBER"], None)) == expected, text
        found += len(expected)
    assert found > 10  # the texts do hold numbers, so equality is not trivially of empty lists


def _table_texts(count: int, seed: int = 3) -> list[str]:
    """Invented sports tables: rows of a name and 5-9 number cells, single digits or wider, some rows
    followed by a phone number or an extension, between lines of prose."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        rows = []
        for _ in range(rng.randint(1, 5)):
            cells = [str(rng.choice([rng.randint(0, 9), rng.randint(0, 9), rng.randint(10, 99)])) for _ in range(rng.randint(5, 9))]
            tail = rng.choice(["", "", " x 5", " , tel (202) 555-01{:02d}".format(rng.randint(0, 99)), " 1/2"])
            rows.append(rng.choice(["Essex", "Kent", "( 3 )"]) + " " + " ".join(cells) + tail)
        texts.append(rng.choice(["Results :\n", "", "In 1996 :\n"]) + "\n".join(rows) + rng.choice(["", "\n", "\nCall 555 0142 ."]))
    return texts


def test_table_aware_recognizer_skips_only_windows_its_filter_would_empty() -> None:
    """Windows with fewer digits than `phonefilter.MIN_DIGITS`, and rows of single-digit cells in a
    number table, are not matched at all; the results must be those of matching every window and
    filtering afterwards."""
    from redactgate.accel import TableAwarePhoneRecognizer, phone_windows
    from redactgate.phonefilter import MIN_DIGITS, is_table_row

    class EveryWindow(TableAwarePhoneRecognizer):
        def _skips(self, text: str, lo: int, hi: int) -> bool:
            return False

    every, fast = EveryWindow(), TableAwarePhoneRecognizer()
    texts = digit_texts(400, seed=11) + _table_texts(300) + ["in 1996 , 12 ext. 3456", "Tel 030 ext. 12", "+1 202 x5"]
    found = short = rows = 0
    for text in texts:
        expected = _spans(every.analyze(text, ["PHONE_NUMBER"], None))
        assert _spans(fast.analyze(text, ["PHONE_NUMBER"], None)) == expected, text
        found += len(expected)
        short += sum(sum(c.isdecimal() for c in text[lo:hi]) < MIN_DIGITS for lo, hi in phone_windows(text))
        rows += sum(is_table_row(text, lo, hi) for lo, hi in phone_windows(text))
    assert found > 10 and short > 10 and rows > 10  # numbers were found, and windows of both kinds skipped


def test_memoised_parse_and_verify_are_the_librarys_own() -> None:
    """`ParseMemo` gives what python-phonenumbers gives, call after call: equal numbers as fresh
    objects (the matcher clears fields of those it keeps), fresh exceptions of the same kind, the
    same verdicts; and the matcher's module has its own functions back after each use."""
    import phonenumbers.phonenumbermatcher as matcher
    from phonenumbers import Leniency, parse
    from phonenumbers.phonenumberutil import NumberParseException

    from redactgate.accel import ParseMemo

    memo = ParseMemo()
    candidates = [c for text in digit_texts(60, seed=3) for c in text.split(",")] + ["(202) 555-0143", "1", "+"]
    for _ in range(2):  # cold, then from the memo
        for candidate in candidates:
            for region in ("US", "DE", "GB", "IN", "ZZ"):
                try:
                    expected = parse(candidate, region, keep_raw_input=True)
                except NumberParseException as exc:
                    with pytest.raises(NumberParseException) as raised:
                        memo.parse(candidate, region, keep_raw_input=True)
                    assert (raised.value.error_type, str(raised.value)) == (exc.error_type, str(exc))
                    continue
                first = memo.parse(candidate, region, keep_raw_input=True)
                assert first == expected
                first.raw_input = None  # as the matcher does to the numbers it keeps
                again = memo.parse(candidate, region, keep_raw_input=True)
                assert again == expected and again is not first
                for leniency in (Leniency.POSSIBLE, Leniency.VALID):
                    assert memo.verify(leniency, again, candidate, None) == matcher._verify(leniency, expected, candidate, None)
    assert len(memo.parsed) > 100
    original = (matcher.parse, matcher._verify)
    with memo.installed():
        assert (matcher.parse, matcher._verify) == (memo.parse, memo.verify)
    assert (matcher.parse, matcher._verify) == original


@pytest.mark.parametrize("chunk", range(4))
def test_windows_cut_at_a_line_break_find_what_whole_windows_find(chunk: int) -> None:
    """A window ends at the first line break after its run: the same numbers as the windows that
    read on past it, over texts where runs end at line breaks followed by digits, letters and
    extensions (`digit_texts` separates groups with line breaks too)."""
    from redactgate import accel
    from redactgate.accel import PrefilteredPhoneRecognizer

    class WholeWindows(PrefilteredPhoneRecognizer):
        def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
            windows = accel.phone_windows
            accel.phone_windows = lambda t: windows(t, line_cut=False)
            try:
                return super().analyze(text, entities, nlp_artifacts)
            finally:
                accel.phone_windows = windows

    extra = ["Dateline\n1996-08-28\nAN 12\n(202) 555-0142\next 12\n020 7946 0958\n12:30\n", "tel 555-0199\n\n+1 202\n555 0123"]
    texts = (digit_texts(400, seed=11) + extra)[chunk * 101:(chunk + 1) * 101]
    whole, cut, found = WholeWindows(), PrefilteredPhoneRecognizer(), 0
    assert any("\n" in t for t in texts)
    for text in texts:
        expected = _spans(whole.analyze(text, ["PHONE_NUMBER"], None))
        assert _spans(cut.analyze(text, ["PHONE_NUMBER"], None)) == expected, text
        found += len(expected)
    assert found > 10
