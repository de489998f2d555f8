"""Expressions of the checked standards in plain English, for the published standards
(`nis docs`).

The words are made from the checked form, so they follow what is executed: each name says
what it resolves to (a parameter, a definition, a decision, a field of the plan), each
comparison reads by its type (dates are "on or before", quantities "at least"), and each
value is shown as the reports show it ("20 weeks", "3 hours per week"). Fields of the plan
and names are kept as written, between backticks, which the HTML renderer turns into code
and Markdown keeps: a reader can find them in the rule as written, which the document
prints beside the words.

Conjunctions nest as numbered and lettered lists ("all of: (1) ...; (2) ..."), so a long
condition stays unambiguous without parentheses.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import checked as c
from .wording import display

__all__ = ["Glossary", "in_words"]

_MARKS = ("1234567890", "abcdefghij", ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"))
_COMPARE_DATES = {"=": "is", "!=": "is not", "<": "is before", "<=": "is on or before", ">": "is after",
                  ">=": "is on or after"}
_COMPARE_AMOUNTS = {"=": "is", "!=": "is not", "<": "is less than", "<=": "is at most", ">": "is more than",
                    ">=": "is at least"}
_QUESTIONS = frozenset(("how", "whether", "which", "what", "where", "when", "who"))
_ARITHMETIC = {"+": "plus", "-": "minus", "*": "times", "/": "divided by"}


@dataclass(frozen=True)
class Glossary:
    """The titles of the names an expression may use."""

    parameters: dict[str, str]
    definitions: dict[str, str]
    determinations: dict[str, str]


def in_words(node: c.Node, glossary: Glossary) -> str:
    """The expression as a sentence fragment (no capital, no full stop)."""
    return _Words(glossary).say(node, 0)


class _Words:
    def __init__(self, glossary: Glossary):
        self.g = glossary

    def say(self, node: c.Node, depth: int) -> str:
        match node:
            case c.Const():
                return _value(node)
            case c.ListOf(items=items):
                return "[" + ", ".join(self.say(i, depth) for i in items) + "]" if items else "no values"
            case c.Member(label=label, member=member):
                return f"“{label or member}”"
            case c.Read() if node.type.kind == "bool":
                return f"`{node.text}` is yes"
            case c.Read():
                return f"`{node.text}`"
            case c.Variable(name=name):
                return f"`{name}`"
            case c.AsOf():
                return "the date the plan is judged on"
            case c.Parameter(name=name):
                return _titled(self.g.parameters.get(name), name)
            case c.DefinitionRef(name=name):
                return _titled(self.g.definitions.get(name), name)
            case c.DeterminationRef(name=name):
                title = self.g.determinations.get(name)
                return f"the decision “{title}” (`{name}`)" if title else f"the decision `{name}`"
            case c.Not(operand=x):
                if isinstance(x, c.Presence):
                    return f"{self.say(x.operand, depth)} is {'' if x.negated else 'not '}recorded"
                return f"it is not so that {self.say(x, depth + 1)}"
            case c.Negate(operand=x):
                return f"minus {self.say(x, depth)}"
            case c.Logic(op=op, operands=operands):
                return self.logic(op, operands, depth)
            case c.Compare(op=op, left=a, right=b):
                words = _COMPARE_DATES if "date" in (a.type.kind, b.type.kind) else _COMPARE_AMOUNTS
                return f"{self.say(a, depth)} {words[op]} {self.say(b, depth)}"
            case c.Arithmetic(op=op, left=a, right=b):
                return f"{self.say(a, depth)} {_ARITHMETIC[op]} {self.say(b, depth)}"
            case c.DateShift(date=day, amount=amount, subtract=subtract):
                return f"{self.say(amount, depth)} {'before' if subtract else 'after'} {self.say(day, depth)}"
            case c.DateDifference(left=a, right=b):
                return f"the days from {self.say(b, depth)} to {self.say(a, depth)}"
            case c.Membership(negated=negated, item=item, collection=collection):
                return f"{self.say(item, depth)} is {'not ' if negated else ''}one of {self.say(collection, depth)}"
            case c.Contains(container=a, item=b):
                return f"{self.say(a, depth)} contains {self.say(b, depth)}"
            case c.ContainsAny(text_node=a, phrases=b):
                return f"{self.say(a, depth)} contains any of {self.say(b, depth)}"
            case c.Presence(operand=x, negated=negated):
                return f"{self.say(x, depth)} is {'not ' if negated else ''}recorded"
            case c.Conditional(condition=k, then=a, otherwise=b):
                return f"if {self.say(k, depth + 1)}, {self.say(a, depth + 1)}; otherwise {self.say(b, depth + 1)}"
            case c.Quantified():
                return self.quantified(node, depth)
            case c.Aggregate():
                return self.aggregate(node, depth)
            case c.Call(function=function, args=args):
                return self.call(function, [self.say(a, depth) for a in args], node.text)
        return f"`{node.text}`"

    def logic(self, op: str, operands: tuple[c.Node, ...], depth: int) -> str:
        simple = all(not isinstance(o, (c.Logic, c.Quantified, c.Conditional)) for o in operands)
        if len(operands) == 2 and simple:
            return f" {op} ".join(self.say(o, depth + 1) for o in operands)
        marks = _MARKS[depth % len(_MARKS)]
        lead = "all of" if op == "and" else "at least one of"
        parts = [f"({marks[n] if n < len(marks) else n + 1}) {self.say(o, depth + 1)}" for n, o in enumerate(operands)]
        return f"{lead}: " + "; ".join(parts)

    def quantified(self, node: c.Quantified, depth: int) -> str:
        where = f" where {self.say(node.where, depth + 1)}" if node.where is not None else ""
        collection = self.say(node.collection, depth)
        body = self.say(node.body, depth + 1)
        if node.quantifier == "every":
            return f"for every `{node.var}` in {collection}{where}: {body}"
        if node.quantifier == "some":
            return f"at least one `{node.var}` in {collection}{where} has: {body}"
        return f"no `{node.var}` in {collection}{where} has: {body}"

    def aggregate(self, node: c.Aggregate, depth: int) -> str:
        collection = self.say(node.collection, depth)
        where = f" where {self.say(node.where, depth + 1)}" if node.where is not None else ""
        if node.kind == "count":
            if node.var is None:
                return f"the number of entries in {collection}"
            return f"the number of `{node.var}` in {collection}{where}"
        value = self.say(node.value, depth) if node.value is not None else "the entry"
        lead = {"sum": "the total of", "min": "the smallest", "max": "the largest", "list": "the list of"}[node.kind]
        return f"{lead} {value} for each `{node.var}` in {collection}{where}"

    @staticmethod
    def call(function: str, args: list[str], text: str) -> str:
        match function, args:
            case "age_on", [born, day]:
                return f"the age on {day} of a child born on {born}"
            case "year_group_on", [born, day]:
                return f"the year group on {day} of a child born on {born}"
            case "academic_year", [day]:
                return f"the school year of {day}"
            case "start_of_academic_year", [day]:
                return f"1 September of the school year of {day}"
            case "term", [day]:
                return f"the term of {day}"
            case "year_of", [day]:
                return f"the year of {day}"
            case "make_date", [year, month, day]:
                return f"the date with year {year}, month {month} and day {day}"
            case "length", [x]:
                return f"the length of {x}"
            case "lower", [x]:
                return f"{x} in lower case"
            case "overlap_days", [a, b, x, y]:
                return f"the days the periods {a} to {b} and {x} to {y} share"
            case "days_covered", [starts, ends, first, last]:
                return f"the days from {first} to {last} inside at least one period from {starts} to {ends}"
        return f"`{text}`"


def _value(node: c.Const) -> str:
    shown = display(node.value, node.type)
    return shown.replace('"', "“", 1)[:-1] + "”" if shown.startswith('"') else shown


def _titled(title: str | None, name: str) -> str:
    return f"{_noun(title)} (`{name}`)" if title else f"`{name}`"


def _noun(title: str) -> str:
    """A title inside a sentence: "Least weekly provision" becomes "the least weekly
    provision"; a name (ISP, EHCP, Specialist Provision Packages) keeps its capitals."""
    words = title.split(" ")
    proper = (len(words[0]) > 1 and words[0][1].isupper()) or (len(words) > 1 and words[1][:1].isupper())
    first = words[0]
    text = title if proper else title[0].lower() + title[1:]
    if first.lower() in _QUESTIONS:
        return "the figure for " + text
    return text if text.startswith(("the ", "a ", "an ")) else "the " + text
