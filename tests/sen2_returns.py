"""Synthetic SEN2 returns for tests and benchmarks: invented children, never real ones.

The layout follows the person-level SEN2 data model of each year (the element order of
Social Finance's unofficial XSDs for 2023 to 2026, which follow DfE's technical
specifications): 2023 has GenderCurrent and only LastReview; 2024 adds Sex (replacing
GenderCurrent), ReviewMeeting and ReviewOutcome; 2025 adds RequestSource, ReviewDraft and the
phase-transfer dates; 2026 moves LastReview to the end of ActivePlans. A person is a dict; every item a test does not set
gets an invented value, so a generated return carries the personal items a real one does
(name, sex, ethnicity, postcode) and a test can check that none of them leaks.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

YEARS = (2023, 2024, 2025, 2026)
REFERENCE_DATES = {2023: "2023-01-19", 2024: "2024-01-18", 2025: "2025-01-16", 2026: "2026-01-15"}

# Items of each element, in the order the data model puts them, with the first year each
# is collected (None: every year) and the last (None: still collected).
PERSON = [("Surname", None, None), ("Forename", None, None), ("PersonBirthDate", None, None),
          ("GenderCurrent", None, 2023), ("Sex", 2024, None), ("Ethnicity", None, None), ("PostCode", None, None),
          ("UPN", None, None), ("UniqueLearnerNumber", None, None), ("UPNunknown", None, None)]
REQUEST = [("ReceivedDate", None, None), ("RequestSource", 2025, None), ("RYA", None, None),
           ("RequestOutcomeDate", None, None), ("RequestOutcome", None, None), ("RequestMediation", None, None),
           ("RequestTribunal", None, None), ("Exported", None, None)]
ASSESSMENT = [("AssessmentOutcome", None, None), ("AssessmentOutcomeDate", None, None),
              ("AssessmentMediation", None, None), ("AssessmentTribunal", None, None), ("OtherMediation", None, None),
              ("OtherTribunal", None, None), ("Week20", None, None)]
NAMED_PLAN = [("StartDate", None, None), ("PlanRes", None, None), ("PB", None, None), ("CeaseDate", None, None),
              ("CeaseReason", None, None)]
ACTIVE_2023 = [("SENneed", None, None), ("LastReview", None, None)]
ACTIVE_2024 = [("SENneed", None, None), ("ReviewMeeting", None, None), ("ReviewOutcome", None, None),
               ("LastReview", None, None)]
ACTIVE_2025 = [("SENneed", None, None), ("ReviewMeeting", None, None), ("LastReview", None, None),
               ("ReviewOutcome", None, None), ("ReviewDraft", None, None), ("PhaseTransferDueDate", None, None),
               ("PhaseTransferFinalDate", None, None)]
ACTIVE_2026 = [("SENneed", None, None), ("ReviewMeeting", None, None), ("ReviewOutcome", None, None),
               ("ReviewDraft", None, None), ("PhaseTransferDueDate", None, None),
               ("PhaseTransferFinalDate", None, None), ("LastReview", None, None)]

SECRET_SURNAME = "Zzsyntheticsurname"
SECRET_POSTCODE = "ZZ99 9ZZ"


def _in(year: int, first: int | None, last: int | None) -> bool:
    return (first is None or year >= first) and (last is None or year <= last)


def _items(fields: list, values: dict, year: int, indent: str) -> list[str]:
    out = []
    for name, first, last in fields:
        if name in values and values[name] is not None and _in(year, first, last):
            if name == "SENneed":
                out.append(f"{indent}<SENneed><SENtype>{values[name]}</SENtype><SENtypeRank>1</SENtypeRank></SENneed>")
            else:
                out.append(f"{indent}<{name}>{escape(str(values[name]))}</{name}>")
    return out


def person(n: int, requests: list[dict], **items) -> dict:
    """A person: invented name, sex, ethnicity, postcode, UPN and date of birth, unless given."""
    values = {"Surname": f"{SECRET_SURNAME}{n}", "Forename": f"Child{n}", "PersonBirthDate": "2014-05-06",
              "GenderCurrent": "1", "Sex": "F", "Ethnicity": "NOBT", "PostCode": SECRET_POSTCODE,
              "UPN": f"Z{n:012d}"}
    values.update(items)
    values["requests"] = requests
    return values


def request(received=None, outcome=None, decided=None, *, assessment=None, plan=None, active=None,
            **items) -> dict:
    """A request: `assessment`, `plan` (NamedPlan) and `active` (ActivePlans) are dicts of items."""
    values = {"ReceivedDate": received, "RequestOutcome": outcome, "RequestOutcomeDate": decided,
              "RYA": "0", "RequestSource": "1", "RequestMediation": "0", "RequestTribunal": "0"}
    values.update(items)
    values.update({"assessment": assessment, "plan": plan, "active": active})
    return values


def assessment(outcome, date=None, week20="0") -> dict:
    return {"AssessmentOutcome": outcome, "AssessmentOutcomeDate": date, "AssessmentMediation": "0",
            "AssessmentTribunal": "0", "OtherMediation": "0", "OtherTribunal": "0", "Week20": week20}


def header(year: int, reference: str | None = "default", lea: str = "201") -> str:
    ref = REFERENCE_DATES.get(year, f"{year}-01-16") if reference == "default" else reference
    details = f"<Collection>SEN2</Collection><Year>{year}</Year>"
    if ref is not None:
        details += f"<ReferenceDate>{ref}</ReferenceDate>"
    return (f"<Header><CollectionDetails>{details}</CollectionDetails><Source><SourceLevel>L</SourceLevel>"
            f"<LEA>{lea}</LEA><SoftwareCode>nis tests</SoftwareCode><Release>1</Release><SerialNo>001</SerialNo>"
            f"<DateTime>{REFERENCE_DATES.get(year, '2025-01-16')}T09:00:00</DateTime><DMO>Y</DMO><DCO>Y</DCO>"
            "</Source></Header>")


def person_xml(p: dict, year: int) -> str:
    lines = ["<Person>"] + _items(PERSON, p, year, "  ")
    active_fields = {2023: ACTIVE_2023, 2024: ACTIVE_2024, 2025: ACTIVE_2025}.get(year, ACTIVE_2026)
    for r in p["requests"]:
        lines.append("  <Requests>")
        lines += _items(REQUEST, r, year, "    ")
        if r["assessment"] is not None or r["plan"] is not None:
            lines.append("    <Assessment>")
            lines += _items(ASSESSMENT, r["assessment"] or {}, year, "      ")
            if r["plan"] is not None:
                lines.append("      <NamedPlan>")
                lines += _items(NAMED_PLAN, r["plan"], year, "        ")
                lines.append("      </NamedPlan>")
            lines.append("    </Assessment>")
        if r["active"] is not None:
            lines.append("    <ActivePlans>")
            lines += _items(active_fields, {"SENneed": "ASD", **r["active"]}, year, "      ")
            lines.append("    </ActivePlans>")
        lines.append("  </Requests>")
    lines.append("</Person>")
    return "\n".join(lines)


def return_xml(year: int, people: list[dict], **header_options) -> str:
    body = "\n".join(person_xml(p, year) for p in people)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n{header(year, **header_options)}\n<Persons>\n'
            f"{body}\n</Persons>\n</Message>\n")


def write_return(path, year: int, people: list[dict], **header_options) -> str:
    text = return_xml(year, people, **header_options)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return text
