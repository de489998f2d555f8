"""The static types of the standards language, and how a JSON Schema maps onto them.

Units are part of a type: `20 weeks` is a number of days, `12 months` a number of
months, `3 hours per week` a number with a unit, and the checker refuses to compare or
add values whose units differ. Units are erased after checking: at run time days and
months are ints, quantities are ints or Decimals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote


@dataclass(frozen=True, slots=True)
class Type:
    kind: str  # bool | number | days | months | date | text | list | record | enum | any
    unit: str | None = None          # for number: None (a count) | "hours per week" | "minutes"
    values: tuple[str, ...] | None = None  # for text: the allowed values, if the schema lists them
    element: Type | None = None    # for list
    fields: tuple[tuple[str, Type], ...] | None = field(default=None, compare=False)
    required: frozenset[str] = field(default=frozenset(), compare=False)
    name: str | None = None          # for enum: the enumeration's name; for record: its schema path
    nullable: bool = field(default=False, compare=False)
    max_items: int | None = field(default=None, compare=False)  # for list: the schema's maxItems

    def field_type(self, name: str) -> Type | None:
        for key, value in self.fields or ():
            if key == name:
                return value
        return None

    def field_names(self) -> list[str]:
        return [k for k, _ in self.fields or ()]

    def describe(self) -> str:
        """The type as a policy analyst would say it."""
        if self.kind == "number":
            return f"a number of {self.unit}" if self.unit else "a number"
        if self.kind == "days":
            return "a duration in days or weeks"
        if self.kind == "months":
            return "a duration in months or years"
        if self.kind == "date":
            return "a date"
        if self.kind == "bool":
            return "a yes/no condition"
        if self.kind == "text":
            if self.values:
                return "one of " + ", ".join(f'"{v}"' for v in self.values)
            return "a text"
        if self.kind == "list":
            return f"a list of {self.element.describe() if self.element else 'values'}"
        if self.kind == "record":
            return "a record" + (f" ({self.name})" if self.name else "")
        if self.kind == "enum":
            return f"a value of the enumeration {self.name}"
        return "a value"


BOOL = Type("bool")
COUNT = Type("number")
DAYS = Type("days")
MONTHS = Type("months")
DATE = Type("date")
TEXT = Type("text")
ANY = Type("any")

UNIT_TYPES = {
    "days": DAYS, "weeks": Type("days", unit="weeks"), "months": MONTHS, "years": Type("months", unit="years"),
    "hours per week": Type("number", unit="hours per week"),
    "minutes": Type("number", unit="minutes"),
    "count": COUNT,
}
# How many of the run-time unit one source unit is (weeks are days × 7, years months × 12).
UNIT_SCALE = {"days": 1, "weeks": 7, "months": 1, "years": 12, "hours per week": 1, "minutes": 1,
              "count": 1}


def list_of(element: Type) -> Type:
    return Type("list", element=element)


def list_item_type(t: Type) -> tuple[Type, bool]:
    """What a list holds at the bottom of however many levels of lists (`t` itself when it is
    not a list), and whether the items of any level may be null."""
    null_items = False
    while t.kind == "list" and t.element is not None:
        t = t.element
        null_items = null_items or t.nullable
    return t, null_items


def orderable(t: Type) -> bool:
    return t.kind in ("number", "days", "months", "date", "any")


def same_family(a: Type, b: Type) -> bool:
    """Whether values of the two types can be compared with each other."""
    if a.kind == "any" or b.kind == "any":
        return True
    if a.kind in ("text", "enum") and b.kind in ("text", "enum"):
        return True
    if a.kind != b.kind:
        return False
    if a.kind == "number":
        return a.unit == b.unit
    if a.kind in ("days", "months"):
        return True
    if a.kind == "list":
        return a.element is None or b.element is None or same_family(a.element, b.element)
    return True


MAX_SCHEMA_TYPES = 100_000  # the types a plan schema may describe, its references followed


class SchemaTooLargeError(ValueError):
    """A plan schema whose references, followed, describe more than MAX_SCHEMA_TYPES types."""


def from_schema(schema: dict[str, Any], root: dict[str, Any], path: str = "") -> Type:
    """The language type of a JSON Schema node (resolving local `$ref`s). A reference back
    into a part being typed (a schema that nests itself) is typed `any` there; one that
    describes more than MAX_SCHEMA_TYPES types raises SchemaTooLargeError."""
    return _Typing(root).type(schema, path, ())


class _Typing:
    def __init__(self, root: dict[str, Any]):
        self.root = root
        self.made = 0

    def type(self, schema: object, path: str, following: tuple[str, ...]) -> Type:
        self.made += 1
        if self.made > MAX_SCHEMA_TYPES:
            raise SchemaTooLargeError(f"the schema describes more than {MAX_SCHEMA_TYPES:,} fields once its "
                                 "references are followed")
        seen = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 32:
            ref = schema["$ref"]
            if ref in following:  # the schema nests itself here
                return ANY
            following = (*following, ref)
            schema = resolve_reference(self.root, ref)
            seen += 1
        if not isinstance(schema, dict):  # `true`, `false`, or a reference to nothing
            return ANY
        return self._typed(schema, path, following)

    def _typed(self, schema: dict[str, Any], path: str, following: tuple[str, ...]) -> Type:
        # A null the schema lets through (`"type": [..., "null"]`, or null among the values of an
        # `enum`) is read as missing.
        listed = schema.get("enum")
        nullable = (isinstance(listed, list) and None in listed) or ("const" in schema and schema["const"] is None)
        kind = schema.get("type")
        if isinstance(kind, list):
            nullable = nullable or "null" in kind
            kinds = [k for k in kind if k != "null"]
            kind = kinds[0] if len(kinds) == 1 else None
        if kind is None:
            for key in ("oneOf", "anyOf"):
                options = [o for o in schema.get(key, ()) if not (isinstance(o, dict) and o.get("type") == "null")]
                if len(options) == 1:
                    inner = self.type(options[0], path, following)
                    return _with_nullable(inner, True)
            if "enum" in schema or "const" in schema:
                kind = "string"
            elif "properties" in schema:
                kind = "object"
            else:
                return ANY
        unit = schema.get("x-unit")
        if kind == "object":
            props = schema.get("properties", {})
            fields = tuple((name, self.type(sub, f"{path}/{name}", following)) for name, sub in props.items())
            return Type("record", fields=fields, required=frozenset(schema.get("required", ())),
                        name=path or "/", nullable=nullable)
        if kind == "array":
            return Type("list", element=self.type(schema.get("items", {}), f"{path}/-", following),
                        nullable=nullable, max_items=schema.get("maxItems"))
        if kind in ("number", "integer"):
            base = UNIT_TYPES.get(unit, COUNT) if unit else COUNT
            return _with_nullable(base, nullable)
        if kind == "boolean":
            return _with_nullable(BOOL, nullable)
        if kind == "string":
            if schema.get("format") == "date":
                return _with_nullable(DATE, nullable)
            values = schema.get("enum")
            if values is None and "const" in schema:
                values = [schema["const"]]
            values = tuple(v for v in values if isinstance(v, str)) if values else None
            return Type("text", values=values, nullable=nullable)
        return ANY


def _with_nullable(t: Type, nullable: bool) -> Type:
    if not nullable:
        return t
    return Type(t.kind, t.unit, t.values, t.element, t.fields, t.required, t.name, True)


def resolve_reference(root: dict[str, Any], ref: str) -> object:
    """The part of `root` that a `$ref` inside it names (`#`, `#/$defs/need`, `#/allOf/0`);
    None for a reference to anything else, or to no part of it."""
    if ref != "#" and not ref.startswith("#/"):
        return None
    node: object = root
    for part in ref[2:].split("/") if ref != "#" else ():
        key = unquote(part).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node
