"""Command line: parse, call the library, render, return an exit code. No pipeline logic here."""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import click
import typer
from rich.console import Console
from rich.progress import Progress

from .config import Config, load_config, parse_config, with_operators
from .errors import EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, RedactgateError
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
baseline_app = typer.Typer(help="Record accepted findings as keyed fingerprints.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(audit_app, name="audit")
app.add_typer(baseline_app, name="baseline")

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)

ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="redactgate.toml or pyproject.toml to use.")]
JobsOption = Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes [default: all cores].")]
DatasetOption = Annotated[Optional[str], typer.Option("--dataset", help="Dataset id: separates pseudonyms, surrogates, tokens and date shifts [default: config `dataset`].")]


class Numbering(str, Enum):
    document = "document"
    corpus = "corpus"


class EngineName(str, Enum):
    local = "local"
    ray = "ray"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


GatePaths = Annotated[Optional[list[Path]], typer.Argument(help="Files or folders (with --staged: their index versions).")]
StagedOption = Annotated[bool, typer.Option("--staged", help="Screen the staged content (index blobs), not the working tree.")]
RangeOption = Annotated[Optional[str], typer.Option("--range", metavar="BASE..HEAD", help="Screen the files changed between two commits.")]


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
    jobs: JobsOption = None,
    engine: Annotated[EngineName, typer.Option("--engine", help="local processes, or Ray (extra redactgate[ray]).")] = EngineName.local,
    address: Annotated[Optional[str], typer.Option("--address", help="Ray cluster to join [default: start a local Ray].")] = None,
) -> int:
    """Write redacted copies of SOURCES under OUT, with an audit log and a run manifest."""
    from .pipeline import run_redact
    from .report import render_summary

    if address and engine is not EngineName.ray:
        raise RedactgateError("--address joins a Ray cluster: use it with --engine ray")
    settings = _settings(config, operator or [], dataset, numbering.value if numbering else None)
    key = RunKey.from_env(settings.key_env, settings.dataset)
    with _progress_bar() as progress:
        report = run_redact(sources, out, settings, key, audit_path=audit, progress=progress, jobs=jobs,
                            engine=engine.value, address=address)
    render_summary(report, stdout)
    return EXIT_INCOMPLETE if report.errors else EXIT_OK


@app.command()
def check(
    paths: GatePaths = None,
    staged: StagedOption = False,
    range_: RangeOption = None,
    format: Annotated[CheckFormat, typer.Option("--format", help="Output format on stdout.")] = CheckFormat.text,
    report: Annotated[Optional[Path], typer.Option("--report", help="Also write a report; format from the name (.sarif, .json, else text).")] = None,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="Accept the findings recorded in this baseline.")] = None,
    ignore_pragmas: Annotated[bool, typer.Option("--ignore-pragmas", help="Report lines that pragmas allow (audits).")] = False,
    config: ConfigOption = None,
    jobs: JobsOption = None,
) -> int:
    """Screen files read-only. Exit 1 on findings, 2 when anything was not scanned, 3 on usage errors."""
    from .baseline import load_baseline
    from .gate import GateRequest, run_gate
    from .gateformat import format_for, render, write_report

    settings = load_config(config)
    key = RunKey.from_env(settings.key_env)
    accepted = load_baseline(baseline, key, settings.key_env) if baseline else None
    request = GateRequest(tuple(paths or ()), staged, range_, ignore_pragmas)
    result = run_gate(request, settings, key, accepted, jobs=jobs)
    typer.echo(render(result, format.value))
    if report:
        write_report(report, render(result, format_for(report)))
    return result.exit_code


