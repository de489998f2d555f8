"""The result contract: what nis says about one plan, as typed data.

These types match `schemas/result.schema.json` field for field; the API, the reports, the
batch and the test runner all read and write results through them. A result is plain JSON
data (dicts and lists), so it serialises byte for byte the same way everywhere, and the
types only tell a reader, and mypy, what each part holds. The status vocabulary lives here
and nowhere else.
"""
from __future__ import annotations

from typing import Literal, NotRequired, TypedDict, Union

Status = Literal["pass", "fail", "excepted", "not_applicable", "cannot_judge"]
PASS: Status = "pass"  # noqa: S105 - a status, not a password
FAIL: Status = "fail"
EXCEPTED: Status = "excepted"
NOT_APPLICABLE: Status = "not_applicable"
CANNOT_JUDGE: Status = "cannot_judge"
STATUSES: tuple[Status, ...] = (PASS, FAIL, EXCEPTED, NOT_APPLICABLE, CANNOT_JUDGE)
# The order findings are listed in: what to fix first.
STATUS_ORDER: dict[str, int] = {FAIL: 0, CANNOT_JUDGE: 1, EXCEPTED: 2, PASS: 3, NOT_APPLICABLE: 4}

Severity = Literal["error", "warning"]
Outcome = Literal["pass", "fail"]
RESULT_FORMAT = 1

JsonValue = Union[None, bool, int, float, str, list["JsonValue"]]


class Citation(TypedDict):
    text: str
    url: str | None


class NearMiss(TypedDict):
    expr: str
    value: JsonValue
    limit: JsonValue
    difference: JsonValue
    unit: str
    parameter: str | None
    text: str


class ParameterUsed(TypedDict):
    name: str
    title: str | None
    value: JsonValue
    display: str
    in_force_from: str
    illustrative: str | None
    citation: str | None


class ParameterMark(TypedDict):
    name: str
    in_force_from: str
    illustrative: bool


class ItemTrace(TypedDict):
    index: int
    pointer: str | None
    value: JsonValue
    where: NotRequired[TraceNode | None]
    trace: NotRequired[TraceNode | None]


class TraceNode(TypedDict):
    """One evaluated (or skipped) sub-expression of a decision, with its value in words."""

    expr: str
    value: NotRequired[JsonValue]
    display: NotRequired[str]
    pointer: NotRequired[str]
    missing: NotRequired[bool]
    parameter: NotRequired[ParameterMark]
    definition: NotRequired[str]
    determination: NotRequired[str]
    item: NotRequired[str | None]
    evaluated: NotRequired[bool]
    matched: NotRequired[str | list[str] | None]
    children: NotRequired[list[TraceNode | None]]
    items: NotRequired[list[ItemTrace]]
    items_not_shown: NotRequired[int]


class ExceptionTrace(TypedDict):
    id: str
    title: str | None
    applied: bool
    citations: list[Citation]
    condition: TraceNode | None


class FindingTrace(TypedDict):
    when: TraceNode | None
    requirement: TraceNode | None
    exceptions: list[ExceptionTrace]
    parameters: list[ParameterUsed]


class Finding(TypedDict):
    """What nis found for one rule."""

    rule: str
    title: str | None
    status: Status
    severity: Severity
    message: str
    citations: list[Citation]
    facts: list[str]
    missing: list[str]
    hint: str | None
    challenge: str | None
    exception: ExceptionTrace | None
    near_misses: list[NearMiss]
    illustrative: list[str]
    trace: NotRequired[FindingTrace]


class BriefFinding(TypedDict):
    """A rule met or not applicable, as a batch records it by default."""

    rule: str
    title: str | None
    status: Status
    severity: Severity


class CaseTrace(TypedDict):
    case: int
    label: str | None
    value: str
    held: JsonValue
    excepted_by: str | None
    because: str | None
    condition: TraceNode | None


class DeterminationTrace(TypedDict):
    cases: list[CaseTrace]
    parameters: list[ParameterUsed]


class Determination(TypedDict):
    """A decision the standards make about the plan, and the case that made it."""

    name: str
    title: str | None
    value: JsonValue
    display: str
    case: int | Literal["otherwise"] | None
    because: str | None
    explanation: str
    citations: list[Citation]
    challenge: str | None
    facts: list[str]
    missing: list[str]
    illustrative: list[str]
    trace: NotRequired[DeterminationTrace]


class Engine(TypedDict):
    name: str
    version: str


class StandardsId(TypedDict):
    id: str
    version: str
    title: str | None
    effective_from: str
    effective_until: str | None
    sha256: str


class DocumentId(TypedDict):
    source: str | None
    type: str
    id: str | None
    sha256: str | None


# How many requirements (errors) and recommendations (warnings) were not met, and how many
# rules ended with each status.
Summary = TypedDict("Summary", {"errors": int, "warnings": int, "pass": int, "fail": int, "excepted": int,
                                "not_applicable": int, "cannot_judge": int})


class NotJudged(TypedDict):
    text: str
    citations: list[Citation]


class Selection(TypedDict):
    """The rule patterns a result was limited to (`--select`, `--ignore`), so it can be reproduced."""

    select: list[str]
    ignore: list[str]


class Result(TypedDict):
    """One plan judged against the standards on one date (schemas/result.schema.json)."""

    result_format: int
    engine: Engine
    standards: StandardsId
    document: DocumentId
    as_of: str
    outcome: Outcome
    summary: Summary
    illustrative_parameters: list[str]
    determinations: list[Determination]
    findings: list[Finding | BriefFinding]
    not_judged: NotRequired[list[NotJudged]]
    illustrative_figures: NotRequired[list[ParameterUsed]]
    selection: NotRequired[Selection]
