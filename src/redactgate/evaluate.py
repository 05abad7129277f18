"""`redactgate eval`: precision and recall of the real detection on labelled data, beside a baseline.

The protocol is `shared/eval/README.md`'s: token-level recall (a gold token counts as caught only when
predicted spans of its type cover all of it) and precision (a token touched by a predicted span is
correct when it is gold), exact-span P/R/F1, the share of gold spans masked whole, and span-overlap
P/R (what the synthetic set's protocol asks for). Output holds counts and rates, never text.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import regex

from .datasets import DatasetFormat, LabelledDoc, load_dataset

if TYPE_CHECKING:  # these import the model stack; keep them out of the metric arithmetic
    from .config import Config
    from .detect import Detector
    from .keys import RunKey

Span = tuple[int, int, str]
Predictor = Callable[[Sequence[str]], list[list[Span]]]
# Gold labels of other corpora under the names our recognizers use.
CANONICAL = {"PER": "PERSON", "person": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION",
             "location": "LOCATION", "ORG": "ORGANIZATION", "corporation": "ORGANIZATION",
             "DOMAIN_NAME": "URL"}
_WORD = regex.compile(r"\w+")


@dataclass
class Counts:
    gold_tokens: int = 0
    caught_tokens: int = 0
    pred_tokens: int = 0
    correct_tokens: int = 0
    gold_spans: int = 0
    pred_spans: int = 0
    exact: int = 0
    whole: int = 0
    gold_overlapped: int = 0
    pred_overlapping: int = 0

    def add(self, other: "Counts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def token_recall(self) -> float:
        return _ratio(self.caught_tokens, self.gold_tokens)

    @property
    def token_precision(self) -> float:
        return _ratio(self.correct_tokens, self.pred_tokens)

    @property
    def span_precision(self) -> float:
        return _ratio(self.exact, self.pred_spans)

    @property
    def span_recall(self) -> float:
        return _ratio(self.exact, self.gold_spans)

    @property
    def span_f1(self) -> float:
        p, r = self.span_precision, self.span_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def whole_share(self) -> float:
        return _ratio(self.whole, self.gold_spans)

    @property
    def overlap_recall(self) -> float:
        return _ratio(self.gold_overlapped, self.gold_spans)

    @property
    def overlap_precision(self) -> float:
        return _ratio(self.pred_overlapping, self.pred_spans)


def _ratio(num: int, den: int) -> float:
    return num / den if den else float("nan")


@dataclass
class SystemResult:
    name: str
    counts: dict[str, Counts]
    seconds: float
    chars: int

    @property
    def mb_per_s(self) -> float:
        return self.chars / 1e6 / self.seconds if self.seconds else float("nan")


@dataclass
class EvalReport:
    dataset: str
    documents: int
    entities: list[str]
    systems: list[SystemResult] = field(default_factory=list)

    def lowest_recall(self, system: int = 0) -> float:
        values = [self.systems[system].counts[e].token_recall for e in self.entities]
        return min((v for v in values if v == v), default=float("nan"))


def canonical(entity_type: str) -> str:
    return CANONICAL.get(entity_type, entity_type)


def doc_tokens(doc: LabelledDoc) -> list[tuple[int, int]]:
    return doc.tokens or [m.span() for m in _WORD.finditer(doc.text)]


def score_doc(doc: LabelledDoc, predicted: Sequence[Span], entity: str) -> Counts:
    gold = sorted((s.start, s.end) for s in doc.spans if canonical(s.entity_type) == entity)
    pred = sorted((s, e) for s, e, t in predicted if t == entity)
    tokens = doc_tokens(doc)
    counts = Counts(gold_spans=len(gold), pred_spans=len(pred), exact=len(set(gold) & set(pred)))
    for token in tokens:
        is_gold = _touches(token, gold, inside=True)
        touched = _touches(token, pred)
        counts.gold_tokens += is_gold
        counts.caught_tokens += is_gold and _covered(token, pred)
        counts.pred_tokens += touched
        counts.correct_tokens += touched and is_gold
    counts.whole = sum(all(_covered(t, pred) for t in tokens if _inside(t, g)) for g in gold)
    counts.gold_overlapped = sum(_touches(g, pred) for g in gold)
    counts.pred_overlapping = sum(_touches(p, gold) for p in pred)
    return counts


def _inside(token: tuple[int, int], span: tuple[int, int]) -> bool:
    return span[0] <= token[0] and token[1] <= span[1]


def _touches(token: tuple[int, int], spans: Sequence[tuple[int, int]], inside: bool = False) -> bool:
    if inside:
        return any(_inside(token, s) for s in spans)
    return any(s[0] < token[1] and token[0] < s[1] for s in spans)


def _covered(token: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    """Every character of the token lies in some predicted span (spans may abut)."""
    pos = token[0]
    for start, end in spans:  # sorted by start
        if start <= pos < end:
            pos = end
        if pos >= token[1]:
            return True
    return pos >= token[1]


def run_system(name: str, predict: Predictor, docs: Sequence[LabelledDoc], entities: Sequence[str],
               repeats: int = 1) -> SystemResult:
    """Scores from the first run; time as the best of `repeats` runs after a warm-up on one document
    (lazy loading is a start-up cost, and other processes on a shared machine only ever add time)."""
    texts = [d.text for d in docs]
    predict(texts[:1])
    predicted, seconds = None, float("inf")
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        result = predict(texts)
        seconds = min(seconds, time.perf_counter() - started)
        predicted = result if predicted is None else predicted
    counts = {e: Counts() for e in entities}
    for doc, spans in zip(docs, predicted):
        for entity in entities:
            counts[entity].add(score_doc(doc, spans, entity))
    return SystemResult(name, counts, seconds, sum(len(t) for t in texts))


def evaluated_entities(docs: Sequence[LabelledDoc], enabled: Sequence[str]) -> list[str]:
    gold = {canonical(s.entity_type) for d in docs for s in d.spans}
    return [e for e in enabled if e in gold]


def _speed(reference: SystemResult, system: SystemResult) -> float:
    return reference.seconds / system.seconds if system.seconds else float("nan")


def render(report: EvalReport) -> str:
    head = (f"{'entity':<15} {'system':<22} {'tokR':>6} {'tokP':>6} {'spanP':>6} {'spanR':>6} "
            f"{'spanF1':>6} {'whole':>6} {'ovlR':>6} {'ovlP':>6} {'gold':>6}")
    lines = [f"dataset {report.dataset}: {report.documents} documents", head]
    for entity in report.entities:
        for system in report.systems:
            c = system.counts[entity]
            lines.append(
                f"{entity:<15} {system.name:<22} {c.token_recall:6.3f} {c.token_precision:6.3f} "
                f"{c.span_precision:6.3f} {c.span_recall:6.3f} {c.span_f1:6.3f} {c.whole_share:6.3f} "
                f"{c.overlap_recall:6.3f} {c.overlap_precision:6.3f} {c.gold_spans:6d}"
            )
    lines.append("speed (detection only, same run; throughput relative to the first and last rows):")
    first, last = report.systems[0], report.systems[-1]
    for system in report.systems:
        lines.append(f"  {system.name:<22} {system.seconds:7.2f} s {system.mb_per_s:7.3f} MB/s "
                     f"{_speed(first, system):5.2f}x {first.name}, {_speed(last, system):5.2f}x {last.name}")
    return "\n".join(lines)


def detector_predictor(detector: "Detector") -> Predictor:
    def predict(texts: Sequence[str]) -> list[list[Span]]:
        return [[(f.start, f.end, f.entity_type) for f in found] for found in detector.detect(texts)]

    return predict


def ablation_configs(config: "Config") -> list[tuple[str, "Config"]]:
    """No booster, each booster alone, all of them: each measured on its own and for speed."""
    from .config import Boosters

    names = list(Boosters.model_fields)
    off = {n: False for n in names}
    chosen = [("no boosters", off)] + [(f"+{n} only", {**off, n: True}) for n in names]
    chosen.append(("all boosters", {n: True for n in names}))
    return [(label, config.model_copy(update={"boosters": Boosters(**flags)})) for label, flags in chosen]


def run_eval(path: Path, fmt: DatasetFormat | None, config: "Config", key: "RunKey",
             baseline: bool = True, ablation: bool = False) -> EvalReport:
    """Our detection exactly as `check`/`redact` run it, then Presidio's stock analyzer (last row)."""
    from .detect import Detector
    from .pipeline import Processor

    docs = load_dataset(path, fmt)
    processor = Processor(config, key)
    entities = evaluated_entities(docs, config.enabled_entities)
    report = EvalReport(path.name, len(docs), entities)
    variants = ablation_configs(config) if ablation else [("redactgate", config)]
    repeats = 2 if ablation else 1
    for label, variant in variants:
        detector = processor.detector if variant is config else Detector(processor.engine, variant, key)
        report.systems.append(run_system(label, detector_predictor(detector), docs, entities, repeats))
    if baseline:
        report.systems.append(run_system("presidio default", stock_predictor(config), docs, entities, repeats))
    return report


def stock_predictor(config: "Config") -> Predictor:
    from .engine import stock_analyzer

    analyze = stock_analyzer(config.model, config.language)
    return lambda texts: [analyze(t) for t in texts]
