"""Golden files: each `tests/golden/<case>.in.txt` with its expected redacted text and audit records,
deterministic under the fixed test key. `REDACTGATE_UPDATE_GOLDEN=1` rewrites the expected files;
review the diff before committing it.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil

import pytest

from conftest import run_cli
from helpers import read_audit

GOLDEN = __import__("pathlib").Path(__file__).parent / "golden"
CASES = sorted(p.name.removesuffix(".in.txt") for p in GOLDEN.glob("*.in.txt"))
UPDATE = os.environ.get("REDACTGATE_UPDATE_GOLDEN") == "1"
# Fields that change with dependency versions or with the chain, not with behaviour.
VOLATILE = {"hash", "prev", "tool_version", "model_version", "spacy", "presidio_analyzer", "config_id"}


def stable(records: list[dict]) -> str:
    return "\n".join(
        json.dumps({k: v for k, v in r.items() if k not in VOLATILE}, sort_keys=True) for r in records
    ) + "\n"


def assert_same(expected_path, actual: str) -> None:
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
        return
    expected = expected_path.read_text(encoding="utf-8")
    if expected != actual:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            str(expected_path), "actual"))
        pytest.fail(f"golden mismatch (REDACTGATE_UPDATE_GOLDEN=1 to accept):\n{diff}")


@pytest.mark.parametrize("case", CASES)
def test_golden(case, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(GOLDEN / f"{case}.in.txt", src / f"{case}.txt")
    config = GOLDEN / f"{case}.toml"
    args = ["--config", config] if config.exists() else ["--config", tmp_path / "empty.toml"]
    (tmp_path / "empty.toml").write_text("")
    out = tmp_path / "out"
    result = run_cli("redact", src, "--out", out, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_same(GOLDEN / f"{case}.out.txt", (out / f"{case}.txt").read_text(encoding="utf-8"))
    assert_same(GOLDEN / f"{case}.audit.jsonl", stable(read_audit(out / ".redactgate" / "audit.jsonl")))


def test_same_input_config_and_key_give_identical_bytes(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(GOLDEN, src, ignore=shutil.ignore_patterns("*.out.txt", "*.jsonl", "*.toml"))
    runs = []
    for name in ("one", "two"):
        out = tmp_path / name
        assert run_cli("redact", src, "--out", out).returncode == 0
        runs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
                     if p.is_file() and p.name != "manifest.json"})
    assert runs[0] == runs[1]
