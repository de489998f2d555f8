"""The checked form of a standards set: what the checker hands on to the compiler, the
explainer and the test runner.

The checker turns every expression of the source tree into one of the small, closed set of
frozen node classes below, once for each kind of plan it is judged on, so that a definition
shared by ISPs and EHCPs is typed against each plan's own schema. A node carries its static
type, whether it may be missing at run time, the text the formatter gives it, and what its
names resolve to (a document field, a parameter, a variable and the quantifier that binds it,
a definition, a determination, the as-of date). Later stages read only this form: no table
keyed by `id()`, no second walk to rediscover what a name means.

Node numbers are unique within one checked plan and follow source order, so a recorded
trace can name a node by its number.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Union

from . import tree as t
from .diagnostics import Diagnostic
from .types import Type

Value = Union[int, Decimal, str, date, bool, tuple[object, ...]]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Node:
    """What every checked expression has: its number, type, source and text."""

    id: int
    type: Type
    syntax: t.Expr
    text: str
    maybe_missing: bool

    def __repr__(self) -> str:
        """The node's kind, number and text: the fields in full would print its whole subtree
        and syntax (and Python would write a method per class to do so, at every start)."""
        return f"{type(self).__name__}#{self.id}({self.text!r})"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Const(Node):
    """A literal or quantity, at run time: `20 weeks` is 140 (days), `1 year` is 12 (months)."""

    value: Value


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ListOf(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Member(Node):
    """A member of an enumeration (`Layer.targeted`); its value is the member's name."""

    enumeration: str
    member: str
    label: str | None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Read(Node):
    """A read of the document: a top-level field (`base` is None) or a field of a record.

    `required` is true when the schema guarantees the field, so the read cannot be missing
    once its base is present. Dates arrive as ISO text and are parsed; durations recorded in
    weeks or years are scaled to days or months (`scale`); for a list of them (`is_date` and
    `scale` then say what its items are), every item."""

    base: Node | None
    field: str
    required: bool
    is_date: bool
    scale: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Parameter(Node):
    name: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class AsOf(Node):
    """The date the document is judged on."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Variable(Node):
    """A quantifier's or aggregate's variable: `binder` is the number of the node binding it."""

    name: str
    binder: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class DefinitionRef(Node):
    name: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class DeterminationRef(Node):
    name: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Not(Node):
    operand: Node


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Negate(Node):
    operand: Node


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Logic(Node):
    """`and` / `or` over any number of operands, left to right, in Kleene's logic."""

    op: str
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Compare(Node):
    op: str  # = != < <= > >=
    left: Node
    right: Node


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Arithmetic(Node):
    """+ - * / on numbers, quantities and durations."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class DateShift(Node):
    """A date moved by a duration: `d + 20 weeks`, `d - 12 months` (months clamp to the month's end)."""

    date: Node
    amount: Node
    months: bool
    subtract: bool


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class DateDifference(Node):
    """`a - b` for two dates: the number of days from b to a."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Membership(Node):
    """`x in list` / `x not in list`."""

    negated: bool
    item: Node
    collection: Node


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Contains(Node):
    """`text contains phrase` (whole words, any case) or `list contains value`."""

    container: Node
    item: Node


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ContainsAny(Node):
    """`text contains any of phrases`."""

    text_node: Node
    phrases: Node


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Presence(Node):
    """`x is present` (negated False) / `x is missing` (negated True): never missing itself."""

    operand: Node
    negated: bool


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Conditional(Node):
    condition: Node
    then: Node
    otherwise: Node


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Quantified(Node):
    """`every|some|no VAR in COLLECTION [where FILTER] satisfies BODY`."""

    quantifier: str
    var: str
    collection: Node
    where: Node | None
    body: Node


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Aggregate(Node):
    """`count|sum|min|max|list of VALUE for VAR in COLLECTION [where FILTER]`; `count of X`
    has no variable and no value."""

    kind: str
    var: str | None
    collection: Node
    where: Node | None
    value: Node | None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Call(Node):
    """A built-in function (see `checker.FUNCTIONS`)."""

    function: str
    args: tuple[Node, ...]


def children(node: Node) -> tuple[Node, ...]:
    """A node's operands in evaluation order (the one walker every later stage shares)."""
    match node:
        case Read(base=base):
            return (base,) if base is not None else ()
        case ListOf(items=items):
            return items
        case Not(operand=x) | Negate(operand=x) | Presence(operand=x):
            return (x,)
        case Logic(operands=operands):
            return operands
        case Compare(left=a, right=b) | Arithmetic(left=a, right=b) | DateDifference(left=a, right=b):
            return (a, b)
        case DateShift(date=a, amount=b):
            return (a, b)
        case Membership(item=a, collection=b):
            return (a, b)
        case Contains(container=a, item=b):
            return (a, b)
        case ContainsAny(text_node=a, phrases=b):
            return (a, b)
        case Conditional(condition=a, then=b, otherwise=c):
            return (a, b, c)
        case Quantified(collection=c, where=w, body=b):
            return (c, b) if w is None else (c, w, b)
        case Aggregate(collection=c, where=w, value=v):
            return tuple(x for x in (c, w, v) if x is not None)
        case Call(args=args):
            return args
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node of an expression, parents before children (iterative: expressions nest at
    most `syntax.MAX_NESTING` deep, but no walker should depend on that)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def pointer_path(node: Node) -> tuple[str | int, ...] | None:
    """The JSON pointer a document read takes, relative to a quantifier variable where it
    starts from one: ("layer",) for `layer`, (binder, "date") for `a.date` with `a` bound by
    node `binder` (an int). None for anything that is not a plain read."""
    parts: list[str | int] = []
    current: Node | None = node
    while isinstance(current, Read):
        parts.append(current.field)
        current = current.base
    if current is None:
        return tuple(reversed(parts)) if parts else None
    if isinstance(current, Variable) and parts:
        return (current.binder, *reversed(parts))
    if isinstance(current, Variable):
        return (current.binder,)
    return None


def is_constant(node: Node) -> bool:
    """A value known without evaluating anything: a literal, enumeration member, or list of them."""
    if isinstance(node, (Const, Member)):
        return True
    return isinstance(node, ListOf) and all(is_constant(i) for i in node.items)


def constant_of(node: Node) -> object:
    """The run-time value of a constant node (see `is_constant`)."""
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Member):
        return node.member
    if isinstance(node, ListOf):
        return tuple(constant_of(i) for i in node.items)
    raise ValueError("not a constant")


