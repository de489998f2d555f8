"""Versions in force: which version judges a plan on each side of every effective date,
`nis versions`, `--standards-version`, and standards folders that keep their tests working
when copied or moved.

The small standards in tests/fixtures/policy/versions/ are two versions of one set: mini 1.0
(2020-01-01 to 2030-08-31) and mini 2.0 (from 2030-09-01). tests/fixtures/policy/ehcp-only/
holds a set that judges EHCPs only (from 2025-01-01).
"""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from inclusion_standards import api, versions
from inclusion_standards.cli import main
from inclusion_standards.resources import standards_dir

POLICY = Path(__file__).parent / "fixtures" / "policy"
VERSIONS = POLICY / "versions"
ISP = VERSIONS / "documents" / "isp-tp.yaml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def library():
    return api.load_standards(VERSIONS)


@pytest.fixture(scope="module")
def both():
    """Every set under tests/fixtures/policy: mini 1.0 and 2.0, and mini-ehcp 1.0."""
    return api.load_standards(POLICY)


# ---- which version is in force ----------------------------------------------------------------

@pytest.mark.parametrize(("on", "version"), [
    ("2020-01-01", "1.0"),   # mini 1.0's first day
    ("2030-08-31", "1.0"),   # its last day
    ("2030-09-01", "2.0"),   # mini 2.0's first day
    ("2045-01-01", "2.0"),   # it has no end
])
def test_the_version_in_force_judges_the_plan(library, on, version):
    assert library.select(date.fromisoformat(on), "isp").version == version
    result = api.check(ISP, as_of=on, standards=library)
    assert result["standards"]["version"] == version


def test_no_version_is_in_force_the_day_before_the_first(library):
    with pytest.raises(api.StandardsError) as caught:
        library.select(date(2019, 12, 31), "isp")
    assert caught.value.diagnostics[0].code == "NIS-L002"


@pytest.mark.parametrize(("on", "judged"), [("2024-12-31", False), ("2025-01-01", True)])
def test_a_set_for_one_kind_of_plan_starts_on_its_effective_date(both, on, judged):
    governing = {kind: s.version for kind, s in versions.governing(both, date.fromisoformat(on)).items()}
    assert ("ehcp" in governing) is judged
    assert governing["isp"] == "1.0"


# ---- nis versions -----------------------------------------------------------------------------

@pytest.mark.parametrize(("on", "governs"), [("2030-08-31", {"1.0": ["isp"], "2.0": []}),
                                             ("2030-09-01", {"1.0": [], "2.0": ["isp"]})])
