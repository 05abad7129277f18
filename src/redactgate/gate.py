"""The gate: a read-only screen for pre-commit and CI that fails closed.

Exit 0 clean; 1 findings that no allow list, pragma or baseline accepts; 2 anything not scanned
(unless `[gate] allow_incomplete` names that reason); 3 usage, configuration or environment (raised
as `RedactgateError` before any file is read). Detection is the same `Processor` that `redact` uses.
"""

from __future__ import annotations

import fnmatch
import stat
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .config import Config
from .discover import Skipped, Source, discover
from .errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, FileRefused, RedactgateError
from .executor import Task, default_jobs, make_executor
from .findings import Finding
from .gitsource import changed_in_range, repo_root, staged
from .keys import RunKey
from .paths import name_findings
from .pipeline import Outcome, Processor, Reader, load_document, plan_batches, read_limited
from .pragmas import LineIndex, allowed_lines, is_span_allowed

if TYPE_CHECKING:
    from .baseline import Baseline


@dataclass(frozen=True)
class GateRequest:
    paths: tuple[Path, ...] = ()
    staged: bool = False
    range: str | None = None
    ignore_pragmas: bool = False


@dataclass(frozen=True)
class Located:
    """One finding with its place and keyed fingerprint; never the value."""

    path: str
    finding: Finding
    line: int
    column: int
    end_line: int
    end_column: int  # exclusive, as SARIF counts
    fingerprint: str
    occurrence: int  # n-th finding with this fingerprint in the file, for SARIF's stable ids
    segment: str = ""  # structured formats: the cell, JSON path or part the finding is in


@dataclass
class GateReport:
    key: RunKey
    findings: list[Located] = field(default_factory=list)  # blocking
    errors: list[Outcome] = field(default_factory=list)  # not scanned
    tolerated: list[Outcome] = field(default_factory=list)  # not scanned, accepted by config
    suppressed: Counter[str] = field(default_factory=Counter)  # "pragma" / "baseline"
    scanned: list[str] = field(default_factory=list)
    in_names: list[tuple[str, Finding]] = field(default_factory=list)  # personal data in a file's path
    mixed_script: list[tuple[str, int, int]] = field(default_factory=list)  # (path, line, column): warnings

    @property
    def exit_code(self) -> int:
        if self.errors:
            return EXIT_INCOMPLETE
        return EXIT_FINDINGS if self.findings or self.in_names else EXIT_OK


def finding_fingerprint(key: RunKey, path: str, finding: Finding) -> str:
    """Keyed id of (entity, path, value): stable across edits that move lines, reveals nothing."""
    return key.mac("gate-finding", "\0".join((finding.entity_type, path, finding.group)).encode())[:32]


def run_gate(request: GateRequest, config: Config, key: RunKey, baseline: "Baseline | None" = None,
             processor: Processor | None = None, jobs: int | None = None) -> GateReport:
    """`jobs`: worker processes (default: all cores), started only for inputs large enough to
    split (`plan_batches`): one small file is screened in this process. This process reads every
    file, so the workers screen exactly the bytes the report places findings in."""
    sources, skipped, read = collect(request, config)  # lists files (and git objects), reads none
    processor = processor or Processor(config, key)  # a missing model or bad rule stops us before any read
    report = GateReport(key)
    for item in skipped:
        _refused(report, Outcome(item.rel, Path(item.rel), reason=item.reason, detail=item.detail), config)
    contents: dict[PurePosixPath, bytes] = {}

    def keep(source: Source) -> bytes:
        contents[source.rel] = data = read(source)
        return data

    planned, workers = plan_batches(sources, jobs or default_jobs())
    executor = make_executor(Task(config, key, rewrite=False), workers, processor)
    try:
        for outcomes in executor.map(planned, read=keep):  # in input order, whatever the workers
            for outcome in outcomes:
                data = contents.pop(outcome.rel, b"")
                if outcome.ok:
                    _screen(report, outcome, load_document(outcome, data, config.fallback_encodings).text,
                            request.ignore_pragmas, baseline)
                else:
                    _refused(report, outcome, config)
        names = name_findings(processor.detector, [s.rel for s in sources], executor.screen_texts)
    finally:
        executor.close()
    for source, found in zip(sources, names):
        report.in_names += [(source.rel.as_posix(), f) for f in found]
    return report


