"""What the CLI shows while and after it works: the batch progress and summary, and the
report of `nis test`.

On a terminal the batch gets a `rich` progress bar (rate and time left) and summary table;
anywhere else (a CI log, a pipe) it gets plain lines, so logs stay readable and greppable.
Progress goes to stderr; summaries go to stdout. rich is imported only when it is used.
Text that came from a plan, a standards file or a file name is printed through
`diagnostics.printable`, so none of it can drive the terminal.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .batch import Totals
from .diagnostics import printable
from .testing import TestReport

PLAIN_EVERY = 5.0     # seconds between plain progress lines
REFRESH_EVERY = 64    # records between progress-bar updates: the bar costs nothing per record
TOP_RULES = 10


class BatchProgress:
    """How far a batch has got: a bar with rate and ETA on a terminal, a plain line on stderr
    every few seconds otherwise."""

    def __init__(self, total: int, interactive: bool | None = None, command: str = "nis batch"):
        self.total, self.command = total, command
        self.interactive = sys.stderr.isatty() if interactive is None else interactive
        self._bar = self._task = None
        self._started = self._last_line = time.monotonic()

    def __enter__(self) -> BatchProgress:
        return self

    def update(self, totals: Totals) -> None:
        done = totals.documents
        if self.interactive:
            if self._bar is None:
                self._start(done)
            if done % REFRESH_EVERY == 0 or done == self.total:
                self._bar.update(self._task, completed=done)
            return
        now = time.monotonic()
        if now - self._last_line >= PLAIN_EVERY:
            self._last_line = now
            click.echo(self._plain_line(done, now - self._started), err=True)

    def _start(self, done: int) -> None:
        """Start the bar at the first record, not before: by then any worker processes exist,
        so none is forked while the bar's refresh thread is running."""
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                                   TimeRemainingColumn)
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task) -> Text:
                return Text(f"{task.speed or 0:,.0f} documents/s", style="progress.data.speed")

        self._bar = Progress(TextColumn("judging"), BarColumn(), MofNCompleteColumn(), Rate(),
                             TimeRemainingColumn(), console=Console(stderr=True))
        self._bar.start()
        self._task = self._bar.add_task("batch", total=self.total, completed=done)

    def _plain_line(self, done: int, seconds: float) -> str:
        rate = done / seconds if seconds > 0 else 0.0
        line = f"{self.command}: {done:,}/{self.total:,} documents"
        if self.total:
            line += f" ({100 * done / self.total:.0f}%)"
        line += f", {rate:,.0f} documents/s"
        if rate > 0 and self.total > done:
            line += f", about {_duration((self.total - done) / rate)} left"
        return line

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()


def print_summary(totals: Totals, *, out: Path, csv_path: Path | None, seconds: float,
                  interactive: bool | None = None) -> None:
    """The closing table: documents, passed, failed, errors, and the rules failed most often."""
    interactive = sys.stdout.isatty() if interactive is None else interactive
    rows = [("documents", totals.documents), ("passed", totals.passed), ("failed", totals.failed),
            ("errors", totals.errors)]
    top = sorted(totals.rule_failures.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_RULES]
    rate = totals.documents / seconds if seconds > 0 else 0.0
    wrote = [printable(str(out))] + ([printable(str(csv_path))] if csv_path else [])
    footer = [f"wrote {', '.join(wrote)} in {_duration(seconds)} ({rate:,.0f} documents/s)"]
    if totals.resumed:
        footer.append(f"resumed: kept {totals.resumed:,} records from the interrupted run")
    if interactive:
        from rich.console import Console
        from rich.table import Table

        counts = Table(title="nis batch", show_header=False)
        for name, value in rows:
            counts.add_row(name, f"{value:,}")
        console = Console()
        console.print(counts)
        if top:
            rules = Table(title="rules failed most often", min_width=30)
            rules.add_column("rule")
            rules.add_column("documents", justify="right")
            for rule, count in top:
                rules.add_row(printable(rule), f"{count:,}")
            console.print(rules)
        for line in footer:
            console.print(line, highlight=False, markup=False)
        return
    width = max(len(f"{v:,}") for _, v in rows)
    for name, value in rows:
        click.echo(f"{name:<10} {value:>{width},}")
    if top:
        click.echo("rules failed most often:")
        rule_width = max(len(rule) for rule, _ in top)
        for rule, count in top:
            click.echo(printable(f"  {rule:<{rule_width}}  {count:,}"))
    for line in footer:
        click.echo(line)


def print_test_report(report: TestReport) -> None:
    """A pytest-like report: a dot or F per test, grouped by file; each failure with file:line
    and what differed; the rules no test covers both ways; then "N passed, M failed"."""
    by_file: dict[str, list] = {}
    for outcome in report.outcomes:
        by_file.setdefault(outcome.source, []).append(outcome)
    for source, outcomes in by_file.items():
        click.echo(printable(f"{source} ") + "".join("." if o.passed else "F" for o in outcomes))
    failures = [o for o in report.outcomes if not o.passed]
    for o in failures:
        click.echo("\n" + printable(f"FAILED {o.source}:{o.line}: {o.name} ({o.standards})"))
        for failure in o.failures:
            click.echo(printable(f"  {failure}"))
        for d in o.errors:
            click.echo("  " + d.render().replace("\n", "\n  "))
    gaps: dict[str, list[str]] = {}
    for rule, status in report.uncovered():
        gaps.setdefault(rule, []).append(status)
    if gaps:
        click.echo("\nrules without a test that shows them passing and failing:")
        for rule, missing in gaps.items():
            click.echo(f"  {printable(rule)}: no test where it " + " and none where it ".join(
                "passes" if s == "pass" else "fails" for s in missing))
    click.echo(f"\n{report.passed} passed, {report.failed} failed")


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {rest:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"
