"""The HTTP boundary's types, and the OpenAPI description built from them.

What the web layer itself defines (problems, the standards list, health, batch records) is a
pydantic model here. What nis already defines as JSON Schema (an ISP, an EHCP, a result) is
taken from `schemas/` into the description unchanged, so the API's description, the CLI's
`nis schema` and the validators can never disagree.
"""
from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from ..resources import examples_dir, schemas_dir

EXAMPLE_PLAN = "isp-targeted-vague-provision.yaml"
EXAMPLE_AS_OF = "2030-06-01"  # the date the bundled examples are written for

_COMPONENTS = "#/components/schemas/"
# JSON data as `json.loads` gives it: a JSON Schema, an OpenAPI description or one of their parts.
JsonObject = dict[str, Any]
# A result as the API sends it; its schema is schemas/result.schema.json, by reference.
Result = Annotated[JsonObject, WithJsonSchema({"$ref": _COMPONENTS + "Result"})]


class Span(BaseModel):
    """Where in the document's text: lines and columns count from 1."""

    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None


class Diagnostic(BaseModel):
    """One problem, exactly as `nis` prints it: a stable code, what is wrong, where, what was
    expected and a hint."""

    severity: Literal["error", "warning", "info"]
    code: str = Field(examples=["NIS-D104"])
    message: str
    source: str | None = Field(None, description="The document's name: the `source` given, the uploaded "
                                                 "file's name, or `<input>`.")
    span: Span | None = Field(None, description="Line and column in the text sent, when the text gives them.")
    pointer: str | None = Field(None, description="JSON pointer to the value in the document, e.g. "
                                                  "`/provision/0/hours_per_week`.")
    expected: str | None = None
    hint: str | None = None


class Problem(BaseModel):
    """An error response (RFC 9457 problem details), with nis's diagnostics when a document was
    at fault. Never a stack trace."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "type": "about:blank", "title": "The document does not match its schema", "status": 422,
        "detail": "`layer` cannot be `Targeted`", "request_id": "5f0c1a9e2b7d4c38",
        "diagnostics": [{"severity": "error", "code": "NIS-D104", "message": "`layer` cannot be `Targeted`",
                         "source": "<input>", "span": {"line": 14, "column": 8}, "pointer": "/layer",
                         "expected": "one of `universal`, `targeted`, `targeted_plus`, `specialist`",
                         "hint": "did you mean `targeted`?"}]}]})

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    request_id: str = Field(description="Also in the X-Request-Id header and the server's log line.")
    diagnostics: list[Diagnostic] = []


class StandardsVersion(BaseModel):
    """One standards set the server judges by."""

    id: str
    version: str
    title: str | None
    publisher: str | None
    effective_from: date
    effective_until: date | None
    sha256: str = Field(description="Fingerprint of the set's files; every result names it.")
    document_types: list[Literal["isp", "ehcp"]] = Field(description="The kinds of plan this set judges.")


class StandardsList(BaseModel):
    engine: str = Field(description="The nis version.")
    standards: list[StandardsVersion]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    standards: int = Field(description="How many standards sets are loaded.")


class RecordInput(BaseModel):
    line: int = Field(description="The line of the request body the document starts on.")
    sha256: str = Field(description="SHA-256 of the document's bytes, as they were sent.")


class RecordError(BaseModel):
    reason: str = Field(description="The first problem, with a count of the rest.")
    diagnostics: list[Diagnostic]


class BatchRecord(BaseModel):
    """One document's record: its result, or why it could not be judged."""

    record: int = Field(description="The document's position in the request, from 1.")
    input: RecordInput
    as_of: date
    outcome: Literal["pass", "fail", "error"]
    result: Result | None = Field(None, description="Present unless the outcome is `error`: the same result "
                                                    "as POST /v1/check gives.")
    error: RecordError | None = Field(None, description="Present when the outcome is `error`.")


class BatchResponse(BaseModel):
    """Exactly one record per document sent, in the order sent."""

    as_of: date
    documents: int
    passed: int
    failed: int
    errors: int
    records: list[BatchRecord]


# ---- the OpenAPI description -------------------------------------------------------------------

