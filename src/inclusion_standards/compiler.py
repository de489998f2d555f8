"""Compile stage: each checked plan becomes Python functions, once per standards version.

Every rule, exception, definition and determination becomes a function generated as Python
source from the checked form (`checked.py`). Every identifier in that source is made here,
every literal goes into a constant table, and the source is executed with only the names it
needs (no built-ins beyond `len`, `all`, `any`, `sum`, `min`, `max`), so no text from a
standards file is ever executed. Each declaration exists in two forms from one generator:

- *outcome*: the status or value only, for speed;
- *explained*: the same evaluation reporting what it did to a `runtime.Recorder` (each
  sub-expression's value, the items a quantifier looked at and which decided it, exceptions
  tried and applied, the case that decided a determination).

Static knowledge keeps the outcome form fast: an expression that cannot be missing compiles
to plain Python operators, only those that may be missing go through the three-valued
helpers of `runtime`; parts that use only parameters and the as-of date are computed once
per as-of date (`bind`); and a quantifier over a list inside a quantifier over another list,
when it looks items up by a key (`some f in provision satisfies n.id in f.need_ids`), becomes
one index built per evaluation and a lookup per item, so its cost is linear in the plan.
"""
from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from . import checked as c
from . import runtime
from .checked import CheckedPlan, CheckedStandards
from .results import CANNOT_JUDGE, EXCEPTED, FAIL, NOT_APPLICABLE, PASS

_COMPARE = {"=": ("==", "k_eq"), "!=": ("!=", "k_ne"), "<": ("<", "k_lt"), "<=": ("<=", "k_le"),
            ">": (">", "k_gt"), ">=": (">=", "k_ge")}
_ARITH = {"+": "k_add", "-": "k_sub", "*": "k_mul"}
_RUNTIME = ("get", "to_date", "scale", "add_days", "add_months", "days_between", "divide", "neg", "age_on",
            "year_group_on", "academic_year", "start_of_academic_year", "term", "year_of", "make_date", "length",
            "lower", "overlap_days", "days_covered", "contains", "contains_any", "phrases", "k_and", "k_or", "k_not", "k_if", "k_eq", "k_ne", "k_lt",
            "k_le", "k_gt", "k_ge", "k_add", "k_sub", "k_mul", "k_in", "k_not_in", "k_every", "k_some", "k_no",
            "k_aggregate", "build_index", "lookup", "lookup_any", "memo", "keep")
_FUNCTIONS = frozenset(("age_on", "year_group_on", "academic_year", "start_of_academic_year", "term", "year_of",
                        "make_date", "length", "lower", "overlap_days", "days_covered"))
_BUILTINS = ("len", "all", "any", "sum", "min", "max")

Outcome = Callable[[Any, dict[str, Any], list[Any]], Any]
Explained = Callable[[Any, dict[str, Any], list[Any], runtime.Recorder], Any]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    checked: c.CheckedRule
    outcome: Outcome
    explained: Explained
    template: Callable[[Any, dict[str, Any], list[Any]], tuple[Any, ...]] | None
    reads: c.StaticReads  # what it reads, for results without a trace


@dataclass(frozen=True, slots=True)
class CompiledDetermination:
    checked: c.CheckedDetermination
    outcome: Outcome
    explained: Explained
    case_slot: int  # where the outcome form leaves the index of the deciding case
    template: Callable[[Any, dict[str, Any], list[Any]], tuple[Any, ...]] | None


@dataclass(frozen=True, slots=True)
class CompiledPlan:
    """The evaluable form of a standards set for one kind of plan."""

    checked: CheckedPlan
    rules: tuple[CompiledRule, ...]
    determinations: tuple[CompiledDetermination, ...]  # the ones a result reports, in declaration order
    slots: int                # size of the memo list one evaluation needs
    bind: Callable[[dict[str, Any]], dict[str, Any]]  # adds the parts that use only parameters
    source: str               # the generated Python, for review
    case_reads: dict[str, tuple[c.StaticReads, ...]]  # what each case of each determination reads
    decide_all: Outcome  # every reported determination's value, in order
    judge_all: Outcome   # every rule's status, in order
    hoisted: frozenset[int]  # nodes inside list items computed once per evaluation, at the top level
    # Findings and decisions that read the same for every document (a rule met, a decision
    # reached by a case with a constant value), built once: at most one per rule and status,
    # and one per case.
    settled: dict[tuple[str, Any], Any] = field(default_factory=dict)

    def memo(self) -> list[Any]:
        return [runtime.NOT_YET] * self.slots


