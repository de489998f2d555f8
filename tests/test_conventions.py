"""The conventions of command-line tools that nis follows, driven as a user drives them: `-`
for a plan piped in, `--color` with NO_COLOR and FORCE_COLOR, defaults from nis.toml or
`[tool.nis]`, pre-commit hooks, shell completion, `nis test --verbose` and
`--fail-under-coverage`, `nis rule`, `nis new`, `python -m inclusion_standards`, and the
Python API taking a plan as data.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from inclusion_standards import api
from inclusion_standards.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CLEAN = EXAMPLES / "isp-targeted-clean.yaml"
VAGUE = EXAMPLES / "isp-targeted-vague-provision.yaml"
CLI_STANDARDS = ROOT / "tests" / "fixtures" / "cli" / "standards"
NIS = Path(sys.executable).with_name("nis")
ANSI = "\x1b["


def run(*args, input=None, env=None, config=False):
    runner = CliRunner(env=env)
    return runner.invoke(main, ([] if config else ["--no-config"]) + [str(a) for a in args], input=input,
                         catch_exceptions=False)


# ---- `-`: a plan piped in -----------------------------------------------------------------------

def test_a_plan_piped_in_is_judged_as_the_file_is():
    piped = json.loads(run("check", "-", "--as-of", "2030-06-01", "--format", "json", input=VAGUE.read_bytes()).stdout)
    named = json.loads(run("check", VAGUE, "--as-of", "2030-06-01", "--format", "json").stdout)
    assert piped["document"]["source"] == "<stdin>" and named["document"]["source"] == str(VAGUE)
    piped["document"]["source"] = named["document"]["source"]
    assert piped == named


def test_a_piped_plan_can_be_explained_and_mixed_with_files():
    explained = run("explain", "-", "--as-of", "2030-06-01", "--decision", "ISP-REVIEW-ANNUAL", "--format", "json",
                    input=CLEAN.read_bytes())
    assert explained.exit_code == 0
    assert [f["rule"] for f in json.loads(explained.stdout)["findings"]] == ["ISP-REVIEW-ANNUAL"]
    both = run("check", CLEAN, "-", "--as-of", "2030-06-01", "--format", "json", input=VAGUE.read_bytes())
    assert [r["document"]["source"] for r in json.loads(both.stdout)] == [str(CLEAN), "<stdin>"]


def test_a_broken_piped_plan_is_reported_as_stdin_with_line_and_column():
    result = run("check", "-", "--as-of", "2030-06-01", input=b"layer: [unclosed\n")
    assert result.exit_code == 2 and result.stderr.startswith("<stdin>:")


# ---- colour ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("flag, env, coloured", [
    ([], {}, False),                                          # not a terminal
    (["--color", "always"], {}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),       # the command line wins
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),        # NO_COLOR wins over FORCE_COLOR
    (["--color", "always"], {"NO_COLOR": "1"}, True),          # and the command line over both
])
def test_colour_follows_the_flag_then_no_color_then_force_color(flag, env, coloured):
    result = run("check", VAGUE, "--as-of", "2030-06-01", *flag, env={"NO_COLOR": None, "FORCE_COLOR": None, **env})
    assert (ANSI in result.stdout) is coloured


def test_lint_and_test_colour_only_when_asked(tmp_path):
    (tmp_path / "w.nis").write_text('standards "w"\n  version "1"\n  effective from 2029-09-01\n\n'
                                    'plan isp "ISP" schema "isp.schema.json"\n\n'
                                    'rule R1 "Layer"\n  must layer = "targeted"\n', encoding="utf-8")
    assert ANSI in run("lint", tmp_path, "--color", "always").stdout
    assert ANSI not in run("lint", tmp_path).stdout
    assert ANSI in run("test", CLI_STANDARDS, "--color", "always").stdout


# ---- configuration ---------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with its own standards (the CLI fixture) and a subfolder to work in."""
    shutil.copytree(CLI_STANDARDS.parent, tmp_path / "nis")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path


PLAN = "../nis/standards/documents/isp-fail.yaml"


