"""Find the files to process: folders walked without following symlinks, output root kept apart."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import RedactgateError

RESERVED = ".redactgate"  # the output root's own folder (audit log, manifest)


@dataclass(frozen=True, order=True)
class Source:
    rel: PurePosixPath  # where it lands under the output root
    path: Path


@dataclass(frozen=True, order=True)
class Skipped:
    rel: PurePosixPath
    reason: str
    detail: str


def check_roots(sources: list[Path], out: Path) -> None:
    """Refuse an output folder inside an input folder, and the reverse."""
    out_real = out.resolve()
    for src in sources:
        if not src.exists() and not src.is_symlink():
            raise RedactgateError(f"input not found: {src}")
        real = src.resolve()
        if out_real == real or out_real.is_relative_to(real) or real.is_relative_to(out_real):
            raise RedactgateError(f"output folder {out} and input {src} overlap; choose a separate folder")


def discover(sources: list[Path]) -> tuple[list[Source], list[Skipped]]:
    found: list[Source] = []
    skipped: list[Skipped] = []
    for src in sources:
        if src.is_symlink():
            skipped.append(Skipped(PurePosixPath(src.name), "symlink", "symbolic links are not followed"))
        elif src.is_dir():
            _walk(src, found, skipped)
        else:
            found.append(Source(PurePosixPath(src.name), src))
    _refuse_collisions(found, skipped)
    return sorted(found), sorted(skipped)


def _walk(root: Path, found: list[Source], skipped: list[Skipped]) -> None:
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        for name in sorted(dirs):
            if (base / name).is_symlink():
                rel = PurePosixPath((base / name).relative_to(root).as_posix())
                skipped.append(Skipped(rel, "symlink", "symbolic links are not followed"))
        dirs[:] = sorted(d for d in dirs if not (base / d).is_symlink())
        for name in files:
            path = base / name
            rel = PurePosixPath(path.relative_to(root).as_posix())
            if path.is_symlink():
                skipped.append(Skipped(rel, "symlink", "symbolic links are not followed"))
            elif not path.is_file():
                skipped.append(Skipped(rel, "not-a-file", "not a regular file"))
            else:
                found.append(Source(rel, path))


def _refuse_collisions(found: list[Source], skipped: list[Skipped]) -> None:
    seen: dict[PurePosixPath, Source] = {}
    for source in list(found):
        if source.rel.parts[0] == RESERVED:
            found.remove(source)
            skipped.append(Skipped(source.rel, "reserved-name", f"{RESERVED}/ is the output's own folder"))
        elif source.rel in seen:
            raise RedactgateError(f"two inputs map to the same output path {source.rel}")
        else:
            seen[source.rel] = source
