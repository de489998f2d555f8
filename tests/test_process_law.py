"""The statutory process of an EHC plan as the bundled standards judge it: the citation each
decision rests on, the messages a caseworker reads when an exception falls short, the way
exceptions count the days they cover, and documents written for the earlier schema.

The boundaries themselves are tested beside the rules (standards/nis/ehcp_*_tests.nis); these
tests pin what a family or a tribunal reads in the result."""
from __future__ import annotations

import copy
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inclusion_standards import api

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = date(2030, 6, 1)


@pytest.fixture(scope="module")
def library():
    return api.load_standards(ROOT / "standards")


def example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def judge(library, doc: dict, as_of: date = AS_OF) -> dict:
    result = api.check(json.dumps(doc, default=str).encode(), as_of=as_of, standards=library)
    return {f["rule"]: f for f in result["findings"]}


# ---- what each rule rests on ------------------------------------------------------------

CITATIONS = {
    "EHCP-T-DECIDE-6W": "reg 5(1)",
    "EHCP-T-NOT-ISSUE-16W": "reg 10(1)",
    "EHCP-T-COMMENTS-15D": "reg 13(1)(a)",
    "EHCP-T-FINAL-20W": "reg 13(2)",
    "EHCP-T-EXCEPTION-TOLD": "Code of Practice (2015) para 9.43",
    "EHCP-REVIEW-DECISION-4W": "reg 20(10)",
    "EHCP-ADVICE-SOUGHT": "reg 6(1)",
    "EHCP-ADVICE-REUSE": "reg 6(4)",
    "EHCP-ADVICE-FAMILY-REQUESTS": "reg 6(1)(h)",
    "EHCP-ADVICE-6W": "reg 8(1)",
    "EHCP-REVIEW-INVITEES": "reg 20(2)",
    "EHCP-REVIEW-NOTICE-2W": "reg 20(3)",
    "EHCP-REVIEW-ADVICE-2W": "reg 20(4)",
    "EHCP-REVIEW-REPORT-2W": "reg 20",
    "EHCP-AMEND-NOTICE-4W": "reg 22(2)(a)",
    "EHCP-AMEND-REPRESENTATIONS-15D": "reg 22(2)(c)",
    "EHCP-AMEND-FINAL-8W": "reg 22(3)",
    "EHCP-AMEND-12W": "R (L, M and P) v Devon CC [2022] EWHC 493 (Admin)",
    "EHCP-NOTICE-REFUSE-ASSESS": "reg 5(3)",
    "EHCP-NOTICE-NOT-ISSUE": "reg 10(3)",
    "EHCP-NOTICE-FINAL-PLAN": "reg 14(2)",
    "EHCP-NOTICE-REVIEW": "reg 20(11)",
    "EHCP-NOTICE-CEASE": "reg 31(3)",
    "EHCP-CEASE-GROUND": "s45(1)",
    "EHCP-CEASE-UNDER-18": "reg 29(1)",
    "EHCP-CEASE-18-PLUS": "reg 30(1)",
    "EHCP-CEASE-CONSULT": "reg 31(1)",
    "EHCP-CEASE-MAINTAINED": "rule 20(1)(c)",
    "EHCP-REASSESS-DECISION-15D": "reg 25(1)",
    "EHCP-REASSESS-NOTICE": "s51(2)(d)",
    "EHCP-REASSESS-14W": "reg 27(2)",
}


@pytest.mark.parametrize("rule, clause", sorted(CITATIONS.items()))
def test_each_process_rule_reports_the_clause_it_rests_on(library, rule, clause):
    findings = judge(library, example("ehcp-current-clean.yaml"))
    assert any(clause in c["text"] for c in findings[rule]["citations"]), findings[rule]["citations"]


def test_must_only_where_the_law_says_must_and_guidance_is_should(library):
    """A process rule is a `must` only on a statute, a regulation, the Tribunal rules or a
    judgment; a rule resting on the Code of Practice or on nis's own reading is a `should`."""
    findings = judge(library, example("ehcp-current-clean.yaml"))
    law = ("SEND Regulations 2014", "Children and Families Act 2014", "Tribunal Procedure", "R (L, M and P)")
    for rule in CITATIONS:
        f = findings[rule]
        texts = [c["text"] for c in f["citations"]]
        if f["severity"] == "error":
            assert any(t.startswith(law) for t in texts), rule
        else:
            assert any("Code of Practice" in t or "nis reading" in t for t in texts), rule
    assert findings["EHCP-T-EXCEPTION-TOLD"]["severity"] == "warning"
    assert findings["EHCP-ADVICE-FAMILY-REQUESTS"]["severity"] == "warning"


