"""Write under the output root only: temp file + fsync + rename, so no partial file has a final name."""

from __future__ import annotations

import os
import secrets
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
    try:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        target = confined(root, rel)
        # Not derived from the name: a name near NAME_MAX (255 bytes) would leave no room for a suffix.
        tmp = target.with_name(f".{secrets.token_hex(8)}.redactgate-tmp")
        try:
            with open(tmp, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        finally:
            if tmp.exists():
                tmp.unlink()
        _fsync_dir(target.parent)
    except OSError as exc:
        raise FileRefused("write-failed", os.strerror(exc.errno) if exc.errno else type(exc).__name__) from None
    return target


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
