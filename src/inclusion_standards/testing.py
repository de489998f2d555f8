"""Tests beside the standards: `test` blocks run by `nis test`.

A test names a document (a file, or YAML written inline), optional changes to it given as
JSON pointers, an as-of date, and what it expects: the status of rules and the value of
determinations. Each test is judged by the standards set it is written in, so a test keeps
meaning the same thing when a newer version is added beside it.

A test's document is looked for beside the test, then in the standards folder, then among
the example plans shipped with nis by name, so a copied standards folder keeps its tests;
nothing outside the standards folder (or nis's examples) is read, so a standards file cannot
make `nis test` read, or quote in a diagnostic, any other file on the machine.
"""
from __future__ import annotations

import copy
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import tree as t
from .checked import CheckedTest
from .checker import constant_value
from .diagnostics import Diagnostic, DocumentError, line_of
from .documents import detect_document_type, load_document, parse_document, validate_document
from .evaluate import evaluate
from .files import display_path, inside
from .standards import Standards, StandardsLibrary, standards_folder


@dataclass(frozen=True)
class TestOutcome:
    """One test's verdict: passed, or the expectations it missed, or why it could not run."""

    standards: str
    name: str
    source: str
    line: int
    failures: tuple[str, ...] = ()
    errors: tuple[Diagnostic, ...] = ()
    seconds: float = field(default=0.0, compare=False)

    @property
    def passed(self) -> bool:
        return not self.failures and not self.errors


@dataclass
class TestReport:
    outcomes: list[TestOutcome] = field(default_factory=list)
    # rule id -> statuses seen in expectations (coverage: every rule wants a pass and a fail)
    coverage: dict[str, set[str]] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def failed(self) -> int:
        return len(self.outcomes) - self.passed

    def coverage_counts(self) -> tuple[int, int]:
        """(rule outcomes a test shows, rule outcomes there are): each rule has two, met and
        not met."""
        return sum(len(seen & {"pass", "fail"}) for seen in self.coverage.values()), 2 * len(self.coverage)

    def coverage_percent(self) -> float:
        """The share of rule outcomes (each rule met, and not met) that some passing test shows,
        as a percentage rounded down to one decimal, so a total just under a threshold never
        rounds up to it."""
        covered, total = self.coverage_counts()
        return math.floor(1000 * covered / total) / 10 if total else 100.0

    def uncovered(self) -> list[tuple[str, str]]:
        """(rule, missing status) for rules without a passing or a failing test."""
        return [(rule, status) for rule, seen in sorted(self.coverage.items()) for status in ("pass", "fail")
                if status not in seen]


def find_test_document(test_file: str, name: str, standards_folder: str | Path) -> Path | list[Path]:
    """Where a test's `document "NAME"` is: relative to the test's file, else relative to the
    standards folder, else one of the example plans shipped with nis, by name. So a standards
    folder can be copied or moved and its tests still find their documents: its own inside it,
    and nis's examples by name. A place outside the standards folder (or, for an example,
    outside nis's examples) is never read. Returns the file, or every place looked."""
    from .resources import examples_dir

    folder = Path(standards_folder).resolve()
    places = [(Path(test_file).parent / name, folder)]
    if folder.is_dir():
        places.append((folder / name, folder))
    if ".." not in Path(name).parts and not Path(name).is_absolute():
        places.append((examples_dir() / name, examples_dir().resolve()))
    for place, root in places:
        if place.exists() and inside(place, root):  # load_document refuses what is not a file
            return place
    return [place for place, _ in places]


def run_tests(library: StandardsLibrary, name_filter: str | None = None) -> TestReport:
    report = TestReport()
    for standards in library.versions:
        for rule in standards.checked.rules:
            report.coverage.setdefault(rule.id, set())
        for checked in standards.checked.tests:
            test = checked.declaration
            if name_filter and name_filter.lower() not in test.name.lower():
                continue
            started = time.perf_counter()
            outcome = replace(run_test(standards, checked, folder=library.root), seconds=time.perf_counter() - started)
            report.outcomes.append(outcome)
            if outcome.passed:
                for e in test.expectations:
                    if e.kind == "finding" and e.target in report.coverage and e.status is not None:
                        report.coverage[e.target].add(e.status)
    return report


