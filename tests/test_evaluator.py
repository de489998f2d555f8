"""The evaluator: every construct under evaluation, missing facts, exceptions, dated
parameters at their boundaries, traces, near misses, version choice and determinism."""
from __future__ import annotations

import copy
import hashlib
import json
import re
import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE_ISP, HEADER
from inclusion_standards import api
from inclusion_standards.standards import load_standards

AS_OF = date(2030, 6, 1)
ROOT = Path(__file__).resolve().parent.parent


def statuses(result) -> dict[str, str]:
    return {f["rule"]: f["status"] for f in result["findings"]}


def finding(result, rule_id) -> dict:
    return next(f for f in result["findings"] if f["rule"] == rule_id)


def evaluate(standards, doc, as_of=AS_OF, **options):
    return api.check(doc, as_of=as_of, standards=standards, include_trace=options.get("include_trace", True))


def run(standards, doc, as_of=AS_OF):
    result = evaluate(standards, doc, as_of)
    fast = api.judge(doc, as_of=as_of, standards=standards)
    assert fast == statuses(result), "fast and traced evaluation disagree"
    return result


@pytest.mark.parametrize("requirement, expected", [
    ('layer = "targeted_plus"', "pass"),
    ('layer in ["targeted", "specialist"]', "fail"),
    ('layer not in ["targeted", "specialist"]', "pass"),
    ("count of needs = 2", "pass"),
    ("(count of n in needs where n.severity >= 3) = 1", "pass"),
    ("(sum of p.hours_per_week for p in provision) = 4.5 hours per week", "pass"),
    ("(max of p.hours_per_week for p in provision) = 3.75 hours per week", "pass"),
    ("(min of o.target_date for o in outcomes) = 2030-07-01", "pass"),
    ('"salt" in list of p.provider for p in provision', "pass"),
    ("every o in outcomes satisfies o.measurable", "pass"),
    ('some p in provision where p.provider = "ta" satisfies p.hours_per_week > 3 hours per week', "pass"),
    ('no p in provision satisfies p.description contains "1:1"', "fail"),
    ('some p in provision satisfies p.description contains "SPEECH AND LANGUAGE"', "pass"),
    ('some p in provision satisfies p.description contains any of ["nurture", "access to"]', "pass"),
    ("created + 20 weeks = 2030-01-28", "pass"),
    ("last_review - created = 132 days", "pass"),
    ("next_review - last_review <= 26 weeks", "pass"),
    ("make_date(2030, 1, 31) + 1 month = 2030-02-28", "pass"),
    ("make_date(2028, 2, 29) + 1 year = 2029-02-28", "pass"),
    ("make_date(2028, 3, 31) - 1 month = 2028-02-29", "pass"),
    ("age_on(child.dob, as_of) >= 14 years", "pass"),
    ("age_on(child.dob, as_of) = 14 years 2 months" if False else "age_on(child.dob, as_of) = 170 months", "pass"),
    ("year_group_on(child.dob, as_of) = 9", "pass"),
    ("academic_year(as_of) = 2029", "pass"),
    ('term(as_of) = "summer" and term(2030-01-05) = "spring" and term(2029-09-01) = "autumn"', "pass"),
    ("start_of_academic_year(2030-08-31) = 2029-09-01", "pass"),
    ('length(needs) = 2 and lower("ABC") = "abc"', "pass"),
    ("if ehcp_ref is present then false else true", "pass"),
    ("ehcp_ref is missing and last_review is present", "pass"),
    ("-(count of needs) < 0 and 7 / 2 = 3.5 and 2 * 3 = 6", "pass"),
    # Lists are equal when they hold equal items in the same order, however each was made.
    ('(list of p.provider for p in provision) = ["salt", "ta"]', "pass"),
    ('(list of p.provider for p in provision) = ["ta", "salt"]', "fail"),
    ('(list of p.provider for p in provision) != ["salt", "ta"]', "fail"),
    ('(list of p.provider for p in provision) != ["salt"]', "pass"),
    ('coproduced_with = ["parent", "young_person"]', "pass"),
    ('coproduced_with = list of p.provider for p in provision', "fail"),
    ('(list of p.id for p in provision where p.provider = "ep") = []', "pass"),
    ('(sum of p.hours_per_week for p in provision where p.provider = "ep") = 0 hours per week', "pass"),
    ('(count of p in provision where p.provider = "ep") = 0', "pass"),
    ('(list of (list of o.id for o in outcomes where o.area = n.area) for n in needs) = [["O1"], ["O2"]]', "pass"),
    ('(list of (list of o.id for o in outcomes where o.area = n.area) for n in needs) = [["O1", "O2"]]', "fail"),
    ('(list of p.provider for p in provision) in [["salt", "ta"], ["ep"]]', "pass"),
    ('coproduced_with in [["parent"], ["young_person", "parent"]]', "fail"),
    ('coproduced_with not in [["parent"]]', "pass"),
    ('[["parent", "young_person"]] contains coproduced_with', "pass"),
])
def test_each_construct_evaluates(make_standards, isp, requirement, expected):
    standards = make_standards(f'rule R1 "t"\n  must {requirement}\n  cite "c"\n')
    assert run(standards, isp)["findings"][0]["status"] == expected


