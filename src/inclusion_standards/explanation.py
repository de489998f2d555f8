"""Explanations: findings, determinations, traces and near misses rendered from what an
explained evaluation recorded (`runtime.Recorder`) and the checked form of the standards.

The record says what happened: which sub-expressions were evaluated and to what, which list
items decided a quantifier, which exceptions were tried and which applied, which case
decided a determination. This module only puts that into words and result data; it works
nothing out again. A node with no recorded value was not evaluated.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from . import checked as c
from .compiler import CompiledDetermination, CompiledPlan, CompiledRule, folded_key
from .results import (
    CANNOT_JUDGE,
    EXCEPTED,
    FAIL,
    NOT_APPLICABLE,
    PASS,
    BriefFinding,
    CaseTrace,
    Citation,
    Determination,
    ExceptionTrace,
    Finding,
    ItemTrace,
    NearMiss,
    ParameterUsed,
    TraceNode,
)
from .runtime import MAX_ITEMS_SHOWN, MISSING, Frame, ItemsSeen, Recorder, phrases
from .tree import Citation as CitationNode
from .types import DAYS, Type
from .wording import NOT_EVALUATED, display, in_force_phrase, in_words, items_phrase, near_miss_text, to_json


@dataclass(frozen=True, slots=True)
class ParameterInForce:
    """A parameter's value in force on a date, and where that value came from."""

    name: str
    title: str | None
    type: Type
    value: Any
    in_force_from: date | None
    illustrative: str | None
    citation: str | None


def citations(nodes: Iterable[CitationNode]) -> list[Citation]:
    return [{"text": n.text, "url": n.url} for n in nodes]


