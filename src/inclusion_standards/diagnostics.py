"""Diagnostics: every problem nis finds, in any stage, is one of these values.

A diagnostic is data, not a print: the CLI renders it, tests assert on it, and a batch
writes it into an error record. It says where (file plus line/column, or a JSON pointer
into a document), what was expected, and how to fix it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file; lines and columns count from 1, ends are inclusive."""

    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None

    def to_json(self) -> dict[str, Any]:
        out = {"line": self.line, "column": self.column}
        if self.end_line is not None:
            out["end_line"] = self.end_line
        if self.end_column is not None:
            out["end_column"] = self.end_column
        return out


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: severity, a stable code, a one-line message, where, and a hint."""

    severity: Severity
    code: str
    message: str
    source: str | None = None
    span: Span | None = None
    pointer: str | None = None
    expected: str | None = None
    hint: str | None = None
    source_line: str | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        """`file:line:column`, `file#/json/pointer` or whatever part is known."""
        where = self.source or "<input>"
        if self.span is not None:
            where += f":{self.span.line}:{self.span.column}"
        if self.pointer is not None:
            where += f" at {self.pointer or '/'}"
        return where

    def render(self) -> str:
        """Human form: location, message, the source line with a caret, expected, hint."""
        lines = [f"{self.location()}: {self.severity}[{self.code}]: {self.message}"]
        if self.source_line is not None and self.span is not None:
            text = self.source_line.rstrip("\n").expandtabs(1)
            gutter = f"{self.span.line:>5} | "
            lines.append(gutter + text)
            width = 1
            if self.span.end_line == self.span.line and self.span.end_column:
                width = max(1, self.span.end_column - self.span.column + 1)
            lines.append(" " * (len(gutter) - 2) + "| " + " " * (self.span.column - 1) + "^" * width)
        if self.expected:
            lines.append(f"  expected: {self.expected}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"severity": self.severity, "code": self.code, "message": self.message}
        if self.source is not None:
            out["source"] = self.source
        if self.span is not None:
            out["span"] = self.span.to_json()
        if self.pointer is not None:
            out["pointer"] = self.pointer
        if self.expected is not None:
            out["expected"] = self.expected
        if self.hint is not None:
            out["hint"] = self.hint
        return out


class NisError(Exception):
    """Raised by a stage that cannot go on; carries the diagnostics that stopped it."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(d.render() for d in self.diagnostics)


class DocumentError(NisError):
    """A document could not be read or does not match its schema."""


class StandardsError(NisError):
    """A standards file could not be parsed or failed the static checker."""


def errors(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(d for d in diagnostics if d.is_error)


def line_of(text: str, line: int) -> str | None:
    """The 1-based `line` of `text`, for a diagnostic's caret display."""
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else None
