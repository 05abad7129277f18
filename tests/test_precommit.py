"""The real pre-commit framework in real temporary repositories, with hooks from this project.

pre-commit builds its own virtualenv and pip-installs this project (spaCy and the model included)
the first time: slow, so the hook environment is built once per session in a private
PRE_COMMIT_HOME and shared by every test here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from gitutil import GIT_ENV, commit_all, git, init_repo

NAME_LINE = "Minutes approved by Margaret Okonkwo-Fairweather on Tuesday.\n"


def _copy_project(dest: Path) -> str:
    """This checkout's files (committed or not) as a fresh repository; returns its commit id."""
    listed = git(REPO, "ls-files", "-z", "-co", "--exclude-standard").stdout.split("\0")
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file() and not source.is_symlink():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    init_repo(dest)
    return commit_all(dest, "snapshot for hook tests")


@pytest.fixture(scope="session")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDACTGATE_", "PYTHONPATH"))}
    return {**env, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory, hook_env: dict[str, str]) -> tuple[Path, str]:
    source = tmp_path_factory.mktemp("redactgate-project")
    sha = _copy_project(source)
    # Build the hook environment once (the slow pip install) in a scratch repository.
    scratch = _user_repo(tmp_path_factory.mktemp("scratch"), source, sha, hook_env, "redactgate-check")
    done = _pre_commit(scratch, hook_env, "install-hooks", timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return source, sha


def _pre_commit(repo: Path, env: dict[str, str], *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _user_repo(repo: Path, source: Path, sha: str, env: dict[str, str], hook: str) -> Path:
    init_repo(repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {sha}\n    hooks:\n      - id: {hook}\n"
    )
    commit_all(repo, "pre-commit config")
    done = _pre_commit(repo, env, "install")
    assert done.returncode == 0, done.stderr
    return repo


def _commit(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`git commit` with the installed hook; git sends hook output to stderr, so merge the two."""
    return subprocess.run(["git", "commit", "-m", "change"], cwd=repo, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=600)


@pytest.fixture
def user_repo(tmp_path: Path, project: tuple[Path, str], hook_env: dict[str, str]) -> Path:
    return _user_repo(tmp_path / "user", *project, hook_env, "redactgate-check")


def _stage(repo: Path, name: str, content: str) -> None:
    (repo / name).write_text(content)
    git(repo, "add", name)


@pytest.mark.model
def test_clean_file_commits(user_repo: Path, hook_env: dict[str, str]) -> None:
    _stage(user_repo, "agenda.md", "# Agenda\n\nBudget review and the new rota.\n")
    done = _commit(user_repo, hook_env)
    assert done.returncode == 0, done.stdout


@pytest.mark.model
@pytest.mark.parametrize("content, entity, value", [
    (NAME_LINE, "PERSON", "Okonkwo"),
    ("Send the invoice to jane.roe@example.com please.\n", "EMAIL_ADDRESS", "jane.roe"),
])
def test_personal_data_blocks_the_commit(user_repo: Path, hook_env: dict[str, str],
                                         content: str, entity: str, value: str) -> None:
    _stage(user_repo, "minutes.md", "# Minutes\n\n" + content)
    done = _commit(user_repo, hook_env)
    assert done.returncode != 0
    assert "minutes.md:3:" in done.stdout and entity in done.stdout
    assert value not in done.stdout
    assert git(user_repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"  # nothing committed


@pytest.mark.model
def test_staged_then_cleaned_still_blocks(user_repo: Path, hook_env: dict[str, str]) -> None:
    _stage(user_repo, "minutes.md", NAME_LINE)
    (user_repo / "minutes.md").write_text("Minutes approved on Tuesday.\n")  # not re-staged
    done = _commit(user_repo, hook_env)
    assert done.returncode != 0 and "PERSON" in done.stdout


@pytest.mark.model
def test_pragma_allowed_line_commits(user_repo: Path, hook_env: dict[str, str]) -> None:
    _stage(user_repo, "credits.md", "<!-- redactgate: allow-next-line -->\n" + NAME_LINE)
    done = _commit(user_repo, hook_env)
    assert done.returncode == 0, done.stdout


@pytest.mark.model
def test_redact_hook_rewrites_and_fails_then_restaged_commit_passes(
        tmp_path: Path, project: tuple[Path, str], hook_env: dict[str, str]) -> None:
    repo = _user_repo(tmp_path / "user", *project, hook_env, "redactgate-redact")
    _stage(repo, "minutes.md", "# Minutes\n\n" + NAME_LINE)
    done = _commit(repo, hook_env)
    assert done.returncode != 0 and "re-stage" in done.stdout
    rewritten = (repo / "minutes.md").read_text()
    assert "Okonkwo" not in rewritten and "<PERSON_1>" in rewritten
    git(repo, "add", "minutes.md")
    done = _commit(repo, hook_env)
    assert done.returncode == 0, done.stdout
