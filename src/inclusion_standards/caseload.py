"""A local authority's caseload, judged from its SEN2 return: the batch's inputs and its summary.

`batch_items` turns an SEN2 return's cases into batch inputs (one per request). `summarise`
reads the return again beside the batch's records, in step, and counts the measures DfE
publishes from SEN2 (decisions whether to assess within 6 weeks, decisions not to issue
within 16 weeks, new plans within 20 weeks with and without exceptions, review decisions
within 4 weeks) from each child's judged findings: how many were counted, met and breached,
the percentage met, and the children behind each breach with the command that explains
their case. It also lists, once, the rules a return cannot feed. `Caseload.write` streams
the summary as text, JSON or a printable HTML page. Memory is flat: the children behind
each count wait in temporary files, not in memory, until the summary is written.
"""
from __future__ import annotations

import io
import os
import shlex
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import IO, Any

import orjson

from .diagnostics import Diagnostic, NisError
from .inputs import Item
from .sen2 import DECIDE_6W, FINAL_20W, JUDGED_RULES, NOT_ISSUE_16W, REVIEW_4W, Sen2Facts, Sen2Return
from .standards import Standards

__all__ = ["Caseload", "CaseloadError", "batch_items", "summarise"]

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


class _Spool:
    """A list of children kept on disk, not in memory: a county's breaches run to tens of
    thousands, and the summary is written from here as often as it is rendered."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115  # closed by Caseload.close
        self.count = 0

    def add(self, entry: dict[str, Any]) -> None:
        self._file.write(orjson.dumps(entry) + b"\n")
        self.count += 1

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            yield orjson.loads(line)
        self._file.seek(0, os.SEEK_END)

    def close(self) -> None:
        self._file.close()


class Caseload:
    """A caseload summary: counters in memory, the children behind them on disk.

    `write(fmt, handle)` streams it as text, JSON or HTML; `to_dict()` gives it whole (for a
    small return, or a test). Close it when done."""

    def __init__(self, ret: Sen2Return, as_of: date, standards: Standards, standards_option: str | None) -> None:
        self.ret, self.as_of, self.standards = ret, as_of, standards
        self._standards_option = standards_option
        self.measures: list[dict[str, Any]] = [
            {"id": m.id, "title": m.title, "rule": m.rule, "source": m.dfe, "counted": 0, "met": 0, "breached": 0,
             "percent_met": None, "breaches": _Spool(), "not_judged": _Spool()} for m in MEASURES]
        self.overdue: list[dict[str, Any]] = [{"id": key, "title": title, "rule": rule, "cases": _Spool()}
                                              for key, title, rule, _ in OVERDUE]
        self.unreadable = _Spool()
        self.cases = 0

    def explain(self, case_id: str, rule: str) -> str:
        """The command that explains one child's case (with KEY for the pseudonymisation key)."""
        words = ["nis", "explain", "--from", "sen2", self.ret.source, "--case", case_id, "--as-of",
                 self.as_of.isoformat(), "--decision", rule]
        if self._standards_option:
            words += ["--standards", self._standards_option]
        command = shlex.join(words)
        return command + " --pseudonymise KEY" if self.ret.pseudonymised else command

    def head(self) -> dict[str, Any]:
        ret, period = self.ret, self.ret.header.period
        return {
            "summary_format": SUMMARY_FORMAT,
            "return": {"path": ret.source, "year": ret.header.year, "local_authority": ret.header.local_authority,
                       "reference_date": ret.header.reference_date.isoformat() if ret.header.reference_date else None,
                       "period": {"from": period[0].isoformat(), "to": period[1].isoformat()},
                       "pseudonymised": ret.pseudonymised},
            "as_of": self.as_of.isoformat(),
            "standards": {"id": self.standards.id, "version": self.standards.version,
                          "sha256": self.standards.sha256},
            "cases": {"total": self.cases, "judged": self.cases - self.unreadable.count,
                      "could_not_be_read": self.unreadable.count},
        }

    def tail(self) -> dict[str, Any]:
        return {"judged_rules": list(JUDGED_RULES), "not_judged_from_sen2": not_judged(self.standards),
                "counting": list(COUNTING)}

    def entries(self, spool: _Spool, rule: str | None) -> Iterator[dict[str, Any]]:
        """The children of one list, each with the command that explains their case."""
        for entry in spool:
            yield {**entry, "explain": self.explain(entry["case"], rule)} if rule else entry

    def to_dict(self) -> dict[str, Any]:
        buffer = io.StringIO()
        self._json(buffer)
        return orjson.loads(buffer.getvalue())  # type: ignore[no-any-return]

    def write(self, fmt: str, handle: IO[str]) -> None:
        """Stream the summary as `text`, `json` or `html` (one printable page)."""
        if fmt == "json":
            self._json(handle)
        elif fmt == "html":
            _html(self, handle)
        else:
            _text(self, handle)

    def close(self) -> None:
        for m in self.measures:
            m["breaches"].close()
            m["not_judged"].close()
        for listed in self.overdue:
            listed["cases"].close()
        self.unreadable.close()

    def _json(self, out: IO[str]) -> None:
        """The summary as JSON, one child a line, written as it is read from the spools."""
        def dumps(value: Any) -> str:
            return orjson.dumps(value).decode()

        def items(entries: Iterator[dict[str, Any]]) -> None:
            for i, entry in enumerate(entries):
                out.write(("," if i else "") + "\n  " + dumps(entry))

        out.write(dumps(self.head())[:-1] + ', "measures": [')
        for i, m in enumerate(self.measures):
            plain = {k: v for k, v in m.items() if not isinstance(v, _Spool)}
            out.write(("," if i else "") + "\n " + dumps(plain)[:-1] + ', "breaches": [')
            items(self.entries(m["breaches"], m["rule"]))
            out.write('], "not_judged": [')
            items(self.entries(m["not_judged"], m["rule"]))
            out.write("]}")
        out.write('],\n "overdue": [')
        for i, listed in enumerate(self.overdue):
            plain = {k: v for k, v in listed.items() if k != "cases"}
            out.write(("," if i else "") + "\n " + dumps(plain)[:-1] + ', "cases": [')
            items(self.entries(listed["cases"], listed["rule"]))
            out.write("]}")
        out.write('],\n "could_not_be_read": [')
        items(self.entries(self.unreadable, None))
        out.write("],\n " + dumps(self.tail())[1:] + "\n")


