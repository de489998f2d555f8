"""Diagnostics: every problem nis finds, in any stage, is one of these values.

A diagnostic is data, not a print: the CLI renders it, tests assert on it, and a batch
writes it into an error record. It says where (file plus line/column, or a JSON pointer
into a document), what was expected, and how to fix it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]

SHOWN = 50  # diagnostics printed in full before the rest are summarised in one line

# What a terminal could act on rather than show: C0 and C1 control characters (escape
# sequences start with ESC or CSI), DEL, text-direction overrides that reorder what is shown
# ("Trojan Source"), and lone surrogates, which no output encoding can write.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNPRINTABLE_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = False) -> str:
    """`text` with every character a terminal could act on written as an escape (`\\x1b`),
    so text from a plan, a standards file or a file name can never drive the terminal or
    forge a line of output. `newlines=True` keeps line breaks (a report's own layout)."""
    return (_UNPRINTABLE_IN_TEXT if newlines else _UNPRINTABLE).sub(_escaped, text)


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
        where = printable(self.source or "<input>")
        if self.span is not None:
            where += f":{self.span.line}:{self.span.column}"
        if self.pointer is not None:
            where += f" at {printable(self.pointer or '/')}"
        return where

    def render(self) -> str:
        """Human form: location, message, the source line with a caret, expected, hint.
        Every part that can hold text from a plan or a file is made printable."""
        lines = [f"{self.location()}: {self.severity}[{self.code}]: {printable(self.message)}"]
        if self.source_line is not None and self.span is not None:
            text = printable(self.source_line.rstrip("\n").expandtabs(1))
            gutter = f"{self.span.line:>5} | "
            lines.append(gutter + text)
            width = 1
            if self.span.end_line == self.span.line and self.span.end_column:
                width = max(1, self.span.end_column - self.span.column + 1)
            lines.append(" " * (len(gutter) - 2) + "| " + " " * (self.span.column - 1) + "^" * width)
        if self.expected:
            lines.append(f"  expected: {printable(self.expected)}")
        if self.hint:
            lines.append(f"  hint: {printable(self.hint)}")
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
        super().__init__(self.diagnostics)

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        return "\n".join(d.render() for d in self.diagnostics)


class DocumentError(NisError):
    """A document could not be read or does not match its schema."""


class StandardsError(NisError):
    """A standards file could not be parsed or failed the static checker."""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice a misspelt `word` most likely meant, for a "did you mean" hint; None when
    none is near enough."""
    import difflib  # here: only a message that suggests something needs it

    found = difflib.get_close_matches(word, list(choices), n=1)
    return found[0] if found else None


def errors(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(d for d in diagnostics if d.is_error)


def line_of(text: str, line: int) -> str | None:
    """The 1-based `line` of `text`, for a diagnostic's caret display (constant time once
    the text's lines are indexed, so a file with thousands of errors stays linear)."""
    lines = _lines(text)
    return lines[line - 1] if 0 < line <= len(lines) else None


@lru_cache(maxsize=8)
def _lines(text: str) -> list[str]:
    return text.splitlines()


def summary_line(omitted: Iterable[Diagnostic]) -> str | None:
    """One line that stands for the diagnostics not printed: how many, and of which codes."""
    counts: dict[str, int] = {}
    for d in omitted:
        counts[d.code] = counts.get(d.code, 0) + 1
    total = sum(counts.values())
    if not total:
        return None
    codes = ", ".join(f"{n:,} {code}" for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"... and {total:,} more problem{'s' if total != 1 else ''} not shown ({codes})"
