"""Documents: read an ISP or EHCP from bytes, and check it against its JSON Schema.

In: raw bytes (a file, stdin or one JSONL line). Out: plain JSON data (dicts, lists, str,
int, `Decimal` for non-integer numbers, bool, None; dates stay `YYYY-MM-DD` strings) and
a tuple of `Diagnostic`s. JSON and YAML of the same document give equal data.

Reading refuses, with a diagnostic and before doing unbounded work: files over
`MAX_BYTES`, nesting deeper than `MAX_DEPTH`, more than `MAX_ALIASES` YAML aliases, or
more than `MAX_NODES` values once aliases are expanded. YAML is read with the YAML 1.2
core rules (only `true`/`false` are booleans; `1:1` and `2027-01-05` stay text), so a
plan means the same thing whichever format it was written in.

A plan is validated against nis's own schema of its type, or against the plan schema the
standards that judge it bind in its place (`PlanSchema`: one kept in their folder, read by
jsonschema alone, since nis generates code only from its own schemas). nis's own schemas
are compiled to Python ahead of time and shipped (`inclusion_standards/validators/`), so
validation says yes or no at once, without compiling or importing a schema engine. A
document it rejects is walked by jsonschema to report every problem, in plain English, with
its JSON pointer and, when the source text is given, its line and column: the diagnostics
are jsonschema's whichever engine said no. jsonschema is imported when a validation first
needs it. The error codes are listed in docs/documents.md.
"""
from __future__ import annotations

import copy
import hashlib
import importlib
import json
import os
import re
import threading
import types
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn, Protocol, cast

from . import document_messages as msg
from .diagnostics import SHOWN, Diagnostic, DocumentError, Span
from .document_messages import JsonPath, Schema
from .document_reading import (
    MAX_ALIASES,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    Where,
    more_problems,
    parse,
    pointer,
    positions,
    read_file,
    source_line,
)
from .resources import schemas_dir

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

__all__ = [
    "DOCUMENT_TYPES",
    "MAX_ALIASES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "DocumentType",
    "LoadedDocument",
    "PlanSchema",
    "detect_document_type",
    "document_schema",
    "load_document",
    "parse_document",
    "plan_schema",
    "valid_for",
    "validate_document",
]

DocumentType = Literal["isp", "ehcp", "case"]
DOCUMENT_TYPES: tuple[str, ...] = ("isp", "ehcp", "case")


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """A document that was read and matched its schema."""

    source: str
    document_type: str
    data: dict[str, Any]
    sha256: str | None  # of the bytes read; None for a plan given as data
    # The sha256 of the plan schema it was validated against, when that was not nis's own.
    schema_sha256: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class PlanSchema:
    """A plan schema that standards bind in place of nis's own (a file kept in their folder):
    plans of its type are validated against it before those standards judge them, as their
    rules were typed against it."""

    document_type: str
    schema: Schema
    sha256: str  # of its JSON written canonically: what tells two schemas apart
    source: str | None = None  # the file it was read from, where known


def plan_schema(document_type: str, schema: Schema) -> PlanSchema | None:
    """The schema that standards bind for `document_type`, as a `PlanSchema`; None when it is
    nis's own (a copy of it included), against which every plan is validated anyway."""
    if is_nis_schema(document_type, schema):
        return None
    canonical = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return PlanSchema(document_type, schema, hashlib.sha256(canonical.encode("utf-8")).hexdigest())


# ----------------------------------------------------------------------------- public API


def load_document(path_or_raw: str | os.PathLike[str] | bytes, *, source: str | None = None,
                  document_type: str | None = None,
                  schemas: Mapping[str, PlanSchema] | None = None) -> LoadedDocument:
    """Read, detect and validate one document; raise `DocumentError` with every problem.

    `path_or_raw` is a file path, or the raw bytes of a document (e.g. one JSONL line,
    labelled by `source`). `document_type` overrides detection. `schemas` gives, by document
    type, the plan schema to validate against in place of nis's own (those the standards that
    will judge the document bind: `StandardsLibrary.plan_schemas`).
    """
    if document_type is not None and document_type not in DOCUMENT_TYPES:
        raise ValueError(f"document_type must be one of {DOCUMENT_TYPES}, not {document_type!r}")
    if isinstance(path_or_raw, (bytes, bytearray, memoryview)):
        raw = bytes(path_or_raw)
        label = source or "<input>"
    else:
        label = source or os.fspath(path_or_raw)
        raw = read_file(Path(path_or_raw), label)
    text, data = parse(raw, label)
    kind = document_type or detect_document_type(data)
    schema = schemas.get(kind) if schemas else None
    problems = validate_document(data, kind, source=label, text=text, schema=schema)
    if problems:
        raise DocumentError(problems)
    return LoadedDocument(label, kind, data, hashlib.sha256(raw).hexdigest(),
                          schema.sha256 if schema is not None else None)


