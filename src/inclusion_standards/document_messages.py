"""Plain-English wording for document problems: what was expected, and how to fix it.

Takes jsonschema's errors for a document (keyword, path, value, schema) and gives one
`Problem` per thing a SENCO has to change: the missing field named with what it
records, an unknown field with a "did you mean", a date with the right way to write it.
Errors that are a consequence of another (a misspelt required field is both unknown and
missing) are folded into one. `documents.py` turns each `Problem` into a `Diagnostic`.

The work is bounded whatever the document: at most MAX_ERRORS of jsonschema's errors are
read, and the "did you mean" of an unknown field (the costly part) is worked out only for
the problems that are shown (`finish`) and, for folding, for at most MAX_GUESSES fields.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

from .diagnostics import closest

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

__all__ = ["MAX_ERRORS", "JsonPath", "Problem", "Schema", "finish", "json_syntax_hint", "plain_kind",
           "schema_diagnostics", "yaml_syntax_hint"]

#: Where a value is in a document: object keys and list indices, from the top.
JsonPath: TypeAlias = tuple[str | int, ...]
#: A JSON Schema (or part of one) as read from its file: keywords to JSON values.
Schema: TypeAlias = dict[str, Any]

MAX_ERRORS = 10_000   # schema errors read from one document; the rest are not counted
MAX_PROBLEMS = 10_000  # problems worded and located; unknown fields beyond are only counted
MAX_GUESSES = 1_000   # unknown fields checked against missing ones, to fold the pair into one


@dataclass(frozen=True, slots=True)
class Problem:
    """One schema problem; `at_key` points at a key, `at_parent` at the enclosing object."""

    code: str
    message: str
    path: JsonPath
    expected: str | None = None
    hint: str | None = None
    at_key: bool = False
    at_parent: bool = False
    allowed: tuple[str, ...] | None = None  # an unknown field's known fields, for `finish`


# When several errors land on one value, the user sees the most basic one first.
_PRIORITY = {"NIS-D103": 0, "NIS-D104": 1, "NIS-D105": 2, "NIS-D107": 3, "NIS-D106": 4,
             "NIS-D108": 5, "NIS-D109": 6}


def schema_diagnostics(validator: Validator, root: Schema, data: Any) -> tuple[list[Problem], dict[str, int], bool]:
    """The problems jsonschema finds in `data`, worded for a person, cascades folded; the
    number of further problems by code, counted but not worded (beyond MAX_PROBLEMS); and
    whether that is all (False when more than MAX_ERRORS errors were found)."""
    found: list[Problem] = []
    beyond: dict[str, int] = {}
    for n, error in enumerate(validator.iter_errors(data)):
        if n == MAX_ERRORS:
            return _fold(found), beyond, False
        for problem in _translate(error, root, beyond, MAX_PROBLEMS - len(found)):
            if len(found) < MAX_PROBLEMS:
                found.append(problem)
            else:
                beyond[problem.code] = beyond.get(problem.code, 0) + 1
    return _fold(found), beyond, True


def finish(problem: Problem) -> Problem:
    """The problem with its "did you mean" worked out, for one that is shown."""
    if problem.allowed is None or problem.hint is not None:
        return problem
    key = problem.path[-1]
    assert isinstance(key, str)  # `allowed` is given only for an unknown field, whose path ends in its key
    return Problem(problem.code, problem.message, problem.path, problem.expected,
                   _unknown_hint(key, list(problem.allowed)), problem.at_key, problem.at_parent)


def _fold(found: list[Problem]) -> list[Problem]:
    missing = {(p.path[:-1], p.path[-1]) for p in found if p.code == "NIS-D101"}
    parents = {parent for parent, _ in missing}
    explained: set[JsonPath] = set()
    out: list[Problem] = []
    guesses = MAX_GUESSES
    for p in found:
        if p.code == "NIS-D102" and p.path[:-1] in parents and guesses:
            guesses -= 1
            out.append(_folded(finish(p), missing, explained))
        else:
            out.append(p)
    best: dict[tuple[JsonPath, bool], Problem] = {}
    for p in out:
        if p.code == "NIS-D101" and p.path in explained:
            continue
        key = (p.path, p.code in ("NIS-D101", "NIS-D102"))
        kept = best.get(key)
        if kept is None or _PRIORITY.get(p.code, 9) < _PRIORITY.get(kept.code, 9):
            best[key] = p
    return list(best.values())


def _folded(unknown: Problem, missing: set[tuple[JsonPath, str | int]], explained: set[JsonPath]) -> Problem:
    """An unknown field whose "did you mean" names a missing required field: one problem for
    the two, the missing field's path noted in `explained`."""
    hint = unknown.hint or ""
    guess = hint.split("`")[1] if hint.startswith("did you mean `") else None
    if guess is None or (unknown.path[:-1], guess) not in missing:
        return unknown
    explained.add((*unknown.path[:-1], guess))
    return Problem(unknown.code, unknown.message, unknown.path, unknown.expected,
                   f"did you mean `{guess}`? (`{guess}` is required and is missing)", unknown.at_key, unknown.at_parent)


