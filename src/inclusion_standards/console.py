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
from typing import TYPE_CHECKING

import click

from .batch import Totals
from .diagnostics import printable
from .testing import TestOutcome, TestReport

if TYPE_CHECKING:
    from rich.progress import Progress, Task, TaskID

    from .rulebook import Entry

PLAIN_EVERY = 5.0     # seconds between plain progress lines
REFRESH_EVERY = 64    # records between progress-bar updates: the bar costs nothing per record
TOP_RULES = 10


class BatchProgress:
    """How far a batch has got: a bar with rate and ETA on a terminal, a plain line on stderr
    every few seconds otherwise."""

    def __init__(self, total: int, interactive: bool | None = None, command: str = "nis batch"):
        self.total, self.command = total, command
        self.interactive = sys.stderr.isatty() if interactive is None else interactive
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._started = self._last_line = time.monotonic()

    def __enter__(self) -> BatchProgress:
        return self

    def update(self, totals: Totals) -> None:
        done = totals.documents
        if self.interactive:
            if self._bar is None or self._task is None:
                self._bar, self._task = self._start(done)
            if done % REFRESH_EVERY == 0 or done == self.total:
                self._bar.update(self._task, completed=done)
            return
        now = time.monotonic()
        if now - self._last_line >= PLAIN_EVERY:
            self._last_line = now
            click.echo(self._plain_line(done, now - self._started), err=True)

    def _start(self, done: int) -> tuple[Progress, TaskID]:
        """Start the bar at the first record, not before: by then any worker processes exist,
        so none is forked while the bar's refresh thread is running."""
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task: Task) -> Text:
                return Text(f"{task.speed or 0:,.0f} documents/s", style="progress.data.speed")

        bar = Progress(TextColumn("judging"), BarColumn(), MofNCompleteColumn(), Rate(), TimeRemainingColumn(),
                       console=Console(stderr=True))
        bar.start()
        return bar, bar.add_task("batch", total=self.total, completed=done)

    def _plain_line(self, done: int, seconds: float) -> str:
        rate = done / seconds if seconds > 0 else 0.0
        line = f"{self.command}: {done:,}/{self.total:,} documents"
        if self.total:
            line += f" ({100 * done / self.total:.0f}%)"
        line += f", {rate:,.0f} documents/s"
        if rate > 0 and self.total > done:
            line += f", about {_duration((self.total - done) / rate)} left"
        return line

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def print_summary(totals: Totals, *, out: Path | None, csv_path: Path | None, seconds: float,
                  interactive: bool | None = None, also: tuple[Path | None, ...] = ()) -> None:
    """The closing table: documents, passed, failed, errors, and the rules failed most often."""
    interactive = sys.stdout.isatty() if interactive is None else interactive
    rows = [("documents", totals.documents), ("passed", totals.passed), ("failed", totals.failed),
            ("errors", totals.errors)]
    top = sorted(totals.rule_failures.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_RULES]
    rate = totals.documents / seconds if seconds > 0 else 0.0
    wrote = [printable(str(path)) for path in (out, csv_path, *also) if path is not None]
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


def print_test_report(report: TestReport, *, verbose: bool = False, color: bool = False,
                      fail_under: float | None = None) -> None:
    """The test report on stdout, coloured when asked."""
    click.echo(test_report_text(report, verbose=verbose, color=color, fail_under=fail_under), nl=False,
               color=color or None)


