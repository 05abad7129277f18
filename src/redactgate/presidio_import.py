"""Presidio imported without compiling its shipped patterns once only to check them (issue 5).

Presidio's predefined recognizers build their `Pattern`s when their modules are imported, and
`Pattern.__init__` compiles each one to check that it is valid: 173 patterns, most of them for
recognizers redactgate never runs (importing the engine took 0.38 s of CPU with the check, 0.26 s
without; the pre-commit hook pays it on every commit). A recognizer compiles the patterns it uses again, with its flags, when it first runs. During
that import alone the check is skipped; the test suite makes it instead (`test_speedups.py`), and a
`Pattern` made afterwards (a rule, Presidio's own YAML recognizers) is checked as before.
"""

from __future__ import annotations

import sys

import regex

_CHECK = "Pattern.__validate_regex"  # Presidio's private check (`presidio_analyzer/pattern.py`)


def _import_presidio() -> None:
    if "presidio_analyzer" in sys.modules:
        return
    compile_ = regex.compile

    def compile(pattern: object, flags: int = 0, *args: object, **kwargs: object) -> object:
        if sys._getframe(1).f_code.co_qualname == _CHECK:
            return None  # the check only asks whether compiling raises
        return compile_(pattern, flags, *args, **kwargs)

    regex.compile = compile
    try:
        import presidio_analyzer  # noqa: F401
    finally:
        regex.compile = compile_


_import_presidio()
