"""Hypothesis strategies read off the JSON Schemas, so generated plans follow the schema as it changes.

Covers the keywords the nis schemas use: `$ref`, `type` (one or a list), `const`, `enum`,
`properties`/`required`, `items`/`uniqueItems`, `minimum`/`maximum`, `minLength`,
`pattern` and `format: date`. Also serialisers that write a document as JSON and as YAML.
"""
from __future__ import annotations

import copy
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import strategies as st


def resolve(root: dict, schema: dict) -> dict:
    while "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].lstrip("#").strip("/").split("/"):
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def from_schema(schema: dict, root: dict | None = None, extreme: bool = False) -> st.SearchStrategy:
    """Documents valid against `schema`. `extreme`: values at the edges of what a plan can
    hold (dates 1900 to 2100, numbers up to the schema's limits or nis's, 28 decimal places,
    long text with any characters, lists of up to 30 entries)."""
    root = root if root is not None else schema
    s = resolve(root, schema)
    if "const" in s:
        return st.just(s["const"])
    if "enum" in s:
        return st.sampled_from(s["enum"])
    kinds = s.get("type")
    if isinstance(kinds, list):
        return st.one_of([from_schema({**s, "type": k}, root, extreme) for k in kinds])
    if kinds == "object":
        props = s.get("properties", {})
        required = set(s.get("required", ()))
        return st.fixed_dictionaries(
            {k: from_schema(v, root, extreme) for k, v in props.items() if k in required},
            optional={k: from_schema(v, root, extreme) for k, v in props.items() if k not in required})
    if kinds == "array":
        items = from_schema(s.get("items", {}), root, extreme)
        size = 30 if extreme else 3
        if s.get("uniqueItems"):
            return st.lists(items, max_size=size, unique_by=lambda v: json.dumps(v, default=str))
        return st.lists(items, max_size=size)
    if kinds == "string":
        if s.get("format") == "date":
            return st.dates(*((date(1900, 1, 1), date(2100, 12, 31)) if extreme else
                              (date(1990, 1, 1), date(2040, 12, 31)))).map(date.isoformat)
        if "pattern" in s:
            return st.from_regex(s["pattern"], fullmatch=True)
        if extreme:
            return st.text(st.characters(exclude_categories=("Cs",)), min_size=max(1, s.get("minLength", 0)),
                           max_size=300)
        return st.text(min_size=s.get("minLength", 0), max_size=12)
    if kinds == "integer":
        if extreme:
            low, high = s.get("minimum", -10 ** 18 + 1), s.get("maximum", 10 ** 18 - 1)
            return st.one_of(st.sampled_from([low, high]), st.integers(low, high))
        return st.integers(s.get("minimum"), s.get("maximum"))
    if kinds == "number":
        if extreme:
            low, high = Decimal(s.get("minimum", -10 ** 17)), Decimal(s.get("maximum", 10 ** 17))
            whole = len(str(int(max(abs(low), abs(high)))))
            return st.one_of(st.sampled_from([low, high]), st.integers(0, 28 - whole).flatmap(
                lambda places: st.decimals(low, high, places=places, allow_nan=False, allow_infinity=False)))
        return st.decimals(s.get("minimum"), s.get("maximum"), places=2,
                           allow_nan=False, allow_infinity=False)
    if kinds == "boolean":
        return st.booleans()
    if kinds == "null":
        return st.none()
    raise AssertionError(f"schema keyword set not covered by the strategy: {s}")


# Values that sit on the edges where two validators could read a schema differently.
TRICKY = ["2027-02-31", "31/02/2027", "2027-1-5", "2024-02-29", "2023-02-29", "990214\n",
          "1:1\n", "1:1", "12345", "", "targeted", "Targeted", Decimal("2.0"), Decimal("0.5"),
          True, False, 0, -1, 169, 1.5, None, [], {}, ["parent", "parent"]]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.sampled_from(TRICKY)
    | st.decimals(-10, 200, places=2, allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6).map(copy.deepcopy)  # TRICKY holds lists and dicts that edits would change


def _containers(doc: Any, out: list) -> list:
    if isinstance(doc, dict):
        out.append(doc)
        for value in doc.values():
            _containers(value, out)
    elif isinstance(doc, list):
        out.append(doc)
        for value in doc:
            _containers(value, out)
    return out


@st.composite
def mutated(draw: Any, schema: dict) -> Any:
    """A schema-valid document with one to three random edits (most make it invalid)."""
    doc = draw(from_schema(schema))
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(_containers(doc, [])))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if isinstance(target, dict):
            if action == "add" or not target:
                target[draw(st.text(max_size=12))] = draw(json_values)
            elif action == "delete":
                del target[draw(st.sampled_from(sorted(target)))]
            else:
                target[draw(st.sampled_from(sorted(target)))] = draw(json_values)
        elif target and action != "add":
            index = draw(st.integers(0, len(target) - 1))
            if action == "delete":
                del target[index]
            else:
                target[index] = draw(json_values)
        else:
            target.append(draw(json_values))
    return doc


def to_json(data: Any) -> bytes:
    """JSON text with Decimals written as the exact numbers they are."""
    text = json.dumps(data, default=lambda d: f"\x00\x01decimal:{d}\x00", indent=1)
    return re.sub(r'"\\u0000\\u0001decimal:([^"\\]*)\\u0000"', r"\1", text).encode()


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style='"'))
_Dumper.add_representer(Decimal, lambda d, n: d.represent_scalar("tag:yaml.org,2002:float", str(n)))


def to_yaml(data: Any) -> bytes:
    """Block-style YAML; strings double-quoted so no YAML 1.1 writer rule can retype them."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False).encode()
