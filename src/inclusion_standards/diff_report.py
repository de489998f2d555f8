"""The report of `nis diff`: what changed between two versions of the standards and, with a
corpus, what the change does to real plans. As text for a terminal, JSON for a program,
CSV for a spreadsheet, and one printable HTML page for a policy meeting.

The HTML page opens with the two versions and a summary table, then two charts of changed
outcomes (by rule, by layer) drawn as static SVG: no script, no external file, each with a
title, a description and the same figures as a table beside it, so it reads aloud and
prints. Then the changes in words, and the rules as written, with their citations.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from . import __version__
from .diff import Aspect, Change, StandardsDiff
from .impact import ABSENT, ImpactTotals
from .report import html_page
from .standards import Standards
from .wording import long_date

__all__ = ["CHANGE_COLUMNS", "DECISION_COLUMNS", "DiffReport", "Labels", "decision_rows", "decisions_csv", "labels_of",
           "render_diff"]

CHANGE_COLUMNS = ("kind", "name", "change", "title", "aspect", "old", "new", "applies_from")
DECISION_COLUMNS = ("record", "input", "document_id", "document_type", "layer", "packages", "old_outcome",
                    "new_outcome", "kind", "name", "old", "new", "old_severity", "new_severity")
MAX_BARS = 15
_STATUS_WORDS = {"pass": "met", "fail": "not met", "excepted": "excepted", "not_applicable": "does not apply",
                 "cannot_judge": "cannot be judged", ABSENT: "not in this version"}


@dataclass(frozen=True)
class Labels:
    """Titles and labels from the two versions, for the report's words."""

    titles: dict[str, str]        # rule id or determination name -> title
    members: dict[str, str]       # enumeration member -> label ("targeted_plus" -> "Targeted Plus")

    def title(self, name: str) -> str:
        return self.titles.get(name, "")

    def member(self, value: str) -> str:
        label = self.members.get(value)
        return f"{label} ({value})" if label and label != value else value


@dataclass(frozen=True)
class DiffReport:
    diff: StandardsDiff
    as_of: date
    settings: tuple[str, ...]
    corpus: tuple[str, ...]
    impact: ImpactTotals | None
    labels: Labels

    def to_json(self) -> dict[str, Any]:
        out = {"report": "nis diff", "engine": {"name": "nis", "version": __version__}, "as_of": self.as_of.isoformat(),
               "settings": list(self.settings), **self.diff.to_json(), "corpus": list(self.corpus),
               "impact": self.impact.to_json() if self.impact is not None else None}
        if self.impact is not None:
            out["impact"]["summary"] = list(summary_sentences(self))
        return out


