"""Output for the tools a CI pipeline already has: JSON, SARIF 2.1.0 (code-scanning views),
JUnit XML (test-report views) and GitHub workflow commands (annotations on a pull request).

`nis lint` writes its diagnostics and `nis test` its outcomes in each of these. Every writer
is a pure function of what it is given: the clock and the host name, which JUnit XML requires,
are read by the command line and passed in. SARIF and JUnit outputs are validated against the
published schemas by the tests (tests/fixtures/formats).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from . import __version__
from .diagnostics import Diagnostic
from .testing import TestOutcome, TestReport

__all__ = ["FORMATS", "Located", "PlanCase", "github_command", "junit", "junit_case", "junit_suite_head", "junit_text", "lint_output",
           "plan_case_of", "plans_junit", "sarif_log", "shown_path", "tests_output"]

FORMATS = ("text", "json", "sarif", "junit", "github")
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Located:
    """Something to report at a place in a file, whatever the format: a diagnostic, a failed
    test, a rule no test covers."""

    rule: str
    level: str  # "error" | "warning" | "note"
    message: str
    source: str | None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    title: str | None = None


def from_diagnostic(d: Diagnostic) -> Located:
    text = d.message + (f"\nexpected: {d.expected}" if d.expected else "") + (f"\nhint: {d.hint}" if d.hint else "")
    span = d.span
    return Located(d.code, "error" if d.is_error else "warning" if d.severity == "warning" else "note", text,
                   d.source, span.line if span else None, span.column if span else None,
                   span.end_line if span else None, span.end_column if span else None, d.code)


# ---- nis lint -------------------------------------------------------------------------------

def lint_output(fmt: str, diagnostics: Sequence[Diagnostic], *, files: Sequence[str], strict: bool,
                timestamp: datetime, hostname: str) -> str:
    """`nis lint`'s diagnostics in a tool's format. `files` are the standards files checked
    (each one a JUnit test case); with `strict`, warnings fail too, as the exit code says."""
    errors = sum(d.is_error for d in diagnostics)
    if fmt == "json":
        return _json({"errors": errors, "warnings": len(diagnostics) - errors, "strict": strict,
                      "diagnostics": [d.to_json() for d in diagnostics]})
    located = [from_diagnostic(d) for d in diagnostics]
    if fmt == "sarif":
        return sarif_log(located, "nis lint")
    if fmt == "github":
        return "".join(github_command(item) for item in located)
    if fmt == "junit":
        cases = []
        for file in files:
            failing = [item for item in located
                       if _same_file(item.source, file) and (item.level == "error" or strict)]
            cases.append(_Case(shown_path(file), "nis lint", [_where(item) + item.message for item in failing]))
        orphans = [item for item in located if not any(_same_file(item.source, f) for f in files)
                   and (item.level == "error" or strict)]
        if orphans:
            cases.append(_Case("standards", "nis lint", [_where(item) + item.message for item in orphans]))
        return junit([_Suite("nis lint", f"nis {__version__}", cases)], timestamp=timestamp, hostname=hostname)
    raise ValueError(f"unknown format {fmt!r}")


# ---- nis test -------------------------------------------------------------------------------

def tests_output(fmt: str, report: TestReport, *, rule_locations: dict[str, tuple[str, int]],
                 timestamp: datetime, hostname: str) -> str:
    """`nis test`'s outcomes in a tool's format. `rule_locations` gives each rule's file and
    line, so a rule no test covers is reported where it is written."""
    covered, total = report.coverage_counts()
    gaps: dict[str, list[str]] = {}
    for rule, status in report.uncovered():
        gaps.setdefault(rule, []).append(status)
    if fmt == "json":
        return _json({
            "passed": report.passed, "failed": report.failed,
            "coverage": {"rules": total // 2, "outcomes_tested": covered, "outcomes": total,
                         "percent": report.coverage_percent(),
                         "untested": [{"rule": rule, "no_test_where_it": missing} for rule, missing in gaps.items()]},
            "tests": [{"name": o.name, "standards": o.standards, "source": o.source, "line": o.line,
                       "passed": o.passed, "failures": list(o.failures),
                       "errors": [d.to_json() for d in o.errors]} for o in report.outcomes]})
    located = [Located("nis-test", "error", f"test \"{o.name}\" failed: " + "; ".join(_problems(o)),
                       o.source, o.line, title=f"test failed: {o.name}") for o in report.outcomes if not o.passed]
    for rule, missing in gaps.items():
        source, line = rule_locations.get(rule, (None, None))
        words = " and none where it ".join("passes" if status == "pass" else "fails" for status in missing)
        located.append(Located("nis-untested-rule", "note", f"{rule}: no test where it {words}", source, line,
                               title=f"untested: {rule}"))
    if fmt == "sarif":
        return sarif_log(located, "nis test")
    if fmt == "github":
        return "".join(github_command(item) for item in located)
    if fmt == "junit":
        suites: dict[str, list[_Case]] = {}
        package: dict[str, str] = {}
        for o in report.outcomes:
            where = f"{shown_path(o.source)}:{o.line}: "
            case = _Case(o.name, shown_path(o.source), [where + p for p in _problems(o)], o.seconds, bool(o.errors))
            suites.setdefault(o.source, []).append(case)
            package[o.source] = o.standards
        return junit([_Suite(shown_path(source), package[source], cases) for source, cases in suites.items()],
                     timestamp=timestamp, hostname=hostname)
    raise ValueError(f"unknown format {fmt!r}")


def _problems(o: TestOutcome) -> list[str]:
    return list(o.failures) + [d.message + (f" ({d.hint})" if d.hint else "") for d in o.errors]


# ---- SARIF ----------------------------------------------------------------------------------

def sarif_log(items: Iterable[Located], automation: str) -> str:
    """A SARIF 2.1.0 log of one run of nis. Paths under the current folder are written relative
    to it (`uriBaseId` `%SRCROOT%`, which code-scanning views resolve to the repository), so the
    log is the same on every machine."""
    items = list(items)
    rules = sorted({item.rule for item in items})
    results = []
    for item in items:
        result: dict[str, Any] = {"ruleId": item.rule, "ruleIndex": rules.index(item.rule), "level": item.level,
                                  "message": {"text": _clean(item.message)}}
        if item.source:
            location: dict[str, Any] = {"artifactLocation": _artifact(item.source)}
            if item.line:
                region: dict[str, int] = {"startLine": item.line}
                if item.column:
                    region["startColumn"] = item.column
                if item.end_line:
                    region["endLine"] = item.end_line
                if item.end_column and item.end_line:
                    region["endColumn"] = item.end_column + 1  # SARIF's end column is exclusive
                location["region"] = region
            result["locations"] = [{"physicalLocation": location}]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "nis", "version": __version__, "rules": [{"id": rule} for rule in rules]}},
            "automationDetails": {"id": f"{automation}/"},
            "results": results,
        }],
    }
    return _json(log)


def _artifact(source: str) -> dict[str, str]:
    path = Path(source)
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return {"uri": path.resolve().as_uri() if path.is_absolute() else path.as_posix()}
    return {"uri": relative.as_posix(), "uriBaseId": "%SRCROOT%"}


# ---- GitHub workflow commands ------------------------------------------------------------------

def github_command(item: Located) -> str:
    """One annotation: `::error file=…,line=…,col=…,title=…::message`, escaped as GitHub
    documents (a message keeps its line breaks as %0A)."""
    command = {"error": "error", "warning": "warning"}.get(item.level, "notice")
    props = []
    if item.source:
        props.append(f"file={_property(shown_path(item.source))}")
    for key, value in (("line", item.line), ("col", item.column), ("endLine", item.end_line),
                       ("endColumn", item.end_column)):
        if value:
            props.append(f"{key}={value}")
    if item.title:
        props.append(f"title={_property(item.title)}")
    return f"::{command} {','.join(props)}::{_data(item.message)}\n"


def _data(text: str) -> str:
    return _clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


# ---- JUnit XML ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Case:
    name: str
    classname: str
    failures: list[str]
    seconds: float = 0.0
    error: bool = False


@dataclass(frozen=True)
class _Suite:
    name: str
    package: str
    cases: list[_Case]
    output: str = ""


def junit(suites: Sequence[_Suite], *, timestamp: datetime, hostname: str) -> str:
    """JUnit XML in the strictest common form (the Apache Ant schema): every suite with its
    timestamp, host, properties and output elements, every case with its time."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
    for number, suite in enumerate(suites):
        failures = sum(bool(c.failures) and not c.error for c in suite.cases)
        errors = sum(c.error for c in suite.cases)
        seconds = sum(c.seconds for c in suite.cases)
        out.append(junit_suite_head(suite.name, suite.package, number, timestamp=timestamp, hostname=hostname,
                                    tests=len(suite.cases), failures=failures, errors=errors, seconds=seconds))
        out.extend(line for case in suite.cases for line in junit_case(case))
        out.append(f"    <system-out>{junit_text(suite.output)}</system-out>")
        out.append("    <system-err></system-err>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def junit_suite_head(name: str, package: str, number: int, *, timestamp: datetime, hostname: str, tests: int,
                     failures: int, errors: int, seconds: float) -> str:
    """A suite's opening tag and its (empty) properties: its counts come first in the XML, so a
    writer that streams its cases writes this last and puts it first."""
    stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%S")
    return (f"  <testsuite name={_attr(name)} package={_attr(package)} id=\"{number}\" timestamp=\"{stamp}\" "
            f"hostname={_attr(hostname or 'localhost')} tests=\"{tests}\" failures=\"{failures}\" "
            f"errors=\"{errors}\" time=\"{seconds:.3f}\">\n    <properties/>")


