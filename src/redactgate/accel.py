"""Faster stand-ins for the two Presidio internals that dominated the profile, same results.

Imported only by `engine.py` (it imports Presidio and phonenumbers).

- Presidio's lemma context enhancer tests `lemma in keywords` against a *list* and walks every token
  to find the match's token, once per result: quadratic in the chunk (14 of 29 s on 360 KB of news).
  Here the keywords are a set and the token is found by bisection.
- Presidio's phone recognizer runs python-phonenumbers' matcher over the whole text once per region
  (8 regions) and parses every digit group it meets (years, scores, times). A valid number has at
  least `MIN_PHONE_DIGITS` digits (the shortest national number of any region in phonenumbers'
  metadata), so the matcher only needs to see the runs of phone characters that hold that many,
  with a margin for the character before, an extension and a time suffix after. Each window is
  then matched only for the regions whose numbers it has enough digits for (`region_min_digits`):
  a year or a score needs no US, French or Brazilian parse. The matcher's `parse` and `_verify`
  are memoised (`ParseMemo`): in news the same digit groups come back in every table, and 91% of
  the parses were repeats.
- Presidio's IP, e-mail and IBAN recognizers run their patterns over every text, and news has no
  IP address, e-mail or IBAN in 96-100% of its documents. Every match of their patterns contains a
  match of a far simpler expression (`GATES`, read off the patterns); a text without one is not
  given to the recognizer at all (0.19 s of CPU per pass over 1.1 MB of news, out of 1.2 s for
  all pattern recognizers).
- Presidio's analyzer hands each recognizer its own results to re-score, picking them out of all
  results once per recognizer (two list scans each, 30 recognizers); none of the recognizers here
  re-scores, so `FastAnalyzerEngine` groups the results once and passes them on as they are.
"""

from __future__ import annotations

import copy
import re
import re._parser as sre_parse
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import phonenumbers.phonenumbermatcher as phone_matcher
from phonenumbers import Leniency, PhoneNumber
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.phonenumberutil import _PLUS_CHARS, _VALID_PUNCTUATION, NumberParseException
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, PatternRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer, IbanRecognizer, IpRecognizer, PhoneRecognizer

from . import phonefilter
from .phonefilter import is_not_a_phone

MIN_PHONE_DIGITS = 4  # min(general_desc.possible_length) over every region (AT, DE, LU, SH ...)
# Every character phonenumbers' candidate pattern can hold before an extension. A number lies inside
# one such run; the matcher also reads the character before it and, after it, a time suffix (":05"),
# the next character, and an extension ("ext. 12", "x12", ";ext=12", "#").
_PHONE_RUN = re.compile("[" + _VALID_PUNCTUATION + "\\d" + _PLUS_CHARS + "(\\[\uff08\uff3b)\\]\uff09\uff3d]+")
_EXTENSION_START = re.compile("[ \u00a0\t,]*(?:;ext=|e?xt|\uff45?\uff58\uff54|\u0434\u043e\u0431|anexo|int|\uff49\uff4e\uff54|[x\uff58#\uff03~\uff5e])",
                              re.IGNORECASE)
_BEFORE, _AFTER, _AFTER_EXTENSION = 1, 4, 64
_NO_PLUS = 10**9  # a region without metadata parses only numbers written with a plus sign


@cache
def region_min_digits(region: str) -> int:
    """Fewest digits a text must hold for `region`'s matcher to find a valid number in it without a
    plus sign. Parsing only removes digits (national prefix, carrier code, international prefix), so
    a candidate has at least the digits of its national number, whose length the region's metadata
    bounds, or, dialled abroad, the shortest international prefix, a one-digit country code and the
    shortest national number of any region. A prefix rule that adds digits disables the bound."""
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None:
        return _NO_PLUS
    rule = metadata.national_prefix_transform_rule or ""
    lengths = metadata.general_desc.possible_length if metadata.general_desc else ()
    if re.search(r"\d", re.sub(r"\\\d|\$\d", "", rule)) or not lengths:
        return MIN_PHONE_DIGITS
    return min(min(lengths), _idd_digits(metadata.international_prefix) + 1 + MIN_PHONE_DIGITS)


