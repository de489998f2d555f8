"""`--select` and `--ignore`: which rules a check reports and counts toward the outcome.

A pattern is a rule id (`ISP-REVIEW-ANNUAL`) or, ending in `-` or `*`, a prefix of rule ids
(`EHCP-T-`, `SENS-*`). With `--select`, only the rules some select pattern matches are judged;
`--ignore` then leaves out the rules an ignore pattern matches. The rules left out are not in
the result at all (not judged, not counted), so the outcome is the outcome of the chosen
rules; every determination is still made. A pattern that matches no rule of the standards is
a mistake (a misspelt id would otherwise silently ignore nothing), refused with the nearest
id. The result records the patterns (`selection`), so it can be reproduced.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic, NisError, closest
from .standards import StandardsLibrary


class SelectionError(NisError):
    """A --select or --ignore pattern that matches no rule."""


def _matches(pattern: str, rule_id: str) -> bool:
    if pattern.endswith("*"):
        return rule_id.startswith(pattern[:-1])
    if pattern.endswith("-"):
        return rule_id.startswith(pattern)
    return rule_id == pattern


@dataclass(frozen=True)
class Selection:
    """The patterns given, and what they leave to judge in one standards library."""

    select: tuple[str, ...]
    ignore: tuple[str, ...]
    only: frozenset[str]  # the rule ids chosen, and every determination name

    def chosen(self, rule_id: str) -> bool:
        return ((not self.select or any(_matches(p, rule_id) for p in self.select))
                and not any(_matches(p, rule_id) for p in self.ignore))

    def to_json(self) -> dict[str, list[str]]:
        """What a result records: the patterns, in the order given."""
        return {"select": list(self.select), "ignore": list(self.ignore)}

    def narrow(self, only: frozenset[str] | None) -> frozenset[str]:
        """The rules to judge for a document that can feed only `only` (an SEN2 case)."""
        return self.only if only is None else self.only & only

    def record(self, result: Any) -> Any:
        """The result, saying which patterns chose its rules (added last, so the rest of the
        result keeps its bytes)."""
        result["selection"] = self.to_json()
        return result


def describe(selection: dict[str, list[str]]) -> str:
    """A result's selection as the options that made it: `--select EHCP-T- --ignore EHCP-T-X`."""
    return " ".join([*(f"--select {p}" for p in selection["select"]), *(f"--ignore {p}" for p in selection["ignore"])])


def rule_ids(library: StandardsLibrary) -> list[str]:
    """Every rule id the library declares, in declaration order."""
    seen: dict[str, None] = {}
    for standards in library.versions:
        for rule in standards.checked.rules:
            seen.setdefault(rule.id)
    return list(seen)


def make_selection(library: StandardsLibrary, select: Iterable[str], ignore: Iterable[str]) -> Selection | None:
    """The selection the patterns make (None when none is given), or SelectionError
    (NIS-L009) naming each pattern that matches no rule, with the nearest id."""
    chosen, left_out = tuple(select), tuple(ignore)
    if not chosen and not left_out:
        return None
    ids = rule_ids(library)
    problems = [_unknown(flag, pattern, ids) for flag, patterns in (("--select", chosen), ("--ignore", left_out))
                for pattern in patterns if not any(_matches(pattern, rule_id) for rule_id in ids)]
    if problems:
        raise SelectionError(problems)
    determinations = {name for standards in library.versions for name in standards.checked.determinations}
    selection = Selection(chosen, left_out, frozenset())
    only = frozenset(rule_id for rule_id in ids if selection.chosen(rule_id)) | determinations
    return Selection(chosen, left_out, only)


def _unknown(flag: str, pattern: str, ids: list[str]) -> Diagnostic:
    prefixes = sorted({rule_id[:i + 1] for rule_id in ids for i, c in enumerate(rule_id) if c == "-"})
    if pattern + "-" in prefixes:  # a bare prefix: ISP-REVIEW for the rules ISP-REVIEW-...
        close: str | None = pattern + "-"
    else:
        candidates = ids + prefixes if pattern.endswith(("-", "*")) else ids
        close = closest(pattern.rstrip("*"), candidates)
    hint = f"did you mean `{close}`? " if close else ""
    return Diagnostic("error", "NIS-L009", f"`{pattern}` matches no rule in these standards", source=flag,
                      hint=hint + "give a rule id as `nis rule` and the reports show it, or a prefix ending in `-` "
                                  "or `*` (such as `EHCP-T-`)")
