"""Render results for people (rich) and machines (JSON). Paths, entities, rules, offsets; never values."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .paths import display_path
from .pipeline import RunReport


def render_summary(report: RunReport, console: Console, title: str = "redactgate") -> None:
    processed = [o for o in report.outcomes if o.ok]
    table = Table(title=f"{title}: {len(processed)} of {len(report.outcomes)} files processed")
    table.add_column("entity")
    table.add_column("findings", justify="right")
    for entity, count in sorted(report.counts.items()):
        table.add_row(entity, str(count))
    console.print(table)
    if report.errors:
        console.print(f"[bold red]{len(report.errors)} file(s) could not be processed safely:[/]")
        for outcome in report.errors:
            console.print(f"  {display_path(outcome.rel)}: {outcome.reason}" + (f" ({outcome.detail})" if outcome.detail else ""),
                          markup=False, highlight=False)
    mixed = sum(len(o.mixed_script) for o in report.outcomes)
    if mixed:
        console.print(f"warning: {mixed} token(s) mix Latin with Cyrillic or Greek letters (look-alikes); "
                      "their offsets are in the audit log (mixed_script)", markup=False, highlight=False)
    if report.audit_path:
        console.print(f"audit log: {report.audit_path}", markup=False, highlight=False)
    if report.key.is_random:
        console.print("note: REDACTGATE_KEY is not set; this run used a random key, so value ids and "
                      "digests do not link across runs.")
