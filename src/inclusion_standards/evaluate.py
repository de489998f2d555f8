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

from datetime import date
from decimal import Decimal

from . import __version__, tree as t
from .compiler import CANNOT_JUDGE, EXCEPTED, FAIL, NOT_APPLICABLE, PASS, CompiledPlan
from .formatter import format_expr
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
             include_trace: bool = True, bound: tuple | None = None) -> dict:
    """The full, explained result for one document (see schemas/result.schema.json)."""
    plan = standards.compiled.plans[document_type]
    params, param_info = bound if bound is not None else parameters(standards, as_of)
    memo: dict = {}
    recorder = Recorder()
    explainer = _Explainer(standards, plan, recorder, param_info, memo, data, params)
    determinations = []
    for det, _, traced in plan.determinations:
        value = traced(data, params, memo, recorder)
        determinations.append(explainer.determination(det, value, include_trace))
    findings = []
    for rule, _, traced in plan.rules:
        status = traced(data, params, memo, recorder)
        findings.append(explainer.finding(rule, status, include_trace))
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
    illustrative = sorted({p for f in [*findings, *determinations] for p in f["illustrative"]})
    return {
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
        self.values = recorder.values
        self.param_info = param_info
        self.memo = memo
        self.data = data
        self.params = params

    # ---- findings -------------------------------------------------------------------------
    def finding(self, rule: t.Rule, status: str, include_trace: bool) -> dict:
        facts: dict[str, None] = {}
        missing: dict[str, None] = {}
        used_params: dict[str, None] = {}
        when = self.node(rule.when, (), {}, facts, missing, used_params) if rule.when is not None else None
        requirement = None
        if status != NOT_APPLICABLE and rule.requirement is not None and not (
                status == CANNOT_JUDGE and when is not None and when.get("value") is None):
            requirement = self.node(rule.requirement, (), {}, facts, missing, used_params)
        exceptions = []
        applied = self.memo.get(f"exc:{rule.id}")
        if status in (EXCEPTED, FAIL, CANNOT_JUDGE):
            for exc in self.program.exceptions_to(rule.id):
                if exc.id in self.plan.exceptions:
                    exceptions.append(self.exception(exc, applied, facts, missing, used_params))
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

    def exception(self, exc: t.Exception_, applied: str | None, facts, missing, used_params) -> dict:
        condition = self.node(exc.condition, (), {}, facts, missing, used_params)
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
            elif status == FAIL:
                detail = self.failing_detail(rule.requirement)
                if detail:
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
                v = self.values.get((self.compiled.node_ids[id(expr.body)], ((number, index),)), _NOT_EVALUATED)
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

    def value_of(self, expr, frame=()):
        number = self.compiled.node_ids.get(id(expr))
        return self.values.get((number, frame), _NOT_EVALUATED)

    # ---- near misses ----------------------------------------------------------------------
    def near_misses(self, expr, status: str) -> list[dict]:
        found = []
        self._comparisons(expr, status == PASS, found)
        return found

    def _comparisons(self, expr, want, found):
        if expr is None:
            return
        if isinstance(expr, t.Binary) and expr.op in ("and", "or"):
            for side in (expr.left, expr.right):
                self._comparisons(side, want, found)
            return
        if isinstance(expr, t.Unary) and expr.op == "not":
            self._comparisons(expr.operand, not want, found)
            return
        if not (isinstance(expr, t.Binary) and expr.op in ("<", "<=", ">", ">=")):
            return
        if self.value_of(expr) is not want:
            return
        left, right = self.value_of(expr.left), self.value_of(expr.right)
        ty = self.program.type_of(expr.left)
        if left in (MISSING, _NOT_EVALUATED) or right in (MISSING, _NOT_EVALUATED):
            return
        if ty.kind not in ("number", "days", "months", "date"):
            return
        limit_expr, fact_expr, fact, limit, op = expr.right, expr.left, left, right, expr.op
        if not _has_facts(expr.left, self.program) and _has_facts(expr.right, self.program):
            limit_expr, fact_expr, fact, limit = expr.left, expr.right, right, left
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
        if ty.kind == "date":
            difference = (fact - limit).days
            unit_type = Type("days")
        else:
            difference = fact - limit
            unit_type = self.program.type_of(fact_expr)
        params = [n.name for n in _names(limit_expr) if self.program.resolved.get(id(n), ("",))[0] == "parameter"]
        info = self.param_info.get(params[0]) if params else None
        in_force = ""
        if info is not None:
            in_force = f" in force from {display(info.in_force_from)}"
            if info.illustrative:
                in_force += " (an illustrative figure)"
        fact_text = display(fact, self.program.type_of(fact_expr))
        limit_text = display(limit, self.program.type_of(limit_expr))
        gap = display(abs(difference), unit_type if ty.kind != "date" else Type("days"))
        if ty.kind == "date":
            side = "after" if difference > 0 else "before"
            if difference == 0:
                text = f"{format_expr(fact_expr)} ({fact_text}) falls on the limit, {limit_text}{in_force}."
            else:
                text = (f"{format_expr(fact_expr)} ({fact_text}) is {_plural(abs(difference), 'day')} {side} "
                        f"the limit of {limit_text}{in_force}.")
        else:
            if op in (">", ">="):
                word = "short of" if not want else "above"
            else:
                word = "over" if not want else "below"
            if difference == 0:
                text = f"{fact_text} against a threshold of {limit_text}{in_force}: exactly on it."
            else:
                text = f"{fact_text} against a threshold of {limit_text}{in_force}: {gap} {word} it."
        found.append({
            "expr": format_expr(expr),
            "value": to_json(fact),
            "limit": to_json(limit),
            "difference": to_json(difference),
            "unit": "days" if ty.kind == "date" else (unit_type.unit or unit_type.kind),
            "parameter": params[0] if params else None,
            "text": text,
        })

    # ---- determinations -------------------------------------------------------------------
    def determination(self, det: t.Determination, value, include_trace: bool) -> dict:
        key = f"tdet:{det.name}"
        index = self.memo.get(key + ":case", len(det.cases))
        facts, missing, used = {}, {}, {}
        cases = []
        for i, case in enumerate(det.cases[: index + 1]):
            condition = self.node(case.condition, (), {}, facts, missing, used)
            excepted = self.memo.get(f"excase:{det.name}:{i}")
            cases.append({"case": i + 1, "label": case.label, "value": format_expr(case.value),
                          "held": condition.get("value") if condition.get("evaluated", True) else None,
                          "excepted_by": excepted, "because": case.because, "condition": condition})
        decided = det.cases[index] if index < len(det.cases) else det.otherwise
        undetermined = value is MISSING
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
        ty = self.program.type_of(param.values[-1].value) if param.values else ANY
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

    def node(self, expr, frame, env, facts, missing, used) -> dict:
        number = self.compiled.node_ids.get(id(expr))
        value = self.values.get((number, frame), _NOT_EVALUATED)
        ty = self.program.type_of(expr)
        out: dict = {"expr": format_expr(expr)}
        if value is _NOT_EVALUATED:
            out["evaluated"] = False
            return out
        out["value"] = to_json(value)
        out["display"] = display(value, ty)
        what = self.program.resolved.get(id(expr), ("",))
        pointer = self.pointer(expr, env, frame)
        if pointer is not None and what[0] != "var":
            out["pointer"] = pointer
            if value is MISSING:
                missing[pointer] = None
            else:
                facts[pointer] = None
        if value is MISSING:
            out["missing"] = True
        if what[0] == "parameter":
            used[expr.name] = None
            info = self.param_info[expr.name]
            out["parameter"] = {"name": expr.name, "in_force_from": info.in_force_from.isoformat(),
                                "illustrative": info.illustrative is not None}
        if what[0] in ("definition", "determination"):
            out[what[0]] = expr.name
            if what[0] == "definition":
                out["children"] = [self.node(self.program.definitions[expr.name].expr, (), {}, facts, missing, used)]
            return out
        if isinstance(expr, (t.Name, t.Field, t.Literal, t.Quantity)):
            return out
        if isinstance(expr, (t.Quantified, t.Aggregate)):
            out["children"] = [self.node(expr.collection, frame, env, facts, missing, used)]
            if expr.var is not None:
                out["items"] = self.items(expr, number, frame, env, facts, missing, used)
            return out
        children = [c for c in _children(expr)]
        if children:
            out["children"] = [self.node(c, frame, env, facts, missing, used) for c in children]
        if isinstance(expr, t.Binary) and expr.op == "contains any of" and isinstance(value, bool) and value:
            text, phrases = self.value_of(expr.left, frame), self.value_of(expr.right, frame)
            if isinstance(text, str) and isinstance(phrases, (list, tuple)):
                out["matched"] = matched_phrase(text, phrases)
        return out

    def items(self, expr, number, frame, env, facts, missing, used) -> list[dict]:
        collection = self.values.get((self.compiled.node_ids.get(id(expr.collection)), frame), _NOT_EVALUATED)
        if not isinstance(collection, (list, tuple)):
            return []
        base = self.pointer(expr.collection, env, frame)
        body = expr.body if isinstance(expr, t.Quantified) else expr.value
        shown = []
        for index in range(len(collection)):
            inner = frame + ((number, index),)
            inner_env = {**env, expr.var: f"{base}/{index}" if base is not None else None} if expr.var else env
            where = self.values.get((self.compiled.node_ids.get(id(expr.where)), inner), _NOT_EVALUATED) \
                if expr.where is not None else True
            result = self.values.get((self.compiled.node_ids.get(id(body)), inner), _NOT_EVALUATED) \
                if body is not None else True
            if isinstance(expr, t.Quantified):
                relevant = (result is MISSING or where is MISSING or
                            (expr.quantifier == "every" and result is False) or
                            (expr.quantifier in ("some", "no") and result is True))
                if not relevant:
                    continue
            elif where is False:
                continue
            entry = {"index": index, "pointer": inner_env.get(expr.var) if expr.var else None,
                     "value": to_json(result) if result is not _NOT_EVALUATED else None}
            if expr.where is not None:
                entry["where"] = self.node(expr.where, inner, inner_env, facts, missing, used)
            if body is not None and result is not _NOT_EVALUATED:
                entry["trace"] = self.node(body, inner, inner_env, facts, missing, used)
            shown.append(entry)
            if len(shown) >= MAX_ITEMS_SHOWN:
                break
        return shown


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
