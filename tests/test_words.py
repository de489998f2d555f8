"""Words, not code: what a finding's message, the short answer, the full report and the HTML
page say in words where the result's JSON keeps data (lists, parameter names, JSON pointers,
the line numbers of stored sources). Through the public API and the CLI."""
from __future__ import annotations

import copy
import json
import re
import textwrap
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE_ISP, HEADER
from inclusion_standards import api
from inclusion_standards.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = date(2030, 6, 1)
VAGUE = EXAMPLES / "isp-targeted-vague-provision.yaml"
CEASED = EXAMPLES / "ehcp-ceased-without-rights.yaml"
VAGUE_F = EXAMPLES / "ehcp-current-vague-f.yaml"

LISTS = '''
parameter vague "Vague phrases" cite "CoP 9.69" from 2020-01-01: ["as required", "up to", "may"]
rule VAGUE "Provision is specific"
  should no p in provision satisfies p.description contains any of vague
  explain "Vague items: {list of p.id for p in provision where p.description contains any of vague}; their words: {list of (list of w for w in vague where p.description contains w) for p in provision where p.description contains any of vague}."
  cite "CoP 9.69"
rule CODES "Written with the family"
  should "parent" in coproduced_with
  explain "Written with: {coproduced_with}."
  cite "CoP 6.2"
'''


@pytest.fixture(scope="module")
def lists(tmp_path_factory):
    folder = tmp_path_factory.mktemp("words")
    (folder / "s.nis").write_text(HEADER + textwrap.dedent(LISTS), encoding="utf-8")
    return api.load_standards(folder)


def message(result: dict, rule: str) -> str:
    return next(f["message"] for f in result["findings"] if f["rule"] == rule)


def cli(*args: object):
    return CliRunner().invoke(main, ["--no-config", *map(str, args)], catch_exceptions=False)


# ---- lists in messages ------------------------------------------------------------------

PHRASES = ("as required", "up to", "may")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sets(st.sampled_from(PHRASES)), min_size=1, max_size=11))
def test_item_ids_read_as_a_list_in_words_and_phrases_quoted(lists, words):
    plan = copy.deepcopy(BASE_ISP)
    template = plan["provision"][0]
    plan["provision"] = [{**template, "id": f"P{n + 1}",
                          "description": "Support " + " ".join(w for w in PHRASES if w in chosen) + " daily."}
                         for n, chosen in enumerate(words)]
    text = message(api.check(plan, as_of=AS_OF, standards=lists), "VAGUE")
    vague = [(f"P{n + 1}", [w for w in PHRASES if w in chosen]) for n, chosen in enumerate(words) if chosen]
    assert "[" not in text and '"' not in text
    if not vague:
        assert text.startswith("Met") or text == "Vague items: none; their words: none."
        return
    ids = [ident for ident, _ in vague]
    shown = ids[:8] + ([f"{len(ids) - 8} more"] if len(ids) > 8 else [])
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    assert text.startswith(f"Vague items: {listed}; their words: ")
    words_part = text.split("; their words: ", 1)[1].split(". Items that fail it: ")[0].rstrip(".")
    groups = words_part.split("; ")
    assert len(groups) == min(len(vague), 8) + (len(vague) > 8)
    for group, (_, found) in zip(groups, vague[:8], strict=False):
        quoted = [f"“{w}”" for w in found]
        assert group == (quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1])


def test_a_schemas_fixed_values_read_as_words_and_an_empty_list_as_none(lists):
    plan = copy.deepcopy(BASE_ISP)
    plan["coproduced_with"] = ["senco", "class_teacher"]
    assert message(api.check(plan, as_of=AS_OF, standards=lists), "CODES") == "Written with: senco and class teacher."
    plan["coproduced_with"] = []
    assert message(api.check(plan, as_of=AS_OF, standards=lists), "CODES") == "Written with: none."


