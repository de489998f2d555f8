"""The `nis` command line, driven as a user drives it: exit codes, what goes to stdout and
stderr, and the files it writes. Most tests use click's CliRunner (fast, in-process); a few
run the installed `nis` script in a subprocess to check the real entry point.

They use the small standards in tests/fixtures/cli/, so they do not depend on the bundled
standards.
"""
from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from inclusion_standards import __version__, api
from inclusion_standards.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
STANDARDS = FIXTURES / "standards"
DOCUMENTS = STANDARDS / "documents"
PASS, FAIL = DOCUMENTS / "isp-pass.yaml", DOCUMENTS / "isp-fail.yaml"
INVALID, MALFORMED = DOCUMENTS / "isp-invalid.yaml", DOCUMENTS / "isp-malformed.yaml"
AS_OF = ["--as-of", "2030-06-01"]
NIS = Path(sys.executable).with_name("nis")
COMMANDS = ["check", "explain", "batch", "test", "fmt", "lint", "schema", "new", "rule"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def judge(*args):
    return run(*args, "--standards", STANDARDS, *AS_OF)


# ---- the group ---------------------------------------------------------------------------------

def test_version_prints_the_package_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"nis {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"nis {command}" in result.stdout.split("Example", 1)[1]


def test_starting_the_cli_imports_no_heavy_module():
    code = ("import sys, inclusion_standards.cli; heavy = ('lark', 'rich', 'jsonschema', 'yaml', 'orjson', "
            "'inclusion_standards.evaluate'); print(sorted(m for m in sys.modules if m.startswith(heavy)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_program_keeps_its_standards_out_of_the_collector_and_a_host_program_does_not():
    """Run as the `nis` program, a command's standards are moved out of the cycle collector's way
    for good (they live as long as the process); run inside another program, nis leaves that
    program's collector as it was."""
    code = ("import gc, sys\nfrom inclusion_standards import cli\nsys.argv = ['nis', *sys.argv[1:]]\n"
            "try:\n    cli.run()\nexcept SystemExit:\n    pass\n"
            "print(gc.get_freeze_count() > 0, gc.isenabled(), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code, "check", str(PASS), "--standards", str(STANDARDS), *AS_OF],
                         capture_output=True, text=True, check=False)
    assert "ISP-CLI-PASS" in out.stdout
    assert out.stderr.strip().splitlines()[-1] == "True True"
    frozen = gc.get_freeze_count()
    assert judge("check", PASS).exit_code == 0
    assert gc.get_freeze_count() == frozen and gc.isenabled()


def test_loading_standards_leaves_the_collector_as_it_found_it(tmp_path):
    (tmp_path / "broken.nis").write_text("standards\n", encoding="utf-8")
    for running in (True, False):
        if not running:
            gc.disable()
        try:
            api.load_standards(STANDARDS)
            assert gc.isenabled() is running
            with pytest.raises(api.StandardsError):
                api.load_standards(tmp_path)
            assert gc.isenabled() is running
        finally:
            gc.enable()


# ---- check ------------------------------------------------------------------------------------

def test_check_exits_0_when_nothing_at_must_severity_failed():
    result = judge("check", PASS)
    assert result.exit_code == 0, result.output
    assert "ISP-CLI-PASS" in result.stdout


def test_check_exits_1_when_a_must_rule_failed():
    result = judge("check", FAIL)
    assert result.exit_code == 1
    assert "CLI-REVIEW" in result.stdout


def test_check_json_of_one_document_is_the_result_object():
    result = judge("check", FAIL, "--format", "json")
    data = json.loads(result.stdout)
    assert data["outcome"] == "fail" and data["as_of"] == "2030-06-01"
    assert data["document"]["source"] == str(FAIL)


def test_check_json_of_several_documents_is_an_array_in_the_order_given():
    result = judge("check", FAIL, PASS, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [r["document"]["id"] for r in data] == ["ISP-CLI-FAIL", "ISP-CLI-PASS"]


def test_check_of_a_folder_checks_its_documents_in_sorted_order(tmp_path):
    for path in (PASS, FAIL):
        shutil.copy(path, tmp_path / path.name)
    result = judge("check", tmp_path, "--format", "json")
    assert [r["document"]["id"] for r in json.loads(result.stdout)] == ["ISP-CLI-FAIL", "ISP-CLI-PASS"]


def test_check_html_of_several_documents_is_one_page_written_to_output(tmp_path):
    page = tmp_path / "out" / "report.html"
    result = judge("check", PASS, FAIL, "--format", "html", "--output", page)
    assert result.exit_code == 1
    text = page.read_text(encoding="utf-8")
    assert text.count("<html") == 1 and "ISP-CLI-PASS" in text and "ISP-CLI-FAIL" in text
    assert result.stdout == ""


def test_check_of_an_invalid_document_exits_2_with_located_diagnostics_on_stderr():
    result = judge("check", INVALID)
    assert result.exit_code == 2
    assert f"{INVALID}:6:8 at /layer: error[NIS-D104]" in result.stderr
    assert "hint: did you mean `targeted`?" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_check_of_malformed_yaml_exits_2_with_line_and_column():
    result = judge("check", MALFORMED)
    assert result.exit_code == 2
    assert f"{MALFORMED}:4:6" in result.stderr and "NIS-D011" in result.stderr


def test_check_of_an_unreadable_file_exits_2(tmp_path):
    result = judge("check", tmp_path / "no-such-plan.yaml")
    assert result.exit_code == 2
    assert "NIS-D005" in result.stderr and "cannot read the file" in result.stderr


def test_check_still_reports_the_readable_documents_when_one_is_invalid():
    result = judge("check", PASS, INVALID, "--format", "json")
    assert result.exit_code == 2
    assert [r["document"]["id"] for r in json.loads(result.stdout)] == ["ISP-CLI-PASS"]
    assert "NIS-D104" in result.stderr


@pytest.mark.parametrize("bad, why", [("2030-13-01", "month must be in 1..12"), ("1/6/2030", "YYYY-MM-DD"),
                                      ("2030-06-31", "day is out of range"), ("20300601", "YYYY-MM-DD")])
def test_a_bad_as_of_date_exits_2_with_a_hint(bad, why):
    result = run("check", PASS, "--standards", STANDARDS, "--as-of", bad)
    assert result.exit_code == 2
    assert "--as-of" in result.stderr and why in result.stderr and "hint" in result.stderr


BROKEN = ('standards "broken"\n  version "1"\n  effective from 2029-09-01\n\nplan isp "ISP" schema "isp.schema.json"'
          '\n\nrule R1 "A rule"\n  must (layer = "targeted"\n  cite "x"\n')


def test_broken_standards_exit_2_with_file_line_and_expected(tmp_path):
    (tmp_path / "broken.nis").write_text(BROKEN, encoding="utf-8")
    result = run("check", PASS, "--standards", tmp_path, *AS_OF)
    assert result.exit_code == 2
    assert f"{tmp_path / 'broken.nis'}:9:3: error[NIS-S100]" in result.stderr
    assert "expected: `)`" in result.stderr
    assert "Traceback" not in result.output


def test_a_date_no_standards_cover_exits_2_with_a_hint():
    result = run("check", PASS, "--standards", STANDARDS, "--as-of", "2020-01-01")
    assert result.exit_code == 2
    assert "NIS-L002" in result.stderr and "--as-of" in result.stderr


def test_missing_standards_folder_exits_2(tmp_path):
    result = run("check", PASS, "--standards", tmp_path / "nowhere", *AS_OF)
    assert result.exit_code == 2 and "NIS-L001" in result.stderr


# ---- explain ----------------------------------------------------------------------------------

def test_explain_prints_the_trace_of_every_decision():
    result = judge("explain", FAIL, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {f["rule"] for f in data["findings"]} == {"CLI-LAYER", "CLI-REVIEW", "CLI-VIEWS"}
    assert all("trace" in f for f in data["findings"]) and "trace" in data["determinations"][0]


def test_explain_one_decision_by_rule_id_or_determination_name():
    by_rule = json.loads(judge("explain", FAIL, "--decision", "CLI-REVIEW", "--format", "json").stdout)
    assert [f["rule"] for f in by_rule["findings"]] == ["CLI-REVIEW"] and by_rule["determinations"] == []
    by_name = json.loads(judge("explain", FAIL, "--decision", "review_tier", "--format", "json").stdout)
    assert [d["name"] for d in by_name["determinations"]] == ["review_tier"] and by_name["findings"] == []


def test_explain_an_unknown_decision_exits_2_with_did_you_mean():
    result = judge("explain", FAIL, "--decision", "CLI-REVEIW")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{FAIL}: error[NIS-L004]: no decision or rule named `CLI-REVEIW`")
    assert "did you mean `CLI-REVIEW`?" in result.stderr


def test_explain_text_names_the_rule():
    result = judge("explain", FAIL, "--decision", "CLI-REVIEW")
    assert result.exit_code == 0 and "CLI-REVIEW" in result.stdout


# ---- schema -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["isp", "ehcp", "result"])
def test_schema_prints_a_json_schema(name):
    result = run("schema", name)
    assert result.exit_code == 0
    assert "json-schema.org" in json.loads(result.stdout)["$schema"]


def test_schema_of_an_unknown_kind_is_a_usage_error():
    result = run("schema", "lea")
    assert result.exit_code == 2 and "isp" in result.stderr


# ---- test -------------------------------------------------------------------------------------

def _standards_copy(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "cli")
    return tmp_path / "cli" / "standards"


def test_test_command_reports_a_pytest_like_summary_and_a_coverage_note():
    result = run("test", STANDARDS)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == "2 passed, 0 failed"
    assert "CLI-LAYER: no test where it fails" in result.stdout
    assert "CLI-VIEWS: no test where it passes and none where it fails" in result.stdout


def test_test_command_exits_1_and_shows_where_and_what_differed(tmp_path):
    standards = _standards_copy(tmp_path)
    source = standards / "cli.nis"
    text = source.read_text(encoding="utf-8")
    source.write_text(text + '\ntest "a wrong expectation"\n  document "documents/isp-pass.yaml"\n'
                             '  as of 2030-06-01\n  expect fail CLI-LAYER\n', encoding="utf-8")
    line = text.count("\n") + 2
    result = run("test", standards)
    assert result.exit_code == 1
    assert f"FAILED {source}:{line}: a wrong expectation" in result.stdout
    assert "expected fail CLI-LAYER, got pass" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 passed, 1 failed"


def test_test_command_filters_by_name():
    result = run("test", STANDARDS, "-k", "two years")
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == "1 passed, 0 failed"


def test_test_command_with_a_filter_that_matches_nothing_exits_2():
    result = run("test", STANDARDS, "-k", "no such test")
    assert result.exit_code == 2 and "no test name contains" in result.stderr


# ---- fmt --------------------------------------------------------------------------------------

UNFORMATTED = ('standards "fmt"\n  version "1"\n  effective from 2029-09-01\nplan isp "ISP" schema "isp.schema.json"\n'
               'rule R1 "Layer"   must layer in ["targeted","specialist"]  cite "x"\n')


def test_fmt_check_lists_files_that_would_change_and_changes_nothing(tmp_path):
    target = tmp_path / "a.nis"
    target.write_text(UNFORMATTED, encoding="utf-8")
    result = run("fmt", "--check", tmp_path)
    assert result.exit_code == 1
    assert f"would reformat {target}" in result.stdout
    assert target.read_text(encoding="utf-8") == UNFORMATTED


def test_fmt_rewrites_files_and_then_check_passes(tmp_path):
    target = tmp_path / "a.nis"
    target.write_text(UNFORMATTED, encoding="utf-8")
    assert run("fmt", tmp_path).exit_code == 0
    assert target.read_text(encoding="utf-8") != UNFORMATTED
    again = run("fmt", "--check", target)
    assert again.exit_code == 0 and "0 files would be reformatted, 1 already formatted" in again.stdout


def test_fmt_diff_prints_a_unified_diff_changes_nothing_and_exits_1(tmp_path):
    target = tmp_path / "a.nis"
    target.write_text(UNFORMATTED, encoding="utf-8")
    result = run("fmt", "--diff", target)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- {target} (as it is)\n+++ {target} (formatted)\n@@")
    assert '+  must layer in ["targeted", "specialist"]' in result.stdout
    assert target.read_text(encoding="utf-8") == UNFORMATTED
    assert "1 file would be reformatted" in result.stderr
    assert run("fmt", target).exit_code == 0
    again = run("fmt", "--diff", target)
    assert again.exit_code == 0 and again.stdout == ""


def test_fmt_check_passes_on_the_fixture_standards():
    assert run("fmt", "--check", STANDARDS).exit_code == 0


def test_fmt_of_a_file_with_a_syntax_error_exits_2_with_diagnostics(tmp_path):
    target = tmp_path / "bad.nis"
    target.write_text(BROKEN, encoding="utf-8")
    result = run("fmt", "--check", target)
    assert result.exit_code == 2
    assert f"{target}:9:3: error[NIS-S100]" in result.stderr
    assert target.read_text(encoding="utf-8") == BROKEN


# ---- lint -------------------------------------------------------------------------------------

def test_lint_of_clean_standards_exits_0():
    result = run("lint", STANDARDS)
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == "0 errors, 0 warnings"


def test_lint_prints_warnings_and_fails_on_them_only_when_strict(tmp_path):
    (tmp_path / "w.nis").write_text('standards "w"\n  version "1"\n  effective from 2029-09-01\n\n'
                                    'plan isp "ISP" schema "isp.schema.json"\n\n'
                                    'rule R1 "Layer"\n  must layer = "targeted"\n', encoding="utf-8")
    plain = run("lint", tmp_path)
    assert plain.exit_code == 0
    assert "warning[NIS-W001]" in plain.stdout and plain.stdout.splitlines()[-1] == "0 errors, 1 warning"
    assert run("lint", "--strict", tmp_path).exit_code == 1


def test_lint_exits_1_on_errors(tmp_path):
    (tmp_path / "e.nis").write_text('standards "e"\n  version "1"\n  effective from 2029-09-01\n\n'
                                    'plan isp "ISP" schema "isp.schema.json"\n\n'
                                    'rule R1 "Layer"\n  must layr = "targeted"\n  cite "x"\n', encoding="utf-8")
    result = run("lint", tmp_path)
    assert result.exit_code == 1 and "error[" in result.stdout


# ---- the installed script ---------------------------------------------------------------------

def nis(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(NIS), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_installed_nis_reports_its_version():
    done = nis("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"nis {__version__}"


def test_installed_nis_check_exit_codes():
    assert nis("check", PASS, "--standards", STANDARDS, *AS_OF).returncode == 0
    assert nis("check", FAIL, "--standards", STANDARDS, *AS_OF).returncode == 1
    bad = nis("check", INVALID, "--standards", STANDARDS, *AS_OF)
    assert bad.returncode == 2 and "NIS-D104" in bad.stderr and "Traceback" not in bad.stderr
