"""Detection that evasions do not defeat: on the normalised copy, with encoded runs decoded.

`screen` is the one detection path (`Detector.detect`, `Processor.process`, the gate and `eval` all
come here): it normalises each text (`normalize.py`), decodes bounded encoded runs (`encoded.py`), runs
every text and every decoded run through the engine in one batch (the model reading ALL-CAPS lines
re-cased, `boosters.recasings`), adds the names the model finds in the lines it reads again
(`boosters.extra_raw`: re-cased lower-case lines), post-processes, and maps the findings back to original offsets, so the mask covers
the whole original span (zero-width characters, line breaks inside a number, the whole encoded run).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .boosters import extra_raw, recasings
from .encoded import EncodedRun, encoded_runs
from .findings import Finding
from .normalize import Normalised, normalize
from .resolve import resolve
from .segments import Merger, longest_segment, segments

_RUN_SEP = "\n\n"  # between decoded runs in a document's decoded view

if TYPE_CHECKING:
    from .detect import Detector


@dataclass(frozen=True)
class Screened:
    findings: list[Finding]  # original offsets, resolved
    mixed_script: list[tuple[int, int]]  # original offsets of tokens mixing Latin with Cyrillic/Greek


def screen(detector: "Detector", texts: Sequence[str]) -> list[Screened]:
    """Findings per text; a text longer than one segment (`limits.segment_chars`) is screened in
    segments (`segments.py`), as `redact` streams a large file, so every command finds the same."""
    limit = longest_segment(detector.config.limits.segment_chars)
    short = [i for i, text in enumerate(texts) if len(text) <= limit]
    results = dict(zip(short, _screen(detector, [texts[i] for i in short])))
    return [results[i] if i in results else _segmented(detector, text) for i, text in enumerate(texts)]


def _segmented(detector: "Detector", text: str) -> Screened:
    merger, findings = Merger(), []
    for segment in segments([text], detector.config.limits.segment_chars):
        findings += merger.add(segment, _screen(detector, [segment.text])[0])[1]
    findings += merger.finish(len(text))[1]
    return Screened(findings, merger.mixed_script)


def _screen(detector: "Detector", texts: Sequence[str]) -> list[Screened]:
    copies = [normalize(text) for text in texts]
    runs = [encoded_runs(copy.text) for copy in copies]
    views = [_joined(doc_runs) for doc_runs in runs]
    copied, decoded = [copy.text for copy in copies], [view for view, _ in views]
    recast = recasings(copied, detector.config.boosters)
    raw = detector.engine.analyze(copied + decoded, model_texts=[r.view for r in recast] + decoded)
    raw[:len(copies)] = extra_raw(recast, raw[:len(copies)], detector.engine.persons)
    results = []
    for copy, doc_runs, (view, starts), found, inner in zip(copies, runs, views, raw, raw[len(copies):]):
        hidden = [_run_finding(detector, run, view, start, inner) for run, start in zip(doc_runs, starts)]
        findings = detector.postprocess(copy.text, list(found) + [f for f in hidden if f])
        results.append(Screened(to_original(copy, findings), copy.mixed_script))
    return results


def _joined(runs: Sequence[EncodedRun]) -> tuple[str, list[int]]:
    """All decoded runs of a document as one text, a blank line between runs: one analysis per
    document however many runs it has (many small texts cost the model far more per character)."""
    starts, cursor = [], 0
    for run in runs:
        starts.append(cursor)
        cursor += len(run.decoded) + len(_RUN_SEP)
    return _RUN_SEP.join(run.decoded for run in runs), starts


def _run_finding(detector: "Detector", run: EncodedRun, view: str, start: int, found: Sequence[Finding]) -> Finding | None:
    """One finding over the whole encoded run, typed by the strongest finding inside it."""
    end = start + len(run.decoded)
    accepted = detector.accepted(view, [f for f in found if start <= f.start and f.end <= end])
    if not accepted:
        return None
    best = max(accepted, key=lambda f: (f.score, f.end - f.start, f.entity_type))
    return Finding(run.start, run.end, best.entity_type, best.score, f"encoded-{run.kind}")


def to_original(copy: Normalised, findings: Sequence[Finding]) -> list[Finding]:
    mapped = []
    for finding in findings:
        start, end = copy.span(finding.start, finding.end)
        if end > start:
            mapped.append(replace(finding, start=start, end=end))
    # An NFKC expansion (one original character, two copy characters) can make neighbours overlap.
    return resolve(mapped) if copy.pieces else mapped
