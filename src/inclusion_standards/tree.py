"""The abstract syntax tree of the standards language.

Every node is an immutable value carrying the span of source it came from. Spans are
excluded from equality, so two programs that differ only in layout compare equal: the
property the formatter's round-trip test rests on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Union

from .diagnostics import Span

NO_SPAN = Span(0, 0)


# ---- expressions ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Literal:
    """A number (int or Decimal), text, date or truth value written in the source."""

    value: int | Decimal | str | date | bool
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with a unit: `20 weeks`, `12 months`, `3 hours per week`."""

    amount: int | Decimal
    unit: str  # days | weeks | months | years | minutes | hours per week
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Name:
    """A bare name: a document field, definition, parameter, determination or variable."""

    name: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Field:
    """`base.name`: a field of a record, or a member of an enumeration."""

    base: Expr
    name: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A built-in function: `age_on(child.dob, as_of)`."""

    function: str
    args: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ListExpr:
    items: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "not" | "-"
    operand: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Logic:
    """`a and b and c` or `a or b or c`: one node for a whole chain, so a rule with a hundred
    conditions is one level deep, not a hundred. Operands are kept flat (a chain of the same
    operator inside another is merged into it), which is also how the formatter prints it."""

    op: str  # "and" | "or"
    operands: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    def __post_init__(self) -> None:
        if any(isinstance(o, Logic) and o.op == self.op for o in self.operands):
            flat: list[Expr] = []
            for o in self.operands:
                flat.extend(o.operands if isinstance(o, Logic) and o.op == self.op else (o,))
            object.__setattr__(self, "operands", tuple(flat))


@dataclass(frozen=True, slots=True)
class Binary:
    """Comparisons, arithmetic, `in`, `not in`, `contains`, `contains any of`."""

    op: str
    left: Expr
    right: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Presence:
    """`x is present` (negated=False) or `x is missing` (negated=True)."""

    operand: Expr
    negated: bool
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Conditional:
    condition: Expr
    then: Expr
    otherwise: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Quantified:
    """`every|some|no VAR in COLLECTION [where FILTER] satisfies BODY`."""

    quantifier: str
    var: str
    collection: Expr
    where: Expr | None
    body: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Aggregate:
    """`count of X`, `count of v in X where C`, `sum|min|max|list of E for v in X where C`."""

    kind: str  # count | sum | min | max | list
    var: str | None
    collection: Expr
    where: Expr | None
    value: Expr | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


Expr = Union[Literal, Quantity, Name, Field, Call, ListExpr, Unary, Logic, Binary, Presence,
             Conditional, Quantified, Aggregate]


# ---- declarations --------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Citation:
    """The legal or policy source of a rule: `cite "SEND Regulations 2014, reg. 13(2)"`."""

    text: str
    url: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Template:
    """An explanation with `{expression}` holes filled from the evaluation."""

    text: str
    parts: tuple[str | Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Header:
    id: str
    title: str | None = None
    version: str | None = None
    effective_from: date | None = None
    effective_until: date | None = None
    publisher: str | None = None
    supersedes: str | None = None
    supersedes_version: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Import:
    path: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    label: str | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Enumeration:
    name: str
    title: str | None
    members: tuple[Member, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class DatedValue:
    """The value a parameter takes from `start` until the next dated value begins; None
    (written `none`) when the parameter has no value in that period."""

    start: date
    value: Expr | None
    citation: Citation | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    title: str | None
    unit: str | None
    illustrative: str | None  # None: an official figure; else the reason it is illustrative
    citations: tuple[Citation, ...]
    values: tuple[DatedValue, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class PlanBinding:
    """`plan isp "Individual Support Plan" schema "isp.schema.json"`."""

    name: str
    title: str | None
    schema: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Definition:
    name: str
    title: str | None
    applies_to: tuple[str, ...]
    expr: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str | None
    applies_to: tuple[str, ...]
    when: Expr | None
    severity: str | None  # "must" | "should"
    requirement: Expr | None
    explain: Template | None
    citations: tuple[Citation, ...]
    hint: str | None
    challenge: str | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Case:
    value: Expr
    label: str | None
    condition: Expr
    because: str | None
    citation: Citation | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Otherwise:
    value: Expr
    because: str | None
    citation: Citation | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Determination:
    name: str
    title: str | None
    applies_to: tuple[str, ...]
    citations: tuple[Citation, ...]
    challenge: str | None
    explain: Template | None
    cases: tuple[Case, ...]
    otherwise: Otherwise
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Exception_:  # noqa: N801 - `Exception` is a Python built-in
    """A named exception: when its condition holds, its target does not apply."""

    id: str
    title: str | None
    target: str
    target_case: str | None
    condition: Expr
    citations: tuple[Citation, ...]
    explain: Template | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class NotJudged:
    """Something the standards do not judge (`not judged "..."`): every report says so, so
    a reader never takes silence for a pass."""

    text: str
    applies_to: tuple[str, ...]
    citations: tuple[Citation, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Patch:
    """A test's change to its document: set (value given) or remove (value None)."""

    pointer: str
    value: Expr | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Expectation:
    """`expect fail R` (finding), `expect name = value` (determination), or `expect name
    undetermined` (a determination that cannot be decided: its value is None)."""

    kind: str  # "finding" | "determination"
    target: str
    status: str | None = None
    value: Expr | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Test:
    name: str
    document: str | None
    inline_type: str | None
    inline_text: str | None
    patches: tuple[Patch, ...]
    as_of: date | None
    expectations: tuple[Expectation, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


Item = Union[Header, Import, Enumeration, Parameter, PlanBinding, Definition, Rule,
             Determination, Exception_, NotJudged, Test]


@dataclass(frozen=True, slots=True)
class Comment:
    line: int
    column: int
    text: str


@dataclass(frozen=True, slots=True)
class Module:
    """One parsed file: its items in source order, and its comments for the formatter."""

    source: str
    items: tuple[Item, ...]
    comments: tuple[Comment, ...] = field(default=(), compare=False, repr=False)
    # Names of declarations that did not parse: their syntax error is reported, so a use of
    # one is not reported again as an unknown name.
    unparsed: tuple[str, ...] = field(default=(), compare=False, repr=False)
