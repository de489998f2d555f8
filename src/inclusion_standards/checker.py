"""Check stage: resolve names, type every expression against the bound JSON Schemas, find the
mistakes a policy team makes, and hand on one checked form per plan (`checked.py`).

A standards set is checked once for each kind of plan it judges: a definition used by ISP
and EHCP rules is typed against each schema in turn, so it can never be compiled with the
wrong plan's field types. Definitions, determinations and exceptions are put in dependency
order with an explicit stack before anything is typed: a cycle is reported (NIS-C006,
NIS-C007), and so is a chain of dependencies deeper than nis evaluates (NIS-C015), never a
recursion crash. Errors stop the pipeline; warnings (a rule without a citation, an unused
parameter) are reported and it goes on.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from . import checked as c
from . import tree as t
from .diagnostics import Diagnostic, Severity, closest, line_of
from .document_reading import pointer
from .files import NotAFile, TooLarge, display_path, inside, read_limited
from .formatter import format_expr
from .runtime import MISSING
from .types import (
    ANY,
    BOOL,
    COUNT,
    DATE,
    DAYS,
    MONTHS,
    TEXT,
    UNIT_SCALE,
    UNIT_TYPES,
    SchemaTooLargeError,
    Type,
    from_schema,
    list_item_type,
    list_of,
    orderable,
    resolve_reference,
    same_family,
)

TERMS = Type("text", values=("autumn", "spring", "summer"))

# How deep a chain of definitions, determinations and exceptions may go (each one using the
# next). Evaluation follows such a chain call by call; real standards go a few levels deep.
MAX_DEPENDENCY_DEPTH = 64
MAX_SCHEMA_FILE = 2 * 1024 * 1024  # as a standards file: a schema is read whole

# name: (argument types, result type, what it does: for the reference and the checker's hints)
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
    "overlap_days": ((DATE, DATE, DATE, DATE), DAYS,
                     "the days two periods have in common, each period's first and last day included "
                     "(0 when they do not meet): overlap_days(from1, to1, from2, to2)"),
    "days_covered": ((list_of(DATE), list_of(DATE), DATE, DATE), DAYS,
                     "the days from a first to a last day, both included, that fall within at least one of "
                     "the periods starts[i]..ends[i]; a day two periods share counts once: "
                     "days_covered(starts, ends, first, last)"),
}


def check_program(modules: list[t.Module], schema_dirs: Iterable[Path], sources: dict[str, str],
                  folder: Path | None = None) -> tuple[c.CheckedStandards | None, tuple[Diagnostic, ...]]:
    """Check the modules of one standards set (the entry file first, then its imports).

    A plan's schema is read only from inside the standards `folder` (when given) or one of
    `schema_dirs`, as imports are: a standards file never makes nis read anything else."""
    checker = _Checker(modules, list(schema_dirs), sources, folder)
    checked = checker.run()
    return checked, tuple(checker.diagnostics)


def schema_lookups_hold(lookups: Iterable[tuple[str, str | None, str]]) -> bool:
    """Whether every place the checker looked for a plan's schema (`CheckedStandards.
    schema_lookups`) still holds what it found: the same file bytes, still no file, still
    outside its folder. A checked form kept between runs is used only if they do."""
    for path_text, root_text, found in lookups:
        path = Path(path_text)
        if root_text is not None and not inside(path, Path(root_text)):
            state = "outside"
        elif path.is_file():
            try:
                state = hashlib.sha256(read_limited(path, MAX_SCHEMA_FILE)).hexdigest()
            except (OSError, TooLarge, NotAFile):
                return False
        else:
            state = "missing"
        if state != found:
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Declared:
    """A declaration and the file it is written in."""

    item: t.Item
    source: str


class _Reporter:
    """Diagnostics with the source line under them."""

    def __init__(self, sources: dict[str, str]):
        self.sources = sources
        self.diagnostics: list[Diagnostic] = []

    def report(self, severity: Severity, code: str, message: str, node: object = None, source: str | None = None,
               hint: str | None = None, expected: str | None = None) -> None:
        span = getattr(node, "span", None) if node is not None else None
        if span is not None and span.line == 0:
            span = None
        text = self.sources.get(source or "")
        self.diagnostics.append(Diagnostic(
            severity, code, message, source=source, span=span, expected=expected, hint=hint,
            source_line=line_of(text, span.line) if (text and span) else None))

    def error(self, code: str, message: str, node: object = None, source: str | None = None,
              hint: str | None = None, expected: str | None = None) -> None:
        self.report("error", code, message, node, source, hint, expected)

    def warn(self, code: str, message: str, node: object = None, source: str | None = None,
             hint: str | None = None) -> None:
        self.report("warning", code, message, node, source, hint)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    match = closest(name, candidates)
    return f"did you mean `{match}`?" if match else None


class _Checker:
    def __init__(self, modules: list[t.Module], schema_dirs: list[Path], sources: dict[str, str],
                 folder: Path | None):
        self.modules = modules
        self.unparsed = frozenset(name for module in modules for name in module.unparsed)
        self.schema_dirs = schema_dirs
        self.folder = folder
        self.sources = sources
        self.out = _Reporter(sources)
        self.diagnostics = self.out.diagnostics
        self.used: set[str] = set()
        self.schema_lookups: list[tuple[str, str | None, str]] = []

    # ---- the whole set ----------------------------------------------------------------
    def run(self) -> c.CheckedStandards | None:
        declared = [_Declared(item, m.source) for m in self.modules for item in m.items]
        headers = [d for d in declared if isinstance(d.item, t.Header)]
        if not headers:
            self.out.error("NIS-C010", "no `standards` header: say which standards these are",
                           source=self.modules[0].source if self.modules else None,
                           hint='start the entry file with: standards "id" version "1.0" effective from 2029-09-01')
            return None
        for extra in headers[1:]:
            self.out.error("NIS-C010", "a standards set has one header; this is a second one", extra.item,
                           extra.source, hint="imported files hold declarations only")
        header = headers[0].item
        assert isinstance(header, t.Header)
        self.header = header
        if header.version is None or header.effective_from is None:
            self.out.error("NIS-C010", "the standards header needs a `version` and an `effective from` date",
                           header, headers[0].source)
        self.plans: dict[str, _Plan] = {}
        self.enums: dict[str, t.Enumeration] = {}
        self.params: dict[str, t.Parameter] = {}
        self.defs: dict[str, t.Definition] = {}
        self.dets: dict[str, t.Determination] = {}
        self.excs: dict[str, t.Exception_] = {}
        self.rules: list[t.Rule] = []
        self.rule_sources: list[str] = []  # the file of each rule, in the same order
        self.exception_sources: list[tuple[str, t.Exception_]] = []
        self.source_of: dict[str, str] = {}  # "name:x" / "id:y" -> file of the first declaration
        tests: list[tuple[str, t.Test]] = []
        not_judged: list[tuple[str, t.NotJudged]] = []
        names: dict[str, str] = {}
        for d in declared:
            item, src = d.item, d.source
            if isinstance(item, t.PlanBinding):
                self._declare(names, item.name, "plan", item, src)
                plan = self._load_plan(item, src)
                if plan:
                    self.plans[item.name] = plan
            elif isinstance(item, t.Enumeration):
                self._declare(names, item.name, "enumeration", item, src)
                self.enums[item.name] = item
            elif isinstance(item, t.Parameter):
                self._declare(names, item.name, "parameter", item, src)
                self.params[item.name] = item
            elif isinstance(item, t.Definition):
                self._declare(names, item.name, "definition", item, src)
                self.defs[item.name] = item
            elif isinstance(item, t.Determination):
                self._declare(names, item.name, "determination", item, src)
                self.dets[item.name] = item
            elif isinstance(item, t.Rule):
                self.rules.append(item)
                self.rule_sources.append(src)
            elif isinstance(item, t.Exception_):
                if item.id not in self.excs:
                    self.excs[item.id] = item
                self.exception_sources.append((src, item))
            elif isinstance(item, t.Test):
                tests.append((src, item))
            elif isinstance(item, t.NotJudged):
                not_judged.append((src, item))
            key = _key(item)
            if key is not None:
                self.source_of.setdefault(key, src)
        seen_ids: dict[str, t.Rule | t.Exception_] = {}
        identified: list[tuple[str, t.Rule | t.Exception_]] = [*zip(self.rule_sources, self.rules, strict=True),
                                                               *self.exception_sources]
        for src, identified_node in identified:
            if identified_node.id in seen_ids:
                self.out.error("NIS-C004", f"the id `{identified_node.id}` is used twice", identified_node, src,
                               hint="every rule and exception needs its own id; tests and reports refer to it")
            else:
                seen_ids[identified_node.id] = identified_node
        self.rule_ids = {r.id for r in self.rules}
        parameters = {name: self._check_parameter(p) for name, p in self.params.items()}
        self.param_types = {name: p.type for name, p in parameters.items()}
        for src, rule in zip(self.rule_sources, self.rules, strict=True):
            self._check_rule_clauses(rule, src)
        for det in self.dets.values():
            self._check_determination_clauses(det)
        for exc in self.excs.values():
            self._check_exception(exc, seen_ids)
        graph = self._dependencies()
        order = self._order(graph)
        checked_plans: dict[str, c.CheckedPlan] = {}
        if order is not None:
            needed = self._plans_needing(graph, order)
            for plan_name, plan in self.plans.items():
                lowering = _Lowering(self, plan)
                for node in order:
                    if plan_name in needed.get(node, ()):
                        lowering.declaration(node)
                for src, rule in zip(self.rule_sources, self.rules, strict=True):
                    if plan_name in self.plans_for(rule, rule.applies_to):
                        lowering.rule(rule, src)
                for det in self.dets.values():
                    if plan_name in self.plans_for(det, det.applies_to):
                        lowering.reported.append(det.name)
                checked_plans[plan_name] = lowering.finish()
        checked_tests = self._check_tests(tests)
        for src, note in not_judged:
            if note.applies_to:
                self.plans_for(note, note.applies_to)
            if not note.citations:
                self.out.warn("NIS-W001", "this `not judged` statement cites no source", note, src,
                              hint='add `cite "..."` naming the duty nis leaves unjudged')
        self._check_unused()
        if any(d.is_error for d in self.diagnostics):
            return None
        return c.CheckedStandards(
            header, dict(self.sources), checked_plans, dict(self.enums), parameters, tuple(self.rules),
            dict(self.excs), dict(self.dets), checked_tests, tuple(n for _, n in not_judged),
            schema_lookups=tuple(self.schema_lookups))

    def src(self, node: t.Item) -> str | None:
        key = _key(node)
        return self.source_of.get(key) if key else None

    def _declare(self, names: dict[str, str], name: str, kind: str, node: t.Item, src: str) -> None:
        if name in names:
            self.out.error("NIS-C004", f"`{name}` is declared twice (already a {names[name]})", node, src,
                           hint="rename one of them; names are shared by every file of a standards set")
        names[name] = kind

    def _load_plan(self, item: t.PlanBinding, src: str) -> _Plan | None:
        beside = Path(src).parent / item.schema
        candidates = [(beside, self.folder)] + [(d / item.schema, d.resolve()) for d in self.schema_dirs]
        for path, root in candidates:
            kept_beside = path == beside  # a schema of the standards' own, not one of nis's
            lookup = (str(path), str(root) if root is not None else None)
            if root is not None and not inside(path, root):
                if root is self.folder:
                    self.out.error("NIS-C008", f"the schema `{item.schema}` is outside the standards folder "
                                   f"{display_path(root)}", item, src,
                                   hint="name a schema inside the standards folder, relative to this file, "
                                        "or one of nis's own (isp.schema.json, ehcp.schema.json)")
                    return None
                self.schema_lookups.append((*lookup, "outside"))
                continue
            if path.is_file():
                try:
                    raw = read_limited(path, MAX_SCHEMA_FILE)
                    schema = json.loads(raw.decode("utf-8"))
                except (OSError, ValueError, TooLarge, NotAFile) as exc:
                    self.out.error("NIS-C008", f"cannot read the schema `{item.schema}`: {exc}", item, src)
                    return None
                self.schema_lookups.append((*lookup, hashlib.sha256(raw).hexdigest()))
                problem = _plan_schema_problem(schema) if kept_beside else None
                if problem is not None:
                    self.out.error("NIS-C008", f"the schema `{item.schema}` cannot be used: {problem}", item, src,
                                   hint="plans are validated against this schema before these standards judge "
                                        "them: it must be a JSON Schema, complete in itself")
                    return None
                try:
                    return _Plan(item.name, item.title, str(path), schema, from_schema(schema, schema))
                except SchemaTooLargeError as exc:
                    self.out.error("NIS-C008", f"the schema `{item.schema}` cannot be used: {exc}", item, src)
                    return None
            self.schema_lookups.append((*lookup, "missing"))
        self.out.error("NIS-C008", f"no schema file `{item.schema}` for the plan `{item.name}`", item, src,
                       hint="schemas are looked up beside the standards file and in the schemas/ folder")
        return None

    def plans_for(self, node: t.Item, applies_to: tuple[str, ...]) -> list[str]:
        if not applies_to:
            if len(self.plans) > 1 and isinstance(node, (t.Rule, t.Determination)):
                self.out.error("NIS-C008", "say which plans this applies to", node, self.src(node),
                               hint="add a clause such as `applies to isp`")
            return list(self.plans)
        known = []
        for name in applies_to:
            if name in self.plans:
                known.append(name)
            else:
                self.out.error("NIS-C008", f"unknown plan type `{name}`", node, self.src(node),
                               hint=did_you_mean(name, self.plans) or "declare it with `plan NAME schema \"file\"`")
        return known

    # ---- parameters -------------------------------------------------------------------
    def _check_parameter(self, param: t.Parameter) -> c.CheckedParameter:
        src = self.src(param)
        starts = [v.start for v in param.values]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            self.out.error("NIS-C005", f"the dated values of `{param.name}` must be in date order, one per date",
                           param, src)
        types: list[Type] = []
        values: list[tuple[date, object]] = []
        for dated in param.values:
            if dated.value is None:
                values.append((dated.start, MISSING))
                continue
            value = constant_value(dated.value)
            if value is None:
                self.out.error("NIS-C003", f"a value of `{param.name}` must be written out (a number, quantity, "
                               "date, text or list of them), not computed", dated.value, src)
                continue
            values.append((dated.start, value))
            ty = constant_type(dated.value)
            types.append(ty)
            if param.unit and ty.kind != "any" and not same_family(ty, UNIT_TYPES[param.unit]):
                self.out.error("NIS-C003", f"`{param.name}` is in {param.unit}, but this value is {ty.describe()}",
                               dated.value, src, hint=f"write the value with its unit, e.g. 3 {param.unit}")
        for a, b in pairwise(types):
            if not same_family(a, b):
                self.out.error("NIS-C003", f"the values of `{param.name}` change type from {a.describe()} to "
                               f"{b.describe()}", param, src)
        header = self.header
        if header.effective_from and starts and starts == sorted(starts) and starts[0] > header.effective_from:
            self.out.error("NIS-C005",
                           f"`{param.name}` has no value in force from {header.effective_from.isoformat()} "
                           f"(the standards' effective date) until {(starts[0] - timedelta(days=1)).isoformat()}",
                           param, src, hint=f"add `from {header.effective_from.isoformat()}: ...` or start the "
                                            "standards later")
        if not param.citations and not any(v.citation for v in param.values):
            self.out.warn("NIS-W001", f"the parameter `{param.name}` cites no source", param, src,
                          hint='add `cite "..."` naming the Act, regulation, Code paragraph or paper it comes from')
        return c.CheckedParameter(param, types[-1] if types else ANY, tuple(values))

    # ---- the order of definitions, determinations and exceptions -----------------------
    def _dependencies(self) -> dict[str, list[str]]:
        """What each definition ("def:x"), determination ("det:x") and exception ("exc:x")
        uses, by the names its expressions use (the same for every plan)."""
        graph: dict[str, list[str]] = {}

        def refs(*exprs: t.Expr | None) -> list[str]:
            found = [self._ref(n) for e in exprs if e is not None for n in free_names(e)]
            return [f for f in found if f]

        for name, d in self.defs.items():
            graph["def:" + name] = refs(d.expr)
        for name, det in self.dets.items():
            deps = []
            for case in det.cases:
                deps += refs(case.condition, case.value)
                if case.label:
                    deps += ["exc:" + e.id for e in self.excs.values()
                             if e.target == name and e.target_case == case.label]
            deps += refs(det.otherwise.value) if det.otherwise else []
            graph["det:" + name] = deps
        for exc in self.excs.values():
            graph["exc:" + exc.id] = refs(exc.condition) + ["exc:" + e.id for e in self.excs.values()
                                                             if e.target == exc.id]
        return graph

    def _order(self, graph: dict[str, list[str]]) -> list[str] | None:
        """Every node after all it uses (an explicit stack, never recursion); None, with the
        cycle or the over-deep chain reported, when there is no such order."""
        ok = True
        cycles: set[frozenset[str]] = set()
        for exc in self.excs.values():
            chain, target = [exc.id], exc
            while target.target in self.excs and len(chain) <= MAX_DEPENDENCY_DEPTH + 1:
                target = self.excs[target.target]
                if target.id in chain:
                    cycle = chain[chain.index(target.id):]
                    if frozenset(cycle) not in cycles:  # each cycle once, from its first member
                        cycles.add(frozenset(cycle))
                        self.out.error("NIS-C007", "exceptions form a cycle: " + " → ".join([*cycle, target.id]),
                                       self.excs[cycle[0]], self.src(self.excs[cycle[0]]))
                    ok = False
                    break
                chain.append(target.id)
        order: list[str] = []
        depth: dict[str, int] = {}
        state: dict[str, int] = {}  # 1 while on the stack, 2 when done
        for start, uses in graph.items():
            if state.get(start):
                continue
            state[start] = 1
            stack: list[tuple[str, Iterator[str]]] = [(start, iter(uses))]
            while stack:
                node, edges = stack[-1]
                nxt = next(edges, None)
                if nxt is None:
                    stack.pop()
                    state[node] = 2
                    depth[node] = 1 + max((depth.get(d, 0) for d in graph[node]), default=0)
                    order.append(node)
                    continue
                if state.get(nxt) == 1:
                    path = [n for n, _ in stack]
                    cycle = [*path[path.index(nxt):], nxt]
                    if not all(p.startswith("exc:") for p in cycle):  # exception cycles are reported above
                        self._cycle(cycle)
                    ok = False
                elif not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, iter(graph[nxt])))
        deepest = max(order, key=lambda n: depth[n], default=None)
        if deepest is not None and depth[deepest] > MAX_DEPENDENCY_DEPTH:
            kind, name = deepest.split(":", 1)
            item: t.Item = self.defs[name] if kind == "def" else self.dets[name] if kind == "det" else self.excs[name]
            self.out.error("NIS-C015", f"`{name}` rests on a chain of {depth[deepest]} definitions, decisions "
                           f"or exceptions, each using the next; nis follows at most {MAX_DEPENDENCY_DEPTH}",
                           item, self.src(item),
                           hint="shorten the chain: compute the value directly, or give it its own rule")
            ok = False
        return order if ok else None

    def _plans_needing(self, graph: dict[str, list[str]], order: list[str]) -> dict[str, set[str]]:
        """For each definition, determination and exception, the plans to type it for: those
        whose rules, results or exceptions reach it, and (to check it at all) its own plans
        when nothing reaches it. A definition bound to other plans is not typed for a plan
        that uses it: the use is reported instead."""
        needed: dict[str, set[str]] = {node: set() for node in graph}
        for rule in self.rules:
            plans = set(self.plans_for(rule, rule.applies_to))
            for ref in self._refs(rule.when, rule.requirement, *self._holes(rule.explain)):
                needed[ref] |= plans
        for name, det in self.dets.items():
            needed["det:" + name] |= set(self.plans_for(det, det.applies_to))
        for exc in self.excs.values():
            needed["exc:" + exc.id] |= set(self._exception_plans(exc))
        for node in reversed(order):  # users come after what they use: walk from the users down
            for dep in graph[node]:
                needed[dep] |= needed[node]
        for node, plans in needed.items():
            kind, name = node.split(":", 1)
            declaration = self.defs.get(name) if kind == "def" else self.dets.get(name) if kind == "det" else None
            if declaration is None:
                continue
            own = set(declaration.applies_to) & set(self.plans) if declaration.applies_to else set(self.plans)
            needed[node] = (plans & own) if plans else own
        return needed

    def _refs(self, *exprs: t.Expr | None) -> list[str]:
        return [r for e in exprs if e is not None for r in (self._ref(n) for n in free_names(e)) if r]

    @staticmethod
    def _holes(template: t.Template | None) -> list[t.Expr]:
        return [p for p in template.parts if not isinstance(p, str)] if template is not None else []

    def _ref(self, name: str) -> str | None:
        if name in self.defs:
            return "def:" + name
        if name in self.dets:
            return "det:" + name
        return None

    def _cycle(self, cycle: list[str]) -> None:
        names = [p.split(":", 1)[1] for p in cycle]
        first = cycle[0]
        kind, name = first.split(":", 1)
        item = self.defs.get(name) if kind == "def" else self.dets.get(name) if kind == "det" else self.excs.get(name)
        self.out.error("NIS-C006", "definitions depend on each other in a cycle: " + " → ".join(names), item,
                       self.src(item) if item else None, hint="a definition cannot, directly or not, use itself")

    # ---- clauses that do not depend on the plan ---------------------------------------
    def _check_rule_clauses(self, rule: t.Rule, src: str) -> None:
        if rule.requirement is None:
            self.out.error("NIS-C011", f"the rule `{rule.id}` states no requirement", rule, src,
                           hint="add `must CONDITION` (an error when it fails) or `should CONDITION` (a warning)")
        if not rule.citations:
            self.out.warn("NIS-W001", f"the rule `{rule.id}` cites no source", rule, src,
                          hint='add `cite "..."`: a tribunal will ask which clause the rule rests on')

    def _check_determination_clauses(self, det: t.Determination) -> None:
        src = self.src(det)
        if det.otherwise is None:
            self.out.error("NIS-C011", f"the determination `{det.name}` needs an `otherwise` value", det, src)
        if not det.citations and not any(case.citation for case in det.cases):
            self.out.warn("NIS-W001", f"the determination `{det.name}` cites no source", det, src,
                          hint='add `cite "..."`')
        labels = [case.label for case in det.cases if case.label]
        if len(labels) != len(set(labels)):
            self.out.error("NIS-C004", f"two cases of `{det.name}` have the same label", det, src)

    def _check_exception(self, exc: t.Exception_, ids: dict[str, t.Rule | t.Exception_]) -> None:
        src = self.src(exc)
        if exc.target not in ids and exc.target in self.dets:
            det = self.dets[exc.target]
            if exc.target_case is None or exc.target_case not in {case.label for case in det.cases}:
                self.out.error("NIS-C007", f"`{exc.target}` has no case labelled `{exc.target_case}`", exc, src,
                               hint="label the case: `case VALUE as LABEL when ...`, then write `to "
                                    f"{exc.target}.LABEL`")
        elif exc.target not in ids:
            self.out.error("NIS-C007", f"the exception `{exc.id}` is to `{exc.target}`, which is not a rule, "
                           "an exception or a determination", exc, src,
                           hint=did_you_mean(exc.target, [*ids, *self.dets]))
            return
        if not exc.citations:
            self.out.warn("NIS-W001", f"the exception `{exc.id}` cites no source", exc, src,
                          hint='add `cite "..."` naming the clause that makes the exception')

    def _exception_plans(self, exc: t.Exception_) -> list[str]:
        node: t.Exception_ = exc
        for _ in range(MAX_DEPENDENCY_DEPTH + 1):
            if node.target in self.excs and self.excs[node.target] is not node:
                node = self.excs[node.target]
                continue
            break
        if node.target in self.dets:
            det = self.dets[node.target]
            return self.plans_for(det, det.applies_to) if det.applies_to else list(self.plans)
        rule = next((r for r in self.rules if r.id == node.target), None)
        return self.plans_for(rule, rule.applies_to) if rule else list(self.plans)

    # ---- tests and unused declarations -----------------------------------------------
    def _check_tests(self, tests: list[tuple[str, t.Test]]) -> tuple[c.CheckedTest, ...]:
        ids = self.rule_ids | set(self.excs)
        out = []
        for src, test in tests:
            if test.document is None and test.inline_text is None:
                self.out.error("NIS-C014", f"the test \"{test.name}\" has no document", test, src,
                               hint='add `document "path/to/plan.yaml"` or an inline document')
            if not test.expectations:
                self.out.warn("NIS-W003", f"the test \"{test.name}\" expects nothing", test, src)
            expectations = []
            for exp in test.expectations:
                value: object = None
                if exp.kind == "finding" and exp.target not in ids:
                    self.out.error("NIS-C014", f"the test expects a finding of `{exp.target}`, which is not a rule",
                                   exp, src, hint=did_you_mean(exp.target, ids))
                if exp.kind == "determination":
                    if exp.target not in self.dets:
                        self.out.error("NIS-C014", f"`{exp.target}` is not a determination", exp, src,
                                       hint=did_you_mean(exp.target, self.dets))
                    value = self._expected_value(exp, src)
                expectations.append(c.CheckedExpectation(exp, value))
            out.append(c.CheckedTest(src, test, tuple(expectations)))
        return tuple(out)

    def _expected_value(self, exp: t.Expectation, src: str) -> object:
        """A test's expected determination value, as the result's JSON gives it."""
        expr = exp.value
        if expr is None:  # `expect NAME undetermined`
            return None
        if isinstance(expr, t.Field) and isinstance(expr.base, t.Name) and expr.base.name in self.enums:
            members = [m.name for m in self.enums[expr.base.name].members]
            if expr.name not in members:
                self.out.error("NIS-C001", f"the enumeration {expr.base.name} has no member `{expr.name}`", expr,
                               src, hint=did_you_mean(expr.name, members) or "members: " + ", ".join(members))
            return expr.name
        value = constant_value(expr)
        if value is None:
            self.out.error("NIS-C014", "a test expects a determination to equal a written-out value (a text, "
                           "number, date, yes/no, enumeration member or a list of them)", exp, src)
        return json_value(value)

    def _check_unused(self) -> None:
        declared: list[tuple[str, t.Parameter | t.Definition]] = [*self.params.items(), *self.defs.items()]
        for name, node in declared:
            if name not in self.used:
                kind = "parameter" if name in self.params else "definition"
                self.out.warn("NIS-W002", f"the {kind} `{name}` is never used", node, self.src(node),
                              hint="remove it, or use it in a rule")


