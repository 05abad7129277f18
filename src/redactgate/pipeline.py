"""The stages wired together: discover -> load/decode -> detect -> resolve -> mask -> verify -> write -> audit.

`Processor` is built once per process (it loads the model) and works on batches of documents, so
the model sees many texts per `nlp.pipe` call. `run_redact` is the library API behind `redactgate redact`;
`gate.run_gate` (which uses the same `Processor`) is the one behind `check`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from . import __version__
from .audit import AuditWriter
from .config import Config
from .detect import Detector
from .discover import RESERVED, Skipped, Source, check_roots, discover
from .errors import FileRefused, RedactgateError
from .executor import Executor, Reader, SerialExecutor, Task, default_jobs, make_executor, open_engine
from .findings import Finding
from .formats import select_format
from .formats.structured import Located, Structured
from .journal import RunGuard
from .keys import RunKey
from .load import Decoded, decode
from .mask import Replacement, check_keys, mask_text
from .numbering import CorpusNumbering, Numbering
from .paths import pseudonymise_paths
from .rules import builtin_rules_dir, load_rules
from .screen import screen
from .stream import Screener, is_streamed, redact_file, remove_spill, spilled_records
from .verify import verify
from .write import AtomicFile, write_atomic

BATCH_FILES = 64
BATCH_CHARS = 2_000_000
MIN_POOL_BATCH_CHARS = 16_000  # below this a batch costs more to ship than to split
WARM_UP_TEXT = ("LONDON 1996-08-31\nJane Roe, a director at Example Ltd, told Reuters on Monday she met John Smith.\n"
                "Call (202) 555-0143 or write to jane.roe@example.com (https://www.example.com/contact).\n"
                "The office is at 12 Example Street, Springfield.\n")


@dataclass
class Outcome:
    """What happened to one file. Holds offsets and keyed digests, never document text."""

    rel: PurePosixPath
    path: Path
    reason: str = ""  # empty when processed
    detail: str = ""
    findings: list[Finding] = field(default_factory=list)
    replacements: tuple[Replacement, ...] = ()
    encoding: str = ""
    input_digest: str = ""
    output_digest: str = ""
    output: bytes | None = None
    format: str = ""  # structured formats only (csv, json, docx ...)
    located: tuple[Located, ...] = ()  # structured formats: each finding's segment (parallel to findings)
    out_rel: PurePosixPath | None = None  # when the output is a rendition under another name (PDF)
    mixed_script: list[tuple[int, int]] = field(default_factory=list)  # reported, not masked
    name_findings: list[Finding] = field(default_factory=list)  # in the file's name (`check` only)
    # Streamed files (stream.py) keep no findings: their counts, the written but not yet renamed
    # output, and the audit's finding records in a spill file.
    counts: dict[str, int] | None = None
    pending: AtomicFile | None = None
    spill: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.reason

    def entity_counts(self) -> Counter[str]:
        return Counter(self.counts) if self.counts is not None else Counter(f.entity_type for f in self.findings)

    def refuse(self, refusal: FileRefused) -> "Outcome":
        self.reason, self.detail, self.output = refusal.reason, refusal.detail, None
        return self


@dataclass
class RunReport:
    outcomes: list[Outcome]
    key: RunKey
    audit_path: Path | None = None

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def counts(self) -> Counter[str]:
        return sum((o.entity_counts() for o in self.outcomes), Counter())


class Processor:
    def __init__(self, config: Config, key: RunKey, numbering: Numbering | None = None) -> None:
        from .engine import Engine  # imports spaCy: only when a model is really needed

        rule_dirs = ([builtin_rules_dir()] if config.builtin_rules else []) + list(config.rule_dirs)
        self.config = config
        self.key = key
        self.engine = Engine(config, load_rules(rule_dirs))
        self.detector = Detector(self.engine, config, key)
        self.numbering = numbering  # corpus-wide placeholder numbers; None numbers per document

    def warm_up(self) -> None:
        """One invented document through detect, mask and verify, nothing kept or numbered: what
        detection loads on first use (name lists, word frequencies, the public-suffix trie, phone
        metadata; about 1 s of CPU) is then loaded before workers are forked, and they share it
        instead of each loading its own (issue 5)."""
        findings = self.detector.detect([WARM_UP_TEXT])[0]
        masked = mask_text(WARM_UP_TEXT, findings, self.config, self.key, "warm-up", None)
        verify(WARM_UP_TEXT, masked.text, findings, self.detector, [(r.out_start, r.out_end) for r in masked.replacements])

    def process(self, sources: Sequence[Source], rewrite: bool, read: Reader | None = None) -> list[Outcome]:
        """`read` supplies a source's bytes (default: the file, size-limited); the gate reads git blobs."""
        read = read or (lambda source: read_limited(source.path, self.config.limits.max_file_bytes))
        outcomes = [Outcome(s.rel, s.path) for s in sources]
        decoded: list[tuple[Outcome, Decoded | Structured, bytes]] = []
        for outcome, source in zip(outcomes, sources):
            try:
                data = read(source)
                decoded.append((outcome, load_document(outcome, data, self.config.fallback_encodings), data))
            except FileRefused as refusal:
                outcome.refuse(refusal)
        found = screen(self.detector, [d.text for _, d, _ in decoded])
        for (outcome, doc, data), screened in zip(decoded, found):
            findings = screened.findings
            if isinstance(doc, Structured):
                findings = doc.clip(findings)
                outcome.located = tuple(doc.locate(f.start, f.end) for f in findings)
            outcome.findings, outcome.encoding = findings, doc.encoding
            outcome.mixed_script = screened.mixed_script
            outcome.input_digest = self.key.digest(data)
            if rewrite:
                self._rewrite(outcome, doc, findings)
        return outcomes

    def process_texts(self, texts: Sequence[str], doc_ids: Sequence[str]) -> list[Outcome]:
        """Texts already in memory (a Ray Dataset column): the same detect, mask and verify as
        files, each named by its doc id; each output is the redacted text in UTF-8."""
        outcomes = [Outcome(PurePosixPath(doc_id), Path()) for doc_id in doc_ids]
        for outcome, text, findings in zip(outcomes, texts, self.detector.detect(texts)):
            outcome.findings, outcome.encoding = findings, "utf-8"
            self._rewrite(outcome, Decoded(text, "utf-8", b""), findings)
        return outcomes

    def _rewrite(self, outcome: Outcome, doc: Decoded | Structured, findings: list[Finding]) -> None:
        masked = mask_text(doc.text, findings, self.config, self.key, outcome.rel.as_posix(), self.numbering)
        ours = [(r.out_start, r.out_end) for r in masked.replacements]
        problems = verify(doc.text, masked.text, findings, self.detector, ours)
        if problems:
            outcome.refuse(FileRefused("verify-failed", "; ".join(problems)))
            return
        outcome.replacements = masked.replacements
        try:
            if isinstance(doc, Structured):
                outcome.output = doc.render(masked, findings)
            else:
                outcome.output = doc.encode(masked.text)
        except FileRefused as refusal:
            outcome.refuse(refusal)
            return
        outcome.output_digest = self.key.digest(outcome.output)


