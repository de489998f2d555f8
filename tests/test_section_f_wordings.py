"""The section F word lists against real wordings, on both sides: each wording in
tests/fixtures/section_f_wordings.yaml, quoted from where it was published, is put in
section F of a plan with no amount, frequency or provider fields, so that its words alone
are judged, and must get the verdicts the fixture records."""
from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
import yaml

from inclusion_standards import api

ROOT = Path(__file__).resolve().parents[1]
CORPUS = yaml.safe_load((Path(__file__).parent / "fixtures" / "section_f_wordings.yaml").read_text(encoding="utf-8"))
WORDINGS = CORPUS["wordings"]
RULES = {"specific": "EHCP-F-SPECIFIC", "quantified": "EHCP-F-QUANTIFIED", "provider": "EHCP-F-PROVIDER"}
ON = date(2030, 6, 1)


@pytest.fixture(scope="module")
def library():
    return api.load_standards()


@pytest.fixture(scope="module")
def plan():
    return api.load_document(ROOT / "examples" / "ehcp-current-clean.yaml")


def judged(plan, library, wording: str) -> dict[str, str]:
    data = copy.deepcopy(plan.data)
    item = data["sections"]["f"]["provision"][3]
    for field in ("quantity", "frequency", "provider_role", "providers"):
        item.pop(field, None)
    item["description"] = wording
    outcomes = api.judge(api.LoadedDocument("corpus", "ehcp", data, ""), as_of=ON, standards=library)
    return {key: outcomes[rule] for key, rule in RULES.items()}


@pytest.mark.parametrize("entry", WORDINGS, ids=[w["wording"][:60] for w in WORDINGS])
def test_each_published_wording_gets_its_recorded_verdicts(entry, plan, library):
    got = judged(plan, library, entry["wording"])
    want = {key: entry[key] for key in RULES if key in entry}
    assert {key: got[key] for key in want} == want, entry["source"]["url"]


@pytest.mark.parametrize("entry", WORDINGS, ids=[w["wording"][:60] for w in WORDINGS])
def test_the_publishers_verdict_agrees_with_nis(entry):
    """What a publisher calls specific passes both checks; what it calls vague fails one."""
    verdicts = (entry["specific"], entry["quantified"])
    if entry["source_says"] == "specific":
        assert verdicts == ("pass", "pass")
    elif entry["source_says"] == "vague":
        assert "fail" in verdicts


def test_the_corpus_covers_both_sides_and_every_source_is_cited():
    says = [w["source_says"] for w in WORDINGS]
    assert says.count("specific") >= 10 and says.count("vague") >= 15
    assert all(w["source"]["url"].startswith("https://") for w in WORDINGS)


def test_the_clean_examples_section_f_is_specific_in_its_own_words(plan, library):
    """Without the amount fields, the example's own wording still says how much and how often."""
    data = copy.deepcopy(plan.data)
    for item in data["sections"]["f"]["provision"]:
        item.pop("quantity", None)
        item.pop("frequency", None)
    outcomes = api.judge(api.LoadedDocument("corpus", "ehcp", data, ""), as_of=ON, standards=library)
    assert (outcomes["EHCP-F-SPECIFIC"], outcomes["EHCP-F-QUANTIFIED"]) == ("pass", "pass")
