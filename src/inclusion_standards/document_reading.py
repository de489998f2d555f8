"""Reading a document: raw bytes to plain JSON data, within limits, and where each value is.

In: the bytes of one YAML or JSON document. Out: its decoded text and its data (dicts,
lists, str, int, `Decimal`, bool, None; dates stay text), or a `DocumentError` whose
diagnostics say why it cannot be read. Every limit (size, depth, aliases, expanded size,
the size of a number) is checked while reading, before any unbounded work, and every
pass over the text is linear in its length. `positions` maps JSON pointers back to lines
and columns for the validation diagnostics of `documents`.
"""
from __future__ import annotations

import contextlib
import json
import re
from bisect import bisect_right
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, TypeAlias, TypeVar, Union, cast

import yaml
from yaml.composer import Composer
from yaml.error import Mark
from yaml.events import AliasEvent, MappingStartEvent, NodeEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from . import document_messages as msg
from .diagnostics import SHOWN, Diagnostic, DocumentError, Span
from .document_messages import JsonPath
from .files import NotAFile, TooLarge, read_limited

if TYPE_CHECKING:
    from yaml._yaml import Mark as CMark  # where libyaml's events start

try:  # libyaml scans and parses; composition (where the limits live) stays in Python
    from yaml._yaml import CParser as _EventSource

    _LIBYAML = True
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _LIBYAML = False

__all__ = ["MAX_ALIASES", "MAX_BYTES", "MAX_DEPTH", "MAX_DIGITS", "MAX_MAGNITUDE", "MAX_NODES", "Where",
           "parse", "pointer", "positions", "read_file", "source_line", "too_big"]

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 100
MAX_NODES = 1_000_000
# A number in a plan has at most MAX_DIGITS significant digits and decimal places, and is less
# than MAX_MAGNITUDE in size: far beyond any hours, count or sum of money a plan records, and
# small enough that nis's exact arithmetic never rounds, overflows or loses a digit in output.
MAX_DIGITS = 28
MAX_MAGNITUDE = 10 ** 18

#: A value in a document as nis reads it: JSON's kinds, with `Decimal` for a non-integer number.
Value: TypeAlias = Union[dict[str, "Value"], list["Value"], str, int, Decimal, bool, None]
_Number = TypeVar("_Number", int, Decimal)
_Offsets = tuple[int, int]  # where a key or a value starts and ends in the text (0-based)


class _Refused(Exception):  # noqa: N818 - a document refused, not an error in nis
    """One reason a document cannot be read, with where it is (0-based offset or mark)."""

    def __init__(self, code: str, message: str, *, hint: str | None = None,
                 line: int | None = None, column: int | None = None,
                 pointer: str | None = None, more: tuple[_Refused, ...] = ()):
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint
        self.line, self.column, self.pointer, self.more = line, column, pointer, more


def read_file(path: Path, label: str) -> bytes:
    """The bytes of one plan file; a pipe, a device or a folder is refused without waiting
    on it, and no more than the limit is ever read."""
    try:
        return read_limited(path, MAX_BYTES)
    except TooLarge as exc:
        raise DocumentError([too_big(label, exc.size, exact=exc.size <= MAX_BYTES + 1)]) from None
    except NotAFile as exc:
        if exc.kind == "a folder":
            raise DocumentError([Diagnostic(
                "error", "NIS-D005", "cannot read the file: it is a folder", source=label,
                hint="name a plan file, or give the folder to `nis check` or `nis batch`, which "
                     "read the plans in it")]) from None
        raise DocumentError([Diagnostic(
            "error", "NIS-D006", f"this is {exc.kind}, not a file", source=label,
            hint="name a plan file (.yaml, .yml or .json): nis reads plans only from files, "
                 "never from pipes or devices")]) from None
    except OSError as exc:
        raise DocumentError([Diagnostic(
            "error", "NIS-D005", f"cannot read the file: {exc.strerror or exc}", source=label,
            hint="check the path, and that it names a file, not a folder")]) from None


def too_big(label: str, size: int, exact: bool = True, what: str = "the file") -> Diagnostic:
    """Over the size limit: `size` is the size seen (at least the limit plus one byte when
    reading stopped at the limit, which is what `exact=False` says)."""
    amount = f"{size:,} bytes" if exact else f"more than {MAX_BYTES:,} bytes"
    return Diagnostic("error", "NIS-D002", f"{what} is {amount}; the limit is "
                      f"{MAX_BYTES:,} bytes (5 MiB)", source=label,
                      hint="a plan is usually a few kilobytes: check that this is one document")