def load_document(outcome: Outcome, data: bytes, fallbacks: Sequence[str] = ()) -> Decoded | Structured:
    """Structured formats (CSV, JSON, HTML, DOCX, e-mail, PDF) by content and name; else plain text."""
    fmt = select_format(outcome.rel, data)
    if fmt is None:
        return decode(data, fallbacks)
    outcome.format = fmt.name
    if fmt.output_suffix:
        outcome.out_rel = outcome.rel.with_name(outcome.rel.name + fmt.output_suffix)
    return Structured(fmt, data, fallbacks)


def read_limited(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise FileRefused("too-large", f"{size} bytes is over the limit of {limit}")
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FileRefused("unreadable", exc.strerror or type(exc).__name__) from None
    if len(data) > limit:  # grew after stat: never process a truncated read
        raise FileRefused("too-large", f"grew over the limit of {limit} bytes while being read")
    return data


def batches(sources: Sequence[Source], limit: Callable[[int, int], int] = lambda left, total: BATCH_CHARS) -> Iterator[list[Source]]:
    """Consecutive batches of at most `BATCH_FILES` files; a batch is closed once it holds
    `limit(left, total)` bytes, `left` being the bytes not yet in a batch when it was opened."""
    sizes = [_size(source.path) for source in sources]
    total = left = sum(sizes)
    batch: list[Source] = []
    size = cap = 0
    for source, source_size in zip(sources, sizes):
        if not batch:
            cap = limit(left, total)
        batch.append(source)
        size += source_size
        if len(batch) >= BATCH_FILES or size >= cap:
            yield batch
            left -= size
            batch, size = [], 0
    if batch:
        yield batch


def plan_batches(sources: Sequence[Source], jobs: int) -> tuple[list[list[Source]], int]:
    """Batches for `jobs` workers and the number of workers worth starting for them. Guided: each
    batch takes half a worker's share of what is left (down to a sixteenth of a worker's share of the
    whole), so batches shrink towards the end and the workers finish within a small batch of each
    other: with equal batches one worker sat idle for up to a whole batch at the end (issue 5)."""
    if jobs <= 1:
        return list(batches(sources)), 1

    def guided(left: int, total: int) -> int:
        return min(BATCH_CHARS, max(MIN_POOL_BATCH_CHARS, total // (16 * jobs), left // (2 * jobs)))

    planned = list(batches(sources, guided))
    return planned, max(1, min(jobs, len(planned)))


def plan_units(sources: Sequence[Source], jobs: int, segment_chars: int) -> tuple[list[list[Source] | Source], int]:
    """`plan_batches` for the files read whole; a file to stream (stream.py) is a unit of its own,
    in its place in input order, and keeps every worker busy with its segments."""
    units: list[list[Source] | Source] = []
    run: list[Source] = []
    workers = 1
    for source in [*sources, None]:
        if source is not None and not is_streamed(source, segment_chars):
            run.append(source)
            continue
        planned, used = plan_batches(run, jobs)
        units += planned
        workers, run = max(workers, used), []
        if source is not None:
            units.append(source)
            workers = max(1, jobs)
    return units, workers


def _outcome_lists(units: Sequence[list[Source] | Source], executor: Executor, screen_segments: Screener,
                   processor: Processor, out: Path, numbering: Numbering | None) -> Iterator[list[Outcome]]:
    batches: list[list[Source]] = []
    for unit in units:
        if isinstance(unit, Source):
            yield from executor.map(batches)
            batches = []
            yield [redact_file(processor, screen_segments, unit, out, numbering)]
        else:
            batches.append(unit)
    yield from executor.map(batches)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def skipped_outcomes(skipped: Sequence[Skipped], roots: Sequence[Path]) -> list[Outcome]:
    return [Outcome(s.rel, Path(s.rel), reason=s.reason, detail=s.detail) for s in skipped]


Progress = Callable[[int], None]


def run_redact(
    sources: Sequence[Path],
    out: Path,
    config: Config,
    key: RunKey,
    audit_path: Path | None = None,
    progress: Callable[[int], Progress] | None = None,
    jobs: int | None = None,
    engine: str = "local",
    address: str | None = None,
) -> RunReport:
    check_roots(list(sources), out)
    audit_path = audit_path or out / RESERVED / "audit.jsonl"
    _refuse_inside_inputs(audit_path, sources)
    check_keys(config, key)
    if config.numbering == "corpus" and engine != "local":
        raise RedactgateError('numbering = "corpus" is one shared counter in one process: use --engine local')
    numbering = CorpusNumbering.load(out, key) if config.numbering == "corpus" else None
    processor = Processor(config, key, numbering)  # a missing model stops the run here, before any file is read
    found, skipped = discover(list(sources))
    # Corpus-wide numbering is one shared counter: it stays in one process.
    local_jobs = 1 if numbering is not None else jobs or default_jobs()
    # Renaming (below) keeps every file and its size, or refuses one: the pool the names as found
    # need is the pool for the renamed files, so it starts first and screens the names too.
    workers = plan_units(found, local_jobs, config.limits.segment_chars)[1]
    task = Task(config, key, rewrite=True)
    local = engine == "local"
    executor = make_executor(task, workers, processor) if local else open_engine(engine, task, jobs, address)
    try:  # names can hold personal data
        found, skipped = pseudonymise_paths(processor.detector, found, skipped, getattr(executor, "screen_texts", None))
    except BaseException:
        executor.close()
        raise
    started = _now()
    report = RunReport(skipped_outcomes(skipped, sources), key, audit_path)
    advance = progress(len(found)) if progress else (lambda n: None)
    units = plan_units(found, local_jobs, config.limits.segment_chars)[0]
    # streamed files: segments detected by the workers (Ray has none of its own: here)
    screen_segments = getattr(executor, "screen", None) or SerialExecutor(processor, task).screen
    guard = RunGuard(out, audit_path).acquire()  # one run per output folder; cleans up after a killed one
    audit = AuditWriter(audit_path)
    try:
        audit.write(run_record(processor, config, key))
        for outcome in report.outcomes:
            audit.write(file_record(outcome))
        written: set[PurePosixPath] = set()
        # in input order, whatever the number of workers
        for outcomes in _outcome_lists(units, executor, screen_segments, processor, out, numbering):
            for outcome in outcomes:
                guard.writing(outcome)
                _write_output(out, outcome, written)  # here, in input order: collisions are decided the same way
                report.outcomes.append(outcome)
                for record in outcome_records(outcome):
                    audit.write(record)
                remove_spill(outcome.spill)
            advance(len(outcomes))
        final_hash = audit.close(end_record(report))
    except BaseException:
        audit.abort()
        guard.release()  # the journal stays: the next run cleans up after this one
        raise
    finally:
        executor.close()
    if numbering is not None:
        numbering.save(out)
    _write_manifest(out, report, started, final_hash)
    guard.finish()
    return report


def _write_output(out: Path, outcome: Outcome, written: set[PurePosixPath]) -> None:
    target = outcome.out_rel or outcome.rel
    has_output = outcome.output is not None or outcome.pending is not None
    if outcome.ok and has_output and target in written:
        # a PDF's rendition `x.pdf.txt` and an input of that name: never let one overwrite the other
        outcome.refuse(FileRefused("output-collision", "another input was already written under this output name"))
    try:
        if outcome.ok and outcome.pending is not None:
            outcome.pending.commit()  # a streamed file, already written under a temp name
            written.add(target)
        elif outcome.ok and outcome.output is not None:
            write_atomic(out, target, outcome.output)
            written.add(target)
    except FileRefused as refusal:
        outcome.refuse(refusal)
    finally:
        if outcome.pending is not None:
            outcome.pending.discard()  # nothing left after a commit; the temp file otherwise
        outcome.output = outcome.pending = None


def _refuse_inside_inputs(audit_path: Path, sources: Sequence[Path]) -> None:
    target = audit_path.resolve()
    for src in sources:
        if src.is_dir() and target.is_relative_to(src.resolve()):
            raise RedactgateError(f"audit log {audit_path} would be written inside input {src}")


def run_record(processor: Processor, config: Config, key: RunKey) -> dict:
    return {
        "type": "run",
        "tool": "redactgate",
        "tool_version": __version__,
        **processor.engine.versions(),
        "config_model": config.model,
        "config_id": key.mac("config", config.model_dump_json().encode())[:32],
        "entities": list(config.enabled_entities),
        "key": "random" if key.is_random else "configured",
        "key_id": key.fingerprint(),
    }


def file_record(outcome: Outcome) -> dict:
    record = {"type": "file", "path": outcome.rel.as_posix(), "status": "refused" if outcome.reason else "redacted"}
    if outcome.format:
        record["format"] = outcome.format
        if outcome.out_rel:
            record["output_path"] = outcome.out_rel.as_posix()
    if outcome.reason:
        record.update(reason=outcome.reason, detail=outcome.detail)
    if outcome.input_digest:
        record["input_digest"] = outcome.input_digest
    if outcome.ok:
        record.update(
            output_digest=outcome.output_digest,
            encoding=outcome.encoding,
            counts=dict(sorted(outcome.entity_counts().items())),
        )
    if outcome.mixed_script:
        record["mixed_script"] = [list(span) for span in outcome.mixed_script]
    return record


def outcome_records(outcome: Outcome) -> Iterator[dict]:
    yield file_record(outcome)
    if outcome.spill is not None:
        yield from spilled_records(outcome.spill)
    located = dict(zip(outcome.findings, outcome.located))
    for r in outcome.replacements:
        yield (_segment_fields(located[r.finding]) if r.finding in located else {}) | finding_record(outcome.rel.as_posix(), r)


def finding_record(path: str, r: Replacement) -> dict:
    f = r.finding
    return {
        "type": "finding",
        "path": path,
        "entity_type": f.entity_type,
        "start": f.start,
        "end": f.end,
        "out_start": r.out_start,
        "out_end": r.out_end,
        "rule": f.rule,
        "score": f.score,
        "operator": r.operator,
        "value_id": f.group,
    }


def _segment_fields(located: Located) -> dict:
    # Structured formats: start/end are in the joined extracted text (formats/structured.py); the
    # segment locator and the offsets inside that segment say where in the file the value was.
    return {"segment": located.locator, "segment_start": located.start, "segment_end": located.end}


def end_record(report: RunReport) -> dict:
    return {
        "files": len(report.outcomes),
        "refused": len(report.errors),
        "counts": dict(sorted(report.counts.items())),
    }


def _write_manifest(out: Path, report: RunReport, started: str, audit_hash: str) -> None:
    manifest = {
        "tool": "redactgate",
        "tool_version": __version__,
        "started": started,
        "finished": _now(),
        "audit_log": str(report.audit_path),
        "audit_last_hash": audit_hash,
        "files": len(report.outcomes),
        "refused": [{"path": o.rel.as_posix(), "reason": o.reason} for o in report.errors],
        "key": "random" if report.key.is_random else "configured",
    }
    write_atomic(out, PurePosixPath(RESERVED, "manifest.json"), (json.dumps(manifest, indent=2) + "\n").encode())


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
