"""The `nis` command line: thin commands over the public API (`inclusion_standards.api`).

Each command reads its flags, calls the API, renders what came back and turns the outcome
into an exit code: 0 when nothing at `must` severity failed (or a check passed), 1 when
something did, 2 for a usage or input error (unreadable file, invalid document, broken
standards), with the diagnostics on stderr and never a traceback. docs/cli.md is the
reference. Heavy modules are imported inside the commands so `nis --version` and `--help`
start fast. This is the only place that reads the clock: `--as-of` defaults to today.

Everything printed that can hold text from a plan, a standards file or a file name goes
through `diagnostics.printable`, so no input can drive the terminal. Outputs (`--output`,
`--out`, `--csv`) are checked against the inputs and each other before anything is read,
and written through a temporary file and a rename.
"""
from __future__ import annotations

import gc
import os
import re
import signal
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, cast

import click

from . import __version__
from .diagnostics import SHOWN, printable, summary_line

if TYPE_CHECKING:
    from .config import Option
    from .diagnostics import Diagnostic
    from .documents import LoadedDocument
    from .inputs import Item
    from .results import Result
    from .selection import Selection
    from .sen2 import Sen2Return
    from .standards import StandardsLibrary

Command = TypeVar("Command", bound=Callable[..., Any])

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
FORMATS = ("text", "json", "html")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Date(click.ParamType[date, Any]):
    """A calendar date written YYYY-MM-DD (and only that: no week dates, no times)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        if not _ISO_DATE.fullmatch(value):
            self.fail(f"`{value}` is not a date written YYYY-MM-DD (hint: for 1 June 2030 write 2030-06-01)",
                      param, ctx)
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            self.fail(f"`{value}` is not a date: {exc} (hint: check the month and the day)", param, ctx)


def _standards_option(command: Command) -> Command:
    return click.option("--standards", "standards", metavar="DIR", type=click.Path(path_type=Path),
                        help="Folder (or .nis file) of the standards to judge by. Default: the bundled "
                             "standards.")(command)


def _as_of_option(command: Command) -> Command:
    return click.option("--as-of", "as_of", type=_Date(), default=None,
                        help="Judge as on this date. Default: today.")(command)


def _standards_version_option(command: Command) -> Command:
    return click.option("--standards-version", "standards_version", metavar="VERSION",
                        help="Judge by this version (ID@VERSION or VERSION, as `nis versions` lists them), "
                             "whatever the date. Default: the version in force on the as-of date.")(command)


def _pin(library: StandardsLibrary, version: str | None) -> StandardsLibrary:
    """The library, or the library judging every plan by the named version (unknown: exit 2)."""
    if version is None:
        return library
    from .api import StandardsError
    from .versions import find_version, pin

    try:
        return pin(library, find_version(library, version))
    except StandardsError as exc:
        _fail(exc.diagnostics)


def _selection_options(command: Command) -> Command:
    command = click.option("--ignore", "ignore", metavar="RULE-ID", multiple=True,
                           help="Leave out this rule (or every rule whose id starts with a prefix ending in - or "
                                "*): not judged, not counted. Repeatable.")(command)
    return click.option("--select", "select", metavar="RULE-ID", multiple=True,
                        help="Judge only this rule (or the rules whose id starts with a prefix ending in - or *, "
                             "such as EHCP-T-), and count only those toward the outcome. Repeatable.")(command)


def _selection(library: StandardsLibrary, select: Sequence[str], ignore: Sequence[str]) -> Selection | None:
    """The rules `--select` and `--ignore` leave to judge; a pattern matching no rule exits 2."""
    from .selection import SelectionError, make_selection

    try:
        return make_selection(library, select, ignore)
    except SelectionError as exc:
        _fail(exc.diagnostics)


def _sen2_options(command: Command) -> Command:
    command = click.option("--pseudonymise", metavar="KEY",
                           help="With --from sen2: show each child by a keyed hash of their identifier (at least "
                                "16 characters; keep it secret), so the summary can be shared.")(command)
    return click.option("--from", "source", type=click.Choice(["files", "sen2"]), default="files",
                        show_default=True,
                        help="files: plans in YAML or JSON. sen2: one SEN2 return (XML), one case per request "
                             "(docs/sen2.md).")(command)


def _today(as_of: date | None) -> date:
    return as_of if as_of is not None else date.today()


def _fail(diagnostics: Iterable[Diagnostic]) -> NoReturn:
    """Print the diagnostics that stopped a command, and exit 2."""
    _print_diagnostics(diagnostics)
    raise click.exceptions.Exit(EXIT_INPUT)


def _print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    """The diagnostics on stderr: the first SHOWN in full, then one line that counts the rest."""
    listed = list(diagnostics)
    shown = listed if len(listed) <= SHOWN + 1 else listed[:SHOWN]  # a document's own count is kept
    for d in shown:
        click.echo(d.render(), err=True)
    more = summary_line(listed[len(shown):])
    if more:
        click.echo(more, err=True)


def _plan_dated(document: LoadedDocument) -> date | None:
    """The date a plan was written: an ISP's `created`, an EHCP's final (else draft) issue."""
    data = document.data
    process = data.get("process")
    candidates = [data.get("created")] if document.document_type == "isp" else \
        [process.get("final_issued"), process.get("draft_issued")] if isinstance(process, dict) else []
    for value in candidates:
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return None
    return None


def _warn_if_dated_after(document: LoadedDocument, as_of: date) -> None:
    """A plan judged as of a day before it was written is judged by dates that had not yet
    come: say so, so the results are not read as faults of the plan."""
    from .wording import long_date

    written = _plan_dated(document)
    if written is not None and written > as_of:
        _say(f"nis: warning: {document.source} is dated {long_date(written)}, after the as-of date "
             f"{long_date(as_of)}: findings about its dates reflect judging it before it was written, "
             "not the plan (give --as-of on or after its date)")


def _say(text: str, err: bool = True) -> None:
    """A line for the person running nis, with anything a terminal could act on escaped."""
    click.echo(printable(text), err=err)


def _load_library(path: Path | None) -> StandardsLibrary:
    """The standards under `path` (default: the bundled ones); broken standards exit 2."""
    from .api import StandardsError, load_standards

    context = click.get_current_context(silent=True)
    whole_process = context is not None and context.find_root().obj is _WHOLE_PROCESS
    if whole_process:
        # The standards live as long as the process: no collection need ever scan them, not
        # even the first one after they are built, which would scan every object they hold.
        gc.disable()
    try:
        library = load_standards(path)
    except StandardsError as exc:
        _fail(exc.diagnostics)
    finally:
        if whole_process:
            gc.freeze()
            gc.enable()
    return library


_WHOLE_PROCESS = object()  # the root context's `obj` when `run` started the command


def run() -> None:
    """The `nis` program (its console script, and `python -m inclusion_standards`). The
    command is the whole process, so the standards it loads may be kept out of the cycle
    collector's way for good; run inside another program (a test's runner), they are not."""
    main(obj=_WHOLE_PROCESS)


COLORS = ("auto", "always", "never")


def _color_option(command: Command) -> Command:
    return click.option("--color", "color", type=click.Choice(COLORS), default="auto", show_default=True,
                        help="Colour in text output. auto: only on a terminal, never when NO_COLOR is set, "
                             "always when FORCE_COLOR is set.")(command)


def _color(output: Path | None, choice: str = "auto") -> bool:
    """Whether to colour text: as `--color` says; with `auto`, never when NO_COLOR is set (it
    wins, as the command line wins over both), always when FORCE_COLOR is set, and otherwise
    only for a person at a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return output is None and sys.stdout.isatty()