def _idd_digits(pattern: str | None) -> int:
    """Shortest match of the international prefix pattern (phonenumbers matches it against digits
    only, so a character is a digit); 1 when the pattern cannot be read."""
    try:
        return max(1, sre_parse.parse(pattern or "").getwidth()[0])
    except Exception:  # noqa: BLE001 - a private parser: fall back to the weakest bound
        return 1


def digit_count(text: str) -> int:
    return sum(map(str.isdecimal, text))


def regions_for(window: str, regions: tuple[str, ...]) -> tuple[str, ...]:
    """The regions, in their order, whose matcher can find a valid number in `window`."""
    if any(ch in _PLUS_CHARS for ch in window):
        return regions
    digits = digit_count(window)
    return tuple(r for r in regions if digits >= region_min_digits(r))


def phone_windows(text: str, line_cut: bool = True) -> Iterator[tuple[int, int]]:
    """Merged (start, end) windows around runs of phone characters with enough digits. With
    `line_cut`, a window ends at the first line break after its run: no candidate, extension or
    time suffix of the matcher holds one, so nothing after it changes what the matcher finds in the
    run, and a run at a line's end (a dateline "1996-08-28") is then the same window in every
    document, which the memo serves once (a fifth of the news windows)."""
    start = end = -1
    for run in _PHONE_RUN.finditer(text):
        # most runs are the space between two words: too short to hold the digits, so not counted
        if run.end() - run.start() < MIN_PHONE_DIGITS or digit_count(run.group()) < MIN_PHONE_DIGITS:
            continue
        after = _AFTER_EXTENSION if _EXTENSION_START.match(text, run.end()) else _AFTER
        lo, hi = max(0, run.start() - _BEFORE), min(len(text), run.end() + after)
        if line_cut and (newline := text.find("\n", run.end(), hi)) >= 0:
            hi = newline + 1
        if lo <= end:
            end = max(end, hi)
            continue
        if end >= 0:
            yield start, end
        start, end = lo, hi
    if end >= 0:
        yield start, end


def _fresh(result: RecognizerResult) -> RecognizerResult:
    """A copy nothing is shared with: what `copy.deepcopy` gives for these flat objects (scalars,
    one explanation of scalars, one metadata dict of strings), at a fraction of its cost."""
    fresh = copy.copy(result)
    fresh.analysis_explanation = copy.copy(result.analysis_explanation)
    if result.recognition_metadata is not None:
        fresh.recognition_metadata = dict(result.recognition_metadata)
    return fresh


# What every match of the recognizer's own patterns contains (checked in tests against the installed
# Presidio's patterns; a recognizer whose patterns differ from its class's is not gated).
GATES: dict[type, str] = {
    # IPv4 and the IPv4-in-IPv6 forms hold a dotted quad; every IPv6 form holds "::" or, written out
    # in full, hex:hex:hex (a clock time "10:30" does not wake the recognizer)
    IpRecognizer: r"\d\.\d{1,3}\.\d{1,3}\.\d|::|[0-9A-Fa-f]:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]",
    EmailRecognizer: "@",
    IbanRecognizer: "[A-Z]{2}[0-9]{2}",  # country code and check digits
}


def gated(recognizer: PatternRecognizer) -> PatternRecognizer:
    """The recognizer, run only on texts where its `GATES` expression occurs (same results)."""
    gate = GATES.get(type(recognizer))
    if gate is None or [p.regex for p in recognizer.patterns] != [p.regex for p in type(recognizer).PATTERNS]:
        return recognizer
    search = re.compile(gate, re.IGNORECASE).search  # blind to case: whatever flags the patterns run with
    analyze = recognizer.analyze

    def gated_analyze(text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                      regex_flags: int | None = None) -> list[RecognizerResult]:
        return analyze(text, entities, nlp_artifacts, regex_flags) if search(text) else []

    recognizer.analyze = gated_analyze
    return recognizer


