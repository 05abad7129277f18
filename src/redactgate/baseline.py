"""A baseline of accepted findings: sorted JSON of keyed fingerprints, no values, lines or timestamps.

Entries are (path, entity, fingerprint), where the fingerprint is an HMAC of entity, path and value
under the run key, so an edit that only moves lines changes nothing. A plain hash would be reversed
by hashing every phone number; an HMAC is only as stable as its key, so the baseline records the
key's public id and refuses to work under a random or a different key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import FileRefused, RedactgateError
from .gate import GateReport, Located
from .keys import RunKey
from .write import write_atomic

VERSION = 1
DEFAULT_PATH = Path(".redactgate-baseline.json")

Entry = tuple[str, str, str]  # path, entity_type, fingerprint


@dataclass(frozen=True)
class Baseline:
    key_id: str
    entries: frozenset[Entry]

    def accepts(self, item: Located) -> bool:
        return (item.path, item.finding.entity_type, item.fingerprint) in self.entries

    def to_json(self) -> str:
        findings = [{"path": p, "entity_type": e, "fingerprint": f} for p, e, f in sorted(self.entries)]
        return json.dumps({"version": VERSION, "key_id": self.key_id, "findings": findings}, indent=2) + "\n"


def require_key(key: RunKey, env_name: str) -> None:
    """Fingerprints under a random key never match again: refuse rather than write a useless file."""
    if key.is_random:
        raise RedactgateError(
            f"a baseline needs a stable key: set {env_name} (the same secret for every run that "
            "uses this baseline); without it every fingerprint changes from run to run"
        )


def load_baseline(path: Path, key: RunKey, env_name: str) -> Baseline:
    require_key(key, env_name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = frozenset((e["path"], e["entity_type"], e["fingerprint"]) for e in data["findings"])
        key_id, version = data["key_id"], data["version"]
    except FileNotFoundError:
        raise RedactgateError(f"baseline not found: {path}") from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise RedactgateError(f"baseline {path} is not a redactgate baseline file") from None
    if version != VERSION:
        raise RedactgateError(f"baseline {path} has version {version}; this redactgate reads {VERSION}")
    if key_id != key.fingerprint():
        raise RedactgateError(f"baseline {path} was written under a different key than {env_name} holds")
    return Baseline(key_id, entries)


def updated(old: Baseline | None, report: GateReport) -> Baseline:
    """Entries for the files this run scanned are replaced; entries for other files are kept."""
    scanned = set(report.scanned)
    kept = {e for e in (old.entries if old else ()) if e[0] not in scanned}
    new = {(i.path, i.finding.entity_type, i.fingerprint) for i in report.findings}
    return Baseline(report.key.fingerprint(), frozenset(kept | new))


def write_baseline(path: Path, baseline: Baseline) -> None:
    try:
        write_atomic(path.parent, PurePosixPath(path.name), baseline.to_json().encode())
    except FileRefused as refusal:
        raise RedactgateError(f"cannot write baseline {path}: {refusal}") from None


def update_baseline(path: Path, report: GateReport, env_name: str) -> Baseline:
    """Merge this run's findings into the baseline at `path` (created when absent) and write it."""
    require_key(report.key, env_name)
    old = load_baseline(path, report.key, env_name) if path.exists() else None
    baseline = updated(old, report)
    write_baseline(path, baseline)
    return baseline
