"""The canonical layout of standards files (`nis fmt`), and the printer of expressions that
traces and reports use to show what was evaluated.

One declaration per block, one clause per line, two-space indentation, a blank line
between declarations, the fewest parentheses that keep the meaning. Comments are kept:
a comment inside a declaration moves to the lines just above it. Formatting is checked
by re-parsing its own output (parse(fmt(s)) == parse(s)), so it can never change meaning.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from . import syntax
from . import tree as t
from .diagnostics import Diagnostic, StandardsError

_LEVEL = {"or": 1, "and": 2, "=": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "in": 4, "not in": 4,
          "contains": 4, "contains any of": 4, "+": 5, "-": 5, "*": 6, "/": 6}


def format_source(text: str, source: str = "<standards>") -> str:
    """Format a standards file's text; raises StandardsError if it does not parse."""
    module = syntax.parse(text, source)
    out = format_module(module)
    again = syntax.parse(out, source)
    if again != module:  # pragma: no cover - a formatter bug must never rewrite meaning
        raise StandardsError([Diagnostic("error", "NIS-F001", "formatting would change this file's meaning",
                                         source=source, hint="please report this file to the nis maintainers")])
    return out


def format_module(module: t.Module) -> str:
    comments = list(module.comments)
    blocks: list[str] = []
    for item in module.items:
        lead = []
        while comments and comments[0].line <= (item.span.end_line or item.span.line):
            lead.append(comments.pop(0).text)
        block = _item(item)
        if lead:
            block = "\n".join(lead) + "\n" + block
        blocks.append(block)
    if comments:
        blocks.append("\n".join(c.text for c in comments))
    out = []
    for index, block in enumerate(blocks):
        if index:
            # Consecutive imports read as one list; everything else is a paragraph of its own.
            both_imports = block.startswith("import ") and blocks[index - 1].split("\n")[-1].startswith("import ")
            out.append("\n" if both_imports else "\n\n")
        out.append(block)
    return "".join(out) + "\n" if blocks else ""


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def _opt(text: str | None) -> str:
    return f" {_q(text)}" if text is not None else ""


def _cite(c: t.Citation) -> str:
    return f"cite {_q(c.text)}" + (f" at {_q(c.url)}" if c.url is not None else "")


def _applies(names: tuple[str, ...]) -> str:
    return "applies to " + ", ".join(names)