@dataclass(frozen=True, slots=True)
class Compiled:
    plans: dict[str, CompiledPlan]


def compile_standards(standards: CheckedStandards) -> Compiled:
    return Compiled({name: _compile_plan(standards, plan) for name, plan in standards.plans.items()})


def _compile_plan(standards: CheckedStandards, plan: CheckedPlan) -> CompiledPlan:
    gen = _Generator(plan)
    lines: list[str] = []
    for explained in (False, True):
        gen.explained = explained
        for d in plan.definitions:
            lines += gen.definition(d)
        for x in plan.exceptions.values():
            lines += gen.exception(x)
        for det in plan.determinations:
            lines += gen.determination(det)
        for i, rule in enumerate(plan.rules):
            lines += gen.rule(rule, i)
    gen.explained = False
    templated = [(f"tpl_r{i}", rule.explain) for i, rule in enumerate(plan.rules)]
    templated += [(f"tpl_{gen.det_name(d.name)}", d.explain) for d in plan.determinations]
    templated += [(f"tpl_{gen.exc_name(x.declaration.id)}", x.explain) for x in plan.exceptions.values()]
    for name, template in templated:
        if template is not None:
            lines += gen.template(name, template)
    lines += gen.binder()
    # Every outcome in one call each: the per-decision calls of a document cost one frame.
    lines += ["def decide_all(doc, P, K):",
              "    return (" + "".join(f"{gen.det_name(name)}(doc, P, K), " for name in plan.reported) + ")", "",
              "def judge_all(doc, P, K):",
              "    return (" + "".join(f"rule_{i}(doc, P, K), " for i in range(len(plan.rules))) + ")", ""]
    source = "\n".join(lines) + "\n"
    namespace = gen.namespace()
    exec(compile(source, f"<nis standards {standards.header.id} {plan.name}>", "exec"),  # noqa: S102
         namespace)
    determinations = {d.name: d for d in plan.determinations}
    definitions = {d.declaration.name: d.expr for d in plan.definitions}
    rules = tuple(CompiledRule(rule, namespace[f"rule_{i}"], namespace[f"rule_{i}_x"],
                               namespace.get(f"tpl_r{i}"), c.static_reads(definitions, rule.when, rule.requirement))
                  for i, rule in enumerate(plan.rules))
    case_reads = {d.name: tuple(c.static_reads(definitions, case.condition) for case in d.cases)
                  for d in plan.determinations}
    dets = tuple(CompiledDetermination(determinations[name], namespace[gen.det_name(name)],
                                       namespace[gen.det_name(name) + "_x"], gen.case_slots[name],
                                       namespace.get(f"tpl_{gen.det_name(name)}"))
                 for name in plan.reported)
    return CompiledPlan(plan, rules, dets, gen.next_slot, namespace["bind"], source, case_reads,
                        namespace["decide_all"], namespace["judge_all"], frozenset(gen.hoisted))


def is_constant(node: c.Node) -> bool:
    """A value known without evaluating anything: a literal, enumeration member, or list of them."""
    if isinstance(node, (c.Const, c.Member)):
        return True
    return isinstance(node, c.ListOf) and all(is_constant(i) for i in node.items)


def uses_parameters_only(node: c.Node) -> bool:
    """An expression of parameters, the as-of date and constants only (`as_of - review_interval`):
    the same for every document judged on one date."""
    return all(isinstance(n, (c.Const, c.Member, c.Parameter, c.AsOf, c.ListOf, c.Not, c.Negate, c.Logic,
                              c.Compare, c.Arithmetic, c.DateShift, c.DateDifference, c.Membership, c.Contains,
                              c.ContainsAny, c.Conditional, c.Call)) for n in c.walk(node))