class ParseMemo:
    """python-phonenumbers' `parse` and its matcher's `_verify`, memoised. Both are functions of
    their arguments and the library's static metadata alone: `parse` of (candidate, region), and
    `_verify` at POSSIBLE or VALID leniency (Presidio's default) of the parsed number and the
    candidate. Each call gets a fresh `PhoneNumber` (the matcher clears fields of the ones it
    keeps) and a failed parse raises a fresh exception, so callers see what the library gives.
    The stricter leniencies call back into the matcher and are not memoised."""

    LIMIT = 65_536  # entries; then it starts again
    PURE_LENIENCIES = (Leniency.POSSIBLE, Leniency.VALID)
    _parse, _verify = staticmethod(phone_matcher.parse), staticmethod(phone_matcher._verify)

    def __init__(self) -> None:
        self.parsed: dict[tuple[str, str | None, bool], PhoneNumber | NumberParseException] = {}
        self.verified: dict[tuple[tuple[str, str | None, bool], int], bool] = {}

    def parse(self, number: str, region: str | None = None, keep_raw_input: bool = False,
              numobj: PhoneNumber | None = None, _check_region: bool = True) -> PhoneNumber:
        if numobj is not None or not _check_region:
            return self._parse(number, region, keep_raw_input, numobj, _check_region)
        key = (number, region, keep_raw_input)
        found = self.parsed.get(key)
        if found is None:
            if len(self.parsed) >= self.LIMIT:
                self.parsed.clear()
                self.verified.clear()
            try:
                found = self._parse(number, region, keep_raw_input)
            except NumberParseException as exc:
                found = exc
            self.parsed[key] = found
        if isinstance(found, NumberParseException):
            raise NumberParseException(found.error_type, found._msg)
        fresh = PhoneNumber()
        fresh.merge_from(found)
        fresh._redactgate_parsed = key  # which parse made it, for `verify`
        return fresh

    def verify(self, leniency: int, numobj: PhoneNumber, candidate: str, matcher: object) -> bool:
        key = getattr(numobj, "_redactgate_parsed", None)
        if key is None or key[0] != candidate or leniency not in self.PURE_LENIENCIES:
            return self._verify(leniency, numobj, candidate, matcher)
        found = self.verified.get((key, leniency))
        if found is None:
            found = self.verified[(key, leniency)] = self._verify(leniency, numobj, candidate, matcher)
        return found

    @contextmanager
    def installed(self) -> Iterator[None]:
        """In the matcher's module for the duration only: other users of python-phonenumbers in the
        process (Presidio's stock recognizer, the `eval` baseline) keep the library as it is."""
        phone_matcher.parse, phone_matcher._verify = self.parse, self.verify
        try:
            yield
        finally:
            phone_matcher.parse, phone_matcher._verify = self._parse, self._verify


PARSE_MEMO = ParseMemo()


class PrefilteredPhoneRecognizer(PhoneRecognizer):
    """Presidio's `PhoneRecognizer`, run only on the windows that can hold a valid number.

    What the matcher finds in a window depends on the window's text alone, so results are kept per
    window text until `forget()`: `verify` re-scans the redacted text, which is mostly the same
    windows. The engine calls `forget()` at every batch, so nothing is kept across batches.
    """

    MEMO_LIMIT = 8192

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._memo: dict[str, list[RecognizerResult]] = {}

    def forget(self) -> None:
        self._memo.clear()

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        results = []
        for lo, hi in phone_windows(text):
            window = text[lo:hi]
            if self._skips(text, lo, hi):
                continue
            for r in self._window(window, entities):
                r.start, r.end = r.start + lo, r.end + lo
                results.append(r)
        return self.remove_duplicates(results)

    def _skips(self, text: str, lo: int, hi: int) -> bool:
        """Whether the window is not matched at all (a subclass whose filter would drop all it finds)."""
        return False

    def _window(self, window: str, entities: list[str]) -> list[RecognizerResult]:
        found = self._memo.get(window)
        if found is None:
            found = self._match_regions(window, entities)
            if len(self._memo) < self.MEMO_LIMIT:
                self._memo[window] = found
        return [_fresh(r) for r in found]  # callers shift and re-score results in place

    def _match_regions(self, window: str, entities: list[str]) -> list[RecognizerResult]:
        """Presidio's loop over the regions that can match, in the same order (same results)."""
        regions = tuple(self.supported_regions)
        self.supported_regions = regions_for(window, regions)
        try:
            if not self.supported_regions:
                return []
            with PARSE_MEMO.installed():
                return super().analyze(window, entities, None)
        finally:
            self.supported_regions = regions


