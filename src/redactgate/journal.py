"""Run guard for an output folder: one run at a time, and a journal so a killed run leaves nothing behind.

- The lock is `OUT/.redactgate/lock` held with `flock`: the kernel releases it when the process dies,
  so a killed run never blocks the next one, while a second live run is refused (exit 3: an
  environment problem, raised before any file is read).
- The journal `OUT/.redactgate/journal.jsonl` names every output before it is written and is
  removed when the run finishes. Finding one at start means the last run was killed: its temp files
  are removed and, when this run ends, so are the outputs it wrote that this run did not produce. The
  re-run rewrites every output itself, so it ends byte-identical to a run that was never interrupted.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .discover import RESERVED
from .errors import FileRefused, RedactgateError
from .write import confined

if TYPE_CHECKING:
    from .pipeline import Outcome

TMP_SUFFIX = ".redactgate-tmp"


class RunGuard:
    def __init__(self, out: Path, audit_path: Path) -> None:
        self.out = out
        self.audit_path = audit_path
        self.folder = out / RESERVED
        self.journal_path = self.folder / "journal.jsonl"
        self.interrupted: set[str] = set()  # outputs named by a killed run's journal
        self._produced: set[str] = set()

    def acquire(self) -> "RunGuard":
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._lock = open(self.folder / "lock", "a")
        except OSError as exc:  # not a folder, read-only, full: nothing can be written there
            raise RedactgateError(f"cannot write to output folder {self.out}: {exc.strerror}") from None
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise RedactgateError(f"another redactgate run is writing to {self.out} (lock held); try again when it ends") from None
        if self.journal_path.exists():
            self.interrupted = read_journal(self.journal_path)
            remove_temp_files(self.out.rglob(f"*{TMP_SUFFIX}"))
            # Only the audit log's own temp files: its folder may be shared with anything.
            remove_temp_files(self.audit_path.parent.glob(f".{self.audit_path.name}.*{TMP_SUFFIX}"))
        self._journal = open(self.journal_path, "w", encoding="ascii")
        return self

    def writing(self, outcome: "Outcome") -> None:
        """Record an output before it is written, so a kill at any point leaves it named."""
        if not outcome.ok:
            return
        rel = (outcome.out_rel or outcome.rel).as_posix()  # a PDF's output is its text rendition
        self._produced.add(rel)
        try:
            self._journal.write(json.dumps({"output": rel}) + "\n")
            self._journal.flush()
        except OSError as exc:
            raise RedactgateError(f"run journal could not be written: {exc.strerror}") from None

    def finish(self) -> None:
        """The run completed: remove what only the killed run wrote, drop the journal, unlock."""
        for rel in sorted(self.interrupted - self._produced):
            remove_output(self.out, PurePosixPath(rel))
        self._journal.close()
        self.journal_path.unlink()
        self.release()

    def release(self) -> None:
        self._journal.close()
        self._lock.close()  # releases the flock


def read_journal(path: Path) -> set[str]:
    outputs = set()
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        try:
            outputs.add(json.loads(line)["output"])
        except (ValueError, KeyError, TypeError):
            continue  # the killed run's last line may be cut short
    return outputs


def remove_temp_files(paths: Iterable[Path]) -> None:
    for path in list(paths):
        if path.is_file() and not path.is_symlink():
            path.unlink()


def remove_output(out: Path, rel: PurePosixPath) -> None:
    try:
        target = confined(out, rel)
    except FileRefused:  # a journal entry that would leave the root is ignored
        return
    if target.is_file() and not target.is_symlink():
        target.unlink()
