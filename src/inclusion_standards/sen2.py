"""Reading an SEN2 return: the person-level data a local authority sends DfE each January.

In: an SEN2 XML return (the 2023 to 2026 person-level collections). Out: one case for each
request for an EHC needs assessment (`<Requests>`), as an EHCP document whose `process`
holds the dates and decisions the return records and whose content sections are absent,
with the rules that return can feed (`Sen2Case.only`) and the case's identity. A person
with no request is one case with a problem. docs/sen2.md says which items are read.

The XML is read streaming (lxml `iterparse`, each person dropped once read), so memory
does not grow with the return. The parser never loads a DTD, never resolves an entity and
never touches the network, and a return that declares a DTD is refused outright: an SEN2
return has none, so one that does is either broken or an attack (billion laughs, external
entities). A return that is not well-formed is refused with the line of the first error.

Privacy: only the items listed in `ITEMS` are read. Names, sex, ethnicity, postcode and
placement details are never read. The date of birth is read because the EHCP format needs
it; it stays inside the document, and no rule judged from SEN2 reads it.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import orjson

from .diagnostics import Diagnostic, NisError, Span

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["ITEMS", "JUDGED_RULES", "SUPPORTED_YEARS", "Sen2Case", "Sen2Error", "Sen2Facts", "Sen2Header",
           "Sen2Return", "load_sen2"]

SUPPORTED_YEARS = (2023, 2024, 2025, 2026)
MIN_KEY_LENGTH = 16  # a short key lets anyone with the return try keys until the pseudonyms match

# The rules an SEN2 return can feed: every fact they read is in the return. Which of them a
# case gets depends on how far its request went (see `_judged`).
DECIDE_6W, NOT_ISSUE_16W, FINAL_20W, REVIEW_4W = (
    "EHCP-T-DECIDE-6W", "EHCP-T-NOT-ISSUE-16W", "EHCP-T-FINAL-20W", "EHCP-REVIEW-DECISION-4W")
JUDGED_RULES = (DECIDE_6W, NOT_ISSUE_16W, FINAL_20W, REVIEW_4W)

# The SEN2 items nis reads: (parent element, element) -> (first year it is collected, kind).
# Kind is "date", "text" or the codes allowed. Everything else in the return is passed over.
ITEMS: dict[tuple[str, str], tuple[int, str | frozenset[str]]] = {
    ("Person", "UPN"): (2023, "text"),
    ("Person", "UniqueLearnerNumber"): (2023, "text"),
    ("Person", "PersonBirthDate"): (2023, "date"),
    ("Requests", "ReceivedDate"): (2023, "date"),
    ("Requests", "RequestOutcomeDate"): (2023, "date"),
    ("Requests", "RequestOutcome"): (2023, frozenset("YNAWH")),
    ("Assessment", "AssessmentOutcome"): (2023, frozenset("YNAWH")),
    ("Assessment", "AssessmentOutcomeDate"): (2023, "date"),
    ("Assessment", "Week20"): (2023, frozenset("01")),
    ("NamedPlan", "StartDate"): (2023, "date"),
    ("NamedPlan", "CeaseDate"): (2023, "date"),
    ("ActivePlans", "ReviewMeeting"): (2024, "date"),
    ("ActivePlans", "ReviewOutcome"): (2024, frozenset("ACM")),
    ("ActivePlans", "LastReview"): (2023, "date"),
}
CODE_MEANINGS = {
    "RequestOutcome": {"Y": "the authority went ahead with an assessment", "N": "it decided not to assess",
                       "A": "no decision yet", "W": "the request was withdrawn before a decision",
                       "H": "the decision was made before this return's year"},
    "AssessmentOutcome": {"Y": "a plan would be issued", "N": "no plan would be issued", "A": "no decision yet",
                          "W": "withdrawn before a decision", "H": "decided before this return's year, or a "
                          "plan transferred from another authority"},
    "Week20": {"1": "exceptions apply", "0": "no exception applies"},
    "ReviewOutcome": {"A": "amend", "C": "cease", "M": "maintain"},
}
_REVIEW_OUTCOMES = {"A": "amend", "C": "cease", "M": "maintain"}
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?")
# The prolog: a byte-order mark, an XML declaration, comments, processing instructions and
# white space, then a DOCTYPE; read from the first PROLOG_BYTES of the file.
_PROLOG_DTD = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)
PROLOG_BYTES = 65536


class Sen2Error(NisError):
    """The return as a whole cannot be read: not found, not well-formed, a DTD, not an SEN2
    return, or a year nis does not read."""


@dataclass(frozen=True, slots=True)
class Sen2Header:
    """What the return says about itself."""

    year: int
    reference_date: date | None
    local_authority: str | None

    @property
    def period(self) -> tuple[date, date]:
        """The calendar year the return reports on: the year before the collection (the
        January 2025 return covers requests and decisions in 2024)."""
        return date(self.year - 1, 1, 1), date(self.year - 1, 12, 31)


@dataclass(frozen=True, slots=True)
class Sen2Facts:
    """The SEN2 items a caseload summary counts by (codes and dates; nothing personal)."""

    request_outcome: str | None
    request_outcome_date: date | None
    assessment_outcome: str | None
    assessment_outcome_date: date | None
    exceptions_apply: bool
    review_meeting: date | None


@dataclass(frozen=True, slots=True)
class Sen2Case:
    """One request for an EHC needs assessment, or a person with none (a problem).

    `number` counts cases from 1 in return order; `line` is where the case starts in the
    return. `document` is the EHCP document (None when `problem` says why there is none);
    `only` names the rules this case can feed."""

    number: int
    line: int
    case_id: str | None
    document: dict[str, Any] | None
    only: frozenset[str]
    facts: Sen2Facts | None
    problem: tuple[Diagnostic, ...] | None

    def raw(self) -> bytes | None:
        """The document as canonical JSON bytes (sorted keys): what a batch judges and hashes."""
        if self.document is None:
            return None
        return orjson.dumps(self.document, option=orjson.OPT_SORT_KEYS)


class Sen2Return:
    """An SEN2 return on disk: its header, read when opened, and its cases, read lazily
    (each iteration reads the file again, streaming).

    `pseudonymise` is a key: each child's identifier (UPN, else ULN, else their place in the
    return) is replaced by a keyed hash of it, the same for the same key."""

    def __init__(self, path: str | os.PathLike[str], *, pseudonymise: str | None = None) -> None:
        self.path = Path(path)
        self.source = str(path)
        if pseudonymise is not None and len(pseudonymise) < MIN_KEY_LENGTH:
            raise Sen2Error([Diagnostic(
                "error", "NIS-R201", f"the pseudonymisation key is {len(pseudonymise)} characters long; it needs "
                f"at least {MIN_KEY_LENGTH}", hint="make one with: python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(24))', and keep it as secret as the return")])
        self._key = pseudonymise.encode("utf-8") if pseudonymise is not None else None
        self.header = next(self._walk(header_only=True))[0]

    @property
    def pseudonymised(self) -> bool:
        return self._key is not None

    def count(self) -> int:
        """How many cases the return holds, reading it all once: a return that is not
        well-formed is refused here, before anything is judged."""
        return sum(max(1, len(_children(person, "Requests"))) for _, person in self._walk())

    def __iter__(self) -> Iterator[Sen2Case]:
        number = 0
        for ordinal, (header, person) in enumerate(self._walk(), 1):
            for case in self._cases(header, person, ordinal, number):
                number += 1
                yield case

    def case(self, case_id: str) -> Sen2Case | None:
        """The case with this id, or None."""
        return next((c for c in self if c.case_id == case_id), None)

    # ---- reading -------------------------------------------------------------------------

    def _walk(self, header_only: bool = False) -> Iterator[tuple[Sen2Header, etree._Element]]:
        """Each <Person>, with the header, streaming; with `header_only`, the header alone."""
        from lxml import etree

        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise Sen2Error([Diagnostic("error", "NIS-R001", f"cannot read the return: {exc.strerror or exc}",
                                        source=self.source)]) from None
        header: Sen2Header | None = None
        checked = False
        with handle:
            if _PROLOG_DTD.match(handle.read(PROLOG_BYTES)):
                self._refuse_dtd(None)
            handle.seek(0)
            context = etree.iterparse(handle, events=("end",), tag=("{*}Header", "{*}Person"),
                                      resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                                      remove_comments=True, remove_pis=True)
            try:
                for _, element in context:
                    if not checked:
                        self._refuse_dtd(element)
                        checked = True
                    if _local(element.tag) == "Header":
                        header = self._header(element)
                        if header_only:
                            yield header, element
                            return
                        continue
                    if header is None:
                        self._no_header(element.sourceline)
                    yield header, element
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]  # type: ignore[union-attr]  # a Person always has a parent
            except etree.XMLSyntaxError as exc:
                line, column = exc.position if exc.position else (exc.lineno or 1, 1)
                raise Sen2Error([Diagnostic(
                    "error", "NIS-R002", f"the return is not well-formed XML: {exc.msg}", source=self.source,
                    span=Span(line, max(1, column)),
                    hint="the file may be cut short or edited by hand: export the return again from the "
                         "case-management system")]) from None
            if not checked and context.root is not None:
                self._refuse_dtd(context.root)
        if header_only or header is None:
            self._no_header(1)

    def _refuse_dtd(self, element: etree._Element | None) -> None:
        """Refuse a return that declares a DTD: found in the prolog before parsing (so the
        parser never meets its entities), or, past a very long prolog, by the parser."""
        info = element.getroottree().docinfo if element is not None else None
        if info is None or info.internalDTD is not None or info.externalDTD is not None or info.system_url \
                or info.public_id:
            raise Sen2Error([Diagnostic(
                "error", "NIS-R003", "the return declares a DTD (<!DOCTYPE ...>), which nis refuses: an SEN2 "
                "return has none, and a DTD can define entities that expand without limit or read other files",
                source=self.source, span=Span(1, 1),
                hint="export the return again from the case-management system; do not add a DOCTYPE")])

    def _no_header(self, line: int | None) -> NoReturn:
        raise Sen2Error([Diagnostic(
            "error", "NIS-R004", "this is not an SEN2 return: it has no <Header> with the collection's "
            "<CollectionDetails><Year>", source=self.source, span=Span(line or 1, 1),
            hint="give the SEN2 person-level XML return as exported for DfE's COLLECT")])

    def _header(self, element: etree._Element) -> Sen2Header:
        details = _child(element, "CollectionDetails")
        if details is None:
            self._no_header(element.sourceline)
        source = _child(element, "Source")
        lea_element = _child(source, "LEA")
        lea = (lea_element.text or "").strip() or None if lea_element is not None else None
        fields = {_local(child.tag): (child.text or "").strip() for child in details}
        where = Span(details.sourceline or 1, 1)
        collection = fields.get("Collection")
        if collection and collection != "SEN2":
            raise Sen2Error([Diagnostic("error", "NIS-R004", f"this is a `{collection}` return, not SEN2",
                                        source=self.source, span=where)])
        year_text = fields.get("Year", "")
        if not year_text.isdigit():
            raise Sen2Error([Diagnostic(
                "error", "NIS-R004", "the return does not say which year's collection it is (<Year>)"
                if not year_text else f"the return's <Year> is `{year_text}`, not a year", source=self.source,
                span=where, hint="the header's CollectionDetails holds the year, e.g. <Year>2025</Year>")])
        year = int(year_text)
        if year not in SUPPORTED_YEARS:
            raise Sen2Error([Diagnostic(
                "error", "NIS-R005", f"nis does not read SEN2 returns for {year}: it reads the person-level "
                f"returns for {', '.join(map(str, SUPPORTED_YEARS[:-1]))} and {SUPPORTED_YEARS[-1]}",
                source=self.source, span=where,
                hint="before 2023 the return was aggregate (or a voluntary pilot with another layout); a newer "
                     "year needs a nis that knows its items")])
        reference = fields.get("ReferenceDate")
        reference_date = _parse_date(reference) if reference else None
        if reference and reference_date is None:
            raise Sen2Error([Diagnostic("error", "NIS-R004", f"the return's <ReferenceDate> is `{reference}`, not a "
                                        "date written YYYY-MM-DD", source=self.source, span=where)])
        return Sen2Header(year, reference_date, lea)

    # ---- mapping ---------------------------------------------------------------------------

    def _cases(self, header: Sen2Header, person: etree._Element, ordinal: int,
               done: int) -> Iterator[Sen2Case]:
        problems: list[Diagnostic] = []
        own = self._items(person, "Person", header.year, problems)
        child_id = self._child_id(own, ordinal)
        requests = _children(person, "Requests")
        if not requests:
            yield Sen2Case(done + 1, person.sourceline or 0, None, None, frozenset(), None, (Diagnostic(
                "error", "NIS-R103", f"person {ordinal} ({child_id}) has no <Requests>: there is nothing to "
                "judge", source=self.source, span=Span(person.sourceline or 1, 1),
                hint="every person in an SEN2 return has at least one request for assessment"),))
            return
        for k, request in enumerate(requests, 1):
            case_problems = list(problems)
            line = request.sourceline or 0
            case_id = f"{child_id}/R{k}"
            document, only, facts = self._map(header, own, request, child_id, case_id, case_problems)
            if own.get("PersonBirthDate") is None and not any(p.code == "NIS-R101" for p in problems):
                case_problems.append(Diagnostic(
                    "error", "NIS-R102", "the person has no <PersonBirthDate>, which an EHCP records",
                    source=self.source, span=Span(person.sourceline or 1, 1),
                    hint="DfE requires the date of birth for every person in the return"))
            if case_problems:
                yield Sen2Case(done + k, line, case_id, None, frozenset(), facts, tuple(case_problems))
            else:
                yield Sen2Case(done + k, line, case_id, document, only, facts, None)

    def _child_id(self, own: dict[str, Any], ordinal: int) -> str:
        reference = (f"UPN-{own['UPN']}" if own.get("UPN") else
                     f"ULN-{own['UniqueLearnerNumber']}" if own.get("UniqueLearnerNumber") else f"PERSON-{ordinal}")
        if self._key is None:
            return reference
        return "P-" + hmac.new(self._key, reference.encode("utf-8"), hashlib.sha256).hexdigest()[:16]

    def _items(self, element: etree._Element | None, parent: str, year: int,
               problems: list[Diagnostic]) -> dict[str, Any]:
        """The items nis reads from one element, checked; a bad value is a problem."""
        found: dict[str, Any] = {}
        if element is None:
            return found
        for child in element:
            name = _local(child.tag)
            item = ITEMS.get((parent, name))
            if item is None or year < item[0]:
                continue
            text = (child.text or "").strip()
            kind = item[1]
            where = Span(child.sourceline or 1, 1)
            if not text:
                continue
            if kind == "date":
                value = _parse_date(text)
                if value is None:
                    problems.append(Diagnostic(
                        "error", "NIS-R101", f"<{name}> is not a date: `{_shown(text, name)}`", source=self.source,
                        span=where, expected="a date written YYYY-MM-DD, e.g. 2024-03-14",
                        hint="SEN2 dates are XML dates (YYYY-MM-DD); the day must exist"))
                    continue
                found[name] = value
            elif isinstance(kind, frozenset):
                if text not in kind:
                    meanings = CODE_MEANINGS.get(name, {})
                    codes = (f"`{c}`" + (f" ({meanings[c]})" if c in meanings else "") for c in sorted(kind))
                    problems.append(Diagnostic(
                        "error", "NIS-R104", f"<{name}> cannot be `{_shown(text, name)}`", source=self.source,
                        span=where, expected="one of " + ", ".join(codes)))
                    continue
                found[name] = text
            else:
                found[name] = text
        return found

    def _map(self, header: Sen2Header, own: dict[str, Any], request: etree._Element, child_id: str,
             case_id: str, problems: list[Diagnostic]) -> tuple[dict[str, Any], frozenset[str], Sen2Facts]:
        year = header.year
        asked = self._items(request, "Requests", year, problems)
        assessment = _child(request, "Assessment")
        assessed = self._items(assessment, "Assessment", year, problems)
        plan = self._items(_child(assessment, "NamedPlan") if assessment is not None else None, "NamedPlan",
                           year, problems)
        active = self._items(_child(request, "ActivePlans"), "ActivePlans", year, problems)

        request_outcome, assessment_outcome = asked.get("RequestOutcome"), assessed.get("AssessmentOutcome")
        decided: date | None = asked.get("RequestOutcomeDate")
        outcome_date: date | None = assessed.get("AssessmentOutcomeDate")
        process: dict[str, Any] = {}
        _put(process, "request_received", asked.get("ReceivedDate"))
        if request_outcome in ("Y", "N"):
            process["assessment_decision"] = "assess" if request_outcome == "Y" else "refuse"
            _put(process, "decision_to_assess", decided)
        if assessment_outcome == "Y":
            process["issue_decision"] = "issue"
            _put(process, "final_issued", outcome_date)
        elif assessment_outcome == "N":
            process["issue_decision"] = "not_issue"
            _put(process, "issue_decision_notified", outcome_date)
        _put(process, "plan_date", plan.get("StartDate"))
        exceptions_apply = assessed.get("Week20") == "1"
        if exceptions_apply:
            # The flag says an exception applied, not which or when: a claim whose reason is
            # not recorded, which the standards never let excuse a delay.
            process["exceptions"] = [{"limit": "final_plan"}]
        meeting: date | None = active.get("ReviewMeeting")
        if meeting is not None:
            review: dict[str, Any] = {"date": meeting.isoformat()}
            if "ReviewOutcome" in active:
                review["outcome"] = _REVIEW_OUTCOMES[active["ReviewOutcome"]]
            notified: date | None = active.get("LastReview")
            if notified is not None and notified >= meeting:  # an earlier date is an earlier review's decision
                review["decision_notified"] = notified.isoformat()
            process["annual_reviews"] = [review]
        has_plan = assessment_outcome in ("Y", "H") or "ActivePlans" in {_local(c.tag) for c in request}
        status = "ceased" if "CeaseDate" in plan else "final" if has_plan else "draft"
        dob: date | None = own.get("PersonBirthDate")
        child: dict[str, Any] = {"id": child_id}
        if dob is not None:
            child["dob"] = dob.isoformat()
            child["year_group"] = _year_group(dob, header.reference_date or date(year, 1, 15))
        document: dict[str, Any] = {"document_type": "ehcp", "id": case_id, "child": child, "status": status,
                                    "sections": {}, "process": process}
        if header.local_authority:
            document["local_authority"] = header.local_authority
        facts = Sen2Facts(request_outcome, decided, assessment_outcome, outcome_date, exceptions_apply, meeting)
        return document, _judged(request_outcome, assessment_outcome, meeting is not None), facts


def load_sen2(path: str | os.PathLike[str], *, pseudonymise: str | None = None) -> Sen2Return:
    """An SEN2 return: `.header` (year, reference date, authority) read now; iterate it for
    its cases, one per request, each with its EHCP document and identity.

        ret = load_sen2("sen2_2025.xml")
        for case in ret:
            result = check(case.document, as_of=ret.header.reference_date, only=case.only)

    Raises Sen2Error when the file cannot be read, is not well-formed (when the header is
    read, or later while iterating), declares a DTD, or is not a return for a year nis reads.
    """
    return Sen2Return(path, pseudonymise=pseudonymise)


def _judged(request_outcome: str | None, assessment_outcome: str | None, reviewed: bool) -> frozenset[str]:
    """The rules a case can feed, from how far its request went. A withdrawn request (W) is
    left out of the limits it stopped, because the return does not say when it was
    withdrawn; a decision made before the return's year (H) is outside it."""
    rules = set()
    if request_outcome in ("Y", "N", "A"):
        rules.add(DECIDE_6W)
    if assessment_outcome == "N":
        rules.add(NOT_ISSUE_16W)
    if assessment_outcome == "Y" or (assessment_outcome in ("A", None) and request_outcome in ("Y", "H", "A")):
        rules.add(FINAL_20W)
    if reviewed:
        rules.add(REVIEW_4W)
    return frozenset(rules)


def _year_group(dob: date, on: date) -> int:
    """The national curriculum year group on a date (age on 31 August before the school
    year, minus 4), held to the range the EHCP format allows (-1 to 14)."""
    start = on.year if on.month >= 9 else on.year - 1
    born_after_august = (dob.month, dob.day) > (8, 31)
    age = start - dob.year - born_after_august
    return max(-1, min(14, age - 4))


def _parse_date(text: str) -> date | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _shown(text: str, name: str) -> str:
    """A bad value as a message may quote it: short, and never a date of birth."""
    if name == "PersonBirthDate":
        return "(not shown: a date of birth)"
    return text if len(text) <= 40 else text[:37] + "..."


def _put(process: dict[str, Any], key: str, value: date | None) -> None:
    if value is not None:
        process[key] = value.isoformat()


def _local(tag: Any) -> str:
    return str(tag).rpartition("}")[2]


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    return next((child for child in element if _local(child.tag) == name), None)