def summarise(ret: Sen2Return, records: Path, standards: Standards, as_of: date, *,
              standards_option: str | None = None) -> Caseload:
    """The caseload summary of a batch run on this return: `records` is its JSON Lines output.
    Raises CaseloadError when the records are not a complete run on this return."""
    period = ret.header.period
    limit = standards.parameters_on(as_of)["review_decision_limit"].value
    caseload = Caseload(ret, as_of, standards, standards_option)

    def entry(case_id: str, number: int, line: int, **more: str) -> dict[str, Any]:
        out: dict[str, Any] = {"case": case_id, "record": number}
        if not ret.pseudonymised:
            out["line"] = line
        out.update(more)
        return out

    results = _records(records)
    try:
        for case in ret:
            caseload.cases += 1
            record = next(results, None)
            if record is None or record.get("record") != case.number or record["input"].get("line") != case.line:
                raise CaseloadError([Diagnostic(
                    "error", "NIS-R301", f"the results in {records} do not match the return: record {case.number} "
                    "is missing or is for another case", source=str(records),
                    hint="summarise the results of a complete run on this return, with the same --pseudonymise key")])
            result = record.get("result")
            if result is None or case.facts is None or case.case_id is None:
                caseload.unreadable.add({"record": case.number, **({} if ret.pseudonymised else {"line": case.line}),
                                         **({"case": case.case_id} if case.case_id else {}),
                                         "reason": record.get("error", {}).get("reason", "")})
                continue
            findings = {f["rule"]: f for f in result["findings"]}
            for measure, counted in zip(MEASURES, caseload.measures, strict=True):
                if not measure.counts(case.facts, period, as_of, limit):
                    continue
                finding = findings.get(measure.rule)
                status = finding["status"] if finding else "not_applicable"
                if status in MET:
                    counted["met"] += 1
                elif status in BREACHED:
                    counted["breached"] += 1
                    flagged = measure.rule == FINAL_20W and case.facts.exceptions_apply
                    counted["breaches"].add(entry(case.case_id, case.number, case.line, **(
                        {"note": "exception claimed (Week20 = 1), reason not recorded"} if flagged else {})))
                else:
                    reason = (finding or {}).get("message") or "the rule does not apply to what the return records"
                    counted["not_judged"].add(entry(case.case_id, case.number, case.line, reason=reason))
            for (_, _, rule, waiting), listed in zip(OVERDUE, caseload.overdue, strict=True):
                finding = findings.get(rule)
                if finding is not None and finding["status"] == "fail" and waiting(case.facts):
                    listed["cases"].add(entry(case.case_id, case.number, case.line))
        if next(results, None) is not None:
            raise CaseloadError([Diagnostic("error", "NIS-R301", f"the results in {records} have more records than "
                                            "the return has cases", source=str(records))])
    except BaseException:
        caseload.close()
        raise
    for counted in caseload.measures:
        counted["counted"] = counted["met"] + counted["breached"]
        counted["percent_met"] = _percent(counted["met"], counted["counted"])
    return caseload


# ---- rendering -------------------------------------------------------------------------------

def _rate(measure: dict[str, Any]) -> str:
    if measure["counted"] == 0:
        return "no cases counted"
    return (f"{measure['met']:,} of {measure['counted']:,} met ({measure['percent_met']:.1f}%), "
            f"{measure['breached']:,} breached")


def _heading(head: dict[str, Any]) -> list[str]:
    ret = head["return"]
    authority = f", local authority {ret['local_authority']}" if ret["local_authority"] else ""
    pseudonyms = " Children are shown by pseudonym." if ret["pseudonymised"] else ""
    cases = head["cases"]
    return [
        f"SEN2 return {ret['year']}{authority}: {ret['path']}",
        f"Reporting year {ret['period']['from']} to {ret['period']['to']}; judged as of {head['as_of']} by "
        f"{head['standards']['id']} {head['standards']['version']}.{pseudonyms}",
        f"Cases (one per request): {cases['total']:,}; judged {cases['judged']:,}; could not be read "
        f"{cases['could_not_be_read']:,}.",
    ]


