"""The one user-facing error class and the exit codes of the command-line contract (DESIGN.md)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INCOMPLETE = 2
EXIT_USAGE = 3


class RedactgateError(Exception):
    """A usage, configuration or environment problem: the run stops before any file is read (exit 3).

    Messages are written by this project and never quote document text.
    """


class FileRefused(Exception):
    """One file cannot be processed safely; it is listed and makes the run exit 2.

    `reason` is a stable kebab-case code (``binary``, ``undecodable`` ...); `detail` is a message
    written by this project that never quotes document content.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason
