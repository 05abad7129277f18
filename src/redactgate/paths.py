"""Paths as data: personal data in file and folder names, and names that would break a report.

A name like `reports/Jane Roe/jane.roe@example.com.txt` would carry what the redacted copy removes.
`check` reports such names as findings (exit 1); `redact` renames.
Every relative path is screened like a short document (the folders one per line, the file name
without its extension); each span found is replaced by its keyed pseudonym (`PERSON_XXXXXXXX`: the
same person gets the same name everywhere under the same key, and it is safe in a file name), and
the output, the audit log and the report then carry only the pseudonymised path. The extension is
kept so the output's type stays visible.

`display_path` escapes control characters, lone surrogates (undecodable bytes in a name) and
backslashes, so a hostile name cannot forge report lines or terminal escapes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import regex

from .discover import Skipped, Source
from .findings import Finding
from .mask import pseudonym
from .propagate import is_name_token
from .resolve import resolve
from .screen import Screened, screen

if TYPE_CHECKING:
    from .detect import Detector

TextScreener = Callable[[Sequence[str]], list[Screened]]
_SURROGATE = regex.compile(r"[\ud800-\udfff]")
_SEP = "\x00"
_SEPARATORS = str.maketrans("_-.+", "    ")  # one for one, so offsets hold


def display_path(rel: PurePosixPath | str) -> str:
    text = rel.as_posix() if isinstance(rel, PurePosixPath) else rel
    return "".join(_escape(c) for c in text)


def _escape(char: str) -> str:
    if 0xD800 <= ord(char) <= 0xDFFF:  # an undecodable byte of the name, kept by surrogateescape
        return f"\\u{ord(char):04x}"
    if char == "\\":
        return "\\\\"
    return char if char.isprintable() else char.encode("unicode_escape").decode("ascii")


def name_text(rel: PurePosixPath) -> str:
    """What is screened: folders one per line, then the file name without its extension.

    One for one with `_joined`: line breaks inside a name read as spaces, undecodable bytes (lone
    surrogates, which crash spaCy) as U+FFFD.
    """
    return _SURROGATE.sub("\ufffd", _joined(rel).replace("\n", " ").replace(_SEP, "\n"))


def _joined(rel: PurePosixPath) -> str:
    """The parts joined by NUL, the one character no file name can hold."""
    return _SEP.join([*rel.parts[:-1], rel.name[: len(rel.name) - len(rel.suffix)]])


def pseudonymise_paths(detector: "Detector", found: Sequence[Source], skipped: Sequence[Skipped],
                       screen_texts: TextScreener | None = None) -> tuple[list[Source], list[Skipped]]:
    """Sources and skipped entries under pseudonymised names; a name that then collides is refused.
    `screen_texts`: what screens the names (default: `screen` in this process; `redact` passes
    its workers', `executor.py`)."""
    rels = [s.rel for s in found] + [s.rel for s in skipped]
    renamed = pseudonymise(detector, rels, screen_texts)
    sources, seen, refused = [], set(), []
    for source, rel in zip(found, renamed):
        if rel in seen:
            refused.append(Skipped(rel, "name-collision", "another input has the same pseudonymised name"))
        else:
            seen.add(rel)
            sources.append(Source(rel, source.path))
    refused += [Skipped(rel, s.reason, s.detail) for s, rel in zip(skipped, renamed[len(found):])]
    return sorted(sources), sorted(refused)


def pseudonymise(detector: "Detector", rels: Sequence[PurePosixPath], screen_texts: TextScreener | None = None) -> list[PurePosixPath]:
    return [_rename(rel, _joined(rel), found, detector) if found else rel
            for rel, found in zip(rels, name_findings(detector, rels, screen_texts))]


def name_findings(detector: "Detector", rels: Sequence[PurePosixPath], screen_texts: TextScreener | None = None) -> list[list[Finding]]:
    """Findings in each path's `name_text` (offsets into it)."""
    texts = [name_text(rel) for rel in rels]
    # As written (e-mail addresses, phone numbers) and with separators as spaces (`Jane_Roe`).
    both = texts + [t.translate(_SEPARATORS) for t in texts]
    screened = screen_texts(both) if screen_texts else screen(detector, both)
    found = []
    for index, text in enumerate(texts):
        both = screened[index].findings + screened[len(texts) + index].findings
        found.append(resolve(f for f in both if f.entity_type != "PERSON" or _is_capitalised(text[f.start:f.end])))
    return found


def _is_capitalised(value: str) -> bool:
    """NER on a bare file name tags ordinary words (`escape-dir`) as people; names are capitalised."""
    words = value.translate(_SEPARATORS).split()
    return bool(words) and all(is_name_token(w) for w in words)


def _rename(rel: PurePosixPath, text: str, findings: list[Finding], detector: "Detector") -> PurePosixPath:
    parts, cursor = [], 0
    for f in _within_lines(text, findings):
        parts += [text[cursor:f.start], pseudonym(detector.key, f.entity_type, f.group)]
        cursor = f.end
    parts.append(text[cursor:])
    return PurePosixPath(*("".join(parts) + rel.suffix).split(_SEP))


def _within_lines(text: str, findings: list[Finding]) -> list[Finding]:
    """Findings cut where two parts of the path meet, so two folder names are never merged."""
    cut = []
    for f in findings:
        start = f.start
        while (joint := text.find(_SEP, start, f.end)) != -1:
            if joint > start:
                cut.append(replace(f, start=start, end=joint))
            start = joint + 1
        if f.end > start:
            cut.append(replace(f, start=start))
    return cut
