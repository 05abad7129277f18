"""The Ray engine in Ray's local mode (2 CPUs): the same bytes and audit as the local engine,
order kept across actors, a dead actor failing its files closed, and the Dataset entry point."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

import pytest

from conftest import run_cli
from helpers import read_audit

ray = pytest.importorskip("ray", reason="the optional extra redactgate[ray] is not installed")
pytestmark = [pytest.mark.ray, pytest.mark.model]

NAMED = "Council leader Margaret Okonkwo-Hale wrote to transport@example.com on Tuesday.\n"
FILES: dict[str, bytes] = {
    "a.txt": NAMED.encode(),
    "b/c.txt": ("Ferry captain Tobias Lindqvist-Marsh can be reached at 555-0147. " * 40 + "\n").encode(),
    "b/d.txt": "The ferry timetable changes in March.\n".encode(),
    "e.txt": "Invoices go to billing@example.com or to Priya Ramaswamy-Oduya.\n".encode(),
    "bad.txt": b"fine text then \xff here",  # undecodable: refused by both engines
    "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
}


def make_tree(root: Path, files: dict[str, bytes]) -> Path:
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)
    return root


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".redactgate" not in p.parts}


@pytest.fixture(scope="module")
def ray_address():
    """One local Ray instance for the module (Ray takes seconds to start); the CLI joins it."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("ray")
    src = make_tree(root / "in", FILES)
    local = run_cli("redact", src, "--out", root / "local", "--jobs", "2")
    assert local.returncode == 2, local.stderr
    return src, root / "local", local


@pytest.mark.parametrize("join", [False, True], ids=["starts-local-ray", "joins-address"])
def test_ray_engine_writes_what_the_local_engine_writes(corpus, ray_address, tmp_path, join):
    src, local_out, local = corpus
    address = ["--address", ray_address] if join else []
    result = run_cli("redact", src, "--out", tmp_path / "out", "--engine", "ray", *address)
    assert result.returncode == 2, result.stderr
    assert "bad.txt: undecodable" in result.stdout and "image.txt: binary" in result.stdout
    assert tree_bytes(tmp_path / "out") == tree_bytes(local_out)
    assert sorted(tree_bytes(local_out)) == ["a.txt", "b/c.txt", "b/d.txt", "e.txt"]
    # No run-specific field in the audit log (times go to the manifest): the same bytes.
    audit = (tmp_path / "out" / ".redactgate" / "audit.jsonl").read_bytes()
    assert audit == (local_out / ".redactgate" / "audit.jsonl").read_bytes()
    assert run_cli("audit", "verify", tmp_path / "out" / ".redactgate" / "audit.jsonl").returncode == 0


def test_address_without_ray_and_corpus_numbering_with_ray_are_usage_errors(tmp_path):
    src = make_tree(tmp_path / "in", {"a.txt": NAMED.encode()})
    result = run_cli("redact", src, "--out", tmp_path / "out", "--address", "127.0.0.1:6379")
    assert result.returncode == 3 and "--engine ray" in result.stderr
    assert not (tmp_path / "out").exists()
    # corpus numbering is one counter in one process: refused, never numbered per actor
    result = run_cli("redact", src, "--out", tmp_path / "out", "--engine", "ray", "--numbering", "corpus")
    assert result.returncode == 3 and "--engine local" in result.stderr
    assert not (tmp_path / "out").exists()


def test_without_the_extra_ray_is_a_clear_environment_error(tmp_path):
    shadow = make_tree(tmp_path / "shadow", {"ray/__init__.py": b"raise ImportError('no ray here')\n"})
    src = make_tree(tmp_path / "in", {"a.txt": NAMED.encode()})
    env = {"PYTHONPATH": f"{shadow}:{Path(__file__).parents[1] / 'src'}"}
    result = run_cli("redact", src, "--out", tmp_path / "out", "--engine", "ray", env=env)
    assert result.returncode == 3 and "redactgate[ray]" in result.stderr
    assert not (tmp_path / "out" / "a.txt").exists()
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]  # no audit log, not even a temp one


def sources(root: Path) -> list:
    from redactgate.discover import discover

    return discover([root])[0]


