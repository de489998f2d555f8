"""A local authority's caseload, judged from its SEN2 return: the batch's inputs and its summary.

`batch_items` turns an SEN2 return's cases into batch inputs (one per request). `summarise`
reads the return again beside the batch's records, in step, and counts the measures DfE
publishes from SEN2 (decisions whether to assess within 6 weeks, decisions not to issue
within 16 weeks, new plans within 20 weeks with and without exceptions, review decisions
within 4 weeks) from each child's judged findings: how many were counted, met and breached,
the percentage met, and the children behind each breach with the command that explains
their case. It also lists, once, the rules a return cannot feed. `render` writes the
summary as text, JSON or a printable HTML page. Memory is flat but for the lists of
breaches it reports.
"""
from __future__ import annotations

import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

import orjson

from .batch import Item
from .diagnostics import Diagnostic, NisError
from .sen2 import DECIDE_6W, FINAL_20W, JUDGED_RULES, NOT_ISSUE_16W, REVIEW_4W, Sen2Facts, Sen2Return
from .standards import Standards

__all__ = ["CaseloadError", "batch_items", "render", "summarise"]

SUMMARY_FORMAT = 1
MET, BREACHED = ("pass", "excepted"), ("fail",)


class CaseloadError(NisError):
    """The results file does not belong to the return."""


def batch_items(ret: Sen2Return) -> Iterator[Item]:
    """The return's cases as batch inputs: identity (the return, the case's line, the sha256
    of its document), the document's bytes or the problem, and the rules it can feed."""
    for case in ret:
        yield Item(case.number - 1, ret.source, case.line, case.raw(), case.problem, case.only)


@dataclass(frozen=True, slots=True)
class Measure:
    """A count DfE publishes (or nis adds), the rule each child is judged by, and which
    children it counts."""

    id: str
    title: str
    rule: str
    counts: Callable[[Sen2Facts, tuple[date, date], date, int], bool]
    dfe: str


def _within(day: date | None, period: tuple[date, date]) -> bool:
    return day is not None and period[0] <= day <= period[1]


MEASURES = (
    Measure("decisions_6w", "Decisions whether to assess, notified within 6 weeks of the request", DECIDE_6W,
            lambda f, p, _o, _l: f.request_outcome in ("Y", "N") and _within(f.request_outcome_date, p),
            "DfE: decisions whether to assess made in the calendar year, and the share made within 6 weeks"),
    Measure("not_issue_16w", "Decisions not to issue a plan, notified within 16 weeks of the request",
            NOT_ISSUE_16W, lambda f, p, _o, _l: f.assessment_outcome == "N" and _within(f.assessment_outcome_date, p),
            "DfE: decisions not to issue a plan in the calendar year, and the share within 16 weeks"),
    Measure("plans_20w", "New plans issued within 20 weeks of the request, including those where exceptions apply",
            FINAL_20W, lambda f, p, _o, _l: f.assessment_outcome == "Y" and _within(f.assessment_outcome_date, p),
            "DfE: EHC plans issued in the calendar year within 20 weeks, including exceptions"),
    Measure("plans_20w_without_exceptions", "New plans issued within 20 weeks, excluding those where exceptions "
            "apply (Week20 = 1)", FINAL_20W,
            lambda f, p, _o, _l: (f.assessment_outcome == "Y" and _within(f.assessment_outcome_date, p)
                                  and not f.exceptions_apply),
            "DfE: EHC plans issued in the calendar year within 20 weeks, excluding exceptions"),
    Measure("reviews_4w", "Decisions after the latest annual review, notified within 4 weeks of the meeting",
            REVIEW_4W, lambda f, p, o, limit: (_within(f.review_meeting, p) and f.review_meeting is not None
                                               and f.review_meeting + timedelta(days=limit) < o),
            "nis: counted from the review items DfE collects from 2024 (ReviewMeeting, ReviewOutcome, LastReview)"),
)

# Children outside DfE's rates whom a caseworker needs to see: still waiting, and overdue.
OVERDUE: tuple[tuple[str, str, str, Callable[[Sen2Facts], bool]], ...] = (
    ("awaiting_decision", "Requests with no decision whether to assess, 6 weeks after the request", DECIDE_6W,
     lambda f: f.request_outcome == "A"),
    ("awaiting_notice", "Decisions not to issue a plan with no date of notice, 16 weeks after the request",
     NOT_ISSUE_16W, lambda f: f.assessment_outcome == "N" and f.assessment_outcome_date is None),
    ("awaiting_plan", "Requests with no plan and no decision not to issue, 20 weeks after the request", FINAL_20W,
     lambda f: f.assessment_outcome in ("A", None)),
)

