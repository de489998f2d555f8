"""`nis explain --decision NAME --format html`: the page of one decision for a tribunal bundle.
Its title names the decision, it shows only the figures that decision used, its reasoning is
open (so it prints open in every browser), print rules put the plan, the date and "Page x of
y" on every page, and a generation time appears only when asked for, from SOURCE_DATE_EPOCH
when set. Driven through the CLI."""
from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from inclusion_standards import api
from inclusion_standards.cli import main

ROOT = Path(__file__).resolve().parent.parent
FEW_HOURS = ROOT / "examples" / "isp-targeted-plus-stale-advice-few-hours.yaml"
MISSED = ROOT / "examples" / "ehcp-current-missed-deadline.yaml"
MIXED = ROOT / "tests" / "fixtures" / "report" / "isp-mixed.yaml"
AS_OF = ["--as-of", "2030-06-01"]


def explain(plan, *args, env=None):
    return CliRunner(env=env).invoke(main, ["--no-config", "explain", str(plan), *AS_OF, *map(str, args)],
                                     catch_exceptions=False)


def page(plan, decision, *args, env=None) -> str:
    result = explain(plan, "--decision", decision, "--format", "html", *args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_page_is_titled_as_the_decision_it_explains():
    html = page(MISSED, "EHCP-T-FINAL-20W")
    assert "<title>Explanation of decision EHCP-T-FINAL-20W · EHCP EHCP-881-39402 · as of 1 June 2030</title>" in html
    assert '<h1>Explanation of decision <span class="rid">EHCP-T-FINAL-20W</span></h1>' in html
    assert '<p class="subtitle">The final plan was issued within 20 weeks of the request</p>' in html
    assert "Not met" in html and "How close" in html and "4 days after the limit of 26 July 2027" in html


def test_only_the_figures_the_decision_used_are_shown():
    html = page(FEW_HOURS, "ISP-TP-HOURS")
    note = html[html.index('<aside class="note"'):html.index("</aside>")]
    # each by its label and value; the parameter's name only in the folded reasoning's table
    assert "<strong>Least weekly provision (or evidenced adult support) at Targeted Plus: 3 hours per week</strong>" in note
    assert "When the reformed regime begins (ISP duty; EHCP reassessment at phase transfer): 1 September 2029" in note
    assert "targeted_plus_hours" not in note and "reform_commencement" not in note
    advice = "How recent external professional advice must be to count as current"
    for other in ("advice_window", advice, "pmld_communication_levels", "pmld_additional_condition_level"):
        assert other not in html
    whole = explain(FEW_HOURS, "--format", "html").stdout
    assert f"{advice}: 1 year" in whole  # the report of every decision names them all


def test_the_reasoning_is_open_so_it_prints_open_in_every_browser():
    html = page(MISSED, "EHCP-T-FINAL-20W")
    assert '<details class="decision" id="d0-t-EHCP-T-FINAL-20W" open>' in html
    assert "<details>" not in html  # nothing on the page is folded
    assert html.count('<details class="decision"') == 1


def test_a_determination_has_its_page_too():
    html = page(FEW_HOURS, "isp_regime")
    assert "<h1>Explanation of decision <span class=\"rid\">isp_regime</span></h1>" in html
    assert '<details class="decision" id="d0-t-isp_regime" open>' in html
    assert "Reformed regime" in html


def test_print_puts_the_plan_the_date_and_page_x_of_y_on_every_page():
    html = page(MISSED, "EHCP-T-FINAL-20W")
    style = html[html.index("<style>"):html.index("</style>")]
    assert '@top-left { content: "EHCP EHCP-881-39402 \\0000b7  as of 1 June 2030";' in style
    assert '@top-right { content: "Explanation of decision EHCP-T-FINAL-20W";' in style
    assert '@bottom-right { content: "Page " counter(page) " of " counter(pages);' in style


def test_a_plan_id_cannot_break_out_of_the_print_rules():
    html = page(MIXED, "FX-REVIEW", "--standards", ROOT / "tests" / "fixtures" / "report")
    style = html[html.index("<style>"):html.index("</style>")]
    assert "<b>" not in style and "</b>" not in style
    assert '"ISP ISP-\\00003c b\\00003e 990001\\00003c \\00002f b\\00003e -0001' in style


def test_the_page_is_the_same_bytes_every_time_unless_a_timestamp_is_asked_for():
    first, second = page(MISSED, "EHCP-T-FINAL-20W"), page(MISSED, "EHCP-T-FINAL-20W")
    assert first == second and "Generated" not in first
    stamped = page(MISSED, "EHCP-T-FINAL-20W", "--timestamp", env={"SOURCE_DATE_EPOCH": "0"})
    assert "<dt>Generated</dt><dd>1 January 1970 at 00:00:00 UTC</dd>" in stamped
    assert stamped == page(MISSED, "EHCP-T-FINAL-20W", "--timestamp", env={"SOURCE_DATE_EPOCH": "0"})
    now = page(MISSED, "EHCP-T-FINAL-20W", "--timestamp", env={"SOURCE_DATE_EPOCH": None})
    assert re.search(r"<dt>Generated</dt><dd>\d+ \w+ \d{4} at \d\d:\d\d:\d\d UTC</dd>", now)


def test_the_json_is_unchanged_by_the_timestamp():
    plain = explain(MISSED, "--decision", "EHCP-T-FINAL-20W", "--format", "json").stdout
    stamped = explain(MISSED, "--decision", "EHCP-T-FINAL-20W", "--format", "json", "--timestamp").stdout
    assert plain == stamped
    assert plain == api.render(api.explain(MISSED, as_of="2030-06-01", decision="EHCP-T-FINAL-20W"), "json")


def test_a_source_date_epoch_that_is_not_a_number_is_a_usage_error():
    result = explain(MISSED, "--format", "html", "--timestamp", env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH" in result.stderr


def test_how_close_is_the_words_in_every_report():
    text = explain(MISSED, "--decision", "EHCP-T-FINAL-20W").stdout
    assert "how close final_by (30 July 2027) is 4 days after the limit" in " ".join(text.split())
    assert "nearly" not in text