def parse(raw: bytes, source: str) -> tuple[str, dict[str, Any]]:
    """The decoded text and the data of `raw`."""
    if len(raw) > MAX_BYTES:
        raise DocumentError([too_big(source, len(raw))])
    text = None
    try:
        text = _decode(raw)
        data = _parse_text(text, source)
        if "\\" in text and _SURROGATE_ESCAPE.search(text):  # a lone surrogate can only be written as an escape
            _refuse_surrogates(data, text)
        if not isinstance(data, dict):
            what = msg.plain_kind(data)
            raise _Refused("NIS-D020", f"the document is {what}, not a set of fields",
                           line=1, column=1,
                           hint="a plan starts with its fields, e.g. `id: ISP-990214-0042` on "
                                "the first line (or `{` in JSON)")
    except _Refused as refused:
        raise DocumentError(_refusal_diagnostics(refused, source, text)) from None
    return text, data


def _refusal_diagnostics(refused: _Refused, source: str, text: str | None) -> list[Diagnostic]:
    """The diagnostics of a refusal: the first SHOWN in full, then one that counts the rest."""
    problems = (refused, *refused.more)
    out = []
    for item in problems[:SHOWN]:
        span = Span(item.line, item.column) if item.line is not None and item.column is not None else None
        out.append(Diagnostic(
            "error", item.code, item.message, source=source, span=span, pointer=item.pointer,
            hint=item.hint, source_line=source_line(text, span)))
    if len(problems) > SHOWN:
        out.append(more_problems(source, [p.code for p in problems[SHOWN:]]))
    return out


