"""The Ray engine: the same `Processor` in long-lived Ray actors, on one machine or on a cluster.

Only imported when `--engine ray` (or `redact_dataset`) is asked for; Ray is the optional extra
`redactgate[ray]`. Each actor builds one `Processor` (loads the model once) and reads its files
itself, so on a cluster the inputs must be readable at the same path on every node. Outcomes come
back to the driver in input order and the driver writes outputs and the audit log, as it does
for the local engine. A batch whose actor dies is refused file by file (exit 2), never dropped.
"""

from __future__ import annotations

import os

# Ray reports usage statistics over the network unless told not to; read when ray starts.
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from .discover import Source
from .errors import FileRefused, RedactgateError
from .executor import Task, run_batch
from .pipeline import Outcome, Processor

BATCH_BYTES = 256 * 1024  # small enough that one huge file gets a batch of its own
TASKS_PER_ACTOR = 2  # one running, one queued, so an actor never waits for the driver
BUFFERED_PER_ACTOR = 8  # finished sub-batches held for in-order delivery: bounds driver memory
ACTOR_START_TIMEOUT = 600  # seconds for every actor to be placed and load the model (busy clusters)
ACTOR_RESTARTS = 2  # per actor, on average: after that a dead actor's batches are refused
MISSING = "--engine ray needs the optional extra: pip install 'redactgate[ray]'"


def require_ray() -> None:
    try:
        import ray  # noqa: F401
    except ImportError:
        raise RedactgateError(MISSING) from None


def byte_batches(sources: Iterable[Source], target: int = BATCH_BYTES) -> Iterator[list[Source]]:
    """Consecutive sources grouped until they hold `target` bytes; a file over it goes alone."""
    batch: list[Source] = []
    size = 0
    for source in sources:
        length = _size(source.path)
        if batch and size + length > target:
            yield batch
            batch, size = [], 0
        batch.append(source)
        size += length
    if batch:
        yield batch


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the worker reports it as unreadable