def collect(request: GateRequest, config: Config) -> tuple[list[Source], list[Skipped], Reader]:
    """The sources to screen, the ones refused up front, and how to read a source's bytes."""
    limit = config.limits.max_file_bytes
    if request.staged and request.range:
        raise RedactgateError("--staged and --range cannot be combined")
    if request.range and request.paths:
        raise RedactgateError("PATHS cannot be combined with --range")
    if request.staged or request.range:
        root = repo_root(Path.cwd())
        scan = (staged(root, list(request.paths), limit) if request.staged
                else changed_in_range(root, request.range or "", limit))
        sources, skipped, read = scan.sources, scan.skipped, scan.read
    elif request.paths:
        sources, skipped = _walk(request.paths)
        read = lambda source: _read_file(source.path, limit)  # noqa: E731
    else:
        raise RedactgateError("nothing to check: name PATHS, or use --staged or --range BASE..HEAD")
    # an unresolvable range is not a path: no exclude glob may hide it
    ranges = [s for s in skipped if s.reason == "git-range"]
    return _included(sources, config), ranges + _included([s for s in skipped if s not in ranges], config), read


def _walk(paths: Sequence[Path]) -> tuple[list[Source], list[Skipped]]:
    """Files under each path, all named as displayed (`docs/a.md`), so excludes and reports agree.

    One root at a time: `discover` names files for an output tree, where two roots holding the
    same name collide; a read-only check has no output tree.
    """
    sources: list[Source] = []
    skipped: list[Skipped] = []
    for root in paths:
        found, refused = discover([root])
        base = PurePosixPath(root.as_posix()) if root.is_dir() and not root.is_symlink() else PurePosixPath()
        sources += [Source(PurePosixPath(s.path.as_posix()), s.path) for s in found]
        skipped += [Skipped(base / s.rel, s.reason, s.detail) for s in refused]
    unique = list({s.rel: s for s in sources}.values())  # a file named and inside a named folder
    # git's own object store is not content (`check .` in a work tree would refuse every object)
    return ([s for s in unique if ".git" not in s.rel.parts],
            [s for s in skipped if ".git" not in s.rel.parts])


def _read_file(path: Path, limit: int) -> bytes:
    # A named FIFO or device would block or never end: refuse anything but a regular file.
    try:
        is_regular = stat.S_ISREG(path.stat().st_mode)
    except OSError:
        is_regular = True  # let read_limited report it as unreadable
    if not is_regular:
        raise FileRefused("not-a-file", "not a regular file")
    return read_limited(path, limit)


def _included(items: Sequence[Source] | Sequence[Skipped], config: Config) -> list:
    globs = config.gate.exclude
    return [i for i in items if not any(fnmatch.fnmatchcase(i.rel.as_posix(), g) for g in globs)]


def _refused(report: GateReport, outcome: Outcome, config: Config) -> None:
    allowed = outcome.reason in config.gate.allow_incomplete
    (report.tolerated if allowed else report.errors).append(outcome)


def _screen(report: GateReport, outcome: Outcome, text: str, ignore_pragmas: bool,
            baseline: "Baseline | None") -> None:
    path = outcome.rel.as_posix()
    report.scanned.append(path)
    allowed = frozenset() if ignore_pragmas else allowed_lines(text)
    index = LineIndex(text)
    report.mixed_script += [(path, *index.position(start)) for start, _ in outcome.mixed_script]
    segments = [located.locator for located in outcome.located]
    for item in locate(path, text, outcome.findings, report.key, segments):
        if is_span_allowed(allowed, range(item.line, item.end_line + 1)):
            report.suppressed["pragma"] += 1
        elif baseline is not None and baseline.accepts(item):
            report.suppressed["baseline"] += 1
        else:
            report.findings.append(item)


def locate(path: str, text: str, findings: Sequence[Finding], key: RunKey,
           segments: Sequence[str] = ()) -> list[Located]:
    """Line and column in the text the offsets refer to: the file's text, or for structured formats
    (CSV, JSON, DOCX ...) the extracted text, with each finding's segment named."""
    index = LineIndex(text)
    seen: Counter[str] = Counter()
    located = []
    for number, f in enumerate(findings):
        line, column = index.position(f.start)
        end_line, last_column = index.position(max(f.end - 1, f.start))
        fingerprint = finding_fingerprint(key, path, f)
        located.append(Located(path, f, line, column, end_line, last_column + 1, fingerprint, seen[fingerprint],
                               segments[number] if segments else ""))
        seen[fingerprint] += 1
    return located
