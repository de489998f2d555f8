"""Evaluate stage: judge one document against compiled standards on an as-of date.

`judge` runs the outcome form of every rule and determination and returns only outcomes.
`evaluate` builds the full result (schemas/result.schema.json): with a trace, every decision
is evaluated by its explained form and its record rendered in full; without one, decisions
are judged by the outcome form and only those that failed, were excepted or could not be
judged run again explained, to name the items and the missing facts behind them
(evaluation is pure, so the outcome is the same). Arithmetic that cannot be carried out
makes the decision "cannot be judged" with the reason, never a crash and never a pass.
The result has a fixed key order and no clock reading, so the same inputs give the same bytes.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from . import __version__
from .compiler import CompiledPlan
from .explanation import Explainer, ParameterInForce, citations
from .results import (
    CANNOT_JUDGE,
    EXCEPTED,
    FAIL,
    NOT_APPLICABLE,
    PASS,
    RESULT_FORMAT,
    STATUS_ORDER,
    STATUSES,
    BriefFinding,
    Determination,
    Finding,
    Result,
)
from .runtime import MISSING, Recorder
from .standards import Standards

Bound = tuple[dict[str, Any], dict[str, ParameterInForce]]


_BOUND_DATES = 64  # as-of dates whose parameters a standards set keeps bound at once


def parameters(standards: Standards, as_of: date) -> Bound:
    """The parameters in force on `as_of`, with the parts of rules that use only parameters
    computed once (`bind`), for every plan the standards judge. Kept for the last few dates,
    so judging one plan at a time costs no more per plan than a batch does."""
    cache = standards.bound
    found = cache.get(as_of)
    if found is not None:
        return found
    info = standards.parameters_on(as_of)
    bound: dict[str, Any] = {name: p.value for name, p in info.items()}
    bound["as_of"] = as_of
    for plan in standards.compiled.plans.values():
        plan.bind(bound)
    if len(cache) >= _BOUND_DATES:
        cache.pop(next(iter(cache)))
    cache[as_of] = (bound, info)
    return bound, info


def _guarded(function: Callable[..., Any], arguments: tuple[Any, ...], on_error: Any, reasons: dict[str, str],
             name: str) -> Any:
    """Run a compiled decision; arithmetic it cannot do makes it undecided, with the reason."""
    try:
        return function(*arguments)
    except (ArithmeticError, ValueError, OverflowError) as error:
        reasons[name] = str(error) or type(error).__name__
        return on_error


def _outcomes(plan: CompiledPlan, data: Any, params: dict[str, Any], memo: list[Any],
              reasons: dict[str, str]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Every determination's value and every rule's status by the outcome forms. When some
    decision's arithmetic cannot be done, each is judged on its own, so that only the ones
    it affects are undecided."""
    try:
        return plan.decide_all(data, params, memo), plan.judge_all(data, params, memo)
    except (ArithmeticError, ValueError, OverflowError):
        arguments = (data, params, memo)
        values = tuple(_guarded(d.outcome, arguments, MISSING, reasons, d.checked.name) for d in plan.determinations)
        statuses = tuple(_guarded(r.outcome, arguments, CANNOT_JUDGE, reasons, r.checked.id) for r in plan.rules)
        return values, statuses


def judge(standards: Standards, document_type: str, data: Any, as_of: date,
          bound: dict[str, Any] | None = None) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """Outcomes only: each rule's status and each determination's value, in declaration order."""
    plan = standards.compiled.plans[document_type]
    params = bound if bound is not None else parameters(standards, as_of)[0]
    values, statuses = _outcomes(plan, data, params, plan.memo(), {})
    return statuses, values


_WORTH_EXPLAINING = frozenset((FAIL, CANNOT_JUDGE, EXCEPTED))
_BUCKETS = len(STATUS_ORDER) * 2


def evaluate(standards: Standards, document_type: str, data: Any, as_of: date, *,
             document_sha256: str | None = None, source: str | None = None, include_trace: bool = True,
             bound: Bound | None = None, brief: bool = False) -> Result:
    """The full, explained result for one document.

    With `include_trace`, every decision is evaluated by its explained form and explained in
    full. Without it, the outcome forms decide, and only decisions that failed, were excepted
    or could not be judged run again explained, for the items and facts behind them. `brief`
    (a batch's default) gives rules met or not applicable as brief findings."""
    plan: CompiledPlan = standards.compiled.plans[document_type]
    params, param_info = bound if bound is not None else parameters(standards, as_of)
    memo = plan.memo()
    explained_memo = plan.memo()
    recorder = Recorder()
    explainer = Explainer(plan, recorder, params, param_info, memo, data)
    reasons = explainer.undecidable
    explained_arguments = (data, params, explained_memo, recorder)
    if include_trace:
        values = tuple(_guarded(d.explained, explained_arguments, MISSING, reasons, d.checked.name)
                       for d in plan.determinations)
        statuses = tuple(_guarded(r.explained, explained_arguments, CANNOT_JUDGE, reasons, r.checked.id)
                         for r in plan.rules)
    else:
        values, statuses = _outcomes(plan, data, params, memo, reasons)
        for d, value in zip(plan.determinations, values, strict=True):
            if value is MISSING:
                _guarded(d.explained, explained_arguments, MISSING, {}, d.checked.name)
        for r, status in zip(plan.rules, statuses, strict=True):
            if status in _WORTH_EXPLAINING:
                _guarded(r.explained, explained_arguments, CANNOT_JUDGE, {}, r.checked.id)
    determinations: list[Determination] = [explainer.determination(d, value, include_trace)
                                           for d, value in zip(plan.determinations, values, strict=True)]
    # Findings in reading order: not met first, then cannot be judged, excepted, met, does not
    # apply; requirements before recommendations; the rules' own order within each.
    buckets: list[list[Finding | BriefFinding]] = [[] for _ in range(_BUCKETS)]
    for r, status in zip(plan.rules, statuses, strict=True):
        finding = explainer.finding(r, status, include_trace, brief)
        buckets[STATUS_ORDER[status] * 2 + (r.checked.declaration.severity != "must")].append(finding)
    findings = [f for bucket in buckets for f in bucket]
    errors, warnings = len(buckets[STATUS_ORDER[FAIL] * 2]), len(buckets[STATUS_ORDER[FAIL] * 2 + 1])
    counts = {status: len(buckets[STATUS_ORDER[status] * 2]) + len(buckets[STATUS_ORDER[status] * 2 + 1])
              for status in STATUSES}
    marks = set(explainer.illustrative_seen)
    for f in findings:
        marks.update(f.get("illustrative", ()))  # type: ignore[arg-type]
    for d in determinations:
        marks.update(d["illustrative"])
    result: Result = {
        "result_format": RESULT_FORMAT,
        "engine": {"name": "nis", "version": __version__},
        "standards": standards.identity(),
        "document": {"source": source, "type": document_type,
                     "id": data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None,
                     "sha256": document_sha256},
        "as_of": as_of.isoformat(),
        "outcome": "fail" if errors else "pass",
        "summary": {"errors": errors, "warnings": warnings, "pass": counts[PASS], "fail": counts[FAIL],
                    "excepted": counts[EXCEPTED], "not_applicable": counts[NOT_APPLICABLE],
                    "cannot_judge": counts[CANNOT_JUDGE]},
        "illustrative_parameters": sorted(marks),
        "determinations": determinations,
        "findings": findings,
    }
    if not brief:
        result["not_judged"] = [{"text": note.text, "citations": citations(note.citations)}
                                for note in standards.checked.not_judged
                                if not note.applies_to or document_type in note.applies_to]
    return result
