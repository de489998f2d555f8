"""`nis docs`: the standards published as a readable document, generated from the checked
form. Every rule, exception, determination and parameter must be in it, in HTML and in
Markdown; it says what changed since the previous version; it is self-contained and
printable like the reports.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from inclusion_standards import api
from inclusion_standards.cli import main

VERSIONS = Path(__file__).parent / "fixtures" / "policy" / "versions"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = run("docs", "--as-of", "2030-06-01", "--out", out)
    assert result.exit_code == 0, result.output
    return out, api.load_standards().versions[0]


def _section(html: str, anchor: str) -> str:
    """The HTML from the heading with this id to the next heading of the same or a higher level."""
    match = re.search(rf'<h(\d) id="{re.escape(anchor)}">', html)
    assert match, anchor
    level = int(match.group(1))
    rest = html[match.end():]
    end = re.search(rf"<h[1-{level}] ", rest)
    return rest[: end.start() if end else len(rest)]


def test_the_document_names_every_rule_exception_determination_and_parameter(bundled_site):
    out, standards = bundled_site
    html = (out / "index.html").read_text()
    markdown = (out / "index.md").read_text()
    checked = standards.checked
    assert checked.rules and checked.parameters
    for rule in checked.rules:
        for text in (html, markdown):
            assert f'id="rule-{rule.id}"' in text, rule.id
        section = _section(html, f"rule-{rule.id}")
        assert ("Must: a requirement" if rule.severity == "must" else "Should: a recommendation") in section
        for citation in rule.citations:
            assert citation.text.replace("&", "&amp;") in section.replace("&#x27;", "'"), (rule.id, citation.text)
    for name in checked.parameters:
        assert f'id="param-{name}"' in html and f'id="param-{name}"' in markdown, name
    for name in checked.determinations:
        assert f'id="det-{name}"' in html and f'id="det-{name}"' in markdown, name
    for exception in checked.exceptions:
        assert f'id="exception-{exception}"' in html and f'id="exception-{exception}"' in markdown, exception


def test_a_rule_reads_in_words_with_the_rule_as_written_folded(bundled_site):
    out, _ = bundled_site
    section = _section((out / "index.html").read_text(), "rule-ISP-TP-HOURS")
    assert "What it checks: the total of <code>p.hours_per_week</code> for each <code>p</code> in " \
           "<code>provision</code> is at least the least weekly provision" in section
    assert '<details class="written"><summary>ISP-TP-HOURS as written</summary>' in section
    assert "targeted_plus_hours" in section and 'href="#param-targeted_plus_hours"' in section
    assert "How to put it right:" in section and "How to challenge it:" in section


def test_parameters_show_the_value_in_force_and_their_history(bundled_site):
    out, standards = bundled_site
    section = _section((out / "index.html").read_text(), "param-targeted_plus_hours")
    assert "In force on 1 June 2030: <code>3 hours per week</code>" in section
    assert "<td>1 September 2014</td><td>none (no value in force)</td>" in section
    assert "<td>1 September 2029</td><td><code>3 hours per week</code></td>" in section
    assert "Illustrative:" in section


def test_packages_are_marked_illustrative_where_they_are(bundled_site):
    out, _ = bundled_site
    html = (out / "index.html").read_text()
    assert _heading(html, "package-physical_personal_care").endswith("(illustrative package)")
    assert _heading(html, "package-severe_learning_difficulty").endswith("(illustrative package)")
    assert "Illustrative: not an official package" in _section(html, "package-physical_personal_care")
    pmld = _section(html, "package-pmld")
    assert _heading(html, "package-pmld").endswith("(illustrative criteria)")  # official, read by nis's reading
    assert "Specialist Provision Packages published by DfE" in pmld
    assert "<code>pmld_communication_levels</code>" in pmld
    assert "Criteria:" in pmld and "profound" in pmld


def _heading(html: str, anchor: str) -> str:
    return re.search(rf'<h\d id="{anchor}">(.*?)</h\d>', html).group(1)


def test_dispute_routes_and_what_is_not_judged_are_published(bundled_site):
    out, standards = bundled_site
    html = (out / "index.html").read_text()
    challenge = _section(html, "challenge")
    assert 'href="#det-ehcp_challenge_route"' in challenge and 'href="#det-isp_challenge_route"' in challenge
    for rule in standards.checked.rules:
        if rule.challenge:
            assert f'href="#rule-{rule.id}"' in challenge
    not_judged = _section(html, "not-judged")
    assert standards.checked.not_judged
    for note in standards.checked.not_judged:
        assert note.text.replace("'", "&#x27;")[:40] in not_judged or note.text[:40] in not_judged


def test_the_page_is_self_contained_accessible_and_printable(bundled_site):
    out, _ = bundled_site
    html = (out / "index.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    assert "<script" not in html and 'rel="stylesheet"' not in html
    assert "@media print" in html
    levels = [int(h) for h in re.findall(r"<h(\d)", html)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), "headings skip a level"
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an id is used twice"
    for target in set(re.findall(r'href="#([^"]+)"', html)):
        assert target in ids, target

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.open = []

        def handle_starttag(self, tag, attrs):
            if tag not in ("meta", "br", "link", "img", "hr", "input"):
                self.open.append(tag)

        def handle_endtag(self, tag):
            assert self.open and self.open[-1] == tag, (tag, self.open[-5:])
            self.open.pop()

    parser = Parser()
    parser.feed(html)
    assert parser.open == []


def test_what_changed_since_the_previous_version_reuses_the_diff(tmp_path):
    result = run("docs", "mini@2.0", "--standards", VERSIONS, "--as-of", "2030-09-01", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "index.md").read_text()
    changes = markdown.split('<a id="changes"></a>', 1)[1].split("## ", 1)[0]
    assert "Compared with version 1.0 (in force from 1 January 2020): 1 added, 1 removed, 4 changed." in changes
    assert "value from 1 September 2031: `3 hours per week` → `4 hours per week`" in changes
    assert "Removed: rule `VIEWS`" in changes and "Added: rule `OUTCOMES`" in changes
    first = tmp_path / "first"
    run("docs", "mini@1.0", "--standards", VERSIONS, "--as-of", "2030-06-01", "--out", first)
    assert "This is the first version of these standards in this folder" in (first / "index.md").read_text()


def test_docs_by_default_publishes_the_version_in_force(tmp_path):
    run("docs", "--standards", VERSIONS, "--as-of", "2030-08-31", "--out", tmp_path / "a")
    run("docs", "--standards", VERSIONS, "--as-of", "2030-09-01", "--out", tmp_path / "b")
    assert "— version 1.0" in (tmp_path / "a" / "index.md").read_text().splitlines()[0]
    assert "— version 2.0" in (tmp_path / "b" / "index.md").read_text().splitlines()[0]


def test_docs_of_an_unknown_version_is_a_clear_error(tmp_path):
    result = run("docs", "mini@9", "--standards", VERSIONS, "--out", tmp_path)
    assert result.exit_code == 2
    assert "NIS-L006" in result.stderr


def test_the_same_standards_give_the_same_document(tmp_path):
    for name in ("a", "b"):
        run("docs", "mini@2.0", "--standards", VERSIONS, "--as-of", "2030-09-01", "--out", tmp_path / name)
    for file in ("index.html", "index.md"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()