def run_test(standards: Standards, checked: CheckedTest, folder: str | Path | None = None) -> TestOutcome:
    """One test's outcome; `folder` is the standards folder its document may be in (default:
    the folder of the standards' entry file)."""
    label = f"{standards.id} {standards.version}"
    source, test = checked.source, checked.declaration

    def error(message: str, hint: str | None = None, diags: Iterable[Diagnostic] = ()) -> TestOutcome:
        d = Diagnostic("error", "NIS-T001", message, source=source, span=test.span, hint=hint,
                       source_line=line_of(standards.checked.sources.get(source, ""), test.span.line))
        return TestOutcome(label, test.name, source, test.span.line, errors=(d, *diags))

    if test.as_of is None:
        return error(f"the test \"{test.name}\" gives no date", hint="add `as of YYYY-MM-DD`")
    try:
        if test.document is not None:
            found = find_test_document(source, test.document, folder or standards_folder(Path(standards.entry)))
            if isinstance(found, list):
                return error(f"cannot find the test's document `{test.document}` inside the standards folder",
                             hint="looked for " + ", ".join(display_path(p) for p in found) + "; name a file in "
                                  "the standards folder, or one of nis's example plans by its name; nothing "
                                  "outside the standards folder is read")
            loaded = load_document(found, schemas=standards.plan_schemas)
            data, doc_type, digest = loaded.data, loaded.document_type, loaded.sha256
        else:
            assert test.inline_text is not None and test.inline_type is not None  # the grammar gives one or the other
            data = parse_document(test.inline_text.encode("utf-8"), f"{source} (test \"{test.name}\")")
            doc_type, digest = test.inline_type, None
    except DocumentError as exc:
        return error("the test's document cannot be used", diags=exc.diagnostics)
    if test.patches:
        data = copy.deepcopy(data)
        for patch in test.patches:
            problem = _apply(data, patch)
            if problem:
                return error(f"cannot apply `{patch.pointer}`: {problem}")
        digest = None
    if test.inline_text is not None and detect_document_type(data) != doc_type and "document_type" in data:
        return error(f"the inline document says it is a {detect_document_type(data)}, not a {doc_type}")
    problems = validate_document(data, doc_type, source=f"test \"{test.name}\"", schema=standards.plan_schema(doc_type))
    if problems:
        return error("the test's document is not a valid " + doc_type, diags=problems)
    if not standards.judges(doc_type):
        return error(f"these standards do not judge {doc_type} documents")
    result = evaluate(standards, doc_type, data, test.as_of, document_sha256=digest, include_trace=False)
    findings = {f["rule"]: f for f in result["findings"]}
    determinations = {d["name"]: d for d in result["determinations"]}
    failures = []
    for expectation in checked.expectations:
        e = expectation.declaration
        if e.kind == "finding":
            f = findings.get(e.target)
            if f is None:
                failures.append(f"expected {e.target} to be judged, but it does not apply to {doc_type} documents")
            elif f["status"] != e.status:
                failures.append(f"expected {e.status} {e.target}, got {f['status']}: {f.get('message', '')}")
        else:
            d = determinations.get(e.target)
            want = expectation.value
            if d is None:
                failures.append(f"expected {e.target}, but it is not determined for {doc_type} documents")
            elif d["value"] != want:
                failures.append(f"expected {e.target} = {_show(want)}, got {_show(d['value'])}: {d['explanation']}")
    return TestOutcome(label, test.name, source, test.span.line, tuple(failures))


def _show(value: object) -> str:
    return "not determined" if value is None else repr(value)


def _document_value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_document_value(v) for v in value]
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _apply(data: dict[str, Any], patch: t.Patch) -> str | None:
    """Set or remove the value at a JSON pointer (RFC 6901); `-` appends to a list."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in patch.pointer.split("/")[1:]]
    if not parts:
        return "the pointer names the whole document"
    node = data
    for part in parts[:-1]:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return f"`{part}` does not exist"
    last = parts[-1]
    if patch.value is None:
        if isinstance(node, dict) and last in node:
            del node[last]
        elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
            del node[int(last)]
        else:
            return f"`{last}` does not exist"
        return None
    constant = constant_value(patch.value)
    if constant is None:
        return "the new value must be a literal (text, number, date, yes/no or a list of them)"
    value = _document_value(constant)
    if isinstance(node, dict):
        node[last] = value
    elif isinstance(node, list) and last == "-":
        node.append(value)
    elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node[int(last)] = value
    else:
        return f"`{last}` is not a place in a list"
    return None
