"""SEN2 returns: each supported year read from generated returns, every mapping onto the EHCP
process record, the 20-week exception flag, missing and impossible dates, malformed XML, an
unknown year and XML attacks refused; `nis batch --from sen2` with its caseload summary,
counts known in advance, explanations that run, pseudonyms, privacy, resume and --jobs.
"""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from inclusion_standards import api
from inclusion_standards.cli import main
from inclusion_standards.sen2 import Sen2Error, load_sen2
from sen2_returns import SECRET_POSTCODE, SECRET_SURNAME, YEARS, assessment, person, request, return_xml, write_return

DOB = "2014-05-06"
KEY = "a-test-key-of-24-chars!!"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def one_case(tmp_path, req, year=2025, **person_items):
    path = tmp_path / "r.xml"
    write_return(path, year, [person(1, [req], **person_items)])
    cases = list(load_sen2(path))
    assert len(cases) == 1
    return cases[0]


def statuses(case, as_of="2025-01-16"):
    result = api.check(case.document, as_of=as_of, only=case.only)
    return {f["rule"]: f for f in result["findings"]}


# ---- each year -------------------------------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
def test_each_supported_year_is_read_with_its_own_items(tmp_path, year):
    review = {"ReviewMeeting": f"{year - 1}-11-01", "ReviewOutcome": "M", "LastReview": f"{year - 1}-11-20"}
    case = one_case(tmp_path, request(f"{year - 1}-01-10", "Y", f"{year - 1}-02-01",
                                      assessment=assessment("Y", f"{year - 1}-05-01"),
                                      plan={"StartDate": f"{year - 1}-05-01"}, active=review), year)
    ret = load_sen2(tmp_path / "r.xml")
    assert ret.header.year == year and ret.header.local_authority == "201"
    assert ret.header.period == (date(year - 1, 1, 1), date(year - 1, 12, 31))
    process = case.document["process"]
    assert process["final_issued"] == f"{year - 1}-05-01"
    if year == 2023:  # the 2023 return has no review meeting date: the review rule is not fed
        assert "annual_reviews" not in process and "EHCP-REVIEW-DECISION-4W" not in case.only
    else:
        assert process["annual_reviews"] == [{"date": f"{year - 1}-11-01", "outcome": "maintain",
                                              "decision_notified": f"{year - 1}-11-20"}]
        assert statuses(case, f"{year}-01-16")["EHCP-REVIEW-DECISION-4W"]["status"] == "pass"


# ---- the mapping onto process ------------------------------------------------------------------