def valid_for(loaded: LoadedDocument, schema: PlanSchema | None) -> LoadedDocument:
    """`loaded` once it matches `schema` (nis's own, for None): validated again only if it was
    validated against another schema. Raise `DocumentError` with every problem."""
    if (schema.sha256 if schema is not None else None) == loaded.schema_sha256:
        return loaded
    problems = validate_document(loaded.data, loaded.document_type, source=loaded.source, schema=schema)
    if problems:
        raise DocumentError(problems)
    return replace(loaded, schema_sha256=schema.sha256 if schema is not None else None)


def parse_document(raw: bytes, source: str = "<input>") -> dict[str, Any]:
    """The plain JSON data of a YAML or JSON document; raise `DocumentError` if unreadable.

    The format is chosen by content (a first non-space character `{` or `[` means JSON),
    with the file extension in `source` as a hint: a `.json` file is always read as JSON.
    """
    return parse(raw, source)[1]


def detect_document_type(data: dict[str, Any]) -> str:
    """`isp`, `ehcp` or `case`: a valid explicit `document_type` wins; else `sections` means an
    EHCP, and an `isp` beside an `ehcp` means a case (the two judged together).

    An unrecognised `document_type` (say `EHCP`) is ignored here so that validation can
    report it against the schema of the type the document's shape suggests.
    """
    explicit = data.get("document_type") if isinstance(data, dict) else None
    if isinstance(explicit, str) and explicit in DOCUMENT_TYPES:
        return explicit
    if isinstance(data, dict) and "sections" in data:
        return "ehcp"
    return "case" if isinstance(data, dict) and "isp" in data and "ehcp" in data else "isp"


def document_schema(document_type: str) -> Schema:
    """The JSON Schema of `document_type` (a fresh copy: callers may change it freely)."""
    return copy.deepcopy(_schema(document_type))


def validate_document(data: dict[str, Any], document_type: str, *, source: str = "<input>",
                      text: str | None = None, fast: bool | None = None,
                      schema: PlanSchema | None = None) -> tuple[Diagnostic, ...]:
    """How `data` departs from the schema of `document_type`; `()` when it is valid. The first
    SHOWN problems, in the order they appear, come in full; one more diagnostic counts the rest.

    `text` is the source the data was read from, used to give lines and columns. `schema` is
    the plan schema to validate against in place of nis's own (see `PlanSchema`). nis's own
    schemas are checked by their compiled validators first (`fast=False` walks the document
    with jsonschema only); the result is the same either way, and tests hold the two to each
    other. A `PlanSchema` is only walked.
    """
    if document_type not in DOCUMENT_TYPES:
        raise ValueError(f"document_type must be one of {DOCUMENT_TYPES}, not {document_type!r}")
    if schema is not None and schema.document_type != document_type:
        raise ValueError(f"the plan schema given is for {schema.document_type} documents, not {document_type}")
    fast = schema is None and fast is not False
    if fast:
        validator = _fast_validator(document_type)
        try:
            validator.validate(data, custom_formats=_FORMATS)
            return ()
        except validator.Invalid:
            pass
    found, beyond, complete = (
        msg.schema_diagnostics(_full_validator(document_type), _schema(document_type), data) if schema is None
        else msg.schema_diagnostics(_plan_validator(schema), schema.schema, data))
    wanted = {pointer(p.path[:n]) for p in found for n in range(len(p.path) + 1)}
    where = positions(text, wanted) if text is not None and found else {}
    located = sorted(((_span_for(where, p.path, p.at_key, p.at_parent), p) for p in found),
                     key=lambda sp: _position_key(sp[0], pointer(sp[1].path), sp[1].code))
    out = []
    for span, found_problem in located[:SHOWN]:
        problem = msg.finish(found_problem)
        out.append(Diagnostic(
            "error", problem.code, problem.message, source=source, span=span,
            pointer=pointer(problem.path), expected=problem.expected, hint=problem.hint,
            source_line=source_line(text, span)))
    if len(located) > SHOWN or beyond or not complete:
        more = more_problems(source, [p.code for _, p in located[SHOWN:]], beyond)
        if not complete:
            more = replace(more, message=f"at least {more.message} (nis stops reading a document's problems "
                                         f"after {msg.MAX_ERRORS:,})")
        out.append(more)
    if fast and not out:
        out.append(Diagnostic("error", "NIS-D199", "the two schema validators disagree about "
                              "this document", source=source, pointer="",
                              hint="this is a bug in nis: please report it with the document"))
    return tuple(out)


