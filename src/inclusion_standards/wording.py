"""How nis words values and findings for people: dates in words, durations, quantities,
plurals, and the sentences of messages and near misses.

One module, shared by the evaluator's messages and by the reports, so a date or a duration
reads the same wherever it appears ("24 May 2027", "20 weeks", "2.5 hours per week").
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from .results import JsonValue
from .runtime import MISSING, OutOfRange
from .types import ANY, Type

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
NOT_EVALUATED: Any = type("NotEvaluated", (), {"__repr__": lambda self: "not evaluated", "__slots__": ()})()


def plural(n: int | Decimal, word: str) -> str:
    return f"{n} {word}" if n in (1, -1) else f"{n} {word}s"


def long_date(value: date | str | None) -> str:
    """A date as a person writes it: 24 May 2027 (an ISO text is read first)."""
    if not value:
        return "no date"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def number(value: int | Decimal | float) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def to_json(value: Any) -> JsonValue:
    """A run-time value as result data: dates as ISO text, exact decimals as numbers, a list of
    records as how many records it has (its items carry their own pointers)."""
    kind = type(value)
    if kind is bool or kind is str or kind is int:
        return value  # type: ignore[no-any-return]
    if value is MISSING or value is None or value is NOT_EVALUATED:
        return None
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], dict):
            return len(value)
        return [to_json(v) for v in value]
    if isinstance(value, (dict, OutOfRange)):
        return None
    return str(value)


def display(value: Any, ty: Type = ANY) -> str:
    """A value as a person writes it: 24 May 2027, 20 weeks, 2.5 hours per week, yes/no."""
    kind = type(value)
    if kind is bool:
        return "yes" if value else "no"
    if kind is str:
        return f'"{value}"'
    if kind is date:
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    if value is MISSING:
        return "not recorded"
    if value is NOT_EVALUATED:
        return "not evaluated"
    if isinstance(value, OutOfRange):
        return f"cannot be computed ({value.reason})"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, dict):
        return "a record"
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], dict):
            return plural(len(value), "item")
        element = ty.element if ty.kind == "list" and ty.element else ANY
        shown = [display(v, element) for v in value[:8]]
        more = f", and {len(value) - 8} more" if len(value) > 8 else ""
        return "[" + ", ".join(shown) + more + "]" if value else "none"
    if isinstance(value, str):
        return f'"{value}"'
    if ty.kind == "days" and isinstance(value, int):
        if value and value % 7 == 0:
            return plural(value // 7, "week")
        return plural(value, "day")
    if ty.kind == "months" and isinstance(value, (int, Decimal)):
        years, months = divmod(int(value), 12)
        if years and months:
            return f"{plural(years, 'year')} {plural(months, 'month')}"
        return plural(years, "year") if years else plural(months, "month")
    if isinstance(value, (int, Decimal, float)):
        text = number(value)
        if ty.kind == "number" and ty.unit:
            unit = ty.unit
            if text == "1":
                unit = unit.replace("hours", "hour").replace("minutes", "minute")
            return f"{text} {unit}"
        return text
    return str(value)


def listed(words: Sequence[str], more: int = 0) -> str:
    """Words joined as a sentence lists them: "P1", "P1 and P3", "P1, P3 and P4"; with `more`
    not shown, "P1, P3 and 2 more"."""
    shown = [*words, f"{more} more"] if more > 0 else list(words)
    if len(shown) < 2:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def enum_words(value: str) -> str:
    """A schema's fixed value (`social_care`) as words: "social care"."""
    return value.replace("_", " ")


def in_words(value: Any, ty: Type = ANY, *, identifiers: bool = False) -> str:
    """A value inside a sentence of a message: a list as words, not as data. The plan's item
    ids bare ("P1 and P3", `identifiers`), a schema's fixed values and other codes as words
    ("parent and social care"), other text quoted (“as required” and “up to”), a list of lists one group per item
    ("“as required”; “up to”"), an empty list "none"; anything else as `display` writes it,
    text unquoted."""
    if isinstance(value, (list, tuple)) and not (value and isinstance(value[0], dict)):
        if not value:
            return "none"
        element = ty.element if ty.kind == "list" and ty.element else ANY
        if all(isinstance(v, (list, tuple)) for v in value):
            return "; ".join(in_words(v, element, identifiers=identifiers) for v in value[:8]) + (
                f"; and {len(value) - 8} more" if len(value) > 8 else "")
        return listed([_word(v, element, identifiers) for v in value[:8]], len(value) - 8)
    if isinstance(value, str):
        return enum_words(value) if ty.values else value
    return display(value, ty)


def _word(value: Any, ty: Type, identifier: bool) -> str:
    if not isinstance(value, str):
        return in_words(value, ty)
    if identifier:
        return value
    if ty.values or ("_" in value and not any(c.isspace() for c in value)):  # a code: `pre_verbal`
        return enum_words(value)
    return f"“{value}”"


def items_phrase(pointers: Sequence[str], more: int = 0) -> str:
    """`/a/0, /a/3` and, when some are not shown, how many more."""
    text = ", ".join(pointers)
    return text + (f", and {more} more" if more > 0 else "")


def near_miss_text(fact_text: str, fact: str, limit: str, difference: str | None, held: bool, kind: str, op: str,
                   days: int, in_force: str) -> str:
    """A comparison with a threshold in words: how far the plan's figure was from the limit."""
    if kind == "date":
        if days == 0:
            return f"{fact_text} ({fact}) falls on the limit, {limit}{in_force}."
        side = "after" if days > 0 else "before"
        return f"{fact_text} ({fact}) is {plural(abs(days), 'day')} {side} the limit of {limit}{in_force}."
    if difference is None:
        return f"{fact} against a threshold of {limit}{in_force}: exactly on it."
    word = ("above" if held else "short of") if op in (">", ">=") else "below" if held else "over"
    return f"{fact} against a threshold of {limit}{in_force}: {difference} {word} it."


def in_force_phrase(start: date | None, illustrative: bool) -> str:
    if start is None:
        return ""
    text = f" in force from {long_date(start)}"
    return text + (" (an illustrative figure)" if illustrative else "")
