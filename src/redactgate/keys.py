"""The run key: keyed digests and value ids, so nothing we write can be reversed by guessing values.

A plain hash of a phone number is reversed by hashing every phone number; an HMAC under a key the
reader does not hold is not. Every use gets its own derived key (domain separation).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field

DEFAULT_KEY_ENV = "REDACTGATE_KEY"


@dataclass(frozen=True)
class RunKey:
    secret: bytes = field(repr=False)
    source: str  # "env:<NAME>" or "random"
    # Separates what the pseudonymising operators derive (pseudonyms, surrogates, tokens, date
    # offsets, placeholder numbers): the same person is not linkable across datasets under one key.
    dataset: str = ""

    @classmethod
    def from_env(cls, env_name: str = DEFAULT_KEY_ENV, dataset: str = "") -> "RunKey":
        value = os.environ.get(env_name, "")
        if value:
            return cls(value.encode("utf-8"), f"env:{env_name}", dataset)
        return cls(secrets.token_bytes(32), "random", dataset)

    @property
    def is_random(self) -> bool:
        return self.source == "random"

    def _derive(self, purpose: str) -> bytes:
        return hmac.new(self.secret, b"redactgate/v1/" + purpose.encode(), hashlib.sha256).digest()

    def mac(self, purpose: str, data: bytes) -> str:
        return hmac.new(self._derive(purpose), data, hashlib.sha256).hexdigest()

    def scoped(self, purpose: str) -> str:
        """`purpose` separated by the dataset id (unchanged without one, so old pseudonyms still match)."""
        return f"{purpose}@{self.dataset}" if self.dataset else purpose

    def subkey(self, purpose: str) -> bytes:
        """A 32-byte key for one dataset-scoped purpose (input to HKDF, AES-SIV ...)."""
        return self._derive(self.scoped(purpose))

    def stream(self, purpose: str, data: bytes, length: int) -> bytes:
        """`length` keyed pseudo-random bytes for one value (HMAC in counter mode, dataset-scoped)."""
        subkey = self.subkey(purpose)
        blocks = (hmac.new(subkey, i.to_bytes(4, "big") + data, hashlib.sha256).digest()
                  for i in range((length + 31) // 32))
        return b"".join(blocks)[:length]

    def value_id(self, entity_type: str, value: str) -> str:
        """HMAC of one detected value; links mentions without revealing them."""
        return self.mac("value", entity_type.encode() + b"\0" + value.encode("utf-8"))[:32]

    def digest(self, data: bytes) -> str:
        """Keyed digest of file content (a plain hash of a short file is guessable)."""
        return self.mac("content", data)

    def digester(self) -> "hmac.HMAC":
        """`digest` fed piece by piece (`.update`, then `.hexdigest()`): a streamed file's content."""
        return hmac.new(self._derive("content"), digestmod=hashlib.sha256)

    def fingerprint(self) -> str:
        """A public id of the key itself, so runs can tell whether they used the same key."""
        return self.mac("fingerprint", b"")[:16]
