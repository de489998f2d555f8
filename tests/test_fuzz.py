"""Fuzzing through the public interfaces: the standards parser, the checker and compiler (by
loading generated standards), the document loader, and the evaluator on plans generated from
the schemas with values at the edges of what a plan can hold.

Every run must end in a result or a nis error (diagnostics), never another exception; the
same input must give the same answer twice; and each example must finish within a time and
memory bound.
"""
from __future__ import annotations

import json
import re
import time
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from inclusion_standards import api, syntax
from inclusion_standards.documents import document_schema, load_document
from schema_strategies import from_schema, to_json, to_yaml

EXAMPLES = Path(__file__).parent.parent / "examples"
SCHEMA_FIELDS = ("layer", "created", "last_review", "next_review", "child.dob", "child.year_group", "child_views",
                 "ehcp_ref")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.data_too_large])


def bounded(seconds: float, mebibytes: float, work):
    """Run `work()`, and fail if it takes longer or allocates more at its peak than allowed."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        return work()
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
        assert elapsed < seconds, f"took {elapsed:.1f}s"
        assert peak < mebibytes, f"peak {peak:.0f} MiB"


# ---- the standards language --------------------------------------------------------------------

WORDS = ["standards", "import", "enumeration", "parameter", "plan", "define", "rule", "determination",
         "exception", "not judged", "test", "must", "should", "when", "cite", "explain", "hint", "challenge",
         "applies to", "case", "otherwise", "as", "because", "every", "some", "no", "in", "where", "satisfies",
         "count of", "sum", "min", "max", "list", "and", "or", "not", "is present", "is missing", "if", "then",
         "else", "from", "unit", "days", "weeks", "months", "hours per week", "effective from", "version",
         "true", "false", "document", "with", "without", "expect", "pass", "fail", "as of", "isp", "ehcp",
         "schema", "illustrative", "none", "to", "at", "contains", "contains any of"]
SYMBOLS = ["=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "(", ")", "[", "]", ",", ":", ".", "#", '"',
           '"""', "{", "}", "\n", "\n  ", "  ", "\t", "==", "&&", "'"]
tokens = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(SYMBOLS),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True),
    st.from_regex(r"[A-Z]{1,4}(-[A-Z0-9]{1,4}){1,2}", fullmatch=True),
    st.integers(0, 10 ** 40).map(str), st.decimals(0, 1000, places=3).map(str),
    st.dates().map(date.isoformat), st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.text(max_size=12).map(lambda t: '"' + t.replace('"', "").replace("\n", "") + '"'),
    st.text(max_size=6))


@FUZZ
@given(st.lists(tokens, max_size=150).map(" ".join))
@example('standards "s" version "1" effective from 2029-09-01\nrule R-1 "x"\n  must ' + "9" * 5000)
@example('rule R-1 "x"\n  explain "{' + "(" * 500 + '}"\n')
@example("#" + '"' * 2000 + "\n" + '"""' * 700)
def test_the_parser_answers_any_text_with_a_tree_or_diagnostics(text):
    def parse():
        try:
            return syntax.parse_with_diagnostics(text, "fuzz.nis")[1]
        except api.StandardsError as exc:  # an explanation hole that does not parse
            return exc.diagnostics
    first = bounded(20, 200, parse)
    assert [d.render() for d in first] == [d.render() for d in parse()]


# Conditions that type-check against the ISP schema, built from typed parts and nested a few
# levels: each kind of value is compared only with its own kind.
dates = st.sampled_from(["last_review", "next_review", "created", "child.dob", "as_of", "2029-09-01",
                         "last_review + 12 months", "as_of - review_interval", "created + 20 weeks",
                         "as_of + 100000 months"])  # past the calendar: computed once per date, and fails
numbers = st.sampled_from(["child.year_group", "count of needs", "count of provision", "3", "0", "14",
                           "count of needs + count of provision", "7 / 0"])
texts = st.sampled_from(['layer', 'child_views', '"targeted"', '"targeted_plus"', '""'])
# Lists made every way a rule can make one: read from the plan, written out, by `list of`.
lists = st.sampled_from(["coproduced_with", '["parent", "young_person"]', "[]",
                         "(list of p.provider for p in provision)", "(list of p.role for p in participants)"])
