"""Evaluate stage: judge one document against compiled standards on an as-of date, and
explain every decision.

`judge` runs the fast functions and returns only outcomes; `evaluate` runs the traced
functions once and builds the full result: findings with messages that show the actual
values, citations, the JSON pointers of the facts used and of any missing fact, near
misses, determinations with the case that decided them, and the trace tree. The result is
plain data with a fixed key order and no clock reading, so the same inputs give the same
bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import __version__, tree as t
from .compiler import (CANNOT_JUDGE, EXCEPTED, FAIL, NOT_APPLICABLE, PASS, CompiledPlan, constant_value,
                       folded_key, is_folded, is_static)
from .runtime import get as _get, to_date
from .formatter import format_expr as _format_expr
from .runtime import MISSING, Recorder, matched_phrase
from .standards import ParameterValue, Standards
from .types import ANY, Type

RESULT_FORMAT = 1
_NOT_EVALUATED = object()
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
MAX_ITEMS_SHOWN = 25


def parameters(standards: Standards, as_of: date) -> tuple[dict, dict[str, ParameterValue]]:
    values = standards.parameters_on(as_of)
    bound = {name: pv.value for name, pv in values.items()}
    bound["as_of"] = as_of
    for plan in standards.compiled.plans.values():
        plan.prebind(bound)
    return bound, values


def judge(standards: Standards, document_type: str, data: dict, as_of: date,
          bound: dict | None = None) -> tuple[tuple[str, ...], tuple]:
    """Outcomes only: each rule's status and each determination's value, in declaration order."""
    plan = standards.compiled.plans[document_type]
    params = bound if bound is not None else parameters(standards, as_of)[0]
    memo: dict = {}
    dets = tuple(fast(data, params, memo) for _, fast, _ in plan.determinations)
    return tuple(fast(data, params, memo) for _, fast, _ in plan.rules), dets


def evaluate(standards: Standards, document_type: str, data: dict, as_of: date, *,
             document_sha256: str | None = None, source: str | None = None,
             include_trace: bool = True, bound: tuple | None = None, brief: bool = False) -> dict:
    """The full, explained result for one document (see schemas/result.schema.json).

    With `include_trace`, every decision is evaluated by its traced function and explained
    in full. `brief` (a batch's default) gives rules met or not applicable as brief findings. Without it (a batch), decisions are judged by the fast functions, and only those
    that failed, were excepted or could not be judged are run again traced, to name the
    items and the missing facts behind them: evaluation is pure, so the outcome is the same.
    """
    plan = standards.compiled.plans[document_type]
    params, param_info = bound if bound is not None else parameters(standards, as_of)
    memo: dict = {}
    recorder = Recorder()
    explainer = _Explainer(standards, plan, recorder, param_info, memo, data, params)

    def outcome(fast, traced, worth_explaining) -> object:
        if include_trace:
            return traced(data, params, memo, recorder)
        value = fast(data, params, memo)
        if worth_explaining(value):
            traced(data, params, memo, recorder)
        return value

    determinations = [explainer.determination(det, outcome(fast, traced, lambda v: v is MISSING), include_trace)
                      for det, fast, traced in plan.determinations]
    findings = [explainer.finding(rule, outcome(fast, traced, lambda s: s in (FAIL, CANNOT_JUDGE, EXCEPTED)),
                                  include_trace, brief)
                for rule, fast, traced in plan.rules]
    counts = {s: 0 for s in (PASS, FAIL, EXCEPTED, NOT_APPLICABLE, CANNOT_JUDGE)}
    errors = warnings = 0
    for f in findings:
        counts[f["status"]] += 1
        if f["status"] == FAIL:
            if f["severity"] == "error":
                errors += 1
            else:
                warnings += 1
    order = {FAIL: 0, CANNOT_JUDGE: 1, EXCEPTED: 2, PASS: 3, NOT_APPLICABLE: 4}
    findings.sort(key=lambda f: (order[f["status"]], 0 if f["severity"] == "error" else 1))
    # Brief findings (rules met or not applicable, in a batch) left their marks in the explainer.
    illustrative = sorted({p for f in [*findings, *determinations] for p in f.get("illustrative", ())}
                          | explainer.illustrative_seen)
    result = {
        "result_format": RESULT_FORMAT,
        "engine": {"name": "nis", "version": __version__},
        "standards": {
            "id": standards.id, "version": standards.version, "title": standards.title,
            "effective_from": standards.effective_from.isoformat(),
            "effective_until": standards.effective_until.isoformat() if standards.effective_until else None,
            "sha256": standards.sha256,
        },
        "document": {"source": source, "type": document_type, "id": _text(data.get("id")),
                     "sha256": document_sha256},
        "as_of": as_of.isoformat(),
        "outcome": "fail" if errors else "pass",
        "summary": {"errors": errors, "warnings": warnings, **counts},
        "illustrative_parameters": illustrative,
        "determinations": determinations,
        "findings": findings,
    }
    if not brief:
        result["not_judged"] = [{"text": note.text, "citations": [_citation(c) for c in note.citations]}
                                for note in standards.program.not_judged
                                if not note.applies_to or document_type in note.applies_to]
    return result


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


# ---- values as JSON and as words ------------------------------------------------------------

def to_json(value):
    if value is MISSING or value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], dict):
            return len(value)  # a list of records is summarised by its length; items carry pointers
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return None
    return str(value)


def display(value, ty: Type = ANY) -> str:
    """A value as a person writes it: 24 May 2027, 20 weeks, 2.5 hours per week, yes/no."""
    if value is MISSING:
        return "not recorded"
    if value is _NOT_EVALUATED:
        return "not evaluated"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, dict):
        return "a record"
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], dict):
            return _plural(len(value), "item")
        element = ty.element if ty.kind == "list" and ty.element else ANY
        shown = [display(v, element) for v in value[:8]]
        more = f", and {len(value) - 8} more" if len(value) > 8 else ""
        return "[" + ", ".join(shown) + more + "]" if value else "none"
    if isinstance(value, str):
        return f'"{value}"'
    if ty.kind == "days":
        n = value
        if n and n % 7 == 0:
            return _plural(n // 7, "week")
        return _plural(n, "day")
    if ty.kind == "months":
        years, months = divmod(int(value), 12)
        if years and months:
            return f"{_plural(years, 'year')} {_plural(months, 'month')}"
        return _plural(years, "year") if years else _plural(months, "month")
    if isinstance(value, (int, Decimal, float)):
        number = _number(value)
        if ty.kind == "number" and ty.unit:
            unit = ty.unit
            if number == "1":
                unit = unit.replace("hours", "hour").replace("minutes", "minute")
            return f"{number} {unit}"
        return number
    return str(value)


def _number(value) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def _plural(n, word) -> str:
    return f"{n} {word}" if n in (1, -1) else f"{n} {word}s"


# ---- explanations ---------------------------------------------------------------------------

class _Explainer:
    """Builds messages, pointers, near misses and trace trees from the recorded values."""

    def __init__(self, standards: Standards, plan: CompiledPlan, recorder: Recorder,
                 param_info: dict[str, ParameterValue], memo: dict, data: dict, params: dict):
        self.standards = standards
        self.program = standards.program
        self.compiled = standards.compiled
        self.plan = plan
        self.recorder = recorder
        self.param_info = param_info
        self.memo = memo
        self.data = data
        self.params = params
        self.decided_parameters: dict[str, dict] = {}
        self.illustrative_seen: set[str] = set()

    # ---- findings -------------------------------------------------------------------------
    def finding(self, rule: t.Rule, status: str, include_trace: bool, brief: bool = False) -> dict:
        if not include_trace and status in (PASS, NOT_APPLICABLE):
            return self.settled_finding(rule, status, brief)
        facts: dict[str, None] = {}
        missing: dict[str, None] = {}
        used_params: dict[str, None] = {}
        build = include_trace
        when = requirement = None
        if not build and status != CANNOT_JUDGE:
            # Without a trace, the fields a rule reads stand for the facts it used (the message
            # names any failing items); only missing facts need the values walked.
            facts, reads = self.static_reads(rule)
            for name in reads:
                if name.startswith("det:"):
                    used_params.update(self.determination_parameters(name[4:]))
                else:
                    used_params[name] = None
        else:
            if rule.when is not None:
                when = self.node(rule.when, (), {}, facts, missing, used_params, build)
            if status != NOT_APPLICABLE and rule.requirement is not None and not (
                    status == CANNOT_JUDGE and rule.when is not None and self.value_of(rule.when) is MISSING):
                requirement = self.node(rule.requirement, (), {}, facts, missing, used_params, build)
        exceptions = []
        applied = self.memo.get(f"exc:{rule.id}")
        if status in (EXCEPTED, FAIL, CANNOT_JUDGE):
            for exc in self.program.exceptions_to(rule.id):
                if exc.id in self.plan.exceptions:
                    exceptions.append(self.exception(exc, applied, facts, missing, used_params, build))
        if status != CANNOT_JUDGE:
            missing = {}
        near = self.near_misses(rule.requirement, status) if status in (PASS, FAIL) else []
        result = {
            "rule": rule.id,
            "title": rule.title,
            "status": status,
            "severity": "error" if rule.severity == "must" else "warning",
            "message": self.message(rule, status, near, list(missing), applied),
            "citations": [_citation(c) for c in rule.citations],
            "facts": sorted(facts),
            "missing": sorted(missing),
            "hint": rule.hint if status in (FAIL, CANNOT_JUDGE) else None,
            "challenge": rule.challenge,
            "exception": next((e for e in exceptions if e["applied"]), None) if status == EXCEPTED else None,
            "near_misses": near,
            "illustrative": sorted(p for p in used_params if self.param_info[p].illustrative),
        }
        if include_trace:
            result["trace"] = {"when": when, "requirement": requirement, "exceptions": exceptions,
                               "parameters": [self.parameter(p) for p in used_params]}
        return result

    def settled_finding(self, rule: t.Rule, status: str, brief: bool = False) -> dict:
        """A rule met or not applicable, without a trace: all but its illustrative marks is the
        same for every document, so it is built once per rule and copied. (A rule's own
        explanation is kept for traced results and for the findings that matter.)"""
        key = (id(rule), status)
        hit = _SETTLED.get(key)
        if hit is None or hit[0] is not rule:
            facts, reads = self.static_reads(rule)
            finding = {
                "rule": rule.id, "title": rule.title, "status": status,
                "severity": "error" if rule.severity == "must" else "warning",
                "message": (f"Met: {rule.title or rule.id}." if status == PASS
                            else self.message(rule, status, [], [], None)),
                "citations": [_citation(c) for c in rule.citations], "facts": sorted(facts), "missing": [],
                "hint": None, "challenge": rule.challenge, "exception": None, "near_misses": [],
                "illustrative": None,
            }
            own = sorted(p for p in reads if not p.startswith("det:") and self.param_info[p].illustrative)
            decisions = tuple(p[4:] for p in reads if p.startswith("det:"))
            brief_form = {"rule": rule.id, "title": rule.title, "status": status, "severity": finding["severity"]}
            hit = _SETTLED[key] = (rule, finding, own, decisions, brief_form)
        _, finding, own, decisions, brief_form = hit
        if brief:
            # The decisions it rests on carry their own marks into the result's list.
            self.illustrative_seen.update(own)
            return dict(brief_form)
        marks = set(own)
        for name in decisions:
            marks.update(p for p in self.determination_parameters(name) if self.param_info[p].illustrative)
        return {**finding, "illustrative": sorted(marks)}

    def exception(self, exc: t.Exception_, applied: str | None, facts, missing, used_params, build=True) -> dict:
        condition = self.node(exc.condition, (), {}, facts, missing, used_params, build)
        return {"id": exc.id, "title": exc.title, "applied": exc.id == applied,
                "citations": [_citation(c) for c in exc.citations], "condition": condition}

    def message(self, rule: t.Rule, status: str, near: list, missing: list, applied: str | None) -> str:
        title = rule.title or rule.id
        if status == NOT_APPLICABLE:
            return f"Does not apply: {format_expr(rule.when)} is not true for this plan."
        if status == CANNOT_JUDGE:
            what = ", ".join(missing) if missing else "a fact it needs"
            return f"Cannot be judged: the plan does not record {what}."
        if status == EXCEPTED:
            exc = self.program.exceptions.get(applied or "")
            cite = f" ({exc.citations[0].text})" if exc and exc.citations else ""
            return f"Excepted: {exc.title if exc and exc.title else applied}{cite}."
        text = self.template(rule) if rule.explain is not None else None
        if text is None:
            text = ("Met: " if status == PASS else "Not met: ") + title + "."
            if near:
                text += " " + near[0]["text"]
        if status == FAIL and not near:
            detail = self.failing_detail(rule.requirement)
            if detail and (rule.explain is None or detail.startswith("Items")):
                text += " " + detail
        return text

    def template(self, node) -> str:
        fn = self.plan.templates.get(getattr(node, "id", None) or node.name)
        values = fn(self.data, self.params, {}) if fn else ()
        out, holes = [], iter(values)
        for part in node.explain.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                out.append(display(next(holes), self.program.type_of(part)).strip('"'))
        return "".join(out)

    def failing_detail(self, expr) -> str | None:
        """For a failed requirement without a threshold: the items or values that failed it."""
        if isinstance(expr, t.Binary) and expr.op == "and":
            for side in (expr.left, expr.right):
                if self.value_of(side) is False:
                    return self.failing_detail(side)
            return None
        if isinstance(expr, t.Quantified):
            number = self.compiled.node_ids.get(id(expr))
            collection = self.value_of(expr.collection)
            if not isinstance(collection, (list, tuple)):
                return None
            bad = []
            for index in range(len(collection)):
                v = self.value_of(expr.body, ((number, index),))
                if (expr.quantifier == "every" and v is False) or (expr.quantifier == "no" and v is True):
                    pointer = self.pointer(expr.collection, {}, ())
                    bad.append(f"{pointer}/{index}" if pointer else f"item {index + 1}")
            if bad:
                return "Items that fail it: " + ", ".join(bad[:MAX_ITEMS_SHOWN]) + "."
            if expr.quantifier == "some":
                return f"No item of {format_expr(expr.collection)} satisfies it."
            return None
        if isinstance(expr, t.Binary) and expr.op == "contains any of":
            text = self.value_of(expr.left)
            phrases = self.value_of(expr.right)
            if isinstance(text, str) and isinstance(phrases, (list, tuple)):
                phrase = matched_phrase(text, phrases)
                if phrase:
                    return f'It contains "{phrase}".'
        values = []
        for leaf in _leaves(expr):
            v = self.value_of(leaf)
            if v is not _NOT_EVALUATED and not isinstance(v, dict):
                values.append(f"{format_expr(leaf)} is {display(v, self.program.type_of(leaf))}")
        return ("Found: " + "; ".join(values[:4]) + ".") if values else None

    def read(self, expr, frame):
        """Look a document read up again: its value is the document's, so it was not recorded."""
        if isinstance(expr, t.Name):
            value = _get(self.data, expr.name)
        else:
            base = expr.base
            kind = self.program.resolved.get(id(base), ("",))[0]
            record = self.item(base, frame) if kind == "var" else self.read(base, frame)
            value = _get(record, expr.name)
        ty = self.program.type_of(expr)
        if ty.kind == "date":
            return to_date(value)
        if ty.kind in ("days", "months") and ty.unit in ("weeks", "years") and value is not MISSING:
            return value * (7 if ty.unit == "weeks" else 12)
        return value

    def item(self, var: t.Name, frame):
        """The list item a quantifier variable is bound to in a frame."""
        binder = _binders(self.program).get(id(var))
        number = self.compiled.node_ids.get(id(binder)) if binder is not None else None
        for position, (node, index) in enumerate(frame):
            if node == number:
                collection = self.value_of(binder.collection, frame[:position])
                if isinstance(collection, (list, tuple)) and index < len(collection):
                    return collection[index]
        return MISSING

    def static_reads(self, node) -> tuple[dict, dict]:
        """The document fields (as JSON pointers) and the parameters a rule reads, known
        without evaluating it; computed once per rule."""
        hit = _READS.get(id(node))
        if hit is None or hit[0] is not node:
            fields, params = {}, {}
            for expr in (node.when, node.requirement):
                if expr is not None:
                    _collect_reads(expr, self.program, fields, params)
            hit = _READS[id(node)] = (node, dict(sorted(fields.items())), params)
        return dict(hit[1]), dict(hit[2])

    def value_of(self, expr, frame=()):
        """The value an expression had (in a frame of list items): recorded, or known statically."""
        if _static(self.program, expr):
            return self.static_value(expr, frame)
        return self.recorder.get(self.compiled.node_ids.get(id(expr)), frame, _NOT_EVALUATED)

    def static_value(self, expr, frame=()):
        if is_folded(self.program, expr):
            return self.params.get(folded_key(self.compiled.node_ids.get(id(expr))), _NOT_EVALUATED)
        what = self.program.resolved.get(id(expr), ("",))
        if what[0] == "field":
            return self.read(expr, frame)
        if what[0] == "member":
            return what[2]
        if what[0] == "parameter":
            return self.params.get(expr.name, MISSING)
        if what[0] == "as_of":
            return self.params["as_of"]
        if what[0] == "definition":
            return self.memo.get(f"tdef:{expr.name}", _NOT_EVALUATED)
        if what[0] == "determination":
            return self.memo.get(f"tdet:{expr.name}", self.memo.get(f"fdet:{expr.name}", _NOT_EVALUATED))
        if what[0] in ("var", "enumeration"):
            return _NOT_EVALUATED
        return constant_value(expr)

    # ---- near misses ----------------------------------------------------------------------
    def near_misses(self, expr, status: str) -> list[dict]:
        """How far the document was from each threshold that decided the rule."""
        want = status == PASS
        found = []
        for c in _thresholds(expr, self.program):
            if self.value_of(c.expr) is not (want if c.positive else not want):
                continue
            fact, limit = self.value_of(c.fact), self.value_of(c.limit)
            if fact in (MISSING, _NOT_EVALUATED) or limit in (MISSING, _NOT_EVALUATED):
                continue
            found.append(self._near_miss(c, fact, limit, want if c.positive else not want))
        return found

    def _near_miss(self, c: "_Threshold", fact, limit, held: bool) -> dict:
        difference = (fact - limit).days if c.kind == "date" else fact - limit
        info = self.param_info.get(c.parameter) if c.parameter else None
        in_force = ""
        if info is not None:
            in_force = f" in force from {display(info.in_force_from)}"
            if info.illustrative:
                in_force += " (an illustrative figure)"
        fact_text = display(fact, c.fact_type)
        limit_text = display(limit, c.limit_type)
        if c.kind == "date":
            side = "after" if difference > 0 else "before"
            if difference == 0:
                text = f"{c.fact_text} ({fact_text}) falls on the limit, {limit_text}{in_force}."
            else:
                text = (f"{c.fact_text} ({fact_text}) is {_plural(abs(difference), 'day')} {side} "
                        f"the limit of {limit_text}{in_force}.")
        else:
            if c.op in (">", ">="):
                word = "above" if held else "short of"
            else:
                word = "below" if held else "over"
            if difference == 0:
                text = f"{fact_text} against a threshold of {limit_text}{in_force}: exactly on it."
            else:
                gap = display(abs(difference), c.unit_type)
                text = f"{fact_text} against a threshold of {limit_text}{in_force}: {gap} {word} it."
        return {"expr": c.text, "value": to_json(fact), "limit": to_json(limit),
                "difference": to_json(difference), "unit": c.unit, "parameter": c.parameter, "text": text}

    # ---- determinations -------------------------------------------------------------------
    def determination_parameters(self, name: str, seen: frozenset = frozenset()) -> dict:
        """The parameters a determination used for this document (all its cases' if it has
        not been explained yet)."""
        if name in self.decided_parameters:
            return self.decided_parameters[name]
        found = {}
        for case in self.program.determinations[name].cases:
            for key in self.static_condition_reads(case.condition)[1]:
                if not key.startswith("det:"):
                    found[key] = None
                elif key[4:] not in seen and key[4:] != name:
                    found.update(self.determination_parameters(key[4:], seen | {name}))
        return found

    def static_condition_reads(self, expr) -> tuple[dict, dict]:
        """The fields and parameters (and `det:` names) an expression reads; once per expression."""
        hit = _READS.get(id(expr))
        if hit is None or hit[0] is not expr:
            fields, params = {}, {}
            _collect_reads(expr, self.program, fields, params)
            hit = _READS[id(expr)] = (expr, fields, params)
        return hit[1], hit[2]

    def determination(self, det: t.Determination, value, include_trace: bool) -> dict:
        undetermined = value is MISSING
        explained = include_trace or undetermined  # else only the fast function ran
        key = f"{'t' if explained else 'f'}det:{det.name}"
        index = self.memo.get(key + ":case", len(det.cases))
        settled = None
        if not explained and det.explain is None:
            # Without a trace, a decision reached by the same case with the same value reads
            # the same for every document: built once, then copied.
            settled = (id(det), index, repr(to_json(value)))
            hit = _SETTLED.get(settled)
            if hit is not None and hit[0] is det:
                self.decided_parameters[det.name] = hit[2]
                return dict(hit[1])
        facts, missing, used = {}, {}, {}
        cases = []
        for i, case in enumerate(det.cases[: index + 1]):
            if explained:
                condition = self.node(case.condition, (), {}, facts, missing, used, include_trace)
                held = self.value_of(case.condition)
            else:
                condition, held = None, _NOT_EVALUATED
                reads = self.static_condition_reads(case.condition)
                facts.update(reads[0])
                for name in reads[1]:
                    if name.startswith("det:"):
                        used.update(self.determination_parameters(name[4:]))
                    else:
                        used[name] = None
            excepted = self.memo.get(f"excase:{det.name}:{i}")
            cases.append({"case": i + 1, "label": case.label, "value": format_expr(case.value),
                          "held": to_json(held) if held is not _NOT_EVALUATED else None,
                          "excepted_by": excepted, "because": case.because, "condition": condition})
        decided = det.cases[index] if index < len(det.cases) else det.otherwise
        because = None if undetermined else decided.because
        ty = self.program.type_of(decided.value)
        value_text = display(value, ty)
        member = self._member_label(decided.value)
        if member and not undetermined:
            value_text = member
        if undetermined:
            explanation = (f"Cannot be determined: case {index + 1} needs "
                           f"{', '.join(sorted(missing)) or 'a fact the plan does not record'}.")
        elif index < len(det.cases):
            explanation = f"Case {index + 1} holds: {format_expr(det.cases[index].condition)}."
        else:
            explanation = "No case holds, so the default applies."
        if det.explain is not None and not undetermined:
            explanation = self.template(det) + " " + explanation
        citation = decided.citation if not undetermined else None
        self.decided_parameters[det.name] = used
        result = {
            "name": det.name,
            "title": det.title,
            "value": to_json(value),
            "display": "not determined" if undetermined else value_text,
            "case": None if undetermined else (index + 1 if index < len(det.cases) else "otherwise"),
            "because": because,
            "explanation": explanation,
            "citations": [_citation(c) for c in det.citations] + ([_citation(citation)] if citation else []),
            "challenge": det.challenge,
            "facts": sorted(facts),
            "missing": sorted(missing) if undetermined else [],
            "illustrative": sorted(p for p in used if self.param_info[p].illustrative),
        }
        if include_trace:
            result["trace"] = {"cases": cases, "parameters": [self.parameter(p) for p in used]}
        if settled is not None:
            _SETTLED[settled] = (det, dict(result), used)
        return result

    def _member_label(self, expr) -> str | None:
        what = self.program.resolved.get(id(expr))
        if what and what[0] == "member":
            enum = self.program.enumerations[what[1]]
            for m in enum.members:
                if m.name == what[2]:
                    return m.label or m.name
        return None

    # ---- trace trees ----------------------------------------------------------------------
    def parameter(self, name: str) -> dict:
        info = self.param_info[name]
        param = self.program.parameters[name]
        values = [v.value for v in param.values if v.value is not None]
        ty = self.program.type_of(values[-1]) if values else ANY
        return {"name": name, "title": param.title, "value": to_json(info.value),
                "display": display(info.value, ty), "in_force_from": info.in_force_from.isoformat(),
                "illustrative": info.illustrative, "citation": info.citation}

    def pointer(self, expr, env, frame) -> str | None:
        """The JSON pointer of the document fact an expression reads, if it reads one."""
        if isinstance(expr, t.Name):
            what = self.program.resolved.get(id(expr), ("",))
            if what[0] == "field":
                return "/" + expr.name
            if what[0] == "var":
                return env.get(expr.name)
            return None
        if isinstance(expr, t.Field):
            base = self.pointer(expr.base, env, frame)
            return f"{base}/{expr.name}" if base is not None else None
        return None

    def node(self, expr, frame, env, facts, missing, used, build=True) -> dict | None:
        """The trace tree of an expression; with build=False only the facts, missing facts and
        parameters it used are collected (for results without traces, much cheaper)."""
        what = self.program.resolved.get(id(expr), ("",))
        if what[0] == "var":
            if not build:
                return None
            item = self.item(expr, frame)
            return {"expr": expr.name, "item": env.get(expr.name), "value": to_json(item),
                    "display": display(item, self.program.type_of(expr))}
        value = self.value_of(expr, frame)
        if value is _NOT_EVALUATED:
            return {"expr": format_expr(expr), "evaluated": False} if build else None
        pointer = self.pointer(expr, env, frame)
        if pointer is not None:
            if value is MISSING:
                missing[pointer] = None
            else:
                facts[pointer] = None
        if what[0] == "parameter":
            used[expr.name] = None
        elif what[0] == "determination":
            # A decision that rests on an illustrative figure passes the mark on.
            used.update(self.determination_parameters(expr.name))
        out: dict = {}
        if build:
            out = {"expr": format_expr(expr), "value": to_json(value),
                   "display": display(value, self.program.type_of(expr))}
            if pointer is not None:
                out["pointer"] = pointer
            if value is MISSING:
                out["missing"] = True
            if what[0] == "parameter":
                info = self.param_info[expr.name]
                out["parameter"] = {"name": expr.name, "in_force_from": info.in_force_from.isoformat(),
                                    "illustrative": info.illustrative is not None}
        if what[0] in ("definition", "determination"):
            if build:
                out[what[0]] = expr.name
            if what[0] == "definition":
                child = self.node(self.program.definitions[expr.name].expr, (), {}, facts, missing, used, build)
                if build:
                    out["children"] = [child]
            return out if build else None
        if isinstance(expr, (t.Name, t.Field, t.Literal, t.Quantity)):
            return out if build else None
        if isinstance(expr, (t.Quantified, t.Aggregate)):
            child = self.node(expr.collection, frame, env, facts, missing, used, build)
            items = self.items(expr, frame, env, facts, missing, used, build) if expr.var is not None else []
            if build:
                out["children"] = [child]
                if expr.var is not None:
                    out["items"] = items
            return out if build else None
        children = [self.node(c, frame, env, facts, missing, used, build) if self._evaluated(expr, c, frame)
                    else ({"expr": format_expr(c), "evaluated": False} if build else None)
                    for c in _children(expr)]
        if not build:
            return None
        if children:
            out["children"] = children
        if isinstance(expr, t.Binary) and expr.op == "contains any of" and value is True:
            text, phrases = self.value_of(expr.left, frame), self.value_of(expr.right, frame)
            if isinstance(text, str) and isinstance(phrases, (list, tuple)):
                out["matched"] = matched_phrase(text, phrases)
        return out

    def _evaluated(self, parent, child, frame) -> bool:
        """Whether `child` was evaluated: `and`, `or` and `if` skip what they do not need."""
        if isinstance(parent, t.Binary) and parent.op in ("and", "or") and child is parent.right:
            return self.value_of(parent.left, frame) is not (parent.op == "or")
        if isinstance(parent, t.Conditional) and child is not parent.condition:
            condition = self.value_of(parent.condition, frame)
            return condition is (child is parent.then)
        return True

    def items(self, expr, frame, env, facts, missing, used, build=True) -> list[dict]:
        number = self.compiled.node_ids.get(id(expr))
        collection = self.value_of(expr.collection, frame)
        if not isinstance(collection, (list, tuple)):
            return []
        base = self.pointer(expr.collection, env, frame)
        body = expr.body if isinstance(expr, t.Quantified) else expr.value
        none_found = isinstance(expr, t.Quantified) and self.value_of(expr, frame) is False
        shown = []
        for index in range(len(collection)):
            inner = frame + ((number, index),)
            inner_env = {**env, expr.var: f"{base}/{index}" if base is not None else None} if expr.var else env
            where = self.value_of(expr.where, inner) if expr.where is not None else True
            result = self.value_of(body, inner) if body is not None else True
            if isinstance(expr, t.Quantified):
                # The items that decided it: those that failed an `every`, held for a `some` or
                # `no`, or, when a `some` found none, every item that was looked at.
                relevant = (result is MISSING or where is MISSING or
                            (expr.quantifier == "every" and result is False) or
                            (expr.quantifier in ("some", "no") and result is True) or
                            (expr.quantifier == "some" and none_found and result is False and where is not False))
                if not relevant:
                    continue
            elif where is False:
                continue
            entry = {"index": index, "pointer": inner_env.get(expr.var) if expr.var else None,
                     "value": to_json(result) if result is not _NOT_EVALUATED else None}
            if expr.where is not None:
                entry["where"] = self.node(expr.where, inner, inner_env, facts, missing, used, build)
            if body is not None and result is not _NOT_EVALUATED:
                entry["trace"] = self.node(body, inner, inner_env, facts, missing, used, build)
            shown.append(entry)
            if len(shown) >= MAX_ITEMS_SHOWN:
                break
        return shown


_TEXTS: dict[int, tuple[object, str]] = {}
_THRESHOLDS: dict[int, tuple[object, list]] = {}
_SETTLED: dict[tuple, tuple[object, dict, dict]] = {}  # findings and decisions that read the same for any plan


@dataclass(frozen=True)
class _Threshold:
    """A comparison at the top of a requirement (under and/or/not) between a document value
    and a limit: where a near miss can be measured. Worked out once per requirement."""

    expr: t.Binary
    positive: bool  # False under an odd number of `not`s
    fact: object
    limit: object
    op: str
    kind: str
    fact_type: Type
    limit_type: Type
    unit_type: Type
    unit: str
    parameter: str | None
    text: str
    fact_text: str


def _thresholds(expr, program) -> list[_Threshold]:
    if expr is None:
        return []
    hit = _THRESHOLDS.get(id(expr))
    if hit is None or hit[0] is not expr:
        found: list[_Threshold] = []
        _find_thresholds(expr, True, program, found)
        hit = _THRESHOLDS[id(expr)] = (expr, found)
    return hit[1]


def _find_thresholds(expr, positive, program, found):
    if isinstance(expr, t.Binary) and expr.op in ("and", "or"):
        _find_thresholds(expr.left, positive, program, found)
        _find_thresholds(expr.right, positive, program, found)
        return
    if isinstance(expr, t.Unary) and expr.op == "not":
        _find_thresholds(expr.operand, not positive, program, found)
        return
    if not (isinstance(expr, t.Binary) and expr.op in ("<", "<=", ">", ">=")):
        return
    ty = program.type_of(expr.left)
    if ty.kind not in ("number", "days", "months", "date"):
        return
    fact, limit, op = expr.left, expr.right, expr.op
    if not _has_facts(expr.left, program) and _has_facts(expr.right, program):
        fact, limit = expr.right, expr.left
        op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
    unit_type = Type("days") if ty.kind == "date" else program.type_of(fact)
    params = [n.name for n in _names(limit) if program.resolved.get(id(n), ("",))[0] == "parameter"]
    found.append(_Threshold(expr, positive, fact, limit, op, ty.kind, program.type_of(fact), program.type_of(limit),
                            unit_type, "days" if ty.kind == "date" else (unit_type.unit or unit_type.kind),
                            params[0] if params else None, format_expr(expr), format_expr(fact)))
_STATIC: dict[int, tuple[object, bool]] = {}
_READS: dict[int, tuple[object, dict, dict]] = {}


_BINDERS: dict[int, tuple[object, dict]] = {}


def _binders(program) -> dict[int, object]:
    """id(variable use) -> the quantifier or aggregate that binds it, for a whole program."""
    hit = _BINDERS.get(id(program))
    if hit is None or hit[0] is not program:
        found: dict[int, object] = {}
        roots = [d.expr for d in program.definitions.values()]
        for r in program.rules:
            roots += [r.when, r.requirement]
            roots += [p for p in (r.explain.parts if r.explain else ()) if not isinstance(p, str)]
        for d in program.determinations.values():
            roots += [x for c in d.cases for x in (c.value, c.condition)] + [d.otherwise.value]
        for e in program.exceptions.values():
            roots.append(e.condition)
        for root in roots:
            if root is not None:
                _bind(root, {}, found)
        hit = _BINDERS[id(program)] = (program, found)
    return hit[1]


def _bind(expr, scope, found):
    if isinstance(expr, t.Name):
        if expr.name in scope:
            found[id(expr)] = scope[expr.name]
        return
    if isinstance(expr, (t.Quantified, t.Aggregate)):
        _bind(expr.collection, scope, found)
        inner = {**scope, expr.var: expr} if expr.var else scope
        for part in (expr.where, getattr(expr, "body", None), getattr(expr, "value", None)):
            if part is not None:
                _bind(part, inner, found)
        return
    if isinstance(expr, t.Field):
        _bind(expr.base, scope, found)
        return
    for child in _children(expr):
        _bind(child, scope, found)


def _static(program, expr) -> bool:
    hit = _STATIC.get(id(expr))
    if hit is None or hit[0] is not expr:
        hit = _STATIC[id(expr)] = (expr, is_static(program, expr))
    return hit[1]


def _field_path(expr, program) -> str | None:
    if isinstance(expr, t.Name) and program.resolved.get(id(expr), ("",))[0] == "field":
        return "/" + expr.name
    if isinstance(expr, t.Field):
        base = _field_path(expr.base, program)
        return f"{base}/{expr.name}" if base else None
    return None


def _collect_reads(expr, program, fields, params):
    """The fields a rule reads, and the parameters and determinations (as `det:name`) it uses."""
    path = _field_path(expr, program)
    if path is not None:
        fields[path] = None
        return
    what = program.resolved.get(id(expr), ("",))
    if what[0] == "parameter":
        params[expr.name] = None
    elif what[0] == "determination":
        params["det:" + expr.name] = None
    elif what[0] == "definition":
        _collect_reads(program.definitions[expr.name].expr, program, fields, params)
    for child in _children(expr):
        _collect_reads(child, program, fields, params)
    if isinstance(expr, t.Field):
        _collect_reads(expr.base, program, fields, params)
    for part in ("collection", "where", "body", "value"):
        sub = getattr(expr, part, None) if isinstance(expr, (t.Quantified, t.Aggregate)) else None
        if sub is not None:
            _collect_reads(sub, program, fields, params)


def format_expr(expr) -> str:
    """The canonical text of an expression, cached: trees are immutable and live as long as
    their standards, and the same sub-expressions are shown for every document."""
    hit = _TEXTS.get(id(expr))
    if hit is not None and hit[0] is expr:
        return hit[1]
    text = _format_expr(expr)
    _TEXTS[id(expr)] = (expr, text)
    return text


def _children(expr) -> list:
    if isinstance(expr, t.Binary):
        return [expr.left, expr.right]
    if isinstance(expr, (t.Unary, t.Presence)):
        return [expr.operand]
    if isinstance(expr, t.Conditional):
        return [expr.condition, expr.then, expr.otherwise]
    if isinstance(expr, t.Call):
        return list(expr.args)
    if isinstance(expr, t.ListExpr):
        return list(expr.items)
    return []


def _leaves(expr):
    kids = _children(expr)
    if not kids:
        if isinstance(expr, (t.Name, t.Field)):
            yield expr
        return
    for k in kids:
        yield from _leaves(k)


def _names(expr):
    if isinstance(expr, t.Name):
        yield expr
    for k in _children(expr):
        yield from _names(k)
    if isinstance(expr, t.Field):
        yield from _names(expr.base)


def _has_facts(expr, program) -> bool:
    if isinstance(expr, t.Name):
        return program.resolved.get(id(expr), ("",))[0] in ("field", "var", "definition", "determination")
    if isinstance(expr, t.Field):
        return _has_facts(expr.base, program)
    if isinstance(expr, (t.Quantified, t.Aggregate)):
        return True
    return any(_has_facts(k, program) for k in _children(expr))


def _citation(c: t.Citation) -> dict:
    return {"text": c.text, "url": c.url}
