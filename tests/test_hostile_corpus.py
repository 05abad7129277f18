"""The owner's view of issue 6: a corpus of hostile files, one `redact` and one `check` run over it
through the real CLI, and for each file: no planted value survives in any output (the redacted
file, the audit log, the manifest, the report, the output names), or the file is refused with its
named reason and the run exits 2.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hostile_corpus import Case, all_cases, leaks, name_cases, views

CASES = all_cases()
NAMED = {case.name for case in name_cases()}  # their output names are pseudonymised: checked as a group


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("hostile") / "in"
    for case in CASES:
        path = os.path.join(os.fsencode(src), os.fsencode(case.name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(case.data)
    return src


@pytest.fixture(scope="module")
def config(corpus: Path) -> Path:
    path = corpus.parent / "redactgate.toml"
    path.write_text('fallback_encodings = ["cp1252"]\n')
    return path


@pytest.fixture(scope="module")
def redacted(corpus: Path, config: Path) -> dict:
    from conftest import run_cli

    out = corpus.parent / "out"
    result = run_cli("redact", corpus, "--out", out, "--config", config, timeout=900)
    audit = (out / ".redactgate" / "audit.jsonl").read_text(encoding="ascii")
    files = {r["path"]: r for r in map(json.loads, audit.splitlines()) if r["type"] == "file"}
    return {"out": out, "result": result, "audit": audit, "files": files,
            "manifest": (out / ".redactgate" / "manifest.json").read_text()}


@pytest.mark.model
def test_run_exits_2_because_of_the_refusals_only(redacted) -> None:
    assert redacted["result"].returncode == 2, redacted["result"].stdout + redacted["result"].stderr
    refused = {r["path"]: r["reason"] for r in json.loads(redacted["manifest"])["refused"]}
    expected = {c.name: c.expect for c in CASES if c.expect != "redacted"}
    assert refused == expected


@pytest.mark.model
@pytest.mark.parametrize("case", [c for c in CASES if c.name not in NAMED], ids=lambda c: c.name)
def test_each_hostile_file_is_redacted_without_a_leak_or_refused(redacted, case: Case) -> None:
    record = redacted["files"][case.name]
    target = redacted["out"] / record.get("output_path", case.name)
    if case.expect != "redacted":
        assert (record["status"], record["reason"]) == ("refused", case.expect)
        assert not target.exists()
        return
    assert record["status"] == "redacted", record
    assert leaks(case.secrets, views(target.read_bytes())) == []


@pytest.mark.model
def test_hostile_and_personal_names_leak_nothing(redacted) -> None:
    out = redacted["out"]
    written = [p for p in out.rglob("*") if p.is_file() and ".redactgate" not in p.parts]
    names = [p.relative_to(out).as_posix() for p in written]
    for case in name_cases():
        assert leaks(case.secrets, names) == [], case.name
    named_outputs = [p for p in written if p.relative_to(out).as_posix() not in redacted["files"]
                     or p.relative_to(out).as_posix() in {c.name for c in name_cases()}]
    for path in named_outputs:
        assert leaks(tuple(s for c in CASES for s in c.secrets), views(path.read_bytes())) == [], path.name


@pytest.mark.model
def test_audit_manifest_and_console_hold_no_planted_value(redacted) -> None:
    secrets = tuple(s for c in CASES for s in c.secrets)
    result = redacted["result"]
    texts = [redacted["audit"], redacted["manifest"], result.stdout, result.stderr]
    assert leaks(secrets, texts) == []


@pytest.mark.model
def test_gate_reports_hold_no_planted_value_and_fail_closed(corpus: Path, config: Path, cli) -> None:
    report = corpus.parent / "report.sarif"
    result = cli("check", corpus, "--config", config, "--format", "sarif", "--report", report, timeout=900)
    assert result.returncode == 2  # refusals count against the build, never as clean
    sarif = json.loads(report.read_text())
    assert sarif["runs"][0]["results"]
    secrets = tuple(s for c in CASES for s in c.secrets)
    assert leaks(secrets, [report.read_text(), result.stdout, result.stderr]) == []