def _plan_schema_problem(schema: object) -> str | None:
    """Why a plan schema kept with the standards cannot be used to validate plans: it is not a
    JSON Schema object, breaks its draft's rules, refers to something outside itself (which nis
    would never fetch) or to nothing, or refers to itself in a loop that never reaches a value."""
    if not isinstance(schema, dict):
        return "a JSON Schema is a JSON object"
    import jsonschema

    try:
        jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator).check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(part) for part in exc.path)
        return exc.message + (f" (at /{where})" if where else "")
    referring: list[str] = []  # where the schema's references are, as references to those places
    pending: list[tuple[str, object]] = [("#", schema)]
    while pending:
        at, node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if resolve_reference(schema, ref) is None:
                    if not ref.startswith("#"):
                        return (f"`$ref: {ref}` refers outside the schema; nis follows only references inside it "
                                "(`#/...`)")
                    return f"`$ref: {ref}` names no part of the schema"
                referring.append(at)
            pending.extend((at + pointer((key,)), value) for key, value in node.items())
        elif isinstance(node, list):
            pending.extend((f"{at}/{i}", value) for i, value in enumerate(node))
    return _reference_loop(schema, referring)


# The keywords whose schemas apply to the value where they stand (the others apply to a part of
# it): a loop of references through these alone would be followed for ever.
_IN_PLACE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas")