def render_diff(report: DiffReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "text":
        return _text(report)
    if fmt == "html":
        return _html(report)
    if fmt == "csv":
        return _csv(CHANGE_COLUMNS, change_rows(report.diff))
    raise ValueError(f"unknown format {fmt!r}")


# ---- rows ---------------------------------------------------------------------------------------

def change_rows(diff: StandardsDiff) -> Iterator[list[str]]:
    """One row per aspect of each change (one row for a whole declaration added or removed)."""
    for c in diff.changes:
        if not c.aspects:
            yield [c.kind, c.name, c.change, c.title or "", "", "", "", ""]
        for a in c.aspects:
            yield [c.kind, c.name, c.change, c.title or "", a.aspect, a.old or "", a.new or "",
                   a.applies_from.isoformat() if a.applies_from else ""]


def decision_rows(records: Iterable[dict[str, Any]]) -> Iterator[list[object]]:
    """One row per decision that differs, per plan, from the impact records (errors too)."""
    for r in records:
        where = r["input"]
        label = where["path"] if where.get("line") is None else f"{where['path']}:{where['line']}"
        if r["outcome"] == "error":
            yield [r["record"], label, "", "", "", "", "", "", "error", "", r["error"]["reason"], "", "", ""]
            continue
        doc = r["document"]
        head = [r["record"], label, doc["id"] or "", doc["type"], doc["layer"], " ".join(doc["packages"]),
                r["old"]["outcome"], r["new"]["outcome"]]
        for c in r["changes"]:
            yield [*head, c["kind"], c["name"], _cell(c["old"]), _cell(c["new"]), c.get("old_severity") or "",
                   c.get("new_severity") or ""]


def decisions_csv(records: Iterable[dict[str, Any]]) -> str:
    """The full list of an impact run as CSV: one row per decision that differs, per plan."""
    return _csv(DECISION_COLUMNS, decision_rows(records))


def _cell(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _csv(columns: tuple[str, ...], rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


# ---- words ----------------------------------------------------------------------------------------

def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _severity(severity: str | None) -> str:
    return {"error": "an error (must)", "warning": "a warning (should)"}.get(severity or "", "")


def rule_sentence(rule: str, title: str, move: dict[str, Any]) -> str:
    """A rule's change for a policy meeting: '12 plans would newly not meet ISP-TP-HOURS ...'."""
    old, new, n = move["old"], move["new"], move["documents"]
    plans = _n(n, "plan")
    named = f"{rule} ({title})" if title else rule
    if new == "fail" and old != "fail":
        return f"{plans} would newly not meet {named}: {_severity(move['new_severity'])}, " \
               f"where it was {_STATUS_WORDS.get(old, old)}."
    if old == "fail" and new != "fail":
        return f"{plans} would no longer fail {named}: it would be {_STATUS_WORDS.get(new, new)}."
    if old == new == "fail":
        return f"{plans} still fail {named}, but as {_severity(move['new_severity'])} " \
               f"instead of {_severity(move['old_severity'])}."
    return f"{plans}: {named} goes from {_STATUS_WORDS.get(old, old)} to {_STATUS_WORDS.get(new, new)}."


def determination_sentence(name: str, title: str, move: dict[str, Any], labels: Labels) -> str:
    old, new, n = move["old"], move["new"], move["documents"]
    plans = _n(n, "plan")
    what = title or name
    if (old, new) == ("yes", "no"):
        return f"{plans} would no longer meet: {what} ({name})."
    if (old, new) == ("no", "yes"):
        return f"{plans} would newly meet: {what} ({name})."
    return f"{plans}: {what} ({name}) goes from {labels.member(old)} to {labels.member(new)}."


def summary_sentences(report: DiffReport) -> Iterator[str]:
    impact = report.impact
    if impact is None:
        return
    data = impact.to_json()
    yield (f"{_n(data['documents'], 'plan')} in the corpus: {data['judged']:,} judged by both versions, "
           f"{_n(data['errors'], 'error')}; {_n(data['changed'], 'plan')} with a decision that changes.")
    newly = sum(o["documents"] for o in data["outcomes"] if (o["old"], o["new"]) == ("pass", "fail"))
    no_longer = sum(o["documents"] for o in data["outcomes"] if (o["old"], o["new"]) == ("fail", "pass"))
    yield (f"{_n(newly, 'plan')} would newly fail (a must not met); {_n(no_longer, 'plan')} would no longer fail.")
    for rule in data["rules"]:
        for move in rule["transitions"]:
            yield rule_sentence(rule["rule"], report.labels.title(rule["rule"]), move)
    for det in data["determinations"]:
        for move in det["transitions"]:
            yield determination_sentence(det["determination"], report.labels.title(det["determination"]), move,
                                         report.labels)


def _aspect_text(a: Aspect) -> str:
    when = f" from {long_date(a.applies_from)}" if a.applies_from else ""
    if a.old is None:
        return f"{a.aspect}{when}: added {a.new}"
    if a.new is None:
        return f"{a.aspect}{when}: removed {a.old}"
    return f"{a.aspect}{when}: {a.old} → {a.new}"


# ---- text -----------------------------------------------------------------------------------------

def _text(report: DiffReport) -> str:
    d = report.diff
    lines = [f"nis diff: {d.old.name} → {d.new.name}",
             f"  old  {d.old.name}  sha256 {d.old.sha256[:12]}  effective from {long_date(d.old.effective_from)}",
             f"  new  {d.new.name}  sha256 {d.new.sha256[:12]}  effective from {long_date(d.new.effective_from)}",
             f"  as of {long_date(report.as_of)}"]
    lines += [f"  trial change: {setting}" for setting in report.settings]
    counts = d.counts()
    lines += ["", f"Changes to the standards: {counts['added']} added, {counts['removed']} removed, "
                  f"{counts['changed']} changed"]
    if d.empty:
        lines.append("  No changes: the two versions say the same.")
    marks = {"added": "+", "removed": "-", "changed": "~"}
    for c in d.changes:
        strength = f" ({c.strength})" if c.strength else ""
        lines.append(f"  {marks[c.change]} {c.kind} {c.name}{strength}  {c.title or ''}".rstrip())
        lines += [f"      {_aspect_text(a)}" for a in c.aspects]
        if c.change != "changed":
            lines += [f"      cite {cite.text}" for cite in c.citations]
    if d.impacted:
        lines += ["", "Not changed themselves, but using something that changed:"]
        lines += [f"  {i.kind} {i.name}  {i.title or ''}  (through {', '.join(i.through)})" for i in d.impacted]
    if report.impact is not None:
        lines += _text_impact(report)
    return "\n".join(lines) + "\n"


def _text_impact(report: DiffReport) -> list[str]:
    assert report.impact is not None
    data = report.impact.to_json()
    lines = ["", f"Impact on the corpus ({', '.join(report.corpus)}), as of {long_date(report.as_of)}"]
    lines += [f"  {s}" for s in summary_sentences(report)]
    if data["rules"]:
        lines += ["", "By rule (status under the old version → the new; plans; examples):"]
        for rule in data["rules"]:
            lines += [f"  {rule['rule']:<24} {_move(m['old'], m['old_severity'])} → "
                      f"{_move(m['new'], m['new_severity'])}  {m['documents']:,}  e.g. {', '.join(m['examples'])}"
                      for m in rule["transitions"]]
    if data["determinations"]:
        lines += ["", "By determination (value under the old version → the new; plans; examples):"]
        for det in data["determinations"]:
            for m in det["transitions"]:
                lines.append(f"  {det['determination']:<24} {m['old']} → {m['new']}  {m['documents']:,}  "
                             f"e.g. {', '.join(m['examples'])}")
    for key, heading in (("by_kind", "By kind of plan"), ("by_layer", "By layer"), ("by_package", "By package")):
        lines += ["", f"{heading}: plans, changed, newly failing, no longer failing, findings gained, lost"]
        for name, g in data[key].items():
            shown = report.labels.member(name) if key == "by_layer" else name
            lines.append(f"  {shown:<32} {g['documents']:>8,} {g['changed']:>8,} {g['newly_failing']:>8,} "
                         f"{g['no_longer_failing']:>8,} {g['findings_gained']:>8,} {g['findings_lost']:>8,}")
    if data["error_examples"]:
        lines += ["", "Plans that could not be judged (first few):"] + [f"  {e}" for e in data["error_examples"]]
    return lines


def _move(status: str, severity: str | None) -> str:
    return f"{status} ({severity})" if status == "fail" and severity else status


# ---- html -----------------------------------------------------------------------------------------

_CSS = """
.versions td, .versions th { vertical-align: top; }
figure.chart { margin: 1rem 0 1.5rem; break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figure.chart figcaption { font-weight: 600; margin: .3rem 0; }
.legend { display: flex; gap: 1.5rem; margin: .3rem 0; font-size: .95rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; vertical-align: -.1rem; margin-right: .3rem;
  border: 1px solid var(--ink); }
.swatch.gained { background: #a8071a; }
.swatch.lost { background: #ffffff; background-image: repeating-linear-gradient(45deg, #0b5d27 0 2px,
  #ffffff 2px 5px); }
.aspect-old { text-decoration: line-through; color: var(--muted); }
.change-card h3 { margin-top: .2rem; }
ul.sentences li { margin: .2rem 0; }
@media print { figure.chart svg .bar { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def _html(report: DiffReport) -> str:
    d = report.diff
    title = f"nis diff: {d.old.name} → {d.new.name}"
    parts = [f"<p class=\"kicker\">National Inclusion Standards — what a change would do</p>\n"
             f"<h1>{escape(d.old.name)} → {escape(d.new.name)}</h1>\n", _html_versions(report),
             _html_summary(report)]
    if report.impact is not None:
        parts += [_html_charts(report), _html_impact(report)]
    parts.append(_html_changes(report))
    parts.append(f"<footer><p>Produced by nis {escape(__version__)} as of {long_date(report.as_of)}. This page "
                 "needs no network connection and no scripts; printing keeps every chart and table.</p></footer>\n")
    return html_page(title, "".join(parts), _CSS)


def _html_versions(report: DiffReport) -> str:
    d = report.diff
    rows = []
    for role, side in (("Old", d.old), ("New", d.new)):
        until = f" until {long_date(side.effective_until)}" if side.effective_until else ""
        rows.append(f"<tr><th scope=\"row\">{role}</th><td><code>{escape(side.name)}</code><br>"
                    f"{escape(side.title or '')}</td><td>from {long_date(side.effective_from)}{until}</td>"
                    f"<td><code class=\"hash\">{escape(side.sha256)}</code></td></tr>")
    settings = "".join(f"<li><code>{escape(s)}</code></li>" for s in report.settings)
    trial = f"<p>Trial change, not published:</p>\n<ul>{settings}</ul>\n" if settings else ""
    corpus = (f"<p>Corpus: {', '.join(f'<code>{escape(c)}</code>' for c in report.corpus)}, judged as of "
              f"{long_date(report.as_of)}.</p>\n" if report.corpus else "")
    return ("<section class=\"envelope\">\n<table class=\"versions\">\n<caption class=\"kicker\">The two versions "
            "compared</caption>\n<thead><tr><th scope=\"col\"></th><th scope=\"col\">Version</th>"
            "<th scope=\"col\">In force</th><th scope=\"col\">SHA-256 of its files</th></tr></thead>\n"
            f"<tbody>{''.join(rows)}</tbody>\n</table>\n{trial}{corpus}</section>\n")


def _html_summary(report: DiffReport) -> str:
    counts = report.diff.counts()
    rows = [("Declarations added", counts["added"]), ("Declarations removed", counts["removed"]),
            ("Declarations changed", counts["changed"]),
            ("Rules and determinations affected through what they use", len(report.diff.impacted))]
    sentences = ""
    if report.impact is not None:
        data = report.impact.to_json()
        outcomes = {(o["old"], o["new"]): o["documents"] for o in data["outcomes"]}
        gained = sum(m["documents"] for r in data["rules"] for m in r["transitions"]
                     if m["new"] == "fail" and m["old"] != "fail")
        lost = sum(m["documents"] for r in data["rules"] for m in r["transitions"]
                   if m["old"] == "fail" and m["new"] != "fail")
        rows += [("Plans in the corpus", data["documents"]), ("Plans that could not be judged", data["errors"]),
                 ("Plans with a decision that changes", data["changed"]),
                 ("Plans that would newly fail", outcomes.get(("pass", "fail"), 0)),
                 ("Plans that would no longer fail", outcomes.get(("fail", "pass"), 0)),
                 ("Findings newly not met", gained), ("Findings no longer not met", lost),
                 ("Determinations whose value changes",
                  sum(m["documents"] for x in data["determinations"] for m in x["transitions"]))]
        sentences = ("<h3>In words</h3>\n<ul class=\"sentences\">"
                     + "".join(f"<li>{escape(s)}</li>" for s in summary_sentences(report)) + "</ul>\n")
    body = "".join(f"<tr><th scope=\"row\">{escape(k)}</th><td class=\"num\">{v:,}</td></tr>" for k, v in rows)
    return ("<section>\n<h2>Summary</h2>\n<table class=\"summary\">\n<thead><tr><th scope=\"col\">Measure</th>"
            f"<th scope=\"col\" class=\"num\">Count</th></tr></thead>\n<tbody>{body}</tbody>\n</table>\n"
            f"{sentences}</section>\n")


def _html_charts(report: DiffReport) -> str:
    assert report.impact is not None
    data = report.impact.to_json()
    by_rule: list[tuple[str, int, int]] = []
    for rule in data["rules"]:
        gained = sum(m["documents"] for m in rule["transitions"] if m["new"] == "fail" and m["old"] != "fail")
        lost = sum(m["documents"] for m in rule["transitions"] if m["old"] == "fail" and m["new"] != "fail")
        if gained or lost:
            by_rule.append((rule["rule"], gained, lost))
    by_rule.sort(key=lambda r: (-(r[1] + r[2]), r[0]))
    shown = by_rule[:MAX_BARS]
    more = f" The {len(by_rule) - MAX_BARS} other rules are in the table below." if len(by_rule) > MAX_BARS else ""
    by_layer = [(report.labels.member(name), g["findings_gained"], g["findings_lost"])
                for name, g in data["by_layer"].items() if g["findings_gained"] or g["findings_lost"]]
    legend = ("<p class=\"legend\"><span><span class=\"swatch gained\" aria-hidden=\"true\"></span>Newly not met"
              "</span><span><span class=\"swatch lost\" aria-hidden=\"true\"></span>No longer not met</span></p>\n")
    return ("<section>\n<h2>Changed outcomes</h2>\n" + legend
            + bar_chart("chart-rules", "Findings that change, by rule",
                        "For each rule, how many plans would newly not meet it (solid bar) and how many would no "
                        "longer fail it (striped bar) under the new version." + more, shown)
            + bar_chart("chart-layers", "Findings that change, by layer",
                        "For each layer the plans record, how many findings would be newly not met (solid bar) "
                        "and how many would no longer be not met (striped bar) under the new version.", by_layer)
            + "</section>\n")


def bar_chart(ident: str, title: str, description: str, rows: list[tuple[str, int, int]]) -> str:
    """A horizontal bar chart as static SVG, two bars per row, with a title and description
    for a screen reader and the same figures in a table after it (the text alternative)."""
    if not rows:
        return (f"<figure class=\"chart\"><figcaption>{escape(title)}</figcaption><p>No findings change.</p>"
                "</figure>\n")
    label_width, bar_width, row_height, bar_height = 230, 380, 34, 12
    width, height = label_width + bar_width + 70, row_height * len(rows) + 10
    top = max(max(g, lost) for _, g, lost in rows) or 1
    pattern = (f"<defs><pattern id=\"{ident}-stripes\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" "
               "patternTransform=\"rotate(45)\"><rect width=\"5\" height=\"5\" fill=\"#ffffff\"/>"
               "<rect width=\"2\" height=\"5\" fill=\"#0b5d27\"/></pattern></defs>")
    shapes = []
    for n, (label, gained, lost) in enumerate(rows):
        y = 5 + n * row_height
        shapes.append(f"<text x=\"{label_width - 8}\" y=\"{y + bar_height + 4}\" text-anchor=\"end\" "
                      f"font-size=\"12\" font-family=\"sans-serif\">{escape(_clip(label, 32))}</text>")
        for k, (value, fill) in enumerate(((gained, "#a8071a"), (lost, f"url(#{ident}-stripes)"))):
            w = round(bar_width * value / top, 1)
            yy = y + k * (bar_height + 2)
            shapes.append(f"<rect class=\"bar\" x=\"{label_width}\" y=\"{yy}\" width=\"{max(w, 0.5)}\" "
                          f"height=\"{bar_height}\" fill=\"{fill}\" stroke=\"#1b1b1b\" stroke-width=\"0.5\"/>")
            shapes.append(f"<text x=\"{label_width + w + 4}\" y=\"{yy + bar_height - 2}\" font-size=\"11\" "
                          f"font-family=\"sans-serif\">{value:,}</text>")
    svg = (f"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {width} {height}\" "
           f"width=\"{width}\" height=\"{height}\" aria-labelledby=\"{ident}-title {ident}-desc\">"
           f"<title id=\"{ident}-title\">{escape(title)}</title><desc id=\"{ident}-desc\">{escape(description)}</desc>"
           f"{pattern}{''.join(shapes)}</svg>")
    table_rows = "".join(f"<tr><th scope=\"row\">{escape(label)}</th><td class=\"num\">{g:,}</td>"
                         f"<td class=\"num\">{lost:,}</td></tr>" for label, g, lost in rows)
    table = (f"<table><caption>{escape(title)}: the figures of the chart</caption><thead><tr><th scope=\"col\">"
             "</th><th scope=\"col\" class=\"num\">Newly not met</th><th scope=\"col\" class=\"num\">No longer not "
             f"met</th></tr></thead><tbody>{table_rows}</tbody></table>")
    return (f"<figure class=\"chart\" id=\"{ident}\"><figcaption>{escape(title)}</figcaption>{svg}"
            f"<p>{escape(description)}</p>{table}</figure>\n")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _html_impact(report: DiffReport) -> str:
    assert report.impact is not None
    data = report.impact.to_json()
    parts = ["<section>\n<h2>Changes by rule and by decision</h2>\n"]
    rows = [f"<tr><td class=\"rid\">{escape(rule['rule'])}</td><td>{escape(report.labels.title(rule['rule']))}</td>"
            f"<td>{escape(_move(m['old'], m['old_severity']))}</td><td>{escape(_move(m['new'], m['new_severity']))}"
            f"</td><td class=\"num\">{m['documents']:,}</td><td>{escape(', '.join(m['examples']))}</td></tr>"
            for rule in data["rules"] for m in rule["transitions"]]
    parts.append(_table("Rules whose status changes", ("Rule", "Title", "Old", "New", "Plans", "For example"),
                        rows, "No rule changes status on any plan of the corpus."))
    rows = [f"<tr><td class=\"rid\">{escape(det['determination'])}</td>"
            f"<td>{escape(report.labels.title(det['determination']))}</td>"
            f"<td>{escape(report.labels.member(m['old']))}</td><td>{escape(report.labels.member(m['new']))}</td>"
            f"<td class=\"num\">{m['documents']:,}</td><td>{escape(', '.join(m['examples']))}</td></tr>"
            for det in data["determinations"] for m in det["transitions"]]
    parts.append(_table("Determinations whose value changes", ("Determination", "Title", "Old", "New", "Plans",
                                                                "For example"),
                        rows, "No determination changes value on any plan of the corpus."))
    for key, heading in (("by_kind", "By kind of plan"), ("by_layer", "By the layer the plan records"),
                         ("by_package", "By the package the plan names")):
        rows = []
        for name, g in data[key].items():
            shown = report.labels.member(name) if key == "by_layer" else name
            rows.append(f"<tr><th scope=\"row\">{escape(shown)}</th>" + "".join(
                f"<td class=\"num\">{g[k]:,}</td>" for k in ("documents", "changed", "newly_failing",
                                                              "no_longer_failing", "findings_gained",
                                                              "findings_lost")) + "</tr>")
        parts.append(_table(heading, ("", "Plans", "Changed", "Newly fail", "No longer fail", "Findings gained",
                                      "Findings lost"), rows, "No plans."))
    if data["error_examples"]:
        parts.append("<h3>Plans that could not be judged (the first few)</h3><ul>"
                     + "".join(f"<li>{escape(e)}</li>" for e in data["error_examples"]) + "</ul>\n")
    parts.append("</section>\n")
    return "".join(parts)


def _table(caption: str, head: tuple[str, ...], rows: list[str], empty: str) -> str:
    if not rows:
        return f"<h3>{escape(caption)}</h3>\n<p>{escape(empty)}</p>\n"
    cells = "".join(f"<th scope=\"col\">{escape(h)}</th>" for h in head)
    return (f"<table>\n<caption class=\"kicker\">{escape(caption)}</caption>\n<thead><tr>{cells}</tr></thead>\n"
            f"<tbody>{''.join(rows)}</tbody>\n</table>\n")


def _html_changes(report: DiffReport) -> str:
    d = report.diff
    parts = ["<section>\n<h2>What changes in the standards</h2>\n"]
    if d.empty:
        parts.append("<p>No changes: the two versions say the same.</p>\n")
    words = {"added": "Added", "removed": "Removed", "changed": "Changed"}
    parts += [_html_change(c, words[c.change]) for c in d.changes]
    if d.impacted:
        items = "".join(f"<li><code>{escape(i.name)}</code> {escape(i.title or '')} — through "
                        f"{escape(', '.join(i.through))}</li>" for i in d.impacted)
        parts.append(f"<h3>Not changed themselves, but using something that changed</h3>\n<ul>{items}</ul>\n")
    parts.append("</section>\n")
    return "".join(parts)


def _html_change(c: Change, word: str) -> str:
    strength = f" ({escape(c.strength)})" if c.strength else ""
    rows = []
    for a in c.aspects:
        when = f" from {long_date(a.applies_from)}" if a.applies_from else ""
        old = f"<span class=\"aspect-old\"><code>{escape(a.old)}</code></span>" if a.old is not None else "—"
        new = f"<code>{escape(a.new)}</code>" if a.new is not None else "—"
        rows.append(f"<tr><th scope=\"row\">{escape(a.aspect)}{when}</th><td>{old}</td><td>{new}</td></tr>")
    table = ("<table><thead><tr><th scope=\"col\">What</th><th scope=\"col\">Was</th><th scope=\"col\">Becomes</th>"
             f"</tr></thead><tbody>{''.join(rows)}</tbody></table>") if rows else ""
    cites = "".join(f"<li>{escape(x.text)}" + (f" <a class=\"cite\" href=\"{escape(x.url)}\">{escape(x.url)}</a>"
                                               if x.url and x.url.startswith(("https://", "http://")) else "")
                    + "</li>" for x in c.citations)
    return (f"<article class=\"card change-card\"><h3>{word}: {escape(c.kind)} <span class=\"rid\">"
            f"{escape(c.name)}</span>{strength}</h3>\n<p>{escape(c.title or '')}</p>\n{table}"
            + (f"<p>Sources:</p><ul>{cites}</ul>" if cites else "") + "</article>\n")


def labels_of(*versions: Standards) -> Labels:
    """The titles of rules and determinations, and the labels of enumeration members, of
    the versions compared (the later version's words win)."""
    titles: dict[str, str] = {}
    members: dict[str, str] = {}
    for standards in versions:
        checked = standards.checked
        titles.update({r.id: r.title for r in checked.rules if r.title})
        titles.update({name: d.title for name, d in checked.determinations.items() if d.title})
        members.update({m.name: m.label for e in checked.enumerations.values() for m in e.members if m.label})
    return Labels(titles, members)
