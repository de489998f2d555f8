"""A case: one child's ISP and EHCP judged together, as one document of type `case`.

The case schema (`schemas/case.schema.json`) is the two document schemas side by side,
under `isp` and `ehcp`, each with its definitions renamed (`#/$defs/date` in the ISP
becomes `#/$defs/isp__date`) so the file is self-contained and the standards' checker can
type `isp.layer` or `ehcp.sections.i.placement.urn` like any other field. It is generated
from the two schemas, never edited by hand: `python -m inclusion_standards.cases` rewrites
it, and a test holds the file to what this module composes.
"""
from __future__ import annotations

import json
import sys
from typing import Any

PARTS = ("isp", "ehcp")


def compose_case_schema(isp: dict[str, Any], ehcp: dict[str, Any]) -> dict[str, Any]:
    """The case schema composed from the ISP and EHCP schemas (pure: the inputs are not changed)."""
    defs: dict[str, Any] = {}
    properties: dict[str, Any] = {
        "document_type": {"const": "case", "description": "Always case: an ISP and an EHCP judged together."},
        "id": {"type": "string", "minLength": 1,
               "description": "A reference for the case, e.g. the child's pseudonymous id. Optional."},
    }
    for part, schema in zip(PARTS, (isp, ehcp), strict=True):
        renamed = _renamed(schema, part)
        for name, sub in renamed.get("$defs", {}).items():
            defs[f"{part}__{name}"] = sub
        body = {k: v for k, v in renamed.items() if k not in ("$schema", "$id", "$defs")}
        body["description"] = f"The child's {schema.get('title', part)}, exactly as it would be checked alone."
        properties[part] = body
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://nis.invalid/schemas/case.schema.json",
        "title": "A child's ISP and EHCP, judged together",
        "description": "One child's Individual Support Plan and Education, Health and Care Plan, checked "
                       "against each other (`nis check isp.yaml ehcp.yaml --together`). Each part is the "
                       "document as it would be checked alone. Generated from isp.schema.json and "
                       "ehcp.schema.json by `python -m inclusion_standards.cases`: do not edit by hand.",
        "type": "object",
        "properties": properties,
        "required": list(PARTS),
        "additionalProperties": False,
        "$defs": defs,
    }


def case_document(isp: dict[str, Any], ehcp: dict[str, Any], case_id: str | None = None) -> dict[str, Any]:
    """The case document for an ISP's data and an EHCP's data (both already valid)."""
    doc: dict[str, Any] = {"document_type": "case"}
    if case_id is not None:
        doc["id"] = case_id
    doc["isp"] = isp
    doc["ehcp"] = ehcp
    return doc


def _renamed(node: Any, part: str) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = f"#/$defs/{part}__{value[len('#/$defs/'):]}"
            else:
                out[key] = _renamed(value, part)
        return out
    if isinstance(node, list):
        return [_renamed(v, part) for v in node]
    return node


def main() -> None:
    """Rewrite schemas/case.schema.json from the two document schemas."""
    from .resources import schemas_dir

    folder = schemas_dir()
    isp, ehcp = (json.loads((folder / f"{p}.schema.json").read_text(encoding="utf-8")) for p in PARTS)
    text = json.dumps(compose_case_schema(isp, ehcp), indent=2, ensure_ascii=False) + "\n"
    (folder / "case.schema.json").write_text(text, encoding="utf-8")
    print(f"wrote {folder / 'case.schema.json'}", file=sys.stderr)


if __name__ == "__main__":
    main()