def junit_text(text: str) -> str:
    """Text as an XML element's content: control characters shown escaped, markup escaped."""
    return xml_escape(_clean(text))


def junit_case(case: _Case) -> list[str]:
    """The lines of one test case: passed, failed (each failure a line of its text, the first
    its message) or in error."""
    head = f"    <testcase name={_attr(case.name)} classname={_attr(case.classname)} time=\"{case.seconds:.3f}\""
    if not case.failures:
        return [head + "/>"]
    tag = "error" if case.error else "failure"
    text = "\n".join(case.failures)
    return [head + ">", f"      <{tag} message={_attr(case.failures[0])} type=\"nis.{tag}\">"
                        f"{xml_escape(_clean(text))}</{tag}>", "    </testcase>"]


# ---- nis check and nis batch: a test case per plan -------------------------------------------

@dataclass(frozen=True)
class PlanCase:
    """One plan as a JUnit test case: it fails when a requirement (`must`) is not met, is in
    error when it could not be judged; recommendations not met (`should`) are not failures and
    go to the suite's output."""

    name: str
    classname: str
    outcome: str  # "pass" | "fail" | "error"
    must: tuple[str, ...] = ()
    should: tuple[str, ...] = ()
    error: str | None = None

    def case(self) -> _Case:
        if self.outcome == "error":
            return _Case(self.name, self.classname, [f"could not be judged: {self.error or 'unknown reason'}"],
                         error=True)
        if self.outcome != "fail":
            return _Case(self.name, self.classname, [])
        head = f"{len(self.must)} requirement{'s' if len(self.must) != 1 else ''} not met: "
        return _Case(self.name, self.classname, [head + ", ".join(m.split(" ", 1)[0] for m in self.must),
                                                 *self.must])

    def output(self) -> str:
        """The lines this plan adds to the suite's output: its recommendations not met."""
        return "".join(f"{self.name}: recommendation not met: {line}\n" for line in self.should)


