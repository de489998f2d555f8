"""Joins judged by lookup answer exactly as the quantifier they stand for, missing facts and
filters included; and the bundled rules rewritten for linear cost say what they said before.

Each pair of rules below says the same thing twice: once in a form the compiler turns into an
index and a lookup, once in a form it cannot (`if ... then ... else false`), which it judges
item by item. Hypothesis generates plans with ids, links and areas present, absent and
mismatched, and every pair must agree, with and without a trace.
"""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inclusion_standards import api

AS_OF = date(2030, 6, 1)
HEADER = 'standards "joins" version "1" effective from 2020-01-01\nplan isp "I" schema "isp.schema.json"\n'
PAIRS = {
    # key = value
    "J-EQ": "every n in needs satisfies some o in outcomes satisfies o.need_id = n.id",
    "S-EQ": "every n in needs satisfies some o in outcomes satisfies if true then o.need_id = n.id else false",
    # value in a list of keys, with a filter on the item alone
    "J-IN": "every o in outcomes satisfies some p in provision where p.layer != \"universal\" satisfies "
            "o.id in p.outcome_ids",
    "S-IN": "every o in outcomes satisfies some p in provision where p.layer != \"universal\" satisfies "
            "if true then o.id in p.outcome_ids else false",
    # a condition on the item that cannot be missing, joined by `and`
    "J-AND": "every n in needs satisfies some p in provision satisfies p.need_id is present and p.need_id = n.id",
    "S-AND": "every n in needs satisfies some p in provision satisfies "
             "if true then p.need_id is present and p.need_id = n.id else false",
    # a key in a list of values, and `no`
    "J-NO": "every p in provision satisfies no o in outcomes satisfies o.id in p.outcome_ids",
    "S-NO": "every p in provision satisfies no o in outcomes satisfies if true then o.id in p.outcome_ids else false",
    # key = value where neither can be missing (the index is a set of keys): plain, with a
    # filter on the item, and `no`
    "J-AREA": "every n in needs satisfies some o in outcomes satisfies o.area = n.area",
    "S-AREA": "every n in needs satisfies some o in outcomes satisfies if true then o.area = n.area else false",
    "J-KEPT": "every n in needs satisfies some p in provision where p.layer != \"universal\" satisfies p.area = n.area",
    "S-KEPT": "every n in needs satisfies some p in provision where p.layer != \"universal\" satisfies "
              "if true then p.area = n.area else false",
    "J-NONE": "every o in outcomes satisfies no p in provision satisfies p.area = o.area",
    "S-NONE": "every o in outcomes satisfies no p in provision satisfies if true then p.area = o.area else false",
}
# Which joins take which form: an index that tracks missing keys, or a set of keys.
SET_OF_KEYS = ("AREA", "KEPT", "NONE")
# The two rules rewritten in the bundled standards so that they are joins, in their old words.
BUNDLED = {
    "ISP-NEED-OUTCOME": "every n in needs satisfies some o in outcomes satisfies if n.id is present and "
                        "o.need_id is present then o.need_id = n.id else o.area = n.area",
    "ISP-NEED-PROVISION": "every n in needs satisfies some p in provision satisfies if n.id is present and "
                          "p.need_id is present then p.need_id = n.id else p.area = n.area",
}
AREAS = ["communication_and_interaction", "cognition_and_learning"]
IDS = st.none() | st.sampled_from(["N1", "N2", "N3"])


def _standards(rules: dict[str, str]) -> api.Standards:
    folder = Path(tempfile.mkdtemp(prefix="nis-joins-"))
    body = "".join(f'rule {rule_id} "t"\n  must {text}\n  cite "c"\n' for rule_id, text in rules.items())
    (folder / "s.nis").write_text(HEADER + body, encoding="utf-8")
    return api.load_standards(folder).versions[0]


PAIRED = _standards({**PAIRS, **BUNDLED})
NIS = api.load_standards().versions[0]


def _drop_none(record: dict) -> dict:
    return {k: v for k, v in record.items() if v is not None}


@st.composite
def plans(draw) -> dict:
    needs = draw(st.lists(st.builds(lambda i, a: _drop_none({"id": i, "area": a, "severity": 2, "description": "d"}),
                                    IDS, st.sampled_from(AREAS)), max_size=4))
    outcomes = draw(st.lists(st.builds(
        lambda i, n, a: _drop_none({"id": i, "need_id": n, "area": a, "description": "d", "measurable": True,
                                    "target_date": "2030-07-01"}),
        st.none() | st.sampled_from(["O1", "O2"]), IDS, st.sampled_from(AREAS)), max_size=4))
    provision = draw(st.lists(st.builds(
        lambda n, o, a, layer: _drop_none({"need_id": n, "outcome_ids": o, "area": a, "layer": layer,
                                           "description": "d", "hours_per_week": 1, "provider": "teacher",
                                           "evidence_based": True, "start": "2029-09-15"}),
        IDS, st.none() | st.lists(st.sampled_from(["O1", "O2", "O3"]), max_size=2, unique=True),
        st.sampled_from(AREAS), st.sampled_from(["universal", "targeted"])), max_size=4))
    return {"id": "ISP-J", "child": {"id": "C-1", "dob": "2016-03-14", "year_group": 8},
            "setting": {"urn": "123456", "phase": "secondary", "type": "mainstream"}, "layer": "targeted",
            "created": "2029-09-10", "last_review": "2030-01-20", "next_review": "2030-07-15",
            "coproduced_with": ["parent"], "needs": needs, "outcomes": outcomes, "provision": provision,
            "external_advice": [], "ehcp_ref": None}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_a_join_answers_as_its_quantifier(plan):
    fast = api.judge(plan, as_of=AS_OF, standards=PAIRED)
    traced = {f["rule"]: f["status"] for f in api.explain(plan, as_of=AS_OF, standards=PAIRED)["findings"]}
    assert fast == traced
    for join in ("EQ", "IN", "AND", "NO", *SET_OF_KEYS):
        assert fast[f"J-{join}"] == fast[f"S-{join}"], join
    bundled = {f["rule"]: f["status"] for f in api.check(plan, as_of=AS_OF, standards=NIS)["findings"]}
    for rule_id in BUNDLED:
        assert bundled[rule_id] == fast[rule_id], rule_id


def test_each_form_of_join_is_exercised():
    """The pairs above test both ways a join is judged: the generated outcome form of each
    J- rule is a lookup in an index, or (nothing can be missing) `in` a set of keys, and
    no S- rule is a join at all."""
    plan = PAIRED.compiled.plans["isp"]
    functions = ("\n" + plan.source).split("\ndef ")
    forms = {}
    for compiled in plan.rules:
        body = next(part for part in functions if part.startswith(compiled.name + "("))  # the outcome form
        forms[compiled.checked.id] = ("index" if "build_index" in body else "set" if "lambda: {" in body
                                      else "items")
    for rule_id, form in forms.items():
        kind = rule_id.split("-", 1)[1]
        expected = "items" if rule_id.startswith("S-") else "set" if kind in SET_OF_KEYS else "index"
        if rule_id in BUNDLED:
            continue
        assert form == expected, (rule_id, form)