def _translate(error: ValidationError, root: Schema, beyond: dict[str, int], room: int) -> Iterator[Problem]:
    keyword, path, value = error.validator, tuple(error.absolute_path), error.instance
    # The keyword's value and the (sub)schema that holds it: JSON from the schema file. The
    # stubs also allow "unset", which only an error made by hand has.
    given: Any = error.validator_value
    holder: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    field = field_schema(root, path)
    name = label(path)
    if keyword == "required" and isinstance(value, dict):
        for missing in given:
            if missing not in value:
                sub = field_schema(root, (*path, missing))
                yield Problem("NIS-D101", f"missing required field `{missing}`",
                              (*path, missing), expected_text(sub, root),
                              _add_hint(missing, sub), at_parent=True)
    elif keyword == "additionalProperties" and isinstance(value, dict):
        allowed = tuple(holder.get("properties", {}))
        expected = "one of the fields " + ", ".join(f"`{a}`" for a in allowed)
        unknown = (key for key in value if key not in allowed)
        for key in unknown:
            if room <= 0:  # 200,000 unknown fields are counted, not worded one by one
                beyond["NIS-D102"] = beyond.get("NIS-D102", 0) + 1 + sum(1 for _ in unknown)
                return
            room -= 1
            yield Problem("NIS-D102", f"unknown field `{key}`", (*path, key), expected,
                          at_key=True, allowed=allowed)
    elif keyword == "type":
        wanted = _types(holder)
        yield Problem("NIS-D103", f"{name} should be {_type_phrase(wanted)}, not "
                      f"{plain_kind(value, show_value=True)}", path, expected_text(field, root),
                      _type_hint(value, field, wanted))
    elif keyword in ("enum", "const"):
        options = given if keyword == "enum" else [given]
        guess = suggest(value, [o for o in options if isinstance(o, str)])
        hint = f"did you mean `{guess}`?" if guess else (
            "values are written exactly as listed: lower case, with underscores")
        yield Problem("NIS-D104", f"{name} cannot be `{show(value)}`", path,
                      expected_text(field, root), hint)
    elif keyword == "format":
        yield Problem("NIS-D105", f"{name} is not a valid date: `{show(value)}`", path,
                      expected_text(field, root), date_hint(value))
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield Problem("NIS-D106", f"{name} is out of range: `{show(value)}`", path,
                      expected_text(field, root), _range_hint(value, field))
    elif keyword in ("pattern", "minLength", "maxLength"):
        yield Problem("NIS-D107", f"{name} is not in the expected form: `{show(value)}`",
                      path, expected_text(field, root), _form_hint(value, field, keyword))
    elif keyword in ("minItems", "maxItems", "uniqueItems"):
        yield Problem("NIS-D108", f"{name} {_list_problem(value, keyword, given)}",
                      path, expected_text(field, root), _list_hint(keyword))
    else:
        yield Problem("NIS-D109", f"{name} does not match the schema: {error.message[:120]}",
                      path, expected_text(field, root))


# ----------------------------------------------------------------------------- schema lookup


def field_schema(root: Schema, path: JsonPath) -> Schema:
    """The schema of the value at `path`, `$ref`s resolved, the field's own wording kept."""
    schema = _resolve(root, root)
    for part in path:
        if isinstance(part, int):
            schema = _resolve(root, schema.get("items", {}))
        else:
            schema = _resolve(root, schema.get("properties", {}).get(part, {}))
    return schema