def test_the_json_keeps_the_data_the_message_puts_in_words():
    result = json.loads(cli("check", VAGUE, "--as-of", "2030-06-01", "--format", "json").stdout)
    finding = next(f for f in result["findings"] if f["rule"] == "ISP-PROVISION-SPECIFIC")
    assert finding["message"].startswith("Provision whose wording leaves the support to discretion: P1 and P3, "
                                         "with these words in each, in the same order: “as required”; “up to”.")
    assert "/provision/0, /provision/2" in finding["message"]  # the items' pointers stay for tools


# ---- figures by label and value -----------------------------------------------------------

def test_the_short_answer_names_illustrative_figures_by_label_and_value():
    out = cli("check", VAGUE, "--as-of", "2030-06-01").stdout
    assert "on a figure that is illustrative, not yet law:\n    When the reformed regime begins (ISP duty; EHCP " \
           "reassessment at phase transfer): 1 September\n      2029\n" in out
    assert "reform_commencement" not in out


def test_the_json_result_describes_each_illustrative_figure():
    result = json.loads(cli("check", VAGUE, "--as-of", "2030-06-01", "--format", "json").stdout)
    figures = {p["name"]: p for p in result["illustrative_figures"]}
    assert list(figures) == result["illustrative_parameters"]
    assert figures["reform_commencement"]["title"].startswith("When the reformed regime begins")
    assert figures["reform_commencement"]["display"] == "1 September 2029"
    assert figures["pmld_communication_levels"]["display"] == "pre verbal and non verbal"
    assert figures["pmld_communication_levels"]["value"] == ["pre_verbal", "non_verbal"]


def test_a_brief_batch_record_leaves_the_figures_to_the_standards(tmp_path):
    out = tmp_path / "r.jsonl"
    cli("batch", VAGUE, "--as-of", "2030-06-01", "--out", out)
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["result"]["illustrative_parameters"] and "illustrative_figures" not in record["result"]


# ---- the plan's fields by their titles ------------------------------------------------------

def test_a_hint_names_the_field_by_its_titles_not_its_path():
    out = cli("check", CEASED, "--as-of", "2030-06-01").stdout
    flat = " ".join(out.split())
    assert "record the ground (Ceasing the plan › Ground)" in flat
    assert "record when it ended (Ceasing the plan › Plan ceased)" in flat
    assert "process.cessation" not in out


def test_a_field_found_unrecorded_is_named_by_its_titles():
    out = cli("check", VAGUE_F, "--as-of", "2030-06-01").stdout
    block = out[out.index("! EHCP-I-RECORD"):]
    block = block[:block.index("to fix")]
    assert "found     Section I: placement › The family's request is not recorded." in block
    assert "sections.i" not in block


def test_missing_facts_are_named_by_title_with_the_entry_counted_from_one():
    text = cli("check", VAGUE_F, "--as-of", "2030-06-01", "--verbose").stdout
    block = text[text.index("? EHCP-REVIEW-INVITEES"):]
    block = block[:block.index("\n?", 1)]
    assert "missing   Annual reviews (entry 1) › Invited" in block
    assert "/process/annual_reviews" not in block


def test_the_html_keeps_pointers_only_in_the_folded_reasoning():
    html = cli("explain", VAGUE_F, "--as-of", "2030-06-01", "--format", "html").stdout
    cards, reasoning = html.split("<h2>Full reasoning</h2>", 1)
    assert "Annual reviews (entry 1) › Invited" in cards
    assert not re.search(r"<code>/(process|sections)/", cards)
    assert "<code>/process/annual_reviews/0/invited</code>" in reasoning


# ---- sources without the stored copy's line numbers -----------------------------------------

def test_citations_read_without_stored_line_numbers_which_the_json_keeps():
    text = cli("check", VAGUE, "--as-of", "2030-06-01", "--verbose").stdout
    html = cli("check", VAGUE, "--as-of", "2030-06-01", "--format", "html").stdout
    result = cli("check", VAGUE, "--as-of", "2030-06-01", "--format", "json").stdout
    assert "seed 003" in result
    assert "Isos Partnership for LGA/CCN (June 2026): " in " ".join(text.split())
    for shown in (text, html):
        assert "seed 003" not in shown and not re.search(r"\bl\.\d{3}\b", shown)
