"""The audit log: JSON Lines, hash-chained, never a value or surrounding text.

Each record carries `prev` (the previous record's hash) and `hash` (SHA-256 of the record's canonical
JSON without `hash`). The last record is `end` with the record count, so a flipped byte, a deleted,
reordered or truncated line each break the chain at a named line.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import RedactgateError

GENESIS = "0" * 64


def canonical(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def record_hash(record: dict[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k != "hash"}
    return hashlib.sha256(canonical(body).encode()).hexdigest()


class AuditWriter:
    """Streams records to a temp file beside `path`; `close()` adds the end record and renames."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.redactgate-tmp")
        self._handle = open(self._tmp, "x", encoding="ascii", newline="\n")
        self._prev = GENESIS
        self.count = 0

    def write(self, record: dict[str, Any]) -> None:
        record = {**record, "seq": self.count, "prev": self._prev}
        record["hash"] = self._prev = record_hash(record)
        with _environment_error():
            self._handle.write(canonical(record) + "\n")
        self.count += 1

    def close(self, end: dict[str, Any]) -> str:
        self.write({"type": "end", "records": self.count + 1, **end})
        with _environment_error():
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            os.replace(self._tmp, self.path)
        return self._prev

    def abort(self) -> None:
        try:
            self._handle.close()
        except OSError:  # a full disk fails the last flush too; the temp file goes either way
            pass
        self._tmp.unlink(missing_ok=True)


@contextmanager
def _environment_error() -> Iterator[None]:
    """A full or read-only disk under the audit log stops the run as an environment error (exit 3)."""
    try:
        yield
    except OSError as exc:
        raise RedactgateError(f"audit log could not be written: {exc.strerror or type(exc).__name__}") from None


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    line: int = 0  # 1-based line of the first bad record; 0 when intact
    reason: str = ""


def verify_chain(path: Path) -> ChainCheck:
    prev = GENESIS
    lines = path.read_bytes().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        try:
            record = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return ChainCheck(False, number, "not valid JSON")
        if not isinstance(record, dict) or record.get("seq") != number - 1:
            return ChainCheck(False, number, "record out of sequence")
        if record.get("prev") != prev:
            return ChainCheck(False, number, "does not chain to the previous record")
        if record.get("hash") != record_hash(record):
            return ChainCheck(False, number, "content does not match its hash")
        prev = record["hash"]
        if record.get("type") == "end":
            if number != len(lines) or record.get("records") != number:
                return ChainCheck(False, number, "end record is not the last record")
            return ChainCheck(True)
    return ChainCheck(False, len(lines) + 1 if lines else 1, "log is truncated (no end record)")
