"""The public API: what the CLI, the tests and any embedding program call.

    library = load_standards()                       # or load_standards("standards/")
    result = check("plan.yaml", standards=library, as_of=date(2030, 6, 1))
    print(render(result, "text"))

A document is a path, raw bytes, a `LoadedDocument`, or the plan itself as a mapping (the
JSON data of an ISP or EHCP, dates as `date` objects or YYYY-MM-DD); the as-of date is a
`date`, a `datetime` (its day) or an ISO text (YYYY-MM-DD).
`check` returns the typed result (`results.Result`, the shape of
schemas/result.schema.json); `explain` is `check` with the full trace of each decision;
`judge` returns outcomes only, for speed; `check_case` judges a child's ISP and EHCP
together. None of them reads the clock: the as-of date is always given. Every function is a
pure function of the document, the standards and the date, so it is safe in process pools
and in distributed workers.
"""
from __future__ import annotations

import json
import math
import os
from collections.abc import Collection, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from .diagnostics import Diagnostic, DocumentError, NisError, StandardsError, closest
from .documents import (
    MAX_DEPTH,
    LoadedDocument,
    PlanSchema,
    detect_document_type,
    load_document,
    valid_for,
    validate_document,
)
from .resources import schemas_dir
from .results import Result
from .standards import Standards, StandardsLibrary, check_standards, load_standards
from .versions import find_version

if TYPE_CHECKING:
    from .sen2 import Sen2Return

__all__ = [
    "Diagnostic",
    "DocumentError",
    "LoadedDocument",
    "NisError",
    "Result",
    "Standards",
    "StandardsError",
    "StandardsLibrary",
    "check",
    "check_case",
    "check_standards",
    "explain",
    "find_version",
    "judge",
    "load_document",
    "load_sen2",
    "load_standards",
    "plan_schemas",
    "render",
    "schema_text",
    "select_standards",
]

DocumentInput = Union[str, "os.PathLike[str]", bytes, LoadedDocument, Mapping[str, Any]]
StandardsInput = Union[StandardsLibrary, Standards, str, "os.PathLike[str]", None]
DateInput = Union[date, str]


def load_sen2(path: str | os.PathLike[str], *, pseudonymise: str | None = None) -> Sen2Return:
    """An SEN2 return: `.header` (year, reference date, authority) read now; iterate it for
    its cases, one per request, each with its EHCP document and identity. Raises Sen2Error as
    `sen2.load_sen2` says. The reader is imported when first called: a check has no need of it."""
    from .sen2 import load_sen2 as load

    return load(path, pseudonymise=pseudonymise)


def _document(document: DocumentInput, schemas: Mapping[str, PlanSchema]) -> LoadedDocument:
    """The document, valid against the plan schema of its type in `schemas` (nis's own, for a
    type not there). A document loaded earlier against another schema is validated again."""
    if isinstance(document, LoadedDocument):
        return valid_for(document, schemas.get(document.document_type))
    if isinstance(document, Mapping):
        data = _plain(document, 0)
        kind = detect_document_type(data)
        schema = schemas.get(kind)
        problems = validate_document(data, kind, source="<document>", schema=schema)
        if problems:
            raise DocumentError(problems)
        return LoadedDocument("<document>", kind, data, None, schema.sha256 if schema is not None else None)
    return load_document(document, schemas=schemas)


def plan_schemas(standards: StandardsInput, as_of: date) -> dict[str, PlanSchema]:
    """By document type, the plan schema a document must match to be judged by `standards` on
    `as_of`, where they bind their own in place of nis's: what `load_document` takes as
    `schemas`. Empty for standards that use nis's own schemas."""
    if isinstance(standards, Standards):
        return dict(standards.plan_schemas)
    library = standards if isinstance(standards, StandardsLibrary) else _cached_library(standards)
    return library.plan_schemas(as_of)


SCHEMA_NAMES = ("isp", "ehcp", "case", "result")