STDIN = "-"


def _stdin_bytes() -> bytes:
    """A plan piped in (`-`), read up to one byte past the limit so an oversized one is refused
    by the loader with its usual message, not read whole."""
    from .documents import MAX_BYTES

    return sys.stdin.buffer.read(MAX_BYTES + 1)


def _config_options() -> dict[str, list[Option]]:
    """Every option a configuration file can set, by command: its key is the long option's
    name without dashes; `standards` also sets the folder `lint` and `test` read."""
    from .config import Option

    options: dict[str, list[Option]] = {}
    for name, command in main.commands.items():
        found = []
        for param in command.params:
            is_path = isinstance(param.type, click.Path)
            if isinstance(param, click.Option) and param.name is not None and param.name != "help":
                longs = [o for o in param.opts if o.startswith("--")]
                if longs:
                    choices = tuple(str(c) for c in param.type.choices) if isinstance(param.type, click.Choice) \
                        else None
                    found.append(Option(longs[0][2:], param.name, is_path, choices))
            elif isinstance(param, click.Argument) and param.name == "directory":
                found.append(Option("standards", "directory", True))
        options[name] = found
    return options


def _emit(text: str, output: Path | None, color: bool = False) -> None:
    """Write a report to `output` (whole or not at all: through a temporary file and a
    rename), or print it (keeping its colours when it was coloured on purpose: click would
    otherwise strip them from anything that is not a terminal)."""
    from .diagnostics import Diagnostic
    from .files import OutputRefused, write_atomically

    if output is None:
        click.echo(text, nl=not text.endswith("\n"), color=color or None)
        return
    try:
        write_atomically(output, (text if text.endswith("\n") else text + "\n").encode("utf-8"), "--output")
    except OutputRefused as exc:
        _fail([Diagnostic("error", "NIS-O001", str(exc))])
    _say(f"wrote {output}")


def _internal_error(exc: Exception, source: str) -> Diagnostic:
    """The diagnostic for a bug in nis met while judging one document (as a batch records it)."""
    from .diagnostics import Diagnostic

    return Diagnostic("error", "NIS-B003", f"internal error: {type(exc).__name__}: {exc}", source=source,
                      hint="this is a bug in nis: please report it with the document")


def _refuse_unsafe_outputs(paths: Iterable[Path | str],
                           outputs: Mapping[str, Path | None] | Iterable[tuple[str, Path | None]]) -> list[Path]:
    """Check the outputs against the inputs and each other before anything is read; exit 2
    with the reason when one is not safe to write. Returns the files a folder walk skips."""
    named = list(outputs.items() if isinstance(outputs, Mapping) else outputs)
    if all(path is None for _, path in named):
        return []  # nothing is written but to the terminal
    from .batch import BatchError, prepare_outputs

    try:
        return prepare_outputs(paths, named)
    except BatchError as exc:
        _fail(exc.diagnostics)


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """nis's own warnings (a cache folder it will not use) as one plain line on stderr."""
    from .cache import CacheWarning

    if issubclass(category, CacheWarning):
        _say(f"nis: warning: {message}")
    else:
        _default_show_warning(message, category, filename, lineno, file, line)


_default_show_warning = warnings.showwarning


class _StopOnSignals:
    """Ctrl-C, SIGTERM and SIGHUP ask a batch to stop after the record it is writing, leaving
    a working file `--resume` carries on from; a second signal stops at once. Which signal
    came decides the exit code (128 + its number: 130, 143, 129), as a shell expects."""

    NAMES = ("SIGINT", "SIGTERM", "SIGHUP")

    def __init__(self) -> None:
        self.signal: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _StopOnSignals:
        import threading

        if threading.current_thread() is not threading.main_thread():
            return self  # only the main thread may set handlers; elsewhere signals keep their defaults
        for name in self.NAMES:
            number = getattr(signal, name, None)
            if number is not None:
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def _handle(self, number: int, frame: object) -> None:
        if self.signal is not None:
            raise KeyboardInterrupt
        self.signal = number

    def requested(self) -> bool:
        return self.signal is not None

    def exit_code(self) -> int:
        return 128 + (self.signal or signal.SIGINT)

    def __exit__(self, *exc: object) -> None:
        for number, previous in self._previous.items():
            signal.signal(number, previous)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="nis", message="%(prog)s %(version)s")
@click.option("--no-config", is_flag=True,
              help="Ignore nis.toml and the [tool.nis] table of pyproject.toml (docs/cli.md, Configuration).")
@click.pass_context
def main(ctx: click.Context, no_config: bool) -> None:
    """nis: check Individual Support Plans (ISPs) and EHCPs against the National Inclusion
    Standards, and explain every decision.

    \b
    Examples:
      nis check plan.yaml --as-of 2030-06-01
      nis explain plan.yaml --decision ISP-REVIEW-ANNUAL
      nis batch plans/ --out results.jsonl --csv results.csv --jobs 4
      nis test standards/

    Exit codes: 0 nothing at `must` severity failed, 1 something did, 2 a usage or input
    error (unreadable file, invalid document, broken standards).

    Defaults come from nis.toml, or the [tool.nis] table of pyproject.toml, in this folder or
    one above it. Shell completion: eval "$(_NIS_COMPLETE=bash_source nis)" (zsh_source,
    fish_source for those shells).
    """
    warnings.showwarning = _show_warning
    if no_config or ctx.default_map is not None:
        return
    from .config import ConfigError, find_config

    try:
        config = find_config(Path.cwd())
        if config is not None:
            ctx.default_map = config.defaults(_config_options())
    except ConfigError as exc:
        _fail(exc.diagnostics)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_standards_option
@_standards_version_option
@_as_of_option
@click.option("--format", "fmt", type=click.Choice((*FORMATS, "junit")), default="text", show_default=True,
              help="text for a terminal, json for programs, html for a page to print or share, junit for a CI "
                   "test-report view (a test case per plan).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE instead of printing it.")
@click.option("--together", is_flag=True,
              help="Judge a child's ISP and EHCP together: the files given are one ISP and one EHCP, "
                   "or each folder given holds one of each. Reports each plan and the case.")
@_selection_options
@click.option("--verbose", "-v", is_flag=True,
              help="Text: the full report, every rule with its reasons and sources, and the decisions.")
