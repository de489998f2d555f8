"""What changed between two versions of the standards, declaration by declaration.

The comparison is of meaning, not of text: declarations are matched by id or name and their
parsed trees compared with layout, comments and source positions left out, and with
quantities reduced to one unit (`2 weeks` is `14 days`, `1 year` is `12 months`). So a
reformatted rule is no change, and a version compared with itself has no changes.

A parameter's values are compared as timelines: for every date on which either version's
value changes, the value each version has in force from that date. A change says the date
it applies from, so "3 → 4 hours per week from 1 September 2031" is one change however
the dated lines were rearranged.

A rule can change what it decides without a word of it changing, when a parameter,
definition, determination or exception it uses changes: those rules are listed as affected,
with what they use that changed.
"""
from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from . import checked as c
from . import tree as t
from .checker import constant_type, constant_value, free_names
from .formatter import format_expr
from .standards import Standards
from .types import UNIT_SCALE, Type

__all__ = ["KINDS", "Aspect", "Change", "Impacted", "StandardsDiff", "diff_standards", "side_of"]

# The kinds of declaration compared, in the order a report lists them.
KINDS = ("parameter", "rule", "determination", "exception", "definition", "enumeration", "plan", "not judged")
_BASE_UNIT = {"days": "days", "weeks": "days", "months": "months", "years": "months",
              "hours per week": "hours per week", "minutes": "minutes", "count": "count"}


@dataclass(frozen=True)
class Aspect:
    """One way a declaration changed: the old and new text, and for a parameter's value the
    date the change applies from."""

    aspect: str
    old: str | None
    new: str | None
    applies_from: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {"aspect": self.aspect, "old": self.old, "new": self.new,
                "applies_from": self.applies_from.isoformat() if self.applies_from else None}


@dataclass(frozen=True)
class Change:
    """A declaration added, removed or changed."""

    kind: str
    name: str
    change: str  # added | removed | changed
    title: str | None
    strength: str | None  # a rule's must/should (the new one; the old one if removed)
    citations: tuple[t.Citation, ...]
    aspects: tuple[Aspect, ...]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "change": self.change, "title": self.title,
                "strength": self.strength, "citations": [{"text": c.text, "url": c.url} for c in self.citations],
                "aspects": [a.to_json() for a in self.aspects]}


@dataclass(frozen=True)
class Impacted:
    """A rule or determination not changed itself that uses something that changed."""

    kind: str
    name: str
    title: str | None
    through: tuple[str, ...]  # "parameter targeted_plus_hours", "definition total_hours", ...

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "title": self.title, "through": list(self.through)}


@dataclass(frozen=True)
class Side:
    """One of the two versions compared."""

    id: str
    version: str
    title: str | None
    effective_from: date
    effective_until: date | None
    sha256: str
    source: str

    @property
    def name(self) -> str:
        return f"{self.id}@{self.version}"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "name": self.name, "title": self.title,
                "effective_from": self.effective_from.isoformat(),
                "effective_until": self.effective_until.isoformat() if self.effective_until else None,
                "sha256": self.sha256, "source": self.source}


def side_of(standards: Standards) -> Side:
    return Side(standards.id, standards.version, standards.title, standards.effective_from,
                standards.effective_until, standards.sha256, standards.entry)


@dataclass(frozen=True)
class StandardsDiff:
    old: Side
    new: Side
    changes: tuple[Change, ...]
    impacted: tuple[Impacted, ...]

    @property
    def empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        """How many declarations were added, removed and changed."""
        out = {"added": 0, "removed": 0, "changed": 0}
        for change in self.changes:
            out[change.change] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {"old": self.old.to_json(), "new": self.new.to_json(), "counts": self.counts(),
                "changes": [c.to_json() for c in self.changes], "impacted": [i.to_json() for i in self.impacted]}


# ---- declarations -----------------------------------------------------------------------------

def declarations(standards: Standards) -> dict[str, dict[str, t.Item]]:
    """Every declaration of a set by kind, then by id or name, in source order."""
    found: dict[str, dict[str, t.Item]] = {kind: {} for kind in KINDS}
    for module in standards.modules:
        for item in module.items:
            key = _key(item)
            if key is not None:
                found[key[0]].setdefault(key[1], item)
    return found


def _key(item: t.Item) -> tuple[str, str] | None:
    match item:
        case t.Parameter(name=name):
            return "parameter", name
        case t.Rule(id=rid):
            return "rule", rid
        case t.Determination(name=name):
            return "determination", name
        case t.Exception_(id=eid):
            return "exception", eid
        case t.Definition(name=name):
            return "definition", name
        case t.Enumeration(name=name):
            return "enumeration", name
        case t.PlanBinding(name=name):
            return "plan", name
        case t.NotJudged(text=text):
            return "not judged", text
    return None