def _text(caseload: Caseload, out: IO[str]) -> None:
    def line(text: str = "") -> None:
        out.write(text + "\n")

    for text in _heading(caseload.head()):
        line(text)
    line()
    for m in caseload.measures:
        line(f"{m['title']} [{m['rule']}]")
        line(f"  {_rate(m)}")
        line(f"  ({m['source']})")
        if m["not_judged"].count:
            line(f"  could not be judged: {m['not_judged'].count:,}")
        for b in caseload.entries(m["breaches"], m["rule"]):
            line(f"  breach: {b['case']}{' (' + b['note'] + ')' if 'note' in b else ''}  {b['explain']}")
        for b in caseload.entries(m["not_judged"], m["rule"]):
            line(f"  not judged: {b['case']}: {b['reason']}  {b['explain']}")
        line()
    for listed in caseload.overdue:
        line(f"{listed['title']} [{listed['rule']}]: {listed['cases'].count:,} (not in DfE's rates)")
        for c in caseload.entries(listed["cases"], listed["rule"]):
            line(f"  overdue: {c['case']}  {c['explain']}")
        line()
    if caseload.unreadable.count:
        line(f"Cases that could not be read: {caseload.unreadable.count:,}")
        for c in caseload.unreadable:
            line(f"  record {c['record']}: {c['reason']}")
        line()
    tail = caseload.tail()
    line("Judged from SEN2: " + ", ".join(tail["judged_rules"]) + ".")
    line(f"Not judged from SEN2 ({len(tail['not_judged_from_sen2'])} rules), because the return does not record "
         "what they need:")
    for r in tail["not_judged_from_sen2"]:
        line(f"  {r['rule']}: {r['needs']}")
    line()
    line("How nis counts, and how that may differ from DfE:")
    for note in tail["counting"]:
        line(f"  - {note}")


def _cases_table(rows: Iterator[dict[str, Any]], out: IO[str], with_reason: bool = False) -> None:
    head = ("<table><tr><th>Case</th><th>Record</th>" + ("<th>Why</th>" if with_reason else "<th>Note</th>")
            + "<th>Explanation</th></tr>")
    started = False
    for r in rows:
        if not started:
            out.write(head)
            started = True
        out.write(f"<tr><td>{escape(r['case'])}</td><td>{r['record']}</td>"
                  f"<td>{escape(r.get('reason', '') if with_reason else r.get('note', ''))}</td>"
                  f"<td><code>{escape(r['explain'])}</code></td></tr>\n")
    if started:
        out.write("</table>\n")


def _html(caseload: Caseload, out: IO[str]) -> None:
    from .report import Html, _page  # the report pages' layout and print styles

    head = caseload.head()
    before, after = _page(f"SEN2 caseload {head['return']['year']}", Html("\0")).split("\0")
    out.write(before + "<h1>SEN2 caseload</h1>\n")
    out.writelines(f"<p>{escape(line)}</p>\n" for line in _heading(head))
    for m in caseload.measures:
        out.write(f"<section><h2>{escape(m['title'])}</h2><p><strong>{escape(_rate(m))}</strong> "
                  f"<span>({escape(m['rule'])})</span></p><p>{escape(m['source'])}</p>\n")
        _cases_table(caseload.entries(m["breaches"], m["rule"]), out)
        if m["not_judged"].count:
            out.write(f"<h3>Could not be judged ({m['not_judged'].count:,})</h3>\n")
            _cases_table(caseload.entries(m["not_judged"], m["rule"]), out, with_reason=True)
        out.write("</section>\n")
    for listed in caseload.overdue:
        out.write(f"<section><h2>{escape(listed['title'])}</h2><p>{listed['cases'].count:,} "
                  "(not in DfE's rates)</p>\n")
        _cases_table(caseload.entries(listed["cases"], listed["rule"]), out)
        out.write("</section>\n")
    if caseload.unreadable.count:
        out.write("<section><h2>Cases that could not be read</h2><ul>\n")
        out.writelines(f"<li>Record {c['record']}: {escape(c['reason'])}</li>\n" for c in caseload.unreadable)
        out.write("</ul></section>\n")
    tail = caseload.tail()
    rules = "".join(f"<li><strong>{escape(r['rule'])}</strong> {escape(r['title'])}: needs {escape(r['needs'])}</li>"
                    for r in tail["not_judged_from_sen2"])
    out.write(f"<section><h2>What an SEN2 return cannot show</h2><p>Judged from SEN2: "
              f"{escape(', '.join(tail['judged_rules']))}. Not judged, because the return does not record what "
              f"they need:</p><ul>{rules}</ul></section>\n")
    notes = "".join(f"<li>{escape(n)}</li>" for n in tail["counting"])
    out.write(f"<section><h2>How nis counts, and how that may differ from DfE</h2><ul>{notes}</ul></section>\n")
    out.write(after)
