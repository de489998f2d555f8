"""Published plans transcribed into the EHCP format (tests/fixtures/published): they load,
and they are judged sensibly. Only the openings of the published documents could be read, so
the transcriptions hold what those openings show (particulars, origin, contributors,
monitoring) and nothing invented; sections not transcribed are absent, and the findings
that turn on them are not asserted here."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from inclusion_standards import api

PUBLISHED = Path(__file__).parent / "fixtures" / "published"
ON = date(2015, 1, 5)
PLANS = sorted(PUBLISHED.glob("*.yaml"))


def findings(path: Path) -> dict[str, str]:
    result = api.check(path, as_of=ON)
    return {f["rule"]: f["status"] for f in result["findings"]}


def test_there_are_two_transcriptions_each_citing_its_source():
    assert len(PLANS) >= 2
    for path in PLANS:
        assert "https://" in path.read_text(encoding="utf-8").split("document_type", 1)[0], path.name


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_each_transcription_loads_as_an_ehcp(path):
    assert api.load_document(path).document_type == "ehcp"


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_without_a_date_of_birth_age_based_rules_cannot_be_judged(path):
    got = findings(path)
    assert {r: got[r] for r in ("EHCP-PFA-PROVISION", "EHCP-PFA", "EHCP-UNDER5-REVIEW")} == \
        {"EHCP-PFA-PROVISION": "cannot_judge", "EHCP-PFA": "cannot_judge", "EHCP-UNDER5-REVIEW": "cannot_judge"}


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_a_current_law_plan_has_no_package_threshold(path):
    result = api.check(path, as_of=ON)
    values = {d["name"]: d["value"] for d in result["determinations"]}
    assert values["regime"] == "current"
    assert values["package_threshold"] == "no_package_threshold"


def test_the_exemplar_made_in_place_of_a_statement_keeps_its_origin_and_lists_its_advice():
    plan = api.load_document(PUBLISHED / "southampton-exemplar-2013.yaml").data
    assert plan["origin"]["kind"] == "transferred_from_statement"
    got = findings(PUBLISHED / "southampton-exemplar-2013.yaml")
    assert got["EHCP-K-ADVICE"] == "pass"
    assert got["EHCP-REVIEW-12M"] == "fail"  # made 28 August 2013; reviewed by 27 August 2014


def test_the_early_years_plan_keeps_its_monitoring_arrangements():
    plan = api.load_document(PUBLISHED / "early-years-plan-2014.yaml").data
    assert "first review within 6 months" in plan["monitoring"]["arrangements"]
    got = findings(PUBLISHED / "early-years-plan-2014.yaml")
    assert got["EHCP-REVIEW-12M"] == "pass"  # made 23 May 2014
