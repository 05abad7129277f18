"""Git as a source for the gate: staged index blobs (`--staged`) and the files a range changed (`--range`).

Content always comes from git objects, never the working tree, so a file staged with a name and
then cleaned without re-staging is still screened as staged. A range is a tree-to-tree diff, so a
merge commit's conflict resolutions are screened like any other change.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .discover import Skipped, Source
from .errors import FileRefused, RedactgateError

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's well-known empty tree id
_RANGE = re.compile(r"^(?P<base>[^.].*?)(?P<dots>\.\.\.?)(?P<head>(?:[^.].*)?)$")
_REGULAR = {"100644", "100755"}


@dataclass
class GitScan:
    root: Path
    sources: list[Source] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    blobs: dict[PurePosixPath, str] = field(default_factory=dict)  # path -> blob id
    sizes: dict[str, int] = field(default_factory=dict)
    limit: int = 0

    def read(self, source: Source) -> bytes:
        blob = self.blobs[source.rel]
        if self.sizes.get(blob, 0) > self.limit:
            raise FileRefused("too-large", f"{self.sizes[blob]} bytes is over the limit of {self.limit}")
        try:
            return _git(self.root, "cat-file", "blob", blob)
        except GitFailed:
            raise FileRefused("unreadable", "git could not read the blob") from None


class GitFailed(Exception):
    pass


def _git(root: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "--literal-pathspecs", "-C", str(root), *args],
                              input=input, capture_output=True, check=False)
    except OSError as exc:
        raise RedactgateError(f"cannot run git: {exc.strerror}") from None
    if done.returncode != 0:
        raise GitFailed(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout


def repo_root(start: Path) -> Path:
    try:
        return Path(os.fsdecode(_git(start, "rev-parse", "--show-toplevel").strip()))
    except GitFailed:
        raise RedactgateError(f"{start} is not inside a git work tree (needed for --staged / --range)") from None


def staged(root: Path, paths: list[Path], limit: int) -> GitScan:
    """Index blobs of the named paths, or of every path with a staged change when none is named."""
    scan = GitScan(root, limit=limit)
    if paths:
        rels = [_repo_relative(root, p) for p in paths]
        entries = _ls_files(root, rels)
        for missing in sorted(set(rels) - {p for _, _, p in entries} - _dirs_of(entries, rels)):
            scan.skipped.append(Skipped(missing, "not-a-file", "not in the git index"))
    else:
        head = _resolve(root, "HEAD") or EMPTY_TREE  # first commit: everything staged is new
        entries = _raw_diff(root, "diff-index", "--cached", head)
    _add(scan, entries)
    return scan


def changed_in_range(root: Path, spec: str, limit: int) -> GitScan:
    """Files added or modified between BASE and HEAD (`A..B`; `A...B` diffs from their merge base)."""
    scan = GitScan(root, limit=limit)
    match = _RANGE.match(spec)
    if not match:
        raise RedactgateError(f"--range {spec!r} is not of the form BASE..HEAD or BASE...HEAD")
    head = _resolve(root, match["head"] or "HEAD")
    base = _resolve(root, match["base"]) if match["base"] != EMPTY_TREE else EMPTY_TREE
    if base and head and match["dots"] == "...":
        base = _merge_base(root, base, head)
    if not (base and head):
        scan.skipped.append(Skipped(PurePosixPath(spec), "git-range", "a revision of the range cannot be resolved"))
        return scan
    _add(scan, _raw_diff(root, "diff-tree", "-r", base, head))
    return scan


def _resolve(root: Path, rev: str) -> str | None:
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").decode().strip()
    except GitFailed:
        return None


def _merge_base(root: Path, a: str, b: str) -> str | None:
    try:
        return _git(root, "merge-base", a, b).decode().strip() or None
    except GitFailed:
        return None


def _raw_diff(root: Path, command: str, *revs: str) -> list[tuple[str, str, PurePosixPath]]:
    """(mode, blob, path) of each added/modified/type-changed path; deletions have nothing to screen."""
    out = _git(root, command, "-z", "--no-abbrev", "--no-renames", "--diff-filter=d", *revs, "--")
    fields = out.split(b"\0")
    entries = []
    for meta, name in zip(fields[0::2], fields[1::2]):
        _, new_mode, _, new_blob, status = meta.decode().lstrip(":").split(" ")
        mode = "unmerged" if status.startswith("U") else new_mode
        entries.append((mode, new_blob, PurePosixPath(os.fsdecode(name))))
    return entries


def _ls_files(root: Path, rels: list[PurePosixPath]) -> list[tuple[str, str, PurePosixPath]]:
    out = _git(root, "ls-files", "-s", "-z", "--", *map(str, rels))
    entries = []
    for record in filter(None, out.split(b"\0")):
        meta, name = record.split(b"\t", 1)
        mode, blob, stage = meta.decode().split(" ")
        entries.append((mode if stage == "0" else "unmerged", blob, PurePosixPath(os.fsdecode(name))))
    return entries


def _dirs_of(entries: list[tuple[str, str, PurePosixPath]], rels: list[PurePosixPath]) -> set[PurePosixPath]:
    """Named folders that matched index entries below them."""
    return {r for r in rels for _, _, p in entries if r in p.parents}


def _add(scan: GitScan, entries: list[tuple[str, str, PurePosixPath]]) -> None:
    regular, refused = [], set()
    for mode, blob, rel in sorted(set(entries), key=lambda e: e[2]):
        if rel in refused:
            continue  # an unmerged path has up to three index entries
        if mode in _REGULAR:
            regular.append((blob, rel))
        else:
            scan.skipped.append(Skipped(rel, *_refusal(mode)))
            refused.add(rel)
    scan.sizes = _sizes(scan.root, sorted({b for b, _ in regular}))
    for blob, rel in regular:
        scan.blobs[rel] = blob
        scan.sources.append(Source(rel, scan.root / rel))


def _refusal(mode: str) -> tuple[str, str]:
    if mode == "120000":
        return "symlink", "symbolic links are not followed"
    if mode == "160000":
        return "not-a-file", "a submodule commit, not file content"
    if mode == "unmerged":
        return "unmerged", "the index holds an unresolved merge conflict"
    return "not-a-file", f"git mode {mode} is not a regular file"


def _sizes(root: Path, blobs: list[str]) -> dict[str, int]:
    if not blobs:
        return {}
    out = _git(root, "cat-file", "--batch-check", input="".join(b + "\n" for b in blobs).encode())
    sizes = {}
    for line in out.decode().splitlines():
        parts = line.split(" ")
        if len(parts) == 3 and parts[2].isdigit():
            sizes[parts[0]] = int(parts[2])
    return sizes


def _repo_relative(root: Path, path: Path) -> PurePosixPath:
    absolute = Path(os.path.abspath(path))
    try:
        return PurePosixPath(absolute.relative_to(root.resolve()).as_posix())
    except ValueError:
        try:
            return PurePosixPath(absolute.relative_to(root).as_posix())
        except ValueError:
            raise RedactgateError(f"{path} is outside the git work tree {root}") from None
