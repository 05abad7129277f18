"""Realistic surrogates: a fake value of the same shape, drawn deterministically from the key.

Every draw is seeded from a keyed, dataset-scoped stream of the normalised original, so the same
original always gets the same surrogate under one key and dataset, and nothing can be recovered
without the key. Names go token by token (a given name for the tokens before the last, a surname for
the last), so "Sergei Lavrov" ... "Lavrov" become "X Y" ... "Y"; a given name found in only one of
Faker's female/male lists gets one from the same list. Names are picked uniformly by keyed index from
the union of several locales' lists, not with Faker's frequency weights: a stateless mapping into a
finite pool gives two people the same surrogate now and then, and a larger, flat pool makes that
rarer (see README). Digits keep the original's layout; a card keeps its Luhn check and an IBAN its
mod-97 check digits when the original had them. Faker's lists change between major versions, so
pyproject pins the major version.
"""

from __future__ import annotations

import importlib
import ipaddress
import re
import string
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from .detect import normalise_value
from .keys import RunKey
from .rules import is_luhn_valid, is_mod97_valid

if TYPE_CHECKING:  # Faker is imported on the first surrogate drawn: 0.1 s of every start-up otherwise
    from faker import Faker

SURROGATE_ENTITIES = frozenset(
    {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "US_SSN"}
)
MAX_DRAWS = 16  # a draw equal to a value of the document is drawn again
_POSSESSIVE = re.compile(r"(['’]s?)$")