def test_a_list_compared_with_a_missing_list_cannot_be_judged(make_standards, isp):
    standards = make_standards('rule R1 "t" must (list of p.role for p in participants) = ["parent"] cite "c"\n'
                               'rule R2 "t" must (list of p.role for p in participants) != ["parent"] cite "c"\n')
    isp.pop("participants", None)
    result = run(standards, isp)
    assert statuses(result) == {"R1": "cannot_judge", "R2": "cannot_judge"}
    assert finding(result, "R1")["missing"] == ["/participants"]
    isp["participants"] = [{"role": "parent"}]
    assert statuses(run(standards, isp)) == {"R1": "pass", "R2": "fail"}


def test_29_february_birthday_counts_on_1_march(make_standards, isp):
    standards = make_standards('rule R1 "sixteen" must age_on(child.dob, as_of) >= 16 years cite "c"\n')
    isp["child"]["dob"] = "2012-02-29"
    assert finding(run(standards, isp, date(2028, 2, 28)), "R1")["status"] == "fail"
    assert finding(run(standards, isp, date(2028, 2, 29)), "R1")["status"] == "pass"
    isp["child"]["dob"] = "2013-02-28"
    assert finding(run(standards, isp, date(2029, 2, 28)), "R1")["status"] == "pass"


@given(start=st.dates(date(9999, 11, 1), date(9999, 12, 31)), days=st.integers(0, 90))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_days_added_to_a_date_are_exact_to_the_end_of_the_calendar(make_standards, isp, start, days):
    """Both sides of 31 December 9999, with the same day counts asked again and again: past it
    the rule cannot be judged, with the reason; before it the date is exact."""
    standards = make_standards(f'rule R1 "t" must created + {days} days >= created cite "c"\n')
    isp["created"] = start.isoformat()
    for _ in range(2):
        result = evaluate(standards, isp, include_trace=False)
        if (date(9999, 12, 31) - start).days >= days:
            assert finding(result, "R1")["status"] == "pass"
        else:
            assert finding(result, "R1")["status"] == "cannot_judge"
            assert "falls outside the calendar" in finding(result, "R1")["message"]


def test_a_missing_fact_makes_a_rule_cannot_be_judged_and_names_it(make_standards, isp):
    standards = make_standards('''
        rule R1 "reviewed" must last_review >= as_of - 12 months cite "c" hint "record last_review"
        rule R2 "false and missing is false" must layer = "targeted" and last_review >= as_of cite "c"
        rule R3 "true or missing is true" must layer = "targeted_plus" or last_review >= as_of cite "c"
        rule R4 "present" must last_review is present cite "c"
    ''')
    del isp["last_review"]
    result = run(standards, isp)
    r1 = finding(result, "R1")
    assert r1["status"] == "cannot_judge"
    assert r1["missing"] == ["/last_review"]
    assert "/last_review" in r1["message"] and r1["hint"] == "record last_review"
    assert statuses(result) | {} == {"R1": "cannot_judge", "R2": "fail", "R3": "pass", "R4": "fail"}