lists_of_lists = st.sampled_from(['[["parent"], ["parent", "young_person"]]',
                                  "(list of (list of o.id for o in outcomes where o.area = n.area) for n in needs)"])
comparisons = st.sampled_from(["=", "!=", "<", "<=", ">", ">="])
leaves = st.one_of(
    st.tuples(dates, comparisons, dates).map(" ".join),
    st.tuples(numbers, comparisons, numbers).map(" ".join),
    st.tuples(texts, st.sampled_from(["=", "!="]), texts).map(" ".join),
    st.tuples(lists, st.sampled_from(["=", "!="]), lists).map(" ".join),
    st.tuples(lists, st.sampled_from(["in", "not in"]), lists_of_lists).map(" ".join),
    st.tuples(lists_of_lists, st.just("contains"), lists).map(" ".join),
    st.sampled_from(["ehcp_ref is present", "ehcp_ref is missing", "true", "false",
                     "every n in needs satisfies n.severity >= 2",
                     "some p in provision where p.evidence_based satisfies p.hours_per_week >= 1 hours per week"]))


def _conditions(inner):
    return st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        inner.map(lambda e: f"not ({e})"),
        inner.map(lambda e: f"every n in needs satisfies n.severity >= 1 and ({e})"),
        st.tuples(inner, inner, inner).map(lambda t: f"if {t[0]} then {t[1]} else {t[2]}"))


expressions = st.recursive(leaves, _conditions, max_leaves=12)
HEADER = """\
standards "fuzz"
  version "1"
  effective from 2029-09-01
plan isp "ISP" schema "isp.schema.json"

parameter review_interval "Interval"
  unit days
  cite "Test"
  from 2029-09-01: 365 days

"""


@FUZZ
@given(st.lists(expressions, min_size=1, max_size=4), st.sampled_from(["must", "should"]))
def test_generated_standards_load_or_are_refused_and_judge_every_example(tmp_path_factory, conditions, severity):
    folder = tmp_path_factory.mktemp("fuzz")
    rules = "".join(f'rule F-{i} "Generated {i}"\n  applies to isp\n  {severity} {c}\n  cite "Test"\n\n'
                    for i, c in enumerate(conditions))
    (folder / "s.nis").write_text(HEADER + rules, encoding="utf-8")

    def load():
        try:
            return api.load_standards(folder)
        except api.StandardsError as exc:
            return exc.diagnostics
    library = bounded(20, 300, load)
    if isinstance(library, tuple):  # refused with diagnostics: the answer for standards it cannot judge by
        return
    for plan in sorted(EXAMPLES.glob("isp-*.yaml")):
        outcomes = [_outcome(plan, library) for _ in range(2)]
        assert outcomes[0] == outcomes[1]


def _outcome(plan: Path, library) -> str:
    try:
        return api.render(api.check(plan, as_of=date(2030, 6, 1), standards=library), "json")
    except api.NisError as exc:
        return "\n".join(d.render() for d in exc.diagnostics)


# ---- the document loader -------------------------------------------------------------------------

numbers = st.one_of(st.integers(-10 ** 30, 10 ** 30).map(str),
                    st.tuples(st.integers(-10 ** 6, 10 ** 6), st.integers(-10 ** 12, 10 ** 12))
                    .map(lambda t: f"{t[0]}e{t[1]}"),
                    st.sampled_from(["0x" + "f" * 5000, "1" * 5000, "1e999999999", "-0.0", "1E-28", "NaN",
                                     "Infinity", ".inf", "0o777", "00012"]))
escapes = st.sampled_from(["\\ud800", "\\udfff", "\\u0000", "\\u001b[31m", "\\u202e", "\\\\", '\\"', "\\n",
                           "\\U0001F600", "\\x41"])
texts = st.lists(st.one_of(st.text(max_size=5).map(lambda t: t.replace('"', "").replace("\\", "")), escapes),
                 max_size=6).map("".join)


