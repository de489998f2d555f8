"""The web page, written out without a template engine: the form, the report, the problems.

The report itself is `api.render(result, "html")`, the page `nis explain --format html`
writes: this module takes its styles and its body and puts the form around them, so the page
and the downloadable report can never say different things. The page uses no script at all
(the Content-Security-Policy allows none), so checking a plan works with JavaScript off; every
control has a label, the focus is always visible, and printing shows the report alone.
"""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from typing import Any

SERVICE = "nis: check a support plan"
PASTED = "pasted text"  # the name a plan typed or pasted into the page goes by in its report

_PAGE_CSS = """
body { margin: 0; color: #1b1b1b; background: #fff; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.75rem; line-height: 1.25; }
h2 { font-size: 1.4rem; line-height: 1.25; }
code, pre { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .9em; }
a { color: #1d4f91; }
.site { background: #1b1b1b; color: #fff; padding: .6rem 1.25rem; }
.site p { margin: 0 auto; max-width: 62rem; font-weight: 700; }
.skip { position: absolute; left: -999rem; }
.skip:focus { position: static; display: block; padding: .5rem 1.25rem; background: #ffdd00; color: #1b1b1b; }
:focus-visible { outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: 0 0 0 6px #1b1b1b; }
.lead { font-size: 1.1rem; }
fieldset { border: 0; padding: 0; margin: 0 0 1.25rem; }
legend { font-size: 1.4rem; font-weight: 700; margin-bottom: .5rem; }
.field { margin: 0 0 1.25rem; }
label { display: block; font-weight: 700; margin-bottom: .25rem; }
.hint { color: #4a4a4a; margin: 0 0 .4rem; }
input[type=date], input[type=password], textarea { font: inherit; border: 2px solid #1b1b1b; padding: .35rem;
  max-width: 100%; }
input[type=file] { font: inherit; padding: .3rem 0; }
textarea { width: 100%; font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace;
  font-size: .9rem; }
.or { font-weight: 700; margin: .75rem 0; }
button { font: inherit; font-weight: 700; min-height: 2.75rem; padding: .5rem 1.1rem; border: 2px solid #1d4f91;
  border-radius: 3px; background: #1d4f91; color: #fff; cursor: pointer; margin: 0 .5rem .5rem 0; }
button.secondary { background: #fff; color: #1d4f91; }
.downloads { border: 1px solid #b1b4b6; background: #f3f2f1; padding: .75rem 1rem; margin: 0 0 1.5rem; }
.downloads p { margin: 0 0 .5rem; }
.problems { border: 4px solid #a8071a; padding: .75rem 1.25rem; margin: 0 0 2rem; }
.problems h2 { border: 0; margin-top: .25rem; }
.problems li { margin-bottom: 1rem; }
.problems pre { background: #f3f2f1; padding: .5rem; overflow-x: auto; margin: .4rem 0; }
.where { font-weight: 700; }
.again { border-top: 4px solid #1b1b1b; margin-top: 3rem; }
@media print { .site, .skip, .downloads, .again, .intro { display: none; } }
"""

_TEMPLATES = {"isp": "isp-template.yaml"}


@dataclass(frozen=True)
class Page:
    """A page's HTML and the Content-Security-Policy that lets its own styles, and nothing else, load."""

    html: str
    csp: str


@dataclass(frozen=True)
class FormState:
    """What the form shows: the text to edit, the date, where the text came from, and whether a
    token is asked for."""

    text: str = ""
    as_of: str = ""
    source: str = ""
    ask_token: bool = False
    token: str = ""


def template(name: str) -> str | None:
    """A blank plan to start from (`isp`), or None."""
    file = _TEMPLATES.get(name)
    return resources.files(__package__).joinpath(file).read_text(encoding="utf-8") if file else None