def diff_standards(old: Standards, new: Standards) -> StandardsDiff:
    """Every declaration added, removed or changed from `old` to `new`, and the rules and
    determinations whose outcome may change through something they use."""
    before, after = declarations(old), declarations(new)
    changes: list[Change] = []
    fields_through: dict[tuple[str, str], set[str]] = {}  # who reads a changed field of a plan
    for kind in KINDS:
        olds, news = before[kind], after[kind]
        for name in [*olds, *(n for n in news if n not in olds)]:
            a, b = olds.get(name), news.get(name)
            if a is None and b is not None:
                changes.append(_whole(kind, name, "added", b))
            elif b is None and a is not None:
                changes.append(_whole(kind, name, "removed", a))
            elif a is not None and b is not None:
                aspects = tuple(_aspects(a, b))
                if kind == "plan":  # the schema's fields, which decide what plans are judged on
                    old_plan, new_plan = old.checked.plans.get(name), new.checked.plans.get(name)
                    if old_plan is not None and new_plan is not None:
                        fields = tuple(_fields(old_plan.root, new_plan.root, ""))
                        aspects += fields
                        for reader, through in _readers(old_plan, new_plan, [f.aspect for f in fields]).items():
                            fields_through.setdefault(reader, set()).update(through)
                if aspects:
                    changes.append(dataclasses.replace(_whole(kind, name, "changed", b), aspects=aspects))
    return StandardsDiff(side_of(old), side_of(new), tuple(changes),
                         _impacted(before, after, changes, fields_through))


def _whole(kind: str, name: str, change: str, item: t.Item) -> Change:
    title = getattr(item, "title", None)
    strength = item.severity if isinstance(item, t.Rule) else None
    citations: tuple[t.Citation, ...] = getattr(item, "citations", ())
    return Change(kind, name, change, title, strength, citations, ())


def _aspects(a: t.Item, b: t.Item) -> Iterator[Aspect]:
    """How two declarations of the same kind and name differ in meaning."""
    yield from _texts("title", getattr(a, "title", None), getattr(b, "title", None))
    if isinstance(a, (t.Rule, t.Determination, t.Definition, t.NotJudged)) and isinstance(b, type(a)):
        yield from _texts("applies to", ", ".join(a.applies_to) or None, ", ".join(b.applies_to) or None)
    match a, b:
        case t.Rule(), t.Rule():
            yield from _exprs("condition", a.when, b.when)
            if a.severity != b.severity:
                yield Aspect("strength", a.severity, b.severity)
            yield from _exprs("requirement", a.requirement, b.requirement)
            yield from _texts("explanation", _template(a.explain), _template(b.explain))
            yield from _citations(a.citations, b.citations)
            yield from _texts("hint", a.hint, b.hint)
            yield from _texts("challenge", a.challenge, b.challenge)
        case t.Determination(), t.Determination():
            yield from _cases(a, b)
            yield from _texts("explanation", _template(a.explain), _template(b.explain))
            yield from _citations(a.citations, b.citations)
            yield from _texts("challenge", a.challenge, b.challenge)
        case t.Exception_(), t.Exception_():
            yield from _texts("excepts", _target(a), _target(b))
            yield from _exprs("condition", a.condition, b.condition)
            yield from _texts("explanation", _template(a.explain), _template(b.explain))
            yield from _citations(a.citations, b.citations)
        case t.Parameter(), t.Parameter():
            yield from _texts("unit", a.unit, b.unit)
            yield from _texts("illustrative", a.illustrative, b.illustrative)
            yield from _citations(a.citations, b.citations)
            yield from _values(a.values, b.values)
        case t.Definition(), t.Definition():
            yield from _exprs("expression", a.expr, b.expr)
        case t.Enumeration(), t.Enumeration():
            old = {m.name: m.label for m in a.members}
            new = {m.name: m.label for m in b.members}
            for member in [*old, *(m for m in new if m not in old)]:
                if old.get(member, "\0") != new.get(member, "\0"):
                    yield Aspect("member", _member(member, old), _member(member, new))
        case t.PlanBinding(), t.PlanBinding():
            yield from _texts("schema", a.schema, b.schema)
        case t.NotJudged(), t.NotJudged():
            yield from _citations(a.citations, b.citations)


