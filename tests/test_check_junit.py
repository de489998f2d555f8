"""JUnit XML for `nis check --format junit` and `nis batch --junit FILE`: a test case per
plan, failed when a requirement is not met, in error when the plan cannot be read, the
recommendations not met in the suite's output. Compared with golden files (rewrite them
with NIS_UPDATE_GOLDEN=1 and review the diff) and validated against the pinned JUnit schema."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_tool_formats import assert_golden, assert_valid_junit, stable

from inclusion_standards.cli import main

ROOT = Path(__file__).resolve().parents[1]
PLANS = ["examples/ehcp-current-missed-deadline.yaml", "examples/broken/malformed.yaml",
         "examples/isp-targeted-clean.yaml", "examples/isp-targeted-vague-provision.yaml"]
AS_OF = ["--as-of", "2030-06-01"]


@pytest.fixture(autouse=True)
def _at_the_repository(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(*args):
    return CliRunner().invoke(main, ["--no-config", *map(str, args)], catch_exceptions=False)


def test_check_junit_matches_its_golden_file_and_the_schema():
    result = run("check", *PLANS, *AS_OF, "--format", "junit")
    assert result.exit_code == 2  # one plan cannot be read
    assert_golden("check-plans.junit.xml", stable(result.stdout))
    suite = assert_valid_junit(result.stdout).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "1")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["EHCP-881-39402", "examples/broken/malformed.yaml", "ISP-990214-0042",
                                              "ISP-990377-0108"]
    failure = cases[0].find("failure")
    assert failure.get("message") == "1 requirement not met: EHCP-T-FINAL-20W"
    assert "issued 30 July 2027" in failure.text
    assert cases[1].find("error") is not None and cases[2].find("failure") is None
    assert cases[3].find("failure") is None  # recommendations are not failures...
    output = suite.find("system-out").text
    assert "ISP-990377-0108: recommendation not met: ISP-PROVISION-SPECIFIC" in output  # ...they are reported here


def test_batch_junit_matches_its_golden_file_and_the_schema_and_is_rebuilt_on_resume(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for plan in PLANS:
        shutil.copy(ROOT / plan, folder / Path(plan).name)
    whole = tmp_path / "whole.xml"
    result = run("batch", folder, *AS_OF, "--junit", whole, "--out", tmp_path / "whole.jsonl")
    assert result.exit_code == 2
    text = whole.read_text(encoding="utf-8").replace(str(folder), "plans")
    assert_golden("batch-plans.junit.xml", stable(text))
    suite = assert_valid_junit(text).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "1")
    records = (tmp_path / "whole.jsonl").read_bytes().splitlines(keepends=True)
    (tmp_path / "cut.jsonl.partial").write_bytes(b"".join(records[:2]))
    again = run("batch", folder, *AS_OF, "--junit", tmp_path / "cut.xml", "--out", tmp_path / "cut.jsonl", "--resume")
    assert "resumed: kept 2 records" in again.stdout
    assert stable((tmp_path / "cut.xml").read_text(encoding="utf-8")) == stable(whole.read_text(encoding="utf-8"))


def test_batch_junit_alone_needs_no_out_and_leaves_nothing_else(tmp_path):
    report = tmp_path / "nis.xml"
    result = run("batch", ROOT / "examples" / "isp-targeted-clean.yaml", *AS_OF, "--junit", report)
    assert result.exit_code == 0
    assert_valid_junit(report.read_text(encoding="utf-8"))
    assert [p.name for p in tmp_path.iterdir()] == ["nis.xml"]


def test_a_plan_that_passes_with_no_recommendation_left_is_a_passing_case():
    suite = assert_valid_junit(run("check", PLANS[2], *AS_OF, "--format", "junit").stdout).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "0")
    assert not suite.find("system-out").text
