"""`redactgate fix`: redact files in place, for the `redactgate-redact` pre-commit hook.

Only files the gate blocks are rewritten (a file whose findings are all allowed by pragma or
baseline is left alone); such a file is redacted whole, allowed lines included, because the
verify step refuses output in which a detected value survives. Each file is replaced through a
temp file and rename with its permission bits kept, and the run fails so the user re-stages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .config import Config
from .discover import Source
from .errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, FileRefused
from .gate import GateReport, GateRequest, run_gate
from .keys import RunKey
from .pipeline import Outcome, Processor
from .write import write_atomic

if TYPE_CHECKING:
    from .baseline import Baseline


@dataclass
class FixReport:
    gate: GateReport
    rewritten: list[Outcome] = field(default_factory=list)
    refused: list[Outcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.gate.errors or self.refused:
            return EXIT_INCOMPLETE
        return EXIT_FINDINGS if self.rewritten else EXIT_OK


def fix_in_place(paths: list[Path], config: Config, key: RunKey, baseline: "Baseline | None" = None) -> FixReport:
    processor = Processor(config, key)
    report = FixReport(run_gate(GateRequest(tuple(paths)), config, key, baseline, processor=processor))
    blocked = sorted({item.path for item in report.gate.findings})
    sources = [Source(PurePosixPath(p), Path(p)) for p in blocked]
    for outcome in processor.process(sources, rewrite=True):
        if outcome.ok and outcome.output is not None:
            _replace(outcome)
        (report.rewritten if outcome.ok else report.refused).append(outcome)
        outcome.output = None
    return report


def _replace(outcome: Outcome) -> None:
    path = outcome.path
    try:
        mode = path.stat().st_mode & 0o7777
        target = write_atomic(path.parent, PurePosixPath(path.name), outcome.output or b"")
        os.chmod(target, mode)
    except FileRefused as refusal:
        outcome.refuse(refusal)
    except OSError as exc:
        outcome.refuse(FileRefused("write-failed", exc.strerror or type(exc).__name__))