def test_pyproject_tool_nis_gives_the_standards_and_as_of_from_a_folder_above(project):
    (project / "pyproject.toml").write_text('[project]\nname = "plans"\n\n[tool.nis]\nstandards = "nis/standards"\n'
                                            'as-of = "2030-06-01"\n', encoding="utf-8")
    data = json.loads(run("check", PLAN, "--format", "json", config=True).stdout)
    assert data["standards"]["id"] == "cli-fixture" and data["as_of"] == "2030-06-01"
    assert run("test", config=True).stdout.splitlines()[-1] == "2 passed, 0 failed"  # lint and test read it too


def test_nis_toml_comes_first_and_a_command_table_wins_over_the_top(project):
    (project / "pyproject.toml").write_text('[tool.nis]\nas-of = "2031-01-01"\n', encoding="utf-8")
    (project / "nis.toml").write_text('standards = "nis/standards"\nas-of = "2030-06-01"\nformat = "json"\n\n'
                                      '[explain]\nformat = "html"\n', encoding="utf-8")
    assert json.loads(run("check", PLAN, config=True).stdout)["as_of"] == "2030-06-01"
    assert run("explain", PLAN, config=True).stdout.startswith("<!DOCTYPE html>")
    assert run("lint", config=True).exit_code == 0  # `format = "json"` is for lint too; json is one of its formats


def test_the_command_line_wins_over_the_configuration(project):
    (project / "nis.toml").write_text('standards = "nis/standards"\nas-of = "2030-06-01"\n', encoding="utf-8")
    data = json.loads(run("check", PLAN, "--as-of", "2029-10-01", "--format", "json", config=True).stdout)
    assert data["as_of"] == "2029-10-01"


def test_an_unknown_key_is_an_error_with_the_nearest_key(project):
    (project / "nis.toml").write_text('standard = "nis/standards"\n', encoding="utf-8")
    result = run("check", PLAN, config=True)
    assert result.exit_code == 2
    assert "nis.toml: error[NIS-L007]: unknown option `standard`" in result.stderr
    assert "did you mean `standards`?" in result.stderr
    (project / "nis.toml").write_text('[batch]\njbos = 2\n', encoding="utf-8")
    assert "did you mean `jobs`?" in run("check", PLAN, config=True).stderr


def test_no_config_ignores_the_files(project):
    (project / "nis.toml").write_text('standards = "nowhere"\n', encoding="utf-8")
    assert run("check", PLAN, "--as-of", "2030-06-01", config=True).exit_code == 2
    ignored = run("--no-config", "check", PLAN, "--as-of", "2030-06-01", "--format", "json", config=True)
    assert json.loads(ignored.stdout)["standards"]["id"] == "nis"


# ---- pre-commit hooks ------------------------------------------------------------------------------