def _item(item: t.Item) -> str:
    if isinstance(item, t.Header):
        lines = [f"standards {_q(item.id)}"]
        if item.title is not None:
            lines.append(f"  title {_q(item.title)}")
        if item.version is not None:
            lines.append(f"  version {_q(item.version)}")
        if item.effective_from is not None:
            until = f" until {item.effective_until.isoformat()}" if item.effective_until else ""
            lines.append(f"  effective from {item.effective_from.isoformat()}{until}")
        if item.publisher is not None:
            lines.append(f"  publisher {_q(item.publisher)}")
        if item.supersedes is not None:
            version = f" version {_q(item.supersedes_version)}" if item.supersedes_version is not None else ""
            lines.append(f"  supersedes {_q(item.supersedes)}{version}")
        return "\n".join(lines)
    if isinstance(item, t.Import):
        return f"import {_q(item.path)}"
    if isinstance(item, t.Enumeration):
        members = ",\n  ".join(f"{m.name}{_opt(m.label)}" for m in item.members)
        return f"enumeration {item.name}{_opt(item.title)}:\n  {members}"
    if isinstance(item, t.Parameter):
        lines = [f"parameter {item.name}{_opt(item.title)}"]
        if item.unit:
            lines.append(f"  unit {item.unit}")
        if item.illustrative is not None:
            reason = "" if item.illustrative == "illustrative" else f" {_q(item.illustrative)}"
            lines.append("  illustrative" + reason)
        lines += [f"  {_cite(c)}" for c in item.citations]
        for v in item.values:
            cite = f" {_cite(v.citation)}" if v.citation else ""
            value = "none" if v.value is None else format_expr(v.value)
            lines.append(f"  from {v.start.isoformat()}: {value}{cite}")
        return "\n".join(lines)
    if isinstance(item, t.PlanBinding):
        return f"plan {item.name}{_opt(item.title)} schema {_q(item.schema)}"
    if isinstance(item, t.Definition):
        applies = f" {_applies(item.applies_to)}" if item.applies_to else ""
        return f"define {item.name}{_opt(item.title)}{applies} = {format_expr(item.expr)}"
    if isinstance(item, t.Rule):
        lines = [f"rule {item.id}{_opt(item.title)}"]
        if item.applies_to:
            lines.append(f"  {_applies(item.applies_to)}")
        if item.when is not None:
            lines.append(f"  when {format_expr(item.when)}")
        if item.requirement is not None:
            lines.append(f"  {item.severity} {format_expr(item.requirement)}")
        if item.explain is not None:
            lines.append(f"  explain {_q(item.explain.text)}")
        lines += [f"  {_cite(c)}" for c in item.citations]
        if item.hint is not None:
            lines.append(f"  hint {_q(item.hint)}")
        if item.challenge is not None:
            lines.append(f"  challenge {_q(item.challenge)}")
        return "\n".join(lines)
    if isinstance(item, t.Determination):
        lines = [f"determination {item.name}{_opt(item.title)}"]
        if item.applies_to:
            lines.append(f"  {_applies(item.applies_to)}")
        lines += [f"  {_cite(c)}" for c in item.citations]
        if item.challenge is not None:
            lines.append(f"  challenge {_q(item.challenge)}")
        if item.explain is not None:
            lines.append(f"  explain {_q(item.explain.text)}")
        for case in item.cases:
            label = f" as {case.label}" if case.label else ""
            tail = (f" because {_q(case.because)}" if case.because is not None else "") + \
                   (f" {_cite(case.citation)}" if case.citation else "")
            lines.append(f"  case {format_expr(case.value)}{label} when {format_expr(case.condition)}{tail}")
        o = item.otherwise
        if o is not None:
            tail = (f" because {_q(o.because)}" if o.because is not None else "") + \
                   (f" {_cite(o.citation)}" if o.citation else "")
            lines.append(f"  otherwise {format_expr(o.value)}{tail}")
        return "\n".join(lines)
    if isinstance(item, t.Exception_):
        target = item.target + (f".{item.target_case}" if item.target_case else "")
        lines = [f"exception {item.id}{_opt(item.title)} to {target}", f"  when {format_expr(item.condition)}"]
        lines += [f"  {_cite(c)}" for c in item.citations]
        if item.explain is not None:
            lines.append(f"  explain {_q(item.explain.text)}")
        return "\n".join(lines)
    if isinstance(item, t.NotJudged):
        lines = [f"not judged {_q(item.text)}"]
        if item.applies_to:
            lines.append(f"  {_applies(item.applies_to)}")
        lines += [f"  {_cite(c)}" for c in item.citations]
        return "\n".join(lines)
    if isinstance(item, t.Test):
        lines = [f"test {_q(item.name)}"]
        if item.document is not None:
            lines.append(f"  document {_q(item.document)}")
        if item.inline_text is not None:
            lines.append(f'  document {item.inline_type} """{item.inline_text}"""')
        for p in item.patches:
            lines.append(f"  with {p.pointer} = {format_expr(p.value)}" if p.value is not None
                         else f"  without {p.pointer}")
        if item.as_of is not None:
            lines.append(f"  as of {item.as_of.isoformat()}")
        for e in item.expectations:
            if e.kind == "finding":
                lines.append(f"  expect {e.status} {e.target}")
            elif e.value is None:
                lines.append(f"  expect {e.target} undetermined")
            else:
                lines.append(f"  expect {e.target} = {format_expr(e.value)}")
        return "\n".join(lines)
    raise AssertionError(type(item))  # pragma: no cover


