"""`nis diff`: what changed between two versions, what a trial parameter change (`--set`)
changes, and what a change does to a corpus of plans, counted.

mini 1.0 and 2.0 (tests/fixtures/policy/versions/) differ in exactly the ways mini-2.0.nis's
opening comment lists; the tests assert exactly those. The corpus is five plans made from
the fixture's ISP, each chosen to move one way, and one broken plan.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from inclusion_standards import api
from inclusion_standards.cli import main
from inclusion_standards.diff import diff_standards
from inclusion_standards.reforms import apply_settings, parse_setting

VERSIONS = Path(__file__).parent / "fixtures" / "policy" / "versions"
ISP = VERSIONS / "documents" / "isp-tp.yaml"
AS_OF = ("--as-of", "2030-06-01")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def diff_json(*args):
    result = run("diff", *args, "--standards", VERSIONS, *AS_OF, "--format", "json")
    assert result.exit_code in (0, 2), result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def mini():
    library = api.load_standards(VERSIONS)
    return api.find_version(library, "mini@1.0"), api.find_version(library, "mini@2.0")


@pytest.fixture
def corpus(tmp_path):
    """Five plans, each moving one known way between mini 1.0 and 2.0, and a broken one."""
    base = yaml.safe_load(ISP.read_text())
    variants = {
        "a.yaml": {"id": "A"},                                               # no child views
        "b.yaml": {"id": "B", "child_views": "I like maths."},
        "c.yaml": {"id": "C", "layer": "specialist", "hours": 1},             # 1.75 hours, at Specialist
        "d.yaml": {"id": "D", "last_review": "2029-01-01"},                  # review overdue
        "e.yaml": {"id": "E", "layer": "targeted"},
    }
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, change in variants.items():
        plan = yaml.safe_load(yaml.safe_dump(base))
        hours = change.pop("hours", None)
        if hours is not None:
            plan["provision"][1]["hours_per_week"] = hours
        plan.update(change)
        (folder / name).write_text(yaml.safe_dump(plan))
    (folder / "f-broken.yaml").write_text("id: [unclosed\n")
    return folder


# ---- the standards compared ---------------------------------------------------------------------

def test_the_diff_of_two_versions_is_exactly_their_known_changes(mini):
    d = diff_standards(*mini).to_json()
    summary = {(c["kind"], c["name"], c["change"]): [(a["aspect"], a["old"], a["new"], a["applies_from"])
                                                     for a in c["aspects"]] for c in d["changes"]}
    assert summary == {
        ("parameter", "tp_hours", "changed"): [("value", "3 hours per week", "4 hours per week", "2031-09-01")],
        ("rule", "TP-HOURS", "changed"): [("condition", 'layer = "targeted_plus"',
                                           'layer = "targeted_plus" or layer = "specialist"', None)],
        ("rule", "REVIEW", "changed"): [("strength", "must", "should", None),
                                        ("citation", "Test source B, para 2", None, None),
                                        ("citation", None, "Test source B, para 3", None)],
        ("rule", "VIEWS", "removed"): [],
        ("rule", "OUTCOMES", "added"): [],
        ("determination", "enough_hours", "changed"): [
            ("case", None, 'case false as no_provision when count of provision = 0 because "No provision is recorded."',
             None)],
    }
    assert d["counts"] == {"added": 1, "removed": 1, "changed": 4}


def test_a_reformatted_rule_is_no_change(mini):
    old, new = mini
    assert "NEEDS" not in {c.name for c in diff_standards(old, new).changes}
    # ... although its text differs: one line in 2.0, five in 1.0.
    assert 'rule NEEDS "The plan records needs" applies to isp must (count' in Path(new.entry).read_text()


@pytest.mark.parametrize("fmt", ["text", "json", "html", "csv"])
def test_a_version_against_itself_is_empty(fmt):
    result = run("diff", "mini@2.0", "mini@2.0", "--standards", VERSIONS, *AS_OF, "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["changes"] == [] and data["impacted"] == []
        assert data["counts"] == {"added": 0, "removed": 0, "changed": 0}
    elif fmt == "csv":
        assert result.stdout.splitlines() == ["kind,name,change,title,aspect,old,new,applies_from"]
    else:
        assert "No changes: the two versions say the same." in result.stdout


def test_the_bundled_standards_against_themselves_are_empty():
    bundled = api.load_standards().versions[0]
    assert diff_standards(bundled, bundled).changes == ()


def test_quantities_are_compared_by_what_they_mean(write_files):
    header = 'standards "q"\n  version "{v}"\n  effective from 2020-01-01\nplan isp "ISP" schema "isp.schema.json"\n'
    body = ('parameter gap "Gap"\n  unit {unit}\n  cite "S"\n  from 2020-01-01: {value}\n'
            'rule R "R"\n  applies to isp\n  must as_of <= last_review + gap\n  cite "S"\n')
    one = write_files({"q.nis": header.format(v="1") + body.format(unit="weeks", value="2 weeks")})
    two = write_files({"q.nis": header.format(v="2") + body.format(unit="days", value="14 days")})
    three = write_files({"q.nis": header.format(v="3") + body.format(unit="days", value="15 days")})
    a, b, c = (api.load_standards(f).versions[0] for f in (one, two, three))
    assert [(x.name, [y.aspect for y in x.aspects]) for x in diff_standards(a, b).changes] == [("gap", ["unit"])]
    values = [y for x in diff_standards(a, c).changes for y in x.aspects if y.aspect == "value"]
    assert [(v.old, v.new) for v in values] == [("2 weeks", "15 days")]


def test_the_text_report_names_each_change_and_its_date():
    result = run("diff", "mini@1.0", "mini@2.0", "--standards", VERSIONS, *AS_OF)
    assert result.exit_code == 0
    out = result.stdout
    assert "nis diff: mini@1.0 → mini@2.0" in out
    assert "Changes to the standards: 1 added, 1 removed, 4 changed" in out
    assert "value from 1 September 2031: 3 hours per week → 4 hours per week" in out
    assert "strength: must → should" in out
    assert "+ rule OUTCOMES (must)  The plan records outcomes" in out
    assert "- rule VIEWS (should)" in out


def test_a_version_named_by_its_folder(tmp_path):
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(VERSIONS / "mini-1.0.nis", one)
    data = diff_json(one, "mini@2.0")
    assert (data["old"]["name"], data["new"]["name"]) == ("mini@1.0", "mini@2.0")
    assert data["counts"] == {"added": 1, "removed": 1, "changed": 4}
    # a folder of several versions: the one in force on the as-of date
    data = diff_json(VERSIONS, "mini@2.0")
    assert data["old"]["name"] == "mini@1.0"


def test_an_unknown_version_is_a_clear_error():
    result = run("diff", "mini@3.0", "mini@2.0", "--standards", VERSIONS, *AS_OF)
    assert result.exit_code == 2
    assert "NIS-L006" in result.stderr and "mini@1.0, mini@2.0" in result.stderr


# ---- --set --------------------------------------------------------------------------------------

def test_set_tries_a_parameter_change_without_editing_a_file(mini):
    old = mini[0]
    before = Path(old.entry).read_text()
    data = diff_json("mini@1.0", "--set", "tp_hours=5 hours per week")
    assert Path(old.entry).read_text() == before
    assert data["settings"] == ["tp_hours = 5 hours per week from 2030-06-01"]
    assert data["new"]["version"] == "1.0 with tp_hours = 5 hours per week from 2030-06-01"
    assert data["new"]["sha256"] != data["old"]["sha256"]
    (change,) = data["changes"]
    assert (change["name"], change["aspects"][0]["old"], change["aspects"][0]["new"],
            change["aspects"][0]["applies_from"]) == ("tp_hours", "3 hours per week", "5 hours per week", "2030-06-01")
    assert [(i["name"], i["through"]) for i in data["impacted"]] == [
        ("TP-HOURS", ["parameter tp_hours"]), ("enough_hours", ["parameter tp_hours"])]


def test_set_from_a_date_and_on_new(mini):
    data = diff_json("mini@1.0", "mini@2.0", "--set", "review_interval=6 months from 2031-01-01")
    (change,) = [c for c in data["changes"] if c["name"] == "review_interval"]
    assert [(a["old"], a["new"], a["applies_from"]) for a in change["aspects"]] == [
        ("12 months", "6 months", "2031-01-01")]


def test_set_judges_plans_by_the_changed_value(mini):
    old = mini[0]
    trial = apply_settings(old, [parse_setting("tp_hours=5 hours per week")], api._date("2030-06-01"))
    assert api.check(ISP, as_of="2030-06-01", standards=old)["outcome"] == "pass"
    result = api.check(ISP, as_of="2030-06-01", standards=trial)
    assert result["outcome"] == "fail"
    assert {f["rule"]: f["status"] for f in result["findings"]}["TP-HOURS"] == "fail"
    # before the date it applies from, the published value still holds
    assert api.check(ISP, as_of="2030-05-31", standards=trial)["outcome"] == "pass"


@pytest.mark.parametrize(("setting", "message", "hint"), [
    ("tp_hours=5", "`tp_hours` is a number of hours per week, but 5 is a number",
     "the standards write it as 3 hours per week"),
    ("review_interval=26 weeks", "`review_interval` is a duration in months or years, but 26 weeks is a duration",
     "12 months"),
    ("tp_hour=5 hours per week", "mini@1.0 has no parameter `tp_hour`", "did you mean `tp_hours`?"),
    ("tp_hours", "a trial change is written NAME=VALUE", "--set 'targeted_plus_hours=4 hours per week'"),
    ("tp_hours=5 hours per", "is not a value the standards language can write", "a quantity"),
    ("tp_hours=5 hours per week from 2031-02-30", "`2031-02-30` is not a date", "the month and the day"),
    ("tp_hours=total_hours", "written out, not computed", "write a number"),
])
def test_a_bad_setting_is_a_clear_error(setting, message, hint):
    result = run("diff", "mini@1.0", "--set", setting, "--standards", VERSIONS, *AS_OF)
    assert result.exit_code == 2
    assert "error[NIS-R001]" in result.stderr
    assert message in result.stderr
    assert hint in result.stderr
    assert "Traceback" not in result.stderr


def test_diff_needs_new_or_a_setting():
    result = run("diff", "mini@1.0", "--standards", VERSIONS)
    assert result.exit_code == 2
    assert "give NEW, or --set" in result.stderr


# ---- impact on a corpus ---------------------------------------------------------------------------

def test_the_impact_on_a_small_corpus_has_the_known_counts(corpus, tmp_path):
    changes = tmp_path / "changes.jsonl"
    result = run("diff", "mini@1.0", "mini@2.0", "--standards", VERSIONS, *AS_OF, "--corpus", corpus,
                 "--format", "json", "--changes", changes)
    assert result.exit_code == 2  # the broken plan could not be judged
    impact = json.loads(result.stdout)["impact"]
    assert (impact["documents"], impact["judged"], impact["errors"], impact["changed"]) == (6, 5, 1, 5)
    assert impact["outcomes"] == [{"old": "fail", "new": "pass", "documents": 1},
                                  {"old": "pass", "new": "fail", "documents": 1},
                                  {"old": "pass", "new": "pass", "documents": 3}]
    rules = {(r["rule"], m["old"], m["new"], m["old_severity"], m["new_severity"]): (m["documents"], m["examples"])
             for r in impact["rules"] for m in r["transitions"]}
    assert rules == {
        ("OUTCOMES", "absent", "pass", None, "error"): (5, ["A", "B", "C", "D", "E"]),
        ("VIEWS", "fail", "absent", "warning", None): (4, ["A", "C", "D", "E"]),
        ("VIEWS", "pass", "absent", "warning", None): (1, ["B"]),
        ("TP-HOURS", "not_applicable", "fail", "error", "error"): (1, ["C"]),
        ("REVIEW", "fail", "fail", "error", "warning"): (1, ["D"]),
    }
    assert impact["determinations"] == []
    layers = {k: (g["documents"], g["changed"], g["newly_failing"], g["no_longer_failing"], g["findings_gained"],
                  g["findings_lost"]) for k, g in impact["by_layer"].items()}
    assert layers == {"targeted_plus": (3, 3, 0, 1, 0, 2), "specialist": (1, 1, 1, 0, 1, 1),
                      "targeted": (1, 1, 0, 0, 0, 1)}
    assert impact["by_kind"]["isp"]["documents"] == 5
    assert impact["by_package"] == {"none named": {"documents": 5, "changed": 5, "newly_failing": 1,
                                                   "no_longer_failing": 1, "findings_gained": 1, "findings_lost": 4}}
    assert "1 plan would newly not meet TP-HOURS (A Targeted Plus plan provides enough hours): an error (must), " \
           "where it was does not apply." in impact["summary"]
    records = [json.loads(line) for line in changes.read_text().splitlines()]
    assert [r["record"] for r in records] == [1, 2, 3, 4, 5, 6]
    assert [r["outcome"] for r in records] == ["changed"] * 5 + ["error"]
    assert records[2]["document"] == {"id": "C", "type": "isp", "layer": "specialist", "packages": []}


def test_set_on_a_corpus_counts_plans_and_determinations(corpus):
    impact = diff_json("mini@1.0", "--set", "tp_hours=5 hours per week", "--corpus", corpus)["impact"]
    assert impact["changed"] == 4
    (rule,) = impact["rules"]
    assert (rule["rule"], rule["transitions"]) == ("TP-HOURS", [
        {"old": "pass", "new": "fail", "old_severity": "error", "new_severity": "error", "documents": 3,
         "examples": ["A", "B", "D"]}])
    (det,) = impact["determinations"]
    assert (det["determination"], det["transitions"]) == ("enough_hours", [
        {"old": "yes", "new": "no", "documents": 4, "examples": ["A", "B", "D", "E"]}])
    assert {(o["old"], o["new"]): o["documents"] for o in impact["outcomes"]} == {
        ("pass", "fail"): 2, ("fail", "fail"): 1, ("pass", "pass"): 2}
    assert "4 plans would no longer meet: The plan provides the Targeted Plus hours (enough_hours)." \
        in impact["summary"]


def test_the_full_list_as_csv_has_a_row_per_decision_that_changes(corpus):
    result = run("diff", "mini@1.0", "mini@2.0", "--standards", VERSIONS, *AS_OF, "--corpus", corpus,
                 "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2 + 2 + 3 + 3 + 2 + 1
    c = [r for r in rows if r["document_id"] == "C"]
    assert {(r["name"], r["old"], r["new"]) for r in c} == {
        ("VIEWS", "fail", "absent"), ("OUTCOMES", "absent", "pass"), ("TP-HOURS", "not_applicable", "fail")}
    assert all(r["old_outcome"] == "pass" and r["new_outcome"] == "fail" for r in c)
    (broken,) = [r for r in rows if r["kind"] == "error"]
    assert broken["input"].endswith("f-broken.yaml")


def test_the_html_report_is_for_a_meeting(corpus, tmp_path):
    out = tmp_path / "impact.html"
    result = run("diff", "mini@1.0", "mini@2.0", "--standards", VERSIONS, *AS_OF, "--corpus", corpus,
                 "--format", "html", "--out", out)
    assert result.exit_code == 2
    page = out.read_text()
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert page.count("<svg") == 2
    for ident, title in (("chart-rules", "Findings that change, by rule"),
                         ("chart-layers", "Findings that change, by layer")):
        svg = re.search(rf'<figure class="chart" id="{ident}">.*?</figure>', page, re.S).group(0)
        assert 'role="img"' in svg and f'aria-labelledby="{ident}-title {ident}-desc"' in svg
        assert f'<title id="{ident}-title">{title}</title>' in svg
        assert f"<caption>{title}: the figures of the chart</caption>" in svg
    rules_chart = re.search(r'id="chart-rules".*?</figure>', page, re.S).group(0)
    assert '<th scope="row">TP-HOURS</th><td class="num">1</td><td class="num">0</td>' in rules_chart
    assert '<th scope="row">VIEWS</th><td class="num">0</td><td class="num">4</td>' in rules_chart
    assert "Summary" in page and "Plans that would newly fail" in page
    assert "Test source B, para 3" in page  # the rules' citations
    assert "@media print" in page


# ---- the batch machinery: jobs and resume ------------------------------------------------------------

def _impact_run(corpus, changes, *extra):
    return run("diff", "mini@1.0", "mini@2.0", "--standards", VERSIONS, *AS_OF, "--corpus", corpus,
               "--format", "json", "--changes", changes, *extra)


def test_worker_processes_give_the_same_report_and_records(corpus, tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    a, b = _impact_run(corpus, one), _impact_run(corpus, two, "--jobs", "2")
    assert a.exit_code == b.exit_code == 2
    assert a.stdout == b.stdout
    assert one.read_bytes() == two.read_bytes()


def test_an_interrupted_run_resumes_to_the_same_report_and_records(corpus, tmp_path):
    whole, cut = tmp_path / "whole.jsonl", tmp_path / "cut.jsonl"
    expected = _impact_run(corpus, whole)
    lines = whole.read_bytes().splitlines(keepends=True)
    cut.write_bytes(b"".join(lines[:3]) + lines[3][:40])  # killed while writing the fourth record
    resumed = _impact_run(corpus, cut, "--resume", "--jobs", "2")
    assert resumed.exit_code == expected.exit_code
    assert resumed.stdout == expected.stdout
    assert cut.read_bytes() == whole.read_bytes()
    assert "(3 kept from the interrupted run)" in resumed.stderr


def test_a_resume_against_other_versions_is_refused_and_changes_nothing(corpus, tmp_path):
    changes = tmp_path / "changes.jsonl"
    _impact_run(corpus, changes)
    before = changes.read_bytes()
    other = run("diff", "mini@1.0", "--set", "tp_hours=5 hours per week", "--standards", VERSIONS, *AS_OF,
                "--corpus", corpus, "--changes", changes, "--resume")
    assert other.exit_code == 2
    assert "error[NIS-B001]: record 1 compares other versions of the standards" in other.stderr
    assert changes.read_bytes() == before


def test_resume_needs_the_changes_file():
    result = run("diff", "mini@1.0", "mini@2.0", "--standards", VERSIONS, "--corpus", ISP, "--resume")
    assert result.exit_code == 2
    assert "--resume needs --corpus and the --changes file" in result.stderr


def test_changes_needs_a_corpus(tmp_path):
    result = run("diff", "mini@1.0", "mini@2.0", "--standards", VERSIONS, "--changes", tmp_path / "c.jsonl")
    assert result.exit_code == 2
    assert "--changes needs --corpus" in result.stderr


# ---- outputs are never inputs; records read back are verified -------------------------------------

@pytest.mark.parametrize("flag", ["--out", "--changes"])
def test_an_output_that_is_a_plan_of_the_corpus_is_refused_before_anything_is_read(corpus, flag):
    plan = corpus / "a.yaml"
    before = plan.read_bytes()
    result = run("diff", "mini@1.0", "mini@2.0", "--standards", VERSIONS, *AS_OF, "--corpus", corpus, flag, plan)
    assert result.exit_code == 2 and "NIS-O002" in result.stderr and "destroy it" in result.stderr
    assert plan.read_bytes() == before


def test_a_damaged_record_in_changes_refuses_the_resume_and_changes_nothing(corpus, tmp_path):
    changes = tmp_path / "changes.jsonl"
    _impact_run(corpus, changes)
    damaged = b"{}\n" + changes.read_bytes().split(b"\n", 1)[1]
    changes.write_bytes(damaged)
    result = _impact_run(corpus, changes, "--resume")
    assert result.exit_code == 2
    assert "error[NIS-B002]: line 1 of the --changes file is not a record nis diff wrote" in result.stderr
    assert changes.read_bytes() == damaged