def _resolve(root: Schema, schema: object) -> Schema:
    for _ in range(16):
        if not isinstance(schema, dict) or "$ref" not in schema:
            break
        target: Any = root
        for part in schema["$ref"].lstrip("#").strip("/").split("/"):
            target = target.get(part, {}) if part and isinstance(target, dict) else target
        # A reference to `true` or `false` (a schema of the standards' own may hold one) words
        # as a field that says nothing more.
        schema = {**(target if isinstance(target, dict) else {}), **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema if isinstance(schema, dict) else {}


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type")
    if kind is None:
        return []
    return list(kind) if isinstance(kind, list) else [kind]


# ----------------------------------------------------------------------------- words


def label(path: JsonPath) -> str:
    if not path:
        return "the document"
    last = path[-1]
    if isinstance(last, int):
        owner = next((p for p in reversed(path[:-1]) if isinstance(p, str)), None)
        return f"item {last + 1} of `{owner}`" if owner else f"item {last + 1}"
    return f"`{last}`"


def show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (list, dict)):
        return plain_kind(value)
    text = str(value).replace("\n", "\\n")
    return text if len(text) <= 60 else text[:57] + "..."


def plain_kind(value: object, show_value: bool = False) -> str:
    if isinstance(value, bool):
        kind = "true/false"
    elif isinstance(value, (int, float, Decimal)):
        kind = "a number"
    elif isinstance(value, str):
        kind = "text"
    elif value is None:
        return "null (no value)"
    elif isinstance(value, list):
        return "a list"
    elif isinstance(value, dict):
        return "a set of fields"
    else:
        return "a value of an unknown kind"
    return f"{kind} (`{show(value)}`)" if show_value else kind


_TYPE_WORDS = {"string": "text", "number": "a number", "integer": "a whole number",
               "boolean": "true or false", "array": "a list", "object": "a set of fields",
               "null": "null"}


def _type_phrase(types: list[str]) -> str:
    return " or ".join(_TYPE_WORDS.get(t, t) for t in types) or "a value"


def expected_text(schema: Schema, root: Schema | None = None) -> str | None:
    """What the field holds, as a SENCO would say it, e.g. `a date written YYYY-MM-DD`."""
    if not schema:
        return None
    if "const" in schema:
        return f"exactly `{show(schema['const'])}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{show(v)}`" for v in schema["enum"])
    parts = []
    example = (schema.get("examples") or [None])[0]
    for kind in _types(schema):
        if kind == "string" and schema.get("format") == "date":
            parts.append(f"a date written YYYY-MM-DD, e.g. {example or '2030-03-14'}")
        elif kind == "string":
            parts.append(f"text such as `{example}`" if example is not None else "text")
        elif kind in ("number", "integer"):
            parts.append(_number_phrase(schema, kind, example))
        elif kind == "array":
            items = _resolve(root or {}, schema.get("items", {}))
            if "enum" in items:
                parts.append("a list of values from " + ", ".join(f"`{v}`" for v in items["enum"]))
            elif _types(items) == ["object"]:
                parts.append("a list of entries, each a set of fields")
            else:
                parts.append("a list")
        elif kind == "object":
            required = schema.get("required", [])
            parts.append("a set of fields" + (
                " including " + ", ".join(f"`{r}`" for r in required) if required else ""))
        else:
            parts.append(_TYPE_WORDS.get(kind, kind))
    return " or ".join(parts) or None


def _number_phrase(schema: Schema, kind: str, example: object) -> str:
    unit = schema.get("x-unit")
    phrase = "a whole number" if kind == "integer" else "a number"
    if unit and unit != "count":
        phrase += f" of {unit}"
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        phrase += f" from {low} to {high}"
    elif low is not None:
        phrase += f" of at least {low}"
    return phrase + (f", e.g. {example}" if example is not None else "")


# ----------------------------------------------------------------------------- hints


def suggest(value: object, options: list[str]) -> str | None:
    """The option a typo most likely meant: same words in another case or spelling."""
    if not isinstance(value, str) or not options:
        return None
    normal = re.sub(r"[\s\-]+", "_", value.strip().lower())
    if normal in options:
        return normal
    return closest(normal, options)


def _add_hint(name: str, schema: Schema) -> str:
    description = (schema.get("description") or "").strip().rstrip(".")
    if not description:
        return f"add `{name}`"
    return f"add `{name}`: {description[0].lower()}{description[1:]}"


