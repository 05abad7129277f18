"""Inline pragmas: lines an author marked as accepted, and 1-based line/column positions.

The marker is matched anywhere on the line, so it works inside any comment syntax (`#`, `//`,
`<!-- -->`, `%`, `;`) and in prose. An `allow-start` without its `allow-end` allows nothing: a
forgotten end marker must not silently open the rest of the file.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

_PRAGMA = re.compile(r"redactgate:\s*(allow-next-line|allow-start|allow-end|allow)(?![\w-])")


def pragma_kinds(line: str) -> set[str]:
    return {m.group(1) for m in _PRAGMA.finditer(line)}


def allowed_lines(text: str) -> frozenset[int]:
    """1-based numbers of the lines that a pragma allows."""
    allowed: set[int] = set()
    block: list[int] | None = None
    next_line = False
    for number, line in enumerate(text.split("\n"), start=1):
        kinds = pragma_kinds(line)
        if next_line or "allow" in kinds:
            allowed.add(number)
        if "allow-start" in kinds and block is None:
            block = []
        if block is not None:
            block.append(number)
        if "allow-end" in kinds and block is not None:
            allowed.update(block)
            block = None
        next_line = "allow-next-line" in kinds
    return frozenset(allowed)


def is_span_allowed(allowed: frozenset[int], lines: Iterable[int]) -> bool:
    """A span is allowed only when every line it touches is."""
    return all(line in allowed for line in lines)


class LineIndex:
    """Offsets (code points of the decoded text) to 1-based line and column."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1