def _reference_loop(root: dict[str, object], referring: list[str]) -> str | None:
    """Why validating would loop: a reference that leads back to where it stands through other
    references and in-place keywords, never moving into a part of the value."""
    def next_places(at: str) -> list[str]:
        node = resolve_reference(root, at)
        if not isinstance(node, dict):
            return []
        places = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        for key in _IN_PLACE:
            part = node.get(key)
            if isinstance(part, list):
                places += [f"{at}/{key}/{i}" for i in range(len(part))]
            elif isinstance(part, dict) and key == "dependentSchemas":
                places += [at + pointer((key, name)) for name in part]
            elif part is not None:
                places.append(f"{at}/{key}")
        return places

    state: dict[str, bool] = {}  # a place: True while its walk is under way, False once done
    for start in referring:
        if start in state:
            continue
        state[start] = True
        walk = [(start, iter(next_places(start)))]
        while walk:
            at, places = walk[-1]
            place = next(places, None)
            if place is None:
                state[at] = False
                walk.pop()
            elif state.get(place):
                return f"the reference at `{place}` leads back to itself without reaching a value"
            elif place not in state:
                state[place] = True
                walk.append((place, iter(next_places(place))))
    return None


@dataclass(frozen=True, slots=True)
class _Plan:
    """A document type the standards judge, with its JSON Schema."""

    name: str
    title: str | None
    schema_path: str
    schema: dict[str, object]
    root: Type


