"""The standards language: parsing, syntax errors, and the formatter's round trip."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inclusion_standards import tree as t
from inclusion_standards.diagnostics import StandardsError
from inclusion_standards.formatter import format_expr, format_module, format_source
from inclusion_standards.syntax import parse, parse_expression, parse_with_diagnostics

TOUR = '''\
# A tour of every declaration
standards "tour"
  title "Tour"
  version "1.0"
  effective from 2029-09-01 until 2035-08-31
  publisher "Policy team"
  supersedes "tour" version "0.9"

import "common.nis"

enumeration Layer "Layers of support":
  universal "Universal",
  targeted "Targeted"

plan isp "Individual Support Plan" schema "isp.schema.json"

parameter review_interval "Longest gap between reviews"
  unit months
  illustrative "Not yet published"
  cite "White Paper 2026, ch. 5" at "https://example.org/wp"
  from 2029-09-01: 12 months
  from 2031-09-01: 6 months cite "Uprating"

define age "Age on the as-of date" applies to isp = age_on(child.dob, as_of)

rule ISP-REVIEW "Reviewed in time"
  applies to isp
  when layer != Layer.universal
  must last_review >= as_of - review_interval
  explain "Last review {last_review}"
  cite "CoP 6.65"
  hint "Hold a review"
  challenge "School complaints"

determination support_layer "Layer"
  applies to isp
  cite "White Paper"
  case Layer.targeted as tgt when count of needs >= 1 because "Needs recorded" cite "WP 4.2"
  otherwise Layer.universal because "No needs"

exception EX-1 "An exception" to support_layer.tgt
  when ehcp_ref is present
  cite "Reg 10(4)(a)"

test "clean plan"
  document "../examples/isp.yaml"
  with /layer = "targeted"
  without /last_review
  as of 2030-06-01
  expect fail ISP-REVIEW
  expect support_layer = Layer.targeted
'''


def test_every_declaration_parses_into_the_tree():
    module = parse(TOUR, "tour.nis")
    kinds = [type(i).__name__ for i in module.items]
    assert kinds == ["Header", "Import", "Enumeration", "PlanBinding", "Parameter", "Definition", "Rule",
                     "Determination", "Exception_", "Test"]
    header = module.items[0]
    assert header.effective_from == date(2029, 9, 1) and header.effective_until == date(2035, 8, 31)
    assert header.supersedes == "tour" and header.supersedes_version == "0.9"
    param = module.items[4]
    assert param.unit == "months" and param.illustrative == "Not yet published"
    assert [v.start for v in param.values] == [date(2029, 9, 1), date(2031, 9, 1)]
    assert param.values[0].value == t.Quantity(12, "months")
    rule = module.items[6]
    assert rule.severity == "must" and rule.citations[0].text == "CoP 6.65"
    assert isinstance(rule.explain.parts[1], t.Name)
    det = module.items[7]
    assert det.cases[0].label == "tgt" and det.otherwise.because == "No needs"
    exc = module.items[8]
    assert (exc.target, exc.target_case) == ("support_layer", "tgt")
    test = module.items[9]
    assert [p.value for p in test.patches] == [t.Literal("targeted"), None]
    assert test.expectations[0] == t.Expectation("finding", "ISP-REVIEW", status="fail")
    assert module.comments[0].text == "# A tour of every declaration"


def test_nodes_carry_source_spans():
    module = parse(TOUR, "tour.nis")
    rule = module.items[6]
    assert rule.span.line == 26
    assert rule.requirement.span.line == 29 and rule.requirement.span.column == 8


@pytest.mark.parametrize("text, expected", [
    ("a and b or c", t.Logic("or", (t.Logic("and", (t.Name("a"), t.Name("b"))), t.Name("c")))),
    ("a and b and (c and d) and e", t.Logic("and", tuple(t.Name(n) for n in "abcde"))),
    ("a or (b and c or d)", t.Logic("or", (t.Name("a"), t.Logic("and", (t.Name("b"), t.Name("c"))), t.Name("d")))),
    ("not a = 1", t.Unary("not", t.Binary("=", t.Name("a"), t.Literal(1)))),
    ("1 + 2 * 3", t.Binary("+", t.Literal(1), t.Binary("*", t.Literal(2), t.Literal(3)))),
    ("x.y.z is missing", t.Presence(t.Field(t.Field(t.Name("x"), "y"), "z"), True)),
    ("d + 20 weeks", t.Binary("+", t.Name("d"), t.Quantity(20, "weeks"))),
    ("2.5 hours per week", t.Quantity(Decimal("2.5"), "hours per week")),
    ("a and every o in outs where o.m satisfies o.x and o.y",
     t.Logic("and", (t.Name("a"), t.Quantified("every", "o", t.Name("outs"), t.Field(t.Name("o"), "m"),
                                               t.Logic("and", (t.Field(t.Name("o"), "x"),
                                                               t.Field(t.Name("o"), "y"))))))),
    ("(sum of p.h for p in ps where p.a = 1) >= 3",
     t.Binary(">=", t.Aggregate("sum", "p", t.Name("ps"), t.Binary("=", t.Field(t.Name("p"), "a"), t.Literal(1)),
                                t.Field(t.Name("p"), "h")), t.Literal(3))),
    ("count of needs", t.Aggregate("count", None, t.Name("needs"), None, None)),
    ("e.from", t.Field(t.Name("e"), "from")),  # a keyword stays usable as a field name
    ('desc contains any of ["access to", "up to"]',
     t.Binary("contains any of", t.Name("desc"), t.ListExpr((t.Literal("access to"), t.Literal("up to"))))),
])
def test_expressions_parse_with_the_documented_precedence(text, expected):
    assert parse_expression(text) == expected


def test_syntax_error_points_at_the_place_in_plain_words():
    text = 'standards "x" version "1" effective from 2029-09-01\nrule R1 "t"\n  must layer == "targeted"\n'
    _, diagnostics = parse_with_diagnostics(text, "bad.nis")
    (d,) = diagnostics
    assert (d.source, d.span.line, d.span.column) == ("bad.nis", 3, 15)
    assert "`=`" in d.message and "COMPARATOR" not in (d.expected or "")
    assert "single `=`" in d.hint
    rendered = d.render()
    assert '    3 |   must layer == "targeted"' in rendered
    assert rendered.splitlines()[2].endswith("^")


def test_several_broken_declarations_are_all_reported():
    text = ('standards "x" version "1" effective from 2029-09-01\n'
            'rule R1 "a"\n  must (layer = 1\n'
            'rule R2 "fine"\n  must layer = "targeted"\n'
            "rule R3 'single quotes'\n")
    module, diagnostics = parse_with_diagnostics(text, "bad.nis")
    assert [d.span.line for d in diagnostics] == [3, 6]
    assert "stops before it is complete" in diagnostics[0].message
    assert [i.id for i in module.items if isinstance(i, t.Rule)] == ["R2"]
    assert "double quotes" in diagnostics[1].hint


def test_an_impossible_date_is_a_diagnostic():
    _, diagnostics = parse_with_diagnostics('standards "x" version "1" effective from 2027-02-31\n', "d.nis")
    assert diagnostics[0].code == "NIS-S102" and "2027-02-31" in diagnostics[0].message


def test_the_end_of_the_file_in_a_declaration_is_reported():
    _, diagnostics = parse_with_diagnostics('rule R1 "x"\n  must layer =', "eof.nis")
    assert "ends in the middle" in diagnostics[0].message


def test_formatter_is_canonical_idempotent_and_keeps_comments():
    messy = ('# heading\nstandards "x"   version "1"\n effective from 2029-09-01\n'
             'rule R1 "t" must (a and b) or c   # trailing note\n  cite "c"\n')
    out = format_source(messy)
    assert out == ('# heading\nstandards "x"\n  version "1"\n  effective from 2029-09-01\n\n'
                   '# trailing note\nrule R1 "t"\n  must a and b or c\n  cite "c"\n')
    assert format_source(out) == out
    assert parse(out) == parse(messy)


def test_formatter_refuses_text_that_does_not_parse():
    with pytest.raises(StandardsError):
        format_source("rule R1 must (")


def test_tour_round_trips_through_the_formatter():
    out = format_source(TOUR)
    assert parse(out) == parse(TOUR)
    assert format_source(out) == out


# ---- properties ------------------------------------------------------------------------------

KEYWORDS = set(re.findall(r'"([a-z_]+)"', open(__file__.replace("tests/test_language.py", "grammar/nis.lark")).read()))
names = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True).filter(lambda n: n not in KEYWORDS)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
numbers = st.one_of(st.integers(0, 10_000),
                    st.decimals(0, 1000, places=2, allow_nan=False, allow_infinity=False).filter(
                        lambda d: d != d.to_integral_value()))
dates = st.dates(date(2000, 1, 1), date(2040, 12, 31))
units = st.sampled_from(["days", "weeks", "months", "years", "minutes", "hours per week"])

leaves = st.one_of(
    st.builds(t.Literal, numbers), st.builds(t.Literal, texts), st.builds(t.Literal, dates),
    st.builds(t.Literal, st.booleans()), st.builds(t.Quantity, st.integers(0, 500), units),
    st.builds(t.Name, names),
)


def _extend(children):
    binary_ops = st.sampled_from(["=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "in",
                                  "not in", "contains", "contains any of"])
    return st.one_of(
        st.builds(t.Field, children, names),
        st.builds(t.Logic, st.sampled_from(["and", "or"]), st.lists(children, min_size=2, max_size=4).map(tuple)),
        st.builds(t.Binary, binary_ops, children, children),
        st.builds(t.Unary, st.sampled_from(["not", "-"]), children),
        st.builds(t.Presence, children, st.booleans()),
        st.builds(t.Conditional, children, children, children),
        st.builds(t.Quantified, st.sampled_from(["every", "some", "no"]), names, children,
                  st.none() | children, children),
        st.builds(t.Aggregate, st.sampled_from(["sum", "min", "max", "list"]), names, children,
                  st.none() | children, children),
        st.builds(t.Aggregate, st.just("count"), names, children, st.none() | children, st.none()),
        st.builds(t.Aggregate, st.just("count"), st.none(), children, st.none(), st.none()),
        st.builds(t.Call, names, st.lists(children, max_size=3).map(tuple)),
        st.builds(t.ListExpr, st.lists(children, max_size=3).map(tuple)),
    )


expressions = st.recursive(leaves, _extend, max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_any_expression_survives_print_and_parse(expr):
    text = format_expr(expr)
    assert parse_expression(text) == expr
    assert format_expr(parse_expression(text)) == text


rule_ids = st.from_regex(r"[A-Z]{2,4}(-[A-Z0-9]{1,3}){0,2}", fullmatch=True)
citations = st.builds(t.Citation, texts, st.none() | texts)
rules = st.builds(
    t.Rule, rule_ids, st.none() | texts, st.lists(names, max_size=2).map(tuple), st.none() | expressions,
    st.sampled_from(["must", "should"]), expressions, st.none(),
    st.lists(citations, max_size=2).map(tuple), st.none() | texts, st.none() | texts)
parameters = st.builds(
    t.Parameter, names, st.none() | texts, st.none() | units, st.none() | texts,
    st.lists(citations, max_size=1).map(tuple),
    st.lists(st.builds(t.DatedValue, dates, st.none() | leaves, st.none() | citations), min_size=1, max_size=3).map(tuple))
cases = st.builds(t.Case, leaves, st.none() | names, expressions, st.none() | texts, st.none() | citations)
determinations = st.builds(
    t.Determination, names, st.none() | texts, st.lists(names, max_size=2).map(tuple),
    st.lists(citations, max_size=1).map(tuple), st.none() | texts, st.none(),
    st.lists(cases, min_size=1, max_size=3).map(tuple),
    st.builds(t.Otherwise, leaves, st.none() | texts, st.none() | citations))
items = st.one_of(
    rules, parameters, determinations,
    st.builds(t.PlanBinding, names, st.none() | texts, texts),
    st.builds(t.Definition, names, st.none() | texts, st.lists(names, max_size=2).map(tuple), expressions),
    st.builds(t.Import, texts),
    st.builds(t.Exception_, rule_ids, st.none() | texts, rule_ids, st.none() | names, expressions,
              st.lists(citations, max_size=1).map(tuple), st.none()),
    st.builds(t.NotJudged, texts, st.lists(names, max_size=2).map(tuple),
              st.lists(citations, max_size=2).map(tuple)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(items, max_size=5))
def test_any_program_survives_format_and_parse(declarations):
    module = t.Module("<generated>", tuple(declarations))
    text = format_module(module)
    again = parse(text)
    assert again.items == module.items
    assert format_module(again) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_gives_diagnostics_never_a_crash(text):
    module, diagnostics = parse_with_diagnostics(text, "fuzz.nis")
    assert isinstance(module, t.Module)
    for d in diagnostics:
        assert d.code.startswith("NIS-S") and d.span is not None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ["rule", "R1", '"t"', "must", "when", "every", "x", "in", "satisfies", "(", ")", "=", "and", "or",
     "2029-09-01", "3", "weeks", "hours", "per", "week", "cite", "\n", "standards", "test", "expect",
     "pass", "[", "]", ",", "of", "sum", "for", "where", "case", "otherwise", "determination", "#c\n"]),
    max_size=40))
def test_token_soup_gives_diagnostics_never_a_crash(tokens):
    module, diagnostics = parse_with_diagnostics(" ".join(tokens), "soup.nis")
    assert isinstance(module, t.Module)