def document_components() -> dict[str, JsonObject]:
    """The ISP, EHCP and result JSON Schemas as OpenAPI components: each schema's `$defs` become
    components of their own (`ISP_need`, ...), and its references are rewritten to match."""
    out: dict[str, JsonObject] = {}
    for name, file in (("ISP", "isp"), ("EHCP", "ehcp"), ("Result", "result")):
        schema = json.loads((schemas_dir() / f"{file}.schema.json").read_text(encoding="utf-8"))
        definitions = schema.pop("$defs", {})
        for key in ("$schema", "$id"):
            schema.pop(key, None)
        out[name] = _rewrite_refs(schema, name)
        for key, body in definitions.items():
            out[f"{name}_{key}"] = _rewrite_refs(body, name)
    return out


def _rewrite_refs(node: Any, prefix: str) -> Any:
    if isinstance(node, dict):
        return {key: (_COMPONENTS + f"{prefix}_{value.removeprefix('#/$defs/')}"
                      if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/")
                      else _rewrite_refs(value, prefix))
                for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(item, prefix) for item in node]
    return node


@cache
def example_plan() -> tuple[str, JsonObject]:
    """A bundled example plan as YAML text and as JSON data (invented, like every example)."""
    text = (examples_dir() / EXAMPLE_PLAN).read_text(encoding="utf-8")
    return text, json.loads(json.dumps(yaml.safe_load(text), default=str))  # dates as YYYY-MM-DD text


_PLAN = {"oneOf": [{"$ref": _COMPONENTS + "ISP"}, {"$ref": _COMPONENTS + "EHCP"}]}


def document_body(description: str) -> JsonObject:
    """The request body of the endpoints that take one document: its bytes, JSON or YAML."""
    return {"requestBody": {"required": True, "description": description, "content": {
        "application/json": {"schema": _PLAN},
        "application/yaml": {"schema": {"type": "string", "description": "The plan as YAML text."}}}}}


def batch_body(max_documents: int) -> JsonObject:
    return {"requestBody": {"required": True, "description": (
        f"Up to {max_documents} documents: a JSON array of plans, or JSON Lines (one plan per line). Each "
        "document is judged on its own bytes, as if sent alone to POST /v1/check."), "content": {
        "application/json": {"schema": {"type": "array", "items": _PLAN, "maxItems": max_documents}},
        "application/jsonl": {"schema": {"type": "string", "description": "One plan per line, as JSON."}}}}}


def add_examples(document: JsonObject, result: JsonObject) -> None:
    """Examples for the request bodies and the result, set once the description is generated (the
    generator drops null values, and a plan's nulls, such as `ehcp_ref: null`, are meaningful)."""
    text, data = example_plan()
    for path in ("/v1/check", "/v1/explain"):
        operation = document["paths"][path]["post"]
        content = operation["requestBody"]["content"]
        content["application/json"]["example"] = data
        content["application/yaml"]["example"] = text
    document["paths"]["/v1/check"]["post"]["responses"]["200"]["content"]["application/json"]["example"] = result
    content = document["paths"]["/v1/check/batch"]["post"]["requestBody"]["content"]
    content["application/json"]["example"] = [data]
    content["application/jsonl"]["example"] = json.dumps(data) + "\n"


def problem_responses(*statuses: int) -> dict[int | str, JsonObject]:
    words = {400: "The request or the document cannot be read.", 401: "A bearer token is needed (the server "
             "was started with one).", 404: "No such resource.", 408: "The request body arrived too slowly.",
             413: "The request is over the size limit, or the batch over its document limit.",
             415: "The Content-Type is not one this endpoint reads.",
             422: "The document does not match its schema, no standards judge it on that date, or no "
                  "decision has that name.",
             503: "The answer could not be given within the time limit; try again (see Retry-After)."}
    return {status: {"description": words[status], "content": {
        "application/problem+json": {"schema": {"$ref": _COMPONENTS + "Problem"}}}} for status in statuses}


def model_components(*models: type[BaseModel]) -> dict[str, JsonObject]:
    """The JSON Schemas of models the routes name only by reference (Problem and its parts)."""
    out: dict[str, JsonObject] = {}
    for model in models:
        schema = model.model_json_schema(ref_template=_COMPONENTS + "{model}")
        out.update(schema.pop("$defs", {}))
        out[model.__name__] = schema
    return out