@click.option("--quiet", "-q", is_flag=True, help="Text: only the verdict line of each plan.")
@_color_option
def check(paths: tuple[Path, ...], standards: Path | None, standards_version: str | None, as_of: date | None,
          fmt: str, output: Path | None, together: bool, select: tuple[str, ...], ignore: tuple[str, ...],
          verbose: bool, quiet: bool, color: str) -> None:
    """Judge each plan (PATH: a file, a folder of *.yaml/*.yml/*.json, a .jsonl file, or - for
    a plan piped in) and report every finding.

    With several documents, json is an array of results in the order given (with one, the
    result itself), and text and html are one report with a summary first. Exit 0 when
    nothing at `must` severity failed, 1 when something did, 2 when a document could not be
    read or is not valid.

    Text leads with what to put right: the requirements not met, then the recommendations,
    each with the plan's items it concerns, then one line for the rest. --verbose prints
    every rule with its reasons and sources; --quiet only the verdict.

    \b
    Examples:
      nis check plan.yaml --as-of 2030-06-01
      nis check plan.yaml --as-of 2030-06-01 --verbose
      nis check plans/ --format html --output report.html
      nis check isp.yaml ehcp.yaml --together --as-of 2030-06-01
      nis check plan.yaml --as-of 2030-06-01 --select ISP-REVIEW- --ignore ISP-REVIEW-DATE-PASSED
    """
    from . import api

    if verbose and quiet:
        raise click.UsageError("give --verbose or --quiet, not both")
    skip = _refuse_unsafe_outputs(paths, {"--output": output})
    library = _pin(_load_library(standards), standards_version)
    selection = _selection(library, select, ignore)
    only = selection.only if selection is not None else None
    on = _today(as_of)
    schemas = api.plan_schemas(library, on)
    results: list[Result] = []
    plans: list[object] = []  # each result's plan data, for the items the short answer names
    documents, unreadable = 0, False
    judged_in_order: list[Result | tuple[str, str]] = []  # JUnit's cases: a result, or a plan refused and why
    groups = _case_groups(paths, skip) if together else [[item] for item in _inputs(paths, skip)]
    for group in groups:
        documents += len(group) + (1 if together else 0)
        try:
            for item in group:
                if item.problem is not None:
                    raise api.DocumentError(item.problem)
            loaded = [api.load_document(cast("bytes", i.raw), source=i.label(), schemas=schemas)
                      for i in group]  # read: no problem
            for document in loaded:
                _warn_if_dated_after(document, on)
            if together:
                isp, ehcp = _one_isp_one_ehcp(loaded)
                judged = [api.check(isp, as_of=on, standards=library, only=only),
                          api.check(ehcp, as_of=on, standards=library, only=only),
                          api.check_case(isp, ehcp, as_of=on, standards=library, only=only)]
                plans += [isp.data, ehcp.data, {"isp": isp.data, "ehcp": ehcp.data}]
            else:
                judged = [api.check(loaded[0], as_of=on, standards=library, only=only)]
                plans.append(loaded[0].data)
            judged = [selection.record(r) for r in judged] if selection is not None else judged
            results += judged
            judged_in_order += judged
        except api.NisError as exc:
            _print_diagnostics(exc.diagnostics)
            unreadable = True
            judged_in_order.append((", ".join(i.label() for i in group) or "--together",
                                    exc.diagnostics[0].message if exc.diagnostics else "it could not be read"))
        except Exception as exc:  # a bug in nis costs this document, never a traceback
            problem = _internal_error(exc, ", ".join(i.label() for i in group) or "--together")
            _print_diagnostics([problem])
            unreadable = True
            judged_in_order.append((problem.source or "--together", problem.message))
    if results or (documents > 1 and fmt == "json") or (judged_in_order and fmt == "junit"):
        paint = _color(output, color)
        if fmt == "text" and not verbose:
            from .report import short_answer

            text = short_answer(cast("list[dict[str, Any]]", results), plans, color=paint, quiet=quiet)
        elif fmt == "junit":
            text = _plans_junit(judged_in_order)
        else:
            text = _render(results, fmt, several=documents > 1, color=paint)
        _emit(text, output, paint)
    if unreadable:
        raise click.exceptions.Exit(EXIT_INPUT)
    raise click.exceptions.Exit(EXIT_FAILED if any(r["outcome"] != "pass" for r in results) else EXIT_OK)


def _plans_junit(judged: Sequence[Result | tuple[str, str]]) -> str:
    """`nis check --format junit`: a test case per plan, in the order given: its result, or an
    error for a plan that could not be judged (given as its label and why)."""
    from .tool_formats import PlanCase, plan_case_of, plans_junit, shown_path

    cases = [PlanCase(shown_path(each[0]), shown_path(each[0]), "error", error=each[1]) if isinstance(each, tuple)
             else plan_case_of(cast("dict[str, Any]", each)) for each in judged]
    when, host = _clock()
    return plans_junit(cases, suite="nis check", timestamp=when, hostname=host)


def _inputs(paths: Iterable[Path], skip: Sequence[Path] = ()) -> Iterator[Item]:
    """The plans named: files, folders, JSON Lines files, and `-` for a plan piped in; `skip`:
    the outputs, never read as plans."""
    from .inputs import Item, iter_inputs

    pending: list[Path] = []
    for path in paths:
        if str(path) != STDIN:
            pending.append(path)
            continue
        yield from iter_inputs(pending, skip=skip)
        pending = []
        yield Item(0, "<stdin>", None, _stdin_bytes())
    yield from iter_inputs(pending, skip=skip)


def _case_groups(paths: Sequence[Path], skip: Sequence[Path]) -> list[list[Item]]:
    """The documents of each case for `--together`: every folder given is one case; the
    files given, taken together, are one more. `skip`: the outputs, never read as plans."""
    from .inputs import iter_inputs

    files = [p for p in paths if str(p) == STDIN or not Path(p).is_dir()]
    groups = [list(iter_inputs([p], skip=skip)) for p in paths if str(p) != STDIN and Path(p).is_dir()]
    return ([list(_inputs(files, skip))] if files else []) + groups


def _one_isp_one_ehcp(loaded: list[LoadedDocument]) -> tuple[LoadedDocument, LoadedDocument]:
    """The ISP and the EHCP of a case, or a DocumentError saying what the case holds instead."""
    from .api import DocumentError
    from .diagnostics import Diagnostic

    kinds = [d.document_type for d in loaded]
    if sorted(kinds) != ["ehcp", "isp"]:
        held = ", ".join(f"{d.document_type} {d.source}" for d in loaded) or "nothing"
        raise DocumentError([Diagnostic("error", "NIS-L006", f"a case is one ISP and one EHCP; this one holds {held}",
                                        source="--together",
                                        hint="give the child's ISP and EHCP files, or a folder holding just "
                                             "those two")])
    return loaded[kinds.index("isp")], loaded[kinds.index("ehcp")]