def schema_text(name: str, *, standards: StandardsInput = None, as_of: DateInput | None = None) -> str:
    """The JSON Schema `name` (isp, ehcp, case or result) as text. For a plan, the schema
    `standards` hold plans of that type to on `as_of`: their own where they bind one (written
    out from its JSON), else nis's own file as shipped, which the bundled standards use.
    Raises StandardsError when no standards judge that kind of plan on that date."""
    if name not in SCHEMA_NAMES:
        raise ValueError(f"no schema named {name!r}: choose one of {', '.join(SCHEMA_NAMES)}")
    if standards is not None and name != "result":
        if as_of is None:
            raise ValueError("give as_of with standards: the schema is that of the version in force on that date")
        own = select_standards(standards, _date(as_of), name).plan_schema(name)
        if own is not None:
            return json.dumps(own.schema, indent=2, ensure_ascii=False) + "\n"
    return (schemas_dir() / f"{name}.schema.json").read_text(encoding="utf-8")


def _plain(value: Any, depth: int) -> Any:
    """A plan given as Python data, as the loader would give it: dates (from a YAML library, say)
    written YYYY-MM-DD (a date and time is its day), numbers with a fraction as the exact
    decimals their text reads as (json.load gives 0.1 as a float), mappings and sequences as
    dicts and lists."""
    if depth > MAX_DEPTH:
        raise DocumentError([Diagnostic("error", "NIS-D001", f"the plan nests more than {MAX_DEPTH} levels deep",
                                        source="<document>")])
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isfinite(value):
        return Decimal(repr(value))
    if isinstance(value, Mapping):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    return value


def _date(as_of: DateInput) -> date:
    if isinstance(as_of, datetime):
        return as_of.date()
    if isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(as_of)
    except (TypeError, ValueError):
        raise DocumentError([Diagnostic("error", "NIS-L005", f"`{as_of}` is not a date written YYYY-MM-DD",
                                        hint="for 1 June 2030 write 2030-06-01")]) from None


def select_standards(standards: StandardsInput, as_of: date, document_type: str) -> Standards:
    """The standards set that governs a document of this type on `as_of`."""
    if isinstance(standards, Standards):
        if not standards.judges(document_type):
            raise StandardsError([Diagnostic("error", "NIS-L002",
                                             f"{standards.describe()} does not judge {document_type} documents")])
        return standards
    library = standards if isinstance(standards, StandardsLibrary) else _cached_library(standards)
    return library.select(as_of, document_type)


_LIBRARIES: dict[str, StandardsLibrary] = {}


def _cached_library(path: str | os.PathLike[str] | None) -> StandardsLibrary:
    """The standards under a path, loaded once per process (by the path, resolved)."""
    key = str(Path(path).resolve()) if path is not None else ""
    if key not in _LIBRARIES:
        _LIBRARIES[key] = load_standards(Path(path) if path is not None else None)
    return _LIBRARIES[key]


def check(document: DocumentInput, *, as_of: DateInput, standards: StandardsInput = None,
          include_trace: bool = False, only: Collection[str] | None = None) -> Result:
    """Judge a document on `as_of`.

    `only` names the rules (by id) and determinations (by name) to judge; the others are left
    out of the result (an SEN2 case carries the ones its return can feed, as `case.only`).
    Raises DocumentError when the document cannot be read or is invalid, StandardsError when
    no standards judge it on that date.
    """
    from .evaluate import evaluate

    on = _date(as_of)
    loaded = _document(document, plan_schemas(standards, on))
    chosen = select_standards(standards, on, loaded.document_type)
    source = loaded.source if not isinstance(document, Mapping) else None
    return evaluate(chosen, loaded.document_type, loaded.data, on, document_sha256=loaded.sha256,
                    source=source, include_trace=include_trace, only=only)


