"""Parse stage: standards source text → `tree.Module`, or diagnostics.

The grammar is `grammar/nis.lark` (LALR with lark's contextual lexer). Syntax errors
become diagnostics in plain words (never lark's terminal names), with a caret under the
source line. After an error the parser resynchronises at the next top-level declaration
so that one run reports the errors of every declaration, not just the first.

Every pass is linear in the size of the file: after an error each declaration is parsed on
its own and its lines moved to where it sits in the file, and comments are found in one
scan that steps over quoted texts, so a file of 20,000 broken rules costs what 20,000
rules cost. A number written with more than MAX_LITERAL_DIGITS digits is a syntax error.
"""
from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from . import tree as t
from .diagnostics import Diagnostic, Span, StandardsError, line_of
from .resources import grammar_dir

if TYPE_CHECKING:  # lark is imported when a file is parsed, not when nis starts
    from lark import Lark, Token, Tree
    from lark.exceptions import LarkError
    from lark.tree import Meta

    _Node: TypeAlias = Tree[Token]

# A node's children: tokens, subtrees and, for an optional part left out, None, each where the
# grammar places it. lark types them only as a union, so the builder reads them as the grammar
# says (grammar/nis.lark is the type).
_Children: TypeAlias = list[Any]

TOP_LEVEL_WORDS = ("standards", "import", "enumeration", "parameter", "plan", "define",
                   "rule", "determination", "exception", "not judged", "test")
_TOP_LEVEL = re.compile(r"^(?:{})\b".format("|".join(TOP_LEVEL_WORDS)), re.M)
_NAMED = re.compile(r"(?:enumeration|parameter|define|determination)\s+([A-Za-z_][A-Za-z0-9_]*)")
MAX_LITERAL_DIGITS = 28  # the digits nis calculates with; a longer number cannot mean more
# A quoted text (long or short), or a comment: one scan finds the comments outside texts.
_TEXT_OR_COMMENT = re.compile(r'"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*')

# What a person should read instead of a lark terminal name.
_WORDS = {
    "NAME": "a name", "STRING": "a quoted text", "LONG_STRING": 'a """ block """',
    "DATE": "a date (YYYY-MM-DD)", "NUMBER": "a number", "RULE_ID": "a rule id",
    "POINTER": "a JSON pointer such as /layer", "COMPARATOR": "a comparison (=, !=, <, <=, >, >=)",
    "ADD_OP": "`+` or `-`", "MUL_OP": "`*` or `/`", "LPAR": "`(`", "RPAR": "`)`",
    "LSQB": "`[`", "RSQB": "`]`", "COMMA": "`,`", "COLON": "`:`", "DOT": "`.`",
    "EQUAL": "`=`", "MINUS": "`-`", "$END": "the end of the file",
}
_SYMBOL_HINTS = {
    "==": "a comparison is written with a single `=`",
    "&&": "write `and`", "||": "write `or`", "!": "write `not`",
    "'": "texts are written in double quotes",
}


class _RefusedError(Exception):
    """Text lark parsed that nis refuses (too deep, too long a number, no such date): a
    syntax error like lark's own, with where it starts."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.line, self.column = line, column


class _TooDeepError(_RefusedError):
    """An expression nested deeper than nis evaluates (see MAX_NESTING)."""

    def __init__(self, node: _Node, depth: int):
        meta = node.meta
        super().__init__("expression nested too deeply", getattr(meta, "line", 1), getattr(meta, "column", 1))
        self.depth = depth


class _TokenError(_RefusedError):
    """A token nis refuses; `token` is it, with its place."""

    def __init__(self, message: str, token: Token):
        assert token.line is not None and token.column is not None  # the lexer places every token
        super().__init__(message, token.line, token.column)
        self.token = token


class _TooLongError(_TokenError):
    """A number with more digits than nis calculates with."""

    def __init__(self, token: Token):
        super().__init__(f"{str(token)[:20]}…", token)


class _BadDateError(_TokenError):
    """A date token that the calendar does not have (2027-02-31)."""

    def __init__(self, token: Token):
        super().__init__(str(token), token)


_PARSER_OPTIONS: dict[str, Any] = {"parser": "lalr", "start": ["start", "expr"], "propagate_positions": True,
                                   "maybe_placeholders": True, "cache": False}


@cache
def _parser() -> Lark:
    """The LALR parser of the grammar. Building its tables takes about 110 ms, reading them back
    about 40, so they are kept in the cache as data (`cache.load_parser`) and built again
    whenever the grammar, the options or lark's version differ."""
    import lark
    from lark import Lark
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    from .cache import load_parser, store_parser

    grammar = (grammar_dir() / "nis.lark").read_text(encoding="utf-8")
    description = f"lark {lark.__version__}\0{sorted(_PARSER_OPTIONS.items())!r}\0{grammar}"
    kept = load_parser(description)
    if kept is not None:
        with contextlib.suppress(Exception):  # tables that lark cannot read back are built again
            return Lark.load(kept)
    parser = Lark(grammar, **_PARSER_OPTIONS)

    def tables() -> dict[str, object]:
        data, memo = parser.memo_serialize([TerminalDef, Rule])
        return {"data": data, "memo": memo}

    store_parser(description, tables)
    return parser