def _render(results: list[Result], fmt: str, *, several: bool, color: bool) -> str:
    """One document: its report. Several: one report of them all (a JSON array of results in
    the order given, text and HTML with a summary first), even if only one could be read."""
    from . import api, report

    if several:
        return report.render_many(cast("list[dict[str, Any]]", results), fmt, color=color)  # reports read plain data
    return api.render(results[0], fmt, color=color)


def _complete_decision(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of rule ids and decision names, from the standards in use."""
    from .api import StandardsError, load_standards
    from .rulebook import names

    try:
        library = load_standards(ctx.params.get("standards"))
    except StandardsError:
        return []
    return [name for name in names(library) if name.startswith(incomplete)]


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--decision", metavar="NAME", shell_complete=_complete_decision,
              help="Explain only this rule (by id) or determination (by name).")
@_standards_option
@_standards_version_option
@_as_of_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the explanation to FILE instead of printing it.")
@_sen2_options
@click.option("--case", "case_id", metavar="CASE",
              help="With --from sen2: the case to explain, as the caseload summary names it (e.g. UPN-.../R1).")
@click.option("--timestamp", is_flag=True,
              help="With --format html: say on the page when it was made (the time SOURCE_DATE_EPOCH gives, if "
                   "set). Without it the page is the same bytes every time.")
@_color_option
def explain(path: Path | LoadedDocument, decision: str | None, standards: Path | None, standards_version: str | None,
            as_of: date | None, fmt: str, output: Path | None, source: str, pseudonymise: str | None,
            case_id: str | None, timestamp: bool, color: str) -> None:
    """Show the full trace of every determination and finding for one plan (PATH, or - for a
    plan piped in): each value used, where it came from in the document, the parameters in
    force and their citations.

    With --decision and --format html, a page for a tribunal bundle: "Explanation of
    decision NAME", only the figures that decision used, its reasoning open, and in print
    the plan, the date and the page numbers on every page where the browser supports it.

    Exits 0 once it has explained (use `nis check` for a verdict), 2 when the document
    cannot be read or no decision has that NAME.

    \b
    Examples:
      nis explain plan.yaml --as-of 2030-06-01
      nis explain plan.yaml --decision ISP-REVIEW-ANNUAL --format html --output review.html
    """
    from dataclasses import replace

    from . import api
    from .files import display_path

    _refuse_unsafe_outputs([cast("Path", path)], {"--output": output})
    library = _pin(_load_library(standards), standards_version)
    only = None
    if source == "sen2" and isinstance(path, Path):
        path, only, as_of = _sen2_case(path, case_id, pseudonymise, as_of)
    try:
        if str(path) == STDIN:
            path = api.load_document(_stdin_bytes(), source="<stdin>",
                                     schemas=api.plan_schemas(library, _today(as_of)))
        result = api.explain(path, as_of=_today(as_of), standards=library, decision=decision, only=only)
    except api.NisError as exc:
        _fail(replace(d, source=display_path(str(path))) if d.source is None else d for d in exc.diagnostics)
    except Exception as exc:  # a bug in nis: a clear message, never a traceback
        _fail([_internal_error(exc, display_path(str(path)))])
    paint = _color(output, color)
    if fmt == "html":
        from . import report

        made = _generated() if timestamp else None
        text = (report.decision_page(cast("dict[str, Any]", result), decision, generated=made) if decision
                else report.render(cast("dict[str, Any]", result), "html", generated=made))
    else:
        text = api.render(result, fmt, color=paint)
    _emit(text, output, paint)


def _generated() -> datetime:
    """When a page is made, for `--timestamp`: SOURCE_DATE_EPOCH when it is set (reproducible
    builds' convention, so a page can be made again byte for byte), otherwise now; in UTC."""

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now(UTC).replace(microsecond=0)
    if not epoch.isdigit():
        raise click.UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not `{epoch}`")
    return datetime.fromtimestamp(int(epoch), UTC)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write.")
@_standards_option
@_standards_version_option
@_as_of_option
@click.option("--timestamp", is_flag=True,
              help="Say in the bundle when it was made (the time SOURCE_DATE_EPOCH gives, if set).")
def bundle(paths: tuple[Path, ...], out: Path, standards: Path | None, standards_version: str | None,
           as_of: date | None, timestamp: bool) -> None:
    """Put the reports of a case's plans (PATH: files, folders, or - for a plan piped in) into
    one HTML document to print: a contents page naming each plan, its outcome and the rules
    it does not meet, then each plan's full report, with its reasoning, on new
    pages, numbered "Page x of y" in print where the browser supports it. If any plan cannot
    be read nothing is written (exit 2): a bundle never leaves a plan out.

    \b
    Example:
      nis bundle isp.yaml ehcp.yaml --as-of 2030-06-01 --out bundle.html
    """
    from . import api
    from .report import bundle_page

    skip = _refuse_unsafe_outputs(paths, {"--out": out})
    library = _pin(_load_library(standards), standards_version)
    on = _today(as_of)
    schemas = api.plan_schemas(library, on)
    results: list[dict[str, Any]] = []
    unreadable = False
    for item in _inputs(paths, skip):
        try:
            if item.problem is not None:
                raise api.DocumentError(item.problem)
            loaded = api.load_document(cast("bytes", item.raw), source=item.label(), schemas=schemas)
            results.append(cast("dict[str, Any]", api.explain(loaded, as_of=on, standards=library)))
        except api.NisError as exc:
            _print_diagnostics(exc.diagnostics)
            unreadable = True
        except Exception as exc:  # a bug in nis: a clear message, never a traceback
            _print_diagnostics([_internal_error(exc, item.label())])
            unreadable = True
    if unreadable or not results:
        _say("nis bundle: nothing written: " + ("a plan could not be read (above); a bundle never leaves one out"
                                                 if unreadable else "no plans found"))
        raise click.exceptions.Exit(EXIT_INPUT)
    _emit(bundle_page(results, generated=_generated() if timestamp else None), out)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="The JSON Lines file to write: one record per input document. May be left out when a CSV is "
                   "asked for (the records are then kept nowhere).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write one CSV row per document to FILE: the child, setting, layer, plan status, counts "
                   "of must and should failures, and the rules failed as ;RULE-A;RULE-B;.")
@click.option("--csv-long", "csv_long_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write one CSV row per document and rule failed (rule id, title, must or should) to FILE.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write JUnit XML to FILE for a CI test-report view: a test case per document, failed when "
                   "a requirement is not met.")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted run: keep the records already in --out, after checking "
                   "they belong to these inputs, and judge the rest.")
@_standards_option
@_standards_version_option
@_as_of_option
@click.option("--full", is_flag=True,
              help="Record every finding in full; by default rules met or not applicable are recorded "
                   "briefly (their citations are in the standards each record names).")
@click.option("--traces", is_flag=True, help="Record every finding in full, with the trace of every decision.")
@_sen2_options
@click.option("--summary", "summaries", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help="With --from sen2: also write the caseload summary to FILE (.json, .html, or "
                                   "text); may be given twice.")
