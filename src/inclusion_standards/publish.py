"""The published standards: one readable document, in HTML and Markdown, generated from the
checked form of a version, so the text parents and schools read cannot disagree with the
rules that are executed.

For each rule: its title, whether the standards say it *must* or *should* be met, its legal
basis and citations, what it checks in words (`prose.in_words`) and the rule as written in
a folded detail, its exceptions, how to put a failure right and where to challenge it. Then
each decision (determination) case by case, the layers of support, the Specialist
Provision Packages with their criteria (marked illustrative where they are), the figures
with their history, where decisions can be challenged, what the standards do not judge,
the definitions, and what changed since the previous version (`diff`).

The document is built once as a small tree of blocks and written out twice, so the HTML
page and the Markdown file say the same. Before either is written, every rule, exception,
determination and parameter is looked for in both: a document that left one out is never
published.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Union

from . import __version__
from . import checked as c
from . import tree as t
from .diagnostics import Diagnostic, NisError
from .diff import StandardsDiff, diff_standards
from .files import OutputRefused, display_path, write_atomically
from .formatter import format_expr, format_module
from .prose import Glossary, in_words
from .report import html_page
from .standards import Standards, StandardsLibrary
from .wording import long_date

__all__ = ["PublishError", "previous_version", "publish", "render_html", "render_markdown", "standards_document"]


class PublishError(NisError):
    """The generated document would leave out part of the standards."""


# ---- the document as blocks ------------------------------------------------------------------
# Inline text marks code with backticks (`name`); a Link is a citation with an address.

@dataclass(frozen=True)
class Link:
    text: str
    url: str


Inline = Union[str, Link]
Text = tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Para:
    parts: Text
    css: str = ""


@dataclass(frozen=True)
class Items:
    items: tuple[Text, ...]


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[Text, ...], ...]


@dataclass(frozen=True)
class Folded:
    summary: str
    source: str


Block = Union[Heading, Para, Items, Table, Folded]


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def _p(*parts: Inline, css: str = "") -> Para:
    return Para(tuple(parts), css)


# ---- building ------------------------------------------------------------------------------------

def previous_version(library: StandardsLibrary, standards: Standards) -> Standards | None:
    """The version this one supersedes, if the library has it; else the latest earlier
    version with the same id."""
    header = standards.checked.header
    for s in library.versions:
        if s.id == header.supersedes and (header.supersedes_version in (None, s.version)) and s is not standards:
            return s
    earlier = [s for s in library.versions if s.id == standards.id and s.effective_from < standards.effective_from]
    return max(earlier, key=lambda s: (s.effective_from, s.version)) if earlier else None


def standards_document(standards: Standards, as_of: date, previous: Standards | None) -> Document:
    return _Builder(standards, as_of, previous).build()


class _Builder:
    def __init__(self, standards: Standards, as_of: date, previous: Standards | None):
        self.s, self.as_of, self.previous = standards, as_of, previous
        ch = standards.checked
        self.checked = ch
        self.definitions: dict[str, c.CheckedDefinition] = {}
        self.rules: dict[str, c.CheckedRule] = {}
        self.exceptions: dict[str, c.CheckedException] = {}
        self.determinations: dict[str, c.CheckedDetermination] = {}
        for plan in ch.plans.values():
            for d in plan.definitions:
                self.definitions.setdefault(d.declaration.name, d)
            for r in plan.rules:
                self.rules.setdefault(r.id, r)
            for e_id, e in plan.exceptions.items():
                self.exceptions.setdefault(e_id, e)
            for det in plan.determinations:
                self.determinations.setdefault(det.name, det)
        self.glossary = Glossary(
            {n: p.declaration.title for n, p in ch.parameters.items() if p.declaration.title},
            {n: d.declaration.title for n, d in self.definitions.items() if d.declaration.title},
            {n: d.title for n, d in ch.determinations.items() if d.title})
        self.in_force = standards.parameters_on(as_of)
        self.doc = Document(f"{standards.title or standards.id} — version {standards.version}")

    def words(self, node: c.Node | None) -> str:
        return in_words(node, self.glossary) if node is not None else ""

    def build(self) -> Document:
        self.envelope()
        self.contents()
        self.changes()
        self.layers()
        self.rule_sections()
        self.determination_section()
        self.packages()
        self.parameters()
        self.disputes()
        self.not_judged()
        self.definition_section()
        return self.doc

    # ---- the opening ------------------------------------------------------------------------
    def envelope(self) -> None:
        s, header = self.s, self.checked.header
        until = f" until {long_date(s.effective_until)}" if s.effective_until else ""
        rows: list[tuple[Text, ...]] = [
            (("Standards",), (f"`{s.id}`",)), (("Version",), (s.version,)),
            (("In force",), (f"from {long_date(s.effective_from)}{until}",)),
            (("Publisher",), (header.publisher or "not stated",)),
            (("SHA-256 of its files",), (f"`{s.sha256}`",)),
            (("Figures shown as in force on",), (long_date(self.as_of),))]
        if header.supersedes:
            rows.insert(3, (("Supersedes",), (f"`{header.supersedes}`" + (
                f" version {header.supersedes_version}" if header.supersedes_version else ""),)))
        self.doc.add(Heading(1, self.doc.title, "top"), Table("This version", ("", ""), tuple(rows)),
                     _p("This document is generated by nis ", __version__, " from the standards' own files, the same "
                        "files nis judges plans by: the text below and the rules that are executed cannot disagree. "
                        "A rule the standards say a plan ", "**must**", " meet is a requirement: a plan that does "
                        "not meet it fails. A rule it ", "**should**", " meet is a recommendation: a plan that does "
                        "not meet it gets a warning. A citation marked [proposal] rests on the 2026 reform "
                        "proposals, not yet law; one marked [illustrative] is a figure or criterion the sources do "
                        "not fix, chosen for illustration.", css="note"))

    def contents(self) -> None:
        sections = [("changes", "What changed since the previous version"), ("layers", "Layers of support"),
                    ("rules", "Rules"), ("decisions", "Decisions"), ("packages", "Specialist Provision Packages"),
                    ("parameters", "Figures (parameters) and their history"),
                    ("challenge", "Where decisions can be challenged"),
                    ("not-judged", "What these standards do not judge"), ("definitions", "Definitions")]
        self.doc.add(Heading(2, "Contents", "contents"),
                     Items(tuple((Link(title, f"#{anchor}"),) for anchor, title in sections)))

    # ---- what changed -------------------------------------------------------------------------
    def changes(self) -> None:
        self.doc.add(Heading(2, "What changed since the previous version", "changes"))
        if self.previous is None:
            self.doc.add(_p("This is the first version of these standards in this folder: there is no earlier "
                            "version to compare it with."))
            return
        d: StandardsDiff = diff_standards(self.previous, self.s)
        counts = d.counts()
        self.doc.add(_p(f"Compared with version {self.previous.version} (in force from "
                        f"{long_date(self.previous.effective_from)}): {counts['added']} added, {counts['removed']} "
                        f"removed, {counts['changed']} changed."))
        if d.empty:
            self.doc.add(_p("Nothing changed in what the standards say."))
            return
        items: list[Text] = []
        for change in d.changes:
            name = f"{change.kind} `{change.name}`" + (f" ({change.title})" if change.title else "")
            if change.change != "changed":
                items.append((f"{change.change.capitalize()}: {name}.",))
                continue
            aspects = "; ".join(
                f"{a.aspect}" + (f" from {long_date(a.applies_from)}" if a.applies_from else "") + ": "
                + (f"`{a.old}`" if a.old is not None else "none") + " → "
                + (f"`{a.new}`" if a.new is not None else "none") for a in change.aspects)
            items.append((f"Changed: {name}: {aspects}.",))
        self.doc.add(Items(tuple(items)))
        if d.impacted:
            self.doc.add(_p("Not changed themselves, but using something that changed: " + "; ".join(
                f"`{i.name}` (through {', '.join(i.through)})" for i in d.impacted) + "."))

    # ---- layers -------------------------------------------------------------------------------
    def layers(self) -> None:
        self.doc.add(Heading(2, "Layers of support", "layers"))
        layer = self.checked.enumerations.get("Layer")
        if layer is None:
            self.doc.add(_p("These standards define no layers of support."))
            return
        self.doc.add(_p(f"{layer.title or 'Layers'}: " + ", ".join(m.label or m.name for m in layer.members) + "."))
        placing = [d for d in self.determinations.values() if d.type.kind == "enum" and d.type.name == "Layer"]
        for member in layer.members:
            self.doc.add(Heading(3, member.label or member.name, f"layer-{member.name}"))
            for det in placing:
                for case in det.cases:
                    if isinstance(case.value, c.Member) and case.value.member == member.name:
                        because = f" ({case.declaration.because})" if case.declaration.because else ""
                        self.doc.add(_p(f"The decision `{det.name}` places a plan here when "
                                        f"{self.words(case.condition)}{because}."))
                otherwise = det.otherwise
                if isinstance(otherwise, c.Member) and otherwise.member == member.name:
                    reason = det.declaration.otherwise.because
                    self.doc.add(_p(f"The decision `{det.name}` places a plan here when no earlier case holds"
                                    + (f" ({reason})" if reason else "") + "."))
            mentioning = [r for r in self.rules.values() if _mentions_member(r, member.name)]
            if mentioning:
                self.doc.add(_p("Rules for plans at this layer: ", *_joined(
                    [Link(f"{r.id}", f"#rule-{r.id}") for r in mentioning]), "."))

    # ---- rules --------------------------------------------------------------------------------
    def rule_sections(self) -> None:
        self.doc.add(Heading(2, "Rules", "rules"))
        plans = self.checked.plans
        groups: dict[tuple[str, ...], list[t.Rule]] = {}
        for rule in self.checked.rules:
            groups.setdefault(rule.applies_to or tuple(plans), []).append(rule)
        for kinds, rules in groups.items():
            names = " and ".join(plans[k].title or k for k in kinds if k in plans)
            self.doc.add(Heading(3, f"Rules for {names} ({len(rules)})", "rules-" + "-".join(kinds)))
            for rule in rules:
                self.rule(rule)

    def rule(self, rule: t.Rule) -> None:
        checked = self.rules.get(rule.id)
        strength = ("Must: a requirement (not met, it is an error)" if rule.severity == "must"
                    else "Should: a recommendation (not met, it is a warning)")
        self.doc.add(Heading(4, f"{rule.id}: {rule.title or ''}".rstrip(": "), f"rule-{rule.id}"),
                     _p(f"**{strength}.** Applies to: {', '.join(rule.applies_to) or 'every plan'}."))
        if checked is not None and checked.when is not None:
            self.doc.add(_p(f"When: {self.words(checked.when)}."))
        if checked is not None and checked.requirement is not None:
            self.doc.add(_p(f"What it checks: {self.words(checked.requirement)}."))
        self.citations("Legal basis", rule.citations)
        for e_id in (checked.exceptions if checked is not None else ()):
            self.exception(e_id, 5)
        used = self.figures(checked.when, checked.requirement) if checked is not None else []
        if used:
            self.doc.add(_p("Figures it uses: ", *_joined([Link(p, f"#param-{p}") for p in used]), "."))
        if rule.hint:
            self.doc.add(_p(f"How to put it right: {rule.hint}"))
        if rule.challenge:
            self.doc.add(_p(f"How to challenge it: {rule.challenge}"))
        self.doc.add(Folded(f"{rule.id} as written", _written(rule)))

    def exception(self, e_id: str, level: int, inner: bool = False) -> None:
        """An exception under the heading it excepts (`level`: its own heading's level)."""
        checked = self.exceptions.get(e_id)
        declaration = self.checked.exceptions.get(e_id)
        if declaration is None:
            return
        lead = "Exception to the exception" if inner else "Exception"
        condition = self.words(checked.condition) if checked is not None else format_expr(declaration.condition)
        self.doc.add(Heading(level, f"{lead} {e_id}: {declaration.title or ''}".rstrip(": "), f"exception-{e_id}"),
                     _p(f"It applies when {condition}."))
        self.citations("Legal basis", declaration.citations)
        self.doc.add(Folded(f"{e_id} as written", _written(declaration)))
        for nested in (checked.exceptions if checked is not None else ()):
            self.exception(nested, min(level + 1, 6), inner=True)

    def citations(self, label: str, citations: Iterable[t.Citation]) -> None:
        items = tuple(_citation(x) for x in citations)
        if items:
            self.doc.add(_p(f"{label}:"), Items(items))
        else:
            self.doc.add(_p(f"{label}: none cited."))

    def figures(self, *nodes: c.Node | None) -> list[str]:
        definitions = {n: d.expr for n, d in self.definitions.items()}
        return list(c.static_reads(definitions, *nodes).parameters)

    # ---- determinations -----------------------------------------------------------------------
    def determination_section(self) -> None:
        self.doc.add(Heading(2, "Decisions", "decisions"),
                     _p("A decision is reached case by case: the first case that holds decides, and the decision "
                        "says which case it was and why."))
        for name, declaration in self.checked.determinations.items():
            checked = self.determinations.get(name)
            self.doc.add(Heading(3, f"{name}: {declaration.title or ''}".rstrip(": "), f"det-{name}"),
                         _p(f"Applies to: {', '.join(declaration.applies_to) or 'every plan'}."))
            if checked is not None:
                items: list[Text] = []
                for n, case in enumerate(checked.cases, 1):
                    because = f" Because: {case.declaration.because}" if case.declaration.because else ""
                    items.append((f"Case {n}: {self.words(case.value)} when {self.words(case.condition)}.{because}",))
                reason = declaration.otherwise.because
                items.append((f"Otherwise: {self.words(checked.otherwise)}."
                               + (f" Because: {reason}" if reason else ""),))
                self.doc.add(Items(tuple(items)))
                for e_id in sorted({e for case in checked.cases for e in case.exceptions}):
                    self.exception(e_id, 4)
            self.citations("Legal basis", declaration.citations)
            if declaration.challenge:
                self.doc.add(_p(f"How to challenge it: {declaration.challenge}"))
            self.doc.add(Folded(f"{name} as written", _written(declaration)))

    # ---- packages -----------------------------------------------------------------------------
    def packages(self) -> None:
        self.doc.add(Heading(2, "Specialist Provision Packages", "packages"))
        lists = [p for n, p in self.checked.parameters.items() if n.endswith("_packages")]
        ids = sorted({v for p in lists for _, value in p.values if isinstance(value, tuple) for v in value
                      if isinstance(v, str)})
        if not ids:
            self.doc.add(_p("These standards name no Specialist Provision Packages."))
            return
        for package in ids:
            memberships = []
            illustrative_package = False
            for p in lists:
                starts = [start for start, value in p.values if isinstance(value, tuple) and package in value]
                if starts:
                    mark = " [illustrative]" if p.declaration.illustrative else ""
                    memberships.append(f"{p.declaration.title or p.name} (`{p.name}`) from "
                                       f"{long_date(starts[0])}{mark}")
                    illustrative_package = illustrative_package or p.declaration.illustrative is not None
            criteria = self.definitions.get(f"{package}_criteria_met")
            figures = self.figures(criteria.expr) if criteria is not None else []
            illustrative_figures = [f for f in figures if self.checked.parameters[f].declaration.illustrative]
            mark = (" (illustrative package)" if illustrative_package
                    else " (illustrative criteria)" if illustrative_figures else "")
            self.doc.add(Heading(3, f"Package `{package}`{mark}", f"package-{package}"),
                         _p("Listed in: " + "; ".join(memberships) + "."))
            if illustrative_package:
                self.doc.add(_p("Illustrative: not an official package. It is named from examples in the sources, "
                                "and its criteria are invented for illustration.", css="note"))
            elif illustrative_figures:
                self.doc.add(_p("Its criteria read illustrative figures, which the sources do not fix: "
                                + ", ".join(f"`{f}`" for f in illustrative_figures) + ".", css="note"))
            if criteria is not None:
                self.doc.add(_p(f"Criteria: {self.words(criteria.expr)}."))
            else:
                self.doc.add(_p("Its criteria are not encoded."))

    # ---- parameters ---------------------------------------------------------------------------
    def parameters(self) -> None:
        self.doc.add(Heading(2, "Figures (parameters) and their history", "parameters"),
                     _p(f"Each figure with the value in force on {long_date(self.as_of)} and every value it has "
                        "had. A figure marked illustrative is not fixed by law or by the proposals; every finding "
                        "that uses one says so."))
        for name, p in self.checked.parameters.items():
            d = p.declaration
            now = self.in_force.get(name)
            shown = "no value" if now is None or now.in_force_from is None else _dated_value(d, now.in_force_from)
            self.doc.add(Heading(3, f"{name}: {d.title or ''}".rstrip(": "), f"param-{name}"),
                         _p(f"In force on {long_date(self.as_of)}: `{shown}`"
                            + (f" ({d.unit})" if d.unit else "") + "."))
            if d.illustrative:
                self.doc.add(_p(f"Illustrative: {d.illustrative}", css="note"))
            rows = tuple(((long_date(v.start),), (_value_cell(v),), (_citation(v.citation) if v.citation else ("",)))
                         for v in d.values)
            self.doc.add(Table(f"The values of {name}", ("From", "Value", "Source of this value"), rows))
            self.citations("Source", d.citations)

    # ---- disputes, not judged, definitions ----------------------------------------------------
    def disputes(self) -> None:
        self.doc.add(Heading(2, "Where decisions can be challenged", "challenge"))
        routes = [n for n, d in self.checked.determinations.items() if n.endswith("_route")]
        if routes:
            self.doc.add(_p("The main route for a whole plan: ", *_joined([Link(n, f"#det-{n}") for n in routes]),
                            "."))
        by_route: dict[str, list[str]] = {}
        for rule in self.checked.rules:
            if rule.challenge:
                by_route.setdefault(rule.challenge, []).append(rule.id)
        rows = tuple(((text,), tuple(_joined([Link(r, f"#rule-{r}") for r in rules])))
                     for text, rules in by_route.items())
        self.doc.add(Table("Each rule's route of challenge", ("Route", "Rules"), rows))

    def not_judged(self) -> None:
        self.doc.add(Heading(2, "What these standards do not judge", "not-judged"))
        notes = self.checked.not_judged
        if not notes:
            self.doc.add(_p("The standards list nothing they leave unjudged."))
        for note in notes:
            applies = f" (for {', '.join(note.applies_to)})" if note.applies_to else ""
            cites = "; ".join(x.text for x in note.citations)
            self.doc.add(_p(f"{note.text}{applies}." + (f" Source: {cites}." if cites else "")))

    def definition_section(self) -> None:
        self.doc.add(Heading(2, "Definitions", "definitions"),
                     _p("The named values the rules use, each computed once per plan."))
        for name, d in self.definitions.items():
            self.doc.add(Heading(3, f"{name}: {d.declaration.title or ''}".rstrip(": "), f"def-{name}"),
                         _p(f"{self.words(d.expr)[:1].upper()}{self.words(d.expr)[1:]}."),
                         Folded(f"{name} as written", _written(d.declaration)))


def _value_cell(v: t.DatedValue) -> str:
    return f"`{format_expr(v.value)}`" if v.value is not None else "none (no value in force)"


def _dated_value(d: t.Parameter, start: date) -> str:
    for v in d.values:
        if v.start == start:
            return format_expr(v.value) if v.value is not None else "none"
    return "no value"


def _citation(x: t.Citation) -> Text:
    if x.url and x.url.startswith(("https://", "http://")):
        return (Link(x.text, x.url),)
    return (x.text + (f" ({x.url})" if x.url else ""),)


def _joined(parts: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for n, part in enumerate(parts):
        if n:
            out.append(", ")
        out.append(part)
    return out


def _written(item: t.Item) -> str:
    return format_module(t.Module("", (item,))).rstrip("\n")


def _mentions_member(rule: c.CheckedRule, member: str) -> bool:
    for root in (rule.when, rule.requirement):
        if root is None:
            continue
        for node in c.walk(root):
            if isinstance(node, c.Member) and node.member == member:
                return True
            if isinstance(node, c.Const) and node.value == member:
                return True
    return False


# ---- writing -------------------------------------------------------------------------------------

_CODE = re.compile(r"`([^`]*)`")
_STRONG = re.compile(r"\*\*([^*]+)\*\*")
_CSS = """
.note { border-left: 6px solid var(--ink); background: var(--panel); padding: .6rem 1rem; }
details.written { margin: .4rem 0 1rem; }
details.written pre { white-space: pre-wrap; background: var(--panel); padding: .6rem; font-size: .85rem; }
h4 { border-top: 1px solid var(--rule); padding-top: .6rem; }
@media print { details.written > summary { list-style: none; } }
"""


def render_html(doc: Document) -> str:
    out: list[str] = []
    for block in doc.blocks:
        match block:
            case Heading(level=level, text=text, anchor=anchor):
                out.append(f"<h{level} id=\"{escape(anchor)}\">{_html_inline((text,))}</h{level}>\n")
            case Para(parts=parts, css=css):
                cls = f" class=\"{css}\"" if css else ""
                out.append(f"<p{cls}>{_html_inline(parts)}</p>\n")
            case Items(items=items):
                out.append("<ul>" + "".join(f"<li>{_html_inline(i)}</li>" for i in items) + "</ul>\n")
            case Table(caption=caption, head=head, rows=rows):
                cells = "".join(f"<th scope=\"col\">{escape(h)}</th>" for h in head)
                body = "".join("<tr>" + "".join(f"<td>{_html_inline(cell)}</td>" for cell in row) + "</tr>"
                               for row in rows)
                out.append(f"<table>\n<caption class=\"kicker\">{escape(caption)}</caption>\n"
                           f"<thead><tr>{cells}</tr></thead>\n<tbody>{body}</tbody>\n</table>\n")
            case Folded(summary=summary, source=source):
                out.append(f"<details class=\"written\"><summary>{escape(summary)}</summary>"
                           f"<pre><code>{escape(source)}</code></pre></details>\n")
    footer = (f"<footer><p>Generated by nis {escape(__version__)} from the standards' files. This page needs no "
              "network connection and no scripts; printing opens every folded rule.</p></footer>\n")
    return html_page(doc.title, "".join(out) + footer, _CSS)


def _html_inline(parts: Text) -> str:
    out = []
    for part in parts:
        if isinstance(part, Link):
            css = " class=\"cite\"" if part.url.startswith("http") else ""
            out.append(f"<a{css} href=\"{escape(part.url)}\">{_marked(part.text)}</a>")
        else:
            out.append(_marked(part))
    return "".join(out)


def _marked(text: str) -> str:
    html = _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", escape(text, quote=False))
    return _STRONG.sub(lambda m: f"<strong>{m.group(1)}</strong>", html)


def render_markdown(doc: Document) -> str:
    out: list[str] = []
    for block in doc.blocks:
        match block:
            case Heading(level=level, text=text, anchor=anchor):
                out.append(f"{'#' * level} <a id=\"{anchor}\"></a>{_md_inline((text,))}\n")
            case Para(parts=parts, css=css):
                out.append(("> " if css == "note" else "") + _md_inline(parts) + "\n")
            case Items(items=items):
                out.append("\n".join(f"- {_md_inline(i)}" for i in items) + "\n")
            case Table(caption=caption, head=head, rows=rows):
                lines = [f"*{_md_text(caption)}*", "", "| " + " | ".join(_md_text(h) for h in head) + " |",
                         "|" + "---|" * len(head)]
                lines += ["| " + " | ".join(_md_inline(cell).replace("|", "\\|") for cell in row) + " |"
                          for row in rows]
                out.append("\n".join(lines) + "\n")
            case Folded(summary=summary, source=source):
                out.append(f"<details><summary>{escape(summary)}</summary>\n\n```\n{source}\n```\n\n</details>\n")
    out.append(f"Generated by nis {__version__} from the standards' files.\n")
    return "\n".join(out)


def _md_inline(parts: Text) -> str:
    out = []
    for part in parts:
        if isinstance(part, Link):
            out.append(f"[{_md_text(part.text)}]({part.url})")
        else:
            out.append(_md_text(part))
    return "".join(out)


_MD_SPECIAL = re.compile(r"([\\\[\]<>_*#])")


def _md_text(text: str) -> str:
    """Markdown with code spans and **strong** kept, everything else escaped."""
    pieces = []
    for n, piece in enumerate(re.split(r"(`[^`]*`|\*\*[^*]+\*\*)", text)):
        if n % 2:
            pieces.append(piece)
        else:
            pieces.append(_MD_SPECIAL.sub(r"\\\1", piece))
    return "".join(pieces)


# ---- publishing ------------------------------------------------------------------------------------

def publish(standards: Standards, library: StandardsLibrary, out: Path, as_of: date) -> list[Path]:
    """Write `index.html` and `index.md` for `standards` into the folder `out`, after checking
    that both name every rule, exception, determination and parameter."""
    doc = standards_document(standards, as_of, previous_version(library, standards))
    html, markdown = render_html(doc), render_markdown(doc)
    missing = list(_missing(standards, html, markdown))
    if missing:
        raise PublishError([Diagnostic("error", "NIS-P001", "the generated document leaves out "
                                       + ", ".join(missing), source=standards.entry,
                                       hint="this is a bug in nis: please report it with the standards")])
    written = [out / "index.html", out / "index.md"]
    try:
        out.mkdir(parents=True, exist_ok=True)
        for path, text in zip(written, (html, markdown), strict=True):
            write_atomically(path, text.encode("utf-8"), "--out")
    except (OSError, OutputRefused) as exc:
        raise PublishError([Diagnostic("error", "NIS-O002", str(exc), source=display_path(out),
                                       hint="give a folder you can write to")]) from None
    return written


def _missing(standards: Standards, html: str, markdown: str) -> Iterator[str]:
    ch = standards.checked
    wanted = ([("rule", r.id) for r in ch.rules] + [("exception", e) for e in ch.exceptions]
              + [("det", n) for n in ch.determinations] + [("param", n) for n in ch.parameters])
    for prefix, name in wanted:
        anchor = f'id="{prefix}-{name}"'
        if anchor not in html or anchor not in markdown:
            yield f"{prefix} {name}"