def reads_outside(node: Node, *bound_here: int) -> bool:
    """Whether an expression reads a variable bound outside it (and outside `bound_here`), so
    that its value changes from one item of an enclosing list to the next."""
    inside = {n.id for n in walk(node) if isinstance(n, (Quantified, Aggregate))} | set(bound_here)
    return any(isinstance(n, Variable) and n.binder not in inside for n in walk(node))


def mentions(node: Node, binder: int) -> bool:
    return any(isinstance(n, Variable) and n.binder == binder for n in walk(node))


@dataclass(frozen=True, slots=True)
class Join:
    """`some x in LIST [where F] satisfies [I and] KEY = VALUE`, inside another quantifier: the
    value comes from the enclosing item, the list and filters do not. Judged by an index of
    the list's keys built once per evaluation and one lookup per enclosing item, so the cost
    is linear in the plan, not the product of the two lists.

    Forms: `x.key = VALUE`; `VALUE in x.keys` (`keys_are_lists`); `x.key in VALUES`
    (`values_are_lists`). Conditions on the item alone that cannot be missing (`I`, such as
    `x.need_ids is present`) join the filter."""

    quantifier: Quantified
    key: Node
    value: Node
    filters: tuple[Node, ...]
    keys_are_lists: bool
    values_are_lists: bool


def join_of(node: Quantified) -> Join | None:
    """The join a `some` quantifier (or `no`, its negation) amounts to, if it is one."""
    if node.quantifier not in ("some", "no") or reads_outside(node.collection):
        return None
    if node.where is not None and reads_outside(node.where, node.id):
        return None
    conjuncts = node.body.operands if isinstance(node.body, Logic) and node.body.op == "and" else (node.body,)
    filters = [x for x in conjuncts if not reads_outside(x, node.id) and not x.maybe_missing]
    atoms = [x for x in conjuncts if x not in filters]
    if len(atoms) != 1:
        return None
    atom = atoms[0]
    forms: list[tuple[Node, Node, bool, bool]] = []
    if isinstance(atom, Compare) and atom.op == "=":
        forms = [(atom.left, atom.right, False, False), (atom.right, atom.left, False, False)]
    elif isinstance(atom, Membership) and not atom.negated:
        forms = [(atom.collection, atom.item, True, False), (atom.item, atom.collection, False, True)]
    for key, value, keys_are_lists, values_are_lists in forms:
        path = pointer_path(key)
        if path is None or len(path) < 2 or path[0] != node.id or mentions(value, node.id):
            continue
        if not reads_outside(value, node.id) or not _hashable(key.type, keys_are_lists):
            continue
        if values_are_lists and value.type.kind != "list":
            continue
        return Join(node, key, value, tuple(filters), keys_are_lists, values_are_lists)
    return None


def _hashable(ty: Type, listed: bool) -> bool:
    if listed:
        if ty.kind != "list" or ty.element is None:
            return False
        ty = ty.element
    return ty.kind in ("text", "number", "date", "days", "months", "bool", "enum")


@dataclass(frozen=True, slots=True)
class StaticReads:
    """What a rule or a case reads, known without evaluating it: the document fields (as
    pointers from the root), the parameters, and the determinations it rests on."""

    facts: tuple[str, ...]
    parameters: tuple[str, ...]
    determinations: tuple[str, ...]


