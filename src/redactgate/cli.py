"""Command line: parse, call the library, render, return an exit code. No pipeline logic here."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import click
import typer
from rich.console import Console
from rich.progress import Progress

from .config import Config, load_config, parse_config, with_operators
from .errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, RedactgateError
from .keys import RunKey

app = typer.Typer(
    name="redactgate",
    help="Find personal names and other sensitive spans; write redacted copies; gate commits and CI.",
    pretty_exceptions_show_locals=False,  # locals hold document text
    add_completion=False,
    no_args_is_help=True,
)
rules_app = typer.Typer(help="Lint and list the recognizer rule packs.", no_args_is_help=True)
audit_app = typer.Typer(help="Work with audit logs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(audit_app, name="audit")

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)

ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="redactgate.toml or pyproject.toml to use.")]
DatasetOption = Annotated[Optional[str], typer.Option("--dataset", help="Dataset id: separates pseudonyms, surrogates, tokens and date shifts [default: config `dataset`].")]


class Numbering(str, Enum):
    document = "document"
    corpus = "corpus"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


@contextmanager
def _progress_bar() -> Iterator[Callable[[int], Callable[[int], None]]]:
    with Progress(console=stderr, transient=True, disable=not stderr.is_terminal) as bar:
        def start(total: int) -> Callable[[int], None]:
            task = bar.add_task("redacting", total=total)
            return lambda n: bar.advance(task, n)
        yield start


@app.command()
def redact(
    sources: Annotated[list[Path], typer.Argument(help="Files or folders to redact (never modified).")],
    out: Annotated[Path, typer.Option("--out", help="Output folder; mirrors the input tree.")],
    audit: Annotated[Optional[Path], typer.Option("--audit", help="Audit log path [default: OUT/.redactgate/audit.jsonl].")] = None,
    config: ConfigOption = None,
    operator: Annotated[Optional[list[str]], typer.Option("--operator", help="ENTITY=OPERATOR (repeatable): placeholder, mask, redact, hmac, surrogate, encrypt, date_shift.")] = None,
    dataset: DatasetOption = None,
    numbering: Annotated[Optional[Numbering], typer.Option("--numbering", help="Placeholder numbers per document or across the corpus [default: config `numbering`].")] = None,
) -> int:
    """Write redacted copies of SOURCES under OUT, with an audit log and a run manifest."""
    from .pipeline import run_redact
    from .report import render_summary

    settings = _settings(config, operator or [], dataset, numbering.value if numbering else None)
    key = RunKey.from_env(settings.key_env, settings.dataset)
    with _progress_bar() as progress:
        report = run_redact(sources, out, settings, key, audit_path=audit, progress=progress)
    render_summary(report, stdout)
    return EXIT_INCOMPLETE if report.errors else EXIT_OK


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to screen (read-only).")],
    format: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = CheckFormat.text,
    config: ConfigOption = None,
) -> int:
    """Screen files without writing anything. Exit 1 on findings, 2 when anything was not scanned."""
    from .pipeline import run_check
    from .report import check_json, check_text

    settings = load_config(config)
    report = run_check(paths, settings, RunKey.from_env(settings.key_env))
    stdout.print(check_json(report) if format is CheckFormat.json else check_text(report), markup=False, soft_wrap=True)
    if report.errors:
        return EXIT_INCOMPLETE
    return EXIT_FINDINGS if any(o.findings for o in report.outcomes) else EXIT_OK


@app.command()
def restore(
    sources: Annotated[list[Path], typer.Argument(help="Redacted files or folders holding reversible tokens.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder for the restored copies.")],
    config: ConfigOption = None,
    dataset: DatasetOption = None,
) -> int:
    """Decrypt reversible tokens (operator `encrypt`) with the key; exit 2 if any token is rejected."""
    from .restore import run_restore

    settings = _settings(config, [], dataset, None)
    report = run_restore(sources, out, RunKey.from_env(settings.key_env, settings.dataset),
                         settings.limits.max_file_bytes)
    for outcome in report.errors:
        stdout.print(f"{outcome.rel.as_posix()}: not restored: {outcome.reason}"
                     + (f" ({outcome.detail})" if outcome.detail else ""), markup=False, soft_wrap=True)
    stdout.print(f"{report.tokens} token(s) restored in {len(report.outcomes) - len(report.errors)} of "
                 f"{len(report.outcomes)} file(s)", markup=False)
    return EXIT_INCOMPLETE if report.errors else EXIT_OK


def _settings(path: Optional[Path], operators: list[str], dataset: Optional[str], numbering: Optional[str]) -> Config:
    """The config file with the command line's overrides on top (validated like the file)."""
    settings = with_operators(load_config(path), operators)
    updates = {k: v for k, v in (("dataset", dataset), ("numbering", numbering)) if v is not None}
    return parse_config({**settings.model_dump(), **updates}, source="(command line)") if updates else settings


@rules_app.command("validate")
def rules_validate(
    dirs: Annotated[Optional[list[Path]], typer.Argument(help="Rule folders [default: built-in and configured].")] = None,
    config: ConfigOption = None,
) -> int:
    """Parse every rule file strictly and run each rule's examples."""
    from .rules import check_examples, load_rules

    rules = load_rules(dirs or _rule_dirs(config))
    problems = [p for rule in rules for p in check_examples(rule)]
    for problem in problems:
        stdout.print(problem, markup=False)
    stdout.print(f"{len(rules)} rule(s), {len(problems)} problem(s)")
    return 1 if problems else 0


@rules_app.command("list")
def rules_list(config: ConfigOption = None) -> int:
    """List rule ids with their entity and description."""
    from .rules import load_rules

    for rule in load_rules(_rule_dirs(config)):
        typer.echo(f"{rule.id}\t{rule.entity}\t{rule.description}")
    return 0


@audit_app.command("verify")
def audit_verify(log: Annotated[Path, typer.Argument(help="Audit log (JSON Lines).")]) -> int:
    """Check the hash chain; exit 1 naming the first bad record."""
    from .audit import verify_chain

    if not log.is_file():
        raise RedactgateError(f"audit log not found: {log}")
    result = verify_chain(log)
    if result.ok:
        stdout.print(f"{log}: chain intact", markup=False)
        return 0
    stdout.print(f"{log}: line {result.line}: {result.reason}", markup=False)
    return 1


def _rule_dirs(config: Optional[Path]) -> list[Path]:
    from .rules import builtin_rules_dir

    settings = load_config(config)
    return ([builtin_rules_dir()] if settings.builtin_rules else []) + list(settings.rule_dirs)


def main(argv: Optional[list[str]] = None) -> int:
    """Entry point: the one place that turns exceptions into exit codes."""
    try:
        result = app(args=argv, prog_name="redactgate", standalone_mode=False)
    except RedactgateError as exc:
        stderr.print(f"error: {exc}", markup=False)
        return EXIT_USAGE
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        exc.show(file=sys.stderr)
        return EXIT_USAGE
    except (KeyboardInterrupt, click.exceptions.Abort):
        stderr.print("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - never print the message: it may quote document text
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        stderr.print(f"internal error: {type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}",
                     markup=False)
        return EXIT_USAGE
    return result if isinstance(result, int) else EXIT_OK
