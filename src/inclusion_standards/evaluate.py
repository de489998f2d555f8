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
    StandardsId,
)
from .runtime import MISSING, Recorder, forget_texts
from .standards import Standards

Bound = tuple[dict[str, Any], dict[str, ParameterInForce]]


_BOUND_DATES = 64  # as-of dates whose parameters a standards set keeps bound at once


def parameters(standards: Standards, as_of: date, document_type: str | None = None) -> Bound:
    """The parameters in force on `as_of`, with the parts of rules that use only parameters
    computed once (`bind`) for the plan of `document_type` (every plan, without one). Kept for
    the last few dates, so judging one plan at a time costs no more per plan than a batch does."""
    cache: dict[date, tuple[dict[str, Any], dict[str, ParameterInForce], set[str]]] = standards.bound
    found = cache.get(as_of)
    if found is None:
        info = standards.parameters_on(as_of)
        values: dict[str, Any] = {name: p.value for name, p in info.items()}
        values["as_of"] = as_of
        if len(cache) >= _BOUND_DATES:
            cache.pop(next(iter(cache)))
        found = cache[as_of] = (values, info, set())
    bound, info, plans = found
    for name in [document_type] if document_type is not None else list(standards.compiled.plans):
        if name not in plans:
            standards.compiled.plans[name].bind(bound)
            plans.add(name)
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
    params = bound if bound is not None else parameters(standards, as_of, document_type)[0]
    forget_texts()
    values, statuses = _outcomes(plan, data, params, plan.memo(), {})
    return statuses, values


_WORTH_EXPLAINING = frozenset((FAIL, CANNOT_JUDGE, EXCEPTED))
_SETTLED_RESULTS = 4096  # outcome patterns whose findings a plan keeps built
_NOTHING_RECORDED = Recorder()  # for results where every decision simply passed: read, never written