def _fields(old: Type, new: Type, path: str) -> Iterator[Aspect]:
    """How the fields of two plan schemas' records differ: each field added, removed, or of
    another kind, requirement or nullability, named by its path (`/needs[]/area` for a field
    of every item of a list)."""
    for name in [*old.field_names(), *(n for n in new.field_names() if n not in old.field_names())]:
        before, after, at = old.field_type(name), new.field_type(name), f"{path}/{name}"
        yield from _texts(f"field {at}", _field_text(before, name in old.required),
                          _field_text(after, name in new.required))
        while before is not None and after is not None and before.kind == after.kind == "list":
            before, after, at = before.element, after.element, f"{at}[]"
        if before is not None and after is not None and before.kind == after.kind == "record":
            yield from _fields(before, after, at)


def _field_text(field: Type | None, required: bool) -> str | None:
    if field is None:
        return None
    return f"{field.describe()}, {'required' if required else 'optional'}" + (", may be null" if field.nullable else "")


def _texts(aspect: str, old: str | None, new: str | None) -> Iterator[Aspect]:
    if old != new:
        yield Aspect(aspect, old, new)


def _template(template: t.Template | None) -> str | None:
    return template.text if template is not None else None


def _target(e: t.Exception_) -> str:
    return e.target + (f".{e.target_case}" if e.target_case else "")


def _member(name: str, members: dict[str, str | None]) -> str | None:
    if name not in members:
        return None
    label = members[name]
    return f'{name} "{label}"' if label else name


def _exprs(aspect: str, old: t.Expr | None, new: t.Expr | None) -> Iterator[Aspect]:
    if _canonical(old) != _canonical(new):
        yield Aspect(aspect, format_expr(old) if old is not None else None,
                     format_expr(new) if new is not None else None)


def _citations(old: tuple[t.Citation, ...], new: tuple[t.Citation, ...]) -> Iterator[Aspect]:
    """Citations removed and added (a changed link is one of each)."""
    shown_old = [_cite(c) for c in old]
    shown_new = [_cite(c) for c in new]
    for text in shown_old:
        if text not in shown_new:
            yield Aspect("citation", text, None)
    for text in shown_new:
        if text not in shown_old:
            yield Aspect("citation", None, text)


def _cite(c: t.Citation) -> str:
    return c.text + (f" <{c.url}>" if c.url else "")


def _cases(a: t.Determination, b: t.Determination) -> Iterator[Aspect]:
    """The cases as an ordered list: order decides, so a case moved is a change."""
    old = [_canonical_case(c) for c in a.cases]
    new = [_canonical_case(c) for c in b.cases]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        gone, came = a.cases[i1:i2], b.cases[j1:j2]
        for n in range(max(len(gone), len(came))):
            yield Aspect("case", _case_text(gone[n]) if n < len(gone) else None,
                         _case_text(came[n]) if n < len(came) else None)
    old_otherwise = (_canonical(a.otherwise.value), a.otherwise.because, a.otherwise.citation)
    new_otherwise = (_canonical(b.otherwise.value), b.otherwise.because, b.otherwise.citation)
    if old_otherwise != new_otherwise:
        yield Aspect("otherwise", _otherwise_text(a.otherwise), _otherwise_text(b.otherwise))


def _canonical_case(case: t.Case) -> tuple[object, ...]:
    return (_canonical(case.value), case.label, _canonical(case.condition), case.because, case.citation)


def _case_text(case: t.Case) -> str:
    label = f" as {case.label}" if case.label else ""
    because = f' because "{case.because}"' if case.because else ""
    return f"case {format_expr(case.value)}{label} when {format_expr(case.condition)}{because}"


def _otherwise_text(otherwise: t.Otherwise) -> str:
    because = f' because "{otherwise.because}"' if otherwise.because else ""
    return f"otherwise {format_expr(otherwise.value)}{because}"


def _values(old: tuple[t.DatedValue, ...], new: tuple[t.DatedValue, ...]) -> Iterator[Aspect]:
    """The two timelines of a parameter compared on every date either changes."""
    last: tuple[object, object] | None = None
    for day in sorted({v.start for v in old} | {v.start for v in new}):
        a, b = _in_force(old, day), _in_force(new, day)
        pair = (_value_key(a), _value_key(b))
        if pair[0] != pair[1] and pair != last:
            yield Aspect("value", _value_text(a), _value_text(b), day)
        elif pair[0] == pair[1] and a is not None and b is not None and a.start == b.start == day \
                and a.citation != b.citation:
            yield Aspect("value citation", _cite(a.citation) if a.citation else None,
                         _cite(b.citation) if b.citation else None, day)
        last = pair if pair[0] != pair[1] else None


def _in_force(values: tuple[t.DatedValue, ...], day: date) -> t.DatedValue | None:
    current = None
    for v in values:
        if v.start <= day:
            current = v
    return current