def form_page(state: FormState) -> Page:
    body = ("<h1>Check a support plan</h1>\n"
            "<p class=\"lead intro\">Check an Individual Support Plan (ISP) or an EHCP against the National "
            "Inclusion Standards before you submit it. You will see what meets the standards, what does not, "
            "the clause each finding rests on, and how to put it right. Nothing you send is kept.</p>\n"
            + _form(state))
    return _page(SERVICE, body)


def report_page(report_html: str, state: FormState, document: bytes, title: str) -> Page:
    """The report for a plan, with buttons to download it, and the form to check again."""
    styles, body = _report_parts(report_html)
    downloads = (
        "<form class=\"downloads\" method=\"post\" action=\"/download/report.html\" "
        "enctype=\"multipart/form-data\" aria-label=\"Download\">\n"
        f"<input type=\"hidden\" name=\"document_b64\" value=\"{base64.b64encode(document).decode('ascii')}\">\n"
        f"<input type=\"hidden\" name=\"source\" value=\"{escape(state.source)}\">\n"
        f"<input type=\"hidden\" name=\"as_of\" value=\"{escape(state.as_of)}\">\n"
        + _token_field(state, hidden=True)
        + "<p>Download this report to keep, print or share. Nothing is kept on the server.</p>\n"
        "<button type=\"submit\">Download the report (HTML)</button>"
        "<button type=\"submit\" class=\"secondary\" formaction=\"/download/result.json\">"
        "Download the result (JSON)</button>\n</form>\n")
    again = (f"<section class=\"again\" aria-labelledby=\"again\">\n<h2 id=\"again\">Check this plan again, "
             f"or another</h2>\n{_form(state)}</section>\n")
    return _page(f"{title} — {SERVICE}", downloads + body + again, styles)


def problems_page(heading: str, problems: list[dict[str, Any]], state: FormState) -> Page:
    """The plan could not be checked: each problem with its line, column and JSON pointer, the
    line itself with a caret under the place, what was expected and a hint; then the form,
    holding the text, to put it right."""
    items = [_problem(p) for p in problems]
    body = (f"<div class=\"problems\" role=\"alert\">\n<h1>{escape(heading)}</h1>\n"
            f"<p>{_count(len(problems), 'problem')} to put right:</p>\n<ol>{''.join(items)}</ol>\n</div>\n"
            f"<h2>Correct the plan and check it again</h2>\n{_form(state)}")
    return _page(f"{heading} — {SERVICE}", body)


def message_page(heading: str, detail: str, state: FormState | None = None) -> Page:
    """A page for a request the server refused (too large, too slow, no token)."""
    body = (f"<div class=\"problems\" role=\"alert\">\n<h1>{escape(heading)}</h1>\n<p>{escape(detail)}</p>\n"
            "</div>\n" + (_form(state) if state is not None else "<p><a href=\"/\">Check a plan</a></p>\n"))
    return _page(f"{heading} — {SERVICE}", body)


# ---- pieces ---------------------------------------------------------------------------------------