def test_the_exceptions_are_lettered_as_the_regulations_letter_them(library):
    (nis,) = library.versions
    exceptions = nis.checked.exceptions
    rules = {r.id: r for r in nis.checked.plans["ehcp"].rules}
    for prefix, clause, rule in (("REG5-4", "reg 5(4)", "EHCP-T-DECIDE-6W"),
                                 ("REG10-4", "reg 10(4)", "EHCP-T-NOT-ISSUE-16W"),
                                 ("REG13-3", "reg 13(3) applying reg 10(4)", "EHCP-T-FINAL-20W")):
        to_rule = set(rules[rule].exceptions)
        assert to_rule == {prefix, *(f"{prefix}-{x}" for x in "ABCD")}
        for letter in "abcd":
            cited = exceptions[f"{prefix}-{letter.upper()}"].citations[0].text
            assert f"{clause}({letter})" in cited, (prefix, letter, cited)
        assert "early years" in exceptions[f"{prefix}-B"].title
        assert "away from the area" in exceptions[f"{prefix}-D"].title
        assert not any("appointment" in exceptions[i].title for i in to_rule)


# ---- exceptions: proved, bounded and said so ---------------------------------------------

def test_the_example_closure_excuses_the_20_weeks_under_reg_10_4_a(library):
    f = judge(library, example("ehcp-current-deadline-excused.yaml"))["EHCP-T-FINAL-20W"]
    assert f["status"] == "excepted"
    assert f["exception"]["id"] == "REG13-3-A"
    assert "reg 13(3) applying reg 10(4)(a)" in f["exception"]["citations"][0]["text"]


def test_an_exception_that_covers_part_of_the_delay_fails_and_says_how_much(library):
    doc = example("ehcp-current-deadline-excused.yaml")
    doc["process"]["exceptions"][0].update({"from": "2027-09-11", "to": "2027-10-20", "advice_requested": "2027-09-05"})
    f = judge(library, doc)["EHCP-T-FINAL-20W"]
    assert f["status"] == "fail"
    assert "Exception claimed, but it covers 17 days of the 18 days' delay." in f["message"]


def _missed_appointment(exception: dict) -> None:
    exception["kind"] = "failed_appointment"


def _no_reason(exception: dict) -> None:
    del exception["kind"]


@pytest.mark.parametrize("change, says", [
    (_missed_appointment, ["A missed appointment is claimed, but regulation 10(4)",
                           "regulation 8(2)(c) excuses only an adviser's own 6 weeks"]),
    (_no_reason, ["An exception is claimed but its reason is not recorded, so it cannot excuse the delay."]),
], ids=["missed appointment", "no reason"])
def test_an_exception_the_law_does_not_recognise_never_excuses_and_says_why(library, change, says):
    doc = example("ehcp-current-deadline-excused.yaml")
    change(doc["process"]["exceptions"][0])
    f = judge(library, doc)["EHCP-T-FINAL-20W"]
    assert f["status"] == "fail"
    assert all(text in f["message"] for text in says), f["message"]


def test_a_closure_without_the_date_advice_was_asked_names_that_date(library):
    doc = example("ehcp-current-deadline-excused.yaml")
    del doc["process"]["exceptions"][0]["advice_requested"]
    f = judge(library, doc)["EHCP-T-FINAL-20W"]
    assert f["status"] == "cannot_judge"
    assert "/process/exceptions/0/advice_requested" in f["missing"]


def test_an_open_case_past_its_limit_is_overdue_on_the_as_of_date(library):
    f = judge(library, example("ehcp-draft-final-overdue.yaml"))["EHCP-T-FINAL-20W"]
    assert f["status"] == "fail"
    assert "no final plan by 1 June 2030" in f["message"]
    assert "days late: 222 days." in f["message"]


def test_a_plan_that_lists_no_exceptions_claims_none(library):
    doc = example("ehcp-current-missed-deadline.yaml")
    del doc["process"]["exceptions"]
    f = judge(library, doc)["EHCP-T-FINAL-20W"]
    assert f["status"] == "fail"
    assert "No exception to this limit is claimed." in f["message"]


def test_the_late_amendment_example_fails_on_the_devon_timetable(library):
    findings = judge(library, example("ehcp-current-late-amendment.yaml"))
    assert {r: findings[r]["status"] for r in ("EHCP-AMEND-NOTICE-4W", "EHCP-AMEND-FINAL-8W", "EHCP-AMEND-12W",
                                               "EHCP-REVIEW-DECISION-4W")} == {
        "EHCP-AMEND-NOTICE-4W": "fail", "EHCP-AMEND-FINAL-8W": "fail", "EHCP-AMEND-12W": "fail",
        "EHCP-REVIEW-DECISION-4W": "pass"}
    assert any("Devon" in c["text"] and "12 weeks" in c["text"] for c in findings["EHCP-AMEND-12W"]["citations"])


# ---- how "covers N days" is counted --------------------------------------------------------