def evaluate(standards: Standards, document_type: str, data: Any, as_of: date, *,
             document_sha256: str | None = None, source: str | None = None, include_trace: bool = True,
             bound: Bound | None = None, brief: bool = False, only: Collection[str] | None = None) -> Result:
    """The full, explained result for one document.

    With `include_trace`, every decision is evaluated by its explained form and explained in
    full. Without it, the outcome forms decide, and only decisions that failed, were excepted
    or could not be judged run again explained, for the items and facts behind them. `brief`
    (a batch's default) gives rules met or not applicable as brief findings. `only` names the
    rules (by id) and determinations (by name) to judge: the others are left out of the
    result, for documents that can feed only some of them (an SEN2 case)."""
    plan: CompiledPlan = standards.compiled.plans[document_type]
    params, param_info = bound if bound is not None else parameters(standards, as_of, document_type)
    memo = plan.memo()
    reasons: dict[str, str] = {}
    rules = plan.rules
    forget_texts()
    kept_determinations = [only is None or d.checked.name in only for d in plan.determinations]
    kept = range(len(rules)) if only is None else [i for i, r in enumerate(rules) if r.checked.id in only]
    if include_trace:
        recorder = Recorder()
        arguments = (data, params, plan.memo(), recorder)
        values = tuple(_guarded(d.explained, arguments, MISSING, reasons, d.checked.name) if keep else MISSING
                       for d, keep in zip(plan.determinations, kept_determinations, strict=True))
        statuses: tuple[str, ...] = tuple(
            _guarded(r.explained, arguments, CANNOT_JUDGE, reasons, r.checked.id)
            if only is None or r.checked.id in only else NOT_APPLICABLE for r in rules)
        worth = list(kept)
        undetermined = []
    else:
        values, statuses = _outcomes(plan, data, params, memo, reasons)
        # Most plans have every decision reached and every rule met or not applicable: that is
        # found without going through them one by one.
        undetermined = [d for d, value, keep in zip(plan.determinations, values, kept_determinations, strict=True)
                        if keep and value is MISSING] if MISSING in values else []
        worth = [i for i in kept if statuses[i] in _WORTH_EXPLAINING] \
            if FAIL in statuses or CANNOT_JUDGE in statuses or EXCEPTED in statuses else []
        # Only what did not simply pass is run again explained, for the facts and items behind it.
        # The outcome forms an explained form runs for a list's items read the outcome pass's memo.
        recorder = Recorder(outcome=memo) if undetermined or worth else _NOTHING_RECORDED
        if recorder is not _NOTHING_RECORDED:
            arguments = (data, params, plan.memo(), recorder)
            for d in undetermined:
                _guarded(d.explained, arguments, MISSING, {}, d.checked.name)
            for i in worth:
                _guarded(rules[i].explained, arguments, CANNOT_JUDGE, {}, rules[i].checked.id)
    explainer = Explainer(plan, recorder, params, param_info, memo, data)
    explainer.undecidable.update(reasons)
    determinations: list[Determination] = [
        explainer.determination(d, value, include_trace)
        for d, value, keep in zip(plan.determinations, values, kept_determinations, strict=True) if keep]
    marks = explainer.illustrative_seen  # settled findings leave their marks here
    if worth or undetermined or include_trace or only is not None:
        findings, errors, warnings, counts = _findings(plan, explainer, statuses, kept, set(worth), include_trace,
                                                       brief)
    else:
        # Every rule met or did not apply, and every decision was reached: the findings are the
        # same for every plan with the same statuses and deciding cases, so they are built once
        # and copied. (An undecided decision's marks depend on what its walk reached.)
        key = (as_of, brief, statuses, tuple(memo[d.case_slot] for d in plan.determinations))
        settled = plan.settled_results.get(key)
        if settled is None:
            built = _findings(plan, explainer, statuses, kept, set(), False, brief)
            settled = (tuple(built[0]), *built[1:], frozenset(marks))
            if len(plan.settled_results) < _SETTLED_RESULTS:
                plan.settled_results[key] = settled
        kept_findings, errors, warnings, counts, settled_marks = settled
        findings = [finding.copy() for finding in kept_findings]
        marks.update(settled_marks)
    for decided in determinations:
        marks.update(decided["illustrative"])
    constant = plan.constant_parts.get(document_type)
    if constant is None:
        constant = plan.constant_parts[document_type] = _constant_parts(standards, document_type)
    identity, notes = constant
    result: Result = {
        "result_format": RESULT_FORMAT,
        "engine": {"name": "nis", "version": __version__},
        "standards": identity.copy(),
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
        result["not_judged"] = [{"text": text, "citations": [cited.copy() for cited in cites]} for text, cites in notes]
        if marks:  # so a report can name each figure by its label and value, not its name
            result["illustrative_figures"] = [explainer.parameter(name) for name in result["illustrative_parameters"]]
    return result


def _findings(plan: CompiledPlan, explainer: Explainer, statuses: tuple[str, ...], kept: Collection[int],
              explained: set[int], include_trace: bool, brief: bool
              ) -> tuple[list[Finding | BriefFinding], int, int, dict[str, int]]:
    """The findings in reading order (not met first, then cannot be judged, excepted, met,
    does not apply; requirements before recommendations; the rules' own order within each),
    with the count of requirements and recommendations not met and of each status."""
    buckets: list[list[Finding | BriefFinding]] = [[], [], [], [], [], [], [], [], [], []]
    marks = explainer.illustrative_seen
    rules, settled, order = plan.rules, explainer.settled_finding, plan.reading_order
    for i in kept:
        status = statuses[i]
        if i in explained:
            finding = explainer.finding(rules[i], status, include_trace, brief)
            marks.update(finding["illustrative"])  # type: ignore[typeddict-item]
        else:
            finding = settled(i, status, brief)
        buckets[order[i][status]].append(finding)
    findings: list[Finding | BriefFinding] = [f for bucket in buckets for f in bucket]
    errors, warnings = len(buckets[STATUS_ORDER[FAIL] * 2]), len(buckets[STATUS_ORDER[FAIL] * 2 + 1])
    counts: dict[str, int] = {
        status: len(buckets[STATUS_ORDER[status] * 2]) + len(buckets[STATUS_ORDER[status] * 2 + 1])
        for status in STATUSES}
    return findings, errors, warnings, counts


def _constant_parts(standards: Standards, document_type: str) -> tuple[StandardsId, tuple[Any, ...]]:
    """What every result of `document_type` by `standards` records alike: the standards'
    identity, and the notes on what the standards do not judge for that kind of plan."""
    notes = tuple((note.text, tuple(citations(note.citations))) for note in standards.checked.not_judged
                  if not note.applies_to or document_type in note.applies_to)
    return standards.identity(), notes