@pytest.mark.parametrize("ehcp_ref, expected", [(None, "cannot_judge"), ("EHCP-1", "pass"), ("EHCP-2", "fail")])
def test_a_null_the_schema_allows_among_its_values_is_missing(tmp_path, isp, ehcp_ref, expected):
    """A field whose schema lists null among its values (`enum`, no `type`) may be null, even
    where the schema requires it: a null there is a missing fact, never a value that fails the
    rule. A field of a record the plan leaves out (`setting.base`) is missing too."""
    schema = json.loads((ROOT / "schemas" / "isp.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["ehcp_ref"] = {"enum": ["EHCP-1", "EHCP-2", None]}
    schema["required"].append("ehcp_ref")
    (tmp_path / "mine.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "s.nis").write_text(HEADER.replace("isp.schema.json", "mine.schema.json") + textwrap.dedent('''
        rule R1 "t" must ehcp_ref = "EHCP-1" cite "c"
        rule R2 "t" must setting.base.kind = "unit" cite "c"
    '''), encoding="utf-8")
    standards = load_standards(tmp_path).versions[0]
    isp["ehcp_ref"] = ehcp_ref
    result = run(standards, isp)
    assert finding(result, "R1")["status"] == expected
    assert finding(result, "R1")["missing"] == (["/ehcp_ref"] if ehcp_ref is None else [])
    assert finding(result, "R2")["status"] == "cannot_judge"
    assert finding(result, "R2")["missing"] == ["/setting/base/kind"]


def test_a_record_a_plan_gives_otherwise_than_the_standards_schema_says_is_missing(tmp_path, isp):
    """Standards whose own schema types a field as a record (here `child_views`, a text in nis's
    schema): a plan that gives it as text is refused, as their schema says; data judged as given
    (as a case composed from an ISP and an EHCP is) finds the record's fields missing, and the
    check still ends in a result."""
    schema = json.loads((ROOT / "schemas" / "isp.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["child_views"] = {"type": "object", "properties": {"summary": {"type": "string"}}}
    (tmp_path / "mine.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "s.nis").write_text(HEADER.replace("isp.schema.json", "mine.schema.json") + textwrap.dedent('''
        rule R1 "t" must child_views.summary is present cite "c"
        rule R2 "t" must child_views.summary = "x" cite "c"
    '''), encoding="utf-8")
    standards = load_standards(tmp_path).versions[0]
    isp["child_views"] = "I like the quiet room."
    with pytest.raises(api.DocumentError) as refused:
        api.check(isp, as_of=AS_OF, standards=standards)
    assert [(d.code, d.pointer) for d in refused.value.diagnostics] == [("NIS-D103", "/child_views")]
    from inclusion_standards.evaluate import evaluate as judge_as_given

    result = judge_as_given(standards, "isp", isp, AS_OF)
    assert statuses(result) == {"R1": "fail", "R2": "cannot_judge"}
    assert finding(result, "R2")["missing"] == ["/child_views/summary"]


def test_a_missing_fact_inside_a_list_item_is_named_by_pointer(make_standards, isp):
    standards = make_standards('rule R1 "t" must every p in provision satisfies p.duration_weeks > 4 weeks cite "c"\n')
    isp["provision"][1]["duration_weeks"] = 6
    result = run(standards, isp)
    assert finding(result, "R1")["missing"] == ["/provision/0/duration_weeks"]


def test_when_false_is_not_applicable_and_when_missing_cannot_be_judged(make_standards, isp):
    standards = make_standards('''
        rule R1 "t" when layer = "specialist" must ehcp_ref is present cite "c"
        rule R2 "t" when last_review > created must true cite "c"
    ''')
    del isp["last_review"]
    result = run(standards, isp)
    assert statuses(result) == {"R1": "not_applicable", "R2": "cannot_judge"}
    assert finding(result, "R1")["message"].startswith("Does not apply")


DEADLINE = '''
parameter limit "Weeks allowed" cite "reg 13(2)"
  from 2020-01-01: 20 weeks
rule FINAL-20W "Issued within the limit"
  must last_review <= created + limit
  cite "SEND Regulations 2014, reg. 13(2)"
exception HOLIDAY "Advice asked for in a school holiday" to FINAL-20W
  when some h in review_history satisfies h.summary contains "holiday"
  cite "SEND Regulations 2014, reg. 10(4)(a)"
exception NOT-REALLY "The holiday claim was withdrawn" to HOLIDAY
  when some h in review_history satisfies h.summary contains "withdrawn"
  cite "Case file"
'''


def test_an_exception_excepts_a_failed_rule_and_stays_visible(make_standards, isp):
    standards = make_standards(DEADLINE)
    isp["created"], isp["last_review"] = "2029-01-01", "2029-05-25"  # 144 days: 4 days late
    unknown = finding(run(standards, isp), "FINAL-20W")
    assert unknown["status"] == "cannot_judge" and unknown["missing"] == ["/review_history"]
    isp["review_history"] = []
    late = run(standards, isp)
    assert finding(late, "FINAL-20W")["status"] == "fail"
    assert "4 days after the limit of 21 May 2029" in finding(late, "FINAL-20W")["message"]
    isp["review_history"] = [{"date": "2029-02-01", "summary": "Advice requested during the school holiday"}]
    excepted = run(standards, isp)
    f = finding(excepted, "FINAL-20W")
    assert f["status"] == "excepted"
    assert f["exception"]["id"] == "HOLIDAY"
    assert f["exception"]["citations"][0]["text"] == "SEND Regulations 2014, reg. 10(4)(a)"
    assert "reg. 10(4)(a)" in f["message"]
    assert f["trace"]["exceptions"][0]["condition"]["value"] is True
    isp["review_history"].append({"date": "2029-02-15"})  # whether the claim was withdrawn is unknown
    assert finding(run(standards, isp), "FINAL-20W")["status"] == "cannot_judge"
    isp["review_history"].append({"date": "2029-03-01", "summary": "Holiday claim withdrawn"})
    assert finding(run(standards, isp), "FINAL-20W")["status"] == "fail"


def test_an_exception_is_not_needed_when_the_rule_holds(make_standards, isp):
    standards = make_standards(DEADLINE)
    isp["created"], isp["last_review"] = "2029-01-01", "2029-05-21"  # exactly on the deadline
    isp["review_history"] = [{"date": "2029-02-01", "summary": "holiday"}]
    f = finding(run(standards, isp), "FINAL-20W")
    assert f["status"] == "pass"
    assert "falls on the limit" in f["near_misses"][0]["text"]


DATED = '''
parameter min_hours "Least weekly provision at Targeted Plus"
  unit hours per week
  illustrative "Not yet published"
  cite "White Paper 2026"
  from 2020-01-01: 4 hours per week
  from 2030-09-01: 5 hours per week
rule TP-HOURS "Targeted Plus provision adds up"
  when layer = "targeted_plus"
  must (sum of p.hours_per_week for p in provision) >= min_hours
  cite "White Paper 2026"
'''


def test_dated_parameters_change_on_the_day_they_come_into_force(make_standards, isp):
    standards = make_standards(DATED)
    isp["provision"][1]["hours_per_week"] = Decimal("3.75") + Decimal("0.5")  # 5 hours in all
    before = finding(run(standards, isp, date(2030, 8, 31)), "TP-HOURS")
    on = finding(run(standards, isp, date(2030, 9, 1)), "TP-HOURS")
    assert before["status"] == "pass" and on["status"] == "pass"
    isp["provision"][1]["hours_per_week"] = Decimal("3.75")  # 4.5 hours
    before = finding(run(standards, isp, date(2030, 8, 31)), "TP-HOURS")
    on = finding(run(standards, isp, date(2030, 9, 1)), "TP-HOURS")
    assert before["status"] == "pass" and on["status"] == "fail"
    assert on["illustrative"] == ["min_hours"]
    assert on["near_misses"][0]["text"] == (
        "4.5 hours per week against a threshold of 5 hours per week in force from 1 September 2030 "
        "(an illustrative figure): 0.5 hours per week short of it.")
    (param,) = on["trace"]["parameters"]
    assert (param["name"], param["in_force_from"], param["value"]) == ("min_hours", "2030-09-01", 5)


def test_a_quantifier_trace_names_every_item_that_failed(make_standards, isp):
    standards = make_standards('rule R1 "t" must every o in outcomes satisfies o.target_date > last_review + 6 months cite "c"\n')
    isp["outcomes"].append(dict(isp["outcomes"][0], id="O3", target_date="2031-01-01"))
    result = run(standards, isp)
    f = finding(result, "R1")
    assert f["status"] == "fail"
    items = f["trace"]["requirement"]["items"]
    assert [i["pointer"] for i in items] == ["/outcomes/0", "/outcomes/1"]
    assert items[0]["trace"]["children"][0]["pointer"] == "/outcomes/0/target_date"
    assert "/outcomes/0, /outcomes/1" in f["message"]


def test_a_definition_used_inside_a_list_is_explained_with_its_working(make_standards, isp):
    """Items are judged first by the outcome form and again explained where they decide: the
    definition an item uses must still be recorded, so the trace shows its working and a
    missing fact behind it is named."""
    standards = make_standards('''
        define old_enough "Old enough" = age_on(child.dob, created) >= 4 years
        rule R1 "t" must every o in outcomes satisfies old_enough and o.target_date > last_review + 6 months cite "c"
    ''')
    isp["outcomes"].append(dict(isp["outcomes"][0], id="O3", target_date="2031-01-01"))
    f = finding(run(standards, isp), "R1")
    assert f["status"] == "fail"
    used = f["trace"]["requirement"]["items"][0]["trace"]["children"][0]
    assert used["definition"] == "old_enough" and used["children"][0]["value"] is True
    assert used["children"][0]["children"][0]["children"][0]["pointer"] == "/child/dob"
    del isp["child"]["dob"]
    for outcome in isp["outcomes"]:
        outcome["target_date"] = "2039-01-01"
    for traced in (True, False):
        f = finding(evaluate(standards, isp, include_trace=traced), "R1")
        assert f["status"] == "cannot_judge" and f["missing"] == ["/child/dob"], traced
        assert "/created" in f["facts"], traced  # read only by the definition
        assert "/child/dob" in f["message"]


def test_contains_any_of_names_the_phrase_it_found(make_standards, isp):
    standards = make_standards('''
        parameter vague "Vague phrases" cite "CoP 9.69" from 2020-01-01: ["access to", "as required"]
        rule VAGUE "Provision is specific" must no p in provision satisfies p.description contains any of vague cite "CoP 9.69"
    ''')
    isp["provision"][0]["description"] = "Access to speech and language therapy as required"
    f = finding(run(standards, isp), "VAGUE")
    assert f["status"] == "fail"
    assert f["trace"]["requirement"]["items"][0]["trace"]["matched"] == "access to"


DETERMINATION = '''
enumeration Layer "Layers": universal "Universal", targeted "Targeted", targeted_plus "Targeted Plus", specialist "Specialist"
determination support_layer "The layer the plan evidences"
  cite "White Paper 2026"
  case Layer.specialist as spp when ehcp_ref is present because "An EHCP is in place"
  case Layer.targeted_plus when (count of a in external_advice where a.date >= as_of - 12 months) >= 1
    because "Recent external advice"
  case Layer.targeted when count of needs >= 1 because "Needs are recorded"
  otherwise Layer.universal because "No additional needs"
exception NO-SPP "The EHCP is ceasing" to support_layer.spp
  when ehcp_ref = "ceasing"
  cite "CFA 2014 s45"
rule CONSISTENT "The layer claimed is the layer evidenced"
  must layer = support_layer
  cite "White Paper 2026"
'''


def test_determinations_keep_the_case_that_decided(make_standards, isp):
    standards = make_standards(DETERMINATION)
    result = run(standards, isp)
    (det,) = result["determinations"]
    assert (det["value"], det["display"], det["case"], det["because"]) == (
        "targeted_plus", "Targeted Plus", 2, "Recent external advice")
    assert [c["held"] for c in det["trace"]["cases"]] == [False, True]
    assert finding(result, "CONSISTENT")["status"] == "pass"
    isp["external_advice"] = []
    det = run(standards, isp)["determinations"][0]
    assert (det["value"], det["case"]) == ("targeted", 3)
    isp["needs"] = []
    det = run(standards, isp)["determinations"][0]
    assert (det["value"], det["case"]) == ("universal", "otherwise")
    isp["ehcp_ref"] = "ceasing"
    det = run(standards, isp)["determinations"][0]
    assert det["value"] == "universal"
    assert det["trace"]["cases"][0]["excepted_by"] == "NO-SPP"


def test_a_determination_with_a_missing_fact_is_not_determined(make_standards, isp):
    standards = make_standards('''
        determination reviewed "Reviewed recently"
          cite "c"
          case true when last_review >= as_of - 6 months
          otherwise false
    ''')
    del isp["last_review"]
    (det,) = run(standards, isp)["determinations"]
    assert det["value"] is None and det["display"] == "not determined"
    assert det["missing"] == ["/last_review"]
    (untraced,) = evaluate(standards, isp, AS_OF, include_trace=False)["determinations"]
    assert untraced["missing"] == ["/last_review"]


def test_explanation_templates_show_the_actual_values(make_standards, isp):
    standards = make_standards('''
        rule R1 "Reviewed"
          must last_review >= as_of - 3 months
          explain "Last reviewed {last_review}; the next review was due by {last_review + 3 months}."
          cite "c"
    ''')
    f = finding(run(standards, isp), "R1")
    assert f["message"] == "Last reviewed 20 January 2030; the next review was due by 20 April 2030."


def test_the_version_in_force_on_the_as_of_date_is_chosen(write_files, isp):
    body = 'plan isp "ISP" schema "isp.schema.json"\nrule R1 "t" must {} cite "c"\n'
    folder = write_files({
        "v1.nis": 'standards "s" version "1" effective from 2020-01-01 until 2030-08-31\n' + body.format("true"),
        "v2.nis": 'standards "s" version "2" effective from 2030-09-01\n' + body.format("false"),
    })
    library = load_standards(folder)
    assert library.select(date(2030, 8, 31), "isp").version == "1"
    assert library.select(date(2030, 9, 1), "isp").version == "2"
    from inclusion_standards.diagnostics import StandardsError
    with pytest.raises(StandardsError, match="no standards"):
        library.select(date(2019, 1, 1), "isp")


def test_the_standards_fingerprint_covers_a_plan_schema_kept_beside_them(tmp_path):
    """The plan schema a standards set keeps in its folder types its rules (a unit, a field that
    may be null), so a change to it changes the set's sha256, as a change to a rule does; the
    bundled standards, which use nis's own schemas, are fingerprinted by their rules alone."""
    schema = json.loads((ROOT / "schemas" / "isp.schema.json").read_text(encoding="utf-8"))
    (tmp_path / "s.nis").write_text(HEADER.replace("isp.schema.json", "mine.schema.json")
                                    + 'rule R1 "t" must layer = "targeted" cite "c"\n', encoding="utf-8")
    kept = tmp_path / "mine.schema.json"
    kept.write_text(json.dumps(schema), encoding="utf-8")
    first = load_standards(tmp_path).versions[0]
    assert first.files == ("mine.schema.json", "s.nis")
    schema["properties"]["child"]["description"] = "changed"
    kept.write_text(json.dumps(schema), encoding="utf-8")
    second = load_standards(tmp_path).versions[0]
    assert second.sha256 != first.sha256
    kept.write_text(json.dumps(json.loads(kept.read_text(encoding="utf-8")) | {}), encoding="utf-8")
    assert load_standards(tmp_path).versions[0].sha256 == second.sha256
    bundled = load_standards().versions[0]
    assert not any(name.endswith(".json") for name in bundled.files)


def test_the_standards_fingerprint_is_the_same_wherever_the_folder_sits(tmp_path):
    """A copy of a standards folder elsewhere (another machine, years later) has the same sha256,
    also when its entry file imports a file from beside its own folder."""
    found = []
    for place in ("one", "elsewhere/two"):
        (tmp_path / place / "set").mkdir(parents=True)
        (tmp_path / place / "shared").mkdir()
        (tmp_path / place / "set" / "entry.nis").write_text(
            HEADER + 'import "../shared/common.nis"\nrule R1 "t" must layer = "targeted" cite "c"\n', encoding="utf-8")
        (tmp_path / place / "shared" / "common.nis").write_text('rule R2 "t" must count of needs >= 1 cite "c"\n',
                                                               encoding="utf-8")
        found.append(load_standards(tmp_path / place).versions[0])
    assert found[0].files == found[1].files == ("../shared/common.nis", "entry.nis")
    assert found[0].sha256 == found[1].sha256


def test_results_record_what_a_tribunal_needs_to_reproduce_them(make_standards, isp, tmp_path):
    standards = make_standards(DATED)
    plan = tmp_path / "plan.json"
    plan.write_bytes(json.dumps(isp, default=float).encode())
    result = evaluate(standards, plan, AS_OF)
    assert result["standards"]["sha256"] == standards.sha256 and len(standards.sha256) == 64
    assert result["standards"]["version"] == "1"
    assert result["document"] == {"source": str(plan), "type": "isp", "id": "ISP-TEST-1",
                                  "sha256": hashlib.sha256(plan.read_bytes()).hexdigest()}
    assert evaluate(standards, isp, AS_OF)["document"] == {"source": None, "type": "isp", "id": "ISP-TEST-1",
                                                           "sha256": None}
    assert result["as_of"] == "2030-06-01" and result["engine"]["name"] == "nis"


def test_text_in_a_standards_file_is_never_executed(make_standards, isp):
    standards = make_standards('''
        rule R1 "t" must id != "__import__('os').system('false')" cite "c"
        rule R2 "t" must "}; import os; {" != id cite "c"
    ''')
    assert statuses(run(standards, isp)) == {"R1": "pass", "R2": "pass"}
    assert "__import__" not in standards.compiled.plans["isp"].source


# ---- properties -------------------------------------------------------------------------------

PEER_FOLDER = __file__.replace("tests/test_evaluator.py", "benchmarks/peer_rules")
PEER = load_standards(PEER_FOLDER).versions[0]

iso_dates = st.dates(date(2012, 1, 1), date(2031, 12, 31)).map(date.isoformat)
areas = st.sampled_from(["communication_and_interaction", "cognition_and_learning",
                         "social_emotional_mental_health", "sensory_and_physical"])
plans = st.fixed_dictionaries({
    "id": st.just("ISP-H"),
    "child": st.fixed_dictionaries({"dob": iso_dates, "year_group": st.integers(0, 13)}),
    "setting": st.just({"urn": "100000", "phase": "primary", "type": "mainstream"}),
    "layer": st.sampled_from(["universal", "targeted", "targeted_plus", "specialist"]),
    "created": iso_dates, "last_review": iso_dates, "next_review": iso_dates,
    "coproduced_with": st.lists(st.sampled_from(["parent", "carer", "young_person"]), unique=True),
    "needs": st.lists(st.fixed_dictionaries({"area": areas, "severity": st.integers(1, 5),
                                             "description": st.just("d")}), max_size=4),
    "outcomes": st.lists(st.fixed_dictionaries({"area": areas, "description": st.just("d"),
                                                "measurable": st.booleans(), "target_date": iso_dates}), max_size=4),
    "provision": st.lists(st.fixed_dictionaries({
        "area": areas, "layer": st.just("targeted"), "description": st.just("d"),
        "hours_per_week": st.integers(0, 24).map(lambda q: Decimal(q) / 4), "provider": st.just("ta"),
        "evidence_based": st.booleans(), "start": iso_dates}), max_size=4),
    "external_advice": st.lists(st.fixed_dictionaries({"role": st.just("speech_and_language_therapist"), "date": iso_dates}), max_size=3),
    "ehcp_ref": st.sampled_from([None, "EHCP-1"]),
}).map(lambda d: {k: v for k, v in d.items() if not (k == "last_review" and v.endswith("-13"))})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans, st.dates(date(2025, 1, 1), date(2032, 1, 1)))
def test_fast_and_traced_evaluation_agree_and_results_are_byte_stable(doc, as_of):
    first = evaluate(PEER, doc, as_of)
    fast = api.judge(doc, as_of=as_of, standards=PEER)
    assert statuses(first) == fast
    second = evaluate(PEER, json.loads(json.dumps(doc, default=float), parse_float=Decimal), as_of)
    assert json.dumps(first) == json.dumps(second)



@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(plans, max_size=4), st.sampled_from([date(2030, 6, 1), date(2029, 12, 1)]), st.booleans())
def test_results_without_a_trace_do_not_depend_on_the_plans_judged_before(docs, as_of, brief):
    """Findings that read the same for every plan whose rules were all met are built once and
    reused: each result must be the one a fresh set of standards gives, and changing one
    result must not change the next. (The example ISP meets every peer rule on 1 June 2030.)"""
    from inclusion_standards.evaluate import evaluate as evaluate_plan

    warm = load_standards(PEER_FOLDER).versions[0]
    for doc in [copy.deepcopy(BASE_ISP), *docs, copy.deepcopy(BASE_ISP)]:
        reused = evaluate_plan(warm, "isp", doc, as_of, include_trace=False, brief=brief)
        fresh = evaluate_plan(load_standards(PEER_FOLDER).versions[0], "isp", doc, as_of, include_trace=False,
                              brief=brief)
        assert json.dumps(reused) == json.dumps(fresh)
        for found in reused["findings"]:
            found.clear()

def test_results_are_identical_in_another_process(isp):
    code = (
        "import json, sys; from datetime import date; from decimal import Decimal\n"
        "from inclusion_standards.standards import load_standards\n"
        "from inclusion_standards import api\n"
        f"s = load_standards({str(PEER.entry).rsplit('/', 1)[0]!r}).versions[0]\n"
        "doc = json.loads(sys.stdin.read(), parse_float=Decimal)\n"
        "sys.stdout.write(json.dumps(api.check(doc, as_of=date(2029, 12, 1), standards=s, include_trace=True)))\n")
    text = json.dumps(isp, default=float)
    here = json.dumps(evaluate(PEER, json.loads(text, parse_float=Decimal), date(2029, 12, 1)))
    there = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True)
    assert there.stdout == here


def test_contains_matches_whole_words_only(make_standards, isp):
    standards = make_standards('''
        rule R1 "t" must some p in provision satisfies p.description contains "should" cite "c"
        rule R2 "t" must some p in provision satisfies p.description contains "regular" cite "c"
    ''')
    isp["provision"][0]["description"] = "Shoulder exercises at irregular intervals"
    assert statuses(run(standards, isp)) == {"R1": "fail", "R2": "fail"}
    isp["provision"][0]["description"] = "Staff SHOULD offer regular, weekly sessions"
    assert statuses(run(standards, isp)) == {"R1": "pass", "R2": "pass"}


def test_a_parameter_can_have_no_value_before_a_date(make_standards, isp):
    standards = make_standards('''
        parameter min_hours "Least weekly provision" unit hours per week cite "White Paper 2026"
          from 2020-01-01: none
          from 2029-09-01: 3 hours per week
        rule TP "t" must (sum of p.hours_per_week for p in provision) >= min_hours cite "c"
    ''')
    assert finding(run(standards, isp, date(2029, 8, 31)), "TP")["status"] == "cannot_judge"
    on = finding(run(standards, isp, date(2029, 9, 1)), "TP")
    assert on["status"] == "pass" and "in force from 1 September 2029" in on["near_misses"][0]["text"]


def test_a_test_can_expect_a_determination_to_be_undecided(isp, tmp_path):
    from inclusion_standards import testing

    isp.pop("last_review")
    (tmp_path / "plan.json").write_text(json.dumps(isp, default=float), encoding="utf-8")
    (tmp_path / "s.nis").write_text(textwrap.dedent('''\
        standards "u" version "1" effective from 2020-01-01
        plan isp "I" schema "isp.schema.json"

        determination reviewed "Reviewed recently"
          applies to isp
          cite "c"
          case true when last_review >= as_of - 12 months
          otherwise false

        test "A plan without a review date leaves it undecided"
          document "plan.json"
          as of 2030-06-01
          expect reviewed undetermined

        test "Expecting a value of an undecided determination fails"
          document "plan.json"
          as of 2030-06-01
          expect reviewed = true
        '''), encoding="utf-8")
    library = load_standards(tmp_path)
    first, second = testing.run_tests(library).outcomes
    assert first.passed
    assert second.failures == ("expected reviewed = True, got not determined: Cannot be determined: case 1 needs "
                               "/last_review.",)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.lists(st.text(alphabet="abAB-", min_size=1, max_size=3), min_size=1, max_size=2)
                      .map(" ".join), min_size=1, max_size=6, unique=True),
       text=st.text(alphabet="abAB -.", max_size=14))
def test_contains_any_of_finds_a_phrase_exactly_where_one_stands_as_whole_words(make_standards, isp, words, text):
    listed = ", ".join(f'"{w}"' for w in words)
    standards = make_standards(f'''
        rule R1 "t" must no p in provision satisfies p.description contains any of [{listed}] cite "c"
    ''')
    isp["provision"] = [{**isp["provision"][0], "description": "Plan: " + text}]
    found = any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", "Plan: " + text, re.IGNORECASE) for w in words)
    assert statuses(run(standards, isp)) == {"R1": "fail" if found else "pass"}


_FOLDING = "sikSIK\u017f\u0131\u212a\u0130-"  # with the long s, dotless i, Kelvin sign and dotted I that ignoring case folds
_FOLDED = str.maketrans("sik", "\u017f\u0131\u212a")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.lists(st.text(alphabet=_FOLDING, min_size=1, max_size=3), min_size=1, max_size=2)
                      .map(" ".join), min_size=1, max_size=5, unique=True),
       data=st.data())
def test_each_phrase_of_a_list_is_found_in_a_text_as_it_is_found_alone(make_standards, isp, words, data):
    """`list of w for w in phrases where text contains w` (and `count of`), over a list written
    out or a parameter's, scan the text once
    for the whole list: each phrase must still be found exactly where `contains` finds it
    alone, whatever the letters ignoring case makes equal."""
    # The text is made of the phrases themselves, in other cases and with letters folded, among
    # other letters and separators, so that phrases are found, and almost found, often.
    pieces = data.draw(st.lists(st.one_of(
        st.sampled_from(words).flatmap(lambda w: st.sampled_from(
            [w, w.upper(), w.lower(), w.swapcase(), w.translate(_FOLDED), w[:-1], w + "s"])),
        st.text(alphabet=_FOLDING, max_size=3)), max_size=5))
    text = "".join(data.draw(st.sampled_from(["", " ", ".", "-"])) + piece for piece in pieces)
    listed = ", ".join(f'"{w}"' for w in words)
    found = [w for w in words
             if re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", "Plan: " + text, re.IGNORECASE)]
    standards = make_standards("\n".join([
        *(f'rule W{i} "t" must some p in provision satisfies "{w}" in list of w for w in [{listed}] '
          f'where p.description contains w cite "c"' for i, w in enumerate(words)),
        f'rule N "t" must some p in provision satisfies (count of w in [{listed}] where p.description contains w) '
        f'= {len(found)} cite "c"',
        # A parameter's list is compiled once per as-of date, not per plan: the same answers.
        f'parameter words "The phrases" cite "c"\n  from 2020-01-01: [{listed}]',
        f'rule P "t" must some p in provision satisfies (list of w for w in words where p.description contains w) '
        f'= [{", ".join(chr(34) + w + chr(34) for w in found)}] cite "c"']))
    isp["provision"] = [{**isp["provision"][0], "description": "Plan: " + text}]
    expected = {f"W{i}": "pass" if w in found else "fail" for i, w in enumerate(words)}
    assert statuses(run(standards, isp)) == {**expected, "N": "pass", "P": "pass"}


def test_the_least_or_greatest_of_no_items_cannot_be_judged_and_says_why(make_standards, isp):
    """`min of` and `max of` over no items have no value: the rule or decision cannot be judged,
    and its message names the aggregate and the empty list or the filter no item passed, not a
    missing fact the plan could record."""
    standards = make_standards('''
        define latest_review "The latest review" = max of r.date for r in review_history
        rule R1 "t" must (min of n.severity for n in needs where n.severity > 3) >= 2 cite "c"
        rule R2 "t" must latest_review >= as_of - 12 months cite "c"
        rule R3 "t" must (max of n.severity for n in needs) >= 2 cite "c"
        determination reviewed "Reviewed in the last year"
          applies to isp
          cite "c"
          case true when latest_review >= as_of - 12 months
          otherwise false
    ''')
    isp["review_history"] = []
    for traced in (False, True):
        result = evaluate(standards, isp, include_trace=traced)
        assert statuses(result) == {"R1": "cannot_judge", "R2": "cannot_judge", "R3": "pass"}
        assert finding(result, "R1")["message"] == (
            "Cannot be judged: min of n.severity for n in needs where n.severity > 3 has no value: "
            "needs has no item where n.severity > 3.")
        assert finding(result, "R1")["missing"] == []
        assert finding(result, "R2")["message"] == (
            "Cannot be judged: max of r.date for r in review_history has no value: review_history has no items.")
        decided = next(d for d in result["determinations"] if d["name"] == "reviewed")
        assert decided["display"] == "not determined"
        assert decided["explanation"] == (
            "Cannot be determined: in case 1, max of r.date for r in review_history has no value: "
            "review_history has no items.")
    isp.pop("review_history")  # not recorded at all: that is the missing fact
    assert finding(evaluate(standards, isp, include_trace=False), "R2")["message"] == (
        "Cannot be judged: the plan does not record /review_history.")


def test_a_part_of_parameters_that_cannot_be_computed_leaves_only_what_uses_it_undecided(make_standards, isp):
    """Parts that use only parameters are computed once per as-of date. One that cannot be
    (a date past the calendar, a division by zero) must not stop every check: each rule or
    decision that uses it cannot be judged, with the reason, wherever it stands (a value
    compared, a whole requirement, a rule's condition, a decision's case), and the rest are
    judged as usual."""
    standards = make_standards('''
        parameter far "Far off" unit months cite "c"
          from 2020-01-01: 100000 months
        rule A "t" must created < as_of + far cite "c"
        rule B "t" must count of needs >= 7 / 0 cite "c"
        rule D "t" must as_of + far > 2030-01-01 cite "c"
        rule E "t" when as_of + far > 2030-01-01 must count of needs >= 1 cite "c"
        rule C "t" must count of needs >= 1 cite "c"
        determination far_off "Far off"
          applies to isp
          cite "c"
          case true when as_of + far > 2030-01-01
          otherwise false
    ''')
    for traced in (False, True):
        result = run(standards, isp) if traced else evaluate(standards, isp, include_trace=False)
        assert statuses(result) == {"A": "cannot_judge", "B": "cannot_judge", "D": "cannot_judge",
                                    "E": "cannot_judge", "C": "pass"}
        for rule in ("A", "D", "E"):
            assert finding(result, rule)["message"] == (
                "Cannot be judged: a date or number it needs cannot be computed (2030-06-01 moved by 100000 months "
                "falls outside the calendar).")
        assert finding(result, "B")["message"] == (
            "Cannot be judged: a date or number it needs cannot be computed (a division by zero).")
        decided = next(d for d in result["determinations"] if d["name"] == "far_off")
        assert decided["display"] == "not determined"
        assert "falls outside the calendar" in decided["explanation"]


def test_a_failed_requirement_names_a_field_it_reads_twice_once(make_standards):
    """`"parent" in coproduced_with or "carer" in coproduced_with` failed: the message says
    what the plan records once ("Found: coproduced_with is none."), not once per mention."""
    standards = make_standards('''
        rule R1 "Written with a parent or carer" must "parent" in coproduced_with or "carer" in coproduced_with
          cite "[nis reading] test"
        rule R2 "Written with a parent, from a plan of the targeted layer" must
          "parent" in coproduced_with and layer = "targeted"
          cite "[nis reading] test"
    ''')
    isp = {**copy.deepcopy(BASE_ISP), "coproduced_with": []}
    for include_trace in (False, True):
        result = evaluate(standards, isp, include_trace=include_trace)
        assert finding(result, "R1")["message"] == ("Not met: Written with a parent or carer. "
                                                    "Found: coproduced_with is none.")
        assert finding(result, "R2")["message"].endswith("Found: coproduced_with is none.")


def test_a_rule_that_does_not_apply_rests_only_on_what_its_condition_reads(make_standards):
    """A rule whose condition (`when`) does not hold never reached its requirement: its finding
    names the fields and illustrative figures of the condition only, in a check as in an
    explanation. Before, a check named the requirement's too, so the result said it rested on a
    figure no decision used."""
    standards = make_standards('''
        parameter least_hours "Least weekly provision"
          unit hours per week
          illustrative "not a published figure"
          cite "[illustrative] test"
          from 2020-01-01: 3 hours per week
        rule R1 "Specialist plans describe enough provision"
          when layer = "specialist"
          must (sum of p.hours_per_week for p in provision) >= least_hours
          cite "[nis reading] test"
    ''')
    for layer, status, facts, figures in (("targeted_plus", "not_applicable", ["/layer"], []),
                                          ("specialist", "pass", ["/layer", "/provision"], ["least_hours"])):
        isp = {**copy.deepcopy(BASE_ISP), "layer": layer}
        for include_trace in (False, True):
            result = evaluate(standards, isp, include_trace=include_trace)
            found = finding(result, "R1")
            assert found["status"] == status
            assert found["illustrative"] == figures
            assert result["illustrative_parameters"] == figures
            if not include_trace:  # a trace names each item read; a check, the list
                assert found["facts"] == facts