@_selection_options
def batch(paths: tuple[Path, ...], out: Path | None, jobs: int, csv_path: Path | None, csv_long_path: Path | None,
          junit_path: Path | None, resume: bool, standards: Path | None, standards_version: str | None,
          as_of: date | None, full: bool, traces: bool, source: str, pseudonymise: str | None,
          summaries: tuple[Path, ...], select: tuple[str, ...], ignore: tuple[str, ...]) -> None:
    """Judge many documents: files, folders (walked recursively in sorted order for
    *.yaml/*.yml/*.json) and JSON Lines files (*.jsonl, one document per line).

    Writes exactly one JSON line per input document, in input order: its result, or an
    error record with the reason and the diagnostics. A bad document never stops the batch.
    Exit 0 when every document passed, 1 when any failed a `must` rule, 2 when any input
    could not be judged (every record is still written).

    \b
    Examples:
      nis batch plans/ --as-of 2030-06-01 --out results.jsonl --csv results.csv
      nis batch plans/ --as-of 2030-06-01 --csv results.csv --csv-long failures.csv --select EHCP-T-
      nis batch isps.jsonl --out results.jsonl --jobs 4 --resume
      nis batch --from sen2 sen2_2025.xml --out results.jsonl --summary caseload.html
    """
    import time

    from . import console
    from .batch import BatchError, Interrupted, count_inputs, run_batch, working_file

    if out is None and csv_path is None and csv_long_path is None and junit_path is None:
        raise click.UsageError("give --out FILE for the records, or --csv, --csv-long or --junit FILE for a table")
    if out is None and resume:
        raise click.UsageError("--resume carries on from the records in --out: give the --out of the interrupted run")
    if out is None and source == "sen2":
        raise click.UsageError("--from sen2 builds its caseload summary from the records: give --out FILE")
    with _StopOnSignals() as stopping:
        skip = _refuse_unsafe_outputs(paths, [("--out", out), ("--csv", csv_path), ("--csv-long", csv_long_path),
                                              ("--junit", junit_path),
                                              *(("--summary", summary) for summary in summaries)])
        library = _pin(_load_library(standards), standards_version)
        selection = _selection(library, select, ignore)
        inputs, sen2_return = None, None
        if source == "sen2":
            sen2_return, inputs, as_of, total = _sen2_batch_inputs(paths, as_of, pseudonymise)
        else:
            if summaries or pseudonymise:
                raise click.UsageError("--summary and --pseudonymise need --from sen2")
            total = count_inputs(paths, skip=skip)
        if total == 0:
            click.echo("nis batch: no documents found (folders are searched for *.yaml, *.yml and *.json; "
                       "name .jsonl files directly)", err=True)
        started = time.perf_counter()
        try:
            with console.BatchProgress(total) as progress:
                totals = run_batch(paths, out, library=library, standards_path=standards, as_of=_today(as_of),
                                   jobs=jobs, csv_path=csv_path, resume=resume, total=total,
                                   detail="traces" if traces else ("full" if full else "brief"),
                                   on_record=progress.update, on_note=lambda note: _say(f"nis batch: {note}"),
                                   stop=stopping.requested, skip=skip, inputs=inputs, csv_long_path=csv_long_path,
                                   selection=selection, junit_path=junit_path, clock=_clock() if junit_path else None)
        except BatchError as exc:
            _fail(exc.diagnostics)
        except (Interrupted, KeyboardInterrupt) as exc:
            if out is None:
                _say("interrupted: no records are kept without --out, and no CSV was written; give --out FILE to "
                     "be able to --resume")
            else:
                working = exc.working if isinstance(exc, Interrupted) else working_file(out)
                _say(f"interrupted: the records written so far are in {working}; run the same command with "
                     "--resume to carry on")
            raise click.exceptions.Exit(stopping.exit_code()) from None
    console.print_summary(totals, out=out, csv_path=csv_path, seconds=time.perf_counter() - started,
                          also=(csv_long_path, junit_path))
    if sen2_return is not None and out is not None:
        _sen2_caseload(sen2_return, out, library, _today(as_of), standards, summaries)
    raise click.exceptions.Exit(totals.exit_code)


def _sen2_return(path: Path, pseudonymise: str | None) -> Sen2Return:
    from .sen2 import Sen2Error, load_sen2

    try:
        return load_sen2(path, pseudonymise=pseudonymise)
    except Sen2Error as exc:
        _fail(exc.diagnostics)


def _sen2_as_of(sen2_return: Sen2Return, as_of: date | None) -> date:
    """An SEN2 return is judged as on its reference date (the census date it describes)."""
    on = as_of or sen2_return.header.reference_date
    if on is None:
        raise click.UsageError("the return has no <ReferenceDate>: give --as-of")
    return on


def _sen2_batch_inputs(paths: Sequence[Path], as_of: date | None,
                       pseudonymise: str | None) -> tuple[Sen2Return, Callable[[], Iterator[Item]], date, int]:
    from .caseload import batch_items
    from .sen2 import Sen2Error

    if len(paths) != 1:
        raise click.UsageError("--from sen2 takes one return")
    sen2_return = _sen2_return(paths[0], pseudonymise)
    try:
        total = sen2_return.count()  # a return that is not well-formed is refused before anything is written
    except Sen2Error as exc:
        _fail(exc.diagnostics)
    return sen2_return, lambda: batch_items(sen2_return), _sen2_as_of(sen2_return, as_of), total


def _sen2_caseload(sen2_return: Sen2Return, out: Path, library: StandardsLibrary, as_of: date, standards: Path | None,
                   summaries: Iterable[Path]) -> None:
    from .caseload import CaseloadError, summarise
    from .diagnostics import Diagnostic
    from .files import OutputRefused, replacing
    from .sen2 import Sen2Error

    try:
        caseload = summarise(sen2_return, out, library.select(as_of, "ehcp"), as_of,
                             standards_option=str(standards) if standards else None)
    except (Sen2Error, CaseloadError) as exc:
        _fail(exc.diagnostics)
    try:
        click.echo("")
        caseload.write("text", sys.stdout)
        for path in summaries:
            suffix = path.suffix.lower()
            try:
                with replacing(path, "--summary", text=True) as handle:  # whole or not at all
                    caseload.write("json" if suffix == ".json" else "html" if suffix in (".html", ".htm")
                                   else "text", handle)
            except OutputRefused as exc:
                _fail([Diagnostic("error", "NIS-O001", str(exc))])
            _say(f"wrote {path}")
    finally:
        caseload.close()


def _sen2_case(path: Path, case_id: str | None, pseudonymise: str | None,
               as_of: date | None) -> tuple[LoadedDocument, frozenset[str] | None, date]:
    """The document, rules and date of one case of an SEN2 return, for `explain`."""
    from .api import load_document
    from .sen2 import Sen2Error

    if not case_id:
        raise click.UsageError("--from sen2 needs --case CASE (the caseload summary names each case)")
    sen2_return = _sen2_return(path, pseudonymise)
    try:
        case = sen2_return.case(case_id)
    except Sen2Error as exc:
        _fail(exc.diagnostics)
    raw = case.raw() if case is not None else None
    if case is None or raw is None:
        from .diagnostics import Diagnostic

        why = "no case with that id" if case is None else "that case could not be read: " + (
            case.problem[0].message if case.problem else "it has no document")
        _fail([Diagnostic("error", "NIS-R202", f"{why} (`{case_id}`)", source=str(path),
                          hint="copy the case id from the caseload summary; a pseudonymised id needs the same "
                               "--pseudonymise key")])
    loaded = load_document(raw, source=f"{path}:{case.line}")
    return loaded, case.only, _sen2_as_of(sen2_return, as_of)


