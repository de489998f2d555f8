"""The conventions the rules compiler relies on hold in both document schemas."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from inclusion_standards.documents import document_schema

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("isp", "ehcp")
UNITS = {"hours per week", "minutes", "days", "weeks", "count"}
ANNOTATIONS = {"$ref", "description", "examples", "x-unit", "title"}
SHARED = ("date", "area", "layer", "phase", "setting_type", "role", "professional_role", "ratio",
          "child", "setting", "evidence")


def subschemas(schema: Any, where: str = "") -> Iterator[tuple[str, dict]]:
    if isinstance(schema, dict):
        yield where, schema
        for key, value in schema.items():
            if key in ("properties", "$defs"):
                for name, sub in value.items():
                    yield from subschemas(sub, f"{where}/{key}/{name}")
            elif key == "items":
                yield from subschemas(value, f"{where}/items")


@pytest.mark.parametrize("kind", KINDS)
def test_the_schema_is_valid_draft_2020_12(kind):
    schema = document_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_shared_definitions_are_identical_in_both_schemas():
    isp, ehcp = document_schema("isp")["$defs"], document_schema("ehcp")["$defs"]
    for name in SHARED:
        assert isp[name] == ehcp[name], name


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_is_described_and_every_object_closed(kind):
    for where, sub in subschemas(document_schema(kind)):
        for name, prop in sub.get("properties", {}).items():
            assert prop.get("description"), f"{where}/properties/{name}"
            assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
        if sub.get("type") == "object":
            assert sub.get("additionalProperties") is False, where


@pytest.mark.parametrize("kind", KINDS)
def test_every_number_has_a_unit_and_every_enum_is_snake_case(kind):
    for where, sub in subschemas(document_schema(kind)):
        if sub.get("type") in ("number", "integer"):
            assert sub.get("x-unit") in UNITS, where
        for value in sub.get("enum", ()):
            assert re.fullmatch(r"[a-z][a-z0-9_]*", value), (where, value)


@pytest.mark.parametrize("kind", KINDS)
def test_refs_carry_only_annotations_and_dates_share_one_definition(kind):
    schema = document_schema(kind)
    assert schema["$defs"]["date"]["type"] == "string"
    assert schema["$defs"]["date"]["format"] == "date"
    for where, sub in subschemas(schema):
        if "$ref" in sub:
            assert set(sub) <= ANNOTATIONS, where
        if "format" in sub:
            assert where == "/$defs/date", where
        if "pattern" in sub:
            assert sub["pattern"].startswith("^") and sub["pattern"].endswith("$"), where


def test_the_docs_list_every_error_code_and_every_top_level_field():
    docs = (ROOT / "docs" / "documents.md").read_text(encoding="utf-8")
    source = "".join(path.read_text(encoding="utf-8")
                     for path in (ROOT / "src" / "inclusion_standards").glob("document*.py"))
    for code in set(re.findall(r"NIS-D[0-9]{3}", source)):
        assert f"`{code}`" in docs, code
    for kind in KINDS:
        for name in document_schema(kind)["properties"]:
            assert f"`{name}`" in docs, name


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        target = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


@pytest.mark.parametrize("kind, heading", [("isp", "ISP fields"), ("ehcp", "EHCP fields")])
def test_the_field_tables_of_the_docs_are_the_schemas_own_words(kind, heading):
    """Each row of docs/documents.md's field tables gives the field's description, and whether it
    is required, exactly as the schema does: editors show the schema's words, `nis new` writes
    them, and the docs must not say something else."""
    docs = (ROOT / "docs" / "documents.md").read_text(encoding="utf-8")
    section = docs.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    schema = document_schema(kind)
    rows = re.findall(r"^\| `([a-z0-9_.\[\]]+)` \| (yes|) \| (.*?) \| .*? \|$", section, flags=re.M)
    assert len(rows) > 20
    for path, required, description in rows:
        node, parent, name = schema, schema, ""
        for part in path.split("."):
            name = part.removesuffix("[]")
            parent = _resolve(schema, node)
            node = parent["properties"][name]
            if part.endswith("[]"):
                node = _resolve(schema, node)["items"]
        assert description == node["description"], path
        assert (required == "yes") == (name in parent.get("required", [])), path