COUNTER = """\
standards "count"
  version "1"
  effective from 2014-09-01
plan ehcp "EHCP" schema "ehcp.schema.json"
rule SHOW "show the days covered"
  applies to ehcp
  must false
  explain "{days_covered(list of e.from for e in process.exceptions, list of e.to for e in process.exceptions, process.request_received, process.final_issued)}|{overlap_days(process.request_received, process.final_issued, 2030-01-10, 2030-01-20)}"
  cite "test"
"""

BASE = {"id": "EHCP-T-1", "child": {"id": "C-T1", "dob": "2018-01-01", "year_group": 5}, "status": "final",
        "sections": {}, "process": {}}


def _days(text: str) -> int:
    number, unit = re.fullmatch(r"(-?\d+) (day|days|week|weeks)", text.strip()).groups()
    return int(number) * (7 if unit.startswith("week") else 1)


@pytest.fixture(scope="module")
def counter(tmp_path_factory):
    folder = tmp_path_factory.mktemp("count")
    (folder / "count.nis").write_text(COUNTER, encoding="utf-8")
    return api.load_standards(folder)


def _count(counter, periods, first: date, last: date) -> tuple[int, int]:
    doc = copy.deepcopy(BASE)
    doc["process"] = {"request_received": first.isoformat(), "final_issued": last.isoformat(),
                      "exceptions": [{"kind": "exceptional_personal_circumstances", "from": a.isoformat(),
                                      "to": b.isoformat()} for a, b in periods]}
    message = api.check(json.dumps(doc).encode(), as_of=AS_OF, standards=counter)["findings"][0]["message"]
    covered, overlap = message.split("|")
    return _days(covered), _days(overlap)


def test_days_covered_counts_a_shared_day_once_and_only_inside_the_period(counter):
    d = date.fromisoformat
    assert _count(counter, [], d("2030-01-01"), d("2030-01-31"))[0] == 0
    # Two periods overlapping on 5-10 January: 1-10 and 5-14 cover 14 days, not 16.
    assert _count(counter, [(d("2030-01-01"), d("2030-01-10")), (d("2030-01-05"), d("2030-01-14"))],
                  d("2030-01-01"), d("2030-01-31"))[0] == 14
    # A period running past the end of the limit counts only up to its last day.
    assert _count(counter, [(d("2030-01-25"), d("2030-02-20"))], d("2030-01-01"), d("2030-01-31"))[0] == 7
    # A period wholly outside it counts nothing; one inside another adds nothing.
    assert _count(counter, [(d("2029-12-01"), d("2029-12-31")), (d("2030-01-02"), d("2030-01-30")),
                            (d("2030-01-10"), d("2030-01-12"))], d("2030-01-01"), d("2030-01-31"))[0] == 29


def test_overlap_days_includes_both_ends(counter):
    d = date.fromisoformat
    assert _count(counter, [], d("2030-01-20"), d("2030-01-31"))[1] == 1   # they share the 20th
    assert _count(counter, [], d("2030-01-21"), d("2030-01-31"))[1] == 0   # they do not meet
    assert _count(counter, [], d("2030-01-01"), d("2030-01-31"))[1] == 11  # 10th to 20th


DAY = st.dates(date(2030, 1, 1), date(2030, 3, 31))


@given(periods=st.lists(st.tuples(DAY, DAY), max_size=5), window=st.tuples(DAY, DAY))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_days_covered_is_the_size_of_the_union_inside_the_window(counter, periods, window):
    first, last = window
    days = {first + timedelta(n) for n in range((last - first).days + 1)}
    union = {a + timedelta(n) for a, b in periods for n in range((b - a).days + 1)}
    assert _count(counter, periods, first, last)[0] == len(days & union)


# ---- documents written for the earlier schema ---------------------------------------------

def test_exceptions_in_the_earlier_form_still_load_and_are_judged(library):
    """The earlier schema required `regulation` and `kind` and knew four kinds; such records
    still load. A missed appointment is judged, and fails, rather than being refused."""
    doc = example("ehcp-current-deadline-excused.yaml")
    doc["process"]["exceptions"] = [{"regulation": "10(4)(d)", "kind": "failed_appointment",
                                     "from": "2027-07-21", "to": "2027-09-02"}]
    loaded = api.load_document(json.dumps(doc, default=str).encode())
    assert loaded.document_type == "ehcp"
    assert judge(library, doc)["EHCP-T-FINAL-20W"]["status"] == "fail"


def test_an_exception_recorded_without_kind_or_dates_loads(library):
    """A local authority's statutory return records only that an exception applied."""
    doc = example("ehcp-current-missed-deadline.yaml")
    doc["process"]["exceptions"] = [{}]
    api.load_document(json.dumps(doc, default=str).encode())
    f = judge(library, doc)["EHCP-T-FINAL-20W"]
    assert f["status"] == "fail"
    assert "reason is not recorded" in f["message"]