def _value_key(dated: t.DatedValue | None) -> object:
    """What a dated value means: its run-time value and unit family (`2 weeks` is `14 days`)."""
    if dated is None or dated.value is None:
        return None
    ty = constant_type(dated.value)
    family = (ty.kind, ty.unit if ty.kind == "number" else None)
    return (_hashable(constant_value(dated.value)), family)


def _hashable(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    return value


def _value_text(dated: t.DatedValue | None) -> str:
    if dated is None:
        return "no value (not yet declared)"
    if dated.value is None:
        return "none (no value in force)"
    return format_expr(dated.value)


def _canonical(expr: t.Expr | None) -> object:
    """An expression with its quantities in one unit per family, for comparing meaning."""
    if expr is None:
        return None
    if isinstance(expr, t.Quantity):
        return t.Quantity(_scaled(expr.amount, UNIT_SCALE[expr.unit]), _BASE_UNIT[expr.unit])
    changes: dict[str, object] = {}
    for f in dataclasses.fields(expr):
        if f.name == "span":
            continue
        value = getattr(expr, f.name)
        if _is_expr(value):
            changes[f.name] = _canonical(value)
        elif isinstance(value, tuple) and any(_is_expr(v) for v in value):
            changes[f.name] = tuple(_canonical(v) if _is_expr(v) else v for v in value)
    return dataclasses.replace(expr, **changes) if changes else expr  # type: ignore[arg-type]


def _scaled(amount: int | Decimal, scale: int) -> int | Decimal:
    return amount * scale


def _is_expr(value: object) -> bool:
    return isinstance(value, (t.Literal, t.Quantity, t.Name, t.Field, t.Call, t.ListExpr, t.Unary, t.Logic,
                              t.Binary, t.Presence, t.Conditional, t.Quantified, t.Aggregate))


# ---- what changes through what it uses ----------------------------------------------------------

def _impacted(before: dict[str, dict[str, t.Item]], after: dict[str, dict[str, t.Item]],
              changes: list[Change], fields_through: dict[tuple[str, str], set[str]]) -> tuple[Impacted, ...]:
    changed = {(c.kind, c.name) for c in changes}
    out: list[Impacted] = []
    for kind in ("rule", "determination"):
        for name, item in after[kind].items():
            if (kind, name) in changed or name not in before[kind]:
                continue
            through = sorted({f"{k} {n}" for side in (before, after) if name in side[kind]
                              for k, n in _uses(side, side[kind][name]) if (k, n) in changed}
                             | fields_through.get((kind, name), set()))
            if through:
                out.append(Impacted(kind, name, getattr(item, "title", None), tuple(through)))
    return tuple(out)


def _readers(old: c.CheckedPlan, new: c.CheckedPlan, aspects: list[str]) -> dict[tuple[str, str], set[str]]:
    """The rules and determinations that read a changed field of a plan (`field /needs[]/area`
    aspects), in either version, directly or through what they use: a field read, or one inside
    it (a change to `/needs` reaches a rule that reads `/needs[]/area`)."""
    changed = [aspect.removeprefix("field ") for aspect in aspects]
    out: dict[tuple[str, str], set[str]] = {}
    for plan in (old, new):
        for reader, fields in _fields_read(plan).items():
            for path in changed:
                if any(f == path or f.startswith((path + "/", path + "[]")) for f in fields):
                    out.setdefault(reader, set()).add(f"{plan.name} field {path}")
    return out


def _fields_read(plan: c.CheckedPlan) -> dict[tuple[str, str], set[str]]:
    """The plan fields each rule and determination reads to reach its outcome (named as
    `_fields` names them), through the definitions, determinations and exceptions it uses."""
    definitions = {d.declaration.name: [d.expr] for d in plan.definitions}
    determinations = {d.name: [*(n for case in d.cases for n in (case.condition, case.value)), d.otherwise]
                      for d in plan.determinations}
    exceptions = {name: [x.condition] for name, x in plan.exceptions.items()}
    excepted = {d.name: [x for case in d.cases for x in case.exceptions] for d in plan.determinations}
    own: dict[tuple[str, str], tuple[set[str], set[tuple[str, str]]]] = {}

    def direct(key: tuple[str, str], roots: list[c.Node], exceptions_to: Iterable[str]) -> None:
        fields: set[str] = set()
        uses: set[tuple[str, str]] = {("exception", x) for x in exceptions_to}
        collections: dict[int, c.Node] = {}  # a quantifier's node number -> the list it ranges over
        for root in roots:
            for node in c.walk(root):
                if isinstance(node, (c.Quantified, c.Aggregate)):
                    collections[node.id] = node.collection
                elif isinstance(node, c.Read):
                    path = _read_path(node, collections, definitions)
                    if path is not None:
                        fields.add(path)
                elif isinstance(node, c.DefinitionRef):
                    uses.add(("definition", node.name))
                elif isinstance(node, c.DeterminationRef):
                    uses.add(("determination", node.name))
        own[key] = (fields, uses)

    for rule in plan.rules:
        direct(("rule", rule.id), [n for n in (rule.when, rule.requirement) if n is not None], rule.exceptions)
    for name, roots in determinations.items():
        direct(("determination", name), roots, excepted[name])
    for name, roots in definitions.items():
        direct(("definition", name), roots, ())
    for name, roots in exceptions.items():
        direct(("exception", name), roots, plan.exceptions[name].exceptions)
    out: dict[tuple[str, str], set[str]] = {}
    for key in own:
        if key[0] in ("rule", "determination"):
            fields, seen, stack = set(), {key}, [key]
            while stack:
                found = own.get(stack.pop())
                if found is None:
                    continue
                fields |= found[0]
                stack.extend(u for u in found[1] if u not in seen)
                seen |= found[1]
            out[key] = fields
    return out


def _read_path(node: c.Read, collections: dict[int, c.Node], definitions: dict[str, list[c.Node]]) -> str | None:
    """A read's field as `_fields` names it: `/needs[]/area` for `n.area` with `n` over `needs`
    (or over a list a definition keeps of them); None when the list is one the rules make."""
    parts = c.pointer_path(node)
    if parts is None:
        return None
    prefix = ""
    if isinstance(parts[0], int):
        base = _list_path(collections.get(parts[0]), collections, definitions, 0)
        if base is None:
            return None
        prefix, parts = base + "[]", parts[1:]
    return prefix + "".join(f"/{part}" for part in parts)


def _list_path(node: c.Node | None, collections: dict[int, c.Node], definitions: dict[str, list[c.Node]],
               depth: int) -> str | None:
    """The plan's list whose items a list expression holds: the list read, or the list a
    definition, a conditional or `list of x for x in ...` keeps items of."""
    if depth > 16:  # definitions refer to one another a few levels deep at most
        return None
    if isinstance(node, c.Read):
        return _read_path(node, collections, definitions)
    if isinstance(node, c.DefinitionRef) and node.name in definitions:
        return _list_path(definitions[node.name][0], collections, definitions, depth + 1)
    if isinstance(node, c.Conditional):
        return (_list_path(node.then, collections, definitions, depth + 1)
                or _list_path(node.otherwise, collections, definitions, depth + 1))
    if isinstance(node, c.Aggregate) and node.kind == "list" and isinstance(node.value, c.Variable) \
            and node.value.binder == node.id:
        return _list_path(node.collection, {**collections, node.id: node.collection}, definitions, depth + 1)
    return None


def _uses(declared: dict[str, dict[str, t.Item]], root: t.Item) -> set[tuple[str, str]]:
    """Every declaration `root` rests on, directly or through the definitions,
    determinations and exceptions it uses (exceptions to a rule or a determination count)."""
    kinds = {name: kind for kind in ("parameter", "definition", "determination", "enumeration")
             for name in declared[kind]}
    exceptions_to: dict[str, list[t.Exception_]] = {}
    for e in declared["exception"].values():
        assert isinstance(e, t.Exception_)
        exceptions_to.setdefault(e.target, []).append(e)
    seen: set[tuple[str, str]] = set()
    stack: list[t.Item] = [root]
    while stack:
        item = stack.pop()
        for e in exceptions_to.get(_identity(item), ()):
            if ("exception", e.id) not in seen:
                seen.add(("exception", e.id))
                stack.append(e)
        for name in _names(item):
            kind = kinds.get(name)
            if kind is None or (kind, name) in seen:
                continue
            seen.add((kind, name))
            if kind in ("definition", "determination"):
                stack.append(declared[kind][name])
    return seen


def _identity(item: t.Item) -> str:
    if isinstance(item, (t.Rule, t.Exception_)):
        return item.id
    return getattr(item, "name", "")


def _names(item: t.Item) -> Iterable[str]:
    exprs: list[t.Expr | None] = []
    match item:
        case t.Rule():
            exprs = [item.when, item.requirement]
        case t.Determination():
            exprs = [*(e for c in item.cases for e in (c.value, c.condition)), item.otherwise.value]
        case t.Exception_():
            exprs = [item.condition]
        case t.Definition():
            exprs = [item.expr]
    for e in exprs:
        if e is not None:
            yield from free_names(e)