MAPPINGS = [
    ("plan issued", request("2024-01-10", "Y", "2024-02-01", assessment=assessment("Y", "2024-05-01"),
                            plan={"StartDate": "2024-05-02"}),
     "final", {"request_received": "2024-01-10", "assessment_decision": "assess", "decision_to_assess": "2024-02-01",
               "issue_decision": "issue", "final_issued": "2024-05-01", "plan_date": "2024-05-02"},
     {"EHCP-T-DECIDE-6W", "EHCP-T-FINAL-20W"}),
    ("assessment refused", request("2024-03-01", "N", "2024-04-01"),
     "draft", {"request_received": "2024-03-01", "assessment_decision": "refuse", "decision_to_assess": "2024-04-01"},
     {"EHCP-T-DECIDE-6W"}),
    ("decision not to issue", request("2024-03-01", "Y", "2024-04-01", assessment=assessment("N", "2024-06-10")),
     "draft", {"request_received": "2024-03-01", "assessment_decision": "assess", "decision_to_assess": "2024-04-01",
               "issue_decision": "not_issue", "issue_decision_notified": "2024-06-10"},
     {"EHCP-T-DECIDE-6W", "EHCP-T-NOT-ISSUE-16W"}),
    ("decision pending", request("2024-11-01", "A"), "draft", {"request_received": "2024-11-01"},
     {"EHCP-T-DECIDE-6W", "EHCP-T-FINAL-20W"}),
    ("assessing", request("2024-09-01", "Y", "2024-10-01", assessment=assessment("A")), "draft",
     {"request_received": "2024-09-01", "assessment_decision": "assess", "decision_to_assess": "2024-10-01"},
     {"EHCP-T-DECIDE-6W", "EHCP-T-FINAL-20W"}),
    ("withdrawn", request("2024-09-01", "W"), "draft", {"request_received": "2024-09-01"}, set()),
    ("historical plan", request(None, "H", assessment=assessment("H"), plan={"StartDate": "2019-03-01"},
                                active={"ReviewMeeting": "2024-10-01", "ReviewOutcome": "A",
                                        "LastReview": "2024-10-20"}),
     "final", {"plan_date": "2019-03-01", "annual_reviews": [{"date": "2024-10-01", "outcome": "amend",
                                                               "decision_notified": "2024-10-20"}]},
     {"EHCP-REVIEW-DECISION-4W"}),
    ("ceased plan", request(None, "H", assessment=assessment("H"), plan={"StartDate": "2019-03-01",
                                                                           "CeaseDate": "2024-08-31"}),
     "ceased", {"plan_date": "2019-03-01"}, set()),
    ("decision of an earlier review", request(None, "H", assessment=assessment("H"),
                                              active={"ReviewMeeting": "2025-01-06", "LastReview": "2024-02-01"}),
     "final", {"annual_reviews": [{"date": "2025-01-06"}]}, {"EHCP-REVIEW-DECISION-4W"}),
]


@pytest.mark.parametrize(("name", "req", "status", "process", "only"), MAPPINGS, ids=[m[0] for m in MAPPINGS])
def test_each_request_maps_onto_the_process_record(tmp_path, name, req, status, process, only):
    case = one_case(tmp_path, req)
    assert case.problem is None
    assert case.document["status"] == status
    assert case.document["process"] == process
    assert case.document["sections"] == {}
    assert case.only == only
    assert case.case_id == "UPN-Z000000000001/R1" and case.document["id"] == case.case_id
    api.check(case.document, as_of="2025-01-16", only=case.only)  # a valid EHCP document


def test_a_child_is_known_by_upn_then_uln_then_place_and_each_request_is_a_case(tmp_path):
    path = tmp_path / "r.xml"
    write_return(path, 2025, [person(1, [request("2024-01-10", "A"), request("2024-06-10", "A")]),
                              person(2, [request("2024-01-10", "A")], UPN=None, UniqueLearnerNumber="12345678"),
                              person(3, [request("2024-01-10", "A")], UPN=None)])
    assert [c.case_id for c in load_sen2(path)] == ["UPN-Z000000000001/R1", "UPN-Z000000000001/R2",
                                                    "ULN-12345678/R1", "PERSON-3/R1"]
    assert [c.number for c in load_sen2(path)] == [1, 2, 3, 4]


def test_only_the_rules_a_case_feeds_are_judged():
    result = api.check(Path(__file__).parent.parent / "examples" / "ehcp-current-clean.yaml", as_of="2030-06-01",
                       only={"EHCP-T-FINAL-20W"})
    assert [f["rule"] for f in result["findings"]] == ["EHCP-T-FINAL-20W"]
    assert result["determinations"] == []


# ---- the 20-week exception flag ---------------------------------------------------------------

def test_the_week20_flag_is_an_exception_claimed_whose_reason_is_not_recorded(tmp_path):
    late = one_case(tmp_path, request("2024-01-10", "Y", "2024-02-01",
                                      assessment=assessment("Y", "2024-05-30", week20="1")))
    assert late.document["process"]["exceptions"] == [{"limit": "final_plan"}]
    finding = statuses(late)["EHCP-T-FINAL-20W"]
    assert finding["status"] == "fail"  # never excused: the return does not say which exception or when
    assert "An exception is claimed but its reason is not recorded" in finding["message"]
    on_time = one_case(tmp_path, request("2024-01-10", "Y", "2024-02-01",
                                         assessment=assessment("Y", "2024-05-29", week20="1")))
    assert statuses(on_time)["EHCP-T-FINAL-20W"]["status"] == "pass"
    no_flag = one_case(tmp_path, request("2024-01-10", "Y", "2024-02-01",
                                         assessment=assessment("Y", "2024-05-30", week20="0")))
    assert "exceptions" not in no_flag.document["process"]