class TableAwarePhoneRecognizer(PrefilteredPhoneRecognizer):
    """The prefiltered recognizer without the digit runs `phonefilter` reads as tables and scores.

    A deliberate difference from Presidio (issue 4); `PrefilteredPhoneRecognizer` stays equal to it.
    A match lies inside its window, so a window where `phonefilter` would drop every match is not
    matched at all (issue 5): one with fewer than `MIN_DIGITS` digits (every year, "1996", in news),
    or a row of single-digit cells in a number table (a fifth of the sports pages' windows)."""

    def _skips(self, text: str, lo: int, hi: int) -> bool:
        return digit_count(text[lo:hi]) < phonefilter.MIN_DIGITS or phonefilter.is_table_row(text, lo, hi)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        return [r for r in super().analyze(text, entities, nlp_artifacts) if not is_not_a_phone(text, r.start, r.end)]


class FastAnalyzerEngine(AnalyzerEngine):
    """Presidio's analyzer; a recognizer that keeps `EntityRecognizer.enhance_using_context` (which
    returns its results as they are) is not called to re-score them. Same results, same order."""

    def _enhance_using_context(self, text: str, raw_results: list[RecognizerResult], nlp_artifacts: NlpArtifacts,
                               recognizers: list[EntityRecognizer], context: list[str] | None = None) -> list[RecognizerResult]:
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        own: dict[str, list[RecognizerResult]] = defaultdict(list)
        for result in raw_results:
            own[result.recognition_metadata[key]].append(result)
        results: list[RecognizerResult] = []
        for recognizer in recognizers:
            if type(recognizer).enhance_using_context is EntityRecognizer.enhance_using_context:
                results.extend(own.get(recognizer.id, ()))
            else:
                others = [r for r in raw_results if r.recognition_metadata[key] != recognizer.id]
                results.extend(recognizer.enhance_using_context(
                    text=text, raw_recognizer_results=own.get(recognizer.id, []), other_raw_recognizer_results=others,
                    nlp_artifacts=nlp_artifacts, context=context))
        return self.context_aware_enhancer.enhance_using_context(
            text=text, raw_results=results, nlp_artifacts=nlp_artifacts, recognizers=recognizers, context=context)


class FastLemmaContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's enhancer with set membership and bisection; the same words, the same scores.

    Presidio deep-copies every result before it re-scores any; only a result of a recognizer with
    context words can change, so only those go through it (the model's names, most of the results,
    never do). The others pass through as the recognizers made them, for this call alone."""

    def enhance_using_context(self, text: str, raw_results: list[RecognizerResult], nlp_artifacts: NlpArtifacts,
                              recognizers: list, context: list[str] | None = None) -> list[RecognizerResult]:
        with_context = {r.id for r in recognizers if r.context}
        changes = [(r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY) in with_context
                   for r in raw_results]
        enhanced = iter(super().enhance_using_context(
            text, [r for r, change in zip(raw_results, changes) if change], nlp_artifacts, recognizers, context))
        return [next(enhanced) if change else r for r, change in zip(raw_results, changes)]

    def _extract_surrounding_words(self, nlp_artifacts: NlpArtifacts, word: str, start: int) -> list[str]:
        if not nlp_artifacts.tokens:
            return [""]
        keywords, ends = _index(nlp_artifacts)
        index = bisect_right(ends, start)  # first token whose end lies after `start`
        if index >= len(ends):
            raise ValueError("match start is beyond the last token")
        lemmas = nlp_artifacts.lemmas
        words = _collect(range(index, -1, -1), self.context_prefix_count, lemmas, keywords)
        words += _collect(range(index, len(lemmas)), self.context_suffix_count, lemmas, keywords)
        return list(set(words))


def set_token_index(artifacts: NlpArtifacts, ends: list[int]) -> None:
    """Give the enhancer each token's end offset up front (the engine reads them from an array)."""
    artifacts._redactgate_index = (frozenset(artifacts.keywords), ends)


def _index(artifacts: NlpArtifacts) -> tuple[frozenset[str], list[int]]:
    cached = getattr(artifacts, "_redactgate_index", None)
    if cached is None:
        set_token_index(artifacts, [i + len(t) for i, t in zip(artifacts.tokens_indices, artifacts.tokens)])
        cached = artifacts._redactgate_index
    return cached


def _collect(indices: range, n_words: int, lemmas: list[str], keywords: frozenset[str]) -> list[str]:
    # Same walk as Presidio's `_add_n_words`: the match's own token plus n keyword lemmas.
    words: list[str] = []
    for i in indices:
        if len(words) > n_words:
            break
        lemma = lemmas[i].lower()
        if lemma in keywords:
            words.append(lemma)
    return words