def plan_case_of(result: dict[str, Any]) -> PlanCase:
    """A result as a test case, its findings in words: rule id, title, and what was found."""
    doc = result["document"]
    source = shown_path(doc["source"]) if doc["source"] else "-"

    def line(f: dict[str, Any]) -> str:
        message = " ".join(str(f.get("message") or "").split())
        echo = f"Not met: {f['title']}."  # the message opens by repeating the title
        message = message[len(echo):].strip() if f["title"] and message.startswith(echo) else message
        return f"{f['rule']} {f['title'] or ''}".rstrip() + (f": {message}" if message else "")

    failed = [f for f in result["findings"] if f["status"] == "fail"]
    return PlanCase(doc["id"] or source, source, result["outcome"],
                    tuple(line(f) for f in failed if f["severity"] == "error"),
                    tuple(line(f) for f in failed if f["severity"] == "warning"))


def plans_junit(plans: Sequence[PlanCase], *, suite: str, timestamp: datetime, hostname: str) -> str:
    """`nis check --format junit`: one suite, a test case per plan."""
    return junit([_Suite(suite, f"nis {__version__}", [p.case() for p in plans], "".join(p.output() for p in plans))],
                 timestamp=timestamp, hostname=hostname)


def _attr(text: str) -> str:
    return quoteattr(" ".join(_clean(text).split()) or "-")


# ---- shared -------------------------------------------------------------------------------------

def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _clean(text: str) -> str:
    """Control characters as visible escapes: XML 1.0 cannot hold them, and a terminal or a CI
    log must not act on them."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def shown_path(path: str) -> str:
    """A path relative to the current folder where it is under it (as CI annotations expect)."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path


def _same_file(a: str | None, b: str) -> bool:
    if a is None:
        return False
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return a == b


def _where(item: Located) -> str:
    if item.source is None:
        return ""
    return f"{shown_path(item.source)}" + (f":{item.line}:{item.column}" if item.line else "") + ": "