def start_ray(address: str | None = None, num_cpus: int | None = None) -> bool:
    """Join the cluster at `address`, or start a local instance (no dashboard), unless Ray is
    already up in this process; True when this call started or joined it."""
    require_ray()
    import ray

    if ray.is_initialized():
        return False
    # Worker output stays in Ray's session logs instead of this process's stderr.
    options: dict[str, Any] = {"log_to_driver": False, "logging_level": "ERROR"}
    try:
        if address:
            ray.init(address=address, **options)
        else:
            ray.init(num_cpus=num_cpus or os.cpu_count() or 1, include_dashboard=False, **options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = address or "local"
        raise RedactgateError(f"cannot start or join Ray at {where} ({type(exc).__name__})") from None
    return True


class ProcessorActor:
    """The body of one Ray actor: one `Processor` for the actor's life. It never writes files: the
    redacted bytes go back to the driver, which writes them, so outputs land on its file system."""

    def __init__(self, setup: Any) -> None:
        import ray

        task = ray.get(setup) if isinstance(setup, ray.ObjectRef) else setup
        self.task = task
        self.processor = Processor(task.config, task.key)

    def process(self, batch: Sequence[Source]) -> list[Outcome]:
        return run_batch(self.processor, self.task, batch)

    def versions(self) -> dict[str, str]:
        from . import __version__

        return {"tool_version": __version__, **self.processor.engine.versions()}

    def rss_bytes(self) -> int:
        return rss_bytes()


def rss_bytes() -> int:
    """Resident memory of this process (Linux), for the README's per-worker figure."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


@dataclass
class _Running:
    index: int  # of the sub-batch, in submission order
    batch_index: int  # of the caller's batch it belongs to
    sources: list[Source]
    actor: Any


class RayExecutor:
    """The `Executor` seam on Ray: batches in, outcomes out in input order, actors doing the work.

    Each incoming batch is split into sub-batches of about `BATCH_BYTES`, so one large file does
    not hold up the files batched with it; work goes to the least-loaded actor. Ray starts (or is
    joined) on the first `map`, inside the caller's clean-up, so a failure there leaves no partial
    audit log; a missing Ray is found at construction, before anything is written.
    """

    def __init__(self, task: Task, workers: int | None = None, address: str | None = None,
                 batch_bytes: int = BATCH_BYTES) -> None:
        require_ray()  # before the caller opens its output folder: a missing extra writes nothing
        self.task, self.workers, self.address, self.batch_bytes = task, workers, address, batch_bytes
        self.actors: list[Any] = []
        self._owns_ray = False
        self._setup: Any = None
        self._restarts_left = 0

    def start(self) -> None:
        self._owns_ray = start_ray(self.address, self.workers)
        import ray

        count = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        # The task holds the key: it travels as an object-store reference, not inside the actor
        # specs that Ray's control store keeps.
        self._setup = ray.put(self.task)
        self._restarts_left = ACTOR_RESTARTS * count
        self.actors = [self._new_actor() for _ in range(count)]
        try:
            reported = ray.get([a.versions.remote() for a in self.actors], timeout=ACTOR_START_TIMEOUT)
        except ray.exceptions.RayError as exc:
            raise RedactgateError(f"Ray workers could not start ({type(exc).__name__}); is redactgate "
                                  "installed on every node?") from None
        _check_versions(reported)

    def _new_actor(self) -> Any:
        import ray

        # Restarted by us, not by Ray: Ray cannot restart an actor whose arguments are references.
        return ray.remote(num_cpus=1, max_restarts=0)(ProcessorActor).remote(self._setup)

    def _replace(self, actor: Any) -> None:
        """A fresh actor for one that died, so its share of the work does not all fail too."""
        import ray

        if actor in self.actors and self._restarts_left > 0:
            self._restarts_left -= 1
            self.actors[self.actors.index(actor)] = self._new_actor()
            ray.kill(actor)  # in case it is only unreachable, not gone

    def map(self, batches: Iterable[Sequence[Source]]) -> Iterator[list[Outcome]]:
        if not self.actors:
            self.start()
        for _, group in groupby(self._run(self._split(batches)), key=lambda pair: pair[0]):
            yield [outcome for _, outcomes in group for outcome in outcomes]

    def _split(self, batches: Iterable[Sequence[Source]]) -> Iterator[tuple[int, list[Source]]]:
        for index, batch in enumerate(batches):
            # An empty batch still gets its (empty) list back: one list per batch, as the seam says.
            for sub in list(byte_batches(batch, self.batch_bytes)) or [[]]:
                yield index, sub

    def _run(self, subs: Iterator[tuple[int, list[Source]]]) -> Iterator[tuple[int, list[Outcome]]]:
        """(batch index, outcomes) per sub-batch in submission order; the driver writes outputs."""
        import ray

        running: dict[Any, _Running] = {}
        done: dict[int, tuple[int, list[Outcome]]] = {}
        submitted = returned = 0
        while True:
            while self._has_room(running, done) and (item := next(subs, None)) is not None:
                actor = self._least_loaded(running)
                running[actor.process.remote(item[1])] = _Running(submitted, item[0], item[1], actor)
                submitted += 1
            if returned in done:
                yield done.pop(returned)
                returned += 1
            elif running:
                [ref], _ = ray.wait(list(running), num_returns=1)
                slot = running.pop(ref)
                done[slot.index] = (slot.batch_index, self._collect(ref, slot))
            else:
                return

    def _has_room(self, running: dict[Any, _Running], done: dict[int, Any]) -> bool:
        actors = len(self.actors)
        return len(running) < TASKS_PER_ACTOR * actors and len(done) < BUFFERED_PER_ACTOR * actors

    def _least_loaded(self, running: dict[Any, _Running]) -> Any:
        load = Counter(id(slot.actor) for slot in running.values())
        return min(self.actors, key=lambda actor: load[id(actor)])

    def _collect(self, ref: Any, slot: _Running) -> list[Outcome]:
        """The sub-batch's outcomes; all of it refused if its actor died."""
        import ray

        try:
            return ray.get(ref)
        except ray.exceptions.RayError as exc:  # actor crash, out of memory, lost node: fail closed
            if isinstance(exc, ray.exceptions.RayActorError):
                self._replace(slot.actor)
            refusal = FileRefused("worker-failed", f"the Ray worker ended unexpectedly ({type(exc).__name__})")
            return [Outcome(s.rel, s.path).refuse(refusal) for s in slot.sources]

    def actor_rss_bytes(self) -> list[int]:
        import ray

        return ray.get([a.rss_bytes.remote() for a in self.actors])

    def close(self) -> None:
        if not self.actors and not self._owns_ray:
            return  # never started (or Ray is missing): nothing to stop
        import ray

        for actor in self.actors:
            ray.kill(actor)
        self.actors = []
        if self._owns_ray:
            ray.shutdown()
            self._owns_ray = False


def _check_versions(reported: list[dict[str, str]]) -> None:
    """Every actor must run what the driver runs (its audit `run` record names those versions),
    and all actors the same model: mixed versions would give different results per file."""
    from importlib.metadata import version

    from . import __version__

    driver = {"tool_version": __version__, "spacy": version("spacy"), "presidio_analyzer": version("presidio-analyzer")}
    differs = any(r.get(k) != v for r in reported for k, v in driver.items())
    if differs or len({tuple(sorted(r.items())) for r in reported}) > 1:
        raise RedactgateError("Ray workers run other redactgate, model, spaCy or Presidio versions than this "
                              "process or each other; install the same versions on every node")