def _unknown_hint(key: str, allowed: list[str]) -> str:
    section = re.fullmatch(r"section[\s_\-]*([a-k]|h[12])", key.strip().lower())
    guess = section.group(1) if section and section.group(1) in allowed else suggest(key, allowed)
    if guess:
        return f"did you mean `{guess}`?"
    return "check the spelling against the fields listed above, or remove this one"


def _type_hint(value: object, schema: Schema, wanted: list[str]) -> str | None:
    unit = schema.get("x-unit")
    if schema.get("format") == "date" and not isinstance(value, str):
        return "dates are written YYYY-MM-DD, e.g. 2030-03-14"
    if "number" in wanted or "integer" in wanted:
        if isinstance(value, str):
            number = re.search(r"[0-9]+(?:\.[0-9]+)?", value)
            if number and number.group() == value.strip():
                return f"remove the quotes: `{number.group()}` in quotes is read as text"
            if number:
                unit_words = f" (the unit, {unit}, is part of the field)" if unit and \
                    unit != "count" else ""
                return (f"write only the number, e.g. `{number.group()}`{unit_words}; "
                        "put any other wording in the description")
            example = (schema.get("examples") or [2])[0]
            return f"write the amount in figures, e.g. {example}"
        if "integer" in wanted and isinstance(value, (float, Decimal)) and not isinstance(value, bool):
            whole = value.is_integer() if isinstance(value, float) else (
                value.is_finite() and value == value.to_integral_value())
            if whole:  # 7.0, as spreadsheets export whole numbers
                return f"write the whole number without a decimal point: `{int(value)}`, not `{show(value)}`"
            return f"use a whole number: `{show(value)}` has a fractional part"
    if "boolean" in wanted and isinstance(value, str):
        return f"write `true` or `false` without quotes: `{show(value)}` is read as text"
    if "string" in wanted and isinstance(value, (int, float, Decimal, bool)):
        return (f"put the value in quotes, e.g. \"{show(value)}\", so it is read as text "
                "(and a leading 0 is kept)")
    if "array" in wanted and not isinstance(value, list):
        return "write a list: one entry per line starting with `- `, or [a, b] on one line"
    if "object" in wanted and not isinstance(value, dict):
        return "this field holds fields of its own, written on indented lines below it"
    if value is None:
        return "the field has no value: give one, or leave the field out if it is optional"
    return None


def date_hint(value: object) -> str:
    """How to write the date the user meant, e.g. for `31/02/2027`."""
    if not isinstance(value, str):
        return "dates are written YYYY-MM-DD, e.g. 2030-03-14"
    text = value.strip()
    match = re.fullmatch(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})", text)
    if match:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        if month > 12 >= day:  # month/day/year
            day, month = month, day
        return _write_as(year, month, day, reformat=True)
    match = re.fullmatch(r"([0-9]{4})[\-/.]?([0-9]{1,2})[\-/.]?([0-9]{1,2})", text)
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        return _write_as(year, month, day, reformat=text != f"{match[1]}-{match[2]}-{match[3]}"
                         or len(match[2]) != 2 or len(match[3]) != 2)
    return "dates are written YYYY-MM-DD, e.g. 2030-03-14"


def _write_as(year: int, month: int, day: int, reformat: bool) -> str:
    if year < 1:
        return "there is no year 0: dates are written YYYY-MM-DD, e.g. 2030-03-14"
    if not 1 <= month <= 12:
        return f"there is no month {month}: dates are written YYYY-MM-DD, e.g. {year:04d}-12-31"
    last = calendar.monthrange(year, month)[1]
    name = calendar.month_name[month]
    if not 1 <= day <= last:
        example = f"{year:04d}-{month:02d}-{last:02d}"
        which = f"{day} {name} {year}" if month == 2 and day == 29 else f"{day} {name}"
        if reformat:
            return f"dates are written YYYY-MM-DD, e.g. {example}; {which} does not exist"
        return f"{which} does not exist; the last day of {name} {year} is {example}"
    return f"dates are written YYYY-MM-DD: write {year:04d}-{month:02d}-{day:02d}"


def _range_hint(value: object, schema: Schema) -> str | None:
    low, high = schema.get("minimum"), schema.get("maximum")
    unit = schema.get("x-unit")
    if not isinstance(value, (int, float, Decimal)) or isinstance(value, bool):
        return None
    if unit == "hours per week" and high is not None and value > high:
        return f"a week has {high} hours: give the time per week, not per term or per year"
    if low is not None and value < low and low == 0:
        return "the value cannot be negative"
    if low is not None and high is not None:
        return f"give a value from {low} to {high}"
    return None


