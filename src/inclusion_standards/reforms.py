"""Trying a parameter change without editing a file: `nis diff --set NAME=VALUE`.

As OpenFisca's reforms do, a trial change makes a new version of the standards in memory:
the parameter gets VALUE from a date (the as-of date, or `NAME=VALUE from YYYY-MM-DD`), its
later dated values are dropped, and the whole set is checked again, so a value of the wrong
unit or type is refused with the same care as in a file. The trial version keeps the id of
the standards it was made from; its version says what was set (`2026.1 with
targeted_plus_hours = 4 hours per week`) and its sha256 covers the change, so no result
judged by it can be mistaken for one judged by the published standards.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from datetime import date

from . import syntax
from . import tree as t
from .checker import check_program, constant_type, constant_value, did_you_mean
from .compiler import compile_standards
from .diagnostics import Diagnostic, StandardsError
from .formatter import format_expr
from .resources import schemas_dir
from .standards import Standards
from .types import UNIT_TYPES, same_family

__all__ = ["Setting", "apply_settings", "parse_setting"]

_SETTING = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)(?:\s+from\s+(\d{4}-\d{2}-\d{2}))?\s*", re.DOTALL)


@dataclass(frozen=True)
class Setting:
    """One trial change: a parameter, the value written as in a standards file, and the date
    it applies from (None: the as-of date)."""

    name: str
    text: str
    value: t.Expr
    start: date | None

    def describe(self, start: date) -> str:
        return f"{self.name} = {self.text} from {start.isoformat()}"


def parse_setting(text: str) -> Setting:
    """`NAME=VALUE` or `NAME=VALUE from YYYY-MM-DD`; VALUE as a standards file writes it."""
    match = _SETTING.fullmatch(text)
    if match is None or not match.group(2):
        raise StandardsError([_problem(text, "a trial change is written NAME=VALUE",
                                       "for example --set 'targeted_plus_hours=4 hours per week'")])
    name, value_text, start_text = match.groups()
    try:
        value = syntax.parse_expression(value_text, f"--set {name}")
    except StandardsError:
        raise StandardsError([_problem(text, f"`{value_text}` is not a value the standards language can write",
                                       "write a number, a quantity such as 4 hours per week or 12 months, a "
                                       'date, a text in double quotes, or a list such as ["pmld"]')]) from None
    start = None
    if start_text is not None:
        try:
            start = date.fromisoformat(start_text)
        except ValueError:
            raise StandardsError([_problem(text, f"`{start_text}` is not a date",
                                           "check the month and the day")]) from None
    return Setting(name, " ".join(value_text.split()), value, start)


def _problem(text: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic("error", "NIS-R001", message, source=f"--set {text}", hint=hint)


def apply_settings(standards: Standards, settings: list[Setting], as_of: date) -> Standards:
    """A trial version of `standards` with each setting applied and the whole set checked."""
    if not settings:
        return standards
    replaced: dict[str, t.Parameter] = {}
    found = {item.name: item for m in standards.modules for item in m.items if isinstance(item, t.Parameter)}
    for setting in settings:
        param = replaced.get(setting.name) or found.get(setting.name)
        if param is None:
            raise StandardsError([_problem(
                f"{setting.name}={setting.text}", f"{standards.id}@{standards.version} has no parameter "
                f"`{setting.name}`", did_you_mean(setting.name, found) or "`nis docs` lists the parameters")])
        replaced[setting.name] = _revised(param, setting, as_of, standards)
    modules = tuple(dataclasses.replace(m, items=tuple(replaced.get(i.name, i) if isinstance(i, t.Parameter) else i
                                                       for i in m.items)) for m in standards.modules)
    checked, diagnostics = check_program(list(modules), [schemas_dir()], dict(standards.checked.sources))
    problems = [d for d in diagnostics if d.is_error]
    if checked is None or problems:
        raise StandardsError(problems or [_problem(", ".join(s.text for s in settings),
                                                   "the trial change leaves the standards broken", "")])
    described = "; ".join(s.describe(s.start or as_of) for s in settings)
    digest = hashlib.sha256(f"{standards.sha256}\n{described}\n".encode()).hexdigest()
    return dataclasses.replace(standards, version=f"{standards.version} with {described}", sha256=digest,
                               checked=checked, compiled=compile_standards(checked), modules=modules, bound={})


def _revised(param: t.Parameter, setting: Setting, as_of: date, standards: Standards) -> t.Parameter:
    """The parameter with the setting's value from its date, later values dropped; its value
    checked against the parameter's unit, or the type of its values where it has no unit."""
    where = f"{setting.name}={setting.text}"
    if constant_value(setting.value) is None:
        raise StandardsError([_problem(where, "a parameter's value is written out, not computed",
                                       "write a number, quantity, date, text or list")])
    ty = constant_type(setting.value)
    expected = UNIT_TYPES[param.unit] if param.unit else standards.checked.parameters[param.name].type
    if not same_family(ty, expected):
        written = [format_expr(v.value) for v in param.values if v.value is not None]
        example = f"; the standards write it as {written[-1]}" if written else ""
        raise StandardsError([_problem(where, f"`{setting.name}` is {expected.describe()}, but {setting.text} is "
                                       f"{ty.describe()}", f"write the value with its unit{example}")])
    start = setting.start or as_of
    cite = t.Citation(f"trial change (nis diff --set {setting.describe(start)}), not published")
    kept = tuple(v for v in param.values if v.start < start)
    return dataclasses.replace(param, values=(*kept, t.DatedValue(start, setting.value, cite)))