def test_ray_executor_keeps_order_and_fails_a_dead_actors_files_closed(corpus, ray_address, processor, test_key):
    from redactgate.config import Config
    from redactgate.executor import SerialExecutor, Task
    from redactgate.ray_engine import RayExecutor

    found = sources(corpus[0])
    batches = [found[:3], [], found[3:]]  # an empty batch gets its empty list back
    task = Task(Config(), test_key, rewrite=False)
    expected = [(o.rel, o.reason, o.findings) for b in SerialExecutor(processor, task).map(batches) for o in b]
    executor = RayExecutor(task, workers=2, batch_bytes=1)  # one file per actor call, both actors busy
    try:
        got = list(executor.map(batches))
        assert [[o.rel for o in b] for b in got] == [[s.rel for s in b] for b in batches]
        assert [(o.rel, o.reason, o.findings) for b in got for o in b] == expected
        ray.kill(executor.actors[0])
        after = [o for b in executor.map(batches) for o in b]
    finally:
        executor.close()
    assert [o.rel for o in after] == [s.rel for s in found]  # none dropped, order kept
    failed = [o for o in after if o.reason == "worker-failed"]
    assert failed and "ActorDiedError" in failed[0].detail
    assert all(o.reason in (e[1], "worker-failed") for o, e in zip(after, expected))
    assert any(o.ok for o in after)


def test_dataset_entry_point(ray_address, processor, test_key):
    from redactgate.config import Config
    from redactgate.ray_dataset import redact_dataset

    texts = [NAMED, "Call Anneliese Vorhaug-Brandt on 555-0199 or at a.vorhaug@example.com.", None, "No one here."]
    ds = ray.data.from_items([{"id": i, "text": t} for i, t in enumerate(texts)])
    done = redact_dataset(ds, Config(), test_key, id_column="id", workers=1).take_all()
    rows = sorted(done, key=lambda r: r["id"])
    expected = processor.process_texts([t for t in texts if t is not None], ["0", "1", "3"])
    assert [r["redacted"] for r in rows if r["text"] is not None] == [o.output.decode() for o in expected]
    assert "<PERSON_1>" in rows[0]["redacted"] and "<EMAIL_ADDRESS_1>" in rows[0]["redacted"]
    assert [r["refused"] for r in rows] == [None, None, "not-text", None]
    first = rows[0]["findings"]
    assert [(f["entity_type"], f["start"], f["end"]) for f in first] == [
        (r.finding.entity_type, r.finding.start, r.finding.end) for r in expected[0].replacements]
    assert set(first[0]) == {"start", "end", "out_start", "out_end", "entity_type", "rule", "score",
                             "operator", "value_id"}  # offsets and ids, never the value


def test_byte_batches_put_a_large_file_alone(tmp_path):
    from redactgate.discover import Source
    from redactgate.ray_engine import byte_batches

    sizes = {"a": 10, "b": 10, "big": 1000, "c": 10}
    found = [Source(PurePosixPath(n), make_tree(tmp_path, {n: b"x" * s}) / n) for n, s in sizes.items()]
    assert [[s.rel.name for s in b] for b in byte_batches(found, target=100)] == [["a", "b"], ["big"], ["c"]]


def test_ray_session_logs_hold_no_values(ray_address):
    """Runs above logged into this Ray session's files (workers, the joining CLI driver): no value."""
    session = Path(ray._private.worker._global_node.get_session_dir_path())
    values = ["Okonkwo-Hale", "transport@example.com", "Lindqvist-Marsh", "555-0147", "Vorhaug-Brandt",
              "a.vorhaug@example.com", "billing@example.com", "Ramaswamy-Oduya"]
    logs = [p for p in session.rglob("*") if p.is_file() and not p.is_symlink()]
    assert any(p.suffix in (".out", ".err", ".log") for p in logs)
    for path in logs:
        data = path.read_bytes()
        assert not [v for v in values if v.encode() in data], path.name


def test_workers_with_other_versions_stop_the_run():
    from importlib.metadata import version

    from redactgate import RedactgateError, __version__
    from redactgate.ray_engine import _check_versions

    same = {"tool_version": __version__, "spacy": version("spacy"),
            "presidio_analyzer": version("presidio-analyzer"), "model_version": "3.8.0"}
    _check_versions([same, same])
    for reported in ([same, {**same, "model_version": "3.7.1"}], [{**same, "tool_version": "0.0.1"}]):
        with pytest.raises(RedactgateError):
            _check_versions(reported)
