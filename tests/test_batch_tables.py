"""`nis batch` for a caseworker's spreadsheet: the CSV's identifiers and rule list, the long
CSV (one row per plan and rule failed), a batch with a CSV and no --out, and --select /
--ignore on `check` and `batch`. Driven through the CLI."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from inclusion_standards import api
from inclusion_standards.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = ["--as-of", "2030-06-01"]
MISSED = EXAMPLES / "ehcp-current-missed-deadline.yaml"
VAGUE = EXAMPLES / "isp-targeted-vague-provision.yaml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def plans(tmp_path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in ("ehcp-current-missed-deadline.yaml", "ehcp-ceased-without-rights.yaml", "isp-targeted-clean.yaml",
                 "isp-targeted-vague-provision.yaml"):
        shutil.copy(EXAMPLES / name, folder / name)
    shutil.copy(EXAMPLES / "broken" / "malformed.yaml", folder / "z-malformed.yaml")
    return folder


def test_the_csv_names_child_setting_layer_status_date_and_counts(plans, tmp_path):
    table = tmp_path / "r.csv"
    assert run("batch", plans, "--csv", table, *AS_OF).exit_code == 2  # one plan cannot be read
    found = {Path(r["input"]).name: r for r in rows(table)}
    missed = found["ehcp-current-missed-deadline.yaml"]
    assert (missed["document_type"], missed["child_id"], missed["setting_urn"], missed["layer"], missed["plan_status"],
            missed["as_of"], missed["outcome"], missed["must_failures"], missed["should_failures"]) == \
        ("ehcp", "C-1C5B3", "990214", "", "final", "2030-06-01", "fail", "1", "2")
    vague = found["isp-targeted-vague-provision.yaml"]
    assert (vague["layer"], vague["plan_status"], vague["outcome"], vague["must_failures"], vague["should_failures"]) \
        == ("targeted", "", "pass", "0", "3")
    assert found["z-malformed.yaml"]["outcome"] == "error" and found["z-malformed.yaml"]["error_reason"]


def test_a_case_takes_its_layer_from_its_isp_and_its_status_from_its_ehcp(tmp_path):
    """An ISP records no status and an EHCP no layer (docs/cli.md says so): a case, which
    holds both, fills each column from the plan that records it."""
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(EXAMPLES / "case-reformed-pmld.yaml", folder / "case.yaml")
    table = tmp_path / "r.csv"
    run("batch", folder, "--csv", table, *AS_OF)
    (case,) = rows(table)
    assert (case["document_type"], case["layer"], case["plan_status"]) == ("case", "specialist", "final")
    assert case["child_id"] and case["setting_urn"]


def test_a_rule_filter_matches_only_that_rule(plans, tmp_path):
    table = tmp_path / "r.csv"
    run("batch", plans, "--csv", table, *AS_OF)
    listed = {Path(r["input"]).name: r["failed_rules"] for r in rows(table)}
    missed = listed["ehcp-current-missed-deadline.yaml"]
    assert missed == ";EHCP-T-FINAL-20W;EHCP-B-E;EHCP-I-RECORD;"
    assert listed["isp-targeted-clean.yaml"] == ""
    # A "contains" filter on ;ID; finds the plans that failed that rule and no other rule whose id holds ID.
    every_id = {rule for text in listed.values() for rule in text.strip(";").split(";") if rule}
    for rule in every_id:
        hits = {name for name, text in listed.items() if f";{rule};" in text}
        assert hits == {name for name, text in listed.items() if rule in text.strip(";").split(";")}


def test_the_long_csv_has_a_row_per_plan_and_rule_failed(plans, tmp_path):
    long = tmp_path / "long.csv"
    run("batch", plans, "--csv-long", long, *AS_OF)
    table = rows(long)
    assert list(table[0]) == ["input", "document_id", "child_id", "setting_urn", "outcome", "rule", "title", "severity"]
    missed = [(r["rule"], r["severity"]) for r in table if r["document_id"] == "EHCP-881-39402"]
    assert missed == [("EHCP-T-FINAL-20W", "must"), ("EHCP-B-E", "should"), ("EHCP-I-RECORD", "should")]
    first = next(r for r in table if r["rule"] == "EHCP-T-FINAL-20W" and r["document_id"] == "EHCP-881-39402")
    assert first["title"] == "The final plan was issued within 20 weeks of the request"
    assert first["child_id"] == "C-1C5B3" and first["setting_urn"] == "990214"
    assert not [r for r in table if r["document_id"] == "ISP-990214-0042"]  # it failed nothing


def test_without_out_every_input_still_gets_one_csv_row_and_nothing_else_is_written(plans, tmp_path):
    table = tmp_path / "r.csv"
    result = run("batch", plans, "--csv", table, *AS_OF)
    assert result.exit_code == 2
    assert len(rows(table)) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans", "r.csv"]
    assert f"wrote {table} in" in result.stdout


def test_without_out_or_a_csv_or_with_resume_and_no_out_is_a_usage_error(plans, tmp_path):
    nothing = run("batch", plans, *AS_OF)
    assert nothing.exit_code == 2 and "give --out FILE" in nothing.stderr
    resume = run("batch", plans, "--csv", tmp_path / "r.csv", "--resume", *AS_OF)
    assert resume.exit_code == 2 and "--resume" in resume.stderr
    assert not (tmp_path / "r.csv").exists()


def test_the_csvs_on_resume_match_an_uninterrupted_run(plans, tmp_path):
    whole = tmp_path / "whole"
    whole.mkdir()
    run("batch", plans, "--out", whole / "r.jsonl", "--csv", whole / "r.csv", "--csv-long", whole / "l.csv", *AS_OF)
    records = (whole / "r.jsonl").read_bytes().splitlines(keepends=True)
    cut = tmp_path / "cut"
    cut.mkdir()
    (cut / "r.jsonl.partial").write_bytes(b"".join(records[:2]))
    again = run("batch", plans, "--out", cut / "r.jsonl", "--csv", cut / "r.csv", "--csv-long", cut / "l.csv",
                "--resume", *AS_OF)
    assert "resumed: kept 2 records" in again.stdout
    for name in ("r.jsonl", "r.csv", "l.csv"):
        assert (cut / name).read_bytes() == (whole / name).read_bytes()


def test_a_record_names_the_plan_it_judged(plans, tmp_path):
    out = tmp_path / "r.jsonl"
    run("batch", plans, "--out", out, *AS_OF)
    record = json.loads(out.read_bytes().splitlines()[0])
    assert list(record) == ["record", "input", "as_of", "outcome", "plan", "result"]
    assert record["plan"] == {"child": "C-2E7C4", "setting": "990921", "layer": None, "status": "ceased"}


# ---- --select and --ignore ---------------------------------------------------------------------

def test_select_keeps_only_the_rules_chosen_and_the_outcome_follows_them():
    every = run("check", MISSED, *AS_OF, "--format", "json")
    assert json.loads(every.stdout)["outcome"] == "fail"
    chosen = run("check", MISSED, *AS_OF, "--format", "json", "--select", "EHCP-B-", "--select", "EHCP-I-RECORD")
    result = json.loads(chosen.stdout)
    assert chosen.exit_code == 0 and result["outcome"] == "pass"
    assert {f["rule"] for f in result["findings"]} <= {f["rule"] for f in json.loads(every.stdout)["findings"]}
    assert all(f["rule"].startswith("EHCP-B-") or f["rule"] == "EHCP-I-RECORD" for f in result["findings"])
    assert result["summary"]["errors"] == 0 and result["summary"]["warnings"] == 2
    assert result["selection"] == {"select": ["EHCP-B-", "EHCP-I-RECORD"], "ignore": []}
    assert result["determinations"] == json.loads(every.stdout)["determinations"]


def test_ignore_leaves_a_rule_out_and_the_text_says_the_verdict_covers_the_rest():
    run_ = run("check", MISSED, *AS_OF, "--ignore", "EHCP-T-FINAL-20W")
    assert run_.exit_code == 0
    assert "✗ EHCP-T-FINAL-20W" not in run_.stdout and "Requirements not met" not in run_.stdout
    assert "Only the rules chosen by --ignore EHCP-T-FINAL-20W were judged" in " ".join(run_.stdout.split())


def test_a_prefix_with_a_star_is_a_prefix_and_a_bare_id_is_exact():
    starred = json.loads(run("check", VAGUE, *AS_OF, "--format", "json", "--select", "ISP-REVIEW*").stdout)
    assert {f["rule"] for f in starred["findings"]} == {"ISP-REVIEW-ANNUAL", "ISP-REVIEW-DATE-PASSED"}
    exact = json.loads(run("check", VAGUE, *AS_OF, "--format", "json", "--select", "ISP-REVIEW-ANNUAL").stdout)
    assert [f["rule"] for f in exact["findings"]] == ["ISP-REVIEW-ANNUAL"]


def test_without_a_selection_the_result_is_unchanged():
    plain = run("check", VAGUE, *AS_OF, "--format", "json").stdout
    assert plain == api.render(api.check(VAGUE, as_of="2030-06-01"), "json")
    assert '"selection"' not in plain


@pytest.mark.parametrize("flag, pattern, nearest", [("--select", "ISP-REVEIW-ANNUAL", "ISP-REVIEW-ANNUAL"),
                                                    ("--ignore", "EHCP-TT-", "EHCP-T-"),
                                                    ("--select", "ISP-REVIEW", "ISP-REVIEW-")])
def test_a_pattern_that_matches_no_rule_is_a_usage_error_with_the_nearest(flag, pattern, nearest, tmp_path):
    for command in (["check", VAGUE], ["batch", VAGUE, "--out", tmp_path / "r.jsonl"]):
        result = run(*command, *AS_OF, flag, pattern)
        assert result.exit_code == 2
        assert "NIS-L009" in result.stderr and f"`{pattern}` matches no rule" in result.stderr
        assert f"did you mean `{nearest}`?" in result.stderr
    assert not (tmp_path / "r.jsonl").exists()


def test_batch_records_the_selection_and_resume_refuses_another(plans, tmp_path):
    out = tmp_path / "r.jsonl"
    assert run("batch", plans, "--out", out, *AS_OF, "--select", "EHCP-T-").exit_code == 2  # the malformed plan
    results = [json.loads(line).get("result") for line in out.read_bytes().splitlines()]
    judged = [r for r in results if r is not None]
    assert judged and all(r["selection"] == {"select": ["EHCP-T-"], "ignore": []} for r in judged)
    assert all(f["rule"].startswith("EHCP-T-") for r in judged for f in r["findings"])
    refused = run("batch", plans, "--out", out, *AS_OF, "--resume")
    assert refused.exit_code == 2 and "NIS-B001" in refused.stderr
    assert "judged by --select EHCP-T-, not every rule" in refused.stderr


def test_the_html_report_says_which_rules_were_judged(tmp_path):
    page = tmp_path / "r.html"
    run("check", MISSED, *AS_OF, "--format", "html", "--output", page, "--select", "EHCP-T-")
    html = page.read_text(encoding="utf-8")
    assert "<dt>Rules judged</dt><dd>only those chosen by <code>--select EHCP-T-</code>" in html
    plain = tmp_path / "plain.html"
    run("check", MISSED, *AS_OF, "--format", "html", "--output", plain)
    assert "Rules judged" not in plain.read_text(encoding="utf-8")