COUNTING = (
    "A limit is met when the decision or plan is dated on or before the request date plus 6, 16 or 20 weeks "
    "(the request on 10 January: 6 weeks end on 21 February); a review decision, on or before the meeting plus "
    "4 weeks. DfE does not publish its boundary rules; a count that treats the last day differently can differ "
    "by the cases decided on that day.",
    "Cases are counted by the date of the decision or plan, within the calendar year the return reports on "
    "(the year before the collection), as DfE's tables are.",
    "The 20-week rate with exceptions counts every new plan; the rate without leaves out plans the return flags "
    "Week20 = 1, as DfE does. nis still reports a late plan with that flag as a breach: the return does not say "
    "which exception applied or when, and the regulations excuse only the days an exception covers.",
    "A case with a missing or impossible date is not counted in a rate (DfE marks such cases 'not available'); "
    "nis lists it under 'could not be judged' or among the cases that could not be read.",
    "Requests still waiting for a decision or a plan at the reference date are not in DfE's rates; nis lists "
    "those past their limit separately.",
    "Withdrawn requests (W) and decisions made before the return's year (H) are outside the limits nis judges.",
    "SEN2 holds only the latest review meeting of each plan, so the review rate covers the latest meetings in "
    "the year whose 4 weeks had ended by the as-of date; a decision dated before that meeting is read as the "
    "previous review's.",
)

# What a rule needs that SEN2 does not record, by the fields it reads (first match wins per field).
_NOT_IN_SEN2 = (
    ("/sections", "the plan's sections A to K"),
    ("/specialist_provision_packages", "the Specialist Provision Packages named"),
    ("/isp_ref", "the ISP alongside the plan"),
    ("/setting", "the setting the child attends"),
    ("/phase", "the child's phase of education"),
    ("/next_phase_transfer", "the next phase transfer"),
    ("/child/dob", "the child's age (nis does not judge age from an SEN2 return)"),
    ("/process/advice", "the advice sought for the assessment"),
    ("/process/family_advice_requests", "the advice the family asked for"),
    ("/process/draft_issued", "the date the draft plan was sent"),
    ("/process/decision_to_assess_notice", "what the decision letters said"),
    ("/process/issue_decision_notice", "what the decision letters said"),
    ("/process/final_plan_notice", "what the decision letters said"),
    ("/process/cessation", "how the plan was ceased (SEN2 gives only the date and reason)"),
    ("/process/reassessments", "re-assessments"),
    ("/process/exceptions", "which exception applied, when, and whether the family was told (SEN2 gives a "
                            "yes or no for the 20 weeks)"),
    ("/process/annual_reviews", "review invitations, advice, reports, amendments and the history of reviews "
                                "(SEN2 gives only the latest meeting, its outcome and the decision date)"),
)


def not_judged(standards: Standards) -> list[dict[str, str]]:
    """Every EHCP rule a return cannot feed, with what it needs that SEN2 does not record."""
    out = []
    for rule in standards.compiled.plans["ehcp"].rules:
        if rule.checked.id in JUDGED_RULES:
            continue
        needs: list[str] = []
        for fact in rule.reads.facts:
            for prefix, what in _NOT_IN_SEN2:
                if (fact == prefix or fact.startswith(prefix + "/")) and what not in needs:
                    needs.append(what)
                    break
        reads = [*rule.reads.facts, *(f"the {name} determination" for name in rule.reads.determinations)]
        why = "; ".join(needs) if needs else "a full plan: nis judges it from plans, not returns (it reads " + \
            ", ".join(reads) + ")"
        out.append({"rule": rule.checked.id, "title": rule.checked.declaration.title or rule.checked.id,
                    "needs": why})
    return out


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as handle:
        for line in handle:
            if line.endswith(b"\n"):
                yield orjson.loads(line)


def _percent(met: int, counted: int) -> float | None:
    if counted == 0:
        return None
    tenths = (met * 2000 + counted) // (counted * 2)  # per mille, rounded half up
    return tenths / 10


