"""Reversible tokens: deterministic authenticated encryption (AES-SIV), opt-in, for holders of the key.

A token is `<<RG1:ENTITY:base64url>>`: it survives in any text format, can be found again by a
regex, and names its entity type (bound into the ciphertext as associated data, so relabelling a
token is detected like any other change). The SIV key is derived from the user's key, scoped by the
dataset id (HKDF over `RunKey.subkey`), so without the key and dataset nothing is recovered, and a
changed byte makes the token fail authentication. SIV is deterministic on purpose: the same value
gives the same token, which is what keeps documents linkable; it therefore shows which mentions are
equal, like every other consistent operator here. A random (unset) key is refused: tokens made with
it could never be restored.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from .errors import RedactgateError
from .keys import RunKey

TOKEN = re.compile(r"<<RG1:(?P<entity>[A-Z][A-Z0-9_]*):(?P<data>[A-Za-z0-9_-]+)>>")
_AD = b"redactgate-token/v1"


class TokenRejected(Exception):
    """A token that does not authenticate: tampered, truncated, or made under another key/dataset."""


def require_real_key(key: RunKey) -> None:
    if key.is_random:
        raise RedactgateError(
            "reversible tokens need a key: set the key environment variable (default REDACTGATE_KEY); "
            "tokens made with a random key could never be restored"
        )


class TokenCipher:
    def __init__(self, key: RunKey) -> None:
        require_real_key(key)
        siv_key = HKDFExpand(hashes.SHA256(), 64, b"redactgate aes-siv-512").derive(key.subkey("token"))
        self._siv = AESSIV(siv_key)

    def encrypt(self, entity_type: str, value: str) -> str:
        sealed = self._siv.encrypt(value.encode("utf-8"), [_AD, entity_type.encode()])
        return f"<<RG1:{entity_type}:{base64.urlsafe_b64encode(sealed).rstrip(b'=').decode()}>>"

    def decrypt(self, token: str) -> str:
        m = TOKEN.fullmatch(token)
        if not m:
            raise TokenRejected("not a token")
        return self.open_match(m)

    def open_match(self, m: re.Match[str]) -> str:
        data = m.group("data")
        try:
            sealed = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
            return self._siv.decrypt(sealed, [_AD, m.group("entity").encode()]).decode("utf-8")
        except (InvalidTag, ValueError, UnicodeDecodeError):
            raise TokenRejected("token does not authenticate") from None


@dataclass(frozen=True)
class Restored:
    text: str
    tokens: int


def restore_text(cipher: TokenCipher, text: str) -> Restored:
    """Every token of `text` decrypted in place; the first bad token raises with its offset only."""
    parts: list[str] = []
    cursor = count = 0
    for m in iter_tokens(text):
        try:
            plain = cipher.open_match(m)
        except TokenRejected:
            raise TokenRejected(f"token at offset {m.start()} does not authenticate "
                                "(changed, or made under another key or dataset)") from None
        parts += [text[cursor:m.start()], plain]
        cursor, count = m.end(), count + 1
    return Restored("".join(parts) + text[cursor:], count)


def iter_tokens(text: str) -> Iterator[re.Match[str]]:
    return TOKEN.finditer(text)
