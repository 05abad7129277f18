"""`redactgate restore`: decrypt the reversible tokens of redacted files, for holders of the key.

Fail closed, like `redact`: a file with any token that does not authenticate (changed, truncated,
or made under another key or dataset) is not written, and is listed by path and offset only, so a
message never shows what the other tokens of the file decrypt to. The output's own `.redactgate/`
folder (audit log, manifest, placeholder map) is not a document and is passed over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .discover import check_roots, discover
from .errors import FileRefused
from .keys import RunKey
from .load import decode
from .pipeline import read_limited
from .tokens import TokenCipher, TokenRejected, restore_text
from .write import write_atomic


@dataclass
class RestoreOutcome:
    rel: PurePosixPath
    tokens: int = 0
    reason: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


@dataclass
class RestoreReport:
    outcomes: list[RestoreOutcome]

    @property
    def errors(self) -> list[RestoreOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def tokens(self) -> int:
        return sum(o.tokens for o in self.outcomes)


def run_restore(sources: Sequence[Path], out: Path, key: RunKey, max_bytes: int) -> RestoreReport:
    check_roots(list(sources), out)
    cipher = TokenCipher(key)  # a random key stops here (exit 3), before any file is read
    found, skipped = discover(list(sources))
    outcomes = [RestoreOutcome(s.rel, reason=s.reason, detail=s.detail)
                for s in skipped if s.reason != "reserved-name"]
    for source in found:
        outcomes.append(_restore_one(cipher, source.path, source.rel, out, max_bytes))
    return RestoreReport(outcomes)


def _restore_one(cipher: TokenCipher, path: Path, rel: PurePosixPath, out: Path, max_bytes: int) -> RestoreOutcome:
    try:
        doc = decode(read_limited(path, max_bytes))
        restored = restore_text(cipher, doc.text)
        write_atomic(out, rel, doc.encode(restored.text))
    except FileRefused as refusal:
        return RestoreOutcome(rel, reason=refusal.reason, detail=refusal.detail)
    except TokenRejected as exc:
        return RestoreOutcome(rel, reason="token-rejected", detail=str(exc))
    return RestoreOutcome(rel, tokens=restored.tokens)