def test_versions_lists_each_version_and_the_one_in_force(library, on, governs):
    result = run("versions", "--standards", VERSIONS, "--as-of", on, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == on
    listed = {v["version"]: v for v in data["versions"]}
    assert sorted(listed) == ["1.0", "2.0"]
    for version, kinds in governs.items():
        assert listed[version]["governs"] == kinds
        assert listed[version]["in_force"] is bool(kinds)
    one, two = listed["1.0"], listed["2.0"]
    assert (one["effective_from"], one["effective_until"]) == ("2020-01-01", "2030-08-31")
    assert (two["effective_from"], two["effective_until"], two["supersedes"]) == ("2030-09-01", None, "mini@1.0")
    assert {v.version: v.sha256 for v in library.versions} == {"1.0": one["sha256"], "2.0": two["sha256"]}
    assert (one["rules"], one["parameters"], one["determinations"], one["tests"]) == (4, 2, 1, 1)
    assert (two["rules"], two["parameters"], two["determinations"], two["tests"]) == (4, 2, 1, 2)


def test_versions_as_text_says_which_is_in_force():
    result = run("versions", "--standards", VERSIONS, "--as-of", "2030-09-01")
    assert result.exit_code == 0
    text = result.stdout
    assert "as of 1 September 2030" in text
    assert "mini@1.0  no longer in force" in text
    assert "mini@2.0  IN FORCE: judges isp plans" in text
    assert "effective from 1 January 2020 until 31 August 2030" in text
    assert "4 rules, 1 determination, 0 exceptions, 2 parameters, 2 tests" in text


def test_versions_of_the_bundled_standards_count_what_they_hold():
    bundled = api.load_standards()
    data = json.loads(run("versions", "--as-of", "2030-06-01", "--format", "json").stdout)
    (only,) = data["versions"]
    (standards,) = bundled.versions
    assert only["sha256"] == standards.sha256
    assert only["rules"] == len(standards.checked.rules)
    assert only["governs"] == sorted(standards.compiled.plans)
    assert {"isp", "ehcp"} <= set(only["governs"])


# ---- --standards-version ----------------------------------------------------------------------

def test_a_named_version_judges_whatever_the_date(tmp_path):
    plan = yaml.safe_load(ISP.read_text())
    plan["last_review"] = "2029-01-01"  # more than 12 months before the as-of date: REVIEW fails
    path = tmp_path / "overdue.yaml"
    path.write_text(yaml.safe_dump(plan))
    in_force = run("check", path, "--standards", VERSIONS, "--as-of", "2030-06-01", "--format", "json")
    assert in_force.exit_code == 1  # under 1.0, REVIEW is a must
    assert json.loads(in_force.stdout)["standards"]["version"] == "1.0"
    named = run("check", path, "--standards", VERSIONS, "--standards-version", "mini@2.0", "--as-of", "2030-06-01",
                "--format", "json")
    assert named.exit_code == 0  # under 2.0, REVIEW is a should: a warning
    result = json.loads(named.stdout)
    assert result["standards"]["version"] == "2.0"
    assert result["as_of"] == "2030-06-01"
    review = next(f for f in result["findings"] if f["rule"] == "REVIEW")
    assert (review["status"], review["severity"]) == ("fail", "warning")


def test_a_version_named_alone_or_with_its_id_is_the_same():
    a = run("explain", ISP, "--standards", VERSIONS, "--standards-version", "2.0", "--as-of", "2030-01-01",
            "--format", "json", "--decision", "TP-HOURS")
    b = run("explain", ISP, "--standards", VERSIONS, "--standards-version", "mini@2.0", "--as-of", "2030-01-01",
            "--format", "json", "--decision", "TP-HOURS")
    assert a.exit_code == b.exit_code == 0
    assert a.stdout == b.stdout
    assert json.loads(a.stdout)["standards"]["version"] == "2.0"


def test_an_unknown_version_is_a_clear_error():
    result = run("check", ISP, "--standards", VERSIONS, "--standards-version", "2.1", "--as-of", "2030-06-01")
    assert result.exit_code == 2
    assert "error[NIS-L006]: no standards in" in result.stderr and "are version 2.1" in result.stderr
    assert "did you mean 2.0?" in result.stderr
    assert "mini@1.0, mini@2.0" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_version_shared_by_two_ids_must_be_named_with_its_id():
    result = run("check", ISP, "--standards", POLICY, "--standards-version", "1.0", "--as-of", "2030-06-01")
    assert result.exit_code == 2
    assert "several standards" in result.stderr
    assert "mini-ehcp@1.0" in result.stderr and "mini@1.0" in result.stderr


def test_a_version_that_does_not_judge_the_plan_is_a_clear_error():
    result = run("check", ISP, "--standards", POLICY, "--standards-version", "mini-ehcp@1.0",
                 "--as-of", "2030-06-01")
    assert result.exit_code == 2
    assert "error[NIS-L007]: mini-ehcp@1.0 does not judge isp documents" in result.stderr
    assert "it judges ehcp documents" in result.stderr


def test_a_batch_by_a_named_version_records_it_and_errors_on_plans_it_does_not_judge(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run("batch", ISP, "--out", out, "--standards", POLICY, "--standards-version", "mini@2.0",
                 "--as-of", "2025-06-01")
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["result"]["standards"]["version"] == "2.0"
    wrong = run("batch", ISP, "--out", out, "--standards", POLICY, "--standards-version", "mini-ehcp@1.0",
                "--as-of", "2030-06-01")
    assert wrong.exit_code == 2
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["outcome"] == "error"
    assert record["error"]["diagnostics"][0]["code"] == "NIS-L007"


def test_the_api_judges_by_a_version_given_as_standards():
    library = api.load_standards(VERSIONS)
    two = api.find_version(library, "mini@2.0")
    result = api.check(ISP, as_of="2021-01-01", standards=two)
    assert result["standards"]["version"] == "2.0"


# ---- copying and moving a standards folder -----------------------------------------------------

def test_a_copy_of_the_bundled_standards_passes_its_tests(tmp_path):
    copy = tmp_path / "elsewhere" / "standards"
    shutil.copytree(standards_dir(), copy)
    result = run("test", copy)
    assert result.exit_code == 0, result.stdout[-2000:]
    original = run("test", standards_dir())
    assert result.stdout.splitlines()[-1] == original.stdout.splitlines()[-1]
    assert result.stdout.splitlines()[-1].endswith(" passed, 0 failed")


def test_a_moved_standards_folder_finds_its_own_documents_and_nis_examples(tmp_path):
    moved = tmp_path / "moved"
    shutil.copytree(VERSIONS, moved)
    result = run("test", moved)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "3 passed, 0 failed"


def test_a_test_document_that_is_nowhere_names_every_place_looked(tmp_path):
    moved = tmp_path / "moved"
    shutil.copytree(VERSIONS, moved)
    (moved / "documents" / "isp-tp.yaml").unlink()
    result = run("test", moved)
    assert result.exit_code == 1
    assert "cannot find the test's document `documents/isp-tp.yaml`" in result.stdout
    assert str(moved / "documents" / "isp-tp.yaml") in result.stdout
    assert "1 passed, 2 failed" in result.stdout
