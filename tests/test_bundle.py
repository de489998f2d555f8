"""`nis bundle`: the reports of a case's plans in one printable HTML document, with a
contents page; nothing written when any plan cannot be read. Driven through the CLI."""
from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from inclusion_standards.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MISSED = EXAMPLES / "ehcp-current-missed-deadline.yaml"
VAGUE = EXAMPLES / "isp-targeted-vague-provision.yaml"
AS_OF = ["--as-of", "2030-06-01"]


def bundle(*args, env=None):
    return CliRunner(env=env).invoke(main, ["--no-config", "bundle", *map(str, args), *AS_OF], catch_exceptions=False)


def test_the_contents_page_names_each_plan_its_outcome_and_the_rules_it_does_not_meet(tmp_path):
    out = tmp_path / "bundle.html"
    result = bundle(MISSED, VAGUE, "--out", out)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    contents = html[html.index('<section class="contents">'):html.index("</section>")]
    assert "<h1>Reports of 2 plans</h1>" in contents
    assert contents.index("EHCP EHCP-881-39402") < contents.index("ISP ISP-990377-0108")
    assert "FAIL: 1 requirement not met; 2 recommendations not met" in contents
    assert "Meets every requirement; 3 recommendations not met" in contents
    assert '<a href="#d0-f-EHCP-T-FINAL-20W"><span class="rid">EHCP-T-FINAL-20W</span>' in contents
    assert '<a href="#d1-f-ISP-PROVISION-SPECIFIC">' in contents
    for anchor in re.findall(r'href="#([^"]+)"', contents):
        assert f'id="{anchor}"' in html  # every entry leads somewhere


def test_each_plan_has_its_full_report_on_new_pages_numbered_in_print(tmp_path):
    out = tmp_path / "bundle.html"
    bundle(MISSED, VAGUE, "--out", out)
    html = out.read_text(encoding="utf-8")
    assert html.count('<section class="document" id="d') == 2
    assert html.count('<header class="envelope">') == 2  # each with its own fingerprints
    assert '<details class="decision" id="d1-t-ISP-PROVISION-SPECIFIC">' in html  # the reasoning is there
    assert ".contents { break-after: page; }" in html and ".document + .document { break-before: page;" in html
    assert '@bottom-right { content: "Page " counter(page) " of " counter(pages);' in html


def test_sections_are_numbered_alike_in_the_contents_and_on_every_page_of_each(tmp_path):
    """Browsers print no page numbers into a contents page, so a printed bundle is found
    by section numbers: the contents give each plan's, and its report opens with it and
    (where page-margin boxes print) carries it at the top of every page."""
    out = tmp_path / "bundle.html"
    bundle(MISSED, VAGUE, "--out", out)
    html = out.read_text(encoding="utf-8")
    contents = html[html.index('<section class="contents">'):html.index("</section>")]
    assert '<a href="#d0"><strong>Section 1: EHCP EHCP-881-39402</strong></a>' in contents
    assert '<a href="#d1"><strong>Section 2: ISP ISP-990377-0108</strong></a>' in contents
    for n, anchor in ((1, "d0"), (2, "d1")):
        section = html[html.index(f'<section class="document" id="{anchor}">'):]
        assert section.split("\n")[1] == f'<p class="kicker section-no">Section {n} of 2</p>'
        assert f"#{anchor} {{ page: section-{n}; }}" in html
    assert '@page section-1 {\n  @top-left { content: "Section 1 of 2: EHCP EHCP-881-39402";' in html
    assert '@page section-2 {\n  @top-left { content: "Section 2 of 2: ISP ISP-990377-0108";' in html
    assert '@top-right { content: "as of 1 June 2030";' in html


def test_nothing_is_written_when_a_plan_cannot_be_read(tmp_path):
    out = tmp_path / "bundle.html"
    result = bundle(MISSED, EXAMPLES / "broken" / "malformed.yaml", "--out", out)
    assert result.exit_code == 2
    assert "NIS-D011" in result.stderr and "nothing written" in result.stderr
    assert not out.exists()


def test_the_bundle_is_the_same_bytes_each_time_unless_a_timestamp_is_asked_for(tmp_path):
    first, second, stamped = tmp_path / "1.html", tmp_path / "2.html", tmp_path / "3.html"
    bundle(MISSED, "--out", first)
    bundle(MISSED, "--out", second)
    assert first.read_bytes() == second.read_bytes() and b"Generated" not in first.read_bytes()
    bundle(MISSED, "--out", stamped, "--timestamp", env={"SOURCE_DATE_EPOCH": "86400"})
    assert "<p>Generated 2 January 1970 at 00:00:00 UTC.</p>" in stamped.read_text(encoding="utf-8")


def test_the_bundle_is_never_written_over_a_plan(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(MISSED.read_bytes())
    result = bundle(plan, "--out", plan)
    assert result.exit_code == 2 and "NIS-O002" in result.stderr
    assert plan.read_bytes() == MISSED.read_bytes()
