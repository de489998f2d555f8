"""The public API: what the CLI, the tests and any embedding program call.

    library = load_standards()                       # or load_standards("standards/")
    result = check("plan.yaml", standards=library, as_of=date(2030, 6, 1))
    print(render(result, "text"))

`check` returns the result as plain data (the shape of schemas/result.schema.json);
`explain` is `check` with the full trace of each decision kept; `judge` returns outcomes
only, for speed; `check_case` judges a child's ISP and EHCP together. None of them reads
the clock: the as-of date is always given.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from .diagnostics import Diagnostic, DocumentError, NisError, StandardsError
from .documents import LoadedDocument, load_document
from .standards import Standards, StandardsLibrary, check_standards, load_standards

__all__ = ["load_standards", "check_standards", "load_document", "check", "check_case", "explain", "judge", "render",
           "select_standards", "Standards", "StandardsLibrary", "LoadedDocument", "Diagnostic",
           "NisError", "DocumentError", "StandardsError"]

DocumentInput = "str | os.PathLike | bytes | LoadedDocument"
StandardsInput = "StandardsLibrary | Standards | str | os.PathLike | None"


def _document(document) -> LoadedDocument:
    return document if isinstance(document, LoadedDocument) else load_document(document)


def select_standards(standards, as_of: date, document_type: str) -> Standards:
    """The standards set that governs a document of this type on `as_of`."""
    if isinstance(standards, Standards):
        if not standards.judges(document_type):
            raise StandardsError([Diagnostic("error", "NIS-L002",
                                             f"{standards.describe()} does not judge {document_type} documents")])
        return standards
    library = standards if isinstance(standards, StandardsLibrary) else _cached_library(standards)
    return library.select(as_of, document_type)


_LIBRARIES: dict[str, StandardsLibrary] = {}


def _cached_library(path) -> StandardsLibrary:
    key = str(Path(path).resolve()) if path is not None else ""
    if key not in _LIBRARIES:
        _LIBRARIES[key] = load_standards(path)
    return _LIBRARIES[key]


def check(document, *, as_of: date, standards=None, include_trace: bool = False) -> dict:
    """Judge a document (a path, raw bytes or a LoadedDocument) on `as_of`.

    Raises DocumentError when the document cannot be read or is invalid, StandardsError when
    no standards judge it on that date.
    """
    from .evaluate import evaluate

    loaded = _document(document)
    chosen = select_standards(standards, as_of, loaded.document_type)
    return evaluate(chosen, loaded.document_type, loaded.data, as_of, document_sha256=loaded.sha256,
                    source=loaded.source, include_trace=include_trace)


def check_case(isp, ehcp, *, as_of: date, standards=None, include_trace: bool = False) -> dict:
    """Judge a child's ISP and EHCP together (the `case` rules: do they agree, and which to
    correct). Each is read and validated as it would be alone; the result's document is the
    pair, with a fingerprint made from both files' fingerprints.

    Raises DocumentError when either cannot be read or is invalid, or when the two are not
    one ISP and one EHCP.
    """
    import hashlib

    from .cases import case_document
    from .evaluate import evaluate

    isp_doc, ehcp_doc = _document(isp), _document(ehcp)
    if (isp_doc.document_type, ehcp_doc.document_type) != ("isp", "ehcp"):
        raise DocumentError([Diagnostic(
            "error", "NIS-L006", f"a case is one ISP and one EHCP, not {isp_doc.document_type} "
            f"({isp_doc.source}) and {ehcp_doc.document_type} ({ehcp_doc.source})",
            source=f"{isp_doc.source} + {ehcp_doc.source}",
            hint="give the child's ISP first and their EHCP second")])
    ids = [d.data.get("id") for d in (isp_doc, ehcp_doc)]
    case_id = " + ".join(ids) if all(isinstance(i, str) for i in ids) else None
    data = case_document(isp_doc.data, ehcp_doc.data, case_id)
    chosen = select_standards(standards, as_of, "case")
    digest = hashlib.sha256(f"{isp_doc.sha256}\n{ehcp_doc.sha256}".encode()).hexdigest()
    return evaluate(chosen, "case", data, as_of, document_sha256=digest,
                    source=f"{isp_doc.source} + {ehcp_doc.source}", include_trace=include_trace)


def explain(document, *, as_of: date, standards=None, decision: str | None = None) -> dict:
    """`check` with the full trace of every finding and determination (or of one, by name)."""
    result = check(document, as_of=as_of, standards=standards, include_trace=True)
    if decision is not None:
        names = [d["name"] for d in result["determinations"]] + [f["rule"] for f in result["findings"]]
        if decision not in names:
            import difflib

            close = difflib.get_close_matches(decision, names, n=1)
            raise StandardsError([Diagnostic(
                "error", "NIS-L004", f"no decision or rule named `{decision}`",
                hint=(f"did you mean `{close[0]}`? " if close else "") + "decisions: " + ", ".join(names))])
        result["determinations"] = [d for d in result["determinations"] if d["name"] == decision]
        result["findings"] = [f for f in result["findings"] if f["rule"] == decision]
    return result


def judge(document, *, as_of: date, standards=None) -> dict[str, str]:
    """Outcomes only, rule id -> status, for speed (no messages, no trace)."""
    from .evaluate import judge as fast_judge

    loaded = _document(document)
    chosen = select_standards(standards, as_of, loaded.document_type)
    statuses, _ = fast_judge(chosen, loaded.document_type, loaded.data, as_of)
    rules = chosen.compiled.plans[loaded.document_type].rules
    return {rule.id: status for (rule, _, _), status in zip(rules, statuses)}


def render(result: dict, fmt: str = "text", *, color: bool = False) -> str:
    """A result as `text` (terminal), `json` (canonical, byte-stable) or `html` (printable page)."""
    from . import report

    return report.render(result, fmt, color=color)