# ----------------------------------------------------------------------------- schemas

def is_nis_schema(document_type: str, schema: object) -> bool:
    """Whether `schema` is nis's own schema of `document_type`: the one a plan of that type has
    been validated against before it is judged."""
    return document_type in DOCUMENT_TYPES and schema == _schema(document_type)


@cache
def _schema(document_type: str) -> Schema:
    path = schemas_dir() / f"{document_type}.schema.json"
    return cast("Schema", json.loads(path.read_text(encoding="utf-8")))


def _is_date(value: object) -> bool:
    """`format: date` for both validators: exactly YYYY-MM-DD, and a day that exists."""
    return not isinstance(value, str) or _is_iso_date(value)


@lru_cache(maxsize=8192)
def _is_iso_date(value: str) -> bool:
    """Kept for the last 8,192 texts: the plans of a batch hold the same few thousand days
    (an EHCP has some 30 dates), and a lookup costs about a third of the check."""
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _refuse_remote(uri: str) -> NoReturn:
    raise ValueError(f"nis schemas are self-contained; refusing to fetch {uri}")


_FORMATS: dict[str, Callable[[object], bool]] = {"date": _is_date}


class _CompiledValidator(Protocol):
    """A compiled schema: `validate` returns when a plan is valid and raises `Invalid` when not."""

    Invalid: type[Exception]

    def validate(self, data: Any, custom_formats: Mapping[str, Callable[[object], bool]]) -> Any: ...


@cache
def _fast_validator(document_type: str) -> _CompiledValidator:
    """nis's own schema of `document_type` compiled to Python: the module shipped with nis
    (`inclusion_standards/validators/`, written by `validator_source`) when it was made from
    the schema as it stands, so a process imports it as it imports nis's other code; else
    (a schema edited since, in a checkout) the same source compiled here. Either says only
    whether a plan is valid: the messages are worded from jsonschema's walk of a plan it refuses."""
    try:
        module = importlib.import_module(f"{__package__}.validators.{document_type}")
    except ImportError:  # not shipped (a kind of plan added in a checkout): compiled below
        module = None
    if getattr(module, "SCHEMA_SHA256", None) == _schema_sha256(document_type):
        return cast("_CompiledValidator", module)
    try:
        source = validator_source(document_type)
    except RuntimeError:  # a fastjsonschema that writes its code otherwise: its own validator, slower
        import fastjsonschema

        schema = {**_schema(document_type), "$schema": "http://json-schema.org/draft-07/schema#"}
        compiled = fastjsonschema.compile(schema, handlers={"http": _refuse_remote, "https": _refuse_remote},
                                          formats=_FORMATS, use_default=False)
        return cast("_CompiledValidator", types.SimpleNamespace(
            validate=lambda data, custom_formats: compiled(data), Invalid=fastjsonschema.JsonSchemaValueException))
    namespace: dict[str, Any] = {}
    # The code fastjsonschema writes from nis's bundled schema, as the shipped module holds it:
    # never text from a plan or a standards folder.
    exec(compile(source, f"<nis {document_type} schema>", "exec"), namespace)  # noqa: S102
    return cast("_CompiledValidator", types.SimpleNamespace(**namespace))


