"""Write under the output root only: temp file + fsync + rename, so no partial file has a final name."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .errors import FileRefused


def confined(root: Path, rel: PurePosixPath) -> Path:
    if rel.is_absolute() or ".." in rel.parts:
        raise FileRefused("unsafe-path", "path would leave the output root")
    target = root / rel
    parent = target.parent.resolve()
    if not parent.is_relative_to(root.resolve()):
        raise FileRefused("unsafe-path", "path would leave the output root")
    return target


def write_atomic(root: Path, rel: PurePosixPath, data: bytes) -> Path:
    output = AtomicFile(root, rel)
    output.write(data)
    return output.commit()


class AtomicFile:
    """An output written in pieces under a temp name, renamed to its final name only by `commit`;
    `discard` (or any failure) leaves no file behind. OS errors are `write-failed` refusals."""

    def __init__(self, root: Path, rel: PurePosixPath) -> None:
        with _refusing():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            self.target = confined(root, rel)
            # Not derived from the name: a name near NAME_MAX (255 bytes) would leave no room for a suffix.
            self.tmp = self.target.with_name(f".{secrets.token_hex(8)}.redactgate-tmp")
            self._handle = open(self.tmp, "xb")

    def write(self, data: bytes) -> None:
        with self._failing():
            self._handle.write(data)

    def commit(self) -> Path:
        with self._failing():
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            os.replace(self.tmp, self.target)
            _fsync_dir(self.target.parent)
        return self.target

    def discard(self) -> None:
        self._handle.close()
        if self.tmp.exists():
            self.tmp.unlink()

    @contextmanager
    def _failing(self) -> Iterator[None]:
        try:
            with _refusing():
                yield
        except BaseException:
            self.discard()
            raise


@contextmanager
def _refusing() -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise FileRefused("write-failed", os.strerror(exc.errno) if exc.errno else type(exc).__name__) from None


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
