"""Reports: a result (schemas/result.schema.json) as canonical JSON, terminal text, or one
self-contained printable HTML page.

JSON is the record: the evaluator builds every key in a fixed order and reads no clock, so
`render(result, "json")` is byte-for-byte the same for the same inputs, in any process.
Text is for a SENCO at a terminal; HTML is for a tribunal bundle or complaints panel, so
it carries the reproducibility envelope (engine, standards and document fingerprints,
as-of date), needs no network and works with JavaScript off, and prints its full reasoning
(a few lines of script open every folded decision for printing, in any browser).

Both readable formats draw "why" lines from the trace (`api.explain`); an untraced result
(`api.check`) falls back to the facts read and the near misses.
"""
from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import Any

from markupsafe import Markup

from .diagnostics import printable
from .field_words import fields_in_words

Data = dict[str, Any]  # a result, or a part of one: plain JSON data (schemas/result.schema.json)

__all__ = ["FORMATS", "bundle_page", "concerned_items", "decision_page", "html_page", "render", "render_many",
           "short_answer",
           "verdict"]

FORMATS = ("text", "json", "html")
WIDTH = 100
MAX_REASONS = 14
MAX_REASONS_HTML = 40
MAX_SHOWN = 100
MAX_ITEMS_LISTED = 8
_ANSI = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "cyan": "36", "bold": "1", "dim": "2"}
_TITLES = {"isp": "Individual Support Plan", "ehcp": "Education, Health and Care Plan"}


def render(result: Data | list[Data], fmt: str, *, color: bool = False, generated: datetime | None = None) -> str:
    """One result as `text`, `json` or `html`; a list of results is passed to `render_many`.
    `generated`: when the HTML page was made, shown on it (and only on it: the JSON record has
    no clock in it)."""
    if isinstance(result, list):
        return render_many(result, fmt, color=color)
    if fmt == "json":
        return _json(result)
    if fmt == "text":
        return _TextReport(color).document(result)
    if fmt == "html":
        return _page(_title(result), _HtmlReport(result, "d0", 1, generated).render(),
                     _running_header(result, "nis report"), print_open=True)
    raise ValueError(_unknown(fmt))


def decision_page(result: Data, decision: str, *, generated: datetime | None = None) -> str:
    """The page a tribunal bundle takes for one decision (`nis explain --decision NAME --format
    html`): titled "Explanation of decision NAME", the decision with its reasons, only the
    figures it used, and its full reasoning open, on screen and in print, in every browser.
    `result` is an explanation narrowed to that decision (`api.explain(..., decision=NAME)`)."""
    title = f"Explanation of decision {decision}"
    doc = result["document"]
    name = doc["id"] or doc["source"] or "document"
    return _page(f"{title} · {doc['type'].upper()} {name} · as of {_long_date(result['as_of'])}",
                 _HtmlReport(result, "d0", 1, generated).decision_report(decision), _running_header(result, title))


def bundle_page(results: list[Data], *, generated: datetime | None = None) -> str:
    """The reports of a case as one document to print (`nis bundle`): a contents page naming
    each plan by its section number, its outcome and the rules it does not meet (each a
    link), then each plan's full report as that numbered section, on new pages.

    Browsers print no page numbers into a contents page (`target-counter()`), so the
    sections are what a printed bundle is navigated by: each opens with "Section 1 of 3" in
    every browser, and where page-margin boxes print (Chrome, Edge) every page of a section
    carries its number and plan at the top and "Page x of y" at the foot."""
    doc_names = [r["document"]["id"] or r["document"]["source"] or f"document {i + 1}" for i, r in enumerate(results)]
    entries = []
    for i, (r, name) in enumerate(zip(results, doc_names, strict=True)):
        words, kind = verdict(r)
        failing = [f for f in r["findings"] if f["status"] == "fail"]
        links = _join(_h("<li><a href=\"#{}\"><span class=\"rid\">{}</span> {}</a>{}</li>",
                         _anchor(f"d{i}", "f", f["rule"]), f["rule"], f["title"] or "",
                         "" if f["severity"] == "error" else " (recommendation)") for f in failing)
        entries.append(_h("<li><a href=\"#d{}\"><strong>Section {}: {} {}</strong></a> — "
                          "<span class=\"badge s-{}\">{} {}</span><br><span class=\"ptr\">{}, as of {}</span>{}</li>",
                          i, i + 1, r["document"]["type"].upper(), name, _STATUS[kind].css, _STATUS[kind].symbol, words,
                          r["document"]["source"] or "", _long_date(r["as_of"]),
                          _h("<ul>{}</ul>", links) if failing else _EMPTY))
    made = (_h("<p>Generated {} at {} UTC.</p>\n", _long_date(generated.date().isoformat()),
               generated.strftime("%H:%M:%S")) if generated is not None else _EMPTY)
    contents = _h("<section class=\"contents\">\n<p class=\"kicker\">National Inclusion Standards — bundle</p>\n"
                  "<h1>Reports of {}</h1>\n{}<h2>Contents</h2>\n<ol class=\"toc\">{}</ol>\n"
                  "<p>Each report starts on a new page and opens with the fingerprints of the plan and the standards "
                  "it was judged by, so each can be checked on its own.</p>\n</section>\n",
                  _plural(len(results), "plan"), made, _join(entries))
    parts = [contents]
    title = f"Reports of {_plural(len(results), 'plan')}: {', '.join(doc_names)}"
    footer = "font: 8pt system-ui, sans-serif; color: #4a4a4a;"
    numbers = f"  @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); {footer} }}\n"
    css = ["\n.toc > li { margin: .6rem 0; }\n.section-no { margin: 0 0 .5rem; font-weight: 700; }\n"
           "@media print { .contents { break-after: page; } }\n"
           f"@page {{\n  @top-left {{ content: {_css_string(_short(title, 90))}; {footer} }}\n{numbers}}}\n"]
    for i, (r, name) in enumerate(zip(results, doc_names, strict=True)):
        body = _HtmlReport(r, f"d{i}", 2, generated).render()
        parts.append(_h("<section class=\"document\" id=\"d{}\">\n<p class=\"kicker section-no\">Section {} of {}</p>\n"
                        "{}</section>\n", i, i + 1, len(results), body))
        header = f"Section {i + 1} of {len(results)}: {r['document']['type'].upper()} {name}"
        css.append(f"#d{i} {{ page: section-{i + 1}; }}\n@page section-{i + 1} {{\n"
                   f"  @top-left {{ content: {_css_string(_short(header, 90))}; {footer} }}\n"
                   f"  @top-right {{ content: {_css_string('as of ' + _long_date(r['as_of']))}; {footer} }}\n"
                   f"{numbers}}}\n")
    return _page(title, _join(parts), "".join(css), print_open=True)


def _css_string(text: str) -> str:
    """Text as a CSS string: every character but ASCII letters, digits and a few marks written
    as a hex escape, so nothing from a plan can end the string, the rule or the style element."""
    return '"' + "".join(c if (c.isascii() and c.isalnum()) or c in " -_.,:()" else f"\\{ord(c):06x} "
                         for c in text) + '"'


def _running_header(result: Data, title: str) -> str:
    """Print rules for page margin boxes: the plan and the as-of date at the top of every page,
    the title beside them, "Page x of y" at the foot. Browsers without margin boxes ignore them
    and print the page's title and numbers in their own headers, when those are switched on."""
    doc = result["document"]
    plan = f"{doc['type'].upper()} {doc['id'] or doc['source'] or 'document'} · as of {_long_date(result['as_of'])}"
    small = "font: 8pt system-ui, sans-serif; color: #4a4a4a;"
    return ("\n@page {\n"
            f"  @top-left {{ content: {_css_string(plan)}; {small} }}\n"
            f"  @top-right {{ content: {_css_string(title)}; {small} }}\n"
            f"  @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); {small} }}\n"
            "}\n")


def render_many(results: list[Data], fmt: str, *, color: bool = False) -> str:
    """Several results (a batch) as one report: a summary of all, then each in turn."""
    if fmt == "json":
        return _json(results)
    if fmt == "text":
        return _TextReport(color).batch(results)
    if fmt == "html":
        return _page(f"nis report: {_plural(len(results), 'document')}", _html_batch(results), print_open=True)
    raise ValueError(_unknown(fmt))


def short_answer(results: list[Data], documents: list[object] | None = None, *, color: bool = False,
                 quiet: bool = False) -> str:
    """The short answer `nis check` prints by default: each plan's verdict, what to put right
    first (requirements, then recommendations, each with the plan's items it names, by id and
    words, read from `documents`: each result's plan data, or None) and one line for the rest.
    `quiet`: the verdict lines alone. `render(result, "text")` is the full report."""
    plans: list[object] = list(documents) if documents is not None else [None] * len(results)
    return _TextReport(color).answers(results, plans, quiet)


def _unknown(fmt: str) -> str:
    return f"unknown report format {fmt!r}: choose one of {', '.join(FORMATS)}"


