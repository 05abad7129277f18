"""The execution seam: a process pool gives the same outputs and audit as one process, and a file
that fails inside a worker is reported (exit 2), never dropped."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path, PurePosixPath

import pytest

from conftest import REPO

pytestmark = pytest.mark.model

FILLER = "The harbour committee met again on Thursday to review the ferry timetable and the budget. "


def make_inputs(folder: Path, docs: int = 4) -> Path:
    """Example documents, each padded past the pool's minimum batch size, plus one binary file."""
    examples = sorted(p for p in (REPO / "examples").rglob("*") if p.is_file())
    for index in range(docs):
        source = examples[index % len(examples)]
        text = source.read_text(encoding="utf-8") + "\n" + FILLER * 200
        target = folder / f"doc-{index}" / source.name
        target.parent.mkdir(parents=True)
        target.write_text(text, encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return folder


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


def test_jobs_2_gives_the_same_outputs_and_audit_as_jobs_1(tmp_path: Path, cli) -> None:
    inputs = make_inputs(tmp_path / "in")
    one = cli("redact", inputs, "--out", tmp_path / "one", "--jobs", "1")
    two = cli("redact", inputs, "--out", tmp_path / "two", "--jobs", "2")
    assert one.returncode == two.returncode == 2, one.stderr + two.stderr  # the PNG is refused
    assert "image.png: binary" in two.stdout
    outputs = tree(tmp_path / "one")
    assert outputs == tree(tmp_path / "two")  # redacted files and audit log, byte for byte
    assert sum(name.startswith("doc-") for name in outputs) == 4
    assert "<PERSON_1>" in outputs["doc-0/customers.csv"].decode()
    assert cli("audit", "verify", tmp_path / "two" / ".redactgate" / "audit.jsonl").returncode == 0


def test_pool_really_uses_two_workers(tmp_path: Path) -> None:
    from redactgate.discover import discover
    from redactgate.pipeline import plan_batches

    found, _ = discover([make_inputs(tmp_path / "in")])
    planned, workers = plan_batches(found, 2)
    assert workers == 2 and len(planned) >= 2


def test_batches_shrink_towards_the_end_so_workers_finish_together(tmp_path: Path) -> None:
    from redactgate.discover import discover
    from redactgate.pipeline import MIN_POOL_BATCH_CHARS, plan_batches

    for index in range(120):
        (tmp_path / f"{index:03}.txt").write_text(FILLER * 60, encoding="utf-8")  # 5.6 KB each
    found, _ = discover([tmp_path])
    planned, workers = plan_batches(found, 2)
    assert workers == 2 and [s for batch in planned for s in batch] == found  # each file once, in order
    sizes = [sum(s.path.stat().st_size for s in batch) for batch in planned]
    assert sizes[0] >= 4 * sizes[-1] and sizes[-1] < 2 * MIN_POOL_BATCH_CHARS
    assert all(later <= earlier for earlier, later in zip(sizes, sizes[1:-1]))  # the last one takes what is left


def _patched_decode(original):
    def decode(data: bytes, *args, **kwargs):
        if b"TRIGGER-INTERNAL-ERROR" in data:
            raise RuntimeError("document text that must not be shown")
        if b"TRIGGER-WORKER-EXIT" in data:
            os._exit(13)  # a worker killed mid-batch (out of memory, signal)
        return original(data, *args, **kwargs)
    return decode


@pytest.mark.parametrize("trigger,reason", [("TRIGGER-INTERNAL-ERROR", "internal-error"),
                                            ("TRIGGER-WORKER-EXIT", "worker-failed")])
def test_a_file_failing_in_a_worker_is_reported(tmp_path: Path, monkeypatch, test_key, trigger, reason) -> None:
    import redactgate.pipeline as pipeline
    from redactgate.config import Config

    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("workers see the patched decoder only when forked")
    inputs = make_inputs(tmp_path / "in")
    bad = inputs / "doc-1" / "bad.txt"
    bad.write_text(f"Contact Jane Roe. {trigger}\n" + FILLER * 200, encoding="utf-8")
    monkeypatch.setattr(pipeline, "decode", _patched_decode(pipeline.decode))
    report = pipeline.run_redact([inputs], tmp_path / "out", Config(), test_key, jobs=2)
    by_path = {o.rel.as_posix(): o for o in report.outcomes}
    assert len(by_path) == 6  # four documents, the bad one, the PNG: none dropped
    assert by_path["doc-1/bad.txt"].reason == reason
    assert "document text" not in by_path["doc-1/bad.txt"].detail
    assert not (tmp_path / "out" / "doc-1" / "bad.txt").exists()
    audit = [json.loads(line) for line in (tmp_path / "out" / ".redactgate" / "audit.jsonl").read_text().splitlines()]
    assert {"path": "doc-1/bad.txt", "status": "refused", "reason": reason}.items() <= next(
        r for r in audit if r.get("path") == "doc-1/bad.txt").items()
    if reason == "internal-error":  # only the failing file is refused; the rest of its batch went on
        assert [path for path, o in by_path.items() if not o.ok] == ["doc-1/bad.txt", "image.png"]


def test_workers_are_forked_after_the_first_use_loads() -> None:
    """The parent warms its processor up before forking, so what detection loads on first use is
    loaded once, not once per worker. In a fresh process: nothing loaded before, all of it after."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from redactgate.config import Config\n"
        "from redactgate.executor import PoolExecutor, Task\n"
        "from redactgate.keys import RunKey\n"
        "from redactgate.pipeline import Processor\n"
        "from redactgate.boosters import lexicon\n"
        "import tldextract.tldextract as t\n"
        "key = RunKey(b'test-key-not-secret-000000000000', 'env:TEST')\n"
        "processor = Processor(Config(), key)\n"
        "def loaded():\n"
        "    return (lexicon.given_names.cache_info().currsize, lexicon.zipf.cache_info().currsize > 0,\n"
        "            'wordfreq' in sys.modules, t.TLD_EXTRACTOR._extractor is not None)\n"
        "print(loaded())\n"
        "pool = PoolExecutor(Task(Config(), key, True), 2, processor)\n"
        "print(loaded())\n"
        "pool.close()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[:2] == ["(0, False, False, False)", "(1, True, True, True)"]


def _path_texts() -> list[str]:
    """What `paths.name_findings` screens: folders one per line, then the file stem."""
    names = ["Jane Roe", "jane.roe@example.com", "call (202) 555-0142", "Sven Example-Berg", "minutes"]
    return [f"team-{i % 7}\n{names[i % len(names)]} notes {i}" for i in range(150)]


def _spans(screened) -> list[list[tuple]]:
    return [[(f.start, f.end, f.entity_type, f.rule) for f in s.findings] for s in screened]


def test_names_screened_by_the_workers_are_the_names_screened_in_one_process(processor, test_key) -> None:
    """`redact` screens its inputs' path names in its workers, in chunks: the same findings as one
    `screen` call over all of them in this process."""
    from redactgate.config import Config
    from redactgate.executor import PoolExecutor, SerialExecutor, Task

    task = Task(Config(), test_key, True)
    texts = _path_texts()  # three chunks for two workers
    here = SerialExecutor(processor, task).screen_texts(texts)
    pool = PoolExecutor(task, 2, processor)
    try:
        assert _spans(pool.screen_texts(texts)) == _spans(here)
    finally:
        pool.close()
    types = {f.entity_type for s in here for f in s.findings}
    assert {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"} <= types


def test_names_are_screened_in_this_process_when_a_worker_dies(processor, test_key, monkeypatch) -> None:
    import redactgate.executor as executor
    from redactgate.config import Config
    from redactgate.discover import Source

    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("workers see the patched function only when forked")
    parent, original = os.getpid(), executor._screen_many

    def dies_in_a_worker(proc, texts):
        if os.getpid() != parent:
            os._exit(13)  # a worker killed mid-task (out of memory, signal)
        return original(proc, texts)

    monkeypatch.setattr(executor, "_screen_many", dies_in_a_worker)
    task = executor.Task(Config(), test_key, True)
    texts = _path_texts()
    pool = executor.PoolExecutor(task, 2, processor)
    try:
        assert _spans(pool.screen_texts(texts)) == _spans(original(processor, texts))
        # the files that follow are refused, not lost, and the run goes on to report them
        sources = [Source(PurePosixPath("a.txt"), Path("/nonexistent/a.txt"))]
        outcomes = [o for batch in pool.map([sources]) for o in batch]
        assert [(o.rel.as_posix(), o.reason) for o in outcomes] == [("a.txt", "worker-failed")]
    finally:
        pool.close()


# `check` (the gate) spreads large inputs over the same workers; this process reads every file.

def test_check_with_two_workers_reports_what_one_process_reports(tmp_path: Path, cli) -> None:
    inputs = make_inputs(tmp_path / "in")
    (inputs / "doc-2" / "Jane Roe.txt").write_text("minutes\n", encoding="utf-8")  # a name in a path
    one = cli("check", "in", "--format", "json", "--jobs", "1", cwd=tmp_path)
    two = cli("check", "in", "--format", "json", "--jobs", "2", cwd=tmp_path)
    assert one.returncode == two.returncode == 2, one.stderr + two.stderr  # the PNG is not scanned
    assert one.stdout == two.stdout
    report = json.loads(two.stdout)
    assert report["files_scanned"] == 5 and len(report["findings"]) > 10
    assert {f["entity_type"] for f in report["findings"]} >= {"PERSON", "EMAIL_ADDRESS"}
    assert [n["path"] for n in report["name_findings"]] == ["in/doc-2/Jane Roe.txt"]
    assert [(e["path"], e["reason"]) for e in report["errors"]] == [("in/image.png", "binary")]


def test_check_workers_screen_the_staged_bytes_not_the_working_tree(tmp_path: Path, cli) -> None:
    from gitutil import commit_all, git, init_repo
    from redactgate.discover import Source
    from redactgate.pipeline import plan_batches

    repo = init_repo(tmp_path / "repo")
    (repo / "a.txt").write_text(FILLER * 200, encoding="utf-8")
    commit_all(repo, "initial")
    (repo / "a.txt").write_text(FILLER * 200 + "\nWrite to jane.roe@example.com\n", encoding="utf-8")
    (repo / "b.txt").write_text(FILLER * 200, encoding="utf-8")
    git(repo, "add", "-A")
    (repo / "a.txt").write_text(FILLER * 201, encoding="utf-8")  # cleaned, not re-staged
    _, workers = plan_batches([Source(PurePosixPath(n), repo / n) for n in ("a.txt", "b.txt")], 2)
    assert workers == 2  # the pool really starts for these two files
    done = cli("check", "--staged", "--format", "json", "--jobs", "2", cwd=repo)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert [(f["path"], f["line"], f["entity_type"]) for f in findings] == [("a.txt", 2, "EMAIL_ADDRESS")]


def test_check_lists_a_file_whose_worker_died(tmp_path: Path, monkeypatch, test_key) -> None:
    import redactgate.pipeline as pipeline
    from redactgate.config import Config
    from redactgate.gate import GateRequest, run_gate

    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("workers see the patched decoder only when forked")
    inputs = make_inputs(tmp_path / "in")
    (inputs / "doc-3" / "bad.txt").write_text("Contact Jane Roe. TRIGGER-WORKER-EXIT\n" + FILLER * 200, encoding="utf-8")
    parent, original = os.getpid(), pipeline.decode

    def decode(data: bytes, *args, **kwargs):
        if b"TRIGGER-WORKER-EXIT" in data and os.getpid() != parent:
            os._exit(13)  # a worker killed mid-batch (out of memory, signal)
        return original(data, *args, **kwargs)

    monkeypatch.setattr(pipeline, "decode", decode)
    report = run_gate(GateRequest((inputs,)), Config(), test_key, jobs=2)
    assert report.exit_code == 2
    refused = {o.rel.as_posix(): o.reason for o in report.errors}
    assert refused[f"{inputs.as_posix()}/doc-3/bad.txt"] == "worker-failed"
    # every file is either scanned or listed as not scanned: none is lost
    assert len(report.scanned) + len(report.errors) == 6