def summarise(ret: Sen2Return, records: Path, standards: Standards, as_of: date, *,
              standards_option: str | None = None) -> dict[str, Any]:
    """The caseload summary of a batch run on this return: `records` is its JSON Lines output."""
    period = ret.header.period
    limit = standards.parameters_on(as_of)["review_decision_limit"].value
    measures: list[dict[str, Any]] = [
        {"id": m.id, "title": m.title, "rule": m.rule, "source": m.dfe, "counted": 0, "met": 0, "breached": 0,
         "percent_met": None, "breaches": [], "not_judged": []} for m in MEASURES]
    overdue: list[dict[str, Any]] = [{"id": key, "title": title, "rule": rule, "cases": []}
                                     for key, title, rule, _ in OVERDUE]
    unreadable: list[dict[str, Any]] = []
    cases = 0

    def explain(case_id: str, rule: str) -> str:
        words = ["nis", "explain", "--from", "sen2", ret.source, "--case", case_id, "--as-of", as_of.isoformat(),
                 "--decision", rule]
        if standards_option:
            words += ["--standards", standards_option]
        command = shlex.join(words)
        return command + " --pseudonymise KEY" if ret.pseudonymised else command

    def entry(case_id: str, number: int, line: int, rule: str, note: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"case": case_id, "record": number}
        if not ret.pseudonymised:
            out["line"] = line
        if note:
            out["note"] = note
        out["explain"] = explain(case_id, rule)
        return out

    results = _records(records)
    for case in ret:
        cases += 1
        record = next(results, None)
        if record is None or record.get("record") != case.number or record["input"].get("line") != case.line:
            raise CaseloadError([Diagnostic(
                "error", "NIS-R301", f"the results in {records} do not match the return: record {case.number} "
                "is missing or is for another case", source=str(records),
                hint="summarise the results of a complete run on this return, with the same --pseudonymise key")])
        result = record.get("result")
        if result is None or case.facts is None or case.case_id is None:
            unreadable.append({"record": case.number, **({} if ret.pseudonymised else {"line": case.line}),
                               **({"case": case.case_id} if case.case_id else {}),
                               "reason": record.get("error", {}).get("reason", "")})
            continue
        findings = {f["rule"]: f for f in result["findings"]}
        for measure, counted in zip(MEASURES, measures, strict=True):
            if not measure.counts(case.facts, period, as_of, limit):
                continue
            finding = findings.get(measure.rule)
            status = finding["status"] if finding else "not_applicable"
            if status in MET:
                counted["met"] += 1
            elif status in BREACHED:
                counted["breached"] += 1
                note = ("exception claimed (Week20 = 1), reason not recorded"
                        if measure.rule == FINAL_20W and case.facts.exceptions_apply else None)
                counted["breaches"].append(entry(case.case_id, case.number, case.line, measure.rule, note))
            else:
                reason = (finding or {}).get("message") or "the rule does not apply to what the return records"
                counted["not_judged"].append({**entry(case.case_id, case.number, case.line, measure.rule),
                                              "reason": reason})
        for (_, _, rule, waiting), listed in zip(OVERDUE, overdue, strict=True):
            finding = findings.get(rule)
            if finding is not None and finding["status"] == "fail" and waiting(case.facts):
                listed["cases"].append(entry(case.case_id, case.number, case.line, rule))
    if next(results, None) is not None:
        raise CaseloadError([Diagnostic("error", "NIS-R301", f"the results in {records} have more records than the "
                                        "return has cases", source=str(records))])
    for counted in measures:
        counted["counted"] = counted["met"] + counted["breached"]
        counted["percent_met"] = _percent(counted["met"], counted["counted"])
    return {
        "summary_format": SUMMARY_FORMAT,
        "return": {"path": ret.source, "year": ret.header.year, "local_authority": ret.header.local_authority,
                   "reference_date": ret.header.reference_date.isoformat() if ret.header.reference_date else None,
                   "period": {"from": period[0].isoformat(), "to": period[1].isoformat()},
                   "pseudonymised": ret.pseudonymised},
        "as_of": as_of.isoformat(),
        "standards": {"id": standards.id, "version": standards.version, "sha256": standards.sha256},
        "cases": {"total": cases, "judged": cases - len(unreadable), "could_not_be_read": len(unreadable)},
        "measures": measures,
        "overdue": overdue,
        "could_not_be_read": unreadable,
        "judged_rules": list(JUDGED_RULES),
        "not_judged_from_sen2": not_judged(standards),
        "counting": list(COUNTING),
    }


# ---- rendering -------------------------------------------------------------------------------

def render(summary: dict[str, Any], fmt: str) -> str:
    """The summary as `text`, `json` (stable bytes) or `html` (one printable page)."""
    if fmt == "json":
        return orjson.dumps(summary, option=orjson.OPT_INDENT_2).decode() + "\n"
    if fmt == "html":
        return _html(summary)
    return _text(summary)


def _rate(measure: dict[str, Any]) -> str:
    if measure["counted"] == 0:
        return "no cases counted"
    return (f"{measure['met']:,} of {measure['counted']:,} met ({measure['percent_met']:.1f}%), "
            f"{measure['breached']:,} breached")


def _heading(summary: dict[str, Any]) -> list[str]:
    ret = summary["return"]
    authority = f", local authority {ret['local_authority']}" if ret["local_authority"] else ""
    pseudonyms = " Children are shown by pseudonym." if ret["pseudonymised"] else ""
    cases = summary["cases"]
    return [
        f"SEN2 return {ret['year']}{authority}: {ret['path']}",
        f"Reporting year {ret['period']['from']} to {ret['period']['to']}; judged as of {summary['as_of']} by "
        f"{summary['standards']['id']} {summary['standards']['version']}.{pseudonyms}",
        f"Cases (one per request): {cases['total']:,}; judged {cases['judged']:,}; could not be read "
        f"{cases['could_not_be_read']:,}.",
    ]


