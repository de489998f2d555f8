"""The schemas grew for real plans without breaking any plan written before: every document
valid under the previous schemas (tests/fixtures/previous_schemas, as they were before young
people to 25, optional dates of birth, several providers, termly and minimum amounts,
monitoring, resourced provision, origins and versions were added) is still valid, and the
case schema accepts any valid ISP beside any valid EHCP."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inclusion_standards.cases import case_document
from inclusion_standards.documents import document_schema, validate_document
from schema_strategies import from_schema

PREVIOUS = Path(__file__).parent / "fixtures" / "previous_schemas"
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def previous(kind: str) -> dict:
    return json.loads((PREVIOUS / f"{kind}.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", ["isp", "ehcp"])
@given(data=st.data())
@SETTINGS
def test_every_document_valid_before_is_still_valid(kind, data):
    doc = data.draw(from_schema(previous(kind)))
    assert validate_document(doc, kind) == ()


@pytest.mark.parametrize("kind", ["isp", "ehcp"])
def test_no_field_was_removed_or_renamed(kind):
    def paths(schema: dict, node: dict, where: str = "") -> set[str]:
        while "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        found = {where} if where else set()
        for name, sub in node.get("properties", {}).items():
            found |= paths(schema, sub, f"{where}/{name}")
        if "items" in node:
            found |= paths(schema, node["items"], f"{where}[]")
        return found

    before, now = previous(kind), document_schema(kind)
    assert paths(before, before) - paths(now, now) == set()


@given(data=st.data())
@SETTINGS
def test_any_valid_isp_beside_any_valid_ehcp_is_a_valid_case(data):
    isp = data.draw(from_schema(document_schema("isp")))
    ehcp = data.draw(from_schema(document_schema("ehcp")))
    assert validate_document(case_document(isp, ehcp), "case") == ()
