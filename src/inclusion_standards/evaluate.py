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

from collections.abc import Callable, Collection
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


def parameters(standards: Standards, as_of: date) -> Bound:
    """The parameters in force on `as_of`, with the parts of rules that use only parameters
    computed once (`bind`), for every plan the standards judge."""
    info = standards.parameters_on(as_of)
    bound: dict[str, Any] = {name: p.value for name, p in info.items()}
    bound["as_of"] = as_of
    for plan in standards.compiled.plans.values():
        plan.bind(bound)
    return bound, info


def _guarded(function: Callable[..., Any], arguments: tuple[Any, ...], on_error: Any, reasons: dict[str, str],
             name: str) -> Any:
    """Run a compiled decision; arithmetic it cannot do makes it undecided, with the reason."""
    try:
        return function(*arguments)
    except (ArithmeticError, ValueError, OverflowError) as error:
        reasons[name] = str(error) or type(error).__name__
        return on_error


def judge(standards: Standards, document_type: str, data: Any, as_of: date,
          bound: dict[str, Any] | None = None) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """Outcomes only: each rule's status and each determination's value, in declaration order."""
    plan = standards.compiled.plans[document_type]
    params = bound if bound is not None else parameters(standards, as_of)[0]
    memo = plan.memo()
    reasons: dict[str, str] = {}
    arguments = (data, params, memo)
    dets = tuple(_guarded(d.outcome, arguments, MISSING, reasons, d.checked.name) for d in plan.determinations)
    statuses = tuple(_guarded(r.outcome, arguments, CANNOT_JUDGE, reasons, r.checked.id) for r in plan.rules)
    return statuses, dets


def evaluate(standards: Standards, document_type: str, data: Any, as_of: date, *,
             document_sha256: str | None = None, source: str | None = None, include_trace: bool = True,
             bound: Bound | None = None, brief: bool = False, only: Collection[str] | None = None) -> Result:
    """The full, explained result for one document.

    With `include_trace`, every decision is evaluated by its explained form and explained in
    full. `brief` (a batch's default) gives rules met or not applicable as brief findings.
    `only` names the rules (by id) and determinations (by name) to judge: the others are left
    out of the result, for documents that can feed only some of them (an SEN2 case)."""
    plan: CompiledPlan = standards.compiled.plans[document_type]
    params, param_info = bound if bound is not None else parameters(standards, as_of)
    memo = plan.memo()
    explained_memo = plan.memo()
    recorder = Recorder()
    explainer = Explainer(plan, recorder, params, param_info, memo, data)
    reasons = explainer.undecidable

    fast_arguments = (data, params, memo)
    explained_arguments = (data, params, explained_memo, recorder)

    def outcome(name: str, fast: Any, explained: Any, on_error: Any, worth: Callable[[Any], bool]) -> Any:
        if include_trace:
            return _guarded(explained, explained_arguments, on_error, reasons, name)
        value = _guarded(fast, fast_arguments, on_error, reasons, name)
        if worth(value):
            _guarded(explained, explained_arguments, on_error, {}, name)
        return value

    determinations: list[Determination] = [
        explainer.determination(d, outcome(d.checked.name, d.outcome, d.explained, MISSING, _undetermined),
                                include_trace)
        for d in plan.determinations if only is None or d.checked.name in only]
    findings: list[Finding | BriefFinding] = [
        explainer.finding(r, outcome(r.checked.id, r.outcome, r.explained, CANNOT_JUDGE, _worth_explaining),
                          include_trace, brief)
        for r in plan.rules if only is None or r.checked.id in only]
    counts = dict.fromkeys(STATUSES, 0)
    errors = warnings = 0
    for f in findings:
        counts[f["status"]] += 1
        if f["status"] == FAIL:
            if f["severity"] == "error":
                errors += 1
            else:
                warnings += 1
    findings.sort(key=lambda f: (STATUS_ORDER[f["status"]], 0 if f["severity"] == "error" else 1))
    # Brief findings (rules met or not applicable, in a batch) left their marks in the explainer.
    illustrative = sorted({p for f in findings for p in f.get("illustrative", ())}  # type: ignore[attr-defined]
                          | {p for d in determinations for p in d["illustrative"]} | explainer.illustrative_seen)
    result: Result = {
        "result_format": RESULT_FORMAT,
        "engine": {"name": "nis", "version": __version__},
        "standards": {
            "id": standards.id, "version": standards.version, "title": standards.title,
            "effective_from": standards.effective_from.isoformat(),
            "effective_until": standards.effective_until.isoformat() if standards.effective_until else None,
            "sha256": standards.sha256,
        },
        "document": {"source": source, "type": document_type,
                     "id": data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None,
                     "sha256": document_sha256},
        "as_of": as_of.isoformat(),
        "outcome": "fail" if errors else "pass",
        "summary": {"errors": errors, "warnings": warnings, "pass": counts[PASS], "fail": counts[FAIL],
                    "excepted": counts[EXCEPTED], "not_applicable": counts[NOT_APPLICABLE],
                    "cannot_judge": counts[CANNOT_JUDGE]},
        "illustrative_parameters": illustrative,
        "determinations": determinations,
        "findings": findings,
    }
    if not brief:
        result["not_judged"] = [{"text": note.text, "citations": citations(note.citations)}
                                for note in standards.checked.not_judged
                                if not note.applies_to or document_type in note.applies_to]
    return result


def _undetermined(value: Any) -> bool:
    return value is MISSING


def _worth_explaining(status: Any) -> bool:
    return status in (FAIL, CANNOT_JUDGE, EXCEPTED)