def _json_like(children):
    return st.one_of(st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
                     st.lists(st.tuples(texts, children), max_size=4).map(
                         lambda pairs: "{" + ", ".join(f'"{k}": {v}' for k, v in pairs) + "}"))


json_texts = st.recursive(st.one_of(numbers, texts.map(lambda t: f'"{t}"'),
                                    st.sampled_from(["true", "false", "null"])), _json_like, max_leaves=20)


@FUZZ
@given(json_texts, st.sampled_from(["plan.json", "plan.yaml", "plans.jsonl:3"]))
@example('{"id": "\\ud800", "n": ' + "9" * 5000 + "}", "plan.json")
@example("[" * 100 + "]" * 100, "plan.json")
def test_the_loader_answers_any_document_with_data_or_diagnostics(text, source):
    raw = text.encode("utf-8", "surrogatepass")

    def load():
        try:
            loaded = load_document(raw, source=source)
            return json.dumps(loaded.data, default=str, sort_keys=True)
        except api.DocumentError as exc:
            for d in exc.diagnostics:
                d.render().encode("utf-8")  # printable, whatever the document held
            return [d.to_json() for d in exc.diagnostics]
    first = bounded(20, 200, load)
    assert first == load()



yaml_texts = st.one_of(
    json_texts,
    st.sampled_from(["isp", "ehcp"]).flatmap(lambda kind: from_schema(document_schema(kind))).map(
        lambda plan: to_yaml(plan).decode()),
    st.lists(st.sampled_from(list("ab01.-: \n\t[]{},#!?~%@`") + ["2026-01-01", "- ", "k: ", "  ", "\n  "]),
             max_size=30).map("".join))


def _read_as_yaml(text: str) -> object:
    try:
        return json.dumps(load_document(text.encode(), source="plan.yaml").data, default=str, sort_keys=True)
    except api.DocumentError as exc:
        return sorted(d.code for d in exc.diagnostics)


@FUZZ
@given(yaml_texts)
@example("a: 1\na: 2\n")
@example("[" * 70 + "]" * 70)
@example("a: !!python/object:os.system x\n")
@example("- 1\n---\n- 2\n")
def test_yaml_reads_the_same_whichever_composer_builds_it(text):
    """Small plans without anchors are composed by libyaml, the rest by the composer that checks
    each limit as it goes (an anchor or alias sign anywhere, even in a comment, chooses it):
    both give the same data, or the same problems, for the same text after a first comment line
    that differs only in those signs."""
    quick = "# a comment with no anchor or alias sign\n" + text
    careful = "# & * (these signs choose the composer that checks as it goes)\n" + text
    assert _read_as_yaml(quick) == _read_as_yaml(careful)


# ---- the evaluator on plans generated from the schemas -------------------------------------------

@pytest.fixture(scope="module")
def bundled():
    return api.load_standards()


@FUZZ
@given(st.sampled_from(["isp", "ehcp"]).flatmap(lambda kind: st.tuples(st.just(kind), from_schema(
    document_schema(kind), extreme=True))),
    st.dates(date(2029, 9, 1), date(2035, 8, 31)), st.sampled_from(["json", "yaml"]))
def test_plans_at_the_edges_are_judged_the_same_way_twice_within_bounds(bundled, kind_and_plan, as_of, fmt):
    kind, plan = kind_and_plan
    raw = to_json(plan) if fmt == "json" else to_yaml(plan)

    def judge():
        try:
            result = api.check(raw, as_of=as_of, standards=bundled)
        except api.NisError as exc:
            return [d.to_json() for d in exc.diagnostics]
        for form in ("text", "html"):
            api.render(result, form).encode("utf-8")
        return api.render(result, "json")
    first = bounded(30, 300, judge)
    assert first == judge()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_plans_with_dates_at_the_ends_of_the_calendar_are_judged(bundled, day):
    for plan in sorted(EXAMPLES.glob("*.yaml")):
        text = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", day, plan.read_text(encoding="utf-8"))
        try:
            api.check(text.encode(), as_of=date(2030, 6, 1), standards=bundled)
        except api.NisError:
            pass
