"""Faults (issue 6): killed runs, a second concurrent run, a full disk, a tampered audit log, determinism.

Every case runs the real CLI process; faults are injected by `fault_cli.py` (a real SIGKILL, a real
ENOSPC from the write), never by hooks in the product.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import cli_env

HARNESS = Path(__file__).with_name("fault_cli.py")
FILES = {
    "a.txt": "Jane Roe wrote from jane.roe@example.com.\n",
    "sub/b.txt": "Call John Doe at +1 202-555-0147 tomorrow.\r\n",
    "sub/c.txt": "Nothing personal here at all.\n",
}


def run_with_fault(fault: str, n: int, *args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(HARNESS), fault, str(n), *map(str, args)],
                          env=cli_env(), capture_output=True, text=True, timeout=300)


def make_inputs(root: Path) -> Path:
    src = root / "in"
    for rel, text in FILES.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8", newline="")
    return src


def tree(out: Path) -> dict[str, bytes]:
    """Every file under the output root except the manifest (it holds times and the output path)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    from conftest import run_cli

    root = tmp_path_factory.mktemp("reference")
    src = make_inputs(root)
    result = run_cli("redact", src, "--out", root / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    return src, tree(root / "out")


@pytest.mark.model
@pytest.mark.parametrize("n", [1, 4])  # before the first output / before the audit log (3 outputs written)
def test_killed_run_then_rerun_equals_uninterrupted(cli, reference, tmp_path: Path, n: int) -> None:
    src, expected = reference
    out = tmp_path / "out"
    killed = run_with_fault("kill-at-replace", n, "redact", src, "--out", out)
    assert killed.returncode == -9
    assert list(out.rglob("*.redactgate-tmp")), "the kill should leave a temp file behind"
    assert (out / ".redactgate" / "journal.jsonl").exists()
    rerun = cli("redact", src, "--out", out)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert tree(out) == expected  # byte-identical outputs and audit log; no temp file, no journal


@pytest.mark.model
def test_rerun_removes_output_of_killed_run_it_does_not_produce(cli, tmp_path: Path) -> None:
    src, out = make_inputs(tmp_path), tmp_path / "out"
    assert run_with_fault("kill-at-replace", 3, "redact", src, "--out", out).returncode == -9
    assert (out / "sub" / "b.txt").exists()  # written by the killed run
    (src / "sub" / "b.txt").write_bytes(b"now undecodable \xff\n")
    rerun = cli("redact", src, "--out", out)
    assert rerun.returncode == 2 and "sub/b.txt: undecodable" in rerun.stdout
    assert not (out / "sub" / "b.txt").exists()


@pytest.mark.model
def test_second_concurrent_run_is_refused_by_the_lock(cli, tmp_path: Path) -> None:
    src, out = make_inputs(tmp_path), tmp_path / "out"
    (out / ".redactgate").mkdir(parents=True)
    with open(out / ".redactgate" / "lock", "a") as held:  # another live run holds it
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        refused = cli("redact", src, "--out", out)
    assert refused.returncode == 3 and "lock held" in refused.stderr
    assert not (out / "a.txt").exists()
    assert cli("redact", src, "--out", out).returncode == 0  # released with the holder


@pytest.mark.model
def test_full_disk_leaves_no_partial_file_under_a_final_name(cli, tmp_path: Path) -> None:
    src, out = make_inputs(tmp_path), tmp_path / "out"
    result = run_with_fault("enospc", 2, "redact", src, "--out", out)  # outputs are written in path order
    assert result.returncode == 2, result.stdout + result.stderr
    assert "sub/b.txt: write-failed (No space left on device)" in result.stdout
    assert not (out / "sub" / "b.txt").exists()
    assert not list(out.rglob("*.redactgate-tmp"))
    assert (out / "a.txt").exists() and (out / "sub" / "c.txt").exists()
    assert cli("audit", "verify", out / ".redactgate" / "audit.jsonl").returncode == 0


@pytest.mark.model
def test_full_disk_under_the_audit_log_stops_with_exit_3_and_no_log(tmp_path: Path) -> None:
    src, out = make_inputs(tmp_path), tmp_path / "out"
    result = run_with_fault("enospc-audit", 1, "redact", src, "--out", out)
    assert result.returncode == 3 and "audit log could not be written: No space left on device" in result.stderr
    assert not (out / ".redactgate" / "audit.jsonl").exists() and not list(out.rglob("*.redactgate-tmp"))
    assert (out / ".redactgate" / "journal.jsonl").exists()  # so the next run knows this one did not finish


@pytest.mark.model
def test_output_root_that_is_a_file_is_an_environment_error(cli, tmp_path: Path) -> None:
    src, out = make_inputs(tmp_path), tmp_path / "out"
    out.write_text("not a folder\n")
    result = cli("redact", src, "--out", out)
    assert result.returncode == 3 and "cannot write to output folder" in result.stderr
    assert out.read_text() == "not a folder\n"


@pytest.mark.model
def test_unwritable_output_folder_refuses_the_file(cli, tmp_path: Path) -> None:
    src, out = make_inputs(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / "sub").write_text("a file where the output needs a folder\n")  # root ignores chmod; this is not
    result = cli("redact", src, "--out", out)
    assert result.returncode == 2
    assert "sub/b.txt: write-failed" in result.stdout and "sub/c.txt: write-failed" in result.stdout
    assert (out / "sub").read_text() == "a file where the output needs a folder\n"


# --- the audit log's hash chain: `audit verify` names the first bad record ---

@pytest.fixture(scope="module")
def audit_lines(reference, tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    _, files = reference
    return files[".redactgate/audit.jsonl"].splitlines(keepends=True)


def _flip(lines: list[bytes]) -> list[bytes]:
    lines = list(lines)
    lines[2] = lines[2].replace(b'"start":', b'"start":1', 1)  # one more digit in an offset
    return lines


TAMPERING = {
    "flipped": (_flip, "line 3: content does not match its hash"),
    "deleted": (lambda ls: ls[:3] + ls[4:], "line 4: record out of sequence"),
    "reordered": (lambda ls: ls[:3] + [ls[4], ls[3]] + ls[5:], "line 4: record out of sequence"),
    "truncated": (lambda ls: ls[:-1], "log is truncated (no end record)"),
    "cut-mid-line": (lambda ls: ls[:-1] + [ls[-1][:40]], "not valid JSON"),
}


def test_audit_verify_accepts_the_untouched_log(cli, audit_lines: list[bytes], tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    log.write_bytes(b"".join(audit_lines))
    result = cli("audit", "verify", log)
    assert result.returncode == 0 and "chain intact" in result.stdout


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_audit_verify_names_first_bad_record(cli, audit_lines: list[bytes], tmp_path: Path, case: str) -> None:
    tamper, message = TAMPERING[case]
    log = tmp_path / "audit.jsonl"
    log.write_bytes(b"".join(tamper(audit_lines)))
    result = cli("audit", "verify", log)
    assert result.returncode == 1 and message in result.stdout


@pytest.mark.model
def test_same_input_config_key_give_identical_bytes(cli, tmp_path: Path) -> None:
    src = make_inputs(tmp_path)
    config = tmp_path / "redactgate.toml"
    config.write_text('operator = "hmac"\n')
    first = cli("redact", src, "--out", tmp_path / "o1", "--config", config)
    second = cli("redact", src, "--out", tmp_path / "o2", "--config", config)
    assert first.returncode == second.returncode == 0
    assert tree(tmp_path / "o1") == tree(tmp_path / "o2")
    assert b"PERSON_" in tree(tmp_path / "o1")["a.txt"]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_file_larger_than_its_stat_size_is_refused_not_truncated() -> None:
    from redactgate.errors import FileRefused
    from redactgate.pipeline import read_limited

    with pytest.raises(FileRefused) as refused:  # /proc files report size 0 and hold more: as a file growing
        read_limited(Path("/proc/self/status"), limit=10)
    assert refused.value.reason == "too-large"