class Explainer:
    """Builds one result's findings and determinations for one document."""

    def __init__(self, plan: CompiledPlan, recorder: Recorder, params: dict[str, Any],
                 param_info: dict[str, ParameterInForce], memo: list[Any], data: Any):
        self.plan = plan
        self.checked = plan.checked
        self.recorder = recorder
        self.params = params
        self.param_info = param_info
        self.memo = memo
        self.data = data
        self.definitions = plan.definitions
        self.decided_parameters: dict[str, dict[str, None]] = {}
        self.illustrative_seen: set[str] = set()
        self.undecidable: dict[str, str] = {}
        # What each definition's record gave a walk for facts (facts, missing, parameters): the
        # same wherever it is used, once every evaluation is done.
        self.definition_reads: dict[str, tuple[dict[str, None], dict[str, None], dict[str, None]]] = {}
        # The illustrative parameters each set of decisions carries into the findings resting on
        # them; forgotten whenever a decision is explained (its parameters are then its own).
        self.decision_marks: dict[tuple[str, ...], frozenset[str]] = {}

    # ---- findings ---------------------------------------------------------------------------
    def finding(self, rule: CompiledRule, status: str, traced: bool, brief: bool) -> Finding | BriefFinding:
        checked, decl = rule.checked, rule.checked.declaration
        facts: dict[str, None] = {}
        missing: dict[str, None] = {}
        used: dict[str, None] = {}
        when = requirement = None
        reasoned = traced or status == CANNOT_JUDGE
        if not reasoned:
            # Without a trace, the fields a rule reads stand for the facts it used (the message
            # names any failing items); only missing facts need the record walked.
            reads = rule.reads
            facts = dict.fromkeys(reads.facts)
            used = dict.fromkeys(reads.parameters)
            for name in reads.determinations:
                used.update(self.determination_parameters(name))
        else:
            if checked.when is not None:
                when = self.node(checked.when, (), {}, facts, missing, used, traced)
            if status != NOT_APPLICABLE and checked.requirement is not None and not (
                    status == CANNOT_JUDGE and checked.when is not None and self.value(checked.when) is MISSING):
                requirement = self.node(checked.requirement, (), {}, facts, missing, used, traced)
        applied = self.recorder.applied.get(decl.id)
        exceptions: list[ExceptionTrace] = []
        if checked.exceptions and status in (EXCEPTED, FAIL, CANNOT_JUDGE):
            # A trace shows every exception tried. Without one, only those that matter: the
            # one that applied, or (cannot be judged) each, for the facts they lack.
            shown = checked.exceptions if traced or status == CANNOT_JUDGE else \
                tuple(x for x in checked.exceptions if x == applied)
            exceptions = [self.exception(exc_id, applied, facts, missing, used, traced) for exc_id in shown]
        if status != CANNOT_JUDGE:
            missing = {}
        near = self.near_misses(checked, status) if status in (PASS, FAIL) else []
        result: Finding = {
            "rule": decl.id,
            "title": decl.title,
            "status": status,  # type: ignore[typeddict-item]
            "severity": "error" if decl.severity == "must" else "warning",
            "message": self.message(rule, status, near, list(missing), applied),
            "citations": citations(decl.citations),
            "facts": sorted(facts),
            "missing": sorted(missing),
            "hint": decl.hint if status in (FAIL, CANNOT_JUDGE) else None,
            "challenge": decl.challenge,
            "exception": next((e for e in exceptions if e["applied"]), None) if status == EXCEPTED else None,
            "near_misses": near,
            "illustrative": sorted(p for p in used if self.param_info[p].illustrative),
        }
        if traced:
            result["trace"] = {"when": when, "requirement": requirement, "exceptions": exceptions,
                               "parameters": [self.parameter(p) for p in used]}
        return result

    def settled_finding(self, index: int, status: str, brief: bool) -> Finding | BriefFinding:
        """A rule met or not applicable, without a trace: all but its illustrative marks reads
        the same for every document, so it is built once per rule and status, and copied. Its
        marks go into the result's list of illustrative figures."""
        entry = self.plan.rule_settled[index].get(status)
        if entry is None:
            entry = self.settle(index, status)
        finding, marked, decisions, brief_form = entry
        if not decisions:
            if marked:
                self.illustrative_seen.update(marked)
            return brief_form.copy() if brief else finding.copy()
        # The decisions it rests on carry their marks: the same for every rule resting on them.
        carried = self.decision_marks.get(decisions)
        if carried is None:
            carried = self.decision_marks[decisions] = frozenset(
                p for name in decisions for p in self.determination_parameters(name) if self.param_info[p].illustrative)
        self.illustrative_seen.update(marked)
        self.illustrative_seen.update(carried)
        if brief:
            return brief_form.copy()
        return {**finding, "illustrative": sorted(carried.union(marked))}

    def settle(self, index: int, status: str) -> tuple[Finding, tuple[str, ...], tuple[str, ...], BriefFinding]:
        rule = self.plan.rules[index]
        decl = rule.checked.declaration
        # A rule that does not apply read only its condition: its requirement was never reached.
        reads = rule.applies_reads if status == NOT_APPLICABLE else rule.reads
        own = sorted(p for p in reads.parameters if self.param_info[p].illustrative)
        finding: Finding = {
            "rule": decl.id, "title": decl.title, "status": status,  # type: ignore[typeddict-item]
            "severity": "error" if decl.severity == "must" else "warning",
            "message": (f"Met: {decl.title or decl.id}." if status == PASS
                        else self.message(rule, status, [], [], None)),
            "citations": citations(decl.citations), "facts": list(reads.facts), "missing": [],
            "hint": None, "challenge": decl.challenge, "exception": None, "near_misses": [],
            "illustrative": own,
        }
        brief_form: BriefFinding = {"rule": decl.id, "title": decl.title, "status": finding["status"],
                                    "severity": finding["severity"]}
        entry = self.plan.rule_settled[index][status] = (finding, tuple(own), reads.determinations, brief_form)
        return entry

    def exception(self, exc_id: str, applied: str | None, facts: dict[str, None], missing: dict[str, None],
                  used: dict[str, None], build: bool) -> ExceptionTrace:
        x = self.checked.exceptions[exc_id]
        condition = self.node(x.condition, (), {}, facts, missing, used, build)
        return {"id": exc_id, "title": x.declaration.title, "applied": exc_id == applied,
                "citations": citations(x.declaration.citations), "condition": condition}

    def message(self, rule: CompiledRule, status: str, near: list[NearMiss], missing: list[str],
                applied: str | None) -> str:
        checked, decl = rule.checked, rule.checked.declaration
        title = decl.title or decl.id
        if status == NOT_APPLICABLE:
            condition = checked.when.text if checked.when else "its condition"
            return f"Does not apply: {condition} is not true for this plan."
        if status == CANNOT_JUDGE:
            reason = self.undecidable.get(decl.id)
            if reason is not None:
                return f"Cannot be judged: a date or number it needs cannot be computed ({reason})."
            if not missing:
                empty = self.empty_extreme(n for n in (checked.when, checked.requirement) if n is not None)
                if empty is not None:
                    return f"Cannot be judged: {empty}"
            what = ", ".join(missing) if missing else "a fact it needs"
            return f"Cannot be judged: the plan does not record {what}."
        if status == EXCEPTED:
            exc = self.checked.exceptions.get(applied or "")
            cite = f" ({exc.declaration.citations[0].text})" if exc and exc.declaration.citations else ""
            return f"Excepted: {exc.declaration.title if exc and exc.declaration.title else applied}{cite}."
        text = self.template(rule.template, checked.explain) if checked.explain is not None else None
        if text is None:
            text = ("Met: " if status == PASS else "Not met: ") + title + "."
            if near:
                text += " " + near[0]["text"]
        if status == FAIL and not near and checked.requirement is not None:
            detail = self.failing_detail(checked.requirement)
            if detail and (checked.explain is None or detail.startswith("Items")):
                text += " " + detail
        return text

    def empty_extreme(self, expressions: Iterable[c.Node]) -> str | None:
        """Why a rule or decision that lacks no fact cannot be judged, when the reason is a
        `min of` or `max of` over no items (which has no value): the aggregate, and the list
        that was empty or whose filter no item passed. Definitions they read are looked into."""
        roots = list(expressions)
        seen: set[str] = set()
        while roots:
            for node in c.walk(roots.pop(0)):
                if isinstance(node, c.DefinitionRef) and node.name not in seen and self.value(node) is MISSING:
                    seen.add(node.name)
                    roots.append(self.definitions[node.name].expr)
                if not (isinstance(node, c.Aggregate) and node.kind in ("min", "max")
                        and self.value(node) is MISSING):
                    continue
                items = self.value(node.collection)
                kept = self.recorder.items.get((node.id, ()))
                if not isinstance(items, (list, tuple)) or kept is None or kept.deciding_count:
                    continue  # an item it kept (or could not tell whether to keep) lacked a value
                if not items:
                    return f"{node.text} has no value: {node.collection.text} has no items."
                if node.where is not None:
                    return f"{node.text} has no value: {node.collection.text} has no item where {node.where.text}."
        return None

    def template(self, fn: Any, parts: tuple[c.TemplatePart, ...] | None) -> str | None:
        if parts is None:
            return None
        try:
            # The evaluation's own memo: a definition the outcome pass worked out is not worked
            # out again (evaluation is pure, so the value is the same).
            values = iter(fn(self.data, self.params, self.memo) if fn else ())
        except (ArithmeticError, ValueError):
            values = iter([MISSING] * len(parts))
        return "".join(part if isinstance(part, str) else in_words(next(values), part.type,
                                                                  identifiers=self.lists_ids(part))
                       for part in parts)

    def lists_ids(self, node: c.Node) -> bool:
        """Whether an explanation's `{...}` lists the plan's own item ids (`list of f.id for f
        in ...`, directly or through a definition): they read bare, "F1 and F4", not quoted."""
        while isinstance(node, c.DefinitionRef):
            node = self.definitions[node.name].expr
        return (isinstance(node, c.Aggregate) and node.kind == "list" and isinstance(node.value, c.Read)
                and (node.value.field == "id" or node.value.field.endswith("_id")))

    def failing_detail(self, node: c.Node) -> str | None:
        """For a failed requirement without a threshold: the items or values that failed it."""
        if isinstance(node, c.Logic) and node.op == "and":
            for operand in node.operands:
                if self.value(operand) is False:
                    return self.failing_detail(operand)
            return None
        if isinstance(node, c.Quantified):
            seen = self.recorder.items.get((node.id, ()))
            collection = self.value(node.collection)
            if seen is None or not isinstance(collection, (list, tuple)):
                return None
            base = self.pointer(node.collection, {})
            bad = []
            for index in seen.deciding:
                v = self.value(node.body, ((node.id, index),))
                if (node.quantifier == "every" and v is False) or (node.quantifier == "no" and v is True):
                    bad.append(f"{base}/{index}" if base else f"item {index + 1}")
            if bad:
                return "Items that fail it: " + items_phrase(bad, seen.deciding_count - len(seen.deciding)) + "."
            if node.quantifier == "some":
                return f"No item of {node.collection.text} satisfies it."
            return None
        if isinstance(node, c.ContainsAny):
            text, listed = self.value(node.text_node), self.value(node.phrases)
            if isinstance(text, str) and isinstance(listed, (list, tuple)):
                found = phrases(listed).all_found(text)
                if found:
                    return f'It contains "{found[0]}".'
        values = []
        leaves = self.plan.failing_leaves.get(node.id)
        if leaves is None:
            leaves = self.plan.failing_leaves[node.id] = _leaves(node)
        for leaf in leaves:
            v = self.value(leaf)
            if v is not NOT_EVALUATED and not isinstance(v, dict):
                said = f"{leaf.text} is {display(v, leaf.type)}"
                if said not in values:  # a field the requirement reads twice is named once
                    values.append(said)
        return ("Found: " + "; ".join(values[:4]) + ".") if values else None

    # ---- values and pointers ----------------------------------------------------------------
    def shape(self, node: c.Node) -> _Shape:
        shape: _Shape | None = self.plan.shapes.get(node.id)
        if shape is None:
            shape = self.plan.shapes[node.id] = _shape(node, folded_key(self.checked.name, node))
        return shape

    def value(self, node: c.Node, frame: Frame = ()) -> Any:
        """What a node came to (in a frame of list items): recorded, or a constant."""
        values = self.recorder.frames.get(frame)
        recorded = values.get(node.id, NOT_EVALUATED) if values is not None else NOT_EVALUATED
        if recorded is NOT_EVALUATED:
            shape = self.shape(node)
            if shape.constant is not NOT_EVALUATED:
                return shape.constant
            # A step of a part computed once per as-of date from parameters (`bind`).
            return self.params.get(shape.folded, NOT_EVALUATED)
        return recorded

    def pointer(self, node: c.Node, env: dict[int, str | None]) -> str | None:
        """The JSON pointer of the document fact a node reads, if it reads one (`env` maps a
        quantifier's node number to the pointer of the item it is on)."""
        return self.shape(node).pointer(env)

    # ---- trace trees --------------------------------------------------------------------------
    def parameter(self, name: str) -> ParameterUsed:
        info = self.param_info[name]
        return {"name": name, "title": info.title, "value": to_json(info.value),
                "display": in_words(info.value, info.type),
                "in_force_from": info.in_force_from.isoformat() if info.in_force_from else "",
                "illustrative": info.illustrative, "citation": info.citation}

    def node(self, node: c.Node, frame: Frame, env: dict[int, str | None], facts: dict[str, None],
             missing: dict[str, None], used: dict[str, None], build: bool = True,
             tested_for_presence: bool = False) -> TraceNode | None:
        """The trace tree of an expression; with build=False only the facts, missing facts and
        parameters it used are collected (for results without traces, much cheaper)."""
        if not build:
            self.gather(node, frame, env, facts, missing, used, tested_for_presence)
            return None
        shape = self.plan.shapes.get(node.id) or self.shape(node)
        kind = shape.kind
        if kind == _VARIABLE:
            if not build:
                return None
            item = self.value(node, frame)
            return {"expr": shape.text, "item": env.get(shape.binder), "value": to_json(item),
                    "display": display(item, node.type)}
        value = self.value(node, frame)
        if value is NOT_EVALUATED:
            return {"expr": shape.text, "evaluated": False} if build else None
        pointer = shape.pointer(env) if shape.path is not None else None
        if pointer is not None:
            if value is MISSING and not tested_for_presence:
                missing[pointer] = None
            else:  # a field only tested with `is present` / `is missing`: its absence is the fact
                facts[pointer] = None
        if kind == _PARAMETER:
            used[shape.name] = None
        elif kind == _DETERMINATION:
            used.update(self.determination_parameters(shape.name))
            if value is MISSING:  # an undecided decision: the facts it lacks are what is missing here
                self.undecided_facts(shape.name, missing)
        if build:
            if value is True or value is False:  # most nodes: what to_json and display give a truth value
                out: TraceNode = {"expr": shape.text, "value": value, "display": "yes" if value else "no"}
            else:
                out = {"expr": shape.text, "value": to_json(value), "display": display(value, node.type)}
            if pointer is not None:
                out["pointer"] = pointer
            if value is MISSING:
                out["missing"] = True
            if kind == _PARAMETER:
                info = self.param_info[shape.name]
                out["parameter"] = {"name": shape.name,
                                    "in_force_from": info.in_force_from.isoformat() if info.in_force_from else "",
                                    "illustrative": info.illustrative is not None}
        if kind in (_LEAF, _PARAMETER):
            return out if build else None
        if kind == _DEFINITION:
            child = self.node(self.definitions[shape.name].expr, (), {}, facts, missing, used, build)
            if build:
                out["definition"] = shape.name
                out["children"] = [child]
                return out
            return None
        if kind == _DETERMINATION:
            if build:
                out["determination"] = shape.name
                return out
            return None
        if kind == _LIST:
            assert isinstance(node, (c.Quantified, c.Aggregate))
            if node.id in self.plan.hoisted:
                frame, env = (), {}  # the same for every item: worked out once, at the top level
            child = self.node(node.collection, frame, env, facts, missing, used, build)
            items = self.items(node, frame, env, facts, missing, used, build) if node.var is not None else []
            if build:
                out["children"] = [child]
                if node.var is not None:
                    out["items"] = items
                    seen = self.recorder.items.get((node.id, frame))
                    if seen is not None and seen.deciding_count > len(seen.deciding):
                        out["items_not_shown"] = seen.deciding_count - len(seen.deciding)
                return out
            return None
        presence = shape.presence
        children = [self.node(x, frame, env, facts, missing, used, build, presence) for x in shape.children]
        if not build:
            return None
        if children:
            out["children"] = children
        if value is True and isinstance(node, c.ContainsAny):
            text, listed = self.value(node.text_node, frame), self.value(node.phrases, frame)
            if isinstance(text, str) and isinstance(listed, (list, tuple)):
                found = phrases(listed).all_found(text)
                out["matched"] = found[0] if found else None
        return out

    def gather(self, node: c.Node, frame: Frame, env: dict[int, str | None], facts: dict[str, None],
               missing: dict[str, None], used: dict[str, None], tested_for_presence: bool = False) -> None:
        """What `node` collects with build=False, in the same order, building no trace: the facts
        (pointers) an expression read, the missing ones, and the parameters it used. The
        expression's nodes are walked as a flat list (`gather_steps`), skipping the operands of
        a node that was not evaluated; definitions and lists are walked on their own."""
        steps = self.plan.gather_steps.get((node.id, tested_for_presence))
        if steps is None:
            steps = self.plan.gather_steps[(node.id, tested_for_presence)] = self.gather_steps(
                node, tested_for_presence)
        values = self.recorder.frames.get(frame)
        if values is None:
            values = {}
        params = self.params
        i, end = 0, len(steps)
        while i < end:
            shape, size, presence, node_id = steps[i]
            value = values.get(node_id, NOT_EVALUATED)
            if value is NOT_EVALUATED:
                value = shape.constant
                if value is NOT_EVALUATED:
                    value = params.get(shape.folded, NOT_EVALUATED)
                    if value is NOT_EVALUATED:
                        i += size  # not evaluated: nor were its operands
                        continue
            if shape.path is not None:
                pointer = shape.pointer(env)
                if pointer is not None:
                    if value is MISSING and not presence:
                        missing[pointer] = None
                    else:  # a field only tested with `is present` / `is missing`: its absence is the fact
                        facts[pointer] = None
            kind = shape.kind
            if kind == _OPERATION:
                i += 1  # its operands follow
                continue
            if kind == _PARAMETER:
                used[shape.name] = None
            elif kind == _DETERMINATION:
                used.update(self.determination_parameters(shape.name))
                if value is MISSING:
                    self.undecided_facts(shape.name, missing)
            elif kind == _DEFINITION:
                reads = self.definition_reads.get(shape.name)
                if reads is None:
                    reads = self.definition_reads[shape.name] = ({}, {}, {})
                    self.gather(self.definitions[shape.name].expr, (), {}, *reads)
                facts.update(reads[0])
                missing.update(reads[1])
                used.update(reads[2])
            elif kind == _LIST:
                listed = shape.node
                assert isinstance(listed, (c.Quantified, c.Aggregate))
                inner_frame, inner_env = ((), {}) if node_id in self.plan.hoisted else (frame, env)
                self.gather(listed.collection, inner_frame, inner_env, facts, missing, used)
                if listed.var is not None:
                    self.gather_items(listed, inner_frame, inner_env, facts, missing, used)
            i += size

    def gather_steps(self, root: c.Node, tested_for_presence: bool) -> tuple[tuple[_Shape, int, bool, int], ...]:
        """An expression's nodes in the order `gather` visits them: each with its shape, how many
        steps it and its operands take, and whether its parent tests only its presence. A
        list variable reads nothing, so it takes no step."""
        steps: list[tuple[_Shape, int, bool, int]] = []

        def visit(node: c.Node, presence: bool) -> None:
            shape = self.shape(node)
            if shape.kind == _VARIABLE:
                return
            at = len(steps)
            steps.append((shape, 1, presence, node.id))
            if shape.kind == _OPERATION:
                for child in shape.children:
                    visit(child, shape.presence)
                steps[at] = (shape, len(steps) - at, presence, node.id)

        visit(root, tested_for_presence)
        return tuple(steps)

    def gather_items(self, node: c.Quantified | c.Aggregate, frame: Frame, env: dict[int, str | None],
                     facts: dict[str, None], missing: dict[str, None], used: dict[str, None]) -> None:
        """What `items` collects with build=False, from the same items, building no trace."""
        seen: ItemsSeen | None = self.recorder.items.get((node.id, frame))
        if seen is None or not isinstance(self.value(node.collection, frame), (list, tuple)):
            return
        base = self.pointer(node.collection, env)
        body = node.body if isinstance(node, c.Quantified) else node.value
        where, aggregate, lookup = node.where, isinstance(node, c.Aggregate), seen.kind == "lookup"
        shown = 0
        for index in seen.deciding:
            if not lookup:
                inner = (*frame, (node.id, index))
                if aggregate and where is not None and self.value(where, inner) is False:
                    continue
                inner_env = {**env, node.id: f"{base}/{index}" if base is not None else None}
                if where is not None:
                    self.gather(where, inner, inner_env, facts, missing, used)
                if body is not None and self.value(body, inner) is not NOT_EVALUATED:
                    self.gather(body, inner, inner_env, facts, missing, used)
            shown += 1
            if shown >= MAX_ITEMS_SHOWN:
                break

    def items(self, node: c.Quantified | c.Aggregate, frame: Frame, env: dict[int, str | None],
              facts: dict[str, None], missing: dict[str, None], used: dict[str, None],
              build: bool) -> list[ItemTrace]:
        """The list items that decided a quantifier (or were kept by an aggregate), as recorded."""
        seen: ItemsSeen | None = self.recorder.items.get((node.id, frame))
        collection = self.value(node.collection, frame)
        if seen is None or not isinstance(collection, (list, tuple)):
            return []
        base = self.pointer(node.collection, env)
        body = node.body if isinstance(node, c.Quantified) else node.value
        shown: list[ItemTrace] = []
        for index in seen.deciding:
            inner = (*frame, (node.id, index))
            inner_env = {**env, node.id: f"{base}/{index}" if base is not None else None}
            if seen.kind == "lookup":
                shown.append({"index": index, "pointer": inner_env[node.id], "value": True})
                continue
            where = self.value(node.where, inner) if node.where is not None else True
            if isinstance(node, c.Aggregate) and where is False:
                continue
            result = self.value(body, inner) if body is not None else True
            entry: ItemTrace = {"index": index, "pointer": inner_env[node.id],
                                "value": to_json(result) if result is not NOT_EVALUATED else None}
            if node.where is not None:
                entry["where"] = self.node(node.where, inner, inner_env, facts, missing, used, build)
            if body is not None and result is not NOT_EVALUATED:
                entry["trace"] = self.node(body, inner, inner_env, facts, missing, used, build)
            shown.append(entry)
            if len(shown) >= MAX_ITEMS_SHOWN:
                break
        return shown

    # ---- near misses --------------------------------------------------------------------------
    def near_misses(self, rule: c.CheckedRule, status: str) -> list[NearMiss]:
        """How far the document was from each threshold that decided the rule."""
        want = status == PASS
        found = []
        for t in rule.thresholds:
            held = want if t.positive else not want
            if self.value(t.comparison) is not held:
                continue
            fact, limit = self.value(t.fact), self.value(t.limit)
            if fact in (MISSING, NOT_EVALUATED) or limit in (MISSING, NOT_EVALUATED):
                continue
            try:
                found.append(self.near_miss(t, fact, limit, held))
            except (ArithmeticError, TypeError):
                continue
        return found

    def near_miss(self, t: c.Threshold, fact: Any, limit: Any, held: bool) -> NearMiss:
        kind = t.comparison.left.type.kind
        difference = (fact - limit).days if kind == "date" else fact - limit
        info = self.param_info.get(t.parameter) if t.parameter else None
        in_force = in_force_phrase(info.in_force_from, info.illustrative is not None) if info else ""
        unit_type = DAYS if kind == "date" else t.fact.type
        gap = display(abs(difference), unit_type) if difference != 0 else None
        text = near_miss_text(t.fact.text, display(fact, t.fact.type), display(limit, t.limit.type), gap, held, kind,
                              t.op, difference if kind == "date" else 0, in_force)
        return {"expr": t.comparison.text, "value": to_json(fact), "limit": to_json(limit),
                "difference": to_json(difference),
                "unit": "days" if kind == "date" else (unit_type.unit or unit_type.kind),
                "parameter": t.parameter, "text": text}

    # ---- determinations -----------------------------------------------------------------------
    def determination_parameters(self, name: str, seen: frozenset[str] = frozenset()) -> dict[str, None]:
        """The parameters a determination used for this document (all its cases' if it has not
        been explained yet)."""
        if name in self.decided_parameters:
            return self.decided_parameters[name]
        found: dict[str, None] = {}
        if name not in self.plan.case_reads:
            return found
        for reads in self.plan.case_reads[name]:
            found.update(dict.fromkeys(reads.parameters))
            for other in reads.determinations:
                if other not in seen and other != name:
                    found.update(self.determination_parameters(other, seen | {name}))
        return found

    def undecided_facts(self, name: str, missing: dict[str, None], seen: frozenset[str] = frozenset()) -> None:
        """The missing facts behind an undecided determination, as its record shows them."""
        det = next((d for d in self.checked.determinations if d.name == name), None)
        if det is None or name in seen:
            return
        index = self.recorder.cases.get(name)
        if index is None or index >= len(det.cases):
            return
        found: dict[str, None] = {}
        self.node(det.cases[index].condition, (), {}, {}, found, {}, False)
        missing.update(found)
        if not found:  # undecided through another decision
            for ref in c.walk(det.cases[index].condition):
                if isinstance(ref, c.DeterminationRef) and self.value(ref) is MISSING:
                    self.undecided_facts(ref.name, missing, seen | {name})

    def determination(self, compiled: CompiledDetermination, value: Any, traced: bool) -> Determination:
        det = compiled.checked
        decl = det.declaration
        undetermined = value is MISSING
        explained = traced or undetermined  # else only the outcome form ran
        index = (self.recorder.cases.get(det.name, len(det.cases)) if explained
                 else self.memo[compiled.case_slot])
        if not isinstance(index, int):
            index = len(det.cases)
        decided_value = det.cases[index].value if index < len(det.cases) else det.otherwise
        settled_key = (det.name, index) if not explained and det.explain is None and c.is_constant(decided_value) \
            else None
        if settled_key is not None:
            hit = self.plan.settled.get(settled_key)
            if hit is not None:
                settled, settled_used = hit
                self.decided_parameters[det.name] = settled_used
                self.decision_marks.clear()
                return cast(Determination, dict(settled))
        facts: dict[str, None] = {}
        missing: dict[str, None] = {}
        used: dict[str, None] = {}
        cases: list[CaseTrace] = []
        for i, case in enumerate(det.cases[: index + 1]):
            condition: TraceNode | None = None
            held: Any = NOT_EVALUATED
            if explained:
                condition = self.node(case.condition, (), {}, facts, missing, used, traced)
                held = self.value(case.condition)
            else:
                reads = self.plan.case_reads[det.name][i]
                facts.update(dict.fromkeys(reads.facts))
                used.update(dict.fromkeys(reads.parameters))
                for name in reads.determinations:
                    used.update(self.determination_parameters(name))
            if traced:  # the cases tried are shown only in a trace
                cases.append({"case": i + 1, "label": case.declaration.label, "value": case.value.text,
                              "held": to_json(held) if held is not NOT_EVALUATED else None,
                              "excepted_by": self.recorder.case_exceptions.get((det.name, i)),
                              "because": case.declaration.because, "condition": condition})
        decided = decl.cases[index] if index < len(decl.cases) else decl.otherwise
        because = None if undetermined else decided.because
        value_text = display(value, decided_value.type)
        if isinstance(decided_value, c.Member) and decided_value.label and not undetermined:
            value_text = decided_value.label
        if undetermined:
            reason = self.undecidable.get(det.name)
            if reason is not None:
                explanation = f"Cannot be determined: a date or number it needs cannot be computed ({reason})."
            else:
                empty = self.empty_extreme([det.cases[index].condition]) if not missing and index < len(det.cases) \
                    else None
                explanation = (f"Cannot be determined: in case {index + 1}, {empty}" if empty is not None else
                               f"Cannot be determined: case {index + 1} needs "
                               f"{', '.join(sorted(missing)) or 'a fact the plan does not record'}.")
        elif index < len(det.cases):
            explanation = f"Case {index + 1} holds: {det.cases[index].condition.text}."
        else:
            explanation = "No case holds, so the default applies."
        if det.explain is not None and not undetermined:
            explanation = f"{self.template(compiled.template, det.explain)} {explanation}"
        citation = decided.citation if not undetermined else None
        self.decided_parameters[det.name] = used
        self.decision_marks.clear()
        result: Determination = {
            "name": det.name,
            "title": decl.title,
            "value": to_json(value),
            "display": "not determined" if undetermined else value_text,
            "case": None if undetermined else (index + 1 if index < len(det.cases) else "otherwise"),
            "because": because,
            "explanation": explanation,
            "citations": citations(decl.citations) + (citations([citation]) if citation else []),
            "challenge": decl.challenge,
            "facts": sorted(facts),
            "missing": sorted(missing) if undetermined else [],
            "illustrative": sorted(p for p in used if self.param_info[p].illustrative),
        }
        if traced:
            result["trace"] = {"cases": cases, "parameters": [self.parameter(p) for p in used]}
        if settled_key is not None:
            self.plan.settled[settled_key] = ({**result}, used)
        return result