@pytest.mark.parametrize(("decided", "status"), [("2024-02-21", "pass"), ("2024-02-22", "fail")])
def test_six_weeks_end_on_the_day_six_weeks_after_the_request(tmp_path, decided, status):
    case = one_case(tmp_path, request("2024-01-10", "N", decided))
    finding = statuses(case)["EHCP-T-DECIDE-6W"]
    assert finding["status"] == status
    assert "SEND Regulations 2014, reg 5(1)" in json.dumps(api.check(
        case.document, as_of="2025-01-16", only=case.only, include_trace=True)["findings"][0]["citations"])


# ---- missing and impossible dates --------------------------------------------------------------

def test_a_decision_without_its_date_cannot_be_judged(tmp_path):
    case = one_case(tmp_path, request("2024-01-10", "Y", None, assessment=assessment("Y", None)))
    found = statuses(case)
    assert found["EHCP-T-DECIDE-6W"]["status"] == "cannot_judge"
    assert "/process/decision_to_assess" in found["EHCP-T-DECIDE-6W"]["message"]
    assert found["EHCP-T-FINAL-20W"]["status"] == "cannot_judge"
    assert "/process/final_issued" in found["EHCP-T-FINAL-20W"]["message"]


def test_a_request_without_its_received_date_is_not_judged_against_the_limits(tmp_path):
    case = one_case(tmp_path, request(None, "N", "2024-04-01"))
    assert statuses(case)["EHCP-T-DECIDE-6W"]["status"] == "not_applicable"


@pytest.mark.parametrize(("req", "code", "words"), [
    (request("2024-02-30", "A"), "NIS-R101", "<ReceivedDate> is not a date: `2024-02-30`"),
    (request("10/01/2024", "A"), "NIS-R101", "<ReceivedDate> is not a date"),
    (request("2024-01-10", "Q"), "NIS-R104", "<RequestOutcome> cannot be `Q`"),
    (request("2024-01-10", "Y", "2024-02-01", assessment=assessment("Y", "2024-05-01", week20="2")), "NIS-R104",
     "<Week20> cannot be `2`"),
])
def test_an_impossible_value_is_a_problem_with_its_line(tmp_path, req, code, words):
    case = one_case(tmp_path, req)
    assert case.document is None and case.problem[0].code == code
    assert words in case.problem[0].message
    line = case.problem[0].span.line
    assert words.split(">")[0].strip("<") in (tmp_path / "r.xml").read_text().splitlines()[line - 1]


def test_an_impossible_date_of_birth_is_never_quoted(tmp_path):
    case = one_case(tmp_path, request("2024-01-10", "A"), PersonBirthDate="2014-02-30")
    assert case.problem[0].code == "NIS-R101" and "2014-02-30" not in case.problem[0].message


def test_a_person_without_requests_is_one_problem(tmp_path):
    path = tmp_path / "r.xml"
    write_return(path, 2025, [person(1, [])])
    (case,) = load_sen2(path)
    assert case.problem[0].code == "NIS-R103"


# ---- returns refused whole ----------------------------------------------------------------------

def refused(tmp_path, text: str | bytes):
    path = tmp_path / "bad.xml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    with pytest.raises(Sen2Error) as caught:
        ret = load_sen2(path)
        ret.count()
    return caught.value.diagnostics[0]