def test_report_text(report: TestReport, *, verbose: bool = False, color: bool = False,
                     fail_under: float | None = None) -> str:
    """A pytest-like report: a dot or F per test, grouped by file (with `verbose`, a line per
    test instead); each failure with file:line and what differed; the rules no test covers
    both ways; the coverage; then "N passed, M failed"."""

    def paint(text: str, fg: str) -> str:
        return click.style(text, fg=fg, bold=True) if color else text

    lines: list[str] = []
    if verbose:
        for o in report.outcomes:
            word = paint("PASSED", "green") if o.passed else paint("FAILED", "red")
            lines.append(f"{word} " + printable(f"{o.source}:{o.line}: {o.name}"))
    else:
        by_file: dict[str, list[TestOutcome]] = {}
        for outcome in report.outcomes:
            by_file.setdefault(outcome.source, []).append(outcome)
        for source, outcomes in by_file.items():
            lines.append(printable(f"{source} ") + "".join("." if o.passed else paint("F", "red") for o in outcomes))
    for o in (o for o in report.outcomes if not o.passed):
        lines.append(f"\n{paint('FAILED', 'red')} " + printable(f"{o.source}:{o.line}: {o.name} ({o.standards})"))
        lines.extend(printable(f"  {failure}") for failure in o.failures)
        lines.extend("  " + d.render().replace("\n", "\n  ") for d in o.errors)
    gaps: dict[str, list[str]] = {}
    for rule, status in report.uncovered():
        gaps.setdefault(rule, []).append(status)
    if gaps:
        lines.append("\nrules without a test that shows them passing and failing:")
        for rule, missing in gaps.items():
            lines.append(f"  {printable(rule)}: no test where it " + " and none where it ".join(
                "passes" if s == "pass" else "fails" for s in missing))
    covered, total = report.coverage_counts()
    coverage = (f"\ncoverage: {report.coverage_percent():g}% of rule outcomes ({covered} of {total}: each rule "
                "met, and not met, by a passing test)")
    if fail_under is not None and report.coverage_percent() < fail_under:
        coverage += f"; {paint('under', 'red')} --fail-under-coverage {fail_under:g}"
    lines.append(coverage)
    last = f"{report.passed} passed, {report.failed} failed"
    lines.append("\n" + paint(last, "red" if report.failed else "green"))
    return "\n".join(lines) + "\n"


def rule_text(entries: list[Entry]) -> str:
    """`nis rule`: each set's declaration of a rule or decision, for a person."""
    from .tool_formats import shown_path

    out: list[str] = []
    for e in entries:
        if out:
            out.append("")
        out.append(f"{e.name}  {e.title or ''}".rstrip())
        if e.kind == "rule":
            kind = ("a requirement (must): not meeting it is an error" if e.severity == "must"
                    else "a recommendation (should): not meeting it is a warning")
        else:
            kind = "a decision the standards make about a plan"
        applies = f" · applies to {', '.join(e.applies_to)}" if e.applies_to else ""
        out.append(f"  {kind}{applies}")
        out.append(f"  {e.standards.id} {e.standards.version} · {shown_path(e.source)}:{e.line}")
        out.append("")
        out.extend("  " + line for line in e.text.splitlines())
        out.append("")
        out.append("Sources")
        out.extend(f"  - {c.text}" + (f" <{c.url}>" if c.url else "") for c in e.citations)
        if not e.citations:
            out.append("  none cited")
        if e.exceptions:
            out.append(f"Exceptions ({len(e.exceptions)})")
            out.extend(f"  - {x.id}  {x.title or ''}".rstrip() for x in e.exceptions)
        out.append(f"Tests ({len(e.tests)})")
        out.extend(f"  {t.expects:<14} {shown_path(t.source)}:{t.line}  {t.name}" for t in e.tests)
        if e.kind == "rule":
            met, not_met = e.covered()
            missing = [word for word, seen in (("met", met), ("not met", not_met)) if not seen]
            out.append("  a test shows it met and one shows it not met" if not missing
                       else f"  no test shows it {' or '.join(missing)}")
    return "\n".join(out) + "\n"


def rule_json(entries: list[Entry]) -> str:
    """`nis rule --format json`: the same, as data."""
    import json

    data = [{"kind": e.kind, "id": e.name, "title": e.title, "severity": e.severity,
             "applies_to": list(e.applies_to),
             "standards": {"id": e.standards.id, "version": e.standards.version},
             "source": e.source, "line": e.line, "text": e.text,
             "citations": [{"text": c.text, "url": c.url} for c in e.citations],
             "hint": e.hint, "challenge": e.challenge,
             "exceptions": [{"id": x.id, "title": x.title} for x in e.exceptions],
             "tests": [{"name": t.name, "source": t.source, "line": t.line, "expects": t.expects} for t in e.tests]}
            for e in entries]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {rest:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"