def more_problems(source: str, codes: list[str], counted: dict[str, int] | None = None) -> Diagnostic:
    """One diagnostic that stands for the problems not listed one by one: a document with
    200,000 unknown fields gets SHOWN diagnostics and this, not 200,000 lines. `counted`
    adds problems counted by code without being worded."""
    counts: dict[str, int] = dict(counted or {})
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    kinds = ", ".join(f"{n:,} {code}" for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    total = sum(counts.values())
    return Diagnostic("error", "NIS-D190", f"{total:,} more problem{'s' if total != 1 else ''} of the same "
                      f"kinds ({kinds})", source=source,
                      hint=f"only the first {SHOWN} problems are listed one by one: fix those and check again")


def _refuse_surrogates(data: Value, text: str) -> None:
    """Refuse text holding half of a UTF-16 pair (`\\ud800` written alone): it is not a
    character, and no file, terminal or report can hold it."""
    stack: list[tuple[Value, str]] = [(data, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{where}/{_escape(key)}"
                if lone := _SURROGATE.search(key):
                    _surrogate(lone, where or "/", text)
                stack.append((item, child))
        elif isinstance(value, list):
            stack.extend((item, f"{where}/{i}") for i, item in enumerate(value))
        elif isinstance(value, str) and (lone := _SURROGATE.search(value)):
            _surrogate(lone, where or "/", text)


_SURROGATE = re.compile("[\ud800-\udfff]")
# What every escape of one looks like (`\ud800`, `\uDFFF`; YAML's `\U0000d800`): a text without
# it holds none, and the walk is skipped.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")


def _surrogate(lone: re.Match[str], where: str, text: str) -> None:
    code = ord(lone.group())
    escape = f"\\u{code:04x}"
    found = re.search(re.escape(escape), text, re.I)
    line, column = _offset_position(text, found.start()) if found else (None, None)
    raise _Refused("NIS-D019", f"the text holds `{escape}` alone, which is half of a character "
                   "(a lone UTF-16 surrogate), not a character", line=line, column=column,
                   pointer=_unescape_pointer(where),
                   hint="this comes from text cut in the middle of an emoji or another character: "
                        "write the whole character, or remove the escape")


def _unescape_pointer(where: str) -> str:
    """A pointer as shown to a person: lone surrogates in keys made visible."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", where)


_SIGNATURES = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (Word .docx and Excel .xlsx files are ZIP archives)"),
    (b"\xd0\xcf\x11\xe0", "an older Office document (.doc or .xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _Refused("NIS-D003", "the file is UTF-32 text, not UTF-8",
                       hint="save the file as UTF-8 (in most editors: Save As, encoding UTF-8)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        order = "little" if raw.startswith(b"\xff\xfe") or raw[1:2] == b"\x00" else "big"
        raise _Refused("NIS-D003", f"the file is UTF-16 ({order}-endian) text, not UTF-8",
                       hint="save the file as UTF-8 (in most editors: Save As, encoding UTF-8)")
    for signature, what in _SIGNATURES:
        if raw.startswith(signature):
            raise _Refused("NIS-D004", f"this is not a text document: it looks like {what}",
                           hint="export the plan as YAML or JSON text")
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line, column = _byte_position(raw, offset)
        raise _Refused("NIS-D004", "this is not a text document: it contains NUL bytes",
                       line=line, column=column, hint="export the plan as YAML or JSON text")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(raw, exc.start)
        byte = raw[exc.start]
        as_1252 = bytes([byte]).decode("cp1252", errors="replace")
        raise _Refused("NIS-D003", f"the file is not UTF-8 text: byte 0x{byte:02X} cannot "
                       "start or continue a UTF-8 character", line=line, column=column,
                       hint="save the file as UTF-8; it may be in Windows-1252, where this byte "
                            f"is `{as_1252}`") from None
    if not text.strip():
        raise _Refused("NIS-D001", "the document is empty",
                       hint="a plan needs its fields, e.g. `id:`, `child:` and `layer:`")
    return text


def _looks_utf16(raw: bytes) -> bool:
    head = raw[:64]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return (odd.count(0) >= len(odd) * 3 // 4 and even.count(0) == 0) or \
        (even.count(0) >= len(even) * 3 // 4 and odd.count(0) == 0)


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def _parse_text(text: str, source: str) -> Value:
    suffix = Path(re.sub(r":[0-9]+$", "", source)).suffix.lower()  # `batch.jsonl:17`
    looks_json = text.lstrip()[:1] in ("{", "[")
    if suffix in (".json", ".jsonl") or (looks_json and suffix not in (".yaml", ".yml")):
        try:
            return _parse_json(text)
        except _Refused as refused:
            if suffix in (".json", ".jsonl") or refused.code != "NIS-D010":
                raise
            try:  # `{a: 1}` is YAML flow style, not JSON
                return _parse_yaml(text)
            except _Refused:
                raise refused from None
    return _parse_yaml(text)


# ----------------------------------------------------------------------------- JSON


def _parse_json(text: str) -> Value:
    """A JSON document's data. Nesting deeper than MAX_DEPTH is refused before any other
    problem, as it always was, but the text is only scanned for where when the data (or the
    decoder, at its own recursion limit) shows it is too deep: walking the decoded data costs
    a third of scanning every string of the text for brackets."""
    try:
        data = _read_json(text)
    except (_Refused, RecursionError):
        _check_json_depth(text)
        raise
    if text.count("[") + text.count("{") > MAX_DEPTH and _deeper_than(data, MAX_DEPTH):
        _check_json_depth(text)
        raise _too_deep(None, None)  # the scan always finds it first
    return data


def _deeper_than(data: Value, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` levels deep, level by level."""
    level: list[Any] = [data] if isinstance(data, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        level = [child for node in level for child in (node.values() if type(node) is dict else node)
                 if type(child) is dict or type(child) is list]
    return False


def _read_json(text: str) -> Value:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Value]]) -> dict[str, Value]:
        out = dict(items)
        if len(out) != len(items):
            duplicates.append("")
        return out

    def constant(name: str) -> NoReturn:
        offset = text.find(name)
        line, column = _offset_position(text, offset)
        raise _Refused("NIS-D018", f"`{name}` is not a number a plan can hold",
                       line=line, column=column, hint="give a finite number, e.g. 2.5")

    def number(written: str, value: _Number | None) -> _Number:
        """A JSON number within the limits; the digits are counted before any conversion."""
        problem = _number_problem(written, value)
        if problem is not None:
            found = re.search(r"(?<![\w.])" + re.escape(written) + r"(?![\w.])", text)
            line, column = _offset_position(text, found.start()) if found else (None, None)
            raise _number_refusal(written, problem, line, column, None)
        assert value is not None  # a number too large to build has a problem
        return value

    def integer(written: str) -> int:
        if len(written) < 18:  # the common case: certainly within the limit
            return int(written)
        return number(written, int(written) if len(written) <= 20 else None)

    def decimal(written: str) -> Decimal:
        try:
            value = Decimal(written)
        except InvalidOperation:  # an exponent beyond what Decimal itself can hold
            value = None
        return number(written, value)

    try:
        data = cast("Value", json.loads(text, parse_float=decimal, parse_int=integer, parse_constant=constant,
                                        object_pairs_hook=pairs))
    except json.JSONDecodeError as exc:
        raise _Refused("NIS-D010", f"JSON syntax error: {exc.msg[:1].lower()}{exc.msg[1:]}",
                       line=exc.lineno, column=exc.colno,
                       hint=msg.json_syntax_hint(text, exc.pos, exc.msg)) from None
    except ValueError as exc:  # an integer with more digits than Python will convert
        raise _Refused("NIS-D018", f"a number is too long to read: {str(exc)[:80]}",
                       hint="numbers in a plan have a few digits") from None
    if duplicates:
        found = _json_duplicates(text)
        if found:
            raise found[0] if len(found) == 1 else _Refused(
                found[0].code, found[0].message, hint=found[0].hint, line=found[0].line,
                column=found[0].column, pointer=found[0].pointer, more=tuple(found[1:]))
        raise _Refused("NIS-D012", "a key appears twice in the same object",
                       hint="keep one of the two: a later value would silently replace the earlier")
    return data


# A string, or a bracket. A string left open takes the rest of the text in one match (the
# closing quote is optional), so no text makes this search go back over what it has read.
_BRACKETS = re.compile(r'"(?:[^"\\]+|\\.)*"?|[\[\]{}]', re.S)


def _check_json_depth(text: str) -> None:
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for match in _BRACKETS.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line, column = _offset_position(text, match.start())
                raise _too_deep(line, column)
        elif bracket in "]}":
            depth -= 1


def _too_deep(line: int | None, column: int | None) -> _Refused:
    return _Refused("NIS-D013", f"the document is nested more than {MAX_DEPTH} levels deep",
                    line=line, column=column,
                    hint="plans are a few levels deep: look for brackets that are never closed")


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    offset = max(0, offset)
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NUMBER = re.compile(r"-?[0-9][0-9.eE+-]*|true|false|null|-?Infinity|NaN")


class _Stop(Exception):  # noqa: N818 - ends a walk early: control flow, not an error
    """Raised to end `_json_walk` early."""


def _json_walk(text: str, on_value: Callable[[str, _Offsets | None, _Offsets], None],
               on_duplicate: Callable[[str, str, int, _Offsets], None] | None = None,
               on_open: Callable[[str, _Offsets | None, int], None] | None = None) -> None:
    """Call `on_value(pointer, key_span, value_span)` for every value of valid JSON `text`
    (a list or an object when it closes), and `on_open(pointer, key_span, start)` when a
    list or an object opens. Either may raise _Stop to end the walk early."""

    def walk(i: int, pointer: str, key_span: _Offsets | None, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise _Stop
        i = _end(_WS, text, i)
        start, char = i, text[i]
        if on_open is not None and char in "{[":
            on_open(pointer, key_span, start)
        if char == "{":
            i = _end(_WS, text, i + 1)
            seen: dict[str, int] = {}
            while text[i] != "}":
                key_match = _STRING.match(text, i)
                if key_match is None:
                    raise _Stop
                written = key_match.group()
                key = written[1:-1] if "\\" not in written else json.loads(written)
                span = (key_match.start(), key_match.end())
                child = f"{pointer}/{_escape(key)}"
                if key in seen and on_duplicate is not None:
                    on_duplicate(child, key, seen[key], span)
                seen.setdefault(key, span[0])
                i = _end(_WS, text, key_match.end()) + 1  # past ':'
                i = _end(_WS, text, walk(i, child, span, depth + 1))
                if text[i] == ",":
                    i = _end(_WS, text, i + 1)
            i += 1
        elif char == "[":
            i = _end(_WS, text, i + 1)
            index = 0
            while text[i] != "]":
                i = _end(_WS, text, walk(i, f"{pointer}/{index}", None, depth + 1))
                index += 1
                if text[i] == ",":
                    i = _end(_WS, text, i + 1)
            i += 1
        else:
            i = _end(_STRING if char == '"' else _NUMBER, text, i)
        on_value(pointer, key_span, (start, i))
        return i

    with contextlib.suppress(_Stop, IndexError, ValueError):
        walk(0, "", None, 0)


def _end(pattern: re.Pattern[str], text: str, at: int) -> int:
    """Where `pattern`, matched at `at`, ends; `_Stop` where it does not match (not JSON)."""
    found = pattern.match(text, at)
    if found is None:
        raise _Stop
    return found.end()


def _json_duplicates(text: str) -> list[_Refused]:
    found: list[_Refused] = []
    lines = _LineIndex(text)

    def duplicate(pointer: str, key: str, first: int, span: tuple[int, int]) -> None:
        line, column = lines.position(span[0])
        first_line = lines.position(first)[0]
        found.append(_Refused("NIS-D012", f"duplicate key `{key}`", line=line, column=column,
                              pointer=pointer, hint=f"`{key}` already appears on line "
                              f"{first_line}; keep one (the later would silently replace it)"))

    _json_walk(text, lambda *_: None, duplicate)
    return found


# ----------------------------------------------------------------------------- YAML

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT_RE = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                       r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")


class _Resolver(BaseResolver):
    """YAML 1.2 core schema: no timestamps, no yes/no booleans, no base-60 numbers, no `<<`."""

    # types-PyYAML declares this table an instance variable; it is the class's (add_implicit_resolver fills it).
    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}  # type: ignore[misc]

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag PyYAML's resolver gives, found without its general machinery (it is asked for
        every key and value): a plain scalar tries only the patterns its first character can
        start (none, for most of a plan's keys and texts), a quoted one is text, and a list or
        a mapping is one. The resolver has no path resolvers and no pattern for any first
        character (both checked below), the two cases PyYAML's would handle besides."""
        if kind is ScalarNode:
            if implicit[0]:
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


_Resolver.add_implicit_resolver(_BOOL, _BOOL_RE, list("tTfF"))
_Resolver.add_implicit_resolver(_INT, _INT_RE, list("-+0123456789"))
_Resolver.add_implicit_resolver(_FLOAT, _FLOAT_RE, list("-+.0123456789"))
_Resolver.add_implicit_resolver(_NULL, _NULL_RE, ["~", "n", "N", ""])
# `_Resolver.resolve` looks patterns up by first character only, and applies no path resolver.
if None in _Resolver.yaml_implicit_resolvers or _Resolver.yaml_path_resolvers:  # pragma: no cover
    raise ImportError("nis's YAML resolver assumes no pattern for every scalar and no path resolvers")


class _LimitedComposer(Composer):
    """PyYAML's composer with limits on depth, aliases and expanded size, checked as it goes."""

    def __init__(self) -> None:
        Composer.__init__(self)
        self._depth = self._aliases = self._nodes = 0
        self._sizes: dict[str, int] = {}
        self._open: set[str] = set()

    if TYPE_CHECKING:  # given by the parser this composer is mixed with; here it is always a node's event
        def peek_event(self) -> NodeEvent: ...

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()
        mark = event.start_mark
        assert mark is not None  # the parser marks where each event starts
        if isinstance(event, AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused("NIS-D014", f"the document uses more than {MAX_ALIASES} YAML "
                               "aliases (`*name`)", line=mark.line + 1, column=mark.column + 1,
                               hint="write the values out; plans do not need many aliases")
            if event.anchor in self._open:
                raise _Refused("NIS-D014", f"the alias `*{event.anchor}` refers to the list or "
                               "mapping that contains it", line=mark.line + 1,
                               column=mark.column + 1, hint="a plan cannot contain itself")
            node = Composer.compose_node(self, parent, index)
            self._count(self._sizes.get(event.anchor, 1) if event.anchor is not None else 1, mark)
            return node
        nested = isinstance(event, (SequenceStartEvent, MappingStartEvent))
        if nested:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _too_deep(mark.line + 1, mark.column + 1)
        anchor, before = event.anchor, self._nodes
        if anchor is not None:
            self._open.add(anchor)
        node = Composer.compose_node(self, parent, index)
        self._count(1, mark)
        if anchor is not None:
            self._open.discard(anchor)
            self._sizes[anchor] = self._nodes - before
        if nested:
            self._depth -= 1
        return node

    def _count(self, size: int, mark: Mark | CMark) -> None:
        self._nodes += size
        if self._nodes > MAX_NODES:
            raise _Refused("NIS-D015", f"the document expands to more than {MAX_NODES:,} "
                           "values once its YAML aliases are followed", line=mark.line + 1,
                           column=mark.column + 1,
                           hint="this is the shape of a 'billion laughs' attack; write the "
                                "values out instead of nesting aliases")


if _LIBYAML:
    class _Loader(_LimitedComposer, _EventSource, _Resolver):
        def __init__(self, text: str) -> None:
            _EventSource.__init__(self, text)
            _LimitedComposer.__init__(self)
            _Resolver.__init__(self)

    class _QuickLoader(_EventSource, _Resolver):
        """libyaml's own composer, with nis's tags: for plans that cannot reach the limits the
        Python composer checks as it goes (see `_parse_yaml`)."""

        def __init__(self, text: str) -> None:
            _EventSource.__init__(self, text)
            _Resolver.__init__(self)
else:  # pragma: no cover
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser, _LimitedComposer, _Resolver):  # type: ignore[no-redef]
        def __init__(self, text: str) -> None:
            Reader.__init__(self, text)
            Scanner.__init__(self)
            Parser.__init__(self)
            _LimitedComposer.__init__(self)
            _Resolver.__init__(self)


def _compose(text: str) -> Node | None:
    try:
        return _Loader(text).get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = exc.problem or exc.context or "cannot be read"
        if "maximum nesting depth" in problem:  # libyaml's own limit, met while reading ahead
            raise _too_deep(line, column) from None
        if "expected a single document" in str(exc):
            raise _Refused("NIS-D016", "the file holds more than one YAML document",
                           line=line, column=column,
                           hint="keep one plan per file: remove the `---` line and what follows,"
                                " or split the file") from None
        raise _Refused("NIS-D011", f"YAML syntax error: {problem}", line=line, column=column,
                       hint=msg.yaml_syntax_hint(text, exc, line, column)) from None
    except yaml.reader.ReaderError as exc:
        line, column = _offset_position(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(exc.character or "?")
        raise _Refused("NIS-D011", f"YAML syntax error: the control character U+{char:04X} is "
                       "not allowed in YAML", line=line, column=column,
                       hint="remove the control character (copying from a word processor can "
                            "add them)") from None
    except yaml.YAMLError as exc:
        raise _Refused("NIS-D011", f"YAML syntax error: {exc}") from None


# Below this size a plan without aliases holds fewer than MAX_NODES values, so libyaml's composer
# (in C) can build it whole: the only limit left, depth, is checked while its nodes are converted.
_QUICK_LIMIT = 256 * 1024


def _parse_yaml(text: str) -> Value:
    if _LIBYAML and len(text) <= _QUICK_LIMIT and "&" not in text and "*" not in text:
        quick = _quick_yaml(text)
        if quick is not None:
            return quick
    # Anything else, and any plan the quick way could not read, is composed in Python with
    # every limit checked as it goes, and its problems reported as that way finds them.
    node = _compose(text)
    if node is None:
        raise _Refused("NIS-D001", "the document is empty (it holds only comments or `---`)",
                       hint="a plan needs its fields, e.g. `id:`, `child:` and `layer:`")
    problems: list[_Refused] = []
    data = _node_data(node, "", problems, 1)
    if problems:
        first, *rest = problems
        first.more = tuple(rest)
        raise first
    return data


def _quick_yaml(text: str) -> Value:
    """The plan's data by libyaml's composer, or None if anything is wrong with it (or it is
    null): then the careful way reads it again, to report any problem as it always has."""
    try:
        node = _QuickLoader(text).get_single_node()
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    try:
        return _quick_data(node, 1)
    except _ReadCarefully:
        return None


class _ReadCarefully(Exception):  # noqa: N818 - control flow, not an error
    """The quick way met something the careful way reports: a bad tag or number, a duplicate
    or non-text key, or nesting too deep."""


def _quick_data(node: Node, depth: int) -> Value:
    """`_node_data` for a plan read the quick way: it names no pointers and keeps no lines,
    and gives up at the first problem, for the careful way to report."""
    if isinstance(node, ScalarNode):
        if node.tag == _STR:
            return cast(str, node.value)
        problems: list[_Refused] = []
        value = _scalar(node, "", problems)
        if problems:
            raise _ReadCarefully
        return value
    if depth > MAX_DEPTH:
        raise _ReadCarefully
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ:
            raise _ReadCarefully
        return [_quick_data(item, depth + 1) for item in node.value]
    if node.tag != _MAP:
        raise _ReadCarefully
    out: dict[str, Value] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.value in out:
            raise _ReadCarefully
        out[key_node.value] = _quick_data(value_node, depth + 1)
    return out


def _node_data(node: Node, pointer: str, problems: list[_Refused], depth: int) -> Value:
    """Plain data of a composed node, aliases copied out (their total size is bounded)."""
    if isinstance(node, ScalarNode):
        return _scalar(node, pointer, problems)
    if depth > MAX_DEPTH:  # reachable only through aliases nested inside aliases
        raise _too_deep(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ:
            problems.append(_bad_tag(node, pointer))
        return [_node_data(item, f"{pointer}/{i}", problems, depth + 1)
                for i, item in enumerate(node.value)]
    if node.tag != _MAP:
        problems.append(_bad_tag(node, pointer))
    out: dict[str, Value] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        mark = key_node.start_mark
        if not isinstance(key_node, ScalarNode):
            problems.append(_Refused("NIS-D017", "a key must be plain text, not a list or "
                                     "mapping", line=mark.line + 1, column=mark.column + 1,
                                     pointer=pointer, hint="write keys as `name: value`"))
            continue
        key = key_node.value
        child = f"{pointer}/{_escape(key)}"
        if key in out:
            problems.append(_Refused(
                "NIS-D012", f"duplicate key `{key}`", line=mark.line + 1, column=mark.column + 1,
                pointer=child, hint=f"`{key}` already appears on line {first_line[key]}; keep "
                                    "one (the later would silently replace it)"))
            continue
        first_line[key] = mark.line + 1
        out[key] = _node_data(value_node, child, problems, depth + 1)
    return out


def _scalar(node: ScalarNode, pointer: str, problems: list[_Refused]) -> Value:
    value: str = node.value
    tag = node.tag
    if tag == _STR:
        return value
    if tag == _NULL and _NULL_RE.match(value):
        return None
    if tag == _BOOL and _BOOL_RE.match(value):
        return value.lower() == "true"
    if tag == _INT and _INT_RE.match(value):
        sign, digits = (-1, value[1:]) if value[:1] == "-" else (1, value.lstrip("+"))
        base = {"0o": 8, "0x": 16}.get(digits[:2], 10)
        digits = digits[2:] if base != 10 else digits
        # Counted before converting: 0x followed by 5,000 digits is refused, never built.
        number = sign * int(digits, base) if len(digits.lstrip("0")) <= 20 else None
        return _yaml_number(node, pointer, problems, number)
    if tag == _FLOAT and _FLOAT_RE.match(value):
        if value.lstrip("+-").lower() in (".inf", ".nan"):
            problems.append(_number_refusal(value, "is not a number a plan can hold", *_mark(node), pointer))
            return None
        try:
            amount: Decimal | None = Decimal(value)
        except (InvalidOperation, ValueError):
            amount = None
        return _yaml_number(node, pointer, problems, amount)
    problems.append(_bad_tag(node, pointer))
    return None


def _yaml_number(node: ScalarNode, pointer: str, problems: list[_Refused],
                 number: int | Decimal | None) -> int | Decimal | None:
    problem = _number_problem(node.value, number)
    if problem is None:
        return number
    problems.append(_number_refusal(node.value, problem, *_mark(node), pointer))
    return None


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _number_problem(written: str, value: int | Decimal | None) -> str | None:
    """Why a number cannot be held in a plan (None when it can): see MAX_DIGITS."""
    if value is None:
        return f"is too large: numbers in a plan are less than 10^{len(str(MAX_MAGNITUDE)) - 1}"
    if isinstance(value, Decimal):
        _, digits, exponent = value.as_tuple()
        if not isinstance(exponent, int):  # infinity or NaN: only a finite number has a whole exponent
            return "is not a number a plan can hold"
        if (value and value.adjusted() >= len(str(MAX_MAGNITUDE)) - 1) or exponent >= len(str(MAX_MAGNITUDE)):
            return f"is too large: numbers in a plan are less than 10^{len(str(MAX_MAGNITUDE)) - 1}"
        if len(digits) > MAX_DIGITS or exponent < -MAX_DIGITS:
            return f"has more than {MAX_DIGITS} digits, more than nis calculates with"
        return None
    if abs(value) >= MAX_MAGNITUDE:
        return f"is too large: numbers in a plan are less than 10^{len(str(MAX_MAGNITUDE)) - 1}"
    return None


def _number_refusal(written: str, why: str, line: int | None, column: int | None,
                    pointer: str | None) -> _Refused:
    shown = written if len(written) <= 40 else written[:30] + f"… ({len(written):,} characters)"
    return _Refused("NIS-D018", f"`{shown}` {why}", line=line, column=column, pointer=pointer,
                    hint="give a finite number with a few digits, e.g. 2.5")


def _bad_tag(node: Node, pointer: str) -> _Refused:
    mark = node.start_mark
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    return _Refused("NIS-D017", f"the YAML tag `{tag}` is not supported in a plan",
                    line=mark.line + 1, column=mark.column + 1, pointer=pointer,
                    hint="plans hold only text, numbers, true/false, null, lists and mappings: "
                         "remove the tag (dates are written as plain YYYY-MM-DD text)")


# ----------------------------------------------------------------------------- positions

Where = tuple[Span | None, Span]  # where a value's key is, and where the value is


def positions(text: str, wanted: set[str] | None = None) -> dict[str, Where]:
    """Line and column of every value (and key) by JSON pointer; `{}` when unknown.

    With `wanted`, only those pointers are located, and a JSON text is read no further than
    the last of them, so locating a few problems in a large document stays cheap.
    """
    lines = _line_index(text)
    where: dict[str, Where] = {}
    if text.lstrip()[:1] in ("{", "["):
        opened: dict[str, Where] = {}  # lists and objects still open: where they start

        def record(pointer: str, key: _Offsets | None, value: _Offsets) -> None:
            opened.pop(pointer, None)
            if (wanted is None or pointer in wanted) and pointer not in where:
                where[pointer] = (lines.span(*key) if key else None, lines.span(*value))
                if wanted is not None and len(where) + len(opened) == len(wanted):
                    raise _Stop  # every pointer wanted is found (each is in one of the two)

        def start(pointer: str, key: _Offsets | None, at: int) -> None:
            if wanted is not None and pointer in wanted and pointer not in where:
                line, column = lines.position(at)
                opened[pointer] = (lines.span(*key) if key else None, Span(line, column))

        _json_walk(text, record, on_open=start)
        for pointer, place in opened.items():
            where.setdefault(pointer, place)
        if where:
            return where
    try:
        node = _compose(text)
    except _Refused:
        return {}
    if node is not None:
        _node_positions(node, "", None, where, set(), 0, wanted)
    return where


def _node_positions(node: Node, pointer: str, key: Node | None, where: dict[str, Where], seen: set[int],
                    depth: int, wanted: set[str] | None) -> None:
    if wanted is None or pointer in wanted:
        where.setdefault(pointer, (_mark_span(key) if key else None, _mark_span(node)))
    if id(node) in seen or depth > MAX_DEPTH:
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, ScalarNode):
                _node_positions(value, f"{pointer}/{_escape(key_node.value)}", key_node, where,
                                seen, depth + 1, wanted)
    elif isinstance(node, SequenceNode):
        for i, value in enumerate(node.value):
            _node_positions(value, f"{pointer}/{i}", None, where, seen, depth + 1, wanted)


def _mark_span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    if end.line == start.line and end.column > start.column:
        return Span(start.line + 1, start.column + 1, end.line + 1, end.column)
    return Span(start.line + 1, start.column + 1)


class _LineIndex:
    """Where each line starts, found in one pass: positions for thousands of diagnostics
    then cost a binary search each, not a scan of the text."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, offset)
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def line(self, number: int) -> str | None:
        if not 0 < number <= len(self.starts):
            return None
        start = self.starts[number - 1]
        end = self.starts[number] - 1 if number < len(self.starts) else len(self.text)
        return self.text[start:end]

    def span(self, start: int, end: int) -> Span:
        line = bisect_right(self.starts, start)
        column = start - self.starts[line - 1] + 1
        end_line = bisect_right(self.starts, max(start, end - 1))
        if end_line == line:
            return Span(line, column, line, end - self.starts[line - 1])
        return Span(line, column)


def source_line(text: str | None, span: Span | None) -> str | None:
    """The line to quote under a diagnostic; none for minified or runaway lines."""
    if text is None or span is None:
        return None
    line = _line_index(text).line(span.line)
    if line is None:
        return None
    line = line.rstrip("\r")
    return line if len(line) <= 240 else None


@lru_cache(maxsize=2)
def _line_index(text: str) -> _LineIndex:
    """The line index of the document being reported on, built once for all its diagnostics."""
    return _LineIndex(text)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def pointer(path: JsonPath) -> str:
    return "".join(f"/{_escape(str(part))}" for part in path)
