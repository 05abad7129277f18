"""SARIF 2.1.0 validity and the baseline round trip, through the real CLI (no model needed)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import SHARED

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"  # vendored OASIS schema
EMAIL = "jane.roe@example.com"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "redactgate.toml").write_text('disable = ["PERSON"]\n')
    return tmp_path


def test_vendored_schema_is_the_shared_one() -> None:
    shared = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not shared.is_file():
        pytest.skip("../shared/schemas is absent")
    assert json.loads(SCHEMA.read_text()) == json.loads(shared.read_text())


def test_sarif_validates_and_holds_no_value(cli, work: Path) -> None:
    (work / "dir with space").mkdir()
    (work / "dir with space" / "mail.txt").write_text(f"One\nMail {EMAIL} or call 212-555-0142 today\n")
    (work / "blob.bin").write_bytes(b"\x00\x01binary")
    done = cli("check", "dir with space", "blob.bin", "--format", "sarif", cwd=work)
    assert done.returncode == 2, done.stderr
    sarif = json.loads(done.stdout)
    validator = jsonschema.Draft4Validator(json.loads(SCHEMA.read_text()),
                                           format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(sarif), key=str)
    assert not errors, errors[0]
    assert EMAIL not in done.stdout and "555-0142" not in done.stdout and "jane" not in done.stdout.lower()
    [run] = sarif["runs"]
    results = run["results"]
    assert {r["ruleId"] for r in results} == {r["id"] for r in run["tool"]["driver"]["rules"]}
    email = next(r for r in results if r["properties"]["entityType"] == "EMAIL_ADDRESS")
    region = email["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (2, 6, 6 + len(EMAIL))
    assert email["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dir%20with%20space/mail.txt"
    assert all("snippet" not in json.dumps(r) for r in results)
    assert run["invocations"][0]["executionSuccessful"] is False
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "binary"
    assert all(len(r["partialFingerprints"]["redactgateFinding/v1"]) == 34 for r in results)  # 32 hex + ":n"


def test_baseline_round_trip(cli, work: Path) -> None:
    notes = work / "notes.md"
    notes.write_text(f"# Notes\n\nThe venue contact is {EMAIL}.\n")
    assert cli("baseline", "update", "notes.md", cwd=work).returncode == 0
    raw = (work / ".redactgate-baseline.json").read_text()
    data = json.loads(raw)
    assert EMAIL not in raw and "line" not in raw and "time" not in raw
    assert [(e["path"], e["entity_type"]) for e in data["findings"]] == [("notes.md", "EMAIL_ADDRESS")]
    assert cli("baseline", "update", "notes.md", cwd=work).returncode == 0
    assert (work / ".redactgate-baseline.json").read_text() == raw  # no churn when nothing changed

    notes.write_text(f"# Notes\n\nAn unrelated paragraph.\nAnother line.\n\nThe venue contact is {EMAIL}.\n")
    done = cli("check", "notes.md", "--baseline", ".redactgate-baseline.json", cwd=work)
    assert done.returncode == 0, done.stdout
    assert "1 allowed by baseline" in done.stdout

    notes.write_text(notes.read_text() + "Billing: billing.team@example.com\n")
    done = cli("check", "notes.md", "--baseline", ".redactgate-baseline.json", "--format", "json", cwd=work)
    assert done.returncode == 1
    assert [f["line"] for f in json.loads(done.stdout)["findings"]] == [7]


def test_baseline_needs_the_same_stable_key(cli, work: Path) -> None:
    (work / "notes.md").write_text(f"Contact {EMAIL}\n")
    done = cli("baseline", "update", "notes.md", cwd=work, env={"REDACTGATE_KEY": ""})
    assert done.returncode == 3 and "REDACTGATE_KEY" in done.stderr
    assert not (work / ".redactgate-baseline.json").exists()
    assert cli("baseline", "update", "notes.md", cwd=work).returncode == 0
    done = cli("check", "notes.md", "--baseline", ".redactgate-baseline.json", cwd=work,
               env={"REDACTGATE_KEY": "another-key-not-secret"})
    assert done.returncode == 3 and "different key" in done.stderr
