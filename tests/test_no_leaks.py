"""Scan everything the tool writes (outputs' side files, summary, JSON, errors) for redacted values."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, run_cli
from helpers import all_output_text, read_audit


def planted_values(src: Path, out: Path) -> set[str]:
    """Every value the run replaced, read back through the audit offsets."""
    values = set()
    for record in read_audit(out / ".redactgate" / "audit.jsonl"):
        if record["type"] == "finding":
            text = (src / record["path"]).read_text(encoding="utf-8")
            values.add(text[record["start"]:record["end"]])
    return values


def test_no_redacted_value_in_audit_manifest_summary_or_check_output(tmp_path):
    src = tmp_path / "examples"
    shutil.copytree(REPO / "examples", src)
    (src / "broken.txt").write_bytes(b"Helen Marsh \xff helen.marsh@example.com")
    out = tmp_path / "out"
    redact = run_cli("redact", src, "--out", out)
    assert redact.returncode == 2  # broken.txt is refused and listed
    check_json = run_cli("check", src, "--format", "json")
    check_text = run_cli("check", src)
    values = planted_values(src, out)
    assert {"Helen Marsh", "helen.marsh@example.com", "AKIAIOSFODNN7EXAMPLE"} <= values
    surfaces = {
        "audit and manifest": all_output_text(out / ".redactgate"),
        "redact summary": redact.stdout + redact.stderr,
        "check json": check_json.stdout + check_json.stderr,
        "check text": check_text.stdout + check_text.stderr,
    }
    for name, surface in surfaces.items():
        leaked = sorted(v for v in values if len(v) >= 4 and v in surface)
        assert not leaked, f"{name} contains {len(leaked)} redacted value(s)"


def test_redacted_outputs_do_not_contain_the_values(tmp_path):
    src = tmp_path / "examples"
    shutil.copytree(REPO / "examples", src)
    out = tmp_path / "out"
    assert run_cli("redact", src, "--out", out).returncode == 0
    values = planted_values(src, out)
    outputs = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*") if p.is_file()
               and ".redactgate" not in p.parts}
    for rel, text in outputs.items():
        assert not [v for v in values if len(v) >= 4 and v in text], rel


def test_internal_errors_print_the_type_never_the_message(monkeypatch, capsys):
    from redactgate import cli, gate

    def explode(*args, **kwargs):
        raise ValueError("helen.marsh@example.com is in this message")

    monkeypatch.setattr(gate, "run_gate", explode)  # `check` runs the gate
    assert cli.main(["check", str(REPO / "README.md")]) == 3
    captured = capsys.readouterr()
    assert "ValueError" in captured.err
    assert "helen.marsh" not in captured.out + captured.err
