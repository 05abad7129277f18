"""SARIF 2.1.0 for code-scanning services: rules, locations, stable fingerprints, never a snippet.

Columns count Unicode code points of the decoded text (`columnKind`), like the JSON offsets.
Files that were not scanned become error notifications and mark the invocation unsuccessful.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import __version__
from .gate import GateReport, Located
from .pipeline import Outcome

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_NAME = "redactgateFinding/v1"


def to_sarif(report: GateReport) -> dict[str, Any]:
    rule_ids = sorted({item.finding.rule for item in report.findings})
    run = {
        "tool": {"driver": {
            "name": "redactgate",
            "version": __version__,
            "rules": [_rule(rule) for rule in rule_ids],
        }},
        "columnKind": "unicodeCodePoints",
        "invocations": [{
            "executionSuccessful": not report.errors,
            "toolExecutionNotifications": [_not_scanned(o) for o in report.errors],
        }],
        "results": [_result(item, rule_ids.index(item.finding.rule)) for item in report.findings],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule(rule: str) -> dict[str, Any]:
    return {
        "id": rule,
        "shortDescription": {"text": f"Sensitive value found by redactgate rule {rule}"},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["privacy", "pii"]},
    }


def _result(item: Located, rule_index: int) -> dict[str, Any]:
    f = item.finding
    return {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": "error",
        "kind": "fail",
        "message": {"text": f"{f.entity_type} found by {f.rule} (score {f.score}); the value is not shown. "
                            f"Fingerprint {item.fingerprint}."},
        "locations": [{"physicalLocation": {
            "artifactLocation": artifact(item.path),
            "region": {
                "startLine": item.line, "startColumn": item.column,
                "endLine": item.end_line, "endColumn": item.end_column,
                "charOffset": f.start, "charLength": f.end - f.start,
            },
        }}],
        "partialFingerprints": {FINGERPRINT_NAME: f"{item.fingerprint}:{item.occurrence}"},
        "properties": {"entityType": f.entity_type, "score": f.score},
    }


def _not_scanned(outcome: Outcome) -> dict[str, Any]:
    return {
        "level": "error",
        "descriptor": {"id": outcome.reason},
        "message": {"text": f"not scanned: {outcome.reason}" + (f" ({outcome.detail})" if outcome.detail else "")},
        "locations": [{"physicalLocation": {"artifactLocation": artifact(outcome.rel.as_posix())}}],
    }


def artifact(path: str) -> dict[str, str]:
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path), "uriBaseId": "%SRCROOT%"}