NAME_LOCALES = ("en_US", "en_GB", "en_IE", "en_NZ", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL")
_NAME = re.compile(r"^[^\W\d_][^\W\d_'’\-]+$")


@lru_cache(maxsize=1)
def _faker() -> Faker:
    from faker import Faker

    return Faker("en_US")  # one instance per process, re-seeded for every draw


@lru_cache(maxsize=1)
def name_pools() -> dict[str, tuple[str, ...]]:
    """Sorted single-word names per list across NAME_LOCALES (sorted: independent of dict order)."""
    pools: dict[str, set[str]] = {"female": set(), "male": set(), "surname": set()}
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for pool, attribute in (("female", "first_names_female"), ("male", "first_names_male"), ("surname", "last_names")):
            pools[pool] |= {n for n in getattr(provider, attribute, ()) if _NAME.match(n)}
    pools["given"] = pools["female"] | pools["male"]
    return {name: tuple(sorted(names)) for name, names in pools.items()}


def given_pool(original: str) -> str:
    pools, lowered = name_pools(), original.capitalize()
    female, male = lowered in pools["female"], lowered in pools["male"]
    return "female" if female and not male else "male" if male and not female else "given"


def name_roles(person_mentions: Iterable[str]) -> dict[str, str]:
    """Role of each name token in the document: the last token of a full name is a surname."""
    roles: dict[str, str] = {}
    for mention in person_mentions:
        tokens = mention.split()
        if len(tokens) > 1:
            for token in tokens[:-1]:
                roles.setdefault(token.casefold(), "given")
            roles[tokens[-1].casefold()] = "surname"  # surname wins a conflict: single mentions are mostly surnames
    return roles


class Surrogates:
    """Surrogates for one document; `forbidden` holds its detected values, which a draw must avoid."""

    def __init__(self, key: RunKey, forbidden: Iterable[str] = (), roles: dict[str, str] | None = None) -> None:
        self.key = key
        self.forbidden = {v.casefold() for v in forbidden}
        self.roles = roles or {}

    def replace(self, entity_type: str, value: str) -> str | None:
        """The surrogate, or None for an entity type without a surrogate generator."""
        makers: dict[str, Callable[[str], str]] = {
            "PERSON": self.person,
            "EMAIL_ADDRESS": self.email,
            "PHONE_NUMBER": self.phone,
            "CREDIT_CARD": self.card,
            "IBAN_CODE": self.iban,
            "IP_ADDRESS": self.ip,
            "US_SSN": self.ssn,
        }
        maker = makers.get(entity_type)
        return maker(value) if maker else None

    def _draw(self, label: str, value: str, make: Callable[[Faker, bytes], str]) -> str:
        """First draw that differs from the original and from every value of the document."""
        normal = normalise_value(label, value) if label.isupper() else value.casefold()
        candidate = value
        for attempt in range(MAX_DRAWS):
            seed = self.key.stream("surrogate", f"{label}\0{normal}\0{attempt}".encode(), 40)
            faker = _faker()
            faker.seed_instance(int.from_bytes(seed[:8], "big"))
            candidate = make(faker, seed[8:])
            if candidate.casefold() != value.casefold() and candidate.casefold() not in self.forbidden:
                return candidate
        return candidate  # verify() refuses the file if this still equals a value

    def person(self, mention: str) -> str:
        suffix = _POSSESSIVE.search(mention)
        core = mention[: suffix.start()] if suffix else mention
        parts = re.split(r"(\s+)", core)
        out = [p if not p or p.isspace() else self._name_token(p) for p in parts]
        return "".join(out) + (suffix.group(1) if suffix else "")

    def _name_token(self, token: str) -> str:
        if token.islower() and len(token) <= 3:  # a particle ("van", "de", "bin") says little: kept
            return token
        role = self.roles.get(token.casefold(), "surname")
        return "-".join(self._name_part(part, role) for part in token.split("-"))

    def _name_part(self, part: str, role: str) -> str:
        core = part.rstrip(".")
        if len(core) <= 1:  # an initial: another letter, keeping the dot
            return self._draw("initial", part, lambda f, s: string.ascii_uppercase[s[0] % 26]) + part[len(core):]
        pool = name_pools()[given_pool(core) if role == "given" else "surname"]
        name = self._draw(f"name-{role}", core, lambda f, s: pool[int.from_bytes(s[:8], "big") % len(pool)])
        return (name.upper() if core.isupper() else name) + part[len(core):]

    def email(self, value: str) -> str:
        # Faker's safe domains (example.com/.net/.org): a surrogate never names a real mailbox.
        return self._draw("EMAIL_ADDRESS", value, lambda f, s: f"{f.user_name()}@{f.safe_domain_name()}")

    def phone(self, value: str) -> str:
        digits = sum(c.isdigit() for c in value)
        keep = len(re.match(r"\s*\+(\d*)", value).group(1)) if value.lstrip().startswith("+") else 0
        # keep the country code; the first national digit stays 2-9 so the number looks dialable
        def make(f: Faker, s: bytes) -> str:
            head = [c for c in value if c.isdigit()][:keep]
            tail = [str(2 + s[0] % 8)] + [str(b % 10) for b in s[1:digits - keep]]
            return fill_digits(value, (head + tail)[:digits])
        return self._draw("PHONE_NUMBER", value, make)

    def card(self, value: str) -> str:
        digits = [c for c in value if c.isdigit()]
        def make(f: Faker, s: bytes) -> str:
            new = digits[:1] + [str(b % 10) for b in s[1:len(digits)]]  # the network's first digit stays
            if is_luhn_valid(value):
                new[-1] = _luhn_digit(new[:-1])
            return fill_digits(value, new)
        return self._draw("CREDIT_CARD", value, make)

    def iban(self, value: str) -> str:
        compact = "".join(c for c in value if c.isalnum()).upper()
        def make(f: Faker, s: bytes) -> str:
            bban = "".join(_same_class(c, b) for c, b in zip(compact[4:], s * 2))
            checks = _iban_check(compact[:2], bban) if is_mod97_valid(value) else f"{s[-1] % 100:02d}"
            return fill_alnum(value, compact[:2] + checks + bban)
        return self._draw("IBAN_CODE", value, make)

    def ip(self, value: str) -> str:
        try:
            version = ipaddress.ip_address(value.strip()).version
        except ValueError:
            version = 6 if ":" in value else 4
        return self._draw("IP_ADDRESS", value, lambda f, s: f.ipv6() if version == 6 else f.ipv4_public())

    def ssn(self, value: str) -> str:
        return self._draw("US_SSN", value, lambda f, s: fill_digits(value, [c for c in f.ssn() if c.isdigit()]))


def fill_digits(template: str, digits: list[str]) -> str:
    """`template` with its digits replaced, in order, by `digits` (separators and layout kept)."""
    feed = iter(digits)
    return "".join(next(feed, c) if c.isdigit() else c for c in template)


def fill_alnum(template: str, chars: str) -> str:
    feed = iter(chars)
    out = []
    for c in template:
        if c.isalnum():
            new = next(feed, c)
            out.append(new.lower() if c.islower() else new)
        else:
            out.append(c)
    return "".join(out)


def _same_class(c: str, b: int) -> str:
    return str(b % 10) if c.isdigit() else string.ascii_uppercase[b % 26]


def _luhn_digit(body: list[str]) -> str:
    return next(d for d in string.digits if is_luhn_valid("".join(body) + d))


def _iban_check(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    return f"{98 - int(''.join(str(int(c, 36)) for c in rearranged)) % 97:02d}"
