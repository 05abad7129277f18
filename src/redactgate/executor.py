"""The execution seam: maps batches of sources to their outcomes, in input order.

An executor is built from a `Task` (what every worker needs: config, key, whether to rewrite) and
offers `map(batches)`, yielding one list of `Outcome`s per batch in the order the
batches came in, and `close()`. The local executors' `map` also takes `read`, the caller's own
reader (`check` reads git objects, and keeps the bytes it read to place each finding): the caller
reads every batch, and the workers detect in exactly those bytes (`Preread`). Two implementations live here:

- `SerialExecutor`: in this process, with the `Processor` the caller already built.
- `PoolExecutor`: local worker processes, each with one `Processor` (model loaded once per worker by
  the pool initializer; on Linux the workers are forked from the parent, which has built it already,
  so they start with the model in memory and nothing is loaded twice).

Workers send back outcomes: offsets, keyed digests, reasons and the redacted bytes, never the
input text. The caller writes the bytes in input order, so output-name collisions (a PDF rendition
and an input of the same name) are decided the same way for any number of workers. A distributed
implementation (Ray) fits the same shape: build a `Processor` per actor from the `Task`, call
`run_batch`, return the outcomes in order. Whatever runs the batches, the caller receives them in
input order, so the audit log is the same for any number of workers.

The local executors also offer `screen(items)`: detection alone, one text per task, results in order,
each with the tag it came with. A streamed file's segments go through it (stream.py), while reading,
masking, checking and writing stay with the caller; an engine without it (Ray) detects those in the caller.
`screen_texts(texts)` is detection alone over many short texts at once (the inputs' path names),
spread over the workers in chunks; what is found in a text never depends on the texts beside it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Protocol, TypeVar

from .config import Config
from .discover import Source
from .errors import FileRefused, RedactgateError
from .keys import RunKey

if TYPE_CHECKING:
    from .pipeline import Outcome, Processor
    from .screen import Screened

T = TypeVar("T")
Reader = Callable[[Source], bytes]


@dataclass(frozen=True)
class Task:
    config: Config
    key: RunKey
    rewrite: bool


class Executor(Protocol):
    def map(self, batches: Iterable[Sequence[Source]]) -> Iterator[list["Outcome"]]: ...

    def close(self) -> None: ...


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Preread:
    """A batch's bytes as the caller read them, or why one could not be read: what a worker is
    given instead of the files (a `Reader`)."""

    data: dict[PurePosixPath, bytes | FileRefused]

    @classmethod
    def of(cls, batch: Sequence[Source], read: Reader) -> "Preread":
        data: dict[PurePosixPath, bytes | FileRefused] = {}
        for source in batch:
            try:
                data[source.rel] = read(source)
            except FileRefused as refusal:
                data[source.rel] = refusal
            except Exception as exc:  # noqa: BLE001 - as `run_batch` pins it: the type name only
                data[source.rel] = FileRefused("internal-error", type(exc).__name__)
        return cls(data)

    def __call__(self, source: Source) -> bytes:
        found = self.data[source.rel]
        if isinstance(found, FileRefused):
            raise FileRefused(found.reason, found.detail)
        return found


def run_batch(processor: "Processor", task: Task, batch: Sequence[Source], read: Reader | None = None) -> list["Outcome"]:
    """Process one batch; an unexpected error is pinned to its file, never lost with the batch."""
    try:
        return processor.process(batch, rewrite=task.rewrite, read=read)
    except Exception:  # noqa: BLE001 - retried file by file below to find the one that fails
        return [_process_one(processor, task, source, read) for source in batch]


def _process_one(processor: "Processor", task: Task, source: Source, read: Reader | None) -> "Outcome":
    from .pipeline import Outcome

    try:
        return processor.process([source], rewrite=task.rewrite, read=read)[0]
    except Exception as exc:  # noqa: BLE001 - the message may quote document text: type name only
        return Outcome(source.rel, source.path).refuse(FileRefused("internal-error", type(exc).__name__))


class SerialExecutor:
    def __init__(self, processor: "Processor", task: Task) -> None:
        self.processor, self.task = processor, task

    def map(self, batches: Iterable[Sequence[Source]], read: Reader | None = None) -> Iterator[list["Outcome"]]:
        for batch in batches:
            yield run_batch(self.processor, self.task, batch, read)

    def screen(self, items: Iterable[tuple[T, str]]) -> Iterator[tuple[T, "Screened"]]:
        for tag, text in items:
            yield tag, _screen_one(self.processor, text)

    def screen_texts(self, texts: Sequence[str]) -> list["Screened"]:
        return _screen_many(self.processor, texts)

    def close(self) -> None:
        pass


SCREEN_CHUNK_TEXTS = 64  # fewest texts a `screen_texts` task: short texts go to the model in batches

# Per worker process: the processor and task set by the initializer (or inherited through fork).
_worker: tuple["Processor", Task] | None = None
_inherited: "Processor | None" = None


def _init_worker(task: Task) -> None:
    global _worker
    from .pipeline import Processor

    processor = _inherited if _inherited is not None else Processor(task.config, task.key)
    _worker = (processor, task)


def _run_in_worker(item: tuple[Sequence[Source], Preread | None]) -> list["Outcome"]:
    assert _worker is not None, "worker not initialised"
    return run_batch(*_worker, *item)


def _screen_one(processor: "Processor", text: str) -> "Screened":
    from .screen import screen

    return screen(processor.detector, [text])[0]


def _screen_in_worker(text: str) -> "Screened":
    assert _worker is not None, "worker not initialised"
    return _screen_one(_worker[0], text)


def _screen_many(processor: "Processor", texts: Sequence[str]) -> list["Screened"]:
    from .screen import screen

    return screen(processor.detector, texts)


def _screen_many_in_worker(texts: Sequence[str]) -> list["Screened"]:
    assert _worker is not None, "worker not initialised"
    return _screen_many(_worker[0], texts)


class PoolExecutor:
    """Local worker processes; at most `2 * jobs` batches in flight so memory stays bounded."""

    def __init__(self, task: Task, jobs: int, processor: "Processor | None" = None) -> None:
        global _inherited
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        _inherited = processor if context.get_start_method() == "fork" else None
        if _inherited is not None:
            _inherited.warm_up()
        self.task, self.jobs, self.processor = task, jobs, processor
        self.pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(task,))

    def map(self, batches: Iterable[Sequence[Source]], read: Reader | None = None) -> Iterator[list["Outcome"]]:
        """`read`: this process reads each batch as it is submitted (so at most `2 * jobs` batches'
        bytes are held) and the worker is given those bytes."""
        pending: deque[tuple[Sequence[Source], Future]] = deque()
        queue = iter(batches)
        broken = False
        while True:
            while not broken and len(pending) < 2 * self.jobs:
                batch = next(queue, None)
                if batch is None:
                    break
                item = (batch, Preread.of(batch, read) if read else None)
                pending.append((batch, self._submit(_run_in_worker, item)))
            if not pending:
                return
            batch, future = pending.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:
                broken = True  # a worker died (killed, out of memory): fail closed for what is left
                yield _refused(batch, "worker-failed", "a worker process ended unexpectedly")
                for rest in queue:
                    pending.append((rest, future))

    def screen(self, items: Iterable[tuple[T, str]]) -> Iterator[tuple[T, "Screened"]]:
        """At most `2 * jobs` texts in flight; a worker's error is raised here, in order."""
        pending: deque[tuple[T, Future]] = deque()
        queue = iter(items)
        while True:
            while len(pending) < 2 * self.jobs and (item := next(queue, None)) is not None:
                pending.append((item[0], self._submit(_screen_in_worker, item[1])))
            if not pending:
                return
            tag, future = pending.popleft()
            yield tag, future.result()

    def _submit(self, fn: Callable[..., object], arg: object) -> Future:
        """`pool.submit`; a pool a dead worker broke before (`screen_texts`) gives a future that fails,
        as the worker's own task would have."""
        try:
            return self.pool.submit(fn, arg)
        except BrokenProcessPool as exc:
            failed: Future = Future()
            failed.set_exception(exc)
            return failed

    def screen_texts(self, texts: Sequence[str]) -> list["Screened"]:
        """About four chunks per worker, so they finish together; if a worker dies, this process
        screens them instead (the batches that follow are refused as usual, see `map`)."""
        size = max(SCREEN_CHUNK_TEXTS, -(-len(texts) // (4 * self.jobs)))
        try:
            futures = [self.pool.submit(_screen_many_in_worker, texts[i:i + size]) for i in range(0, len(texts), size)]
            return [screened for future in futures for screened in future.result()]
        except BrokenProcessPool:
            if self.processor is None:
                raise
            return _screen_many(self.processor, texts)

    def close(self) -> None:
        global _inherited
        self.pool.shutdown(wait=True, cancel_futures=True)
        _inherited = None


def _refused(batch: Sequence[Source], reason: str, detail: str) -> list["Outcome"]:
    from .pipeline import Outcome

    return [Outcome(s.rel, s.path).refuse(FileRefused(reason, detail)) for s in batch]


def make_executor(task: Task, jobs: int, processor: "Processor") -> SerialExecutor | PoolExecutor:
    return SerialExecutor(processor, task) if jobs <= 1 else PoolExecutor(task, jobs, processor)


ENGINES = ("local", "ray")


def open_engine(name: str, task: Task, jobs: int | None, address: str | None) -> Executor:
    """A distributed engine by name; its workers build their own `Processor`. Ray (ray_engine.py)
    is an optional extra, imported only here; a Spark engine would be one more branch."""
    if name == "ray":
        from .ray_engine import RayExecutor  # checks that Ray is installed; starts it on the first batch

        return RayExecutor(task, workers=jobs, address=address)
    raise RedactgateError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
