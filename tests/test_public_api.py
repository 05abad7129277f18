"""The public surface: `__all__`, the console script and `python -m redactgate`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import redactgate
from conftest import cli_env


def test_all_names_exist():
    assert sorted(redactgate.__all__) == sorted(set(redactgate.__all__))
    for name in redactgate.__all__:
        assert hasattr(redactgate, name), name


def test_console_script_and_module_agree():
    script = Path(sys.executable).parent / "redactgate"
    assert script.exists() or shutil.which("redactgate"), "console script not installed"
    by_script = subprocess.run([str(script), "--help"], capture_output=True, text=True, env=cli_env())
    by_module = subprocess.run([sys.executable, "-m", "redactgate", "--help"], capture_output=True, text=True,
                               env=cli_env())
    assert by_script.returncode == by_module.returncode == 0
    for command in ("redact", "check", "rules", "audit"):
        assert command in by_script.stdout


def test_importing_the_package_does_not_load_the_model():
    code = "import sys, redactgate; print('spacy' in sys.modules, 'presidio_analyzer' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env())
    assert result.stdout.split() == ["False", "False"]
