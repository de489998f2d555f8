"""What the standards say about one rule or decision, for people and for tools: where it is
written, its text as written, its citations, the exceptions to it and the tests that
expect something of it (`nis rule ID`, and the locations in `nis test`'s SARIF output).
"""
from __future__ import annotations

from dataclasses import dataclass

from . import tree as t
from .checked import CheckedTest
from .diagnostics import Diagnostic, Span, StandardsError, closest
from .standards import Standards, StandardsLibrary

__all__ = ["Entry", "TestUse", "find", "locate", "names"]


@dataclass(frozen=True)
class TestUse:
    """A test that expects something of the rule: its name, where it is, and what it expects."""

    name: str
    source: str
    line: int
    expects: str


@dataclass(frozen=True)
class Entry:
    """One rule or determination of one standards set, with what a reader needs to judge it."""

    kind: str  # "rule" | "determination"
    name: str
    title: str | None
    standards: Standards
    source: str
    line: int
    text: str
    severity: str | None
    applies_to: tuple[str, ...]
    citations: tuple[t.Citation, ...]
    hint: str | None
    challenge: str | None
    exceptions: tuple[t.Exception_, ...]
    tests: tuple[TestUse, ...]

    def covered(self) -> tuple[bool, bool]:
        """Whether a test shows the rule met, and one shows it not met."""
        expected = {use.expects for use in self.tests}
        return "pass" in expected, "fail" in expected


def names(library: StandardsLibrary) -> list[str]:
    """Every rule id and determination name, in the order the standards declare them."""
    seen: dict[str, None] = {}
    for standards in library.versions:
        for rule in standards.checked.rules:
            seen.setdefault(rule.id)
        for name in standards.checked.determinations:
            seen.setdefault(name)
    return list(seen)


def find(library: StandardsLibrary, name: str) -> list[Entry]:
    """The rule (by id) or determination (by name) in each standards set that declares it;
    StandardsError (NIS-L004, with the nearest name) when none does."""
    found = []
    for standards in library.versions:
        checked = standards.checked
        rule = next((r for r in checked.rules if r.id == name), None)
        if rule is not None:
            found.append(_entry(standards, "rule", rule.id, rule.title, rule.span, rule.severity, rule.applies_to,
                                rule.citations, rule.hint, rule.challenge))
        determination = checked.determinations.get(name)
        if determination is not None:
            found.append(_entry(standards, "determination", determination.name, determination.title,
                                determination.span, None, determination.applies_to, determination.citations,
                                None, determination.challenge))
    if not found:
        known = names(library)
        close = closest(name, known)
        raise StandardsError([Diagnostic(
            "error", "NIS-L004", f"no rule or decision named `{name}` in these standards",
            source=library.root, hint=f"did you mean `{close}`?" if close else
            "rule ids and decision names are listed by `nis lint` and in the standards files")])
    return found


def locate(standards: Standards, keyword: str, name: str, line: int) -> str:
    """The file of the standards set in which `keyword name` starts at `line`."""
    for source, text in standards.checked.sources.items():
        lines = text.splitlines()
        if 0 < line <= len(lines) and lines[line - 1].split()[:2] == [keyword, name]:
            return source
    return standards.entry


def _entry(standards: Standards, kind: str, name: str, title: str | None, span: Span, severity: str | None,
           applies_to: tuple[str, ...], citations: tuple[t.Citation, ...], hint: str | None,
           challenge: str | None) -> Entry:
    source = locate(standards, kind, name, span.line)
    lines = standards.checked.sources.get(source, "").splitlines()
    end = span.end_line or span.line
    text = "\n".join(lines[span.line - 1:end]).rstrip()
    exceptions = tuple(e for e in standards.checked.exceptions.values() if e.target == name)
    tests = tuple(use for test in standards.checked.tests for use in _uses(test, name))
    return Entry(kind, name, title, standards, source, span.line, text, severity, applies_to, citations, hint,
                 challenge, exceptions, tests)


def _uses(test: CheckedTest, name: str) -> list[TestUse]:
    declaration = test.declaration
    uses = []
    for expectation in declaration.expectations:
        if expectation.target != name:
            continue
        if expectation.kind == "finding":
            expects = expectation.status or ""
        elif expectation.value is None:
            expects = "undetermined"
        else:
            from .formatter import format_expr

            expects = f"= {format_expr(expectation.value)}"
        uses.append(TestUse(declaration.name, test.source, declaration.span.line, expects))
    return uses