def validator_source(document_type: str) -> str:
    """The Python module of nis's own schema of `document_type` compiled by fastjsonschema,
    as shipped in `inclusion_standards/validators/` (`make validators` writes them; a test
    holds them to this). It only says whether a plan is valid, so each `raise` of a detailed
    error, which would build the message and a copy of the schema part from the plan's
    values, raises a bare `Invalid`, and the names of a plan's parts are not formatted for
    messages: that keeps the module a fifth of the size, fast, and free of fastjsonschema."""
    import fastjsonschema

    # fastjsonschema speaks draft-07; the schemas use only keywords both drafts read alike.
    schema = copy.deepcopy(_schema(document_type))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    code = fastjsonschema.compile_to_code(
        schema, handlers={"http": _refuse_remote, "https": _refuse_remote}, formats={"date": _is_date},
        use_default=False)
    main = re.search(r"^def (validate_\w+)\(", code, re.MULTILINE)
    if main is None:
        raise RuntimeError(f"fastjsonschema {fastjsonschema.VERSION} writes its code in a way nis does not know")
    lines = []
    for line in code.splitlines():
        statement = line.lstrip()
        if statement.startswith("from fastjsonschema import"):
            continue
        # One line each, as fastjsonschema writes them.
        lines.append(line[: len(line) - len(statement)] + "raise Invalid"
                     if statement.startswith("raise JsonSchemaValue") else line)
    # The names of a plan's parts, formatted for messages nis never shows, cost most of a
    # validation (630 -> 90 µs for an example EHCP): the bare text does as well.
    body = "\n".join(lines).strip("\n").replace(".format(**locals())", "")
    return _VALIDATOR_MODULE.format(kind=document_type.upper(), name=document_type,
                                    sha256=_schema_sha256(document_type), code=body, main=main.group(1))


_VALIDATOR_MODULE = '''"""nis's {kind} schema (schemas/{name}.schema.json) compiled to Python by fastjsonschema.

Written by `make validators` (documents.validator_source): do not edit.
"""
# ruff: noqa
SCHEMA_SHA256 = "{sha256}"


class Invalid(ValueError):
    """The plan departs from the schema (jsonschema's walk of it says where)."""


# The names fastjsonschema's code catches (in anyOf, oneOf, not): its raises are `Invalid` here.
JsonSchemaValueException = JsonSchemaValuesException = Invalid


{code}


validate = {main}
'''


@cache
def _schema_sha256(document_type: str) -> str:
    """The sha256 of the schema file's bytes: what a shipped validator records it was made from."""
    return hashlib.sha256((schemas_dir() / f"{document_type}.schema.json").read_bytes()).hexdigest()


def _ecma_pattern(validator: Validator, pattern: str, instance: Any, schema: Schema) -> Iterator[
        ValidationError]:
    """`pattern` with ECMA-262's `$` (end of text only), as fastjsonschema reads it."""
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not re.search(_ecma(pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _ecma(pattern: str) -> str:
    return re.sub(r"(?<!\\)\$", r"\\Z", pattern)


@cache
def _full_validator(document_type: str) -> Validator:
    return _walker(_schema(document_type))


def _walker(schema: Schema) -> Validator:
    """jsonschema's validator for `schema` (draft 2020-12 unless it names another draft), with
    nis's reading of `pattern` and `format: date`. It resolves only references inside the
    schema: a reference to anything else is unresolvable, never fetched."""
    import jsonschema
    import referencing

    draft = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    # types-jsonschema leaves `extend` unannotated: what it makes is a validator class like the one extended.
    full: type[Validator] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        draft, validators={"pattern": _ecma_pattern})
    formats = jsonschema.FormatChecker(formats=())
    formats.checks("date")(_is_date)
    return full(schema, format_checker=formats, registry=referencing.Registry())


_PLAN_VALIDATORS = 16  # the standards' plan schemas whose validators a process keeps built
_plan_validators: dict[str, Validator] = {}
_plan_validators_lock = threading.Lock()  # the web app validates on several threads


def _plan_validator(schema: PlanSchema) -> Validator:
    with _plan_validators_lock:
        found = _plan_validators.get(schema.sha256)
        if found is None:
            if len(_plan_validators) >= _PLAN_VALIDATORS:
                _plan_validators.pop(next(iter(_plan_validators)))
            found = _plan_validators[schema.sha256] = _walker(schema.schema)
        return found


# ----------------------------------------------------------------------------- ordering


def _span_for(where: dict[str, Where], path: JsonPath, at_key: bool, at_parent: bool) -> Span | None:
    """The key (unknown field), the enclosing object's start (missing field) or the value."""
    parts, exact = list(path[:-1] if at_parent else path), True
    while where:
        found = where.get(pointer(tuple(parts)))
        if found is not None:
            key_span, value_span = found
            if exact and at_key and key_span is not None:
                return key_span
            if exact and not at_parent:
                return value_span
            return Span(value_span.line, value_span.column)
        if not parts:
            return None
        parts.pop()
        exact = False
    return None


def _position_key(span: Span | None, where: str, code: str) -> tuple[int, int, int, str, str]:
    if span is None:
        return (1, 0, 0, where, code)
    return (0, span.line, span.column, where, code)
