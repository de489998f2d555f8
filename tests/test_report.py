"""Reports and the result schema, through the public API (`api.check/explain/render`, `report`).

The fixture standards in tests/fixtures/report produce every status, both severities, a
determination decided by a case and by its default, an applied exception and an
illustrative parameter; generated variants of the fixture plan cover the rest.
"""
from __future__ import annotations

import html as html_module
import json
import os
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inclusion_standards import api, report
from inclusion_standards.diagnostics import StandardsError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "report"
MIXED = FIXTURES / "isp-mixed.yaml"
CLEAN = FIXTURES / "isp-clean.yaml"
AS_OF = date(2030, 6, 1)
LIBRARY = api.load_standards(FIXTURES)
PEER = api.load_standards(ROOT / "benchmarks" / "peer_rules")
SCHEMA = json.loads((ROOT / "schemas" / "result.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
STATUSES = ("pass", "fail", "excepted", "not_applicable", "cannot_judge")
ANSI = "\x1b"


def explain(document=MIXED, as_of=AS_OF, standards=LIBRARY) -> dict:
    return api.explain(document, as_of=as_of, standards=standards)


def check(document=MIXED, as_of=AS_OF, standards=LIBRARY) -> dict:
    return api.check(document, as_of=as_of, standards=standards)


def without_last_review() -> bytes:
    return MIXED.read_bytes().replace(b"last_review: 2029-03-20\n", b"")


def strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def assert_valid(result: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(result), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]]


# ---- generated plans ----------------------------------------------------------------------

DATES = st.dates(date(2027, 1, 1), date(2031, 12, 31)).map(date.isoformat)
WORDS = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30),
    st.sampled_from(["Access to a laptop as required.", "<script>alert('x')</script> & \"quotes\"",
                     "Two 30-minute sessions a week with a TA.", "\x1b[31mred\x1b[0m text",
                     "Zoë’s – group 1:1"]),
)


