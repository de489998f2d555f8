"""Check stage: resolve names, type every expression against the bound JSON Schemas, and
find the mistakes a policy team makes before any document is judged.

The result is a `Program`: the declarations of one standards set, each name resolved and
each expression typed, plus the diagnostics. Errors stop the pipeline; warnings (a rule
without a citation, an unused parameter) are reported and it goes on.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from . import tree as t
from .diagnostics import Diagnostic, Span, line_of
from .types import (ANY, BOOL, COUNT, DATE, DAYS, MONTHS, TEXT, Type, UNIT_TYPES, from_schema,
                    list_of, orderable, same_family)

TERMS = Type("text", values=("autumn", "spring", "summer"))

# name: (argument types, result type, what it does — for the reference and the checker's hints)
FUNCTIONS: dict[str, tuple[tuple[Type, ...], Type, str]] = {
    "age_on": ((DATE, DATE), MONTHS, "age on a date, in completed months (compare with `16 years`)"),
    "year_group_on": ((DATE, DATE), COUNT,
                      "the national curriculum year group for a date of birth on a date "
                      "(Reception = 0, Year 1 = 1, ...; from the age on 31 August before the school year)"),
    "academic_year": ((DATE,), COUNT, "the calendar year in which the school year of a date began"),
    "start_of_academic_year": ((DATE,), DATE, "1 September of the school year a date falls in"),
    "term": ((DATE,), TERMS, "the school term of a date: autumn, spring or summer"),
    "year_of": ((DATE,), COUNT, "the calendar year of a date"),
    "make_date": ((COUNT, COUNT, COUNT), DATE, "the date for a year, month and day"),
    "length": ((ANY,), COUNT, "the number of items in a list, or characters in a text"),
    "lower": ((TEXT,), TEXT, "a text in lower case"),
}


@dataclass(frozen=True, slots=True)
class Plan:
    """A document type the standards judge, with its JSON Schema."""

    name: str
    title: str | None
    schema_path: str
    schema: dict
    root: Type


@dataclass
class Program:
    """One checked standards set. Built by `check_program`, read by the compiler."""

    header: t.Header
    sources: dict[str, str]  # file path -> text, every file of the set
    plans: dict[str, Plan]
    enumerations: dict[str, t.Enumeration]
    parameters: dict[str, t.Parameter]
    definitions: dict[str, t.Definition]
    determinations: dict[str, t.Determination]
    rules: tuple[t.Rule, ...]
    exceptions: dict[str, t.Exception_]
    tests: tuple[tuple[str, t.Test], ...]  # (file the test is in, test)
    not_judged: tuple[t.NotJudged, ...]
    origin: dict[int, str]  # id(declaration) -> file it came from
    types: dict[int, Type] = field(default_factory=dict)  # id(expr) -> type
    resolved: dict[int, tuple] = field(default_factory=dict)  # id(Name/Field) -> what it names

    def exceptions_to(self, target: str, case: str | None = None) -> list[t.Exception_]:
        return [e for e in self.exceptions.values() if e.target == target and e.target_case == case]

    def type_of(self, expr: t.Expr) -> Type:
        return self.types.get(id(expr), ANY)


def check_program(modules: list[t.Module], schema_dirs: Iterable[Path],
                  sources: dict[str, str]) -> tuple[Program | None, tuple[Diagnostic, ...]]:
    """Check the modules of one standards set (the entry file first, then its imports)."""
    checker = _Checker(modules, list(schema_dirs), sources)
    program = checker.run()
    return program, tuple(checker.diagnostics)


class _Checker:
    def __init__(self, modules: list[t.Module], schema_dirs: list[Path], sources: dict[str, str]):
        self.modules = modules
        self.schema_dirs = schema_dirs
        self.sources = sources
        self.diagnostics: list[Diagnostic] = []
        self.origin: dict[int, str] = {}
        self.types: dict[int, Type] = {}
        self.resolved: dict[int, tuple] = {}
        self.used: set[str] = set()

    # ---- reporting --------------------------------------------------------------------
    def report(self, severity, code, message, node=None, source=None, hint=None, expected=None):
        span = getattr(node, "span", None) if node is not None else None
        if span is not None and span.line == 0:
            span = None
        text = self.sources.get(source or "")
        self.diagnostics.append(Diagnostic(
            severity, code, message, source=source, span=span, expected=expected, hint=hint,
            source_line=line_of(text, span.line) if (text and span) else None))

    def error(self, code, message, node=None, source=None, **kw):
        self.report("error", code, message, node, source, **kw)

    def warn(self, code, message, node=None, source=None, **kw):
        self.report("warning", code, message, node, source, **kw)

    # ---- the whole set ----------------------------------------------------------------
    def run(self) -> Program | None:
        headers, plans, enums, params, defs, dets, rules, excs, tests = [], {}, {}, {}, {}, {}, [], {}, []
        not_judged: list[t.NotJudged] = []
        names: dict[str, str] = {}
        named = {t.Enumeration: ("enumeration", enums), t.Parameter: ("parameter", params),
                 t.Definition: ("definition", defs), t.Determination: ("determination", dets)}
        for module in self.modules:
            src = module.source
            for item in module.items:
                self.origin[id(item)] = src
                if isinstance(item, t.Header):
                    headers.append(item)
                elif isinstance(item, t.PlanBinding):
                    self._declare(names, item.name, "plan", item, src)
                    plan = self._load_plan(item, src)
                    if plan:
                        plans[item.name] = plan
                elif type(item) in named:
                    kind, table = named[type(item)]
                    self._declare(names, item.name, kind, item, src)
                    table[item.name] = item
                elif isinstance(item, t.Rule):
                    rules.append(item)
                elif isinstance(item, t.Exception_):
                    excs[item.id] = item
                elif isinstance(item, t.Test):
                    tests.append((src, item))
                elif isinstance(item, t.NotJudged):
                    not_judged.append(item)
        if not headers:
            self.error("NIS-C010", "no `standards` header: say which standards these are",
                       source=self.modules[0].source if self.modules else None,
                       hint='start the entry file with: standards "id" version "1.0" effective from 2029-09-01')
            return None
        if len(headers) > 1:
            for extra in headers[1:]:
                self.error("NIS-C010", "a standards set has one header; this is a second one", extra,
                           self.origin[id(extra)], hint="imported files hold declarations only")
        header = headers[0]
        if header.version is None or header.effective_from is None:
            self.error("NIS-C010", "the standards header needs a `version` and an `effective from` date",
                       header, self.origin[id(header)])
        self.plans, self.enums, self.params, self.defs, self.dets = plans, enums, params, defs, dets
        self.excs, self.header = excs, header
        seen_ids: dict[str, t.Rule | t.Exception_] = {}
        for node in [*rules, *excs.values()]:
            key = node.id
            if key in seen_ids:
                self.error("NIS-C004", f"the id `{key}` is used twice", node, self.origin[id(node)],
                           hint="every rule and exception needs its own id; tests and reports refer to it")
            seen_ids[key] = node
        for param in params.values():
            self._check_parameter(param)
        self._order_checks = []
        self.in_progress: list[str] = []
        self.done: set[str] = set()
        self.name_types: dict[tuple[str, str], Type] = {}
        for rule in rules:
            self._check_rule(rule)
        for det in dets.values():
            for plan in self._plans_for(det, det.applies_to):
                self._named_type(det.name, plan, det)
        for exc in excs.values():
            self._check_exception(exc, seen_ids)
        for d in defs.values():
            if not any(k[0] == d.name for k in self.name_types):
                for plan in self._plans_for(d, d.applies_to):
                    self._named_type(d.name, plan, d)
        for note in not_judged:
            if note.applies_to:
                self._plans_for(note, note.applies_to)
            if not note.citations:
                self.warn("NIS-W001", "this `not judged` statement cites no source", note, self.origin[id(note)],
                          hint='add `cite "..."` naming the duty nis leaves unjudged')
        self._check_tests(tests, rules, dets)
        self._check_unused(params, defs)
        return Program(header, dict(self.sources), plans, enums, params, defs, dets, tuple(rules),
                       excs, tuple(tests), tuple(not_judged), self.origin, self.types, self.resolved)

    def _declare(self, names, name, kind, node, src):
        if name in names:
            self.error("NIS-C004", f"`{name}` is declared twice (already a {names[name]})", node, src,
                       hint="rename one of them; names are shared by every file of a standards set")
        names[name] = kind

    def _load_plan(self, item: t.PlanBinding, src: str) -> Plan | None:
        candidates = [Path(src).parent / item.schema] + [d / item.schema for d in self.schema_dirs]
        for path in candidates:
            if path.is_file():
                try:
                    schema = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    self.error("NIS-C008", f"cannot read the schema `{item.schema}`: {exc}", item, src)
                    return None
                return Plan(item.name, item.title, str(path), schema, from_schema(schema, schema))
        self.error("NIS-C008", f"no schema file `{item.schema}` for the plan `{item.name}`", item, src,
                   hint="schemas are looked up beside the standards file and in the schemas/ folder")
        return None

    def _plans_for(self, node, applies_to: tuple[str, ...]) -> list[str]:
        if not applies_to:
            if len(self.plans) == 1:
                return list(self.plans)
            if isinstance(node, (t.Rule, t.Determination)):
                self.error("NIS-C008", "say which plans this applies to", node, self.origin.get(id(node)),
                           hint="add a clause such as `applies to isp`")
            return list(self.plans)
        known = []
        for name in applies_to:
            if name in self.plans:
                known.append(name)
            else:
                self.error("NIS-C008", f"unknown plan type `{name}`", node, self.origin.get(id(node)),
                           hint=self._did_you_mean(name, self.plans) or "declare it with `plan NAME schema \"file\"`")
        return known

    # ---- parameters -------------------------------------------------------------------
    def _check_parameter(self, param: t.Parameter):
        src = self.origin[id(param)]
        starts = [v.start for v in param.values]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            self.error("NIS-C005", f"the dated values of `{param.name}` must be in date order, one per date",
                       param, src)
        types = []
        for value in param.values:
            if value.value is None:
                continue
            if not _is_constant(value.value):
                self.error("NIS-C003", f"a value of `{param.name}` must be written out (a number, quantity, "
                           "date, text or list of them), not computed", value.value, src)
            ty = self.expr(value.value, {}, None, src)
            types.append(ty)
            if param.unit and ty.kind != "any" and not same_family(ty, UNIT_TYPES[param.unit]):
                self.error("NIS-C003", f"`{param.name}` is in {param.unit}, but this value is {ty.describe()}",
                           value.value, src, hint=f"write the value with its unit, e.g. 3 {param.unit}")
        for a, b in zip(types, types[1:]):
            if not same_family(a, b):
                self.error("NIS-C003", f"the values of `{param.name}` change type from {a.describe()} to "
                           f"{b.describe()}", param, src)
        header = self.header
        if header.effective_from and starts and starts[0] > header.effective_from:
            self.error("NIS-C005",
                       f"`{param.name}` has no value in force from {header.effective_from.isoformat()} "
                       f"(the standards' effective date) until {(starts[0] - timedelta(days=1)).isoformat()}",
                       param, src, hint=f"add `from {header.effective_from.isoformat()}: ...` or start the "
                                        "standards later")
        if not param.citations and not any(v.citation for v in param.values):
            self.warn("NIS-W001", f"the parameter `{param.name}` cites no source", param, src,
                      hint='add `cite "..."` naming the Act, regulation, Code paragraph or paper it comes from')

    def parameter_type(self, name: str) -> Type:
        values = [v.value for v in self.params[name].values if v.value is not None]
        return self.types.get(id(values[-1]), ANY) if values else ANY

    # ---- rules, determinations, definitions, exceptions -------------------------------
    def _check_rule(self, rule: t.Rule):
        src = self.origin[id(rule)]
        if rule.requirement is None:
            self.error("NIS-C011", f"the rule `{rule.id}` states no requirement", rule, src,
                       hint="add `must CONDITION` (an error when it fails) or `should CONDITION` (a warning)")
        if not rule.citations:
            self.warn("NIS-W001", f"the rule `{rule.id}` cites no source", rule, src,
                      hint='add `cite "..."`: a tribunal will ask which clause the rule rests on')
        for plan in self._plans_for(rule, rule.applies_to):
            scope = {}
            if rule.when is not None:
                self._condition(rule.when, scope, plan, src, "the `when` condition")
            if rule.requirement is not None:
                self._condition(rule.requirement, scope, plan, src, "the requirement")
            if rule.explain is not None:
                self._template(rule.explain, plan, src)

    def _check_determination(self, det: t.Determination, plan: str) -> Type:
        src = self.origin[id(det)]
        value_type = None
        for case in det.cases:
            self._condition(case.condition, {}, plan, src, "a case's condition")
            ty = self.expr(case.value, {}, plan, src)
            value_type = self._unify(value_type, ty, case.value, src, det.name)
        if det.otherwise is not None:
            ty = self.expr(det.otherwise.value, {}, plan, src)
            value_type = self._unify(value_type, ty, det.otherwise.value, src, det.name)
        else:
            self.error("NIS-C011", f"the determination `{det.name}` needs an `otherwise` value", det, src)
        if det.explain is not None:
            self._template(det.explain, plan, src)
        if not det.citations and not any(c.citation for c in det.cases):
            self.warn("NIS-W001", f"the determination `{det.name}` cites no source", det, src,
                      hint='add `cite "..."`')
        labels = [c.label for c in det.cases if c.label]
        if len(labels) != len(set(labels)):
            self.error("NIS-C004", f"two cases of `{det.name}` have the same label", det, src)
        return value_type or ANY

    def _unify(self, current, ty, node, src, name):
        if current is None or current.kind == "any":
            return ty
        if not same_family(current, ty):
            self.error("NIS-C003", f"the cases of `{name}` give values of different types: "
                       f"{current.describe()} and {ty.describe()}", node, src)
        return current

    def _check_exception(self, exc: t.Exception_, ids: dict):
        src = self.origin[id(exc)]
        target = ids.get(exc.target)
        if target is None and exc.target in self.dets:
            det = self.dets[exc.target]
            if exc.target_case is None or exc.target_case not in {c.label for c in det.cases}:
                self.error("NIS-C007", f"`{exc.target}` has no case labelled `{exc.target_case}`", exc, src,
                           hint="label the case: `case VALUE as LABEL when ...`, then write `to "
                                f"{exc.target}.LABEL`")
            plans = self._plans_for(det, det.applies_to)
        elif target is None:
            self.error("NIS-C007", f"the exception `{exc.id}` is to `{exc.target}`, which is not a rule, "
                       "an exception or a determination", exc, src,
                       hint=self._did_you_mean(exc.target, [*ids, *self.dets]))
            return
        else:
            plans = self._applies_of(target)
        if not exc.citations:
            self.warn("NIS-W001", f"the exception `{exc.id}` cites no source", exc, src,
                      hint='add `cite "..."` naming the clause that makes the exception')
        chain, node = [exc.id], exc
        while node.target in self.excs:
            node = self.excs[node.target]
            if node.id in chain:
                self.error("NIS-C007", "exceptions form a cycle: " + " → ".join(chain + [node.id]), exc, src)
                break
            chain.append(node.id)
        for plan in plans:
            self._condition(exc.condition, {}, plan, src, "the exception's condition")
            if exc.explain is not None:
                self._template(exc.explain, plan, src)

    def _applies_of(self, node) -> list[str]:
        if isinstance(node, t.Rule):
            return self._plans_for(node, node.applies_to)
        target = self.excs.get(node.target)
        if target is not None and target is not node:
            return self._applies_of(target)
        rule = next((r for r in self._all_rules() if r.id == node.target), None)
        return self._plans_for(rule, rule.applies_to) if rule else list(self.plans)

    def _all_rules(self):
        for module in self.modules:
            for item in module.items:
                if isinstance(item, t.Rule):
                    yield item

    def _named_type(self, name: str, plan: str, node) -> Type:
        """The type of a definition or determination for one plan (checked once, cycles found)."""
        key = (name, plan)
        if key in self.name_types:
            return self.name_types[key]
        if name in self.in_progress:
            cycle = self.in_progress[self.in_progress.index(name):] + [name]
            self.error("NIS-C006", "definitions depend on each other in a cycle: " + " → ".join(cycle), node,
                       self.origin.get(id(node)), hint="a definition cannot, directly or not, use itself")
            return ANY
        self.in_progress.append(name)
        try:
            if name in self.defs:
                d = self.defs[name]
                ty = self.expr(d.expr, {}, plan, self.origin[id(d)])
            else:
                ty = self._check_determination(self.dets[name], plan)
        finally:
            self.in_progress.pop()
        self.name_types[key] = ty
        return ty

    def _condition(self, expr, scope, plan, src, what):
        ty = self.expr(expr, scope, plan, src)
        if ty.kind not in ("bool", "any"):
            self.error("NIS-C003", f"{what} must be a yes/no condition, but it is {ty.describe()}", expr, src,
                       hint="compare the value with something, e.g. `x >= 3` or `x is present`")

    def _template(self, template: t.Template, plan, src):
        for part in template.parts:
            if not isinstance(part, str):
                self.expr(part, {}, plan, src)

    # ---- tests and unused declarations -----------------------------------------------
    def _check_tests(self, tests, rules, dets):
        ids = {r.id for r in rules} | set(self.excs)
        for src, test in tests:
            if test.document is None and test.inline_text is None:
                self.error("NIS-C014", f"the test \"{test.name}\" has no document", test, src,
                           hint='add `document "path/to/plan.yaml"` or an inline document')
            if not test.expectations:
                self.warn("NIS-W003", f"the test \"{test.name}\" expects nothing", test, src)
            for exp in test.expectations:
                if exp.kind == "finding" and exp.target not in ids:
                    self.error("NIS-C014", f"the test expects a finding of `{exp.target}`, which is not a rule",
                               exp, src, hint=self._did_you_mean(exp.target, ids))
                if exp.kind == "determination":
                    if exp.target not in dets:
                        self.error("NIS-C014", f"`{exp.target}` is not a determination", exp, src,
                                   hint=self._did_you_mean(exp.target, dets))
                    self.expr(exp.value, {}, None, src)

    def _check_unused(self, params, defs):
        for name, node in [*params.items(), *defs.items()]:
            if name not in self.used:
                kind = "parameter" if name in params else "definition"
                self.warn("NIS-W002", f"the {kind} `{name}` is never used", node, self.origin[id(node)],
                          hint="remove it, or use it in a rule")

    # ---- expressions ------------------------------------------------------------------
    def expr(self, e: t.Expr, scope: dict[str, Type], plan: str | None, src: str) -> Type:
        ty = self._expr(e, scope, plan, src)
        self.types[id(e)] = ty
        return ty

    def _expr(self, e, scope, plan, src) -> Type:
        if isinstance(e, t.Literal):
            v = e.value
            if isinstance(v, bool):
                return BOOL
            if isinstance(v, str):
                return TEXT
            if isinstance(v, date):
                return DATE
            return COUNT
        if isinstance(e, t.Quantity):
            return UNIT_TYPES[e.unit]
        if isinstance(e, t.Name):
            return self._name(e, scope, plan, src)
        if isinstance(e, t.Field):
            return self._field(e, scope, plan, src)
        if isinstance(e, t.ListExpr):
            element = None
            for item in e.items:
                ty = self.expr(item, scope, plan, src)
                if element is None:
                    element = ty
                elif not same_family(element, ty):
                    self.error("NIS-C003", f"a list mixes {element.describe()} and {ty.describe()}", item, src)
            return list_of(element or ANY)
        if isinstance(e, t.Unary):
            ty = self.expr(e.operand, scope, plan, src)
            if e.op == "not":
                self._expect_bool(ty, e.operand, src, "`not`")
                return BOOL
            if ty.kind not in ("number", "days", "months", "any"):
                self.error("NIS-C003", f"cannot negate {ty.describe()}", e, src)
            return ty
        if isinstance(e, t.Binary):
            return self._binary(e, scope, plan, src)
        if isinstance(e, t.Presence):
            self.expr(e.operand, scope, plan, src)
            return BOOL
        if isinstance(e, t.Conditional):
            self._expect_bool(self.expr(e.condition, scope, plan, src), e.condition, src, "`if`")
            a = self.expr(e.then, scope, plan, src)
            b = self.expr(e.otherwise, scope, plan, src)
            if not same_family(a, b):
                self.error("NIS-C003", f"the two branches give {a.describe()} and {b.describe()}", e, src)
            return a if a.kind != "any" else b
        if isinstance(e, t.Quantified):
            element = self._collection(e.collection, scope, plan, src)
            inner = {**scope, e.var: element}
            if e.where is not None:
                self._expect_bool(self.expr(e.where, inner, plan, src), e.where, src, "`where`")
            self._expect_bool(self.expr(e.body, inner, plan, src), e.body, src, f"`{e.quantifier}`")
            return BOOL
        if isinstance(e, t.Aggregate):
            element = self._collection(e.collection, scope, plan, src)
            inner = {**scope, e.var: element} if e.var else scope
            if e.where is not None:
                self._expect_bool(self.expr(e.where, inner, plan, src), e.where, src, "`where`")
            if e.kind == "count":
                return COUNT
            ty = self.expr(e.value, inner, plan, src)
            if e.kind == "list":
                return list_of(ty)
            if e.kind == "sum" and ty.kind not in ("number", "days", "months", "any"):
                self.error("NIS-C003", f"cannot add up {ty.describe()}", e.value, src)
            if e.kind in ("min", "max") and not orderable(ty):
                self.error("NIS-C003", f"`{e.kind}` needs values that can be ordered, not {ty.describe()}",
                           e.value, src)
            return ty
        if isinstance(e, t.Call):
            return self._call(e, scope, plan, src)
        raise AssertionError(type(e))  # pragma: no cover

    def _collection(self, e, scope, plan, src) -> Type:
        ty = self.expr(e, scope, plan, src)
        if ty.kind == "list":
            return ty.element or ANY
        if ty.kind != "any":
            self.error("NIS-C003", f"expected a list here, but this is {ty.describe()}", e, src)
        return ANY

    def _expect_bool(self, ty, node, src, where):
        if ty.kind not in ("bool", "any"):
            self.error("NIS-C003", f"{where} needs a yes/no condition, but this is {ty.describe()}", node, src)

    def _name(self, e: t.Name, scope, plan, src) -> Type:
        name = e.name
        if name in scope:
            self.resolved[id(e)] = ("var", name)
            return scope[name]
        if name == "as_of":
            self.resolved[id(e)] = ("as_of",)
            return DATE
        if name in self.defs or name in self.dets:
            self.used.add(name)
            kind = "definition" if name in self.defs else "determination"
            self.resolved[id(e)] = (kind, name)
            node = self.defs.get(name) or self.dets.get(name)
            if plan is None:
                return ANY
            applies = node.applies_to
            if applies and plan not in applies:
                self.error("NIS-C001", f"`{name}` is defined for {', '.join(applies)}, not for {plan}", e, src)
                return ANY
            return self._named_type(name, plan, node)
        if name in self.params:
            self.used.add(name)
            self.resolved[id(e)] = ("parameter", name)
            return self.parameter_type(name)
        if name in self.enums:
            self.resolved[id(e)] = ("enumeration", name)
            return Type("enum", name=name)
        if plan is not None and plan in self.plans:
            root = self.plans[plan].root
            ty = root.field_type(name)
            if ty is not None:
                self.resolved[id(e)] = ("field", name, name in root.required and not ty.nullable)
                return ty
        candidates = [*scope, *self.defs, *self.dets, *self.params, *self.enums, "as_of"]
        if plan in self.plans:
            candidates += self.plans[plan].root.field_names()
        where = f" in the {plan} schema" if plan else ""
        self.error("NIS-C001", f"unknown name `{name}`{where}", e, src,
                   hint=self._did_you_mean(name, candidates) or
                   "a name is a document field, a definition, a parameter, a determination or a variable")
        return ANY

    def _field(self, e: t.Field, scope, plan, src) -> Type:
        if isinstance(e.base, t.Name) and e.base.name in self.enums and e.base.name not in scope:
            enum = self.enums[e.base.name]
            self.resolved[id(e.base)] = ("enumeration", enum.name)
            members = [m.name for m in enum.members]
            if e.name not in members:
                self.error("NIS-C001", f"the enumeration {enum.name} has no member `{e.name}`", e, src,
                           hint=self._did_you_mean(e.name, members) or "members: " + ", ".join(members))
            self.resolved[id(e)] = ("member", enum.name, e.name)
            self.types[id(e.base)] = Type("enum", name=enum.name)
            return Type("enum", name=enum.name, values=tuple(members))
        base = self.expr(e.base, scope, plan, src)
        if base.kind == "any":
            self.resolved[id(e)] = ("field", e.name, False)
            return ANY
        if base.kind != "record":
            self.error("NIS-C003", f"`.{e.name}`: {base.describe()} has no fields", e, src)
            return ANY
        ty = base.field_type(e.name)
        if ty is None:
            path = base.name if base.name and base.name != "/" else ""
            self.error("NIS-C002", f"the {plan or 'document'} schema has no field `{e.name}` under "
                       f"{path or '/'}", e, src,
                       hint=self._did_you_mean(e.name, base.field_names()) or
                       "fields here: " + ", ".join(base.field_names()))
            return ANY
        self.resolved[id(e)] = ("field", e.name, e.name in base.required and not ty.nullable)
        return ty

    def _binary(self, e: t.Binary, scope, plan, src) -> Type:
        op = e.op
        left = self.expr(e.left, scope, plan, src)
        right = self.expr(e.right, scope, plan, src)
        if op in ("and", "or"):
            self._expect_bool(left, e.left, src, f"`{op}`")
            self._expect_bool(right, e.right, src, f"`{op}`")
            return BOOL
        if op in ("=", "!=", "<", "<=", ">", ">="):
            if not same_family(left, right):
                self.error("NIS-C003", f"cannot compare {left.describe()} with {right.describe()}", e, src,
                           hint=self._unit_hint(left, right))
            elif op not in ("=", "!=") and not (orderable(left) and orderable(right)):
                self.error("NIS-C003", f"`{op}` needs values that can be ordered, not {left.describe()}", e, src)
            self._check_text_value(left, e.right, src)
            self._check_text_value(right, e.left, src)
            return BOOL
        if op in ("in", "not in"):
            if right.kind not in ("list", "any"):
                self.error("NIS-C003", f"`{op}` needs a list on its right, not {right.describe()}", e.right, src)
            elif right.element is not None and not same_family(left, right.element):
                self.error("NIS-C003", f"cannot look for {left.describe()} in {right.describe()}", e, src)
            if isinstance(e.right, t.ListExpr):
                for item in e.right.items:
                    self._check_text_value(left, item, src)
            return BOOL
        if op in ("contains", "contains any of"):
            if left.kind not in ("text", "list", "any"):
                self.error("NIS-C003", f"`{op}` needs a text or a list on its left, not {left.describe()}",
                           e.left, src)
            if op == "contains any of" and right.kind not in ("list", "any"):
                self.error("NIS-C003", "`contains any of` needs a list of texts on its right", e.right, src)
            return BOOL
        return self._arith(e, left, right, src)

    def _arith(self, e, left, right, src) -> Type:
        op = e.op
        if left.kind == "any" or right.kind == "any":
            return left if right.kind == "any" else right
        if left.kind == "date":
            if op == "-" and right.kind == "date":
                return DAYS
            if op in ("+", "-") and right.kind in ("days", "months"):
                return DATE
            self.error("NIS-C003", f"cannot {_verb(op)} {right.describe()} to a date", e, src,
                       hint="a date moves by a duration: `d + 20 weeks`, `d - 12 months`; two dates "
                            "subtract to a number of days")
            return ANY
        if right.kind == "date":
            if op == "+" and left.kind in ("days", "months"):
                return DATE
            self.error("NIS-C003", f"cannot {_verb(op)} a date and {left.describe()}", e, src)
            return ANY
        if op in ("+", "-"):
            if left.kind in ("days", "months", "number") and same_family(left, right):
                return left
            self.error("NIS-C003", f"cannot {_verb(op)} {left.describe()} and {right.describe()}", e, src,
                       hint=self._unit_hint(left, right))
            return ANY
        if op == "*":
            if left.kind in ("number", "days", "months") and right == COUNT:
                return left
            if right.kind in ("number", "days", "months") and left == COUNT:
                return right
        if op == "/":
            if left.kind in ("number", "days", "months") and right == COUNT:
                return left
            if same_family(left, right) and left.kind in ("number", "days", "months"):
                return COUNT
        self.error("NIS-C003", f"cannot {_verb(op)} {left.describe()} and {right.describe()}", e, src,
                   hint=self._unit_hint(left, right))
        return ANY

    def _call(self, e: t.Call, scope, plan, src) -> Type:
        spec = FUNCTIONS.get(e.function)
        args = [self.expr(a, scope, plan, src) for a in e.args]
        if spec is None:
            self.error("NIS-C012", f"unknown function `{e.function}`", e, src,
                       hint=self._did_you_mean(e.function, FUNCTIONS) or "functions: " + ", ".join(FUNCTIONS))
            return ANY
        params, result, _ = spec
        if len(args) != len(params):
            self.error("NIS-C012", f"`{e.function}` takes {len(params)} value(s), not {len(args)}", e, src,
                       hint=spec[2])
            return result
        for arg, want, node in zip(args, params, e.args):
            if want.kind != "any" and not same_family(arg, want):
                self.error("NIS-C003", f"`{e.function}` needs {want.describe()} here, not {arg.describe()}",
                           node, src, hint=spec[2])
        return result

    def _check_text_value(self, ty: Type, node, src):
        """A text (or enumeration member) compared with a field that has listed values must be
        one of them: `layer = "targetted"` is a typo the schema can catch."""
        if not ty.values or ty.kind != "text":
            return
        what = self.resolved.get(id(node))
        if what and what[0] == "member":
            if what[2] not in ty.values:
                self.error("NIS-C013", f"{what[1]}.{what[2]} is not a value this field can take", node, src,
                           expected="one of " + ", ".join(f'"{v}"' for v in ty.values),
                           hint=self._did_you_mean(what[2], ty.values))
            return
        if not isinstance(node, t.Literal) or not isinstance(node.value, str):
            return
        if node.value not in ty.values:
            self.error("NIS-C013", f"\"{node.value}\" is not a value this field can take", node, src,
                       expected="one of " + ", ".join(f'"{v}"' for v in ty.values),
                       hint=self._did_you_mean(node.value, ty.values))

    def _unit_hint(self, a: Type, b: Type) -> str | None:
        kinds = {a.kind, b.kind}
        if kinds == {"days", "months"}:
            return "months have no fixed number of days: compare weeks with weeks or days, months with months or years"
        if "number" in kinds and (a.unit or b.unit) and a.unit != b.unit:
            unit = a.unit or b.unit
            return f"write the number with its unit, e.g. `3 {unit}`"
        return None

    @staticmethod
    def _did_you_mean(name: str, candidates) -> str | None:
        matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
        return f"did you mean `{matches[0]}`?" if matches else None


def _is_constant(e) -> bool:
    if isinstance(e, (t.Literal, t.Quantity)):
        return True
    if isinstance(e, t.ListExpr):
        return all(_is_constant(i) for i in e.items)
    return isinstance(e, t.Unary) and e.op == "-" and _is_constant(e.operand)


def _verb(op: str) -> str:
    return {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}.get(op, op)