def format_expr(e: t.Expr, context: int = 0) -> str:
    """An expression in canonical form; parenthesised when `context` binds tighter."""
    text, level = _expr(e)
    return f"({text})" if level < context else text


def _number(v: int | Decimal) -> str:
    return str(v) if not isinstance(v, Decimal) else format(v, "f")


def _expr(e: t.Expr) -> tuple[str, int]:
    if isinstance(e, t.Literal):
        v = e.value
        if isinstance(v, bool):
            return ("true" if v else "false"), 9
        if isinstance(v, str):
            return _q(v), 9
        if isinstance(v, date):
            return v.isoformat(), 9
        return _number(v), 9
    if isinstance(e, t.Quantity):
        unit = e.unit
        if e.amount == 1:  # `1 day`, `1 hour per week`: the parser reads either number
            unit = unit.replace("hours", "hour") if unit.startswith("hours") else unit.removesuffix("s")
        return f"{_number(e.amount)} {unit}", 9
    if isinstance(e, t.Name):
        return e.name, 9
    if isinstance(e, t.Field):
        base = format_expr(e.base, 8)
        if isinstance(e.base, t.Quantity) or (isinstance(e.base, t.Literal) and not isinstance(e.base.value, str)):
            base = f"({base})"  # `3.a` would read as a malformed number
        return f"{base}.{e.name}", 8
    if isinstance(e, t.Call):
        return f"{e.function}({', '.join(format_expr(a) for a in e.args)})", 9
    if isinstance(e, t.ListExpr):
        return "[" + ", ".join(format_expr(a) for a in e.items) + "]", 9
    if isinstance(e, t.Unary):
        if e.op == "not":
            return f"not {format_expr(e.operand, 3)}", 3
        return f"-{format_expr(e.operand, 7)}", 7
    if isinstance(e, t.Logic):
        level = _LEVEL[e.op]
        return f" {e.op} ".join(format_expr(o, level + 1) for o in e.operands), level
    if isinstance(e, t.Binary):
        level = _LEVEL[e.op]
        if level == 4:  # comparisons do not chain
            left = format_expr(e.left, 5)
            if e.op == "in" and isinstance(e.left, t.Aggregate) and e.left.var is None:
                left = f"({left})"  # `count of a in b` would read as counting `a` over `b`
            return f"{left} {e.op} {format_expr(e.right, 5)}", 4
        return f"{format_expr(e.left, level)} {e.op} {format_expr(e.right, level + 1)}", level
    if isinstance(e, t.Presence):
        return f"{format_expr(e.operand, 5)} is {'missing' if e.negated else 'present'}", 4
    if isinstance(e, t.Conditional):
        return (f"if {format_expr(e.condition)} then {format_expr(e.then)} else {format_expr(e.otherwise)}", 0)
    if isinstance(e, t.Quantified):
        where = f" where {format_expr(e.where, 1)}" if e.where is not None else ""
        # A quantifier's body runs to the end, so as an operand it is always parenthesised.
        return (f"{e.quantifier} {e.var} in {format_expr(e.collection, 5)}{where} satisfies "
                f"{format_expr(e.body)}", 0)
    if isinstance(e, t.Aggregate):
        where = f" where {format_expr(e.where, 1)}" if e.where is not None else ""
        if e.kind == "count" and e.var is None:
            return f"count of {format_expr(e.collection, 8)}", 7
        if e.kind == "count":
            text = f"count of {e.var} in {format_expr(e.collection, 5)}{where}"
        else:
            value = format_expr(e.value) if e.value is not None else ""
            text = f"{e.kind} of {value} for {e.var} in {format_expr(e.collection, 5)}{where}"
        # A trailing `where` or collection would swallow what follows: parenthesise as an operand.
        return text, 0
    raise AssertionError(type(e))  # pragma: no cover
