"""Recognizers declared in `rules/*.yaml`, in Presidio's shape plus a stable id and examples.

This module only parses and checks rule packs; `engine.py` turns them into Presidio recognizers.
The examples run here with the same regex engine Presidio uses (`regex`), without the model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Literal

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import RedactgateError

RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FLAG_VALUES: dict[str, int] = {
    "IGNORECASE": regex.IGNORECASE,
    "MULTILINE": regex.MULTILINE,
    "DOTALL": regex.DOTALL,
}
FlagName = Literal["IGNORECASE", "MULTILINE", "DOTALL"]


def is_luhn_valid(candidate: str) -> bool:
    digits = [int(c) for c in candidate if c.isdigit()]
    if len(digits) < 12:
        return False
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def is_mod97_valid(candidate: str) -> bool:
    """ISO 13616 IBAN check digits."""
    compact = "".join(c for c in candidate if c.isalnum()).upper()
    if len(compact) < 15 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def is_luhn_valid_one_separator(candidate: str) -> bool:
    """Luhn, the digits split by one kind of separator only, and grouped as a card is: every digit
    apart ("4 1 1 1 ..."), equal groups but the last ("4111.1111.1111.1111"), or 4-6-5 / 4-6-4. Not
    a cricket fall-of-wickets line ("1-22 2-78 3-78 ...") nor a postcode and a phone number on two
    lines that the normalised copy reads as one run ("41111 11 111 ..."), which may pass the checksum."""
    separators = {c for c in candidate if not c.isdigit()}
    groups = [len(g) for g in re.split(r"\D+", candidate)]
    card_grouped = (
        len(groups) == 1 or set(groups) == {1} or len(set(groups[:-1])) == 1 and groups[-1] <= groups[0]
        or groups in ([4, 6, 5], [4, 6, 4])
    )
    return is_luhn_valid(candidate) and len(separators) <= 1 and card_grouped


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "luhn": is_luhn_valid,
    "luhn-one-separator": is_luhn_valid_one_separator,
    "mod97": is_mod97_valid,
}


@cache
def _compiled(pattern: str, flags: int) -> regex.Pattern:
    return regex.compile(pattern, flags)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PatternSpec(_Strict):
    name: str
    regex: str
    score: float = Field(ge=0.0, le=1.0)


class Examples(_Strict):
    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()


class RuleSpec(_Strict):
    id: str
    entity: str
    description: str = ""
    patterns: tuple[PatternSpec, ...] = Field(min_length=1)
    context: tuple[str, ...] = ()
    flags: tuple[FlagName, ...] = ("MULTILINE",)
    validator: str | None = None
    # A regex found in every match's neighbourhood (the key of a lookbehind, the "[at]" of an
    # address): a text where it finds nothing is not scanned with the patterns at all (issue 5).
    prefilter: str | None = None
    examples: Examples = Field(default_factory=Examples)

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(f"rule id {value!r} must be kebab-case")
        return value

    @field_validator("validator")
    @classmethod
    def _known_validator(cls, value: str | None) -> str | None:
        if value is not None and value not in VALIDATORS:
            raise ValueError(f"unknown validator {value!r}; known: {', '.join(sorted(VALIDATORS))}")
        return value

    @model_validator(mode="after")
    def _regexes_compile(self) -> "RuleSpec":
        for pattern in self.patterns:
            try:
                regex.compile(pattern.regex, self.regex_flags)
            except regex.error as exc:
                raise ValueError(f"pattern {pattern.name!r} does not compile: {exc}") from None
        if not self.examples.match:
            raise ValueError("a rule needs at least one `examples.match` string")
        if self.prefilter is not None:
            try:
                _compiled(self.prefilter, self.regex_flags)
            except regex.error as exc:
                raise ValueError(f"prefilter does not compile: {exc}") from None
            missed = [s for s in self.examples.match if not self.admits(s)]
            if missed:
                raise ValueError(f"prefilter finds nothing in the match example {missed[0]!r}")
        return self

    @property
    def regex_flags(self) -> int:
        flags = 0
        for name in self.flags:
            flags |= FLAG_VALUES[name]
        return flags

    def admits(self, text: str) -> bool:
        """Whether the patterns need to run on `text` at all (always, without a prefilter)."""
        return self.prefilter is None or _compiled(self.prefilter, self.regex_flags).search(text) is not None

    def is_valid_match(self, text: str) -> bool:
        return self.validator is None or VALIDATORS[self.validator](text)

    def find(self, text: str) -> list[tuple[int, int, float]]:
        """(start, end, score) of every validated match; what the examples are checked against."""
        found = []
        if not self.admits(text):
            return found
        for pattern in self.patterns:
            for match in regex.finditer(pattern.regex, text, self.regex_flags):
                if match.end() > match.start() and self.is_valid_match(match.group()):
                    found.append((match.start(), match.end(), pattern.score))
        return found


class RulePack(_Strict):
    rules: tuple[RuleSpec, ...]


def builtin_rules_dir() -> Path:
    """`rules/` shipped inside the wheel, or the repository's top-level folder in a checkout."""
    packaged = Path(__file__).parent / "rules"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "rules"


# libyaml's safe loader when PyYAML has it: the same documents, read 6x faster (0.02 s of every start)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_rule_file(path: Path) -> list[RuleSpec]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RedactgateError(f"cannot read rule file {path}: {exc}") from None
    try:
        return list(RulePack.model_validate(data).rules)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise RedactgateError(f"invalid rule file {path}: {problems}") from None


def load_rules(dirs: Iterable[Path]) -> list[RuleSpec]:
    rules: list[RuleSpec] = []
    for folder in dirs:
        if not folder.is_dir():
            raise RedactgateError(f"rule folder not found: {folder}")
        for path in sorted(folder.glob("*.yaml")):
            rules.extend(load_rule_file(path))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RedactgateError(f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)
    return rules


def check_examples(rule: RuleSpec) -> list[str]:
    """Problems with a rule's examples; messages quote examples, which are fake by policy."""
    problems = [f"{rule.id}: does not match {s!r}" for s in rule.examples.match if not rule.find(s)]
    problems += [f"{rule.id}: matches {s!r}" for s in rule.examples.no_match if rule.find(s)]
    return problems