def _text(summary: dict[str, Any]) -> str:
    out = [*_heading(summary), ""]
    for m in summary["measures"]:
        out += [f"{m['title']} [{m['rule']}]", f"  {_rate(m)}", f"  ({m['source']})"]
        if m["not_judged"]:
            out.append(f"  could not be judged: {len(m['not_judged']):,}")
        out += [f"  breach: {b['case']}{' (' + b['note'] + ')' if 'note' in b else ''}  {b['explain']}"
                for b in m["breaches"]]
        out += [f"  not judged: {b['case']}: {b['reason']}  {b['explain']}" for b in m["not_judged"]]
        out.append("")
    for listed in summary["overdue"]:
        out.append(f"{listed['title']} [{listed['rule']}]: {len(listed['cases']):,} (not in DfE's rates)")
        out += [f"  overdue: {c['case']}  {c['explain']}" for c in listed["cases"]]
        out.append("")
    if summary["could_not_be_read"]:
        out.append(f"Cases that could not be read: {len(summary['could_not_be_read']):,}")
        out += [f"  record {c['record']}: {c['reason']}" for c in summary["could_not_be_read"]]
        out.append("")
    out.append("Judged from SEN2: " + ", ".join(summary["judged_rules"]) + ".")
    out.append(f"Not judged from SEN2 ({len(summary['not_judged_from_sen2'])} rules), because the return does not "
               "record what they need:")
    out += [f"  {r['rule']}: {r['needs']}" for r in summary["not_judged_from_sen2"]]
    out += ["", "How nis counts, and how that may differ from DfE:"] + [f"  - {note}" for note in summary["counting"]]
    return "\n".join(out) + "\n"


def _cases_table(rows: list[dict[str, Any]], with_reason: bool = False) -> str:
    if not rows:
        return ""
    head = "<tr><th>Case</th><th>Record</th>" + ("<th>Why</th>" if with_reason else "<th>Note</th>") + \
        "<th>Explanation</th></tr>"
    body = "".join(
        f"<tr><td>{escape(r['case'])}</td><td>{r['record']}</td>"
        f"<td>{escape(r.get('reason', '') if with_reason else r.get('note', ''))}</td>"
        f"<td><code>{escape(r['explain'])}</code></td></tr>" for r in rows)
    return f"<table>{head}{body}</table>"


def _html(summary: dict[str, Any]) -> str:
    from .report import _page  # the report pages' layout and print styles

    parts = ["<h1>SEN2 caseload</h1>"] + [f"<p>{escape(line)}</p>" for line in _heading(summary)]
    for m in summary["measures"]:
        parts.append(f"<section><h2>{escape(m['title'])}</h2><p><strong>{escape(_rate(m))}</strong> "
                     f"<span>({escape(m['rule'])})</span></p><p>{escape(m['source'])}</p>")
        parts.append(_cases_table(m["breaches"]))
        if m["not_judged"]:
            parts.append(f"<h3>Could not be judged ({len(m['not_judged']):,})</h3>")
            parts.append(_cases_table(m["not_judged"], with_reason=True))
        parts.append("</section>")
    parts.extend(f"<section><h2>{escape(listed['title'])}</h2><p>{len(listed['cases']):,} (not in DfE's rates)</p>"
                 + _cases_table(listed["cases"]) + "</section>" for listed in summary["overdue"])
    if summary["could_not_be_read"]:
        rows = "".join(f"<li>Record {c['record']}: {escape(c['reason'])}</li>" for c in summary["could_not_be_read"])
        parts.append(f"<section><h2>Cases that could not be read</h2><ul>{rows}</ul></section>")
    rules = "".join(f"<li><strong>{escape(r['rule'])}</strong> {escape(r['title'])}: needs {escape(r['needs'])}</li>"
                    for r in summary["not_judged_from_sen2"])
    parts.append(f"<section><h2>What an SEN2 return cannot show</h2><p>Judged from SEN2: "
                 f"{escape(', '.join(summary['judged_rules']))}. Not judged, because the return does not record what "
                 f"they need:</p><ul>{rules}</ul></section>")
    notes = "".join(f"<li>{escape(n)}</li>" for n in summary["counting"])
    parts.append(f"<section><h2>How nis counts, and how that may differ from DfE</h2><ul>{notes}</ul></section>")
    return _page(f"SEN2 caseload {summary['return']['year']}", "\n".join(parts) + "\n")