def _form(state: FormState) -> str:
    source = (f"<input type=\"hidden\" name=\"source\" value=\"{escape(state.source)}\">\n"
              if state.source else "")
    return (
        "<form method=\"post\" action=\"/\" enctype=\"multipart/form-data\">\n"
        "<fieldset>\n<legend>The plan</legend>\n"
        "<div class=\"field\">\n<label for=\"document-file\">Upload a plan</label>\n"
        "<p class=\"hint\" id=\"document-file-hint\">A YAML or JSON file, up to 5 MB.</p>\n"
        "<input type=\"file\" id=\"document-file\" name=\"document_file\" aria-describedby=\"document-file-hint\" "
        "accept=\".yaml,.yml,.json,application/json,application/yaml,text/yaml\">\n</div>\n"
        "<p class=\"or\">or</p>\n"
        "<div class=\"field\">\n<label for=\"document-text\">Paste or write the plan</label>\n"
        "<p class=\"hint\" id=\"document-text-hint\">YAML or JSON. An uploaded file is used instead of this "
        "text. <a href=\"/?template=isp\">Start from a blank ISP</a>.</p>\n"
        "<textarea id=\"document-text\" name=\"document_text\" rows=\"16\" spellcheck=\"false\" "
        f"autocapitalize=\"off\" aria-describedby=\"document-text-hint\">{escape(state.text)}</textarea>\n"
        f"</div>\n{source}</fieldset>\n"
        "<div class=\"field\">\n<label for=\"as-of\">Judge the plan as on</label>\n"
        "<p class=\"hint\" id=\"as-of-hint\">Today, unless you choose another date: the standards and "
        "deadlines in force on this date apply.</p>\n"
        f"<input type=\"date\" id=\"as-of\" name=\"as_of\" value=\"{escape(state.as_of)}\" required "
        "aria-describedby=\"as-of-hint\">\n</div>\n"
        + _token_field(state)
        + "<button type=\"submit\">Check the plan</button>\n</form>\n")


def _token_field(state: FormState, hidden: bool = False) -> str:
    """The access token, when the server asks for one: typed once, then carried by the page's
    forms so that downloading and checking again need not ask for it."""
    if not state.ask_token:
        return ""
    if hidden:
        return f"<input type=\"hidden\" name=\"token\" value=\"{escape(state.token)}\">\n"
    return ("<div class=\"field\">\n<label for=\"token\">Access token</label>\n"
            "<p class=\"hint\" id=\"token-hint\">This server asks for the token its administrator gave you.</p>\n"
            f"<input type=\"password\" id=\"token\" name=\"token\" value=\"{escape(state.token)}\" "
            "autocomplete=\"current-password\" required aria-describedby=\"token-hint\">\n</div>\n")


def _problem(problem: dict[str, Any]) -> str:
    where = []
    if "span" in problem:
        where.append(f"Line {problem['span']['line']}, column {problem['span']['column']}")
    if problem.get("pointer") is not None:
        where.append(f"at <code>{escape(problem['pointer'] or '/')}</code>")
    parts = [f"<span class=\"where\">{', '.join(where) or 'The whole plan'}:</span> {escape(problem['message'])} "
             f"<span class=\"ptr\">({escape(problem['code'])})</span>"]
    if problem.get("excerpt"):
        parts.append(f"<pre tabindex=\"0\">{escape(problem['excerpt'])}</pre>")  # scrolls: reachable by keyboard
    if problem.get("expected"):
        parts.append(f"<br>Expected: {escape(problem['expected'])}")
    if problem.get("hint"):
        parts.append(f"<br>Hint: {escape(problem['hint'])}")
    return "<li>" + "".join(parts) + "</li>"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _report_parts(report_html: str) -> tuple[list[str], str]:
    """The styles and the body of a page written by `api.render(result, "html")`."""
    styles, rest = [], report_html
    while "<style>" in rest:
        start = rest.index("<style>") + len("<style>")
        end = rest.index("</style>", start)
        styles.append(rest[start:end])
        rest = rest[end:]
    body = report_html[report_html.index("<main>") + len("<main>"):report_html.rindex("</main>")]
    return styles, body


def _page(title: str, body: str, report_styles: Sequence[str] = ()) -> Page:
    styles = [*report_styles, _PAGE_CSS]
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in styles)
    html = ("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<link rel=\"icon\" href=\"data:,\">\n"
            + "".join(f"<style>{s}</style>\n" for s in styles)
            + "</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the main content</a>\n"
            f"<header class=\"site\"><p>{escape(SERVICE)}</p></header>\n<main id=\"main\">\n{body}</main>\n"
            "</body>\n</html>\n")
    csp = (f"default-src 'none'; style-src {hashes}; img-src data:; form-action 'self'; "
           "frame-ancestors 'none'; base-uri 'none'")
    return Page(html, csp)