def _json(data: object) -> str:
    """Canonical JSON: the evaluator's key order, UTF-8 text unescaped, two-space indent. The
    characters a terminal could act on, which JSON allows raw (C1 controls, text-direction
    overrides, line and paragraph separators), are written as `\\u` escapes: the same JSON
    value, safe to print."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}",
                            json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)) + "\n"


_RAW_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# ---- shared: statuses, groups, dates, reasons ----------------------------------------------

@dataclass(frozen=True)
class _Status:
    symbol: str
    word: str
    css: str
    color: str


_STATUS = {
    "error": _Status("✗", "Not met", "fail", "red"),
    "warning": _Status("!", "Not met (should)", "warn", "yellow"),
    "cannot_judge": _Status("?", "Cannot judge", "unknown", "blue"),
    "excepted": _Status("⊘", "Excepted", "excepted", "cyan"),
    "pass": _Status("✓", "Met", "pass", "green"),
    "not_applicable": _Status("–", "Does not apply", "na", "dim"),
}

# Reading order: what needs action first, then what could not be settled, then the rest.
_GROUPS = (
    ("error", "Requirements not met"),
    ("cannot_judge", "Cannot be judged: information missing"),
    ("excepted", "Excepted"),
    ("warning", "Recommendations not met (warnings)"),
    ("pass", "Met"),
    ("not_applicable", "Does not apply"),
)


def _kind(finding: Data) -> str:
    return str(finding["severity"] if finding["status"] == "fail" else finding["status"])


def _grouped(findings: list[Data]) -> list[tuple[str, str, list[Data]]]:
    groups = []
    for kind, heading in _GROUPS:
        members = [f for f in findings if _kind(f) == kind]
        if members:
            unexplained = kind == "cannot_judge" and not _for_missing_information(members)
            groups.append((kind, "Cannot be judged" if unexplained else heading, members))
    return groups


def _for_missing_information(unjudged: Iterable[Data]) -> bool:
    """Whether every one of these findings that cannot be judged names a fact the plan does not
    record. Only then may a heading or a summary say "information missing": a rule can also
    rest on a value that could not be worked out (the latest date among no reviews, a date
    past the calendar), and its own message says which."""
    return all(f.get("missing") for f in unjudged)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _long_date(iso: str | None) -> str:
    if not iso:
        return "no date"
    day = date.fromisoformat(iso)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _title(result: Data) -> str:
    doc = result["document"]
    name = doc["id"] or doc["source"] or "document"
    return f"nis report: {doc['type'].upper()} {name} — {result['outcome']}"


@dataclass(frozen=True)
class _Reason:
    """One line of "why": a sub-expression, what it came to, and where the value came from."""

    depth: int
    expr: str
    display: str
    value: object
    pointer: str | None = None
    parameter: Data | None = None
    matched: str | None = None
    item: str | None = None


def _reasons(node: Data | None, limit: int = MAX_REASONS) -> list[_Reason]:
    """The sub-expressions that decided `node`, most decisive first, at most `limit` lines.

    Under `and`/`or`/`not` only the parts that agree with the whole are followed (for a
    failed `and`, the false parts) and a chain `a and b and c` reads as one list; under a
    comparison, the operands read from the plan or from the standards' parameters; under
    `every`/`some`/`sum`, the list entries the evaluator kept, the first in full and the
    rest one line each (the message already names them all).
    """
    out: list[_Reason] = []
    if node is not None and "display" in node:
        out.append(_reason(node, 0))
        _explain(node, 1, out, limit)
    return out[:limit]


def _explain(node: Data, depth: int, out: list[_Reason], limit: int) -> None:
    for child in _deciding(node):
        if len(out) >= limit:
            return
        if _chained(node, child):
            _explain(child, depth, out, limit)
            continue
        out.append(_reason(child, depth))
        _explain(child, depth + 1, out, limit)
    for n, item in enumerate(node.get("items", [])):
        step = item.get("trace") or item.get("where")
        if step is None or "display" not in step or len(out) >= limit:
            continue
        out.append(_reason(step, depth, item=item["pointer"] or f"entry {item['index'] + 1}"))
        if n == 0:
            _explain(step, depth + 1, out, limit)


_INFORMATIVE = {"pointer", "parameter", "children", "items", "determination", "missing"}


def _deciding(node: Data) -> list[Data]:
    """The children worth a line: not literals, and under a connective only those that agree."""
    kids = [k for k in node.get("children", []) if "display" in k]
    shown = [k for k in kids if _INFORMATIVE & k.keys()]
    if kids and isinstance(node.get("value"), bool) and all(isinstance(k["value"], bool) for k in kids):
        return [k for k in shown if k["value"] == node["value"]] or shown
    return shown


def _chained(parent: Data, child: Data) -> bool:
    """Whether `child` is the left part of a chain such as `a and b and c` in `parent`."""
    kids, siblings = child.get("children", []), parent.get("children", [])
    if len(kids) != 2 or len(siblings) != 2 or siblings[0] is not child:
        return False
    return any(child["expr"] == kids[0]["expr"] + op + kids[1]["expr"]
               and parent["expr"] == child["expr"] + op + siblings[1]["expr"] for op in (" and ", " or "))


def _reason(node: Data, depth: int, item: str | None = None) -> _Reason:
    return _Reason(depth, node["expr"], node.get("display", "not evaluated"), node.get("value"),
                   node.get("pointer"), node.get("parameter"), node.get("matched"), item)


def _figures(result: Data) -> dict[str, Data | None]:
    """Each illustrative parameter's record (label, value, why it is illustrative), by name,
    from the result's `illustrative_figures` or its traces; None for a figure neither
    describes (a brief batch record names its figures only)."""
    known: dict[str, Data] = {p["name"]: p for p in result.get("illustrative_figures", ())}
    for decision in [*result["determinations"], *result["findings"]]:
        for param in decision.get("trace", {}).get("parameters", []):
            known.setdefault(param["name"], param)
    return {name: known.get(name) for name in result["illustrative_parameters"]}


def _figure(name: str, record: Data | None) -> str:
    """A figure as its label and value, "When the reformed regime begins …: 1 September 2029"
    (its name only where the result does not describe it)."""
    if record is None or not record.get("title"):
        return name
    return f"{record['title'].rstrip('.')}: {record['display']}"


def _words(text: str, result: Data, *, names: bool = False) -> str:
    """Text from a result with the plan's fields named by their titles, not their pointers
    (`names`: prose of the standards, such as a hint, where field names are named too)."""
    return fields_in_words(text, result["document"]["type"], names=names)


_SEED_LINE = re.compile(r",? seed \d+ l\.\d+(?:-\d+)?|(?<=; )l\.\d+(?:-\d+)?: ")


def _cited(text: str) -> str:
    """A citation as a reader takes it: the source and its words, without the line numbers of
    the project's stored copy of a source (`seed 003 l.242`), which the JSON keeps."""
    return _SEED_LINE.sub("", text)


def _detail_words(finding: Data, result: Data) -> str:
    """A finding's message (`_detail`) with the plan's fields by their titles (the pointers and
    the paths of "Found: sections.i.request is not recorded"). A rule that does not apply says
    only that (its heading does): its message quotes its condition as the standards write it,
    which the HTML folds away (`_condition`) and the JSON and `nis explain` keep."""
    if finding["status"] == "not_applicable":
        return ""
    return _words(_detail(finding), result, names=True)


_NOT_APPLICABLE = re.compile(r"Does not apply: (?P<condition>.*) is not true for this plan\.", re.S)


def _condition(finding: Data) -> str | None:
    """The condition, as the standards write it, of a rule that does not apply."""
    found = _NOT_APPLICABLE.fullmatch(str(finding["message"]))
    return found.group("condition") if found else None


_CASE_HOLDS = re.compile(r"\s*Case \d+ holds: .*\Z", re.S)


def _decided_words(det: Data, result: Data) -> str:
    """How a decision was reached, in words. Where the standards give the reason for the case
    that held (its `because`, shown beside it), that reason stands for the case's condition as
    the standards write it ("Case 1 holds: regime = Regime.reformed."), which the full
    explanation (a result with a trace), the folded reasoning and the JSON keep."""
    text = str(det["explanation"])
    if det["because"] and "trace" not in det:
        text = _CASE_HOLDS.sub("", text)
    return _words(text, result)