@dataclass(frozen=True, slots=True)
class _Bound:
    """A variable in scope: its element type and the number of the node that binds it."""

    type: Type
    binder: int


class _Lowering:
    """Types and resolves the declarations one plan needs, building their checked form."""

    def __init__(self, checker: _Checker, plan: _Plan):
        self.checker = checker
        self.out = checker.out
        self.plan = plan
        self.next_id = 0
        self.rules: list[c.CheckedRule] = []
        self.definitions: dict[str, c.CheckedDefinition] = {}
        self.determinations: dict[str, c.CheckedDetermination] = {}
        self.exceptions: dict[str, c.CheckedException] = {}
        self.reported: list[str] = []
        self.order: list[str] = []  # "def:x" / "det:y" in the order they were finished

    def warn_products(self, root: c.Node | None, node: t.Item, src: str) -> None:
        """NIS-W004: a quantifier or aggregate inside another's items that ranges over a whole
        list of the plan, item by item, and is neither a lookup by key (a join) nor the same for
        every item: its cost grows with the product of the two lists' lengths."""
        if root is None:
            return
        stack: list[tuple[c.Node, int]] = [(root, 0)]
        while stack:
            current, depth = stack.pop()
            if isinstance(current, (c.Quantified, c.Aggregate)):
                if depth and c.reads_outside(current) and not c.reads_outside(current.collection) \
                        and not (isinstance(current, c.Quantified) and c.join_of(current)) \
                        and not _bounded(current.collection.type):
                    self.out.warn("NIS-W004", f"`{current.text}` looks at every item of "
                                  f"{current.collection.text} for each item around it: its cost grows with "
                                  "the product of the two lists' lengths", current.syntax, src,
                                  hint="match by key (`some x in LIST satisfies x.id = y.id`), which nis looks up")
                stack.append((current.collection, depth))
                stack.extend((x, depth + 1) for x in c.children(current) if x is not current.collection)
                continue
            stack.extend((x, depth) for x in c.children(current))

    def finish(self) -> c.CheckedPlan:
        definitions = tuple(self.definitions[k[4:]] for k in self.order if k.startswith("def:"))
        determinations = tuple(self.determinations[k[4:]] for k in self.order if k.startswith("det:"))
        return c.CheckedPlan(self.plan.name, self.plan.title, self.plan.schema, self.plan.root, tuple(self.rules),
                             determinations, definitions, dict(self.exceptions), self.next_id,
                             tuple(self.reported))

    # ---- declarations, lowered in dependency order ------------------------------------
    def declaration(self, node: str) -> None:
        kind, name = node.split(":", 1)
        if kind == "def":
            self.definition(name)
        elif kind == "det":
            self.determination(name)
        else:
            self.exception(name)

    def rule(self, rule: t.Rule, src: str) -> None:
        when = self.condition(rule.when, {}, src, "the `when` condition") if rule.when is not None else None
        requirement = (self.condition(rule.requirement, {}, src, "the requirement")
                       if rule.requirement is not None else None)
        explain = self.template(rule.explain, src)
        excs = self.exceptions_to(rule.id, None)
        self.rules.append(c.CheckedRule(rule, when, requirement, excs, explain, thresholds(requirement)))
        self.warn_products(when, rule, src)
        self.warn_products(requirement, rule, src)

    def exceptions_to(self, target: str, case: str | None) -> tuple[str, ...]:
        """The exceptions to a rule, exception or case, as typed for this plan (each was
        lowered before anything that uses it)."""
        return tuple(e.id for e in self.checker.excs.values()
                     if e.target == target and e.target_case == case and e.id in self.exceptions)

    def exception(self, exc_id: str) -> None:
        exc = self.checker.excs[exc_id]
        src = self.checker.src(exc) or ""
        condition = self.condition(exc.condition, {}, src, "the exception's condition")
        self.warn_products(condition, exc, src)
        self.exceptions[exc_id] = c.CheckedException(exc, condition, self.exceptions_to(exc_id, None),
                                                      self.template(exc.explain, src))

    def definition(self, name: str) -> None:
        d = self.checker.defs[name]
        self.definitions[name] = c.CheckedDefinition(d, self.expr(d.expr, {}, self.checker.src(d) or ""))
        self.warn_products(self.definitions[name].expr, d, self.checker.src(d) or "")
        self.order.append("def:" + name)

    def determination(self, name: str) -> None:
        det = self.checker.dets[name]
        src = self.checker.src(det) or ""
        cases = []
        value_type: Type | None = None
        for case in det.cases:
            condition = self.condition(case.condition, {}, src, "a case's condition")
            value = self.expr(case.value, {}, src)
            value_type = self.unify(value_type, value.type, case.value, src, det.name)
            excs = self.exceptions_to(det.name, case.label) if case.label else ()
            cases.append(c.CheckedCase(case, condition, value, excs))
        otherwise_value = det.otherwise.value if det.otherwise is not None else t.Literal(False)
        otherwise = self.expr(otherwise_value, {}, src)
        value_type = self.unify(value_type, otherwise.type, otherwise_value, src, det.name)
        self.determinations[name] = c.CheckedDetermination(det, tuple(cases), otherwise,
                                                           self.template(det.explain, src), value_type)
        self.order.append("det:" + name)

    def unify(self, current: Type | None, ty: Type, node: t.Expr, src: str, name: str) -> Type:
        if current is None or current.kind == "any":
            return ty
        if not same_family(current, ty):
            self.out.error("NIS-C003", f"the cases of `{name}` give values of different types: "
                           f"{current.describe()} and {ty.describe()}", node, src)
        return current

    def condition(self, expr: t.Expr, scope: dict[str, _Bound], src: str, what: str) -> c.Node:
        node = self.expr(expr, scope, src)
        if node.type.kind not in ("bool", "any"):
            self.out.error("NIS-C003", f"{what} must be a yes/no condition, but it is {node.type.describe()}", expr,
                           src, hint="compare the value with something, e.g. `x >= 3` or `x is present`")
        return node

    def template(self, template: t.Template | None, src: str) -> tuple[c.TemplatePart, ...] | None:
        if template is None:
            return None
        return tuple(part if isinstance(part, str) else self.expr(part, {}, src) for part in template.parts)

    # ---- expressions ------------------------------------------------------------------
    def make(self, cls: type[c.Node], syntax: t.Expr, ty: Type, maybe_missing: bool, **fields: object) -> c.Node:
        self.next_id += 1
        return cls(id=self.next_id, type=ty, syntax=syntax, text=format_expr(syntax), maybe_missing=maybe_missing,
                   **fields)

    def expr(self, e: t.Expr, scope: dict[str, _Bound], src: str) -> c.Node:
        match e:
            case t.Literal(value=v):
                ty = BOOL if isinstance(v, bool) else TEXT if isinstance(v, str) else DATE if isinstance(v, date) \
                    else COUNT
                return self.make(c.Const, e, ty, False, value=v)
            case t.Quantity(amount=amount, unit=unit):
                return self.make(c.Const, e, UNIT_TYPES[unit], False, value=amount * UNIT_SCALE[unit])
            case t.Name():
                return self.name(e, scope, src)
            case t.Field():
                return self.field(e, scope, src)
            case t.ListExpr(items=items):
                nodes = [self.expr(item, scope, src) for item in items]
                element: Type | None = None
                for item, node in zip(items, nodes, strict=True):
                    if element is None:
                        element = node.type
                    elif not same_family(element, node.type):
                        self.out.error("NIS-C003", f"a list mixes {element.describe()} and {node.type.describe()}",
                                       item, src)
                return self.make(c.ListOf, e, list_of(element or ANY), False, items=tuple(nodes))
            case t.Unary(op="not", operand=operand):
                inner = self.expr(operand, scope, src)
                self.expect_bool(inner, operand, src, "`not`")
                return self.make(c.Not, e, BOOL, inner.maybe_missing, operand=inner)
            case t.Unary(operand=operand):
                inner = self.expr(operand, scope, src)
                if inner.type.kind not in ("number", "days", "months", "any"):
                    self.out.error("NIS-C003", f"cannot negate {inner.type.describe()}", e, src)
                return self.make(c.Negate, e, inner.type, inner.maybe_missing, operand=inner)
            case t.Logic(op=op, operands=operands):
                nodes = [self.expr(o, scope, src) for o in operands]
                for o, node in zip(operands, nodes, strict=True):
                    self.expect_bool(node, o, src, f"`{op}`")
                return self.make(c.Logic, e, BOOL, any(n.maybe_missing for n in nodes), op=op, operands=tuple(nodes))
            case t.Binary():
                return self.binary(e, scope, src)
            case t.Presence(operand=operand, negated=negated):
                inner = self.expr(operand, scope, src)
                return self.make(c.Presence, e, BOOL, False, operand=inner, negated=negated)
            case t.Conditional(condition=cond, then=then, otherwise=otherwise):
                cn = self.expr(cond, scope, src)
                self.expect_bool(cn, cond, src, "`if`")
                a, b = self.expr(then, scope, src), self.expr(otherwise, scope, src)
                if not same_family(a.type, b.type):
                    self.out.error("NIS-C003", f"the two branches give {a.type.describe()} and {b.type.describe()}",
                                   e, src)
                ty = a.type if a.type.kind != "any" else b.type
                return self.make(c.Conditional, e, ty, cn.maybe_missing or a.maybe_missing or b.maybe_missing,
                                 condition=cn, then=a, otherwise=b)
            case t.Quantified():
                return self.quantified(e, scope, src)
            case t.Aggregate():
                return self.aggregate(e, scope, src)
            case t.Call():
                return self.call(e, scope, src)
        raise AssertionError(type(e))  # pragma: no cover - the parser builds only the cases above

    def expect_bool(self, node: c.Node, syntax: t.Expr, src: str, where: str) -> None:
        if node.type.kind not in ("bool", "any"):
            self.out.error("NIS-C003", f"{where} needs a yes/no condition, but this is {node.type.describe()}",
                           syntax, src)

    def collection(self, e: t.Expr, scope: dict[str, _Bound], src: str) -> tuple[c.Node, Type]:
        node = self.expr(e, scope, src)
        if node.type.kind == "list":
            return node, node.type.element or ANY
        if node.type.kind != "any":
            self.out.error("NIS-C003", f"expected a list here, but this is {node.type.describe()}", e, src)
        return node, ANY

    def quantified(self, e: t.Quantified, scope: dict[str, _Bound], src: str) -> c.Node:
        collection, element = self.collection(e.collection, scope, src)
        binder = self.next_id + 1  # the number `make` gives the quantifier: reserved before its body
        self.next_id += 1
        inner = {**scope, e.var: _Bound(element, binder)}
        where = self.expr(e.where, inner, src) if e.where is not None else None
        if where is not None:
            self.expect_bool(where, e.where, src, "`where`")  # type: ignore[arg-type]
        body = self.expr(e.body, inner, src)
        self.expect_bool(body, e.body, src, f"`{e.quantifier}`")
        missing = collection.maybe_missing or body.maybe_missing or bool(where and where.maybe_missing)
        return c.Quantified(id=binder, type=BOOL, syntax=e, text=format_expr(e), maybe_missing=missing,
                            quantifier=e.quantifier, var=e.var, collection=collection, where=where, body=body)

    def aggregate(self, e: t.Aggregate, scope: dict[str, _Bound], src: str) -> c.Node:
        collection, element = self.collection(e.collection, scope, src)
        binder = self.next_id + 1
        self.next_id += 1
        inner = {**scope, e.var: _Bound(element, binder)} if e.var else scope
        where = self.expr(e.where, inner, src) if e.where is not None else None
        if where is not None:
            self.expect_bool(where, e.where, src, "`where`")  # type: ignore[arg-type]
        value = self.expr(e.value, inner, src) if e.value is not None else None
        if e.kind == "count":
            ty = COUNT
        else:
            assert value is not None
            ty = value.type
            if e.kind == "list":
                ty = list_of(value.type)
            elif e.kind == "sum" and value.type.kind not in ("number", "days", "months", "any"):
                self.out.error("NIS-C003", f"cannot add up {value.type.describe()}", e.value, src)
            elif e.kind in ("min", "max") and not orderable(value.type):
                self.out.error("NIS-C003", f"`{e.kind}` needs values that can be ordered, not "
                               f"{value.type.describe()}", e.value, src)
        missing = e.kind in ("min", "max") or any(x.maybe_missing for x in (collection, where, value) if x)
        return c.Aggregate(id=binder, type=ty, syntax=e, text=format_expr(e), maybe_missing=missing, kind=e.kind,
                           var=e.var, collection=collection, where=where, value=value)

    def name(self, e: t.Name, scope: dict[str, _Bound], src: str) -> c.Node:
        checker = self.checker
        name = e.name
        if name in scope:
            bound = scope[name]
            return self.make(c.Variable, e, bound.type, False, name=name, binder=bound.binder)
        if name == "as_of":
            return self.make(c.AsOf, e, DATE, False)
        if name in checker.defs or name in checker.dets:
            checker.used.add(name)
            node = checker.defs.get(name) or checker.dets[name]
            applies = node.applies_to
            if applies and self.plan.name not in applies:
                self.out.error("NIS-C001", f"`{name}` is defined for {', '.join(applies)}, not for {self.plan.name}",
                               e, src)
                return self.make(c.Const, e, ANY, True, value=False)
            if name in checker.defs:
                definition = self.definitions.get(name)
                if definition is None:  # left untyped for this plan: its own errors are reported
                    return self.make(c.Const, e, ANY, True, value=False)
                return self.make(c.DefinitionRef, e, definition.expr.type, definition.expr.maybe_missing, name=name)
            det = self.determinations.get(name)
            if det is None:
                return self.make(c.Const, e, ANY, True, value=False)
            return self.make(c.DeterminationRef, e, det.type, True, name=name)
        if name in checker.params:
            checker.used.add(name)
            missing = any(v.value is None for v in checker.params[name].values)
            return self.make(c.Parameter, e, checker.param_types[name], missing, name=name)
        if name in checker.enums:
            return self.make(c.Const, e, Type("enum", name=name), False, value=name)
        root = self.plan.root
        ty = root.field_type(name)
        if ty is not None:
            return self.read(e, None, name, ty, name in root.required and not ty.nullable)
        if name in checker.unparsed:  # its declaration's syntax error is reported already
            return self.make(c.Const, e, ANY, True, value=False)
        candidates = [*scope, *checker.defs, *checker.dets, *checker.params, *checker.enums, "as_of",
                      *root.field_names()]
        self.out.error("NIS-C001", f"unknown name `{name}` in the {self.plan.name} schema", e, src,
                       hint=did_you_mean(name, candidates) or
                       "a name is a document field, a definition, a parameter, a determination or a variable")
        return self.make(c.Const, e, ANY, True, value=False)

    def read(self, e: t.Expr, base: c.Node | None, field: str, ty: Type, required: bool) -> c.Node:
        # A list's items (of lists' items...) are read as a single field's are; a list with a
        # null item is missing as a whole.
        item, null_items = list_item_type(ty)
        scale = UNIT_SCALE.get(item.unit or "", 1) if item.kind in ("days", "months") else 1
        missing = not required or null_items or bool(base is not None and base.maybe_missing)
        return self.make(c.Read, e, ty, missing, base=base, field=field, required=required and not missing,
                         is_date=item.kind == "date", scale=scale)

    def field(self, e: t.Field, scope: dict[str, _Bound], src: str) -> c.Node:
        enums = self.checker.enums
        if isinstance(e.base, t.Name) and e.base.name in enums and e.base.name not in scope:
            enum = enums[e.base.name]
            members = [m.name for m in enum.members]
            if e.name not in members:
                self.out.error("NIS-C001", f"the enumeration {enum.name} has no member `{e.name}`", e, src,
                               hint=did_you_mean(e.name, members) or "members: " + ", ".join(members))
            label = next((m.label for m in enum.members if m.name == e.name), None)
            return self.make(c.Member, e, Type("enum", name=enum.name, values=tuple(members)), False,
                             enumeration=enum.name, member=e.name, label=label)
        base = self.expr(e.base, scope, src)
        if base.type.kind == "any":
            return self.read(e, base, e.name, ANY, False)
        if base.type.kind != "record":
            self.out.error("NIS-C003", f"`.{e.name}`: {base.type.describe()} has no fields", e, src)
            return self.make(c.Const, e, ANY, True, value=False)
        ty = base.type.field_type(e.name)
        if ty is None:
            path = base.type.name if base.type.name and base.type.name != "/" else ""
            self.out.error("NIS-C002", f"the {self.plan.name} schema has no field `{e.name}` under {path or '/'}", e,
                           src, hint=did_you_mean(e.name, base.type.field_names()) or
                           "fields here: " + ", ".join(base.type.field_names()))
            return self.make(c.Const, e, ANY, True, value=False)
        return self.read(e, base, e.name, ty, e.name in base.type.required and not ty.nullable)

    def binary(self, e: t.Binary, scope: dict[str, _Bound], src: str) -> c.Node:
        op = e.op
        left = self.expr(e.left, scope, src)
        right = self.expr(e.right, scope, src)
        lt, rt = left.type, right.type
        missing = left.maybe_missing or right.maybe_missing
        if op in ("=", "!=", "<", "<=", ">", ">="):
            if not same_family(lt, rt):
                self.out.error("NIS-C003", f"cannot compare {lt.describe()} with {rt.describe()}", e, src,
                               hint=_unit_hint(lt, rt))
            elif op not in ("=", "!=") and not (orderable(lt) and orderable(rt)):
                self.out.error("NIS-C003", f"`{op}` needs values that can be ordered, not {lt.describe()}", e, src)
            self.check_text_value(lt, right, src)
            self.check_text_value(rt, left, src)
            return self.make(c.Compare, e, BOOL, missing, op=op, left=left, right=right)
        if op in ("in", "not in"):
            if rt.kind not in ("list", "any"):
                self.out.error("NIS-C003", f"`{op}` needs a list on its right, not {rt.describe()}", e.right, src)
            elif rt.element is not None and not same_family(lt, rt.element):
                self.out.error("NIS-C003", f"cannot look for {lt.describe()} in {rt.describe()}", e, src)
            if isinstance(right, c.ListOf):
                for item in right.items:
                    self.check_text_value(lt, item, src)
            return self.make(c.Membership, e, BOOL, missing, negated=op == "not in", item=left, collection=right)
        if op in ("contains", "contains any of"):
            if lt.kind not in ("text", "list", "any"):
                self.out.error("NIS-C003", f"`{op}` needs a text or a list on its left, not {lt.describe()}",
                               e.left, src)
            if op == "contains any of":
                if rt.kind not in ("list", "any"):
                    self.out.error("NIS-C003", "`contains any of` needs a list of texts on its right", e.right, src)
                return self.make(c.ContainsAny, e, BOOL, missing, text_node=left, phrases=right)
            return self.make(c.Contains, e, BOOL, missing, container=left, item=right)
        return self.arith(e, left, right, src)

    def arith(self, e: t.Binary, left: c.Node, right: c.Node, src: str) -> c.Node:
        op, lt, rt = e.op, left.type, right.type
        missing = left.maybe_missing or right.maybe_missing

        def plain(ty: Type) -> c.Node:
            return self.make(c.Arithmetic, e, ty, missing, op=op, left=left, right=right)

        def fail(message: str, hint: str | None = None) -> c.Node:
            self.out.error("NIS-C003", message, e, src, hint=hint)
            return plain(ANY)

        if lt.kind == "any" or rt.kind == "any":
            known = lt if rt.kind == "any" else rt
            if known.kind == "date" and op == "-" and lt.kind == "date" and rt.kind == "any":
                return plain(ANY)
            return plain(known if known.kind != "date" else ANY)
        if lt.kind == "date":
            if op == "-" and rt.kind == "date":
                return self.make(c.DateDifference, e, DAYS, missing, left=left, right=right)
            if op in ("+", "-") and rt.kind in ("days", "months"):
                return self.make(c.DateShift, e, DATE, missing, date=left, amount=right, months=rt.kind == "months",
                                 subtract=op == "-")
            return fail(f"cannot {_verb(op)} {rt.describe()} to a date",
                        "a date moves by a duration: `d + 20 weeks`, `d - 12 months`; two dates subtract to a "
                        "number of days")
        if rt.kind == "date":
            if op == "+" and lt.kind in ("days", "months"):
                return self.make(c.DateShift, e, DATE, missing, date=right, amount=left, months=lt.kind == "months",
                                 subtract=False)
            return fail(f"cannot {_verb(op)} a date and {lt.describe()}")
        if op in ("+", "-"):
            if lt.kind in ("days", "months", "number") and same_family(lt, rt):
                return plain(lt)
            return fail(f"cannot {_verb(op)} {lt.describe()} and {rt.describe()}", _unit_hint(lt, rt))
        if op == "*":
            if lt.kind in ("number", "days", "months") and rt == COUNT:
                return plain(lt)
            if rt.kind in ("number", "days", "months") and lt == COUNT:
                return plain(rt)
        if op == "/":
            if lt.kind in ("number", "days", "months") and rt == COUNT:
                return plain(lt)
            if same_family(lt, rt) and lt.kind in ("number", "days", "months"):
                return plain(COUNT)
        return fail(f"cannot {_verb(op)} {lt.describe()} and {rt.describe()}", _unit_hint(lt, rt))

    def call(self, e: t.Call, scope: dict[str, _Bound], src: str) -> c.Node:
        spec = FUNCTIONS.get(e.function)
        args = tuple(self.expr(a, scope, src) for a in e.args)
        missing = any(a.maybe_missing for a in args)
        if spec is None:
            self.out.error("NIS-C012", f"unknown function `{e.function}`", e, src,
                           hint=did_you_mean(e.function, FUNCTIONS) or "functions: " + ", ".join(FUNCTIONS))
            return self.make(c.Const, e, ANY, True, value=False)
        params, result, what = spec
        if len(args) != len(params):
            self.out.error("NIS-C012", f"`{e.function}` takes {len(params)} value(s), not {len(args)}", e, src,
                           hint=what)
            return self.make(c.Const, e, result, True, value=False)
        for arg, want, syntax in zip(args, params, e.args, strict=True):
            if want.kind != "any" and not same_family(arg.type, want):
                self.out.error("NIS-C003", f"`{e.function}` needs {want.describe()} here, not {arg.type.describe()}",
                               syntax, src, hint=what)
        return self.make(c.Call, e, result, missing or e.function == "make_date", function=e.function, args=args)

    def check_text_value(self, ty: Type, node: c.Node, src: str) -> None:
        """A text (or enumeration member) compared with a field that has listed values must be
        one of them: `layer = "targetted"` is a typo the schema can catch."""
        if not ty.values or ty.kind != "text":
            return
        if isinstance(node, c.Member):
            if node.member not in ty.values:
                self.out.error("NIS-C013", f"{node.enumeration}.{node.member} is not a value this field can take",
                               node.syntax, src, expected="one of " + ", ".join(f'"{v}"' for v in ty.values),
                               hint=did_you_mean(node.member, ty.values))
            return
        if not isinstance(node, c.Const) or not isinstance(node.syntax, t.Literal) or not isinstance(node.value, str):
            return
        if node.value not in ty.values:
            self.out.error("NIS-C013", f"\"{node.value}\" is not a value this field can take", node.syntax, src,
                           expected="one of " + ", ".join(f'"{v}"' for v in ty.values),
                           hint=did_you_mean(node.value, ty.values))