def _form_hint(value: object, schema: Schema, keyword: str) -> str | None:
    if keyword == "minLength":
        return "the text is empty: write something, or leave the field out if it is optional"
    pattern = schema.get("pattern", "")
    if "[0-9]{6}" in pattern:
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) != 6:
            return "a URN has exactly six digits; if it starts with 0, keep the 0 (in quotes)"
        return "a URN is six digits, e.g. \"990214\", with no spaces or letters"
    if ":" in pattern:
        return "write adults:children with a colon, e.g. 1:1 or 1:4"
    example = (schema.get("examples") or [None])[0]
    return f"write it like `{example}`" if example is not None else None


def _list_problem(value: object, keyword: str, limit: object) -> str:
    if keyword == "uniqueItems" and isinstance(value, list):
        seen: list[object] = []
        for item in value:
            if item in seen:
                return f"lists `{show(item)}` more than once"
            seen.append(item)
        return "lists a value more than once"
    if keyword == "minItems":
        return f"needs at least {limit} item{'s' if limit != 1 else ''}"
    return f"has more than {limit} items"


def _list_hint(keyword: str) -> str:
    if keyword == "uniqueItems":
        return "list each value once"
    return "check the number of entries in the list"


# ----------------------------------------------------------------------------- syntax hints


def json_syntax_hint(text: str, pos: int, message: str) -> str:
    before = text[:pos].rstrip()
    previous, here = before[-1:], text[pos:pos + 1]
    if message.startswith("Expecting property name"):
        if previous == ",":
            return "remove the comma before `}`: JSON does not allow a trailing comma"
        return "keys need double quotes in JSON, e.g. \"layer\": \"targeted\""
    if message.startswith("Expecting value"):
        if previous == "," and here in ("]", "}"):
            return f"remove the comma before `{here}`: JSON does not allow a trailing comma"
        if here == "'":
            return "text needs double quotes in JSON: \"like this\", not 'like this'"
        if not here:
            return "the text ends too early: a bracket or brace is not closed"
        return ("text needs double quotes; numbers, true, false and null do not "
                "(dates are text: \"2030-03-14\")")
    if "delimiter" in message:
        return "a comma is missing between two items, or a quote on an earlier line is not closed"
    if message.startswith("Unterminated string"):
        return "a quote is not closed: add the closing \""
    if message.startswith("Invalid control character"):
        return "a line break or tab inside quotes must be written \\n or \\t"
    if message.startswith("Extra data"):
        return "the file holds more than one JSON value: a plan is one object {...}"
    if "escape" in message:
        return "a backslash inside text must be doubled: \\\\"
    return "check this line and the one before for a missing comma, quote or bracket"


def yaml_syntax_hint(text: str, exc: Exception, line: int | None, column: int | None) -> str:
    problem = f"{getattr(exc, 'problem', '') or ''} {getattr(exc, 'context', '') or ''}"
    char = ""
    if line is not None and column is not None:
        lines = text.splitlines()
        if 0 < line <= len(lines) and 0 < column <= len(lines[line - 1]):
            char = lines[line - 1][column - 1]
    if char == "\t" or "\\t" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "cannot start any token" in problem:
        if char in "@`%":
            return f"a value starting with `{char}` must be put in quotes"
        return "put this value in quotes"
    if "mapping values are not allowed" in problem:
        return ("a value that contains `: ` must be put in quotes, e.g. "
                "description: \"Target: read 20 words\"")
    if "could not find expected ':'" in problem:
        return ("each line of a mapping needs `name: value`; check this line and the one "
                "before for a missing colon or an unclosed quote")
    if "end of stream" in problem or "quoted scalar" in problem:
        return "a quote or bracket is not closed"
    if "undefined alias" in problem:
        return "`*name` must come after the `&name` it refers to"
    if "duplicate anchor" in str(exc):
        return "each `&name` anchor can be defined only once"
    if "'-' indicator" in problem:
        return "list items at the same level must start with `- ` in the same column"
    if "expected key" in problem or "block end" in problem:
        return "check the indentation: fields at the same level must start in the same column"
    return "check this line and the one before for a missing colon, quote or bracket"