def test_the_pre_commit_hooks_run_nis_fmt_lint_and_check():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert {hook: hooks[hook]["entry"] for hook in hooks} == {
        "nis-fmt": "nis fmt --check", "nis-lint": "nis lint --strict", "nis-check": "nis check"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["name"] == hook["entry"]
    assert re.search(hooks["nis-fmt"]["files"], "standards/nis/isp.nis")
    assert hooks["nis-lint"]["pass_filenames"] is False


def test_each_hook_entry_passes_on_clean_files_and_fails_on_a_bad_one(project):
    (project / "nis.toml").write_text('standards = "nis/standards"\n', encoding="utf-8")
    entries = {hook["id"]: hook["entry"].split()[1:] for hook in yaml.safe_load(
        (ROOT / ".pre-commit-hooks.yaml").read_text())}
    standards_file = "../nis/standards/cli.nis"
    assert run(*entries["nis-fmt"], standards_file, config=True).exit_code == 0
    assert run(*entries["nis-lint"], config=True).exit_code == 0
    assert run(*entries["nis-check"], "../nis/standards/documents/isp-pass.yaml", "--as-of", "2030-06-01",
               config=True).exit_code == 0
    assert run(*entries["nis-check"], PLAN, "--as-of", "2030-06-01", config=True).exit_code == 1


# ---- shell completion (click's own mechanism) ------------------------------------------------------

def complete(words: str) -> list[str]:
    env = {**os.environ, "_NIS_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    done = subprocess.run([str(NIS)], env=env, capture_output=True, text=True, timeout=120)
    return [line.split(",", 1)[1] for line in done.stdout.splitlines()]


def test_the_documented_completion_script_is_printed():
    done = subprocess.run([str(NIS)], env={**os.environ, "_NIS_COMPLETE": "bash_source"}, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and "complete -o nosort -F _nis_completion nis" in done.stdout
    assert 'eval "$(_NIS_COMPLETE=bash_source nis)"' in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def test_completion_offers_commands_and_rule_ids():
    assert "check" in complete("nis ch")
    assert complete("nis rule ISP-REVIEW-A") == ["ISP-REVIEW-ANNUAL"]
    assert "EHCP-T-FINAL-20W" in complete("nis explain plan.yaml --decision EHCP-T-F")


# ---- nis test --verbose and --fail-under-coverage ----------------------------------------------------

def test_test_verbose_lists_each_test_with_its_place():
    lines = run("test", CLI_STANDARDS, "--verbose").stdout.splitlines()
    assert lines[:2] == [f"PASSED {CLI_STANDARDS}/cli.nis:39: a recently reviewed plan passes",
                         f"PASSED {CLI_STANDARDS}/cli.nis:46: a plan reviewed two years ago fails"]


def test_fail_under_coverage_fails_only_below_the_threshold():
    # CLI-REVIEW is shown met and not met, CLI-LAYER only met, CLI-VIEWS neither: 3 of 6 outcomes.
    at = run("test", CLI_STANDARDS, "--fail-under-coverage", "50")
    assert at.exit_code == 0 and "coverage: 50% of rule outcomes (3 of 6" in at.stdout
    above = run("test", CLI_STANDARDS, "--fail-under-coverage", "50.1")
    assert above.exit_code == 1 and "under --fail-under-coverage 50.1" in above.stdout
    assert above.stdout.splitlines()[-1] == "2 passed, 0 failed"


def test_the_bundled_standards_report_their_coverage():
    data = json.loads(run("test", "--format", "json").stdout)
    assert data["failed"] == 0 and 0 < data["coverage"]["percent"] <= 100
    assert data["coverage"]["outcomes"] == 2 * data["coverage"]["rules"]


# ---- nis rule ----------------------------------------------------------------------------------------

def test_rule_prints_its_text_severity_sources_and_tests():
    result = run("rule", "EHCP-T-FINAL-20W")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "EHCP-T-FINAL-20W  The final plan was issued within 20 weeks of the request"
    assert lines[1] == "  a requirement (must): not meeting it is an error · applies to ehcp"
    assert re.fullmatch(r"  nis 2026\.1 · standards/nis/ehcp_timescales\.nis:\d+", lines[2])
    assert '  rule EHCP-T-FINAL-20W "The final plan was issued within 20 weeks of the request"' in lines
    assert any(line.startswith("  - SEND Regulations 2014, reg 13(2)") for line in lines)
    assert "  - REG13-3-A  Advice was asked of a school or post-16 institution in the week before it closed for at " \
           "least 4 weeks" in lines
    assert any(re.match(r"  fail +standards/nis/examples_tests\.nis:\d+  Example: an EHCP issued after", line)
               for line in lines)
    assert lines[-1] == "  a test shows it met and one shows it not met"


def test_rule_as_json_and_for_a_decision():
    (entry,) = json.loads(run("rule", "support_layer", "--format", "json").stdout)
    assert entry["kind"] == "determination" and entry["text"].startswith('determination support_layer "')
    assert any(t["expects"] == "= Layer.targeted_plus" for t in entry["tests"])


def test_an_unknown_rule_exits_2_with_the_nearest_id():
    result = run("rule", "ISP-REVIEW")
    assert result.exit_code == 2 and "NIS-L004" in result.stderr and "did you mean `ISP-" in result.stderr


# ---- nis new -----------------------------------------------------------------------------------------

def empty_fields(text: str) -> list[tuple[int, str]]:
    """The fields a skeleton leaves empty: `name:` with nothing after it and nothing nested."""
    lines = text.splitlines()
    found = []
    for n, line in enumerate(lines):
        match = re.fullmatch(r"( *(?:- )?)([a-z_0-9]+):", line)
        if not match:
            continue
        following = next((rest for rest in lines[n + 1:] if rest.strip() and not rest.lstrip().startswith("#")), "")
        if len(following) - len(following.lstrip(" -")) <= len(match.group(1)):
            found.append((n, match.group(2)))
    return found


@pytest.mark.parametrize("kind", ["isp", "ehcp"])
def test_new_writes_a_skeleton_that_is_valid_but_for_the_fields_left_empty(kind, tmp_path):
    target = tmp_path / f"{kind}.yaml"
    result = run("new", kind, "--output", target, "--created", "2030-06-01")
    assert result.exit_code == 0 and f"nis check {target}" in result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={ROOT / 'schemas' / f'{kind}.schema.json'}"
    empty = {name for _, name in empty_fields(text)}
    with pytest.raises(api.DocumentError) as caught:
        api.load_document(target)
    problems = caught.value.diagnostics
    assert {d.code for d in problems} == {"NIS-D103"}
    assert all(d.message.endswith("not null (no value)") for d in problems)
    assert {d.pointer.rsplit("/", 1)[1] for d in problems} == empty


def test_a_new_isp_filled_in_is_judged():
    schema = json.loads((ROOT / "schemas" / "isp.schema.json").read_text(encoding="utf-8"))
    text = run("new", "isp", "--created", "2030-06-01").stdout
    answers = {"id": "ISP-990214-0001", "phase": "primary", "type": "mainstream", "layer": "targeted",
               "next_review": "2031-05-31", "coproduced_with": "[parent, senco]", "area": "cognition_and_learning",
               "severity": "3", "description": "Reads well below age-related expectations.", "measurable": "true",
               "target_date": "2031-03-31", "hours_per_week": "1.5", "provider": "ta", "evidence_based": "true",
               "start": "2030-06-08"}
    lines = text.splitlines()
    for n, name in empty_fields(text):
        lines[n] += " " + answers.get(name, "C-7F3A2")
    filled = "\n".join(lines) + "\n"
    result = api.check(filled.encode(), as_of="2030-06-01")
    assert result["document"]["id"] == "ISP-990214-0001" and result["outcome"] == "pass"
    for name in schema["properties"]:
        assert re.search(rf"^(# )?{name}:", text, flags=re.M), name  # every field is there, or commented


def test_new_never_writes_over_a_file(tmp_path):
    target = tmp_path / "plan.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = run("new", "isp", "--output", target)
    assert result.exit_code == 2 and "NIS-L008" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_new_names_the_schema_the_user_gives():
    text = run("new", "ehcp", "--schema-ref", "../schemas/ehcp.schema.json").stdout
    assert text.startswith("# yaml-language-server: $schema=../schemas/ehcp.schema.json\n")


# ---- python -m and the forgiving API ----------------------------------------------------------------

def test_python_m_inclusion_standards_is_the_nis_command():
    done = subprocess.run([sys.executable, "-m", "inclusion_standards", "check", str(CLEAN), "--as-of",
                           "2030-06-01", "--format", "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and json.loads(done.stdout)["outcome"] == "pass"


def test_the_api_takes_a_plan_as_data_with_dates_as_dates_or_text():
    as_data = yaml.safe_load(VAGUE.read_text(encoding="utf-8"))  # YAML 1.1: dates become `date` objects
    assert isinstance(as_data["created"], date)
    from_data = api.check(as_data, as_of=date(2030, 6, 1))
    from_file = api.check(VAGUE, as_of="2030-06-01")
    assert from_data["document"]["source"] is None and from_data["document"]["sha256"] is None
    for result in (from_data, from_file):
        result["document"] = {}
    assert from_data == from_file


def test_the_api_takes_json_data_and_a_date_and_time_as_the_file_and_its_day():
    from datetime import datetime

    plan = EXAMPLES / "isp-targeted-plus-need-without-provision.json"
    as_data = json.loads(plan.read_text(encoding="utf-8"))  # fractions become floats (3.375)
    from_data = api.check(as_data, as_of=datetime(2030, 6, 1, 16, 30))
    from_file = api.check(plan, as_of="2030-06-01")
    assert from_data["as_of"] == "2030-06-01"
    for result in (from_data, from_file):
        result["document"] = {}
    assert api.render(from_data, "json") == api.render(from_file, "json")


def test_the_api_says_what_is_wrong_with_a_bad_date_or_plan():
    with pytest.raises(api.DocumentError) as bad_date:
        api.check(CLEAN, as_of="1/6/2030")
    assert bad_date.value.diagnostics[0].code == "NIS-L005"
    with pytest.raises(api.DocumentError) as bad_plan:
        api.check({"document_type": "isp", "layer": "Targeted"}, as_of="2030-06-01")
    assert "/layer" in {d.pointer for d in bad_plan.value.diagnostics}
