"""`check --staged` and `check --range` read git objects, never the working tree (real git, real CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitutil import commit_all, git, init_repo

EMAIL = "Contact: jane.roe@example.com\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = init_repo(tmp_path / "repo")
    (repo / "redactgate.toml").write_text('disable = ["PERSON"]\n')  # e-mail only: no model needed
    (repo / "notes.txt").write_text("Nothing personal.\n")
    commit_all(repo, "initial")
    return repo


def _check(cli, repo: Path, *args: str) -> tuple[int, dict]:
    done = cli("check", *args, "--format", "json", cwd=repo)
    assert done.returncode != 3, done.stderr
    return done.returncode, json.loads(done.stdout)


def test_staged_then_cleaned_is_still_blocked(cli, repo: Path) -> None:
    (repo / "notes.txt").write_text("Nothing personal.\n" + EMAIL)
    git(repo, "add", "notes.txt")
    (repo / "notes.txt").write_text("Nothing personal.\n")  # cleaned, not re-staged
    code, report = _check(cli, repo, "--staged")
    assert code == 1
    assert [(f["path"], f["line"]) for f in report["findings"]] == [("notes.txt", 2)]
    # the same paths named explicitly (as pre-commit passes them) read the index too
    assert _check(cli, repo, "--staged", "notes.txt")[0] == 1
    # ... while the working tree itself is clean (and `check .` skips git's object store)
    assert _check(cli, repo, ".")[0] == 0


def test_clean_staged_file_passes(cli, repo: Path) -> None:
    (repo / "other.txt").write_text("Also fine.\n")
    git(repo, "add", "other.txt")
    code, report = _check(cli, repo, "--staged")
    assert code == 0 and report["files_scanned"] == 1


def test_staged_symlink_is_incomplete(cli, repo: Path) -> None:
    (repo / "link").symlink_to("notes.txt")
    git(repo, "add", "link")
    code, report = _check(cli, repo, "--staged")
    assert code == 2 and [(e["path"], e["reason"]) for e in report["errors"]] == [("link", "symlink")]


def _start_conflicting_merge(repo: Path) -> None:
    """Branches `topic` and `main` both edit notes.txt; merging topic into main stops on the conflict."""
    git(repo, "checkout", "-q", "-b", "topic")
    (repo / "notes.txt").write_text("Topic version.\n")
    commit_all(repo, "topic edit")
    git(repo, "checkout", "-q", "main")
    (repo / "notes.txt").write_text("Main version.\n")
    commit_all(repo, "main edit")
    assert git(repo, "merge", "-q", "topic", check=False).returncode != 0  # a real conflict


def test_range_screens_merge_resolutions(cli, repo: Path) -> None:
    base = git(repo, "rev-parse", "HEAD").stdout.strip()
    _start_conflicting_merge(repo)
    (repo / "notes.txt").write_text("Resolved version.\n" + EMAIL)  # the resolution adds the value
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "--no-edit")
    code, report = _check(cli, repo, "--range", f"{base}..HEAD")
    assert code == 1 and [f["path"] for f in report["findings"]] == ["notes.txt"]
    # neither parent alone holds the value: only the merge's own tree does
    assert _check(cli, repo, "--range", f"{base}..HEAD^1")[0] == 0
    assert _check(cli, repo, "--range", f"{base}..HEAD^2")[0] == 0


def test_range_skips_deletions_and_three_dots_use_the_merge_base(cli, repo: Path) -> None:
    (repo / "mail.txt").write_text(EMAIL)
    first = commit_all(repo, "add mail")
    (repo / "mail.txt").unlink()
    commit_all(repo, "delete mail")
    assert _check(cli, repo, "--range", f"{first}~1...HEAD")[0] == 0
    assert _check(cli, repo, "--range", f"{first}~1..{first}")[0] == 1


def test_unmerged_index_entry_is_refused_once(repo: Path) -> None:
    from redactgate.gitsource import staged

    _start_conflicting_merge(repo)
    for named in ([repo / "notes.txt"], []):  # as pre-commit passes it, and every staged change
        scan = staged(repo, named, limit=1000)
        assert [(s.rel.as_posix(), s.reason) for s in scan.skipped] == [("notes.txt", "unmerged")]
        assert scan.sources == []