def static_reads(definitions: dict[str, Node], *roots: Node | None) -> StaticReads:
    """The reads of some expressions and of the definitions they use (`definitions`: each
    definition's expression by name)."""
    facts: dict[str, None] = {}
    params: dict[str, None] = {}
    dets: dict[str, None] = {}
    seen: set[str] = set()
    stack = [r for r in reversed(roots) if r is not None]
    while stack:
        node = stack.pop()
        path = pointer_path(node)
        if path is not None:  # a read: its own pointer stands for the reads of its bases
            if all(isinstance(p, str) for p in path):
                facts["/" + "/".join(str(p) for p in path)] = None
            continue
        if isinstance(node, Parameter):
            params[node.name] = None
        elif isinstance(node, DeterminationRef):
            dets[node.name] = None
        elif isinstance(node, DefinitionRef) and node.name not in seen and node.name in definitions:
            seen.add(node.name)
            stack.append(definitions[node.name])
        stack.extend(reversed(children(node)))
    return StaticReads(tuple(sorted(facts)), tuple(params), tuple(dets))


# ---- declarations, as checked for one plan ------------------------------------------------

TemplatePart = Union[str, Node]


@dataclass(frozen=True, slots=True, eq=False)
class CheckedDefinition:
    declaration: t.Definition
    expr: Node


@dataclass(frozen=True, slots=True, eq=False)
class CheckedException:
    """An exception, and the exceptions to it (ids, in declaration order)."""

    declaration: t.Exception_
    condition: Node
    exceptions: tuple[str, ...]
    explain: tuple[TemplatePart, ...] | None


@dataclass(frozen=True, slots=True, eq=False)
class CheckedRule:
    declaration: t.Rule
    when: Node | None
    requirement: Node | None
    exceptions: tuple[str, ...]
    explain: tuple[TemplatePart, ...] | None
    thresholds: tuple[Threshold, ...]

    @property
    def id(self) -> str:
        return self.declaration.id


@dataclass(frozen=True, slots=True, eq=False)
class CheckedCase:
    declaration: t.Case
    condition: Node
    value: Node
    exceptions: tuple[str, ...]


@dataclass(frozen=True, slots=True, eq=False)
class CheckedDetermination:
    declaration: t.Determination
    cases: tuple[CheckedCase, ...]
    otherwise: Node
    explain: tuple[TemplatePart, ...] | None
    type: Type  # the type of its values

    @property
    def name(self) -> str:
        return self.declaration.name


@dataclass(frozen=True, slots=True, eq=False)
class Threshold:
    """A comparison at the top of a requirement (under and/or/not) between a value from the
    plan and a limit: where a near miss can be measured. `positive` is False under an odd
    number of `not`s; `fact` is the side that reads the plan, with the operator turned so
    that the comparison reads `fact op limit`."""

    comparison: Compare
    positive: bool
    fact: Node
    limit: Node
    op: str
    parameter: str | None


@dataclass(frozen=True, slots=True, eq=False)
class CheckedPlan:
    """One standards set as it judges one kind of plan.

    `definitions` and `determinations` hold what the plan's rules and results need, each
    listed after everything it depends on, so evaluating them in order never recurses."""

    name: str
    title: str | None
    schema: dict[str, object]
    root: Type
    rules: tuple[CheckedRule, ...]
    determinations: tuple[CheckedDetermination, ...]
    definitions: tuple[CheckedDefinition, ...]
    exceptions: dict[str, CheckedException]
    node_count: int
    reported: tuple[str, ...]  # the determinations a result reports (those that apply to this plan)


@dataclass(frozen=True, slots=True, eq=False)
class CheckedParameter:
    declaration: t.Parameter
    type: Type
    values: tuple[tuple[date, object], ...]  # (start, run-time value; MISSING for `none`)

    @property
    def name(self) -> str:
        return self.declaration.name


@dataclass(frozen=True, slots=True, eq=False)
class CheckedExpectation:
    """A test's expectation: a rule's status, or a determination's value as JSON data."""

    declaration: t.Expectation
    value: object = None


@dataclass(frozen=True, slots=True, eq=False)
class CheckedTest:
    source: str
    declaration: t.Test
    expectations: tuple[CheckedExpectation, ...]


@dataclass(frozen=True, slots=True, eq=False)
class CheckedStandards:
    """One checked standards set: its header, parameters and one checked form per plan."""

    header: t.Header
    sources: dict[str, str]  # file path -> text, every file of the set
    plans: dict[str, CheckedPlan]
    enumerations: dict[str, t.Enumeration]
    parameters: dict[str, CheckedParameter]
    rules: tuple[t.Rule, ...]
    exceptions: dict[str, t.Exception_]
    determinations: dict[str, t.Determination]
    tests: tuple[CheckedTest, ...]
    not_judged: tuple[t.NotJudged, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    # Where each plan's schema was looked for, in order, and what was found there: (path, the
    # folder it must be inside or None, "outside" | "missing" | the file's sha256).
    schema_lookups: tuple[tuple[str, str | None, str], ...] = field(default=())