def test_malformed_xml_is_refused_with_its_line(tmp_path):
    text = return_xml(2025, [person(1, [request("2024-01-10", "A")])]).replace("</ReceivedDate>", "</Received>", 1)
    problem = refused(tmp_path, text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "</Received>" in t)
    assert problem.code == "NIS-R002" and problem.span.line == line


def test_a_return_cut_short_is_refused_before_anything_is_written(tmp_path):
    text = return_xml(2025, [person(n, [request("2024-01-10", "A")]) for n in range(1, 30)])
    (tmp_path / "cut.xml").write_text(text[: len(text) // 2])
    out = tmp_path / "out.jsonl"
    result = run("batch", "--from", "sen2", tmp_path / "cut.xml", "--out", out)
    assert result.exit_code == 2 and "NIS-R002" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("year", [2022, 2027])
def test_a_year_nis_does_not_read_is_refused(tmp_path, year):
    problem = refused(tmp_path, return_xml(year, [person(1, [request("2021-01-10", "A")])]))
    assert problem.code == "NIS-R005" and str(year) in problem.message


def test_a_file_that_is_not_an_sen2_return_is_refused(tmp_path):
    assert refused(tmp_path, "<Message><Persons/></Message>").code == "NIS-R004"
    assert refused(tmp_path, "<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>"
                             "</CollectionDetails></Header></Message>").code == "NIS-R004"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>
<Message><Header><CollectionDetails><Collection>SEN2</Collection><Year>2025</Year></CollectionDetails></Header>
<Persons><Person><Surname>&h;</Surname></Person></Persons></Message>
"""


def test_an_entity_expansion_bomb_is_refused(tmp_path):
    assert refused(tmp_path, BILLION_LAUGHS).code == "NIS-R003"


def test_an_external_entity_is_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    text = (f'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY x SYSTEM "file://{secret}">]>'
            "<Message><Header><CollectionDetails><Collection>SEN2</Collection><Year>&x;</Year>"
            "</CollectionDetails></Header></Message>")
    problem = refused(tmp_path, text)
    assert problem.code == "NIS-R003" and "TOP-SECRET" not in problem.render()
    external = ('<?xml version="1.0"?><!DOCTYPE Message SYSTEM "http://127.0.0.1:9/sen2.dtd"><Message><Header>'
                "<CollectionDetails><Year>2025</Year></CollectionDetails></Header></Message>")
    assert refused(tmp_path, external).code == "NIS-R003"


def test_a_short_pseudonymisation_key_is_refused(tmp_path):
    write_return(tmp_path / "r.xml", 2025, [person(1, [request("2024-01-10", "A")])])
    with pytest.raises(Sen2Error) as caught:
        load_sen2(tmp_path / "r.xml", pseudonymise="short")
    assert caught.value.diagnostics[0].code == "NIS-R201"


# ---- the batch and its caseload summary -------------------------------------------------------

def planned_return(path: Path) -> dict:
    """A 2025 return whose measures are known in advance. Requests are received on 10 January
    2024: 6 weeks end on 21 February, 16 weeks on 1 May, 20 weeks on 29 May."""
    people, expected = [], {"decisions_6w": ([], []), "not_issue_16w": ([], []), "plans_20w": ([], []),
                            "plans_20w_without_exceptions": ([], []), "reviews_4w": ([], [])}
    received = "2024-01-10"

    def add(req, *marks):
        n = len(people) + 1
        people.append(person(n, [req]))
        for measure, met in marks:
            expected[measure][0 if met else 1].append(f"UPN-Z{n:012d}/R1")

    for _ in range(3):  # decided in time, plan in time
        add(request(received, "Y", "2024-02-21", assessment=assessment("Y", "2024-05-29")),
            ("decisions_6w", True), ("plans_20w", True), ("plans_20w_without_exceptions", True))
    for _ in range(2):  # decided late, plan late
        add(request(received, "Y", "2024-02-22", assessment=assessment("Y", "2024-05-30")),
            ("decisions_6w", False), ("plans_20w", False), ("plans_20w_without_exceptions", False))
    add(request(received, "Y", "2024-02-01", assessment=assessment("Y", "2024-07-01", week20="1")),
        ("decisions_6w", True), ("plans_20w", False))  # late, exception claimed: left out of the "without" rate
    add(request(received, "Y", "2024-02-01", assessment=assessment("N", "2024-05-01")),
        ("decisions_6w", True), ("not_issue_16w", True))
    add(request(received, "Y", "2024-02-01", assessment=assessment("N", "2024-05-02")),
        ("decisions_6w", True), ("not_issue_16w", False))
    add(request(received, "N", "2024-03-01"), ("decisions_6w", False))
    add(request("2023-10-01", "Y", "2023-11-01", assessment=assessment("Y", "2024-02-10")),
        ("plans_20w", True), ("plans_20w_without_exceptions", True))  # decided in 2023: not a 2024 decision
    add(request("2024-06-03", "A"))  # no decision and no plan, both overdue at the reference date
    add(request(None, "H", assessment=assessment("H"), active={"ReviewMeeting": "2024-10-01", "LastReview":
                                                               "2024-10-29", "ReviewOutcome": "M"}),
        ("reviews_4w", True))
    add(request(None, "H", assessment=assessment("H"), active={"ReviewMeeting": "2024-10-01", "LastReview":
                                                               "2024-10-30", "ReviewOutcome": "M"}),
        ("reviews_4w", False))
    add(request(None, "H", assessment=assessment("H"), active={"ReviewMeeting": "2024-12-30"}))  # 4 weeks not over
    add(request("2024-09-01", "W"))
    write_return(path, 2025, people)
    return expected


@pytest.fixture
def planned(tmp_path):
    path = tmp_path / "sen2_2025.xml"
    return path, planned_return(path)


def test_the_caseload_summary_counts_what_was_planned(tmp_path, planned):
    path, expected = planned
    out = tmp_path / "results.jsonl"
    result = run("batch", "--from", "sen2", path, "--out", out, "--summary", tmp_path / "s.json",
                 "--summary", tmp_path / "s.html")
    assert result.exit_code == 1, result.stderr
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["as_of"] == "2025-01-16" and summary["return"]["period"] == {"from": "2024-01-01",
                                                                                 "to": "2024-12-31"}
    assert summary["cases"] == {"total": 15, "judged": 15, "could_not_be_read": 0}
    for measure in summary["measures"]:
        met, breached = expected[measure["id"]]
        assert (measure["met"], measure["breached"]) == (len(met), len(breached)), measure["id"]
        assert sorted(b["case"] for b in measure["breaches"]) == sorted(breached)
        if measure["counted"]:
            assert measure["percent_met"] == round(100 * len(met) / (len(met) + len(breached)), 1)
    flagged = [b for b in summary["measures"][2]["breaches"] if "note" in b]
    assert [b["case"] for b in flagged] == ["UPN-Z000000000006/R1"]
    awaiting = {o["id"]: [c["case"] for c in o["cases"]] for o in summary["overdue"]}
    assert awaiting == {"awaiting_decision": ["UPN-Z000000000011/R1"], "awaiting_notice": [],
                        "awaiting_plan": ["UPN-Z000000000011/R1"]}
    assert "EHCP-SECTIONS" in {r["rule"] for r in summary["not_judged_from_sen2"]}
    assert result.stdout.count("EHCP-SECTIONS:") == 1  # said once for the batch, not once per child
    html = (tmp_path / "s.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "UPN-Z000000000004/R1" in html
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 15
    assert all({f["rule"] for f in r["result"]["findings"]} <= {
        "EHCP-T-DECIDE-6W", "EHCP-T-NOT-ISSUE-16W", "EHCP-T-FINAL-20W", "EHCP-REVIEW-DECISION-4W"} for r in records)


def test_each_breach_points_at_a_command_that_explains_it(tmp_path, planned):
    path, _ = planned
    run("batch", "--from", "sen2", path, "--out", tmp_path / "o.jsonl", "--summary", tmp_path / "s.json")
    summary = json.loads((tmp_path / "s.json").read_text())
    breach = summary["measures"][0]["breaches"][0]
    words = shlex.split(breach["explain"])
    assert words[:2] == ["nis", "explain"]
    result = run(*words[1:])
    assert result.exit_code == 0, result.stderr
    assert "EHCP-T-DECIDE-6W" in result.stdout and "due by 21 February 2024" in result.stdout


def test_pseudonyms_hide_the_return_s_identifiers_and_still_find_each_case(tmp_path, planned):
    path, _ = planned
    first = run("batch", "--from", "sen2", path, "--out", tmp_path / "a.jsonl", "--pseudonymise", KEY,
                "--summary", tmp_path / "a.json")
    again = run("batch", "--from", "sen2", path, "--out", tmp_path / "b.jsonl", "--pseudonymise", KEY)
    other = run("batch", "--from", "sen2", path, "--out", tmp_path / "c.jsonl", "--pseudonymise", KEY + "x")
    assert first.exit_code == again.exit_code == other.exit_code == 1
    for text in (first.stdout, (tmp_path / "a.json").read_text(), (tmp_path / "a.jsonl").read_text()):
        assert "Z0000" not in text
    for measure in json.loads((tmp_path / "a.json").read_text())["measures"]:
        assert all("line" not in b for b in measure["breaches"])
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert (tmp_path / "a.jsonl").read_bytes() != (tmp_path / "c.jsonl").read_bytes()
    breach = json.loads((tmp_path / "a.json").read_text())["measures"][0]["breaches"][0]
    assert breach["case"].startswith("P-") and breach["explain"].endswith("--pseudonymise KEY")
    words = shlex.split(breach["explain"].replace("KEY", shlex.quote(KEY)))
    assert run(*words[1:]).exit_code == 0
    wrong = run(*shlex.split(breach["explain"].replace("KEY", shlex.quote(KEY + "x")))[1:])
    assert wrong.exit_code == 2 and "NIS-R202" in wrong.stderr


@pytest.mark.parametrize("detail", [[], ["--full"], ["--traces"]])
def test_names_postcodes_and_dates_of_birth_never_reach_the_outputs(tmp_path, planned, detail):
    path, _ = planned
    out = tmp_path / "o.jsonl"
    result = run("batch", "--from", "sen2", path, "--out", out, "--csv", tmp_path / "o.csv", *detail,
                 "--summary", tmp_path / "s.json", "--summary", tmp_path / "s.html")
    explained = run("explain", "--from", "sen2", path, "--case", "UPN-Z000000000004/R1", "--format", "json")
    for text in (result.stdout, result.stderr, out.read_text(), (tmp_path / "o.csv").read_text(),
                 (tmp_path / "s.json").read_text(), (tmp_path / "s.html").read_text(), explained.stdout):
        assert SECRET_SURNAME not in text and SECRET_POSTCODE not in text and DOB not in text


def test_a_bad_case_is_one_error_record_and_the_batch_goes_on(tmp_path):
    path = tmp_path / "r.xml"
    write_return(path, 2025, [person(1, [request("2024-01-10", "N", "2024-02-01")]),
                              person(2, [request("2024-13-01", "A")]), person(3, []),
                              person(4, [request("2024-01-10", "N", "2024-02-01")])])
    out = tmp_path / "o.jsonl"
    result = run("batch", "--from", "sen2", path, "--out", out, "--summary", tmp_path / "s.json")
    assert result.exit_code == 2
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["outcome"] for r in records] == ["pass", "error", "error", "pass"]
    assert records[1]["error"]["diagnostics"][0]["code"] == "NIS-R101"
    assert records[2]["error"]["diagnostics"][0]["code"] == "NIS-R103"
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["cases"]["could_not_be_read"] == 2 and summary["measures"][0]["met"] == 2


def test_one_process_or_two_and_an_interrupted_run_resumed_give_the_same_bytes(tmp_path, planned):
    path, _ = planned
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run("batch", "--from", "sen2", path, "--out", one)
    run("batch", "--from", "sen2", path, "--out", two, "--jobs", "2")
    assert one.read_bytes() == two.read_bytes()
    cut = tmp_path / "cut.jsonl"
    lines = one.read_bytes().splitlines(keepends=True)
    cut.write_bytes(b"".join(lines[:5]) + lines[5][:40])
    resumed = run("batch", "--from", "sen2", path, "--out", cut, "--resume")
    assert resumed.exit_code == 1 and cut.read_bytes() == one.read_bytes()
    other = tmp_path / "other.xml"
    write_return(other, 2025, [person(1, [request("2024-01-10", "A")])])
    refused_resume = run("batch", "--from", "sen2", other, "--out", cut, "--resume")
    assert refused_resume.exit_code == 2 and "NIS-B001" in refused_resume.stderr


def test_sen2_options_need_from_sen2(tmp_path):
    result = run("batch", tmp_path, "--out", tmp_path / "o.jsonl", "--summary", tmp_path / "s.json")
    assert result.exit_code == 2 and "--from sen2" in result.stderr


# ---- memory ------------------------------------------------------------------------------------

READ_ALL = """
import resource, sys
sys.path.insert(0, sys.argv[2])
from inclusion_standards.sen2 import load_sen2
cases = sum(1 for case in load_sen2(sys.argv[1]) if case.document is not None)
print(cases, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def generate(path: Path, cases: int) -> None:
    code = f"""
import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})
from sen2_returns import person, request, assessment, person_xml, header
with open({str(path)!r}, "w") as out:
    out.write('<?xml version="1.0"?>\\n<Message>' + header(2025) + '<Persons>\\n')
    for n in range(1, {cases} + 1):
        out.write(person_xml(person(n, [request("2024-01-10", "Y", "2024-02-01",
                  assessment=assessment("Y", "2024-05-01"), plan={{"StartDate": "2024-05-01"}})]), 2025))
    out.write('</Persons></Message>\\n')
"""
    subprocess.run([sys.executable, "-c", code], check=True)


def test_reading_a_return_takes_the_same_memory_whatever_its_size(tmp_path):
    peaks = []
    for cases in (2_000, 40_000):
        path = tmp_path / f"r{cases}.xml"
        generate(path, cases)
        done = subprocess.run([sys.executable, "-c", READ_ALL, str(path), str(Path(api.__file__).parents[1])],
                              capture_output=True, text=True, check=True)
        count, peak_kib = map(int, done.stdout.split())
        assert count == cases
        peaks.append(peak_kib)
    assert peaks[1] - peaks[0] < 8 * 1024, peaks  # 20 times the cases, under 8 MiB more


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("NIS_SLOW_TESTS"), reason="a 100,000-case return takes minutes: set "
                    "NIS_SLOW_TESTS=1 (benchmarks/bench_sen2.py prints the figures)")
def test_a_100000_case_return_is_judged_with_flat_memory(tmp_path):
    path = tmp_path / "big.xml"
    generate(path, 100_000)
    nis = Path(sys.executable).with_name("nis")
    out = tmp_path / "o.jsonl"
    command = [str(nis), "batch", "--from", "sen2", str(path), "--out", str(out), "--jobs", "2"]
    run_ = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(run_.pid, 0)
    assert os.waitstatus_to_exitcode(status) in (0, 1)
    assert sum(1 for _ in out.open("rb")) == 100_000
    assert usage.ru_maxrss < 300 * 1024  # KiB


def test_the_example_return_is_the_planned_one(tmp_path):
    planned_return(tmp_path / "r.xml")
    example = Path(__file__).parent.parent / "examples" / "sen2_2025.xml"
    assert example.read_bytes() == (tmp_path / "r.xml").read_bytes()