def check_case(isp: DocumentInput, ehcp: DocumentInput, *, as_of: DateInput, standards: StandardsInput = None,
               include_trace: bool = False, only: Collection[str] | None = None) -> Result:
    """Judge a child's ISP and EHCP together (the `case` rules: do they agree, and which to
    correct). Each is read and validated as it would be alone; the result's document is the
    pair, with a fingerprint made from both files' fingerprints.

    `only` names the rules and determinations to judge, as for `check`. Raises DocumentError
    when either cannot be read or is invalid, or when the two are not one ISP and one EHCP.
    """
    import hashlib

    from .cases import case_document
    from .evaluate import evaluate

    on = _date(as_of)
    schemas = plan_schemas(standards, on)
    isp_doc, ehcp_doc = _document(isp, schemas), _document(ehcp, schemas)
    if (isp_doc.document_type, ehcp_doc.document_type) != ("isp", "ehcp"):
        raise DocumentError([Diagnostic(
            "error", "NIS-L006", f"a case is one ISP and one EHCP, not {isp_doc.document_type} "
            f"({isp_doc.source}) and {ehcp_doc.document_type} ({ehcp_doc.source})",
            source=f"{isp_doc.source} + {ehcp_doc.source}",
            hint="give the child's ISP first and their EHCP second")])
    ids = [d.data.get("id") for d in (isp_doc, ehcp_doc)]
    case_id = " + ".join(i for i in ids if isinstance(i, str)) if all(isinstance(i, str) for i in ids) else None
    source = f"{isp_doc.source} + {ehcp_doc.source}"
    chosen = select_standards(standards, on, "case")
    # The pair matches nis's own case schema, made from the ISP and EHCP schemas; a case schema
    # of the standards' own may ask for more.
    case = valid_for(LoadedDocument(source, "case", case_document(isp_doc.data, ehcp_doc.data, case_id), None),
                     chosen.plan_schema("case"))
    digest = (hashlib.sha256(f"{isp_doc.sha256}\n{ehcp_doc.sha256}".encode()).hexdigest()
              if isp_doc.sha256 and ehcp_doc.sha256 else None)
    return evaluate(chosen, "case", case.data, on, document_sha256=digest, source=source,
                    include_trace=include_trace, only=only)


def explain(document: DocumentInput, *, as_of: DateInput, standards: StandardsInput = None,
            decision: str | None = None, only: Collection[str] | None = None) -> Result:
    """`check` with the full trace of every finding and determination (or of one, by name)."""
    result = check(document, as_of=as_of, standards=standards, include_trace=True, only=only)
    if decision is not None:
        names = [d["name"] for d in result["determinations"]] + [f["rule"] for f in result["findings"]]
        if decision not in names:
            close = closest(decision, names)
            raise StandardsError([Diagnostic(
                "error", "NIS-L004", f"no decision or rule named `{decision}`",
                hint=(f"did you mean `{close}`? " if close else "") + "decisions: " + ", ".join(names))])
        result["determinations"] = [d for d in result["determinations"] if d["name"] == decision]
        result["findings"] = [f for f in result["findings"] if f["rule"] == decision]
    return result


def judge(document: DocumentInput, *, as_of: DateInput, standards: StandardsInput = None) -> dict[str, str]:
    """Outcomes only, rule id -> status, for speed (no messages, no trace)."""
    from .evaluate import judge as judge_outcomes

    on = _date(as_of)
    loaded = _document(document, plan_schemas(standards, on))
    chosen = select_standards(standards, on, loaded.document_type)
    statuses, _ = judge_outcomes(chosen, loaded.document_type, loaded.data, on)
    rules = chosen.compiled.plans[loaded.document_type].rules
    return {rule.checked.id: status for rule, status in zip(rules, statuses, strict=True)}


def render(result: Result | list[Result], fmt: str = "text", *, color: bool = False) -> str:
    """A result as `text` (terminal), `json` (canonical, byte-stable) or `html` (printable page)."""
    from . import report

    return report.render(result, fmt, color=color)  # type: ignore[arg-type]  # reports read results as plain data