def is_folded(node: c.Node) -> bool:
    """An operation on parameters only, computed once per as-of date by `bind`."""
    return not isinstance(node, (c.Const, c.Member, c.Parameter, c.AsOf, c.ListOf)) and uses_parameters_only(node)


def folded_key(plan: str, node: c.Node) -> str:
    """Where `bind` keeps a part computed once per as-of date: parameters are shared by every
    plan the standards judge, node numbers are not, so the key names the plan."""
    return f"#{plan}:{node.id}"


class _Generator:
    def __init__(self, plan: CheckedPlan):
        self.plan = plan
        self.constants: list[Any] = []
        self.constant_index: dict[tuple[type, str], int] = {}
        self.explained = False
        self.binding = False  # emitting `bind`: a part computed once per as-of date
        self.depth = 0  # quantifier or aggregate bodies around the expression being emitted
        self.folded: dict[str, str] = {}
        self.next_slot = 0
        self.slots: dict[str, int] = {}
        self.case_slots: dict[str, int] = {}
        self.joins: dict[int, int] = {}  # quantifier node -> memo slot of its index
        self.hoisted: dict[int, int] = {}  # node computed once per evaluation -> its memo slot
        for d in plan.definitions:
            self.slots["def:" + d.declaration.name] = self.slot()
        for det in plan.determinations:
            self.slots["det:" + det.name] = self.slot()
            self.case_slots[det.name] = self.slot()
        self.names = {name: f"d{i}" for i, name in enumerate(
            [d.declaration.name for d in plan.definitions] + [d.name for d in plan.determinations])}
        self.exc_names = {x: f"x{i}" for i, x in enumerate(plan.exceptions)}

    def slot(self) -> int:
        self.next_slot += 1
        return self.next_slot - 1

    def det_name(self, name: str) -> str:
        return "det_" + self.names[name]

    def def_name(self, name: str) -> str:
        return "def_" + self.names[name]

    def exc_name(self, exc_id: str) -> str:
        return "exc_" + self.exc_names[exc_id]

    def const(self, value: Any) -> str:
        key = (type(value), repr(value))
        if key not in self.constant_index:
            self.constant_index[key] = len(self.constants)
            self.constants.append(value)
        return f"C[{self.constant_index[key]}]"

    def namespace(self) -> dict[str, Any]:
        ns: dict[str, Any] = {name: getattr(runtime, name) for name in _RUNTIME}
        ns.update({name: getattr(builtins, name) for name in _BUILTINS})
        ns["__builtins__"] = {}
        ns.update(M=runtime.MISSING, NOT_YET=runtime.NOT_YET, OutOfRange=runtime.OutOfRange,
                  C=tuple(self.constants), fromiso=date.fromisoformat, PASS=PASS, FAIL=FAIL, NA=NOT_APPLICABLE,
                  EXC=EXCEPTED, CJ=CANNOT_JUDGE, ArithmeticError=ArithmeticError, ValueError=ValueError)
        return ns

    # ---- declarations ---------------------------------------------------------------------
    def signature(self, name: str) -> list[str]:
        if self.explained:
            return [f"def {name}_x(doc, P, K, R):", "    _r, _rf = R.r, R.rf"]
        return [f"def {name}(doc, P, K):"]

    def call(self, name: str) -> str:
        return f"{name}_x(doc, P, K, R)" if self.explained else f"{name}(doc, P, K)"

    def definition(self, d: c.CheckedDefinition) -> list[str]:
        """Evaluated once per evaluation (memo slot), recorded once at the top level."""
        slot = self.slots["def:" + d.declaration.name]
        body = [f"        v = K[{slot}] = {self.expr(d.expr)}"]
        return [*self.signature(self.def_name(d.declaration.name)),
                f"    v = K[{slot}]",
                "    if v is NOT_YET:",
                *self.outside_frames(body),
                "    return v", ""]

    def outside_frames(self, body: list[str]) -> list[str]:
        if not self.explained:
            return body
        return ["        saved = R.top()", "        try:", *["    " + line for line in body],
                "        finally:", "            R.restore(saved)"]

    def exception(self, x: c.CheckedException) -> list[str]:
        """True when the exception applies (its condition holds and no exception to it
        applies), False when it does not, MISSING when a needed fact is missing."""
        exc_id = x.declaration.id
        lines = [*self.signature(self.exc_name(exc_id)), f"    c = {self.expr(x.condition)}"]
        lines += self.excepted(x.exceptions, lambda inner: f"R.exception_applied({exc_id!r}, {inner!r})")
        if self.explained:
            lines += [f"    R.exception_tried({exc_id!r}, c)"]
        return [*lines, "    return c", ""]

    def excepted(self, exceptions: tuple[str, ...], applied: Callable[[str], str]) -> list[str]:
        """Lines that turn a condition `c` that holds into False when one of `exceptions`
        applies, or into MISSING when none applies but one could not be judged."""
        if not exceptions:
            return []
        lines = ["    if c is True:", "        unknown = False"]
        for exc_id in exceptions:
            lines += ["        if c is True:",
                      f"            x = {self.call(self.exc_name(exc_id))}",
                      "            if x is True:",
                      "                c = False"]
            if self.explained:
                lines += [f"                {applied(exc_id)}"]
            lines += ["            elif x is M:", "                unknown = True"]
        return [*lines, "        if c is True and unknown:", "            c = M"]

    def determination(self, det: c.CheckedDetermination) -> list[str]:
        """Cases in order; the first whose condition holds (and is not excepted) decides. A case
        whose condition cannot be judged before that leaves the value undetermined."""
        name = self.det_name(det.name)
        slot, case_slot = self.slots["det:" + det.name], self.case_slots[det.name]
        lines = [*self.signature(name),
                 f"    v = K[{slot}]",
                 "    if v is not NOT_YET:",
                 "        return v"]
        if self.explained:
            lines += ["    saved = R.top()", "    try:", f"        return {name}_body_x(doc, P, K, R)",
                      "    finally:", "        R.restore(saved)", "",
                      f"def {name}_body_x(doc, P, K, R):", "    _r, _rf = R.r, R.rf"]

        def decided(index: int, value: str) -> list[str]:
            out = [f"        K[{case_slot}] = {index}"]
            if self.explained:
                out += [f"        R.case_decided({det.name!r}, {index})"]
            return [*out, f"        v = K[{slot}] = {value}", "        return v"]

        for index, case in enumerate(det.cases):
            lines += [f"    c = {self.expr(case.condition)}"]
            lines += self.excepted(case.exceptions, partial(_case_excepted, det.name, index))
            lines += ["    if c is M:", *decided(index, "M"), "    if c:", *decided(index, self.expr(case.value))]
        lines += ["    if True:", *decided(len(det.cases), self.expr(det.otherwise)), ""]
        return lines

    def template(self, name: str, parts: tuple[c.TemplatePart, ...]) -> list[str]:
        """The values of an explanation's `{...}` holes, missing-safe."""
        holes = [p for p in parts if not isinstance(p, str)]
        values = ", ".join(self.expr(h) for h in holes)
        return [f"def {name}(doc, P, K):", f"    return ({values}{',' if holes else ''})", ""]

    def rule(self, rule: c.CheckedRule, index: int) -> list[str]:
        lines = self.signature(f"rule_{index}")
        if rule.when is not None:
            lines += [f"    w = {self.expr(rule.when)}",
                      "    if w is False:",
                      "        return NA",
                      "    if w is M:",
                      "        return CJ"]
        lines += [f"    r = {self.expr(rule.requirement)}" if rule.requirement is not None else "    r = True",
                  "    if r is True:",
                  "        return PASS"]
        if rule.exceptions:
            lines += ["    unknown = False"]
            for exc_id in rule.exceptions:
                lines += [f"    x = {self.call(self.exc_name(exc_id))}",
                          "    if x is True:"]
                if self.explained:
                    lines += [f"        R.exception_applied({rule.id!r}, {exc_id!r})"]
                lines += ["        return EXC",
                          "    if x is M:",
                          "        unknown = True"]
            lines += ["    if unknown:", "        return CJ"]
        lines += ["    return FAIL if r is False else CJ", ""]
        return lines

    def binder(self) -> list[str]:
        """`bind(P)`: the parts that use only parameters, once per as-of date. One that cannot
        be computed (a date past the calendar's end) is kept as an `OutOfRange` value, so only
        the rules that use it cannot be judged."""
        lines = ["def bind(P):"]
        for key, code in self.folded.items():
            lines += ["    try:", f"        P[{key!r}] = {code}",
                      "    except (ArithmeticError, ValueError) as error:",
                      f"        P[{key!r}] = OutOfRange(str(error))"]
        return [*lines, "    return P", ""]

    # ---- expressions ----------------------------------------------------------------------
    def expr(self, node: c.Node) -> str:
        if self.binding:
            # Inside a part computed once per as-of date: every step is kept in P under its
            # node number, so an explanation can show how the part was worked out.
            code = self.emit(node)
            return code if is_constant(node) else f"keep(P, {folded_key(self.plan.name, node)!r}, {code})"
        if is_folded(node):
            key = folded_key(self.plan.name, node)
            if key not in self.folded:
                explained, depth = self.explained, self.depth
                self.explained, self.depth, self.binding = False, 0, True
                try:
                    self.folded[key] = self.emit(node)
                finally:
                    self.explained, self.depth, self.binding = explained, depth, False
            code = f"P[{key!r}]"
        elif self.depth and isinstance(node, (c.Quantified, c.Aggregate)) and not c.reads_outside(node):
            code = self.hoist(node)
        else:
            code = self.emit(node)
        if self.explained and not is_constant(node):
            return f"{'_rf' if self.depth else '_r'}({node.id}, {code})"
        return code

    def hoist(self, node: c.Quantified | c.Aggregate) -> str:
        """A quantifier or aggregate inside a list item that reads nothing of the item is the
        same for every item: computed once per evaluation (a memo slot), and, explained, once
        at the top level (`explanation` shows its working there)."""
        slot = self.hoisted.get(node.id)
        if slot is None:
            slot = self.hoisted[node.id] = self.slot()
        depth = self.depth
        self.depth = 0
        try:
            code = self.emit(node)
        finally:
            self.depth = depth
        if self.explained:
            return f"R.once(K, {slot}, lambda: {code})"
        return f"memo(K, {slot}, lambda: {code})"

    def body(self, node: c.Node) -> str:
        """An expression evaluated once per list item (inside a quantifier or aggregate)."""
        self.depth += 1
        try:
            return self.expr(node)
        finally:
            self.depth -= 1

    def emit(self, node: c.Node) -> str:
        match node:
            case c.Const(value=v):
                if isinstance(v, bool) or (isinstance(v, int) and -(10 ** 15) < v < 10 ** 15):
                    return repr(v)
                return self.const(v)
            case c.ListOf(items=items):
                if all(is_constant(i) for i in items):
                    return self.const(tuple(_constant(i) for i in items))
                return "(" + "".join(f"{self.expr(i)}, " for i in items) + ")"
            case c.Member(member=member):
                return repr(member)
            case c.Read():
                return self.read(node)
            case c.Parameter(name=name):
                return f"P[{name!r}]"
            case c.AsOf():
                return "P['as_of']"
            case c.Variable(binder=binder):
                return f"v{binder}"
            case c.DefinitionRef(name=name):
                return self.call(self.def_name(name))
            case c.DeterminationRef(name=name):
                return self.call(self.det_name(name))
            case c.Not(operand=x):
                return f"k_not({self.expr(x)})" if x.maybe_missing else f"(not {self.expr(x)})"
            case c.Negate(operand=x):
                return f"neg({self.expr(x)})" if x.maybe_missing else f"(-{self.expr(x)})"
            case c.Logic():
                return self.logic(node)
            case c.Compare(op=op, left=a, right=b):
                python, helper = _COMPARE[op]
                if node.maybe_missing:
                    return f"{helper}({self.expr(a)}, {self.expr(b)})"
                return f"({self.expr(a)} {python} {self.expr(b)})"
            case c.Arithmetic(op=op, left=a, right=b):
                if op == "/":
                    return f"divide({self.expr(a)}, {self.expr(b)})"
                if node.maybe_missing:
                    return f"{_ARITH[op]}({self.expr(a)}, {self.expr(b)})"
                return f"({self.expr(a)} {op} {self.expr(b)})"
            case c.DateShift(date=d, amount=amount, months=months, subtract=subtract):
                shift = self.expr(amount)
                if subtract:
                    shift = f"neg({shift})" if amount.maybe_missing else f"(-{shift})"
                return f"{'add_months' if months else 'add_days'}({self.expr(d)}, {shift})"
            case c.DateDifference(left=a, right=b):
                return f"days_between({self.expr(a)}, {self.expr(b)})"
            case c.Membership(negated=negated, item=item, collection=coll):
                collection = self.collection(coll)
                if node.maybe_missing:
                    return f"{'k_not_in' if negated else 'k_in'}({self.expr(item)}, {collection})"
                return f"({self.expr(item)} {'not in' if negated else 'in'} {collection})"
            case c.Contains(container=a, item=b):
                return f"contains({self.expr(a)}, {self.expr(b)})"
            case c.ContainsAny(text_node=text, phrases=listed):
                return f"contains_any({self.expr(text)}, {self.phrase_list(listed)})"
            case c.Presence(operand=x, negated=negated):
                return f"({self.expr(x)} is {'' if negated else 'not '}M)"
            case c.Conditional(condition=cond, then=a, otherwise=b):
                if cond.maybe_missing:
                    return f"k_if({self.expr(cond)}, lambda: {self.expr(a)}, lambda: {self.expr(b)})"
                return f"({self.expr(a)} if {self.expr(cond)} else {self.expr(b)})"
            case c.Quantified():
                return self.quantified(node)
            case c.Aggregate():
                return self.aggregate(node)
            case c.Call(function=function, args=args):
                assert function in _FUNCTIONS
                return f"{function}({', '.join(self.expr(a) for a in args)})"
        raise AssertionError(type(node))  # pragma: no cover - checked.py's set is closed

    def collection(self, node: c.Node) -> str:
        """A list looked into with `in`: a constant list becomes a set (a lookup, not a scan)."""
        if isinstance(node, c.ListOf) and all(is_constant(i) for i in node.items):
            try:
                value = frozenset(_constant(i) for i in node.items)
            except TypeError:
                return self.expr(node)
            return self.const(value) if not self.explained else self.expr(node)
        return self.expr(node)

    def phrase_list(self, node: c.Node) -> str:
        """A list of phrases compiled once (per as-of date, for a parameter), not per text."""
        if isinstance(node, c.ListOf) and all(is_constant(i) for i in node.items):
            return self.const(runtime.phrases(str(_constant(i)) for i in node.items))
        if isinstance(node, c.Parameter) and not node.maybe_missing and not self.explained:
            key = f"#phrases:{node.name}"  # the same list for every plan
            self.folded.setdefault(key, f"phrases(P[{node.name!r}])")
            return f"P[{key!r}]"
        return self.expr(node)

    def read(self, node: c.Read) -> str:
        if node.base is None:
            code = f"doc[{node.field!r}]" if node.required else f"get(doc, {node.field!r})"
        else:
            base = self.expr(node.base)
            code = f"{base}[{node.field!r}]" if node.required else f"get({base}, {node.field!r})"
        if node.is_date:
            return f"to_date({code})" if node.maybe_missing else f"fromiso({code})"
        if node.scale != 1:
            return f"scale({code}, {node.scale})" if node.maybe_missing else f"({code} * {node.scale})"
        return code

    def logic(self, node: c.Logic) -> str:
        """Plain `and`/`or` while operands cannot be missing; Kleene's helpers from the first
        one that can (the rest passed as thunks, so evaluation still stops early)."""
        op, helper = node.op, ("k_and" if node.op == "and" else "k_or")
        codes = [self.expr(o) for o in node.operands]
        plain = 0
        while plain < len(node.operands) and not node.operands[plain].maybe_missing:
            plain += 1
        if plain == len(codes):
            return "(" + f" {op} ".join(codes) + ")"
        rest = codes[plain:]
        kleene = f"{helper}({rest[0]}" + "".join(f", lambda: {x}" for x in rest[1:]) + ")"
        return "(" + " ".join(f"{x} {op}" for x in codes[:plain]) + (" " if plain else "") + kleene + ")"

    def quantified(self, node: c.Quantified) -> str:
        join = c.join_of(node)
        if join is not None:
            return self.lookup(join)
        var = f"v{node.id}"
        collection = self.expr(node.collection)
        body = self.body(node.body)
        where = self.body(node.where) if node.where is not None else None
        if self.explained:
            capture = join is None
            w = f"lambda {var}: {where}" if where else "None"
            return (f"R.quantify({node.id}, {collection}, lambda {var}: {body}, {w}, {node.quantifier!r}, "
                    f"{capture})")
        if node.maybe_missing:
            w = f", lambda {var}: {where}" if where else ""
            return f"k_{node.quantifier}({collection}, lambda {var}: {body}{w})"
        cond = f" if {where}" if where else ""
        if node.quantifier == "every":
            return f"all({body} for {var} in {collection}{cond})"
        if node.quantifier == "some":
            return f"any({body} for {var} in {collection}{cond})"
        return f"(not any({body} for {var} in {collection}{cond}))"

    def lookup(self, join: c.Join) -> str:
        """A join: the index of the list's keys, built once per evaluation, and a lookup."""
        node = join.quantifier
        slot = self.joins.get(node.id)
        if slot is None:
            slot = self.joins[node.id] = self.slot()
        var = f"v{node.id}"
        depth, explained = self.depth, self.explained
        self.depth, self.explained = 0, False  # the index is built once, outside any item, unrecorded
        try:
            collection = self.expr(node.collection)
            key = self.body(join.key)
            filters = [self.body(f) for f in (*((node.where,) if node.where is not None else ()), *join.filters)]
            if len(filters) > 1:
                filtered: str | None = "k_and(" + ", ".join([filters[0], *(f"lambda: {f}" for f in filters[1:])]) + ")"
            else:
                filtered = filters[0] if filters else None
        finally:
            self.depth, self.explained = depth, explained
        where = f"lambda {var}: {filtered}" if filtered else "None"
        index = (f"memo(K, {slot}, lambda: build_index({collection}, lambda {var}: {key}, {where}, "
                 f"{join.keys_are_lists}))")
        found = f"{'lookup_any' if join.values_are_lists else 'lookup'}({index}, {self.expr(join.value)})"
        if node.quantifier == "no":
            found = f"k_not({found})"
        if self.explained:
            # Judged by the lookup; explained, where the record needs it, as the quantifier.
            body = self.body(node.body)
            kept = f"lambda {var}: {self.body(node.where)}" if node.where is not None else "None"
            return (f"R.join({node.id}, {self.expr(node.collection)}, {found}, lambda {var}: {body}, {kept}, "
                    f"{node.quantifier!r})")
        return found

    def aggregate(self, node: c.Aggregate) -> str:
        var = f"v{node.id}"
        collection = self.expr(node.collection)
        value = self.body(node.value) if node.value is not None else None
        where = self.body(node.where) if node.where is not None else None
        if self.explained:
            v = f"lambda {var}: {value}" if value else "None"
            w = f"lambda {var}: {where}" if where else "None"
            return f"R.aggregate({node.id}, {node.kind!r}, {collection}, {v}, {w}, True)"
        if node.maybe_missing:
            v = f"lambda {var}: {value}" if value else "None"
            w = f", lambda {var}: {where}" if where else ""
            return f"k_aggregate({node.kind!r}, {collection}, {v}{w})"
        cond = f" if {where}" if where else ""
        if node.kind == "count":
            return f"len({collection})" if not where else f"sum(1 for {var} in {collection}{cond})"
        if node.kind == "sum":
            return f"sum(({value} for {var} in {collection}{cond}), 0)"
        return f"[{value} for {var} in {collection}{cond}]"


def _case_excepted(determination: str, index: int, exception: str) -> str:
    return f"R.case_excepted({determination!r}, {index}, {exception!r})"


def _constant(node: c.Node) -> Any:
    if isinstance(node, c.Const):
        return node.value
    if isinstance(node, c.Member):
        return node.member
    if isinstance(node, c.ListOf):
        return tuple(_constant(i) for i in node.items)
    raise ValueError("not a constant")  # pragma: no cover - callers check is_constant first