def parse(text: str, source: str = "<standards>") -> t.Module:
    """Parse one standards file; raise StandardsError with every syntax error found."""
    module, diagnostics = parse_with_diagnostics(text, source)
    if diagnostics:
        raise StandardsError(diagnostics)
    return module


def parse_file(path: str | Path) -> t.Module:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StandardsError([Diagnostic("error", "NIS-S001", f"cannot read standards file: {exc}",
                                         source=str(path),
                                         hint="standards files are UTF-8 text files ending in .nis")]) from exc
    return parse(text, str(path))


def parse_with_diagnostics(text: str, source: str = "<standards>") -> tuple[t.Module, tuple[Diagnostic, ...]]:
    """Parse, recovering at top-level declarations; returns what parsed and the errors."""
    from lark.exceptions import LarkError

    comments: list[t.Comment] = []
    try:
        items = _build(text, source, comments)
        return t.Module(source, tuple(items), tuple(comments)), ()
    except (LarkError, _RefusedError):
        pass
    items, diagnostics, unparsed = [], [], []
    starts = [m.start() for m in _TOP_LEVEL.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    starts.append(len(text))
    lines_before, counted = 0, 0
    for begin, end in itertools.pairwise(starts):
        # Each declaration is parsed on its own (it starts a line, so columns are true) and
        # its lines are moved to where it sits in the file.
        lines_before += text.count("\n", counted, begin)
        counted = begin
        try:
            items.extend(_build(text[begin:end], source, comments, lines_before))
        except (LarkError, _RefusedError) as exc:
            diagnostics.append(_syntax_diagnostic(exc, text, source, end, begin, lines_before))
            named = _NAMED.match(text, begin)
            if named is not None:
                unparsed.append(named.group(1))
    comments.sort(key=lambda c: (c.line, c.column))
    return t.Module(source, tuple(items), tuple(comments), tuple(unparsed)), tuple(diagnostics)


def parse_expression(text: str, source: str = "<expression>") -> t.Expr:
    """Parse a single expression (used for `{...}` holes in explanations and by tests)."""
    from lark.exceptions import LarkError

    try:
        tree = _parser().parse(text, start="expr")
        _place(tree, 0)
        _check_nesting(tree)
        return _Builder(source, []).expr(tree)
    except (LarkError, _RefusedError) as exc:
        raise StandardsError([_syntax_diagnostic(exc, text, source)]) from None


def _build(text: str, source: str, comments: list[t.Comment], lines_before: int = 0) -> list[t.Item]:
    """The declarations of `text`, which starts `lines_before` lines into the file."""
    tree = _parser().parse(text, start="start")
    _place(tree, lines_before)
    _check_nesting(tree)
    found = _comments(text, lines_before)
    builder = _Builder(source, [])
    declarations: _Children = tree.children  # start: declaration*, each a subtree
    items = [builder.item(child) for child in declarations]
    comments.extend(found)
    return items


def _comments(text: str, lines_before: int) -> list[t.Comment]:
    """The comments of parsed text, in one scan: a `#` inside a quoted text is not one."""
    found: list[t.Comment] = []
    line, counted = lines_before + 1, 0
    for m in _TEXT_OR_COMMENT.finditer(text):
        if m.group().startswith("#"):
            line += text.count("\n", counted, m.start())
            counted = m.start()
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            found.append(t.Comment(line, column, m.group().rstrip()))
    return found


MAX_NESTING = 48
_CHAINS = ("and_", "or_")
_EXPRESSIONS = frozenset((
    "number", "quantity", "string", "date", "true", "false", "name", "field", "call", "list", "neg", "not_",
    "or_", "and_", "compare", "arith", "in_", "not_member", "contains", "contains_any", "present", "missing",
    "if_then_else", "quantified", "count_all", "count_where", "aggregate"))


def _check_nesting(tree: _Node) -> None:
    """Refuse an expression nested deeper than MAX_NESTING before any tree walker recurses
    into it. A chain of `and` or `or` counts as one level however long it is; every other
    operator, parenthesis, quantifier and call counts one. Iterative, so a hostile file with
    a sum of ten thousand terms is measured, not followed."""
    from lark import Tree

    def subtrees(node: _Node) -> Iterator[_Node]:
        return iter([c for c in node.children if isinstance(c, Tree)])

    # Each open node: its subtrees still to measure, and the (depth, subtree) of those measured.
    frames: list[tuple[_Node, Iterator[_Node], list[tuple[int, _Node]]]] = [(tree, subtrees(tree), [])]
    while frames:
        node, children, depths = frames[-1]
        child = next(children, None)
        if child is not None:
            frames.append((child, subtrees(child), []))
            continue
        frames.pop()
        deepest = max((d for d, _ in depths), default=0)
        if node.data not in _EXPRESSIONS:
            for d, child in depths:
                if d > MAX_NESTING:  # reported at the start of the whole expression
                    raise _TooDeepError(child, d)
            here = deepest if node.data in ("quantifier", "aggregator", "unit") else 0
        elif node.data in _CHAINS and node.children and getattr(node.children[0], "data", None) == node.data:
            here = deepest
        else:
            here = deepest + 1
        if frames:
            frames[-1][2].append((here, node))
        elif here > MAX_NESTING:  # an expression parsed on its own
            raise _TooDeepError(node, here)


def _place(tree: _Node, lines_before: int) -> None:
    """Move a parsed declaration's lines to where it sits in the file, and refuse a number
    with more digits than nis calculates with. One pass, without recursion, so a deeply
    nested expression costs no more than a flat one."""
    from lark import Token

    for subtree in tree.iter_subtrees():
        meta = subtree.meta
        if lines_before and not getattr(meta, "empty", True):
            meta.line += lines_before
            meta.end_line += lines_before
        for child in subtree.children:
            if isinstance(child, Token):
                if lines_before and child.line is not None:
                    child.line += lines_before
                    if child.end_line is not None:
                        child.end_line += lines_before
                if child.type == "NUMBER" and len(child) - child.count(".") > MAX_LITERAL_DIGITS:
                    raise _TooLongError(child)


def _syntax_diagnostic(exc: LarkError | _RefusedError, text: str, source: str, end: int | None = None,
                       begin: int = 0, lines_before: int = 0) -> Diagnostic:
    """The diagnostic for a syntax error in the declaration `text[begin:end]`, which starts
    `lines_before` lines into `text` (lark counts from the start of what it parsed)."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    line: int = getattr(exc, "line", None) or 1
    column: int = getattr(exc, "column", None) or 1
    expected_names = sorted(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ())
    expected = _describe_expected(expected_names)
    hint = None
    if isinstance(exc, _TooDeepError):
        return Diagnostic("error", "NIS-S103", f"this expression nests more than {MAX_NESTING} levels deep",
                          source=source, span=Span(line, column),
                          hint="split it into named definitions (`define name = ...`); a chain of `and` or "
                               "`or` counts as one level, however long",
                          source_line=line_of(text, line))
    if isinstance(exc, _BadDateError):
        return Diagnostic("error", "NIS-S102", f"`{exc.token}` is not a date in the calendar",
                          source=source, span=_token_span(exc.token), expected="a real date, YYYY-MM-DD",
                          hint="check the day of the month (30 days hath September...)",
                          source_line=line_of(text, exc.line))
    if isinstance(exc, _TooLongError):
        token = exc.token
        digits = len(token) - token.count(".")
        shown = str(token) if len(token) <= 40 else f"{token[:20]}…"
        quoted = line_of(text, exc.line)
        return Diagnostic("error", "NIS-S104", f"`{shown}` has {digits:,} digits: a number in standards has at "
                          f"most {MAX_LITERAL_DIGITS}", source=source,
                          span=Span(exc.line, exc.column) if len(token) > 40 else _token_span(token),
                          hint=f"nis calculates with {MAX_LITERAL_DIGITS} significant digits; write the number "
                               "with fewer", source_line=quoted if quoted is not None and len(quoted) <= 240 else None)
    line += lines_before
    if isinstance(exc, UnexpectedCharacters):
        assert exc.pos_in_stream is not None  # the lexer says where it stopped
        at = begin + exc.pos_in_stream
        char = text[at] if at < len(text) else ""
        two = text[at:at + 2]
        hint = _SYMBOL_HINTS.get(two) or _SYMBOL_HINTS.get(char)
        if char == '"':
            hint = "a text must close with `\"` on the same line; use \"\"\" for text over several lines"
        message = f"unexpected character `{char}`" if char.strip() else "unexpected character"
    elif isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        last = len(text) if end is None or end >= len(text) else end
        stop = begin + len(text[begin:last].rstrip())
        message = ("the file ends in the middle of a declaration" if end is None or end >= len(text)
                   else "the declaration stops before it is complete")
        line = lines_before + text.count("\n", begin, stop) + 1
        column = stop - (text.rfind("\n", 0, stop) + 1) + 1
    else:
        assert isinstance(exc, UnexpectedToken), exc  # the third kind of error lark's LALR parser raises
        token = exc.token
        message = f"unexpected `{token}`"
        at = begin + token.start_pos if token.start_pos is not None else None
        before = text[max(0, at - 1):at] if at is not None else ""
        if str(token) in ("=", "&", "|") and before == str(token):
            hint = _SYMBOL_HINTS[before * 2]
        elif token.type == "COMPARATOR" and "COMPARATOR" not in expected_names:
            hint = "a comparison needs a value on each side"
        if "SATISFIES" in expected_names:
            hint = "a quantifier reads `every x in list [where condition] satisfies condition`"
        elif "WHEN" in expected_names and "CASE" not in expected_names and "AS" in expected_names:
            hint = "a case reads `case VALUE when CONDITION [because \"reason\"]`"
    if hint is None and "STRING" in expected_names and len(expected_names) <= 3:
        hint = 'texts are written in double quotes, e.g. "Reviewed at least annually"'
    return Diagnostic("error", "NIS-S100", message, source=source, span=Span(line, column),
                      expected=expected, hint=hint, source_line=line_of(text, line))


def _describe_expected(names: list[str]) -> str | None:
    words = []
    for name in names:
        word = _WORDS.get(name)
        if word is None:
            if name.startswith(("__", "_")):
                continue
            word = f"`{name.lower().replace('_', ' ')}`"
        if word not in words:
            words.append(word)
    if not words:
        return None
    if len(words) > 12:
        words = [*words[:12], "…"]
    return "one of " + ", ".join(words) if len(words) > 1 else words[0]


def _unquote(token: str) -> str:
    body = token[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _number(text: str) -> int | Decimal:
    if "." in text:
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the grammar admits only digits
            raise ValueError(text) from None
    return int(text)


def _span(meta: Meta) -> Span:
    if getattr(meta, "empty", True):
        return t.NO_SPAN
    return Span(meta.line, meta.column, meta.end_line, max(meta.end_column - 1, meta.column))


def _token_span(token: Token) -> Span:
    line, column, end_line, end_column = token.line, token.column, token.end_line, token.end_column
    assert line is not None and column is not None and end_column is not None  # the lexer places every token
    return Span(line, column, end_line, max(end_column - 1, column))


class _Clauses(TypedDict):
    """The clauses of a rule (a determination and a not-judged statement use some of them),
    by the field of `tree.Rule` each fills."""

    applies_to: tuple[str, ...]
    when: t.Expr | None
    severity: str | None
    requirement: t.Expr | None
    explain: t.Template | None
    hint: str | None
    challenge: str | None


def _no_clauses() -> _Clauses:
    return {"applies_to": (), "when": None, "severity": None, "requirement": None, "explain": None,
            "hint": None, "challenge": None}


class _Builder:
    """Turns lark's parse tree into `tree` nodes (a hand-written visitor, not a Transformer,
    so each construct's shape is explicit in one place)."""

    def __init__(self, source: str, lines: list[str]):
        self.source = source

    # ---- declarations -------------------------------------------------------------
    def item(self, node: _Node) -> t.Item:
        kind = node.data
        span = _span(node.meta)
        c: _Children = node.children
        citations: list[t.Citation] = []  # of whichever declaration this is
        if kind == "header":
            # The header's clauses by the name of the `tree.Header` field each fills.
            fields: dict[str, Any] = {"id": _unquote(c[0])}
            for clause in c[1:]:
                cc = clause.children
                if clause.data == "effective":
                    fields["effective_from"] = _date(cc[0])
                    fields["effective_until"] = _date(cc[1]) if cc[1] is not None else None
                elif clause.data == "supersedes":
                    fields["supersedes"] = _unquote(cc[0])
                    fields["supersedes_version"] = _unquote(cc[1]) if cc[1] is not None else None
                else:
                    fields[clause.data] = _unquote(cc[0])
            return t.Header(span=span, **fields)
        if kind == "import_decl":
            return t.Import(_unquote(c[0]), span)
        if kind == "enumeration":
            members = tuple(t.Member(str(m.children[0]), _opt_text(m.children[1]), _span(m.meta))
                            for m in c[2:])
            return t.Enumeration(str(c[0]), _opt_text(c[1]), members, span)
        if kind == "parameter":
            unit: str | None = None
            illustrative: str | None = None
            values: list[t.DatedValue] = []
            for clause in c[2:]:
                if clause.data == "unit_clause":
                    unit = self.unit(clause.children[0])
                elif clause.data == "illustrative":
                    reason = clause.children[0]
                    illustrative = _unquote(reason) if reason is not None else "illustrative"
                elif clause.data == "citation":
                    citations.append(self.citation(clause))
                elif clause.data == "dated_value":
                    vc = clause.children
                    value = None if getattr(vc[1], "data", None) == "no_value" else self.expr(vc[1])
                    values.append(t.DatedValue(_date(vc[0]), value,
                                               self.citation(vc[2]) if vc[2] is not None else None,
                                               _span(clause.meta)))
            return t.Parameter(str(c[0]), _opt_text(c[1]), unit, illustrative, tuple(citations),
                               tuple(values), span)
        if kind == "document_binding":
            return t.PlanBinding(str(c[0]), _opt_text(c[1]), _unquote(c[2]), span)
        if kind == "definition":
            return t.Definition(str(c[0]), _opt_text(c[1]), self.applies(c[2]), self.expr(c[3]), span)
        if kind == "rule":
            clauses = _no_clauses()
            for clause in c[2:]:
                self.clause(clause, clauses, citations)
            return t.Rule(self.rule_id(c[0]), _opt_text(c[1]), citations=tuple(citations),
                          span=span, **clauses)
        if kind == "determination":
            clauses = _no_clauses()
            cases: list[t.Case] = []
            otherwise: t.Otherwise | None = None
            for clause in c[2:]:
                if clause.data == "case":
                    cc = clause.children
                    cases.append(t.Case(self.expr(cc[0]), _opt_name(cc[1]), self.expr(cc[2]),
                                        _opt_text(cc[3]),
                                        self.citation(cc[4]) if cc[4] is not None else None,
                                        _span(clause.meta)))
                elif clause.data == "otherwise":
                    cc = clause.children
                    otherwise = t.Otherwise(self.expr(cc[0]), _opt_text(cc[1]),
                                            self.citation(cc[2]) if cc[2] is not None else None,
                                            _span(clause.meta))
                else:
                    self.clause(clause, clauses, citations)
            assert otherwise is not None  # the grammar ends every determination with one
            return t.Determination(str(c[0]), _opt_text(c[1]), clauses["applies_to"], tuple(citations),
                                   clauses["challenge"], clauses["explain"], tuple(cases), otherwise, span)
        if kind == "exception":
            target = c[2].children
            explain: t.Template | None = None
            for clause in c[4:]:
                if clause.data == "citation":
                    citations.append(self.citation(clause))
                else:
                    explain = self.template(clause.children[0])
            return t.Exception_(self.rule_id(c[0]), _opt_text(c[1]), self.rule_id(target[0]),
                                _opt_name(target[1]), self.expr(c[3].children[0]),
                                tuple(citations), explain, span)
        if kind == "not_judged":
            clauses = _no_clauses()
            for clause in c[1:]:
                self.clause(clause, clauses, citations)
            return t.NotJudged(_unquote(c[0]), clauses["applies_to"], tuple(citations), span)
        if kind == "test":
            return self.test(node)
        raise AssertionError(f"unknown declaration {kind}")  # pragma: no cover

    def clause(self, clause: _Node, clauses: _Clauses, citations: list[t.Citation]) -> None:
        kind = clause.data
        cc: _Children = clause.children
        if kind == "applies":
            clauses["applies_to"] = self.applies(clause)
        elif kind == "when":
            clauses["when"] = self.expr(cc[0])
        elif kind == "requirement":
            clauses["severity"] = str(cc[0].children[0])
            clauses["requirement"] = self.expr(cc[1])
        elif kind == "explain":
            clauses["explain"] = self.template(cc[0])
        elif kind == "citation":
            citations.append(self.citation(clause))
        elif kind == "hint":
            clauses["hint"] = _unquote(cc[0])
        elif kind == "challenge":
            clauses["challenge"] = _unquote(cc[0])

    def applies(self, node: _Node | None) -> tuple[str, ...]:
        return tuple(str(n) for n in node.children) if node is not None else ()

    def citation(self, node: _Node) -> t.Citation:
        children: _Children = node.children  # citation: "cite" STRING ["at" STRING]
        text, url = children
        return t.Citation(_unquote(text), _opt_text(url), _span(node.meta))

    def rule_id(self, node: _Node) -> str:
        return str(node.children[0])

    def template(self, token: Token) -> t.Template:
        """Split `explain "... {expr} ..."` into text and parsed expression holes."""
        text = _unquote(token)
        parts: list[str | t.Expr] = []
        pos = 0
        for m in re.finditer(r"\{([^{}]*)\}", text):
            if m.start() > pos:
                parts.append(text[pos:m.start()])
            hole = m.group(1).strip()
            try:
                expr = parse_expression(hole, self.source)
            except StandardsError as exc:
                d = exc.diagnostics[0]
                raise StandardsError([Diagnostic(
                    "error", "NIS-S101", f"cannot read the expression `{{{hole}}}` in an explanation",
                    source=self.source, span=_token_span(token), expected=d.expected,
                    hint="holes in an explanation hold an expression, e.g. {last_review}")]) from None
            parts.append(expr)
            pos = m.end()
        if pos < len(text):
            parts.append(text[pos:])
        return t.Template(text, tuple(parts), _token_span(token))

    def unit(self, node: _Node) -> str:
        words = [str(w) for w in node.children]
        if words[0] in ("hours", "hour"):
            return "hours per week"
        base = words[0]
        return base if base.endswith("s") else base + "s"

    def test(self, node: _Node) -> t.Test:
        c: _Children = node.children
        document: str | None = None
        inline_type: str | None = None
        inline_text: str | None = None
        as_of: date | None = None
        patches: list[t.Patch] = []
        expectations: list[t.Expectation] = []
        for clause in c[1:]:
            cc: _Children = clause.children
            span = _span(clause.meta)
            if clause.data == "test_document":
                document = _unquote(cc[0])
            elif clause.data == "test_inline":
                inline_type, inline_text = str(cc[0]), str(cc[1])[3:-3]
            elif clause.data == "test_set":
                patches.append(t.Patch(str(cc[0]), self.expr(cc[1]), span))
            elif clause.data == "test_remove":
                patches.append(t.Patch(str(cc[0]), None, span))
            elif clause.data == "test_as_of":
                as_of = _date(cc[0])
            elif clause.data == "expect_finding":
                expectations.append(t.Expectation("finding", self.rule_id(cc[1]),
                                                  status=str(cc[0].children[0]), span=span))
            elif clause.data == "expect_undetermined":
                expectations.append(t.Expectation("determination", str(cc[0]), span=span))
            elif clause.data == "expect_determination":
                expectations.append(t.Expectation("determination", str(cc[0]),
                                                  value=self.expr(cc[1]), span=span))
        return t.Test(_unquote(c[0]), document, inline_type, inline_text, tuple(patches), as_of,
                      tuple(expectations), _span(node.meta))

    # ---- expressions --------------------------------------------------------------
    def expr(self, node: _Node | Token) -> t.Expr:
        from lark import Token, Tree

        if isinstance(node, Token):  # pragma: no cover - every atom is a rule
            raise AssertionError(node)
        kind = node.data
        c: _Children = node.children
        span = _span(node.meta)
        if kind == "number":
            return t.Literal(_number(str(c[0])), span)
        if kind == "quantity":
            return t.Quantity(_number(str(c[0])), self.unit(c[1]), span)
        if kind == "string":
            return t.Literal(_unquote(c[0]), span)
        if kind == "date":
            return t.Literal(_date(c[0]), span)
        if kind == "true":
            return t.Literal(True, span)
        if kind == "false":
            return t.Literal(False, span)
        if kind == "name":
            return t.Name(str(c[0]), span)
        if kind == "field":
            return t.Field(self.expr(c[0]), str(c[1]), span)
        if kind == "call":
            args = tuple(self.expr(a) for a in c[1:] if a is not None)
            return t.Call(str(c[0]), args, span)
        if kind == "list":
            return t.ListExpr(tuple(self.expr(a) for a in c if a is not None), span)
        if kind == "neg":
            return t.Unary("-", self.expr(c[0]), span)
        if kind == "not_":
            return t.Unary("not", self.expr(c[0]), span)
        if kind in ("or_", "and_"):
            # The grammar chains to the left: walk down the chain instead of recursing into it.
            right_operands: _Children = []
            chain: _Node | Token = node
            while isinstance(chain, Tree) and chain.data == kind:
                right_operands.append(chain.children[1])
                chain = chain.children[0]
            operands = [self.expr(chain), *(self.expr(o) for o in reversed(right_operands))]
            return t.Logic(kind[:-1], tuple(operands), span)
        if kind in ("compare", "arith"):
            return t.Binary(str(c[1]), self.expr(c[0]), self.expr(c[2]), span)
        if kind in ("in_", "not_member", "contains", "contains_any"):
            op = {"in_": "in", "not_member": "not in", "contains": "contains",
                  "contains_any": "contains any of"}[kind]
            return t.Binary(op, self.expr(c[0]), self.expr(c[1]), span)
        if kind in ("present", "missing"):
            return t.Presence(self.expr(c[0]), kind == "missing", span)
        if kind == "if_then_else":
            return t.Conditional(self.expr(c[0]), self.expr(c[1]), self.expr(c[2]), span)
        if kind == "quantified":
            return t.Quantified(str(c[0].children[0]), str(c[1]), self.expr(c[2]),
                                self.expr(c[3]) if c[3] is not None else None, self.expr(c[4]), span)
        if kind == "count_all":
            return t.Aggregate("count", None, self.expr(c[0]), None, None, span)
        if kind == "count_where":
            return t.Aggregate("count", str(c[0]), self.expr(c[1]),
                               self.expr(c[2]) if c[2] is not None else None, None, span)
        if kind == "aggregate":
            return t.Aggregate(str(c[0].children[0]), str(c[2]), self.expr(c[3]),
                               self.expr(c[4]) if c[4] is not None else None, self.expr(c[1]), span)
        raise AssertionError(f"unknown expression {kind}")  # pragma: no cover


def _date(token: Token) -> date:
    try:
        return date.fromisoformat(str(token))
    except ValueError:
        raise _BadDateError(token) from None


def _opt_text(token: Token | None) -> str | None:
    return _unquote(token) if token is not None else None


def _opt_name(token: Token | None) -> str | None:
    return str(token) if token is not None else None
