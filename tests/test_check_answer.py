"""`nis check`'s text: the short answer first (requirements not met, then recommendations,
each with the plan's items by id and words, then one line for the rest), `--verbose` for the
full report, `--quiet` for the verdict alone; JSON unchanged. Driven through the CLI."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from inclusion_standards import api
from inclusion_standards.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "report"
MIXED, CLEAN = FIXTURES / "isp-mixed.yaml", FIXTURES / "isp-clean.yaml"
VAGUE = ROOT / "examples" / "isp-targeted-vague-provision.yaml"
AS_OF = ["--as-of", "2030-06-01"]


def check(*args, standards=FIXTURES):
    extra = ["--standards", str(standards)] if standards else []
    return CliRunner().invoke(main, ["check", *map(str, args), *extra, *AS_OF], catch_exceptions=False)


def test_requirements_come_first_then_recommendations_then_one_line_for_the_rest():
    run = check(MIXED)
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith("✗ FAIL: 1 requirement not met; 1 recommendation not met  ISP ISP-<b>990001</b>")
    text = run.stdout
    order = [text.index(m) for m in ("Requirements not met (must)", "✗ FX-REVIEW", "Recommendations not met (should)",
                                     "! FX-VAGUE", "Also: ")]
    assert order == sorted(order)
    also = " ".join(text[text.index("Also: "):].split())
    assert also.startswith("Also: 2 met, 1 does not apply, 1 excepted (FX-ADVICE), 1 cannot be judged, "
                           "information missing (FX-VIEWS).")
    assert "✓ FX-LAYER" not in text and "cite " not in text  # met rules and sources wait for --verbose


def test_a_finding_names_the_item_by_its_id_and_its_own_words():
    block = check(MIXED).stdout.split("! FX-VAGUE", 1)[1]
    assert "item      P2 “Access to <script>alert(1)</script> a laptop as required.”" in block
    assert "/provision/1" not in block
    assert "to fix    Say who provides what" in block


def test_a_near_miss_says_how_close():
    block = check(MIXED).stdout.split("✗ FX-REVIEW", 1)[1]
    assert "how close last_review (20 March 2029) is 73 days before the limit" in block


def test_the_readme_example_lists_each_vague_item_and_never_says_pass_with_recommendations():
    run = check(VAGUE, standards=None)
    assert run.exit_code == 0
    assert run.stdout.splitlines()[0].startswith("! Meets every requirement; 3 recommendations not met")
    assert "PASS" not in run.stdout
    flat = " ".join(run.stdout.split())
    assert "items P1 “Access to a quiet space as required.” P3 “Opportunities for small-group work" in flat
    assert "item O2 “Will complete written tasks more often.”" in flat
    assert "Also: 12 met, 12 do not apply." in flat


def test_a_plan_meeting_everything_is_a_pass():
    run = check(CLEAN, "--quiet")
    assert run.exit_code == 0
    assert run.stdout.startswith("✓ PASS: meets every requirement and recommendation  ISP ISP-990002-0002")


def test_quiet_prints_one_whole_verdict_line_per_plan():
    run = check(MIXED, CLEAN, "--quiet")
    lines = run.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("✗ FAIL") and lines[0].endswith("isp-mixed.yaml")
    assert lines[1].endswith("isp-clean.yaml")
    assert run.exit_code == 1


def test_several_plans_open_with_a_count():
    run = check(MIXED, CLEAN)
    assert run.stdout.startswith("nis: 2 plans checked: 1 with a requirement not met, 1 without")
    assert run.stdout.count("Also: ") == 2


def test_verbose_is_the_full_report_and_json_is_unchanged():
    result = api.check(MIXED, as_of="2030-06-01", standards=FIXTURES)
    assert check(MIXED, "--verbose").stdout == api.render(result, "text")
    assert check(MIXED, "--format", "json", "--quiet").stdout == api.render(result, "json")


def test_verbose_and_quiet_together_is_a_usage_error():
    run = check(MIXED, "--verbose", "--quiet")
    assert run.exit_code == 2 and "not both" in run.stderr


@pytest.mark.parametrize("flag", [[], ["--verbose"]])
def test_the_headline_never_says_a_plain_pass_while_a_recommendation_is_not_met(flag):
    text = check(VAGUE, *flag, standards=None).stdout
    assert "✓ PASS" not in text and text.startswith("! Meets every requirement; 3 recommendations not met")


@pytest.mark.parametrize("created, as_of, warned", [
    ("2030-06-02", "2030-06-01", True),   # written the day after the as-of date
    ("2030-06-01", "2030-06-01", False),  # written on it
])
def test_a_plan_dated_after_the_as_of_date_is_judged_with_a_warning(tmp_path, created, as_of, warned):
    text = (ROOT / "examples" / "isp-targeted-clean.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text("\n".join(f"created: {created}" if line.startswith("created:") else line
                              for line in text.splitlines()) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--no-config", "check", str(plan), "--as-of", as_of, "--format", "json"])
    assert result.exit_code in (0, 1)
    warning = "is dated 2 June 2030, after the as-of date 1 June 2030"
    assert (warning in result.stderr) is warned
    assert '"as_of": "2030-06-01"' in result.stdout  # the result itself is unchanged: a warning only


UNWORKABLE = '''standards "s"
  version "1"
  effective from 2020-01-01
plan isp "ISP" schema "isp.schema.json"
define latest_review "The latest review" = max of r.date for r in review_history
rule R-REVIEWED "Reviewed within a year"
  must latest_review >= as_of - 12 months
  cite "c"
rule R-OUTCOMES "Outcomes recorded"
  must count of outcomes >= 1
  cite "c"
'''


@pytest.mark.parametrize("history", [[], None])
def test_information_missing_is_said_only_when_a_finding_lacks_a_fact(tmp_path, history):
    """A rule over the latest of no reviews cannot be judged, but nothing is missing from the plan:
    the short answer, the full report and the HTML page say it cannot be judged and leave the
    finding's message to say why. Once the plan does not record its reviews at all, they say
    information is missing."""
    import yaml

    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "s.nis").write_text(UNWORKABLE, encoding="utf-8")
    plan = yaml.safe_load(CLEAN.read_text(encoding="utf-8"))
    plan.pop("review_history", None)
    if history is not None:
        plan["review_history"] = history
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    missing = history is None
    short = check(path, standards=tmp_path / "s").stdout
    assert short.startswith("? No requirement failed, but 1 requirement cannot be judged"
                            + (" (information missing)" if missing else "  "))
    flat = " ".join(short.split())
    assert ("1 cannot be judged, information missing (R-REVIEWED)" in flat) == missing
    assert ("1 cannot be judged (R-REVIEWED)" in flat) != missing
    full = check(path, "--verbose", standards=tmp_path / "s").stdout
    assert ("Cannot be judged: information missing" in full) == missing
    assert ("review history has no items" in " ".join(full.split())) != missing
    page = check(path, "--format", "html", standards=tmp_path / "s").stdout
    assert ("1 rule could not be judged because the plan does not record information needed" in page) == missing
    assert ("1 rule could not be judged (each finding below says why)" in page) != missing
    assert "information missing" not in (full + page + short) or missing