@app.command()
def fix(
    paths: Annotated[list[Path], typer.Argument(help="Files to redact in place (the pre-commit redact hook).")],
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="Leave files whose findings this baseline accepts.")] = None,
    config: ConfigOption = None,
) -> int:
    """Redact blocked files in place; exit 1 when a file changed (re-stage it), 2 when one could not be."""
    from .baseline import load_baseline
    from .gateformat import fix_text
    from .inplace import fix_in_place

    settings = load_config(config)
    key = RunKey.from_env(settings.key_env)
    accepted = load_baseline(baseline, key, settings.key_env) if baseline else None
    result = fix_in_place(paths, settings, key, accepted)
    typer.echo(fix_text(result))
    return result.exit_code


@baseline_app.command("update")
def baseline_update(
    paths: GatePaths = None,
    staged: StagedOption = False,
    range_: RangeOption = None,
    baseline: Annotated[Path, typer.Option("--baseline", help="Baseline file to create or update.")] = Path(".redactgate-baseline.json"),
    config: ConfigOption = None,
) -> int:
    """Accept the current findings: write them, sorted, as keyed fingerprints (needs REDACTGATE_KEY)."""
    from .baseline import require_key, update_baseline
    from .gate import GateRequest, run_gate
    from .gateformat import render

    settings = load_config(config)
    key = RunKey.from_env(settings.key_env)
    require_key(key, settings.key_env)  # before the model loads: a random key makes a useless file
    result = run_gate(GateRequest(tuple(paths or ()), staged, range_), settings, key)
    written = update_baseline(baseline, result, settings.key_env)
    stdout.print(f"{baseline}: {len(written.entries)} accepted finding(s)", markup=False, highlight=False)
    if result.errors:
        typer.echo(render(result, "text"))
    return EXIT_INCOMPLETE if result.errors else EXIT_OK


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


class DatasetFormatOption(str, Enum):
    conll = "conll"
    presidio_json = "presidio-json"
    recognizer_vectors = "recognizer-vectors"


@app.command("eval")
def eval_(
    dataset: Annotated[Path, typer.Argument(help="Labelled data: CoNLL (IOB2), presidio-research JSON or recognizer vectors ({cases: [...]}).")],
    format: Annotated[Optional[DatasetFormatOption], typer.Option("--format", help="[default: by extension]")] = None,
    min_recall: Annotated[Optional[float], typer.Option("--min-recall", help="Exit 1 when any entity's token recall is lower.")] = None,
    baseline: Annotated[bool, typer.Option("--baseline/--no-baseline", help="Also run Presidio's stock analyzer.")] = True,
    ablation: Annotated[bool, typer.Option("--ablation", help="Measure each recall booster on its own, with its speed.")] = False,
    config: ConfigOption = None,
) -> int:
    """Token and span precision/recall per entity on labelled data, beside Presidio's defaults."""
    from .evaluate import render, run_eval

    settings = load_config(config)
    report = run_eval(dataset, format.value if format else None, settings, RunKey.from_env(settings.key_env),
                      baseline=baseline, ablation=ablation)
    stdout.print(render(report), markup=False, soft_wrap=True)
    lowest = report.lowest_recall()
    return 1 if min_recall is not None and not lowest >= min_recall else 0


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


GC_THRESHOLDS = (50_000, 20, 10)  # Python's default: (700, 10, 10)


def run() -> NoReturn:
    """The console script and `python -m redactgate`: `main()` with fewer garbage collections, then
    an exit without the interpreter's teardown (each cost a pre-commit hook pays on every commit).

    Start-up (imports, the model, rules, word and place lists) builds hundreds of thousands of
    objects that live until exit, and at Python's default thresholds the collector scanned them
    over and over: 0.27 s of a one-file `check`, 0.05 s at `GC_THRESHOLDS`; cyclic garbage is still
    collected, after 50,000 allocations instead of 700.

    At exit every output is closed and renamed and every worker joined; teardown would free the
    model, name lists and word frequencies object by object, about 0.25 s. The exit handlers still
    run and the standard streams are flushed (a failed flush exits 120, as Python does). While
    another thread runs (Ray's driver), the normal exit waits for it."""
    gc.set_threshold(*GC_THRESHOLDS)
    code = main()
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        code = 120
    os._exit(code)