_VARIABLE, _LEAF, _PARAMETER, _DEFINITION, _DETERMINATION, _LIST, _OPERATION = range(7)


@dataclass(frozen=True, slots=True)
class _Shape:
    """What the explanation needs to know of one node, worked out once: how to render it, its
    text, its operands, the pointer path it reads, its value when it is a constant."""

    kind: int
    text: str
    children: tuple[c.Node, ...]
    path: tuple[str | int, ...] | None
    constant: Any
    folded: str
    name: str
    binder: int
    presence: bool
    written: str  # the pointer, or its part after the item it starts from (path[0] a binder)
    node: c.Node  # the node itself, for a list's collection and items

    def pointer(self, env: dict[int, str | None]) -> str | None:
        path = self.path
        if path is None:
            return None
        head = path[0]
        if isinstance(head, int):
            base = env.get(head)
            return None if base is None else base + self.written
        return self.written


def _shape(node: c.Node, folded: str) -> _Shape:
    name, binder = "", 0
    if isinstance(node, c.Variable):
        kind, binder = _VARIABLE, node.binder
    elif isinstance(node, c.Parameter):
        kind, name = _PARAMETER, node.name
    elif isinstance(node, c.DefinitionRef):
        kind, name = _DEFINITION, node.name
    elif isinstance(node, c.DeterminationRef):
        kind, name = _DETERMINATION, node.name
    elif isinstance(node, (c.Read, c.Const, c.Member, c.AsOf)):
        kind = _LEAF
    elif isinstance(node, (c.Quantified, c.Aggregate)):
        kind = _LIST
    else:
        kind = _OPERATION
    path = c.pointer_path(node)
    written = ""
    if path is not None:
        written = "".join(f"/{p}" for p in path[1:]) if isinstance(path[0], int) else \
            "/" + "/".join(str(p) for p in path)
    return _Shape(kind, node.text, c.children(node), path,
                  c.constant_of(node) if c.is_constant(node) else NOT_EVALUATED, folded, name, binder,
                  isinstance(node, c.Presence), written, node)




def _leaves(node: c.Node) -> tuple[c.Node, ...]:
    """The document reads at the leaves of an expression (not inside quantifiers)."""
    out: list[c.Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (c.Quantified, c.Aggregate)):
            continue
        kids = c.children(current) if not isinstance(current, c.Read) else ()
        if not kids:
            if isinstance(current, c.Read):
                out.append(current)
            continue
        stack.extend(reversed(kids))
    return tuple(out)