def _format_option(command: Command) -> Command:
    from_choices = ("text", "json", "sarif", "junit", "github")
    return click.option("--format", "fmt", type=click.Choice(from_choices), default="text", show_default=True,
                        help="text for a person; json; sarif for code-scanning views; junit for test-report "
                             "views; github for annotations in a GitHub Actions log.")(command)


def _clock() -> tuple[datetime, str]:
    """What JUnit XML records of the run: when, and on which host (read here, the one place
    that reads the clock)."""
    import socket

    return datetime.now().replace(microsecond=0), socket.gethostname()


@main.command("test")
@click.argument("directory", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("-k", "name_filter", metavar="NAME", help="Run only the tests whose name contains NAME.")
@click.option("--verbose", "-v", is_flag=True, help="A line for each test: PASSED or FAILED, its file:line and name.")
@click.option("--fail-under-coverage", "fail_under", type=click.FloatRange(0, 100), metavar="N",
              help="Exit 1 when less than N% of rule outcomes (each rule met, and not met) are shown by a test.")
@_format_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE instead of printing it.")
@_color_option
def test_command(directory: Path | None, name_filter: str | None, verbose: bool, fail_under: float | None, fmt: str,
                 output: Path | None, color: str) -> None:
    """Run the tests written beside the standards (`test` blocks) in DIRECTORY (default: the
    bundled standards). Prints each failure with file:line and what differed, then the rules
    no test shows both passing and failing, the coverage, then "N passed, M failed". Exit 1
    on any failure, or when coverage is under --fail-under-coverage.

    \b
    Examples:
      nis test standards/
      nis test standards/ -k "review" --verbose
      nis test standards/ --fail-under-coverage 90 --format junit --output nis-tests.xml
    """
    from . import console
    from .testing import run_tests

    library = _load_library(directory)
    report = run_tests(library, name_filter)
    if name_filter and not report.outcomes:
        click.echo(f"no test name contains `{name_filter}`", err=True)
        raise click.exceptions.Exit(EXIT_INPUT)
    if fmt == "text" and output is None:
        console.print_test_report(report, verbose=verbose, color=_color(output, color), fail_under=fail_under)
    else:
        from .tool_formats import tests_output

        if fmt == "text":
            text = console.test_report_text(report, verbose=verbose, fail_under=fail_under)
        else:
            when, host = _clock()
            text = tests_output(fmt, report, rule_locations=_rule_locations(library), timestamp=when,
                                hostname=host)
        _emit(text, output)
    short = fail_under is not None and report.coverage_percent() < fail_under
    raise click.exceptions.Exit(EXIT_FAILED if report.failed or short else EXIT_OK)


def _rule_locations(library: StandardsLibrary) -> dict[str, tuple[str, int]]:
    """Each rule's file and line, for reports that point at a rule."""
    from .rulebook import locate

    return {rule.id: (locate(standards, "rule", rule.id, rule.span.line), rule.span.line)
            for standards in library.versions for rule in standards.checked.rules}


@main.command()
@click.option("--check", is_flag=True, help="Change nothing; list the files that would change and exit 1.")
@click.option("--diff", is_flag=True,
              help="Change nothing; print what would change as a unified diff and exit 1 if anything would.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def fmt(check: bool, diff: bool, paths: tuple[Path, ...]) -> None:
    """Rewrite standards files (PATH: a .nis file, or a folder of them) in the canonical
    layout. Formatting never changes meaning: the result is re-parsed and compared.

    \b
    Examples:
      nis fmt standards/
      nis fmt --check standards/
      nis fmt --diff standards/
    """
    import difflib

    from .diagnostics import Diagnostic, StandardsError
    from .files import NotAFile, OutputRefused, TooLarge, display_path, read_limited, write_atomically
    from .formatter import format_source
    from .standards import MAX_STANDARDS_FILE

    changed: list[Path] = []
    unchanged, broken = 0, False
    for file in _nis_files(paths):
        try:
            text = read_limited(file, MAX_STANDARDS_FILE).decode("utf-8")
            formatted = format_source(text, str(file))
        except (OSError, NotAFile, TooLarge, UnicodeDecodeError) as exc:
            _print_diagnostics([Diagnostic("error", "NIS-S001", f"cannot read standards file: {_why(exc)}",
                                           source=display_path(file), hint="standards files are UTF-8 text")])
            broken = True
            continue
        except StandardsError as exc:
            _print_diagnostics(exc.diagnostics)
            broken = True
            continue
        if formatted == text:
            unchanged += 1
            continue
        changed.append(file)
        if diff:
            click.echo("".join(difflib.unified_diff(text.splitlines(keepends=True),
                                                    formatted.splitlines(keepends=True),
                                                    f"{file} (as it is)", f"{file} (formatted)")), nl=False)
        elif check:
            _say(f"would reformat {file}", err=False)
        else:
            try:
                write_atomically(file, formatted.encode("utf-8"), "nis fmt")
            except OutputRefused as exc:
                _print_diagnostics([Diagnostic("error", "NIS-O001", str(exc))])
                broken = True
                continue
            _say(f"reformatted {file}", err=False)
    verb = "would be reformatted" if check or diff else "reformatted"
    click.echo(f"{len(changed)} file{'s' if len(changed) != 1 else ''} {verb}, {unchanged} already formatted",
               err=diff)
    if broken:
        raise click.exceptions.Exit(EXIT_INPUT)
    raise click.exceptions.Exit(EXIT_FAILED if (check or diff) and changed else EXIT_OK)


def _nis_files(paths: Iterable[Path]) -> list[Path]:
    files = []
    for path in paths:
        files.extend(sorted(path.rglob("*.nis")) if path.is_dir() else [path])
    return files


def _why(exc: Exception) -> str:
    """Why a file could not be read, in words."""
    from .files import NotAFile, TooLarge

    if isinstance(exc, NotAFile):
        return f"it is {exc.kind}"
    if isinstance(exc, TooLarge):
        return "it is larger than 2 MiB"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


@main.command()
@click.argument("directory", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@_format_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE instead of printing it.")
@_color_option
def lint(directory: Path | None, strict: bool, fmt: str, output: Path | None, color: str) -> None:
    """Run the static checker over the standards in DIRECTORY (default: the bundled standards)
    and print every error and warning. Exit 1 if there is any error (with --strict, any
    warning too).

    \b
    Examples:
      nis lint standards/
      nis lint --strict standards/
      nis lint standards/ --format sarif --output nis.sarif
    """
    from .api import check_standards
    from .resources import standards_dir

    diagnostics = check_standards(directory)
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    count = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    if fmt == "text":
        paint = _color(output, color)
        lines = [_painted(d.render(), paint) + "\n" for d in diagnostics] + [count]
        _emit("\n".join(lines), output, paint)
    else:
        from .tool_formats import lint_output

        root = directory if directory is not None else standards_dir()
        files = [str(f) for f in _nis_files([root])]
        when, host = _clock()
        _emit(lint_output(fmt, diagnostics, files=files, strict=strict, timestamp=when, hostname=host), output)
        if output is not None or fmt in ("sarif", "junit", "json"):
            click.echo(f"nis lint: {count}", err=True)
    raise click.exceptions.Exit(EXIT_FAILED if errors or (strict and warnings) else EXIT_OK)


def _painted(rendered: str, color: bool) -> str:
    """A rendered diagnostic with its severity coloured (red for an error, yellow a warning)."""
    if not color:
        return rendered
    return re.sub(r": (error|warning)\[", lambda m: ": " + click.style(m.group(1), fg="red" if m.group(1) == "error"
                                                                       else "yellow", bold=True) + "[",
                  rendered, count=1)


@main.command()
@click.argument("kind", type=click.Choice(["isp", "ehcp"]))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the new plan to FILE (never over an existing file) instead of printing it.")
@click.option("--created", type=_Date(), default=None, help="The date the plan is written. Default: today.")
@click.option("--schema-ref", metavar="PATH|URL",
              help="The schema named on the first line, for editors with a YAML language server. Default: the "
                   "schema the plan is written to (an absolute path on this computer).")
@_standards_option
@_standards_version_option
def new(kind: str, output: Path | None, created: date | None, schema_ref: str | None, standards: Path | None,
        standards_version: str | None) -> None:
    """Start a plan: write a commented skeleton of an ISP or an EHCP, with each field explained
    in plain English and the required ones marked. It is valid except for the fields left
    empty, which only the school (or the local authority) can fill in: `nis check` on the new
    file lists them.

    With --standards, the skeleton follows the schema those standards hold plans to on the date
    the plan is written: their own where they bind one, else nis's.

    \b
    Examples:
      nis new isp --output my-plan.yaml
      nis new ehcp --output my-ehcp.yaml --schema-ref ../schemas/ehcp.schema.json
    """
    import json
    import shlex

    from .api import NisError, select_standards
    from .resources import schemas_dir
    from .scaffold import skeleton

    schema_file = str(schemas_dir() / f"{kind}.schema.json")
    own = None
    if standards or standards_version:
        try:
            own = select_standards(_pin(_load_library(standards), standards_version), _today(created),
                                   kind).plan_schema(kind)
        except NisError as exc:
            _fail(exc.diagnostics)
    schema = own.schema if own is not None else json.loads(Path(schema_file).read_text(encoding="utf-8"))
    text = skeleton(kind, schema, today=_today(created),
                    schema_ref=schema_ref or (own.source if own is not None and own.source else schema_file),
                    schema_command=None if own is None else shlex.join(
                        ["nis", "schema", kind, *(["--standards", str(standards)] if standards else []),
                         *(["--standards-version", standards_version] if standards_version else [])]))
    if output is not None and output.exists():
        from .diagnostics import Diagnostic

        _fail([Diagnostic("error", "NIS-L008", f"{output} already exists; nis new never writes over a file",
                          source=str(output), hint="give another --output, or move the file first")])
    _emit(text, output)
    if output is not None:
        click.echo(f"next: fill in the empty fields, then run: nis check {output}", err=True)


@main.command()
@click.argument("name", metavar="ID", shell_complete=_complete_decision)
@_standards_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rule(name: str, standards: Path | None, fmt: str) -> None:
    """Show what the standards say about one rule (by id) or decision (by name): its text as
    written, whether it is a `must` or a `should`, its sources, the exceptions to it, and the
    tests that expect something of it.

    \b
    Examples:
      nis rule ISP-REVIEW-ANNUAL
      nis rule EHCP-T-FINAL-20W --format json
    """
    from .api import StandardsError
    from .rulebook import find

    library = _load_library(standards)
    try:
        entries = find(library, name)
    except StandardsError as exc:
        _fail(exc.diagnostics)
    from .console import rule_json, rule_text

    click.echo(rule_json(entries) if fmt == "json" else rule_text(entries), nl=False)


@main.command()
@click.argument("name", type=click.Choice(["isp", "ehcp", "case", "result"]))
@_standards_option
@_standards_version_option
@_as_of_option
def schema(name: str, standards: Path | None, standards_version: str | None, as_of: date | None) -> None:
    """Print the JSON Schema of an ISP, an EHCP, a case (the two together) or a result.

    With --standards, a plan's schema is the one those standards hold plans to on the as-of date
    (default today): their own where they bind one, else nis's.

    \b
    Examples:
      nis schema isp > isp.schema.json
      nis schema isp --standards standards/ --as-of 2031-09-01
    """
    from .api import NisError, schema_text

    library = _pin(_load_library(standards), standards_version) if standards or standards_version else None
    try:
        click.echo(schema_text(name, standards=library, as_of=_today(as_of)), nl=False)
    except NisError as exc:
        _fail(exc.diagnostics)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Beyond this machine a token is required (or --no-auth).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@_standards_option
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Server processes, each with its own copy of the standards.")
@click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Ask every request for the bearer token on this file's first line (or set NIS_SERVE_TOKEN).")
@click.option("--no-auth", is_flag=True, help="Serve beyond this machine without a token.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=10.0, show_default=True, metavar="SECONDS",
              help="Longest time for one answer; a request that takes longer gets 503.")
def serve(host: str, port: int, standards: Path | None, workers: int, token_file: Path | None, no_auth: bool,
          time_limit: float) -> None:
    """Serve the web page for checking a plan, and the JSON API (POST /v1/check, /v1/explain,
    /v1/check/batch; GET /v1/standards, /v1/schemas/NAME, /healthz; /openapi.json describes
    them). Needs the web extra: pip install 'inclusion-standards[web]'. docs/web.md is the
    reference.

    \b
    Examples:
      nis serve
      NIS_SERVE_TOKEN=... nis serve --host 0.0.0.0 --port 8080 --workers 2
    """
    try:
        from .web.server import ServeError
        from .web.server import serve as run_server
    except ImportError as exc:
        click.echo(f"nis serve needs the web extra ({exc.name} is not installed): "
                   "pip install 'inclusion-standards[web]'", err=True)
        raise click.exceptions.Exit(EXIT_INPUT) from None
    from .api import StandardsError

    try:
        run_server(host=host, port=port, standards=standards, workers=workers, token_file=token_file,
                   no_auth=no_auth, time_limit=time_limit, echo=lambda line: click.echo(line, err=True))
    except ServeError as exc:
        click.echo(f"nis serve: {exc}", err=True)
        raise click.exceptions.Exit(EXIT_INPUT) from None
    except StandardsError as exc:
        _fail(exc.diagnostics)


@main.command()
@_standards_option
@_as_of_option
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def versions(standards: Path | None, as_of: date | None, fmt: str) -> None:
    """List every version of the standards in the folder: its effective dates, sha256, how many
    rules, determinations, exceptions, parameters and tests it holds, and which version judges
    each kind of plan on the as-of date.

    \b
    Examples:
      nis versions
      nis versions --standards standards/ --as-of 2031-09-01 --format json
    """
    from .versions import render_versions

    library = _load_library(standards)
    click.echo(render_versions(library, _today(as_of), fmt), nl=False)


@main.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="[NEW]", required=False)
@_standards_option
@_as_of_option
@click.option("--set", "settings", metavar="PARAM=VALUE", multiple=True,
              help="Try a parameter change on NEW (on OLD when NEW is left out) without editing a file; "
                   "VALUE is written as in a standards file, and applies from the as-of date "
                   "(or PARAM=VALUE from YYYY-MM-DD). Repeatable.")
@click.option("--corpus", "corpus", metavar="PATH", multiple=True, type=click.Path(path_type=Path),
              help="Judge every plan here (a file, a folder, a .jsonl file) by both versions and count what "
                   "changes. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(("text", "json", "html", "csv")), default="text",
              show_default=True,
              help="csv: one row per change to the standards, or with --corpus one row per decision that "
                   "changes on a plan.")
@click.option("--out", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE instead of printing it.")
@click.option("--changes", "changes", type=click.Path(dir_okay=False, path_type=Path),
              help="With --corpus: also keep one JSON line per plan, with each decision that changes.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --corpus: worker processes.")
@click.option("--resume", is_flag=True,
              help="With --corpus and --changes: carry on an interrupted run from the records in --changes, "
                   "after checking they belong to these plans, this date and these two versions.")
def diff(old: str, new: str | None, standards: Path | None, as_of: date | None, settings: tuple[str, ...],
         corpus: tuple[Path, ...], fmt: str, output: Path | None, changes: Path | None, jobs: int,
         resume: bool) -> None:
    """What changes from the standards OLD to NEW: each version named as `nis versions` lists it
    (ID@VERSION or VERSION, in --standards), or a folder of standards (the version in force on
    the as-of date). Without --corpus: every rule, determination, exception, parameter and
    definition added, removed or changed, compared by meaning (a reformatted rule is no
    change). With --corpus: every plan judged by both, and how many findings and decisions
    change, per rule, determination, kind of plan, layer and package.

    \b
    Examples:
      nis diff 2026.1 --set 'targeted_plus_hours=4 hours per week' --as-of 2030-06-01
      nis diff old-standards/ standards/ --corpus plans/ --format html --out impact.html
    """
    import tempfile
    import time

    from . import console
    from .api import StandardsError
    from .batch import BatchError, count_inputs
    from .diff import diff_standards
    from .diff_report import DiffReport, decisions_csv, labels_of, render_diff
    from .impact import read_records, run_impact
    from .reforms import apply_settings, parse_setting
    from .versions import resolve_version

    on = _today(as_of)
    if new is None and not settings:
        raise click.UsageError("give NEW, or --set to try a change on OLD")
    if resume and (changes is None or not corpus):
        raise click.UsageError("--resume needs --corpus and the --changes file of the interrupted run")
    if changes is not None and not corpus:
        raise click.UsageError("--changes needs --corpus: it keeps one line per plan of the corpus")
    outputs = _refuse_unsafe_outputs(list(corpus), [("--out", output), ("--changes", changes)])
    library = _load_library(standards)
    try:
        before = resolve_version(old, library, on)
        after = resolve_version(new, library, on) if new is not None else before
        trial = [parse_setting(s) for s in settings]
        after = apply_settings(after, trial, on)
    except StandardsError as exc:
        _fail(exc.diagnostics)
    impact = None
    with tempfile.TemporaryDirectory(prefix="nis-diff-") as scratch:
        records = changes if changes is not None else Path(scratch) / "changes.jsonl"
        if corpus:
            skip = tuple(p for p in outputs if p != changes)
            total = count_inputs(corpus, skip=[records, *skip])
            started = time.perf_counter()
            try:
                with console.BatchProgress(total, command="nis diff") as progress:
                    impact = run_impact([str(p) for p in corpus], old=before, new=after, as_of=on, records=records,
                                        jobs=jobs, resume=resume, skip=skip, total=total, on_record=progress.update,
                                        on_note=lambda note: click.echo(f"nis diff: {note}", err=True))
            except BatchError as exc:
                _fail(exc.diagnostics)
            except KeyboardInterrupt:
                kept = f"the records written so far are in {changes}; run the same command with --resume to " \
                       "carry on" if changes is not None else "give --changes FILE to be able to --resume"
                click.echo(f"interrupted: {kept}", err=True)
                raise click.exceptions.Exit(130) from None
            resumed = f" ({impact.resumed:,} kept from the interrupted run)" if impact.resumed else ""
            click.echo(f"nis diff: judged {impact.documents:,} plans by both versions{resumed} in "
                       f"{time.perf_counter() - started:.1f}s", err=True)
        report = DiffReport(diff_standards(before, after), on, tuple(s.describe(s.start or on) for s in trial),
                            tuple(str(p) for p in corpus), impact, labels_of(before, after))
        text = decisions_csv(read_records(records)) if fmt == "csv" and corpus else render_diff(report, fmt)
    _emit(text, output)
    raise click.exceptions.Exit(EXIT_INPUT if impact is not None and impact.errors else EXIT_OK)


@main.command()
@click.argument("version", required=False)
@_standards_option
@_as_of_option
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write index.html and index.md into.")
def docs(version: str | None, standards: Path | None, as_of: date | None, out: Path) -> None:
    """Write the standards as a readable document, in HTML (index.html) and Markdown
    (index.md): each rule in plain English with its strength (must/should), legal basis and
    citations, the rule as written, the decisions, layers, packages, figures with their
    history, routes of challenge, what is not judged, and what changed since the previous
    version. VERSION as `nis versions` lists it (default: the latest version in force on the
    as-of date). It is generated from the same files nis judges by, so the two cannot disagree.

    \b
    Examples:
      nis docs --out site/
      nis docs nis@2026.1 --standards standards/ --as-of 2030-06-01 --out site/
    """
    from .api import StandardsError
    from .publish import PublishError, publish
    from .versions import find_version, governing

    library = _load_library(standards)
    on = _today(as_of)
    try:
        if version is not None:
            chosen = find_version(library, version)
        else:
            in_force = list(governing(library, on).values()) or list(library.versions)
            chosen = max(in_force, key=lambda s: (s.effective_from, s.version, s.id))
        written = publish(chosen, library, out, on)
    except (StandardsError, PublishError) as exc:
        _fail(exc.diagnostics)
    for path in written:
        click.echo(f"wrote {path}", err=True)