def _short(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _detail(finding: Data) -> str:
    """The message without a leading "Not met: <title>." that only repeats the headline."""
    message = finding["message"]
    for verdict in ("Not met: ", "Met: "):
        echo = f"{verdict}{finding['title'] or finding['rule']}."
        if message.startswith(echo):
            return str(message[len(echo):]).strip()
    return str(message)


def _count_phrases(summary: Data) -> list[str]:
    parts = [(summary["errors"], "requirement not met", "requirements not met"),
             (summary["warnings"], "warning", "warnings"),
             (summary["cannot_judge"], "cannot judge", "cannot judge"),
             (summary["excepted"], "excepted", "excepted"),
             (summary["pass"], "met", "met"),
             (summary["not_applicable"], "does not apply", "do not apply")]
    return [f"{n} {one if n == 1 else many}" for n, one, many in parts if n]


def verdict(result: Data) -> tuple[str, str]:
    """The verdict in words, and the status it is shown as: never a plain "PASS" while a
    recommendation is not met or a requirement could not be judged."""
    s = result["summary"]
    advice = _plural(s["warnings"], "recommendation") + " not met" if s["warnings"] else ""
    if result["outcome"] == "fail":
        words = f"FAIL: {_plural(s['errors'], 'requirement')} not met"
        return words + (f"; {advice}" if advice else ""), "error"
    unjudged = [f for f in result["findings"] if f["status"] == "cannot_judge" and f["severity"] == "error"]
    if unjudged:
        words = f"No requirement failed, but {_plural(len(unjudged), 'requirement')} cannot be judged"
        if _for_missing_information(unjudged):
            words += " (information missing)"
        return words + (f"; {advice}" if advice else ""), "cannot_judge"
    if advice:
        return f"Meets every requirement; {advice}", "warning"
    return "PASS: meets every requirement and recommendation", "pass"


_ITEM_POINTER = re.compile(r"(?<![\w/])/[A-Za-z0-9_]+(?:/[A-Za-z0-9_~.-]+)*/\d+(?![\w/])")
_ITEM_WORDS = ("description", "text", "wording", "title", "name", "summary")


def _resolve(document: object, pointer: str) -> object:
    """The value at a JSON pointer in a plan, or None where there is none."""
    value = document
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


def concerned_items(finding: Data, document: object) -> list[str]:
    """The plan's items a finding names (by pointer, in its message), each as its id and its
    own words: `P1 "Access to a quiet space as required."`; a pointer that leads to no item
    with an id or words is shown as the pointer."""
    shown = []
    for pointer in dict.fromkeys(_ITEM_POINTER.findall(finding["message"])):
        item = _resolve(document, pointer) if document is not None else None
        if not isinstance(item, dict):
            shown.append(pointer)
            continue
        words = next((item[k] for k in _ITEM_WORDS if isinstance(item.get(k), str) and item[k].strip()), None)
        ident = item.get("id") if isinstance(item.get("id"), (str, int)) else None
        text = " ".join(str(part) for part in (ident, f"“{_short(words, 90)}”" if words else None) if part)
        shown.append(text or pointer)
    return shown


# ---- text ----------------------------------------------------------------------------------

class _TextReport:
    """The terminal report: one finding per headline, its reasons indented beneath."""

    LABEL = 10

    def __init__(self, color: bool):
        self.color = color
        self.lines: list[str] = []

    def paint(self, text: str, *styles: str) -> str:
        if not self.color or not styles:
            return text
        codes = ";".join(_ANSI[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"

    def emit(self, text: str, indent: int = 0, hang: int = 4, lead: tuple[str, tuple[str, ...]] = ("", ())) -> None:
        """Wrap `text` to WIDTH, painting `lead` (a prefix of the text) after wrapping."""
        prefix, styles = lead
        wrapped = textwrap.wrap(printable(text, newlines=True), WIDTH, initial_indent=" " * indent,
                                subsequent_indent=" " * (indent + hang), break_on_hyphens=False,
                                break_long_words=False) or [""]
        if prefix and wrapped[0].lstrip().startswith(prefix):
            start = len(wrapped[0]) - len(wrapped[0].lstrip())
            wrapped[0] = wrapped[0][:start] + self.paint(prefix, *styles) + wrapped[0][start + len(prefix):]
        self.lines.extend(wrapped)

    def labelled(self, label: str, text: str, depth: int = 0, hang: int = 0) -> None:
        """A detail row: a label column, then `text` wrapped beside it, `depth` steps in."""
        indent = 4 + self.LABEL + 2 * depth
        wrapped = textwrap.wrap(printable(text, newlines=True), WIDTH - indent - hang, break_on_hyphens=False,
                                break_long_words=False) or [""]
        pad = self.paint(label.ljust(self.LABEL), "dim") if label else " " * self.LABEL
        self.lines.append(" " * 4 + pad + " " * (2 * depth) + wrapped[0])
        self.lines.extend(" " * (indent + hang) + rest for rest in wrapped[1:])

    def heading(self, text: str) -> None:
        self.lines.extend(["", self.paint(text, "bold")])

    # ---- whole reports -------------------------------------------------------------------
    def document(self, result: Data) -> str:
        self.header(result)
        self.body(result)
        return "\n".join(self.lines) + "\n"

    def batch(self, results: list[Data]) -> str:
        failed = sum(r["outcome"] == "fail" for r in results)
        self.emit(f"nis: {_plural(len(results), 'document')} checked: {failed} fail, {len(results) - failed} pass",
                  lead=("nis:", ("bold",)))
        for r in results:
            mark = _STATUS["error" if r["outcome"] == "fail" else "pass"]
            name = r["document"]["id"] or r["document"]["source"] or "document"
            counts = ", ".join(_count_phrases(r["summary"])) or "no rules"
            self.emit(f"{mark.symbol} {name}  {counts}", indent=2, lead=(mark.symbol, (mark.color,)))
        for r in results:
            self.lines.extend(["", "━" * WIDTH])
            self.header(r)
            self.body(r)
        return "\n".join(self.lines) + "\n"

    def verdict_line(self, result: Data, source: bool = True, wrap: bool = True) -> None:
        """The verdict, then the plan it is about (`source`: and its file); unwrapped, it is the
        one line per plan that `--quiet` prints, whole for grep."""
        doc = result["document"]
        words, kind = verdict(result)
        status = _STATUS[kind]
        where = f" · {doc['source']}" if source and doc["source"] and doc["source"] != doc["id"] else ""
        lead = f"{status.symbol} {words}"
        line = f"{lead}  {doc['type'].upper()} {doc['id'] or doc['source'] or 'document'}{where}"
        if wrap:
            self.emit(line, lead=(lead, ("bold", status.color)))
        else:
            self.lines.append(self.paint(lead, "bold", status.color) + printable(line[len(lead):]))

    def narrowed(self, result: Data) -> None:
        """Say so when --select or --ignore left rules out: the verdict covers only the rest."""
        if result.get("selection"):
            from .selection import describe

            self.emit(f"⚠ Only the rules chosen by {describe(result['selection'])} were judged; the verdict "
                      "covers those alone.", lead=("⚠", ("yellow",)))

    @staticmethod
    def where(result: Data) -> str:
        """The plan's file, to open a line, when the verdict line named the plan by its id."""
        doc = result["document"]
        return f"{doc['source']} · " if doc["source"] and doc["id"] and doc["source"] != doc["id"] else ""

    def header(self, result: Data) -> None:
        std, summary = result["standards"], result["summary"]
        self.verdict_line(result, source=False)
        if self.where(result):
            self.emit(self.where(result)[:-3], indent=2)
        self.emit(f"standards {std['id']} {std['version']} (sha256 {std['sha256'][:12]}) · as of "
                  f"{_long_date(result['as_of'])} · nis {result['engine']['version']}", indent=2)
        self.emit(" · ".join(_count_phrases(summary)), indent=2)
        self.narrowed(result)
        figures = _figures(result)
        if figures:
            self.emit("⚠ Illustrative figures, not yet law (findings and decisions that rest on them are marked "
                      "[illustrative]):", lead=("⚠", ("yellow",)))
            for name, record in figures.items():
                self.emit(_figure(name, record), indent=4, hang=2)

    def body(self, result: Data) -> None:
        for kind, heading, findings in _grouped(result["findings"]):
            self.heading(f"{heading} ({len(findings)})")
            compact = kind in ("pass", "not_applicable")
            for finding in findings:
                if compact:
                    self.compact(finding, result)
                else:
                    self.finding(finding, result)
        if result["determinations"]:
            self.heading(f"Decisions ({len(result['determinations'])})")
            for det in result["determinations"]:
                self.determination(det, result)
        if result.get("not_judged"):
            self.heading("What these standards do not judge")
            for note in result["not_judged"]:
                cites = "; ".join(_cited(c["text"]) for c in note["citations"])
                self.emit(f"- {note['text']}" + (f" ({cites})" if cites else ""), indent=2, hang=2)

    # ---- the short answer ----------------------------------------------------------------
    def answers(self, results: list[Data], documents: list[object], quiet: bool) -> str:
        """`nis check`'s default: for each plan, what to fix first, then one line for the rest;
        with `quiet`, only the verdict line of each."""
        if quiet:
            for result in results:
                self.verdict_line(result, wrap=False)
            return "\n".join(self.lines) + "\n"
        if len(results) > 1:
            failed = sum(r["outcome"] == "fail" for r in results)
            self.emit(f"nis: {_plural(len(results), 'plan')} checked: {failed} with a requirement not met, "
                      f"{len(results) - failed} without", lead=("nis:", ("bold",)))
        for result, document in zip(results, documents, strict=True):
            if len(results) > 1:
                self.lines.extend(["", "━" * WIDTH])
            self.answer(result, document)
        return "\n".join(self.lines) + "\n"

    def answer(self, result: Data, document: object) -> None:
        std = result["standards"]
        self.verdict_line(result, source=False)
        self.emit(f"{self.where(result)}as of {_long_date(result['as_of'])} · standards {std['id']} "
                  f"{std['version']}", indent=2)
        shown = []
        for kind, heading in (("error", "Requirements not met (must): put these right"),
                              ("warning", "Recommendations not met (should)")):
            members = [f for f in result["findings"] if _kind(f) == kind]
            if members:
                self.heading(f"{heading} ({len(members)})")
                for finding in members:
                    self.short_finding(finding, document, result)
                shown += members
        self.lines.append("")
        self.emit(self.the_rest(result))
        self.narrowed(result)
        used = {name for f in shown for name in f.get("illustrative", ())}
        figures = [_figure(name, record) for name, record in _figures(result).items() if name in used]
        if figures:
            resting = sum(bool(f.get("illustrative")) for f in shown)
            self.emit(f"⚠ {_plural(resting, 'finding')} above {'rests' if resting == 1 else 'rest'} on "
                      f"{'a figure' if len(figures) == 1 else 'figures'} that "
                      f"{'is' if len(figures) == 1 else 'are'} illustrative, not yet law:", lead=("⚠", ("yellow",)))
            for figure in figures:
                self.emit(figure, indent=4, hang=2)
        self.emit("Every rule with its reasons and sources: add --verbose. The full reasoning: nis explain.")

    def short_finding(self, finding: Data, document: object, result: Data) -> None:
        status = _STATUS[_kind(finding)]
        lead = f"{status.symbol} {finding['rule']}"
        self.emit(f"{lead}  {finding['title'] or finding['rule']}", lead=(lead, (status.color, "bold")))
        items = concerned_items(finding, document)
        detail = _detail(finding)
        if items:
            detail = re.sub(r"\s*Items that fail it: [^.]*\.", "", detail).strip()
        if detail:
            self.labelled("found", _words(detail.removeprefix("Found: "), result, names=True))
        for n, item in enumerate(items[:MAX_ITEMS_LISTED]):
            self.labelled("item" if len(items) == 1 else "items" if n == 0 else "", _words(item, result))
        if len(items) > MAX_ITEMS_LISTED:
            self.labelled("", f"and {len(items) - MAX_ITEMS_LISTED} more")
        self.missing(finding.get("missing", ()), result)
        for near in finding.get("near_misses", ()):
            self.labelled("how close", near["text"])
        if finding.get("hint"):
            self.labelled("to fix", _words(finding["hint"], result, names=True))

    def missing(self, pointers: Sequence[str], result: Data) -> None:
        """The facts a rule or decision needs and the plan does not record, one a line, by title."""
        for n, pointer in enumerate(pointers[:MAX_ITEMS_LISTED]):
            self.labelled("missing" if n == 0 else "", _words(pointer, result))
        if len(pointers) > MAX_ITEMS_LISTED:
            self.labelled("", f"and {len(pointers) - MAX_ITEMS_LISTED} more")

    @staticmethod
    def the_rest(result: Data) -> str:
        """One line for every rule not listed above: met, not applicable, excepted, not judged."""
        by: dict[str, list[str]] = {}
        for f in result["findings"]:
            by.setdefault(_kind(f), []).append(f["rule"])
        parts = []
        if by.get("pass"):
            parts.append(f"{len(by['pass'])} met")
        if by.get("not_applicable"):
            n = len(by["not_applicable"])
            parts.append(f"{n} {'does' if n == 1 else 'do'} not apply")
        if by.get("excepted"):
            parts.append(f"{len(by['excepted'])} excepted ({', '.join(by['excepted'])})")
        if by.get("cannot_judge"):
            why = ", information missing" if _for_missing_information(
                f for f in result["findings"] if _kind(f) == "cannot_judge") else ""
            parts.append(f"{len(by['cannot_judge'])} cannot be judged{why} ({', '.join(by['cannot_judge'])})")
        if not result["findings"]:
            return "No rule of these standards covers this kind of plan."
        if not parts:
            return "Nothing else to report."
        return "Also: " + ", ".join(parts) + "."

    # ---- findings and decisions ----------------------------------------------------------
    def headline(self, finding: Data, text: str) -> None:
        status = _STATUS[_kind(finding)]
        flag = " [illustrative]" if finding["illustrative"] else ""
        lead = f"{status.symbol} {finding['rule']}"
        self.emit(f"{lead}  {text}{flag}", lead=(lead, (status.color, "bold")))

    def compact(self, finding: Data, result: Data) -> None:
        title = finding["title"] or finding["rule"]
        detail = _detail_words(finding, result)
        self.headline(finding, title if finding["status"] == "pass" or not detail else f"{title} — {detail}")

    def finding(self, finding: Data, result: Data) -> None:
        detail = _detail_words(finding, result)
        title = finding["title"] or finding["rule"]
        self.headline(finding, f"{title} — {detail}" if detail else title)
        self.missing(finding["missing"], result)
        applied = finding["exception"]
        if applied:
            clauses = "; ".join(_cited(c["text"]) for c in applied["citations"])
            text = f"{applied['id']} {applied['title'] or ''}".strip()
            self.labelled("excepted", f"{text} — {clauses}" if clauses else text)
        self.why(finding, result)
        for near in finding["near_misses"]:
            self.labelled("how close", near["text"])
        self.figures(finding["illustrative"], result)
        hint = _words(finding["hint"], result, names=True) if finding["hint"] else None
        self.details(finding["citations"], hint, finding["challenge"])

    def figures(self, names: list[str], result: Data) -> None:
        """The illustrative figures a finding or decision rests on, by label and value."""
        described = _figures(result)
        for n, name in enumerate(names):
            self.labelled("figures" if n == 0 else "", _figure(name, described.get(name)) + " [illustrative]")

    def why(self, finding: Data, result: Data) -> None:
        trace = finding.get("trace")
        if trace is None:
            facts = finding["facts"]
            if facts:
                self.labelled("read", "; ".join(_words(fact, result) for fact in facts[:12])
                              + (" …" if len(facts) > 12 else ""))
            return
        if finding["status"] == "excepted" and finding["exception"]:
            requirement = trace["requirement"]
            if requirement:
                self.labelled("requires", f"{requirement['expr']} = {requirement.get('display', 'not evaluated')}")
            root = finding["exception"]["condition"]
        else:
            root = trace["requirement"] or trace["when"]
        for n, reason in enumerate(_reasons(root)):
            self.labelled("why" if n == 0 else "", self.reason_text(reason, result), reason.depth, hang=4)

    @staticmethod
    def reason_text(r: _Reason, result: Data) -> str:
        text = f"{_words(r.item, result)}: " if r.item else ""
        text += f"{_short(r.expr, 160)} = {_short(r.display)}"
        if r.matched:
            text += f' (found "{r.matched}")'
        if r.pointer and not r.item:
            text += f"  ({_words(r.pointer, result)})"
        if r.parameter:
            text += f"  parameter in force from {_long_date(r.parameter['in_force_from'])}"
            text += " [illustrative]" if r.parameter["illustrative"] else ""
        return text

    def details(self, citations: list[Data], hint: str | None, challenge: str | None) -> None:
        for n, citation in enumerate(citations):
            self.labelled("cite" if n == 0 else "", _cited(citation["text"]))
            if citation["url"]:
                self.labelled("", f"<{citation['url']}>", hang=2)
        if hint:
            self.labelled("hint", hint)
        if challenge:
            self.labelled("challenge", challenge)

    def determination(self, det: Data, result: Data) -> None:
        undecided = det["case"] is None
        symbol, color = ("?", "blue") if undecided else ("=", "cyan")
        lead = f"{symbol} {det['name']}"
        self.emit(f"{lead}  {det['title'] or det['name']}: {det['display']}", lead=(lead, (color, "bold")))
        decided = _decided_words(det, result)
        if decided:
            self.labelled("decided", decided)
        if det["because"]:
            self.labelled("because", det["because"])
        self.missing(det["missing"], result)
        self.figures(det["illustrative"], result)
        self.details(det["citations"], None, det["challenge"])


# ---- html ----------------------------------------------------------------------------------

_CSS = """
:root { --ink: #1b1b1b; --muted: #4a4a4a; --rule: #b1b4b6; --panel: #f3f2f1; --link: #1d4f91;
  --fail: #a8071a; --fail-bg: #fdecee; --warn: #6b4400; --warn-bg: #fff4d6; --unknown: #1d3f8f;
  --unknown-bg: #e8eefb; --excepted: #4a2a80; --excepted-bg: #f0eafb; --pass: #0b5d27; --pass-bg: #e7f4ea;
  --na: #4a4a4a; --na-bg: #f0f0f0; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.5 system-ui, -apple-system, "Segoe UI",
  Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.6em 0 .5em; }
h1 { font-size: 1.75rem; margin-top: .25em; }
h2 { font-size: 1.4rem; border-bottom: 2px solid var(--ink); padding-bottom: .2em; }
h3 { font-size: 1.15rem; }
h4, h5, h6 { font-size: 1.02rem; }
a { color: var(--link); }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  font-size: .9em; overflow-wrap: anywhere; }
.kicker { margin: 0; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .04em;
  font-size: .85rem; }
.envelope { border: 1px solid var(--rule); border-left: 6px solid var(--ink); padding: 1rem 1.25rem;
  background: var(--panel); }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .75rem 0; }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.hash { font-size: .8em; }
.envelope :is(h1, h2) { font-size: 1.75rem; border: 0; margin: .25em 0; padding: 0; }
.repro { margin: .5rem 0 0; font-style: italic; }
.subtitle { margin: 0 0 .25rem; font-size: 1.15rem; }
.outcome { display: inline-block; font-size: 1.2rem; font-weight: 700; padding: .3rem .8rem; margin: .5rem 0;
  border: 2px solid currentColor; border-radius: 4px; }
.note { border-left: 6px solid var(--warn); background: var(--warn-bg); padding: .6rem 1rem; margin: 1rem 0; }
.note h2, .note h3 { border: 0; margin: .2rem 0; font-size: 1.05rem; }
.badge { display: inline-block; font-size: .8rem; font-weight: 700; padding: .05rem .45rem; border-radius: 3px;
  border: 1px solid currentColor; white-space: nowrap; vertical-align: .1em; }
.s-fail { color: var(--fail); background: var(--fail-bg); }
.s-warn { color: var(--warn); background: var(--warn-bg); }
.s-unknown { color: var(--unknown); background: var(--unknown-bg); }
.s-excepted { color: var(--excepted); background: var(--excepted-bg); }
.s-pass { color: var(--pass); background: var(--pass-bg); }
.s-na { color: var(--na); background: var(--na-bg); }
.illus { color: var(--warn); background: var(--warn-bg); }
.card { border: 1px solid var(--rule); border-left-width: 6px; border-radius: 3px; padding: .6rem 1rem;
  margin: .8rem 0; break-inside: avoid; }
.card.s-fail, .card.s-warn, .card.s-unknown, .card.s-excepted, .card.s-pass, .card.s-na { background: #fff;
  color: var(--ink); }
.card.s-fail { border-left-color: var(--fail); }
.card.s-warn { border-left-color: #b27b00; }
.card.s-unknown { border-left-color: var(--unknown); }
.card.s-excepted { border-left-color: var(--excepted); }
.card.s-decision { border-left-color: var(--ink); }
.card > :is(h3, h4, h5, h6) { margin-top: .2rem; }
.rid { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-weight: 700; }
.message { font-size: 1.05rem; margin: .3rem 0 .5rem; }
.facts { display: grid; grid-template-columns: 11rem 1fr; gap: .35rem 1rem; margin: .4rem 0; }
.facts dt { font-weight: 600; color: var(--muted); }
.facts dd { margin: 0; min-width: 0; }
.facts ul { margin: 0; padding-left: 1.1rem; }
.reasons ul { padding-left: 1.2rem; }
td ul { margin: 0; padding-left: 1.1rem; }
td.rid { white-space: nowrap; }
.ptr { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--rule); }
th { background: var(--panel); }
td.num, th.num { text-align: right; }
table.counts { table-layout: fixed; }
table.counts th, table.counts td { text-align: center; font-size: 1.05rem; }
.trace-intro { color: var(--muted); }
details.decision { border: 1px solid var(--rule); border-radius: 3px; margin: .5rem 0; }
details.decision > summary { cursor: pointer; padding: .45rem .8rem; background: var(--panel); font-weight: 600; }
.trace-body { padding: .3rem 1rem .8rem; }
.part { margin: .8rem 0 .2rem; }
ul.tree { list-style: none; margin: 0; padding-left: 1.1rem; border-left: 1px dotted var(--rule); }
ul.tree.root { border-left: 0; padding-left: 0; }
ul.tree li { margin: .15rem 0; }
ul.tree details > summary { cursor: pointer; }
.val { font-weight: 600; }
.skip { color: var(--muted); font-style: italic; }
.miss { color: var(--unknown); font-weight: 700; }
.entry { font-weight: 600; }
.document + .document { border-top: 4px double var(--ink); margin-top: 3rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .9rem; border-top: 1px solid var(--rule); }
@media (max-width: 40rem) { .facts, .meta { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4; margin: 14mm 12mm 16mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  .envelope, .badge, .note, th, .s-fail, .s-warn, .s-unknown, .s-excepted, .s-pass, .s-na {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3, h4, h5, h6, summary { break-after: avoid; }
  tr, .card { break-inside: avoid; }
  .document + .document { break-before: page; border-top: 0; margin-top: 0; }
  .see-trace { display: none; }
  a.cite::after { content: " <" attr(href) ">"; font-size: .85em; overflow-wrap: anywhere; }
  details > summary { list-style: none; }
  details > summary::-webkit-details-marker { display: none; }
  details::details-content { content-visibility: visible; display: block; }
  details.decision { break-inside: auto; }
}
"""


class Html(Markup):
    """Markup nis built: what it holds is never escaped again, and everything put into it is
    escaped unless it is Html too (`Html("<p>{}</p>").format(text)`, `Html("").join(parts)`).
    Escaping is the standard library's `html.escape`, quotes included, as reports always had."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: object) -> Html:
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return cls(escape(str(s)))


_EMPTY = Html("")


def _h(template: str, *values: object) -> Html:
    """`template` (markup nis wrote) with each value escaped unless it is Html."""
    return Html(template).format(*values)


def _join(parts: Iterable[Html | str], separator: str = "") -> Html:
    return Html(separator).join(parts)


# Printing opens every folded part of a page, in every browser that runs scripts: CSS alone
# (`details::details-content`, in the print styles) does it only in the newest browsers. The
# parts it opened fold again after printing; with scripts off the page works as before.
_PRINT_OPEN = Html(
    "<script>\n"
    "addEventListener(\"beforeprint\", function () {\n"
    "  document.querySelectorAll(\"details:not([open])\").forEach(function (d) {\n"
    "    d.open = true; d.setAttribute(\"data-print-opened\", \"\"); });\n"
    "});\n"
    "addEventListener(\"afterprint\", function () {\n"
    "  document.querySelectorAll(\"details[data-print-opened]\").forEach(function (d) {\n"
    "    d.open = false; d.removeAttribute(\"data-print-opened\"); });\n"
    "});\n"
    "</script>\n")


def _page(title: str, body: Html, css: str = "", *, print_open: bool = False) -> str:
    """A self-contained page; `print_open`: with the script that opens its folded decisions for
    printing (a report holding some)."""
    script = _PRINT_OPEN if print_open and "<details" in body else _EMPTY
    return str(_h("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>{}</title>\n<style>{}</style>\n{}</head>\n<body>\n<main>\n{}</main>\n"
                  "</body>\n</html>\n", title, Html(_CSS + css), script, body))


def html_page(title: str, body: str, css: str = "") -> str:
    """A self-contained, printable page in the style of the reports (the policy reports and
    the published standards use it); `body` is markup its caller built and escaped, `css`
    adds rules of their own."""
    return _page(title, Html(body), css)


def _html_batch(results: list[Data]) -> Html:
    failed = sum(r["outcome"] == "fail" for r in results)
    rows = []
    for i, r in enumerate(results):
        s = r["summary"]
        name = r["document"]["id"] or r["document"]["source"] or f"document {i + 1}"
        cells = _join(_h("<td class=\"num\">{}</td>", s[k]) for k in ("errors", "warnings", "cannot_judge",
                                                                      "excepted", "pass"))
        rows.append(_h("<tr><td><a href=\"#d{}\">{}</a></td><td>{}</td>{}</tr>", i, name,
                       _outcome_badge(r["outcome"]), cells))
    head = _join(_h("<th scope=\"col\" class=\"num\">{}</th>", h) for h in ("Not met", "Warnings", "Cannot judge",
                                                                          "Excepted", "Met"))
    parts = [_h("<p class=\"kicker\">National Inclusion Standards — report</p>\n"
                "<h1>{} checked: {} fail, {} pass</h1>\n"
                "<table>\n<caption class=\"kicker\">Summary of every document</caption>\n"
                "<thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Outcome</th>{}</tr></thead>\n"
                "<tbody>{}</tbody>\n</table>\n", _plural(len(results), "document"), failed,
                len(results) - failed, head, _join(rows))]
    for i, r in enumerate(results):
        body = _HtmlReport(r, f"d{i}", 2).render()
        parts.append(_h("<section class=\"document\" id=\"d{}\">\n{}</section>\n", i, body))
    return _join(parts)


def _outcome_badge(outcome: str) -> Html:
    if outcome == "fail":
        return Html("<span class=\"badge s-fail\"><span aria-hidden=\"true\">✗ </span>Fail</span>")
    return Html("<span class=\"badge s-pass\"><span aria-hidden=\"true\">✓ </span>Pass</span>")


def _status_badge(kind: str) -> Html:
    s = _STATUS[kind]
    return _h("<span class=\"badge s-{}\"><span aria-hidden=\"true\">{} </span>{}</span>", s.css, s.symbol, s.word)


def _anchor(*parts: str) -> str:
    return "-".join(re.sub(r"[^A-Za-z0-9_-]", "_", p) for p in parts)


def _cite_html(citations: list[Data]) -> Html:
    items = []
    for c in citations:
        url = c["url"]
        if url and url.startswith(("https://", "http://")):
            items.append(_h("<a class=\"cite\" href=\"{}\">{}</a>", url, _cited(c["text"])))
        else:
            items.append(_h("{}", _cited(c["text"])) + (_h(" ({})", url) if url else _EMPTY))
    return _join(items, "; ")


def _cite_rows(citations: list[Data]) -> Html:
    """Citations for a detail row: one per line, as each may be long and hold a link."""
    if len(citations) == 1:
        return _cite_html(citations)
    return _h("<ul>{}</ul>", _join(_h("<li>{}</li>", _cite_html([c])) for c in citations))


def _holds(value: object) -> str:
    if value is True or value is False:
        return "holds" if value else "does not hold"
    return "cannot be judged: the plan does not record a fact"


def _illus_badge() -> Html:
    return Html("<span class=\"badge illus\"><span aria-hidden=\"true\">⚠ </span>Illustrative</span>")


class _HtmlReport:
    """One document's report as an HTML fragment; `level` is the level of its top heading.
    Every method returns Html; text from the result goes in only through `_h` and `_join`."""

    def __init__(self, result: Data, prefix: str, level: int, generated: datetime | None = None):
        self.r = result
        self.prefix = prefix
        self.level = level
        self.generated = generated

    def h(self, depth: int, content: Html | str) -> Html:
        """A heading `depth` levels below this report's top, so a batch nests each report."""
        n = min(self.level + depth, 6)
        return _h("<h{}>{}</h{}>\n", n, content, n)

    def render(self) -> Html:
        return _join([self.envelope(), self.illustrative(), self.decided(), self.findings(), self.not_judged(),
                      self.traces(), self.footer()])

    def decision_report(self, name: str) -> Html:
        """One decision, for a tribunal bundle: the envelope under the decision's own title, the
        illustrative figures it rests on, what was decided and why (with "How close"), then
        its full reasoning, open."""
        finding = next((f for f in self.r["findings"] if f["rule"] == name), None)
        det = next((d for d in self.r["determinations"] if d["name"] == name), None)
        title = (finding or det or {}).get("title")
        heading = _h("Explanation of decision <span class=\"rid\">{}</span>", name)
        subtitle = _h("<p class=\"subtitle\">{}</p>\n", title) if title else _EMPTY
        used = sorted({*(finding or det or {}).get("illustrative", ())})
        body = self.finding(finding) if finding else self.determination(det) if det else _EMPTY
        reasoning = (self.finding_trace(finding, opened=True) if finding and "trace" in finding else
                     self.determination_trace(det, opened=True) if det and "trace" in det else _EMPTY)
        return _join([self.envelope(heading, subtitle, self.decision_outcome(finding, det)), self.illustrative(used),
                      _h("<section>\n{}{}</section>\n", self.h(1, "What was decided, and why"), body),
                      _h("<section>\n{}<p class=\"trace-intro\">Every step of this decision: each part of the rule "
                         "as the standards write it, what it came to for this plan, where in the plan each value "
                         "was read, and each figure of the standards with the date it came into force.</p>\n{}"
                         "</section>\n", self.h(1, "Full reasoning"), reasoning) if reasoning else _EMPTY,
                      self.footer()])

    @staticmethod
    def decision_outcome(finding: Data | None, det: Data | None) -> tuple[str, Html]:
        """The status of the one decision a page explains, as a badge's class and its words."""
        if finding is not None:
            kind = _kind(finding)
            return _STATUS[kind].css, _h("<span aria-hidden=\"true\">{} </span>{}", _STATUS[kind].symbol,
                                         _STATUS[kind].word)
        if det is not None:
            return ("unknown" if det["case"] is None else "pass"), _h("{}", det["display"])
        return "na", Html("Not found")

    def not_judged(self) -> Html:
        notes = self.r.get("not_judged") or []
        if not notes:
            return _EMPTY
        items = _join(_h("<li>{}{}</li>", n["text"], _h(" ({})", _cite_html(n["citations"])) if n["citations"]
                         else _EMPTY) for n in notes)
        return _h("<section>\n{}<p>nis does not check these; nothing in this report says they were met.</p>\n"
                  "<ul class=\"not-judged\">{}</ul>\n</section>\n", self.h(1, "What these standards do not judge"),
                  items)

    # ---- the reproducibility envelope ----------------------------------------------------
    def envelope(self, heading: Html | None = None, subtitle: Html = _EMPTY,
                 status: tuple[str, Html] | None = None) -> Html:
        """The reproducibility envelope, headed by the plan (or, on a decision's page, by the
        decision, with its own outcome in `status`)."""
        r, doc, std = self.r, self.r["document"], self.r["standards"]
        kind = _TITLES.get(doc["type"], doc["type"])
        name = doc["id"] or doc["source"] or "document"
        outcome = (Html("<span aria-hidden=\"true\">✗ </span>Does not meet the standards") if r["outcome"] == "fail"
                   else Html("<span aria-hidden=\"true\">✓ </span>Meets the standards"))
        css = "fail" if r["outcome"] == "fail" else "pass"
        if status is not None:
            css, outcome = status
        until = _h(" until {}", _long_date(std["effective_until"])) if std["effective_until"] else _EMPTY
        source = _h(", read from <code>{}</code>", doc["source"]) if doc["source"] else _EMPTY
        rows = [
            ("Document", _h("{} <code>{}</code>{}", kind, name, source)),
            ("Document SHA-256", _h("<code class=\"hash\">{}</code>", doc["sha256"] or "not recorded")),
            ("Standards", _h("{} (<code>{}</code> version {}), in force from {}{}", std["title"] or std["id"],
                             std["id"], std["version"], _long_date(std["effective_from"]), until)),
            ("Standards SHA-256", _h("<code class=\"hash\">{}</code>", std["sha256"])),
            ("Judged as of", _long_date(r["as_of"])),
            ("Engine", _h("{} {} (result format {})", r["engine"]["name"], r["engine"]["version"],
                          r["result_format"])),
        ]
        if r.get("selection"):
            from .selection import describe

            rows.append(("Rules judged", _h("only those chosen by <code>{}</code>: the outcome covers those alone",
                                            describe(r["selection"]))))
        if self.generated is not None:
            rows.append(("Generated", _h("{} at {} UTC", _long_date(self.generated.date().isoformat()),
                                         self.generated.strftime("%H:%M:%S"))))
        meta = _join(_h("<dt>{}</dt><dd>{}</dd>", k, v) for k, v in rows)
        top = self.h(0, heading if heading is not None else _h("{} {}", doc["type"].upper(), name))
        return _h("<header class=\"envelope\">\n<p class=\"kicker\">National Inclusion Standards — {}</p>\n"
                  "{}{}<p class=\"outcome s-{}\">{}</p>\n<dl class=\"meta\">{}</dl>\n<p class=\"repro\">{}</p>\n"
                  "</header>\n", "report" if heading is None else "explanation of one decision", top, subtitle, css,
                  outcome, meta, self.repro())

    def repro(self) -> Html:
        r, doc, std = self.r, self.r["document"], self.r["standards"]
        this = _h("this document (SHA-256 {}…)", doc["sha256"][:16]) if doc["sha256"] else "this document"
        return _h("Re-running {} {} on {} with these standards ({} version {}, SHA-256 {}…) as of {} gives this "
                  "result. The fingerprints above change if either file changes in any way.",
                  r["engine"]["name"], r["engine"]["version"], this, std["id"], std["version"], std["sha256"][:16],
                  _long_date(r["as_of"]))

    def illustrative(self, only: list[str] | None = None) -> Html:
        """The note on illustrative figures: all the result's, or `only` these (a decision's)."""
        figures = _figures(self.r)
        if only is not None:
            figures = {name: record for name, record in figures.items() if name in only}
        if not figures:
            return _EMPTY
        items = _join(_h("<li><strong>{}</strong>{}</li>", _figure(name, record),
                         _h(". {}", record["illustrative"]) if record and record["illustrative"] else _EMPTY)
                      for name, record in figures.items())
        return _h("<aside class=\"note\" role=\"note\">\n{}"
                  "<p>This result uses figures that are illustrative, not yet law. Findings and decisions that rest "
                  "on them are marked {} and should not be relied on as the law.</p>\n<ul>{}</ul>\n</aside>\n",
                  self.h(1, "Illustrative figures"), _illus_badge(), items)

    # ---- what was decided -----------------------------------------------------------------
    def decided(self) -> Html:
        parts = [self.h(1, "What was decided"), _h("<p class=\"message\">{}</p>\n", self.verdict()), self.counts()]
        if self.r["determinations"]:
            parts.append(self.h(2, "Decisions"))
            parts.extend(self.determination(d) for d in self.r["determinations"])
        return _h("<section>\n{}</section>\n", _join(parts))

    def verdict(self) -> str:
        s = self.r["summary"]
        on = f"On {_long_date(self.r['as_of'])} this plan "
        if self.r["outcome"] == "fail":
            text = on + f"does not meet the standards: {_plural(s['errors'], 'requirement')} not met."
        else:
            text = on + "meets every requirement of the standards that could be judged."
        extra = []
        if s["warnings"]:
            extra.append(f"{_plural(s['warnings'], 'recommendation')} not met")
        if s["cannot_judge"]:
            unjudged = [f for f in self.r["findings"] if f["status"] == "cannot_judge"]
            extra.append(f"{_plural(s['cannot_judge'], 'rule')} could not be judged " + (
                "because the plan does not record information needed" if _for_missing_information(unjudged)
                else "(each finding below says why)"))
        if s["excepted"]:
            extra.append(f"{_plural(s['excepted'], 'rule')} not met but covered by an exception")
        if extra:
            text += " Also: " + "; ".join(extra) + "."
        return text

    def counts(self) -> Html:
        s = self.r["summary"]
        cells = [("error", s["errors"]), ("warning", s["warnings"]), ("cannot_judge", s["cannot_judge"]),
                 ("excepted", s["excepted"]), ("pass", s["pass"]), ("not_applicable", s["not_applicable"])]
        head = _join(_h("<th scope=\"col\">{}</th>", _status_badge(k)) for k, _ in cells)
        body = _join(_h("<td>{}</td>", n) for _, n in cells)
        return _h("<table class=\"counts\">\n<caption class=\"kicker\">Rules by result</caption>\n"
                  "<thead><tr>{}</tr></thead>\n<tbody><tr>{}</tr></tbody>\n</table>\n", head, body)

    def determination(self, det: Data) -> Html:
        badge = _status_badge("cannot_judge") if det["case"] is None else _EMPTY
        illus = _h(" {}", _illus_badge()) if det["illustrative"] else _EMPTY
        heading = _h("{} {}: <strong>{}</strong>{}", badge, det["title"] or det["name"], det["display"], illus)
        decided = _decided_words(det, self.r)
        rows = [("Decision", _h("<code>{}</code>", det["name"]))]
        if decided:
            rows.append(("How it was decided", _h("{}", decided)))
        if det["because"]:
            rows.append(("Because", det["because"]))
        if det["missing"]:
            rows.append(("Missing from the plan", self.pointers(det["missing"])))
        if "trace" in det:
            rows.append(("Cases considered", self.cases_summary(det)))
        if det["citations"]:
            rows.append(("Source", _cite_rows(det["citations"])))
        if det["challenge"]:
            rows.append(("How to challenge", det["challenge"]))
        if det["illustrative"]:
            rows.append(("Illustrative figures", self.figures(det["illustrative"])))
        link = self.trace_link(det["name"], "determination")
        return _h("<div class=\"card s-decision\">\n{}{}{}</div>\n", self.h(3, heading), self.facts(rows), link)

    def cases_summary(self, det: Data) -> Html:
        items = []
        for case in det["trace"]["cases"]:
            label = _h(" ({})", case["label"]) if case["label"] else _EMPTY
            items.append(_h("<li>Case {}{}, giving <code>{}</code>: {}</li>", case["case"], label, case["value"],
                            self.held(case)))
        if det["case"] == "otherwise":
            items.append(Html("<li>Otherwise (no case held): the default applies.</li>"))
        return _h("<ul>{}</ul>", _join(items))

    @staticmethod
    def held(case: Data) -> Html:
        if case["excepted_by"]:
            return _h("held, but set aside by exception <code>{}</code>", case["excepted_by"])
        return _h("{}", {True: "held", False: "did not hold", None: "could not be judged"}[case["held"]])

    # ---- findings ----------------------------------------------------------------------
    def findings(self) -> Html:
        parts = [self.h(1, "Findings")]
        for kind, heading, findings in _grouped(self.r["findings"]):
            parts.append(self.h(2, _h("{} {} ({})", _status_badge(kind), heading, len(findings))))
            if kind in ("pass", "not_applicable"):
                parts.append(self.compact(findings))
            else:
                parts.extend(self.finding(f) for f in findings)
        if not self.r["findings"]:
            parts.append(Html("<p>No rule of these standards covers this kind of plan.</p>\n"))
        return _h("<section>\n{}</section>\n", _join(parts))

    def compact(self, findings: list[Data]) -> Html:
        rows = []
        for f in findings:
            illus = _h(" {}", _illus_badge()) if f["illustrative"] else _EMPTY
            condition = _condition(f)
            detail = _h("<details><summary>When it applies</summary><code>{}</code></details>", condition) \
                if condition else _detail_words(f, self.r)
            rows.append(_h("<tr><td class=\"rid\">{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>", f["rule"],
                           f["title"] or "", illus, detail, _cite_rows(f["citations"])))
        return _h("<table>\n<thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Title</th>"
                  "<th scope=\"col\">Detail</th><th scope=\"col\">Source</th></tr></thead>\n"
                  "<tbody>{}</tbody>\n</table>\n", _join(rows))

    def finding(self, f: Data) -> Html:
        kind = _kind(f)
        illus = _h(" {}", _illus_badge()) if f["illustrative"] else _EMPTY
        heading = _h("{} <span class=\"rid\">{}</span> {}{}", _status_badge(kind), f["rule"], f["title"] or "", illus)
        rows = []
        if f["missing"]:
            rows.append(("Missing from the plan", self.pointers(f["missing"])))
        if f["exception"]:
            e = f["exception"]
            rows.append(("Exception applied", _h("<code>{}</code> {}{}", e["id"], e["title"] or "",
                                                 _h(" — {}", _cite_html(e["citations"])) if e["citations"]
                                                 else _EMPTY)))
        rows.extend(self.why(f))
        if f["near_misses"]:
            rows.append(("How close", _h("<ul>{}</ul>", _join(_h("<li>{}</li>", n["text"]) for n in f["near_misses"]))))
        if f["illustrative"]:
            rows.append(("Illustrative figures", self.figures(f["illustrative"])))
        if f["citations"]:
            rows.append(("Source", _cite_rows(f["citations"])))
        if f["hint"]:
            rows.append(("What would put it right", _h("{}", _words(f["hint"], self.r, names=True))))
        if f["challenge"]:
            rows.append(("How to challenge", f["challenge"]))
        return _h("<article class=\"card s-{}\" id=\"{}\">\n{}{}{}{}</article>\n", _STATUS[kind].css,
                  _anchor(self.prefix, "f", f["rule"]), self.h(3, heading), self.message(f), self.facts(rows),
                  self.trace_link(f["rule"], "rule"))

    def message(self, f: Data) -> Html:
        detail = _detail_words(f, self.r)
        return _h("<p class=\"message\">{}</p>\n", detail) if detail else _EMPTY

    def words(self, text: str) -> str:
        """Text from the result with the plan's fields named by their titles."""
        return _words(text, self.r)

    def why(self, f: Data) -> list[tuple[str, Html]]:
        trace = f.get("trace")
        if trace is None:
            return [("Read from the plan", self.pointers(f["facts"]))] if f["facts"] else []
        if f["status"] == "excepted" and f["exception"]:
            rows = [("Why excepted", self.reason_list(_reasons(f["exception"]["condition"], MAX_REASONS_HTML)))]
            requirement = trace["requirement"]
            if requirement:
                rows.append(("Without it", _h("<code>{}</code> {}.", requirement["expr"],
                                              _holds(requirement.get("value")))))
            return rows
        root = trace["requirement"] or trace["when"]
        return [("Why", self.reason_list(_reasons(root, MAX_REASONS_HTML)))] if root else []

    def reason_list(self, reasons: list[_Reason]) -> Html:
        """Nested lists, so the structure reads the same on screen, in print and aloud."""
        opened, closed = Html("<ul>"), Html("</li></ul>")
        html, depth = [], -1
        for r in reasons:
            while depth < r.depth:
                html.append(opened)
                depth += 1
            while depth > r.depth:
                html.append(closed)
                depth -= 1
            if html[-1] != opened:
                html.append(Html("</li>"))
            html.append(_h("<li>{}", self.reason_html(r)))
        html.append(Html("</li></ul>" * (depth + 1)))
        return _h("<div class=\"reasons\">{}</div>", _join(html))

    def reason_html(self, r: _Reason) -> Html:
        entry = _h("<span class=\"entry\">{}:</span> ", self.words(r.item)) if r.item else _EMPTY
        expr = _h("<code>{}</code>", r.expr)
        if r.display == "not recorded":
            text = _h("{} is <span class=\"miss\">not recorded in the plan</span>", expr)
        elif isinstance(r.value, bool) and r.display in ("yes", "no"):
            text = _h("{} <strong>{}</strong>", expr, _holds(r.value))
        else:
            text = _h("{} is <strong>{}</strong>", expr, r.display)
        if r.matched:
            text += _h(" (it contains “{}”)", r.matched)
        if r.pointer and not r.item:
            where = "expected in the plan at" if r.display == "not recorded" else "read from the plan at"
            text += _h(" <span class=\"ptr\">— {} {}</span>", where, self.words(r.pointer))
        if r.parameter:
            text += _h(" <span class=\"ptr\">— a figure of the standards, in force from {}</span>",
                       _long_date(r.parameter["in_force_from"]))
            if r.parameter["illustrative"]:
                text += _h(" {}", _illus_badge())
        return entry + text

    # ---- small pieces ----------------------------------------------------------------------
    @staticmethod
    def facts(rows: Sequence[tuple[str, Html | str]]) -> Html:
        if not rows:
            return _EMPTY
        return _h("<dl class=\"facts\">{}</dl>\n", _join(_h("<dt>{}</dt><dd>{}</dd>", k, v) for k, v in rows))

    def pointers(self, pointers: list[str]) -> Html:
        """Fields of the plan by their titles, one a line (the pointers are in the full reasoning)."""
        shown = [_h("<li>{}</li>", self.words(p)) for p in pointers[:MAX_SHOWN]]
        if len(pointers) > MAX_SHOWN:
            shown.append(_h("<li>and {} more</li>", len(pointers) - MAX_SHOWN))
        return _h("<ul>{}</ul>", _join(shown))

    def figures(self, names: list[str]) -> Html:
        """Illustrative figures by label and value."""
        described = _figures(self.r)
        return _h("<ul>{}</ul>", _join(_h("<li>{}</li>", _figure(n, described.get(n))) for n in names))

    def trace_link(self, name: str, what: str) -> Html:
        if not self.traced():
            return _EMPTY
        return _h("<p class=\"see-trace\"><a href=\"#{}\">Full reasoning for this {}</a></p>\n",
                  _anchor(self.prefix, "t", name), what)

    def traced(self) -> bool:
        return any("trace" in d for d in [*self.r["findings"], *self.r["determinations"]])

    # ---- the full trace ----------------------------------------------------------------------
    def traces(self) -> Html:
        parts = [self.h(1, "Full reasoning")]
        if not self.traced():
            parts.append(Html("<p class=\"trace-intro\">This result was produced without the step-by-step "
                              "reasoning. Run <code>nis explain</code> on the same document and standards to include "
                              "it.</p>\n"))
            return _h("<section>\n{}</section>\n", _join(parts))
        parts.append(Html("<p class=\"trace-intro\">Every decision, step by step: each part of the rule as the "
                          "standards write it, what it came to for this plan, where in the plan each value was read "
                          "(a JSON pointer such as <code>/provision/0/hours_per_week</code>, counting list entries "
                          "from 0), each figure of the standards with the date it came into force, and each "
                          "exception considered. Open a decision to see its steps; printing shows them all.</p>\n"))
        parts.extend(self.determination_trace(d) for d in self.r["determinations"] if "trace" in d)
        parts.extend(self.finding_trace(f) for f in self.r["findings"] if "trace" in f)
        return _h("<section>\n{}</section>\n", _join(parts))

    def decision(self, name: str, summary: Html, body: Html, opened: bool = False) -> Html:
        """A decision's reasoning, folded (a report of every decision) or open (`opened`: the
        page of one decision, which then prints open in every browser, whatever its CSS)."""
        return _h("<details class=\"decision\" id=\"{}\"{}>\n<summary>{}</summary>\n<div class=\"trace-body\">\n{}"
                  "</div>\n</details>\n", _anchor(self.prefix, "t", name), Html(" open") if opened else _EMPTY,
                  summary, body)

    def determination_trace(self, det: Data, opened: bool = False) -> Html:
        parts = []
        for case in det["trace"]["cases"]:
            label = _h(" ({})", case["label"]) if case["label"] else _EMPTY
            because = _h(" Because: {}", case["because"]) if case["because"] else _EMPTY
            parts.append(_h("<p class=\"part\"><strong>Case {}{}: gives <code>{}</code> — {}.</strong>{}</p>\n{}",
                            case["case"], label, case["value"], self.held(case), because,
                            self.tree(case["condition"])))
        if det["case"] == "otherwise":
            parts.append(_h("<p class=\"part\"><strong>Otherwise: {}.</strong>{}</p>\n", det["display"],
                            _h(" Because: {}", det["because"]) if det["because"] else _EMPTY))
        parts.append(self.parameters(det["trace"]["parameters"]))
        summary = _h("<span class=\"mono\">{}</span> {}: {}", det["name"], det["title"] or "", det["display"])
        return self.decision(det["name"], summary, _join(parts), opened)

    def finding_trace(self, f: Data, opened: bool = False) -> Html:
        trace = f["trace"]
        parts = []
        if trace["when"] is not None:
            parts.append(_h("<p class=\"part\"><strong>Applies when</strong></p>\n{}", self.tree(trace["when"])))
        else:
            parts.append(Html("<p class=\"part\"><strong>Applies to every plan of this kind.</strong></p>\n"))
        if trace["requirement"] is not None:
            severity = "Requires (must)" if f["severity"] == "error" else "Recommends (should)"
            parts.append(_h("<p class=\"part\"><strong>{}</strong></p>\n{}", severity,
                            self.tree(trace["requirement"])))
        for e in trace["exceptions"]:
            outcome = "applied" if e["applied"] else "did not apply"
            cite = _h(" Source: {}", _cite_html(e["citations"])) if e["citations"] else _EMPTY
            parts.append(_h("<p class=\"part\"><strong>Exception <code>{}</code> {}: {}.</strong>{}</p>\n{}",
                            e["id"], e["title"] or "", outcome, cite, self.tree(e["condition"])))
        parts.append(self.parameters(trace["parameters"]))
        summary = _h("{} <span class=\"rid\">{}</span> {}", _status_badge(_kind(f)), f["rule"], f["title"] or "")
        return self.decision(f["rule"], summary, _join(parts), opened)

    def parameters(self, params: list[Data]) -> Html:
        if not params:
            return _EMPTY
        rows = []
        for p in params:
            illus = _h("{} {}", _illus_badge(), p["illustrative"]) if p["illustrative"] else "In force"
            rows.append(_h("<tr><td><code>{}</code><br>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                           p["name"], p["title"] or "", p["display"], _long_date(p["in_force_from"]), illus,
                           p["citation"] or ""))
        head = _join(_h("<th scope=\"col\">{}</th>", h) for h in ("Parameter", "Value", "In force from", "Status",
                                                                  "Source"))
        return _h("<p class=\"part\"><strong>Figures of the standards on {}</strong></p>\n<table>\n"
                  "<thead><tr>{}</tr></thead>\n<tbody>{}</tbody>\n</table>\n", _long_date(self.r["as_of"]), head,
                  _join(rows))

    def tree(self, node: Data) -> Html:
        return _h("<ul class=\"tree root\">{}</ul>\n", self.node(node))

    def node(self, node: Data, entry: Html = _EMPTY) -> Html:
        label = entry + self.node_label(node)
        inner = [self.node(c) for c in node.get("children", [])]
        inner += [self.item(i) for i in node.get("items", [])]
        if not inner:
            return _h("<li>{}</li>", label)
        return _h("<li><details open><summary>{}</summary><ul class=\"tree\">{}</ul></details></li>", label,
                  _join(inner))

    def item(self, item: Data) -> Html:
        where = item["pointer"] or f"entry {item['index'] + 1}"
        entry = _h("<span class=\"entry\">Entry <code>{}</code>:</span> ", where)
        parts = []
        if "where" in item:
            parts.append(self.node(item["where"], Html("<span class=\"entry\">where</span> ")))
        if "trace" in item:
            parts.append(self.node(item["trace"]))
        if not parts:
            return _h("<li>{}{}</li>", entry, json.dumps(item["value"], ensure_ascii=False))
        return _h("<li><details open><summary>{}</summary><ul class=\"tree\">{}</ul></details></li>", entry,
                  _join(parts))

    @staticmethod
    def node_label(node: Data) -> Html:
        expr = _h("<code>{}</code>", node["expr"])
        if "item" in node:
            where = _h("<code>{}</code>", node["item"]) if node["item"] else "of the list above"
            return _h("{} <span class=\"ptr\">the entry {}</span>", expr, where)
        if node.get("evaluated", True) is False:
            return _h("{} <span class=\"skip\">not evaluated (not needed for the result)</span>", expr)
        if node.get("missing"):
            value = Html("<span class=\"miss\">? not recorded</span>")
        elif node["expr"] == node["display"] and not _INFORMATIVE & node.keys():
            return expr
        else:
            value = _h("<span class=\"val\">= {}</span>", node["display"])
        extras = []
        if "pointer" in node:
            extras.append(_h("<span class=\"ptr\">at <code>{}</code></span>", node["pointer"]))
        if node.get("matched"):
            extras.append(_h("(contains “{}”)", node["matched"]))
        if "parameter" in node:
            p = node["parameter"]
            extras.append(_h("<span class=\"ptr\">parameter, in force from {}</span>{}", _long_date(p["in_force_from"]),
                             _h(" {}", _illus_badge()) if p["illustrative"] else _EMPTY))
        for key, word in (("definition", "definition"), ("determination", "decision")):
            if key in node:
                extras.append(_h("<span class=\"ptr\">{} <code>{}</code></span>", word, node[key]))
        return _join([expr, value, *extras], " ")

    def footer(self) -> Html:
        r = self.r
        return _h("<footer><p>Produced by {} {} from {} version {} as of {}. This page needs no network connection "
                  "and works with scripts off; printing opens every decision.</p></footer>\n",
                  r["engine"]["name"], r["engine"]["version"],
                  r["standards"]["id"], r["standards"]["version"], _long_date(r["as_of"]))
