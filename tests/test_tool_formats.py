"""`nis lint` and `nis test` for CI pipelines: JSON, SARIF 2.1.0, JUnit XML and GitHub
annotations. Each format is compared with a golden file (tests/golden/; rewrite them with
NIS_UPDATE_GOLDEN=1 after a deliberate change and review the diff), and SARIF and JUnit XML
are validated against the published schemas pinned in tests/fixtures/formats/.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from lxml import etree

from inclusion_standards.cli import main

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ROOT / "tests" / "fixtures" / "formats"
GOLDEN = ROOT / "tests" / "golden"
LINT = "tests/fixtures/formats/lint"          # two warnings, no error
STANDARDS = "tests/fixtures/formats/standards"  # one test passes, one fails, two rules partly untested
SUFFIX = {"json": "json", "sarif": "sarif.json", "junit": "junit.xml", "github": "github.txt"}


@pytest.fixture(autouse=True)
def _at_the_repository(monkeypatch):
    """Paths in the outputs are relative to the current folder, as in a CI checkout."""
    monkeypatch.chdir(ROOT)


def run(*args: str):
    return CliRunner().invoke(main, ["--no-config", *args], catch_exceptions=False)


def stable(text: str) -> str:
    """A JUnit report without what changes from run to run: the time, the host, the durations."""
    text = re.sub(r'timestamp="[^"]*"', 'timestamp="T"', text)
    text = re.sub(r'hostname="[^"]*"', 'hostname="H"', text)
    return re.sub(r'time="[0-9.]+"', 'time="S"', text)


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("NIS_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs from its golden file"


def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((FORMATS / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def junit_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FORMATS / "junit" / "JUnit.xsd")))


def assert_valid_sarif(text: str) -> dict:
    log = json.loads(text)
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert errors == [], errors[0].message if errors else ""
    return log


def assert_valid_junit(text: str) -> etree._Element:
    document = etree.fromstring(text.encode("utf-8"))
    schema = junit_schema()
    assert schema.validate(document), schema.error_log.last_error
    return document


# ---- golden outputs ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github"])
def test_lint_output_in_each_format_matches_its_golden_file(fmt):
    result = run("lint", LINT, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert_golden(f"lint-warnings.{SUFFIX[fmt]}", stable(result.stdout))


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github"])
def test_test_output_in_each_format_matches_its_golden_file(fmt):
    result = run("test", STANDARDS, "--format", fmt)
    assert result.exit_code == 1, result.output  # one test fails on purpose
    assert_golden(f"test-results.{SUFFIX[fmt]}", stable(result.stdout))


# ---- the published schemas --------------------------------------------------------------------

def test_lint_sarif_is_valid_sarif_2_1_0_with_each_diagnostic_located():
    log = assert_valid_sarif(run("lint", LINT, "--format", "sarif").stdout)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("NIS-W001", "warning"), ("NIS-W002", "warning")]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": f"{LINT}/warnings.nis", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 14


def test_lint_of_standards_with_errors_is_valid_sarif_and_junit_and_exits_1(tmp_path):
    (tmp_path / "e.nis").write_text('standards "e"\n  version "1"\n  effective from 2029-09-01\n\n'
                                    'plan isp "ISP" schema "isp.schema.json"\n\n'
                                    'rule R1 "Layer"\n  must layr = "targeted"\n  cite "x"\n', encoding="utf-8")
    sarif = run("lint", str(tmp_path), "--format", "sarif")
    assert sarif.exit_code == 1
    results = assert_valid_sarif(sarif.stdout)["runs"][0]["results"]
    assert {(r["ruleId"], r["level"]) for r in results} == {("NIS-C001", "error")}
    junit = run("lint", str(tmp_path), "--format", "junit")
    assert junit.exit_code == 1
    suite = assert_valid_junit(junit.stdout).find("testsuite")
    assert suite.get("failures") == "1" and suite.find("testcase/failure") is not None


def test_lint_junit_fails_warnings_only_when_strict():
    plain = assert_valid_junit(run("lint", LINT, "--format", "junit").stdout)
    assert plain.find("testsuite").get("failures") == "0"
    strict = run("lint", LINT, "--strict", "--format", "junit")
    assert strict.exit_code == 1
    assert assert_valid_junit(strict.stdout).find("testsuite").get("failures") == "1"


def test_test_sarif_and_junit_are_valid_and_name_the_failing_test_where_it_is_written():
    log = assert_valid_sarif(run("test", STANDARDS, "--format", "sarif").stdout)
    failed = [r for r in log["runs"][0]["results"] if r["level"] == "error"]
    assert len(failed) == 1 and failed[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 24
    untested = {r["message"]["text"] for r in log["runs"][0]["results"] if r["level"] == "note"}
    assert untested == {"FMT-LAYER: no test where it fails",
                        "FMT-VIEWS: no test where it passes and none where it fails"}
    suites = assert_valid_junit(run("test", STANDARDS, "--format", "junit").stdout)
    cases = suites.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == ["a targeted plan sits above Universal",
                                              "a universal plan sits above Universal (a wrong expectation)"]
    assert cases[0].find("failure") is None
    assert "formats.nis:24: expected pass FMT-LAYER, got fail" in cases[1].find("failure").text


def test_junit_records_when_and_where_it_ran():
    suite = assert_valid_junit(run("test", STANDARDS, "--format", "junit").stdout).find("testsuite")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", suite.get("timestamp"))
    assert suite.get("hostname") and float(suite.get("time")) >= 0


# ---- GitHub annotations -----------------------------------------------------------------------

def test_github_annotations_escape_what_would_end_a_property_or_a_line(tmp_path):
    folder = tmp_path / "a,b:c"
    folder.mkdir()
    (folder / "w.nis").write_text('standards "w"\n  version "1"\n  effective from 2029-09-01\n\n'
                                  'plan isp "ISP" schema "isp.schema.json"\n\n'
                                  'rule R1 "Layer 100%"\n  must layer = "targeted"\n', encoding="utf-8")
    lines = run("lint", str(folder), "--format", "github").stdout.splitlines()
    assert len(lines) == 1  # the hint stays on the annotation's one line
    assert lines[0].startswith("::warning file=") and "a%2Cb%3Ac/w.nis,line=7,col=1" in lines[0]
    assert "%0Ahint: add `cite" in lines[0]


def test_github_annotations_of_tests_point_at_the_failing_test():
    lines = run("test", STANDARDS, "--format", "github").stdout.splitlines()
    assert lines[0].startswith(f"::error file={STANDARDS}/formats.nis,line=24,title=test failed%3A a universal")
    assert all(line.startswith("::notice ") for line in lines[1:])


# ---- writing to a file ------------------------------------------------------------------------

def test_output_writes_the_report_to_a_file_and_keeps_the_exit_code(tmp_path):
    target = tmp_path / "nis.sarif"
    result = run("test", STANDARDS, "--format", "sarif", "--output", str(target))
    assert result.exit_code == 1 and result.stdout == ""
    assert_valid_sarif(target.read_text(encoding="utf-8"))
