"""Render a gate report as text, JSON, SARIF or GitHub workflow annotations. Never a value."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .errors import FileRefused, RedactgateError
from .gate import GateReport, Located
from .paths import display_path
from .pipeline import Outcome
from .sarif import to_sarif
from .write import write_atomic

if TYPE_CHECKING:
    from .inplace import FixReport

FORMATS = ("text", "json", "sarif", "github")


def render(report: GateReport, fmt: str) -> str:
    return {"text": text, "json": as_json, "sarif": sarif, "github": github}[fmt](report)


def format_for(path: Path) -> str:
    """`--report FILE` picks its format from the name: .sarif, .json, anything else text."""
    name = path.name.lower()
    if name.endswith((".sarif", ".sarif.json")):
        return "sarif"
    return "json" if name.endswith(".json") else "text"


def write_report(path: Path, content: str) -> None:
    try:
        write_atomic(path.parent, PurePosixPath(path.name), (content + "\n").encode())
    except FileRefused as refusal:
        raise RedactgateError(f"cannot write report {path}: {refusal}") from None


def fix_text(report: "FixReport") -> str:
    lines = [f"{o.rel.as_posix()}: redacted {len(o.findings)} finding(s) in place; review and re-stage it"
             for o in report.rewritten]
    lines += [f"{o.rel.as_posix()}: not redacted: {_why(o)}" for o in report.refused]
    lines += [f"{o.rel.as_posix()}: not scanned: {_why(o)}" for o in report.gate.errors]
    lines.append(f"redactgate fix: {len(report.rewritten)} file(s) rewritten, "
                 f"{len(report.refused) + len(report.gate.errors)} could not be processed")
    return "\n".join(lines)


def text(report: GateReport) -> str:
    # display_path: a line break or terminal escape in a file name cannot forge or hide a line
    lines = [f"{display_path(i.path)}:{i.line}:{i.column}:{' ' + i.segment + ':' if i.segment else ''} {i.finding.entity_type} ({i.finding.rule}, score "
             f"{i.finding.score}) fingerprint {i.fingerprint}" for i in report.findings]
    lines += [f"{display_path(path)}: file name: {f.entity_type} ({f.rule}, score {f.score})"
              for path, f in report.in_names]
    lines += [f"{display_path(path)}:{line}:{column}: warning: token mixes Latin with Cyrillic or Greek letters"
              for path, line, column in report.mixed_script]
    lines += [f"{display_path(o.rel)}: not scanned: {_why(o)}" for o in report.errors]
    lines += [f"{display_path(o.rel)}: not scanned, allowed by [gate] allow_incomplete: {_why(o)}"
              for o in report.tolerated]
    lines.append(_summary(report))
    if report.key.is_random:
        lines.append("note: REDACTGATE_KEY is not set; fingerprints are from a random key and change every run")
    return "\n".join(lines)


def as_json(report: GateReport) -> str:
    return json.dumps({
        "findings": [_finding(i) for i in report.findings],
        "name_findings": [{"path": path, "entity_type": f.entity_type, "rule": f.rule, "score": f.score}
                          for path, f in report.in_names],
        "mixed_script": [{"path": path, "line": line, "column": column} for path, line, column in report.mixed_script],
        "errors": [_error(o) for o in report.errors],
        "allowed_incomplete": [_error(o) for o in report.tolerated],
        "suppressed": dict(sorted(report.suppressed.items())),
        "files_scanned": len(report.scanned),
        "exit_code": report.exit_code,
    }, indent=2)


def sarif(report: GateReport) -> str:
    return json.dumps(to_sarif(report), indent=2)


def github(report: GateReport) -> str:
    lines = [
        f"::error file={_prop(i.path)},line={i.line},col={i.column},endLine={i.end_line},"
        f"endColumn={i.end_column},title={_prop('redactgate ' + i.finding.rule)}::"
        f"{_data(f'{i.finding.entity_type} found (score {i.finding.score}, fingerprint {i.fingerprint})')}"
        for i in report.findings
    ]
    lines += [f"::error file={_prop(o.rel.as_posix())},title=redactgate not scanned::{_data(_why(o))}"
              for o in report.errors]
    lines.append(_summary(report))
    return "\n".join(lines)


def _finding(i: Located) -> dict:
    f = i.finding
    return {"path": i.path, "entity_type": f.entity_type, "start": f.start, "end": f.end, "score": f.score,
            "rule": f.rule, "line": i.line, "column": i.column, "end_line": i.end_line,
            "end_column": i.end_column, "fingerprint": i.fingerprint} | ({"segment": i.segment} if i.segment else {})


def _error(o: Outcome) -> dict:
    return {"path": o.rel.as_posix(), "reason": o.reason, "detail": o.detail}


def _why(o: Outcome) -> str:
    return o.reason + (f" ({o.detail})" if o.detail else "")


def _summary(report: GateReport) -> str:
    suppressed = ", ".join(f"{n} allowed by {how}" for how, n in sorted(report.suppressed.items()))
    return (f"redactgate: {len(report.findings) + len(report.in_names)} finding(s) in {len(report.scanned)} file(s) scanned, "
            f"{len(report.errors)} not scanned" + (f"; {suppressed}" if suppressed else ""))


# GitHub's workflow-command escaping: data escapes %, CR, LF; properties also ':' and ','.
def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")
