"""Placeholder numbers: per document (default) or corpus-wide, across files and, with a key, across runs.

Corpus numbering is assigned by one object in the process that masks, in the order documents are
masked, which the pipeline keeps as sorted path order; so the numbers do not depend on batch sizes.
A multi-process executor must keep this in the parent (detect in workers, then number and mask in
path order: masking is about 0.4% of the cost), or run corpus numbering serially, rather than give
each worker its own numbering; a copy used in another process raises instead of numbering on its
own. The alternative, numbers derived without shared state, would be keyed pseudonyms, not small
numbers.

Across runs the mapping is persisted as `OUT/.redactgate/placeholders.json`: {keyed digest ->
number} per entity type, where the digest is an HMAC (dataset-scoped) of the value id; it holds no
value and cannot be reversed without the key. A map made under another key or dataset is refused
rather than mixed, and a random (unset) key never writes one (it could not be matched again).
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

from .discover import RESERVED
from .errors import RedactgateError
from .keys import RunKey
from .write import write_atomic

MAP_NAME = "placeholders.json"
MAP_VERSION = 1


class Numbering:
    """Numbers placeholders by first appearance: the same (entity, group) the same number."""

    def __init__(self) -> None:
        self.numbers: dict[str, dict[str, int]] = {}

    def _slot(self, entity_type: str, group: str) -> str:
        return group

    def number(self, entity_type: str, group: str) -> int:
        table = self.numbers.setdefault(entity_type, {})
        slot = self._slot(entity_type, group)
        if slot not in table:
            table[slot] = len(table) + 1
        return table[slot]


class CorpusNumbering(Numbering):
    """One numbering for a whole run, keyed by digests so it can be saved without values."""

    def __init__(self, key: RunKey) -> None:
        super().__init__()
        self.key = key
        self._owner = os.getpid()

    def number(self, entity_type: str, group: str) -> int:
        # A copy in a forked or spawned worker would number on its own and silently disagree with
        # the other workers: fail loudly instead (see the module docstring).
        if os.getpid() != self._owner:
            raise RuntimeError("corpus numbering used outside the process that owns it")
        return super().number(entity_type, group)

    def __getstate__(self) -> dict:
        raise TypeError("corpus numbering stays in the parent process; it cannot be sent to a worker")

    def _slot(self, entity_type: str, group: str) -> str:
        return self.key.mac(self.key.scoped("placeholder-map"), f"{entity_type}\0{group}".encode())[:32]

    def binding(self) -> str:
        """Names the key and dataset a saved map belongs to, without revealing either."""
        return self.key.mac(self.key.scoped("placeholder-map-binding"), b"")[:16]

    @classmethod
    def load(cls, out: Path, key: RunKey) -> "CorpusNumbering":
        numbering = cls(key)
        path = out / RESERVED / MAP_NAME
        if key.is_random or not path.is_file():
            return numbering
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RedactgateError(f"cannot read placeholder map {path}: {type(exc).__name__}") from None
        if data.get("version") != MAP_VERSION or data.get("binding") != numbering.binding():
            raise RedactgateError(
                f"placeholder map {path} was made under another key or dataset; "
                "use the same key and dataset, or a new output folder"
            )
        numbering.numbers = {e: {d: int(n) for d, n in t.items()} for e, t in data.get("entities", {}).items()}
        return numbering

    def save(self, out: Path) -> Path | None:
        if self.key.is_random:
            return None
        body = {"version": MAP_VERSION, "binding": self.binding(),
                "entities": {e: dict(sorted(t.items())) for e, t in sorted(self.numbers.items())}}
        data = (json.dumps(body, indent=1, sort_keys=True) + "\n").encode()
        return write_atomic(out, PurePosixPath(RESERVED, MAP_NAME), data)