@st.composite
def provisions(draw):
    return {"area": "cognition_and_learning", "layer": draw(st.sampled_from(["targeted", "targeted_plus"])),
            "description": draw(WORDS),
            "hours_per_week": draw(st.integers(0, 12).map(lambda n: n / 2 if n % 2 else n // 2)),
            "provider": "ta", "evidence_based": draw(st.booleans()), "start": draw(DATES)}


@st.composite
def plans(draw) -> tuple[bytes, date]:
    """A fixture plan with the facts the fixture rules read varied, as JSON bytes, and an as-of date."""
    data = yaml.safe_load(MIXED.read_text())
    data["id"] = draw(WORDS)
    data["layer"] = draw(st.sampled_from(["targeted", "targeted_plus", "specialist"]))
    data.pop("last_review")
    data.pop("child_views", None)
    if draw(st.booleans()):
        data["last_review"] = draw(DATES)
    if draw(st.booleans()):
        data["child_views"] = draw(st.one_of(st.just(""), WORDS))
    data["provision"] = draw(st.lists(provisions(), max_size=4))
    advice_dates = draw(st.lists(DATES, max_size=3))
    data["external_advice"] = [{"role": "specialist_teacher", "date": d} for d in advice_dates]
    data["ehcp_ref"] = draw(st.one_of(st.none(), st.just("EHCP-1")))
    as_of = draw(st.dates(date(2029, 1, 1), date(2031, 12, 31)))
    return json.dumps(data, ensure_ascii=False, default=str).encode(), as_of


GENERATED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---- every status is reported ---------------------------------------------------------------

def test_the_fixtures_produce_every_status():
    statuses = {f["status"] for r in (explain(), explain(CLEAN), explain(without_last_review()))
                for f in r["findings"]}
    assert statuses == set(STATUSES)


def test_text_puts_failures_first_then_cannot_judge_excepted_warnings_passes_and_not_applicable():
    text = api.render(explain(), "text")
    marks = ["✗ FX-REVIEW", "? FX-VIEWS", "⊘ FX-ADVICE", "! FX-VAGUE", "✓ FX-LAYER", "– FX-HOURS",
             "= review_tier"]
    positions = [text.index(m) for m in marks]
    assert positions == sorted(positions)


def test_text_header_names_document_standards_date_and_outcome():
    result = explain()
    first, second, third = api.render(result, "text").splitlines()[:3]
    assert first.startswith("✗ FAIL: 1 requirement not met; 1 recommendation not met")
    assert "ISP" in first and result["document"]["id"] in first
    assert second.strip().endswith("isp-mixed.yaml")
    second = third
    assert "report-fixture 1.0" in second and result["standards"]["sha256"][:12] in second
    assert "1 June 2030" in second


def test_text_failure_shows_message_reasons_with_fields_citation_and_hint():
    text = api.render(explain(), "text")
    block = text[text.index("✗ FX-REVIEW"):text.index("? FX-VIEWS")]
    assert "The plan was last reviewed on 20 March 2029." in block
    assert "last_review = 20 March 2029  (Last review)" in block and "/last_review" not in block
    assert "review_interval = 365 days" in block and "[illustrative]" in block
    assert "figures   Longest gap between the last review and the as-of date: 365 days [illustrative]" in block
    assert "73 days before the limit" in block
    assert "Fixture Code, para 6.65" in block
    assert "Hold a review with the family and record its date in last review." in " ".join(block.split())
    assert "complain to the governing body" in block


def test_text_cannot_judge_names_the_missing_field_by_its_title():
    text = api.render(explain(), "text")
    block = text[text.index("? FX-VIEWS"):text.index("⊘ FX-ADVICE")]
    assert "missing   Child's views" in block and "/child_views" not in block


def test_text_excepted_names_the_exception_and_its_clause():
    text = api.render(explain(), "text")
    block = text[text.index("⊘ FX-ADVICE"):text.index("! FX-VAGUE")]
    assert "FX-EX-SPEC" in block and "Fixture Regulations, reg 4(2)" in block
    assert "ehcp_ref is present = yes" in block


def test_text_warning_shows_the_item_and_the_phrase_found():
    text = api.render(explain(), "text")
    block = text[text.index("! FX-VAGUE"):text.index("✓ FX-LAYER")]
    assert "Provision (entry 2)" in block and '(found "access to")' in " ".join(block.split())


def test_text_passes_and_not_applicable_are_one_line_each():
    lines = api.render(explain(), "text").splitlines()
    passed = lines.index("Met (2)")
    assert lines[passed + 1:passed + 4] == ["✓ FX-LAYER  An ISP sits above Universal",
                                            "✓ FX-COPRO  Written with a parent or carer", ""]


def test_text_determination_shows_value_case_reason_challenge_and_illustrative_figures():
    text = api.render(explain(), "text")
    block = text[text.index("= review_tier"):]
    assert "How urgently the plan needs review: Urgent review" in block
    assert "Case 1 holds" in block and "older than the review interval" in block
    assert "reconsider within 28 days" in block
    assert "figures   Longest gap between the last review and the as-of date: 365 days [illustrative]" in block
    assert "Illustrative figures, not yet law" in text
    assert "\n    Longest gap between the last review and the as-of date: 365 days\n" in text


def test_text_undetermined_decision_names_what_is_missing():
    text = api.render(explain(without_last_review()), "text")
    block = text[text.index("? review_tier"):]
    assert "not determined" in block and "missing   Last review" in block


def test_text_without_trace_lists_the_facts_read():
    text = api.render(check(), "text")
    assert "read      Last review" in text
    assert "why" not in text


def assert_fits_100_columns(text: str) -> None:
    """Every line fits, but for a line holding nothing but one long link."""
    long = [line for line in text.splitlines() if len(line) > 100 and not re.fullmatch(r"\s*<https?://\S+>", line)]
    assert not long


def test_text_fits_100_columns():
    for result in (explain(), check(), explain(CLEAN), explain(without_last_review())):
        assert_fits_100_columns(api.render(result, "text"))


def test_colour_is_off_by_default_and_on_only_when_asked():
    result = explain()
    assert ANSI not in api.render(result, "text")
    assert ANSI not in report.render(result, "text", color=False)
    assert "\x1b[" in api.render(result, "text", color=True)


def test_control_characters_from_the_plan_cannot_reach_the_terminal():
    raw = MIXED.read_bytes().replace(b"Access to", b'"\\e[2J\\e]0;owned\\a Access to').replace(
        b"as required.", b'as required."')
    result = explain(raw)
    assert any("\x1b[2J" in text for text in strings(result))
    assert ANSI not in api.render(result, "text")
    assert "\\x1b[2J" in api.render(result, "text")


# ---- html ---------------------------------------------------------------------------------

class _Structure(HTMLParser):
    """Checks every element closes in order and no block element opens inside a paragraph."""

    VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}
    BLOCK = {"div", "ul", "ol", "dl", "table", "p", "section", "article", "details", "header", "aside",
             "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK and "p" in self.stack:
            self.problems.append(f"<{tag}> inside <p>")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
        else:
            self.stack.pop()


def assert_well_formed(html: str) -> None:
    parser = _Structure()
    parser.feed(html)
    parser.close()
    assert not parser.problems and not parser.stack, (parser.problems[:5], parser.stack)


def assert_self_contained(html: str) -> None:
    # the one script a report may hold opens its folded decisions for printing, and loads nothing
    html = re.sub(r"<script>\naddEventListener\(\"beforeprint\".*?</script>\n", "", html, count=1, flags=re.S)
    assert "<script" not in html.lower()
    assert not re.search(r"\s(src|srcset|data|poster)\s*=", html)
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert not re.search(r"\son[a-z]+\s*=", html)
    without_links = re.sub(r'<a class="cite" href="https?://[^"]*">', "", html)
    assert "http" not in without_links


def test_html_is_one_well_formed_self_contained_page():
    for result in (explain(), check(), explain(CLEAN), explain(without_last_review())):
        html = api.render(result, "html")
        assert html.startswith("<!DOCTYPE html>\n<html lang=\"en-GB\">")
        assert "<style>" in html and "@media print" in html
        assert_well_formed(html)
        assert_self_contained(html)


def test_html_escapes_everything_from_the_plan():
    html = api.render(explain(), "html")
    assert "<script>alert" not in html and "<b>990001" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "ISP-&lt;b&gt;990001&lt;/b&gt;-0001" in html


def test_html_states_the_reproducibility_envelope():
    result = explain()
    html = api.render(result, "html")
    assert result["standards"]["sha256"] in html and result["document"]["sha256"] in html
    assert "Re-running nis 0.1.0 on this document" in html and "gives this result" in html
    assert "1 June 2030" in html and "report-fixture" in html


def test_html_says_what_was_decided_before_the_findings_and_the_trace():
    html = api.render(explain(), "html")
    headings = ("<h2>What was decided", "Urgent review", "<h2>Findings", "<h2>Full reasoning")
    order = [html.index(s) for s in headings]
    assert order == sorted(order)
    assert "Ask the local authority to reconsider within 28 days." in html


def test_html_status_is_in_words_and_symbols_not_colour_alone():
    html = api.render(explain(), "html")
    for words in ("✗ </span>Not met", "? </span>Cannot judge", "⊘ </span>Excepted",
                  "! </span>Not met (should)", "✓ </span>Met", "– </span>Does not apply",
                  "✗ </span>Does not meet the standards"):
        assert words in html


def test_html_findings_give_reasons_values_near_misses_citations_and_hints():
    html = api.render(explain(), "html")
    review = html[html.index('id="d0-f-FX-REVIEW"'):html.index('id="d0-f-FX-VIEWS"')]
    assert "<code>last_review</code> is <strong>20 March 2029</strong>" in review
    assert "read from the plan at Last review" in review and "/last_review" not in review
    assert "record its date in last review." in review
    assert "73 days before the limit" in review
    assert "Fixture Code, para 6.65" in review and "Hold a review" in review
    assert 'href="https://example.invalid/code#1.1"' in html


def test_html_trace_is_collapsible_and_opens_when_printed():
    html = api.render(explain(), "html")
    assert html.count('<details class="decision"') == 8
    assert "details::details-content" in html  # the newest browsers open them for print by CSS
    # every other browser by a few lines of script run just before printing, folded again after;
    # the only script on the page, so with scripts off it shows and folds as before
    head = html[:html.index("</head>")]
    assert head.count("<script>") == 1 and html.count("<script") == 1
    script = head[head.index("<script>"):head.index("</script>")]
    assert 'addEventListener("beforeprint"' in script and 'querySelectorAll("details:not([open])")' in script
    assert "d.open = true" in script
    assert 'addEventListener("afterprint"' in script and "d.open = false" in script
    assert "works with scripts off; printing opens every decision" in html
    trace = html[html.index('id="d0-t-FX-REVIEW"'):]
    assert "<code>review_interval</code> <span class=\"val\">= 365 days</span>" in trace
    assert "parameter, in force from 1 September 2028" in trace and "Illustrative" in trace
    assert "at <code>/last_review</code>" in trace
    advice = html[html.index('id="d0-t-FX-ADVICE"'):]
    assert "Exception <code>FX-EX-SPEC</code>" in advice and "applied" in advice


def test_html_without_trace_says_how_to_get_it():
    html = api.render(check(), "html")
    assert '<details class="decision"' not in html and "nis explain" in html
    # Only the conditions of the rules that do not apply are folded, and open for print.
    folded = re.findall(r"<details>.*?</details>", html, re.S)
    assert folded and all(part.startswith("<details><summary>When it applies</summary><code>") for part in folded)
    assert "<script" in html


def test_rules_that_do_not_apply_and_decisions_read_as_words_not_expressions():
    """Raw conditions go into folded detail (HTML) or the JSON, never the open text of a report
    made without a trace; a decision with the standards' reason shows that reason."""
    result = check()
    not_applicable = [f for f in result["findings"] if f["status"] == "not_applicable"]
    assert not_applicable and all(f["message"].startswith("Does not apply: ") for f in not_applicable)
    text = api.render(result, "text")
    html = api.render(result, "html")
    open_html = re.sub(r"<details>.*?</details>", "", html, flags=re.S)
    for shown in (text, open_html):
        assert "Does not apply: " not in shown and "is not true for this plan" not in shown
        assert not re.search(r"Case \d+ holds:", shown)
    folded = [html_module.unescape(code) for code in
              re.findall(r"<summary>When it applies</summary><code>(.*?)</code>", html, re.S)]
    assert folded == [f["message"][len("Does not apply: "):-len(" is not true for this plan.")]
                      for f in not_applicable]
    decided = [d for d in result["determinations"] if d["because"] and "holds:" in d["explanation"]]
    assert decided and all(d["because"] in text and d["because"] in html for d in decided)


def test_many_results_render_as_one_report():
    results = [explain(), explain(CLEAN), check(without_last_review())]
    html = report.render_many(results, "html")
    assert_well_formed(html)
    assert_self_contained(html)
    assert "3 documents checked: 1 fail, 2 pass" in html
    assert all(f'id="d{i}"' in html for i in range(3)) and html.count("<h1>") == 1
    assert api.render(results, "html") == html
    text = report.render_many(results, "text")
    assert text.startswith("nis: 3 documents checked: 1 fail, 2 pass")
    assert text.count("✗ FAIL") == 1 and text.count("✓ PASS") == 1
    assert text.count("? No requirement failed, but 2 requirements cannot be judged") == 1  # never a plain PASS
    assert json.loads(report.render_many(results, "json")) == results


@pytest.mark.parametrize("fmt", ["pdf", "TEXT", "", "md"])
def test_unknown_formats_are_refused(fmt):
    with pytest.raises(ValueError, match="unknown report format"):
        api.render(explain(), fmt)
    with pytest.raises(ValueError, match="unknown report format"):
        report.render_many([explain()], fmt)


# ---- json: canonical and byte-stable ---------------------------------------------------------

def test_json_is_the_result_in_the_evaluators_key_order():
    result = explain()
    text = api.render(result, "json")
    assert text == json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    assert json.loads(text) == result
    assert list(json.loads(text)) == ["result_format", "engine", "standards", "document", "as_of", "outcome",
                                      "summary", "illustrative_parameters", "determinations", "findings",
                                      "not_judged", "illustrative_figures"]
    assert [(p["name"], p["title"], p["display"]) for p in result["illustrative_figures"]] == [
        ("review_interval", "Longest gap between the last review and the as-of date", "365 days")]


@GENERATED
@given(plans())
def test_rendering_is_deterministic_and_the_result_is_valid(plan):
    raw, as_of = plan
    first, second = explain(raw, as_of), explain(raw, as_of)
    for fmt in ("json", "text", "html"):
        assert api.render(first, fmt) == api.render(second, fmt) == api.render(first, fmt)
    assert_valid(first)
    assert_valid(check(raw, as_of))
    html = api.render(first, "html")
    assert_self_contained(html)
    assert_well_formed(html)
    assert ANSI not in api.render(first, "text")


@GENERATED
@given(plans())
def test_results_under_the_benchmark_rules_are_valid(plan):
    raw, as_of = plan
    assert_valid(explain(raw, as_of, PEER))
    assert_valid(check(raw, as_of, PEER))


_FRESH = """
import json, sys
from datetime import date
from inclusion_standards import api, report
documents, library = json.loads(sys.argv[1]), api.load_standards(sys.argv[2])
results = [api.explain(value.encode() if kind == "raw" else value, as_of=date(2030, 6, 1), standards=library)
           for kind, value in documents]
sys.stdout.buffer.write("".join(report.render(r, "json") for r in results).encode())
sys.stdout.buffer.write(report.render_many(results, "html").encode())
sys.stdout.buffer.write(report.render_many(results, "text").encode())
"""


def test_a_fresh_process_renders_identical_bytes():
    mixed = MIXED.read_text()
    documents = [("path", str(MIXED)), ("path", str(CLEAN)), ("raw", without_last_review().decode()),
                 ("raw", mixed.replace("layer: targeted", "layer: targeted_plus")),
                 ("raw", mixed.replace("ehcp_ref: EHCP-990-00001", "ehcp_ref: null"))]
    results = [explain(value.encode() if kind == "raw" else value) for kind, value in documents]
    assert {f["status"] for r in results for f in r["findings"]} == set(STATUSES)
    here = ("".join(report.render(r, "json") for r in results) + report.render_many(results, "html")
            + report.render_many(results, "text")).encode()
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", _FRESH, json.dumps(documents), str(FIXTURES)], env=env,
                             capture_output=True, check=True, cwd=ROOT).stdout
        assert out == here


# ---- the result schema -----------------------------------------------------------------------

def test_the_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("document", [MIXED, CLEAN, "no-last-review"])
def test_fixture_results_validate_with_and_without_trace(document):
    document = without_last_review() if document == "no-last-review" else document
    traced, plain = explain(document), check(document)
    assert all("trace" in f for f in traced["findings"]) and not any("trace" in f for f in plain["findings"])
    assert_valid(traced)
    assert_valid(plain)


def _bundled_results() -> list[dict]:
    """Results for the bundled examples under the bundled standards, once both exist."""
    try:
        library = api.load_standards()
    except StandardsError:
        return []
    results = []
    for example in sorted(p for p in (ROOT / "examples").glob("*.*") if p.suffix in (".yaml", ".json")):
        for as_of in (date(2029, 12, 1), date(2030, 6, 1), date(2031, 6, 1)):
            try:
                results.append(api.explain(example, as_of=as_of, standards=library))
            except StandardsError:
                continue
    return results


def test_bundled_examples_validate_and_render():
    results = _bundled_results()
    if not results:
        pytest.skip("no bundled standards judge the examples yet")
    for result in results:
        assert_valid(result)
        assert_well_formed(api.render(result, "html"))
        assert ANSI not in api.render(result, "text")
        assert_fits_100_columns(api.render(result, "text"))


@pytest.mark.parametrize("break_it", [
    lambda r: r["findings"][0].update(status="failed"),
    lambda r: r["findings"][0].pop("message"),
    lambda r: r["findings"][0].update(extra=1),
    lambda r: r["summary"].update(errors=-1),
    lambda r: r["standards"].update(sha256="abc"),
    lambda r: r["findings"][0]["trace"]["requirement"].update(pointer="no-slash"),
    lambda r: r["findings"][0]["trace"]["requirement"].update(evaluated=False),
    lambda r: r["determinations"][0].update(case=0),
    lambda r: r.update(as_of="1 June 2030"),
])
def test_the_schema_rejects_results_of_the_wrong_shape(break_it):
    result = explain()
    break_it(result)
    assert list(VALIDATOR.iter_errors(result))


# ---- what the standards do not judge ---------------------------------------------------------

NOT_JUDGED = '''standards "scope" version "1" effective from 2020-01-01
plan isp schema "isp.schema.json"
plan ehcp schema "ehcp.schema.json"
not judged "Whether the provision is actually delivered" applies to ehcp cite "CFA 2014 s42(2)"
not judged "Whether the <setting> followed its own policy" cite "nis reading" at "https://example.invalid/p"
rule SC-LAYER "An ISP records a layer"
  applies to isp
  must layer is present
  cite "Fixture"
'''


def test_not_judged_statements_reach_every_report_of_the_plans_they_concern(tmp_path):
    (tmp_path / "scope.nis").write_text(NOT_JUDGED)
    library = api.load_standards(tmp_path)
    result = api.check(CLEAN, as_of=AS_OF, standards=library)
    assert result["not_judged"] == [{"text": "Whether the <setting> followed its own policy",
                                     "citations": [{"text": "nis reading", "url": "https://example.invalid/p"}]}]
    assert_valid(result)
    text = api.render(result, "text")
    assert "What these standards do not judge" in text
    assert "- Whether the <setting> followed its own policy (nis reading)" in text
    assert "actually delivered" not in text
    html = api.render(result, "html")
    assert "Whether the &lt;setting&gt; followed its own policy" in html
    assert '<a class="cite" href="https://example.invalid/p">nis reading</a>' in html


def test_a_plan_without_not_judged_statements_shows_no_such_section():
    result = check(CLEAN)
    assert result["not_judged"] == []
    assert "do not judge" not in api.render(result, "text")
    assert "do not judge" not in api.render(result, "html")
