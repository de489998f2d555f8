"""Each rule corrected or added for issue 11 rests on the source and has the strength the law
gives it: `must` only where statute or regulation says must; `should` for guidance,
proposals resting on illustrative figures and nis's own reading. The table below is the
audit: the rule, its severity, and words its citations must contain."""
from __future__ import annotations

from pathlib import Path

import pytest

from inclusion_standards.standards import load_standards

ROOT = Path(__file__).resolve().parents[1]

AUDIT = {
    # rule: (severity, [words each found in some citation of the rule])
    "EHCP-SECTIONS": ("must", ["reg 12(1)(a)-(j)", "(section J)", "reg 12(4)", "para 9.62"]),
    "EHCP-B-F": ("must", ["s37(2)(a) and (c)", "para 9.62"]),
    "EHCP-F-SPECIFIC": ("must", ["s37(2)(c)", "[2025] UKUT 187 (AAC)", "E v Newham", "L v Clarke and Somerset",
                                 "B-M v Oxfordshire", "secondary report"]),
    "EHCP-F-QUANTIFIED": ("should", ["para 9.69", "should normally be quantified"]),
    "EHCP-F-PROVIDER": ("should", ["para 9.69", "level of expertise"]),
    "EHCP-F-ASSISTANT-TRAINING": ("should", ["para 9.69", "B-M v Oxfordshire"]),
    "EHCP-THERAPY-IN-F": ("should", ["s21(5)", "educates or trains"]),
    "EHCP-PFA-PROVISION": ("must", ["reg 12(3)", "in or beyond year 9", "reg 6(1)(g)", "reg 20(6)"]),
    "EHCP-PFA": ("should", ["chapter 8", "reg 20(6)"]),
    "EHCP-K-ADVICE": ("must", ["reg 6(1)(a) and (d)", "reg 12(4)"]),
    "EHCP-PHASE-TRANSFER-NAMES": ("must", ["reg 18(1)", "names the school", "reg 18(2)"]),
    "EHCP-S39-NAMED": ("must", ["s39(3)", "s39(4)", "unsuitable for the age, ability, aptitude"]),
    "EHCP-S39-CONSULTED": ("must", ["s39(2)(a)"]),
    "EHCP-NAMED-CONSULTED": ("must", ["s40(3)", "s39(2)(b) and s39(6)"]),
    "EHCP-S33-MAINSTREAM": ("must", ["s33(2)", "no reasonable steps", "ME v LB Southwark"]),
    "EHCP-I-RECORD": ("should", ["s38(2)(b)(ii)", "nis reading"]),
    "SENS-PARENT-INFORMED": ("must", ["s68(2)", "s68(1)", "no EHC plan is maintained"]),
    "SENS-MEET-PARENTS": ("should", ["para 6.65", "at least three times each year"]),
    "ISP-CHILD-VIEWS": ("should", ["para 6.65", "paras 1.1-1.2", "s19 itself binds local authorities"]),
    "ISP-COPRODUCED": ("must", ["seed 003 l.240", "paras 1.1-1.2", "settings must have regard to the Code"]),
    "ISP-NEXT-REVIEW": ("should", ["seed 003 l.240"]),
    "ISP-NEED-OUTCOME": ("should", ["[proposal]"]),
    "ISP-OUTCOME-NEED": ("should", ["[proposal]"]),
    "ISP-NEED-PROVISION": ("should", ["[proposal]"]),
    "ISP-OUTCOME-PROVISION": ("should", ["[proposal]"]),
    "ISP-TP-ADVICE": ("should", ["[proposal]"]),
    "ISP-TP-HOURS": ("should", ["[illustrative]"]),
    "ISP-PROVISION-SPECIFIC": ("should", ["nis reading", "seed 003 l.272"]),
    "EHCP-SPP-KNOWN": ("should", ["seed 003 l.397", "seven"]),
    "EHCP-SPP-MATCH": ("should", ["seed 003 l.397"]),
    "ISP-SPP-REFERRAL": ("should", ["seed 003 l.242", "l.243"]),
    "TRANS-REASSESS": ("should", ["[proposal]", "s37(1)(b)"]),
    "CASE-SAME-CHILD": ("should", ["nis reading"]),
    "CASE-ISP-REFERS-TO-EHCP": ("should", ["seed 003 l.242", "nis reading"]),
    "CASE-EHCP-REFERS-TO-ISP": ("should", ["seed 003 l.242", "nis reading"]),
    "CASE-ISP-LAYER": ("should", ["[proposal]"]),
    "CASE-PACKAGES-AGREE": ("should", ["[proposal]", "seed 003 l.431"]),
    "CASE-SETTING-AGREES": ("should", ["reg 12(1)(i)"]),
}

# Determinations whose citations the issue names.
DETERMINATIONS = {
    "ehcp_challenge_route": ["r.20(1)(c)", "within 2 months after written notice"],
    "regime": ["s37(1)(b)", "reg 2"],
    "package_threshold": ["s36(8) and s37(1)", "seed 003 l.242"],
    "isp_package_threshold": ["s36(8) and s37(1)"],
}


@pytest.fixture(scope="module")
def program():
    (standards,) = load_standards(ROOT / "standards").versions
    return standards.checked


@pytest.mark.parametrize("rule_id", sorted(AUDIT))
def test_each_audited_rule_has_its_strength_and_its_source(program, rule_id):
    (rule,) = [r for r in program.rules if r.id == rule_id]
    severity, words = AUDIT[rule_id]
    assert rule.severity == severity
    cited = " || ".join(c.text for c in rule.citations)
    assert [w for w in words if w not in cited] == []


@pytest.mark.parametrize("name", sorted(DETERMINATIONS))
def test_determinations_cite_the_law_they_apply(program, name):
    cited = " || ".join(c.text for c in program.determinations[name].citations)
    assert [w for w in DETERMINATIONS[name] if w not in cited] == []


def test_no_citation_repeats_the_known_errors(program):
    texts = [c.text for r in program.rules for c in r.citations]
    texts += [c.text for d in program.determinations.values() for c in d.citations]
    texts += [c.text for p in program.parameters.values() for c in p.declaration.citations]
    joined = " || ".join(texts)
    for wrong in ("reg 12(1)(a)-(k)", "reg 12(1)(k)", "s19(a)-(b)", "s19(c)", "seed 003 l.241", "seed 003 l.289",
                  "l.239-241", "Domain brief"):
        assert wrong not in joined, wrong


def test_rules_that_rest_on_nis_reading_or_illustrative_figures_are_warnings(program):
    for rule in program.rules:
        cited = " || ".join(c.text for c in rule.citations)
        if all(c.text.startswith(("nis reading", "[illustrative]")) for c in rule.citations):
            assert rule.severity == "should", rule.id
        if "[illustrative]" in cited and not any(c.text.startswith(("SEND", "Children and Families")) for c in rule.citations):
            assert rule.severity == "should", rule.id
