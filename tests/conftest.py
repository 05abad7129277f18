"""Shared test fixtures: the real model loaded once per session, and the real CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEST_KEY = "redactgate-test-key-not-secret"

CliRunner = Callable[..., subprocess.CompletedProcess]


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTGATE_")}
    # This checkout's sources, whichever redactgate the venv has installed.
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["REDACTGATE_KEY"] = TEST_KEY
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    env.update(extra or {})
    return env


def run_cli(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
            input: str | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """The real `redactgate` process; stdout/stderr as text."""
    return subprocess.run(
        [sys.executable, "-m", "redactgate", *map(str, args)],
        cwd=cwd, env=cli_env(env), input=input, capture_output=True, text=True, timeout=timeout,
    )


@pytest.fixture
def cli() -> CliRunner:
    return run_cli


@pytest.fixture(scope="session")
def test_key():
    from redactgate.keys import RunKey

    return RunKey(TEST_KEY.encode(), "env:REDACTGATE_KEY")


@pytest.fixture(scope="session")
def processor(test_key):
    """The real Presidio + spaCy pipeline with the default config, loaded once per session."""
    from redactgate.config import Config
    from redactgate.pipeline import Processor

    return Processor(Config(), test_key)


@pytest.fixture(scope="session")
def detect(processor) -> Callable[[str], list]:
    def run(text: str):
        return processor.detector.detect([text])[0]

    return run
