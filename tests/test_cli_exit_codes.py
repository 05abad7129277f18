"""Exit codes 0 / 2 / 3 of `redact` (and 0 / 1 / 2 of the basic `check`), through the real CLI process."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli
from helpers import read_audit

CLEAN = "The ferry timetable changes in March.\n"
NAMED = "Council leader Margaret Okonkwo-Hale wrote to transport@example.com on Tuesday.\n"


def make_tree(root: Path, files: dict[str, bytes | str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def test_exit_0_when_every_file_is_processed(tmp_path):
    src = make_tree(tmp_path / "in", {"a.txt": NAMED, "sub/b.txt": CLEAN})
    result = run_cli("redact", src, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "sub" / "b.txt").read_text() == CLEAN
    assert "transport@example.com" not in (tmp_path / "out" / "a.txt").read_text()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"),
        ("blob.dat", b"abc\x00\x01\x02" * 10, "binary"),
        ("report.rtf", b"{\\rtf1\\ansi Jos\\'e9 Alvarez}", "unsupported-format"),
        # PDFs are read since the formats package: a broken one is refused under its own reason
        ("report.pdf", b"%PDF-1.7\n%...", "malformed-pdf"),
        ("latin1.txt", "Caf\u00e9 owner Jos\u00e9 Alvarez".encode("latin-1"), "undecodable"),
    ],
)
def test_exit_2_lists_the_file_and_writes_nothing_for_it(tmp_path, name, content, reason):
    src = make_tree(tmp_path / "in", {"ok.txt": NAMED, name: content})
    out = tmp_path / "out"
    result = run_cli("redact", src, "--out", out)
    assert result.returncode == 2
    assert name in result.stdout and reason in result.stdout
    assert not (out / name).exists()
    assert (out / "ok.txt").exists()
    record = next(r for r in read_audit(out / ".redactgate" / "audit.jsonl") if r.get("path") == name)
    assert record["status"] == "refused" and record["reason"] == reason


def test_undecodable_names_the_byte_offset(tmp_path):
    src = make_tree(tmp_path / "in", {"bad.txt": b"fine text then \xff here"})
    result = run_cli("redact", src, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "byte 15" in result.stdout


def test_symlinks_are_not_followed(tmp_path):
    secret = make_tree(tmp_path / "elsewhere", {"secret.txt": NAMED})
    src = make_tree(tmp_path / "in", {"ok.txt": CLEAN})
    os.symlink(secret / "secret.txt", src / "link.txt")
    os.symlink(secret, src / "linkdir")
    out = tmp_path / "out"
    result = run_cli("redact", src, "--out", out)
    assert result.returncode == 2
    assert "link.txt: symlink" in result.stdout and "linkdir: symlink" in result.stdout
    assert not (out / "link.txt").exists() and not (out / "linkdir").exists()


def test_too_large_is_refused(tmp_path):
    src = make_tree(tmp_path / "in", {"big.txt": "x" * 2000, "ok.txt": CLEAN})
    (tmp_path / "redactgate.toml").write_text("[limits]\nmax_file_bytes = 1000\n")
    result = run_cli("redact", src, "--out", tmp_path / "out", "--config", tmp_path / "redactgate.toml")
    assert result.returncode == 2 and "big.txt: too-large" in result.stdout


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('profile = "default"\nentitis = ["PERSON"]\n', "entitis"),
        ('model = "no_such_model_installed"\n', "not installed"),
        ('operator = "shred"\n', "operator"),
        ('[allow]\npatterns = ["(unclosed"]\n', "allow.patterns"),
    ],
)
def test_exit_3_on_config_or_environment_error_before_any_file_is_read(tmp_path, config, message):
    src = make_tree(tmp_path / "in", {"a.txt": NAMED})
    (tmp_path / "redactgate.toml").write_text(config)
    out = tmp_path / "out"
    result = run_cli("redact", src, "--out", out, "--config", tmp_path / "redactgate.toml")
    assert result.returncode == 3
    assert message in result.stderr
    assert not out.exists()


def test_exit_3_on_bad_rule_file(tmp_path):
    rules = make_tree(tmp_path / "rules", {"bad.yaml": "rules:\n  - id: Bad_Id\n    entity: X\n    patern: []\n"})
    (tmp_path / "redactgate.toml").write_text(f'rule_dirs = ["{rules}"]\n')
    src = make_tree(tmp_path / "in", {"a.txt": CLEAN})
    result = run_cli("redact", src, "--out", tmp_path / "out", "--config", tmp_path / "redactgate.toml")
    assert result.returncode == 3 and "invalid rule file" in result.stderr


@pytest.mark.parametrize("inside", ["out_in_src", "src_in_out", "same"])
def test_exit_3_when_output_and_input_overlap(tmp_path, inside):
    src = make_tree(tmp_path / "in", {"a.txt": CLEAN})
    out = {"out_in_src": src / "clean", "src_in_out": tmp_path, "same": src}[inside]
    result = run_cli("redact", src, "--out", out)
    assert result.returncode == 3 and "overlap" in result.stderr
    assert sorted(p.name for p in src.rglob("*")) == ["a.txt"]


def test_exit_3_on_usage_errors(tmp_path):
    assert run_cli("redact", tmp_path).returncode == 3  # --out missing
    assert run_cli("redact", tmp_path / "missing", "--out", tmp_path / "o").returncode == 3
    assert run_cli("no-such-command").returncode == 3


def test_originals_are_untouched(tmp_path):
    src = make_tree(tmp_path / "in", {"a.txt": NAMED})
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in src.rglob("*")}
    assert run_cli("redact", src, "--out", tmp_path / "out").returncode == 0
    assert before == {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in src.rglob("*")}


def test_check_json_reports_findings_and_writes_nothing(tmp_path):
    src = make_tree(tmp_path / "in", {"a.txt": NAMED, "b.txt": CLEAN})
    result = run_cli("check", src, "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    entities = {f["entity_type"] for f in report["findings"]}
    assert {"PERSON", "EMAIL_ADDRESS"} <= entities
    for f in report["findings"]:
        assert set(f) >= {"path", "entity_type", "start", "end", "score", "rule"}
        assert f["path"].endswith("a.txt")
    assert NAMED[report["findings"][-1]["start"]:report["findings"][-1]["end"]] == "transport@example.com"
    assert report["errors"] == []
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.txt", "b.txt", "in"]


def test_check_exit_0_when_clean_and_2_when_incomplete(tmp_path):
    src = make_tree(tmp_path / "in", {"b.txt": CLEAN})
    assert run_cli("check", src).returncode == 0
    make_tree(src, {"c.bin": b"\x00\x01binary"})
    result = run_cli("check", src, "--format", "json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["errors"][0]["reason"] == "binary"


def _run_entry_point(tmp_path: Path, argv: list[str], before: str = "") -> "subprocess.CompletedProcess[str]":
    """`cli.run`, the console script's entry point, in a fresh interpreter with `before` run first."""
    import subprocess
    import sys

    from conftest import cli_env

    code = f"import sys\n{before}\nsys.argv = {['redactgate', *argv]!r}\nfrom redactgate.cli import run\nrun()\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env(), cwd=tmp_path,
                          timeout=120)


def test_entry_point_skips_teardown_but_runs_exit_handlers_flushes_and_keeps_the_code(tmp_path):
    listed = _run_entry_point(tmp_path, ["rules", "list"], "import atexit\natexit.register(print, 'exit handler ran')")
    assert listed.returncode == 0, listed.stderr
    assert "street-address" in listed.stdout and listed.stdout.endswith("exit handler ran\n")
    missing = _run_entry_point(tmp_path, ["audit", "verify", "no-such-log.jsonl"])
    assert missing.returncode == 3 and "no-such-log.jsonl" in missing.stderr


def test_entry_point_waits_for_a_running_thread(tmp_path):
    """Another thread still running (Ray's driver): the normal exit, which waits for it."""
    before = ("import threading, time, pathlib\n"
              "def late():\n    time.sleep(0.5)\n    pathlib.Path('late.txt').write_text('done')\n"
              "threading.Thread(target=late).start()")
    done = _run_entry_point(tmp_path, ["rules", "list"], before)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "late.txt").read_text() == "done"