# ---- helpers shared with the stages after this one --------------------------------------

def constant_value(expr: t.Expr) -> object | None:
    """The run-time value of a written-out value (a literal, quantity, or list of them;
    negative numbers too), or None when the expression is not one."""
    match expr:
        case t.Literal(value=v):
            return v
        case t.Quantity(amount=amount, unit=unit):
            return amount * UNIT_SCALE[unit]
        case t.ListExpr(items=items):
            values = [constant_value(i) for i in items]
            return None if any(v is None for v in values) else tuple(values)
        case t.Unary(op="-", operand=operand):
            inner = constant_value(operand)
            return -inner if isinstance(inner, (int, Decimal)) and not isinstance(inner, bool) else None
    return None


def constant_type(expr: t.Expr) -> Type:
    """The type of a written-out value (see `constant_value`)."""
    match expr:
        case t.Literal(value=v):
            if isinstance(v, bool):
                return BOOL
            return TEXT if isinstance(v, str) else DATE if isinstance(v, date) else COUNT
        case t.Quantity(unit=unit):
            return UNIT_TYPES[unit]
        case t.ListExpr(items=items):
            return list_of(constant_type(items[0]) if items else ANY)
        case t.Unary(operand=operand):
            return constant_type(operand)
    return ANY


def json_value(value: object) -> object:
    """A run-time value as the result's JSON gives it (a determination's expected value)."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [json_value(v) for v in value]
    return value


def free_names(expr: t.Expr) -> list[str]:
    """The names an expression uses that no quantifier inside it binds, in order (iterative)."""
    found: list[str] = []
    stack: list[tuple[t.Expr, frozenset[str]]] = [(expr, frozenset())]
    while stack:
        e, bound = stack.pop()
        match e:
            case t.Name(name=name):
                if name not in bound:
                    found.append(name)
            case t.Field(base=base):
                stack.append((base, bound))
            case t.Quantified(var=var, collection=coll, where=where, body=body):
                inner = bound | {var}
                stack.extend([(body, inner)] + ([(where, inner)] if where is not None else []) + [(coll, bound)])
            case t.Aggregate(var=var, collection=coll, where=where, value=value):
                inner = bound | {var} if var else bound
                stack.extend([(x, inner) for x in (value, where) if x is not None] + [(coll, bound)])
            case t.Logic(operands=operands):
                stack.extend((o, bound) for o in reversed(operands))
            case t.Binary(left=a, right=b):
                stack.extend([(b, bound), (a, bound)])
            case t.Unary(operand=x) | t.Presence(operand=x):
                stack.append((x, bound))
            case t.Conditional(condition=a, then=b, otherwise=d):
                stack.extend([(d, bound), (b, bound), (a, bound)])
            case t.Call(args=args):
                stack.extend((a, bound) for a in reversed(args))
            case t.ListExpr(items=items):
                stack.extend((i, bound) for i in reversed(items))
    return found


def thresholds(requirement: c.Node | None) -> tuple[c.Threshold, ...]:
    """The comparisons of a requirement where a near miss can be measured (see `Threshold`)."""
    found: list[c.Threshold] = []
    stack: list[tuple[c.Node, bool]] = [(requirement, True)] if requirement is not None else []
    while stack:
        node, positive = stack.pop()
        if isinstance(node, c.Logic):
            stack.extend((o, positive) for o in reversed(node.operands))
            continue
        if isinstance(node, c.Not):
            stack.append((node.operand, not positive))
            continue
        if not (isinstance(node, c.Compare) and node.op in ("<", "<=", ">", ">=")):
            continue
        if node.left.type.kind not in ("number", "days", "months", "date"):
            continue
        fact, limit, op = node.left, node.right, node.op
        if not _reads_plan(node.left) and _reads_plan(node.right):
            fact, limit = node.right, node.left
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
        parameters = [n.name for n in c.walk(limit) if isinstance(n, c.Parameter)]
        found.append(c.Threshold(node, positive, fact, limit, op, parameters[0] if parameters else None))
    return tuple(found)


BOUNDED_LIST = 100  # a list the schema caps at this many items costs a bounded factor


def _bounded(ty: Type) -> bool:
    return ty.max_items is not None and ty.max_items <= BOUNDED_LIST


def _reads_plan(node: c.Node) -> bool:
    return any(isinstance(n, (c.Read, c.Variable, c.DefinitionRef, c.DeterminationRef, c.Quantified, c.Aggregate))
               for n in c.walk(node))


def _key(item: t.Item) -> str | None:
    match item:
        case t.Rule(id=i) | t.Exception_(id=i):
            return f"id:{i}"
        case t.Parameter(name=n) | t.Definition(name=n) | t.Determination(name=n) | t.Enumeration(name=n) | \
                t.PlanBinding(name=n):
            return f"name:{n}"
        case t.Test(name=n):
            return f"test:{n}"
    return None


def _unit_hint(a: Type, b: Type) -> str | None:
    kinds = {a.kind, b.kind}
    if kinds == {"days", "months"}:
        return "months have no fixed number of days: compare weeks with weeks or days, months with months or years"
    if "number" in kinds and (a.unit or b.unit) and a.unit != b.unit:
        unit = a.unit or b.unit
        return f"write the number with its unit, e.g. `3 {unit}`"
    return None


def _verb(op: str) -> str:
    return {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}.get(op, op)
