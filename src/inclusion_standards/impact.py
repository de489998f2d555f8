"""What a change to the standards does to real plans: every plan of a corpus judged by the
old and the new version on the same date, and the decisions that differ counted.

Each plan is read once and judged twice, outcomes only (no messages, no trace), so the
cost is two judgements per plan. Each plan gets one record, written as JSON Lines in input
order like a batch's: what it is (id, kind, the layer it records, the packages it names),
its outcome under each version and each rule status or determination value that differs.
A plan that cannot be read, or that a version does not judge, gets an error record. The
counts are kept from the records alone (`ImpactTotals.add`), so a resumed run that reads
its records back counts the same as one that never stopped.

Counts are of plans, per rule (status before and after), per determination (value before
and after), per document kind, per layer and per package, with the first few plan ids of
each kind of change as examples.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, cast

import orjson

from .batch import BatchError, _records_on_disk, _verify, judged_by
from .diagnostics import Diagnostic, DocumentError
from .documents import load_document, valid_for
from .evaluate import judge, parameters
from .files import OutputLock, OutputRefused, display_path, open_for_appending
from .inputs import Item, iter_inputs
from .results import FAIL
from .standards import Standards
from .wording import to_json

__all__ = ["ABSENT", "EXAMPLES", "ImpactJudge", "ImpactTotals", "Transition", "read_records", "record_line",
           "run_impact"]

ABSENT = "absent"      # the rule or determination is not in that version, or does not judge this kind of plan
NOT_DETERMINED = "not determined"
EXAMPLES = 5           # plan ids kept for each kind of change
NO_LAYER = "not recorded"
NO_PACKAGE = "none named"


class ImpactJudge:
    """Judges one plan by both versions and says what differs. One lives in each worker."""

    def __init__(self, old: Standards, new: Standards, as_of: date):
        self.old, self.new, self.as_of = old, new, as_of
        self._as_of_text = as_of.isoformat()
        self.standards = {"old": old.sha256, "new": new.sha256}

    def judge_all(self, items: list[Item]) -> list[tuple[bytes, dict[str, Any]]]:
        return [self.judge(item) for item in items]

    def judge(self, item: Item) -> tuple[bytes, dict[str, Any]]:
        """The record of one plan, as one JSON line, and the record itself."""
        try:
            record = self.record(item)
        except Exception as exc:  # a bug in nis costs one record, never the run
            record = self._error(item, [Diagnostic(
                "error", "NIS-B003", f"internal error: {type(exc).__name__}: {exc}", source=item.label(),
                hint="this is a bug in nis: please report it with the document")])
        return record_line(record), record

    def record(self, item: Item) -> dict[str, Any]:
        label = item.label()
        try:
            loaded = load_document(item.raw if item.raw is not None else item.path, source=label,
                                   schemas=self.old.plan_schemas)
        except DocumentError as exc:
            return self._error(item, list(exc.diagnostics))
        kind, data = loaded.document_type, loaded.data
        problems = [d for s in (self.old, self.new) if not s.judges(kind) for d in _not_judged(s, kind)]
        if problems:
            return self._error(item, problems, loaded.sha256)
        try:  # the new standards may bind another plan schema, which the plan must match too
            valid_for(loaded, self.new.plan_schema(kind))
        except DocumentError as exc:
            return self._error(item, list(exc.diagnostics), loaded.sha256)
        old_outcome, old_rules, old_dets = self._judge(self.old, kind, data)
        new_outcome, new_rules, new_dets = self._judge(self.new, kind, data)
        changes: list[dict[str, Any]] = []
        for rule in [*old_rules, *(r for r in new_rules if r not in old_rules)]:
            before, after = old_rules.get(rule, (ABSENT, None)), new_rules.get(rule, (ABSENT, None))
            # A rule's strength matters to a plan only where the plan fails it.
            if before[0] != after[0] or (before[0] == FAIL and before[1] != after[1]):
                changes.append({"kind": "rule", "name": rule, "old": before[0], "new": after[0],
                                "old_severity": before[1], "new_severity": after[1]})
        for name in [*old_dets, *(d for d in new_dets if d not in old_dets)]:
            before_value, after_value = old_dets.get(name, ABSENT), new_dets.get(name, ABSENT)
            if before_value != after_value:
                changes.append({"kind": "determination", "name": name, "old": before_value, "new": after_value})
        return {"record": item.index + 1, "input": {"path": item.path, "line": item.line, "sha256": loaded.sha256},
                "as_of": self._as_of_text, "standards": self.standards,
                "outcome": "changed" if changes else "unchanged",
                "document": {"id": data.get("id") if isinstance(data.get("id"), str) else None, "type": kind,
                             "layer": _layer(data), "packages": _packages(data)},
                "old": {"outcome": old_outcome}, "new": {"outcome": new_outcome}, "changes": changes}

    def _judge(self, standards: Standards, kind: str,
               data: dict[str, Any]) -> tuple[str, dict[str, tuple[str, str | None]], dict[str, Any]]:
        statuses, values = judge(standards, kind, data, self.as_of, parameters(standards, self.as_of)[0])
        plan = standards.compiled.plans[kind]
        rules: dict[str, tuple[str, str | None]] = {}
        failed_must = False
        for rule, status in zip(plan.rules, statuses, strict=True):
            severity = "error" if rule.checked.declaration.severity == "must" else "warning"
            rules[rule.checked.id] = (status, severity)
            failed_must = failed_must or (status == FAIL and severity == "error")
        dets = {d.checked.name: _value(v) for d, v in zip(plan.determinations, values, strict=True)}
        return ("fail" if failed_must else "pass"), rules, dets

    def _error(self, item: Item, diagnostics: list[Diagnostic], sha256: str | None = None) -> dict[str, Any]:
        identity = item.identity()
        if sha256 is not None:
            identity["sha256"] = sha256
        reason = diagnostics[0].message if diagnostics else "the document could not be judged"
        if len(diagnostics) > 1:
            reason += f" (and {len(diagnostics) - 1} more problem{'s' if len(diagnostics) > 2 else ''})"
        return {"record": item.index + 1, "input": identity, "as_of": self._as_of_text, "standards": self.standards,
                "outcome": "error", "error": {"reason": reason, "diagnostics": [d.to_json() for d in diagnostics]}}


def _not_judged(standards: Standards, kind: str) -> list[Diagnostic]:
    return [Diagnostic("error", "NIS-L007", f"{standards.id}@{standards.version} does not judge {kind} documents",
                       source=standards.entry)]


def _value(value: Any) -> Any:
    converted = to_json(value)
    return NOT_DETERMINED if converted is None else converted


def _layer(data: dict[str, Any]) -> str:
    layer = data.get("layer")
    return layer if isinstance(layer, str) else NO_LAYER


def _packages(data: dict[str, Any]) -> list[str]:
    named = data.get("specialist_provision_packages")
    if not isinstance(named, list):
        return []
    return sorted({p["package"] for p in named if isinstance(p, dict) and isinstance(p.get("package"), str)})


def record_line(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


# ---- counting ---------------------------------------------------------------------------------

@dataclass
class Transition:
    """How many plans went from one status or value to another, with the first few ids."""

    documents: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, example: str) -> None:
        self.documents += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(example)


@dataclass
class Group:
    """The counts for one kind of plan, one layer or one package."""

    documents: int = 0
    changed: int = 0
    newly_failing: int = 0      # plans that pass under the old version and fail under the new
    no_longer_failing: int = 0  # the other way round
    findings_gained: int = 0    # rules newly not met (errors and warnings)
    findings_lost: int = 0      # rules no longer not met

    def to_json(self) -> dict[str, int]:
        return {"documents": self.documents, "changed": self.changed, "newly_failing": self.newly_failing,
                "no_longer_failing": self.no_longer_failing, "findings_gained": self.findings_gained,
                "findings_lost": self.findings_lost}


@dataclass
class ImpactTotals:
    """Everything the impact report counts, built from the records one at a time."""

    documents: int = 0
    errors: int = 0
    changed: int = 0
    resumed: int = 0
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    rules: dict[str, dict[tuple[str, str, str | None, str | None], Transition]] = field(default_factory=dict)
    determinations: dict[str, dict[tuple[str, str], Transition]] = field(default_factory=dict)
    kinds: dict[str, Group] = field(default_factory=dict)
    layers: dict[str, Group] = field(default_factory=dict)
    packages: dict[str, Group] = field(default_factory=dict)
    error_examples: list[str] = field(default_factory=list)

    def add(self, record: dict[str, Any]) -> None:
        self.documents += 1
        where = record["input"]
        label = where["path"] if where.get("line") is None else f"{where['path']}:{where['line']}"
        if record["outcome"] == "error":
            self.errors += 1
            if len(self.error_examples) < EXAMPLES:
                self.error_examples.append(f"{label}: {record['error']['reason']}")
            return
        doc = record["document"]
        name = doc["id"] or label
        before, after = record["old"]["outcome"], record["new"]["outcome"]
        self.outcomes[(before, after)] += 1
        changes = record["changes"]
        self.changed += bool(changes)
        gained = lost = 0
        for change in changes:
            if change["kind"] == "rule":
                key = (change["old"], change["new"], change["old_severity"], change["new_severity"])
                self.rules.setdefault(change["name"], {}).setdefault(key, Transition()).add(name)
                gained += change["new"] == FAIL and change["old"] != FAIL
                lost += change["old"] == FAIL and change["new"] != FAIL
            else:
                values = (_shown(change["old"]), _shown(change["new"]))
                self.determinations.setdefault(change["name"], {}).setdefault(values, Transition()).add(name)
        groups = [self.kinds.setdefault(doc["type"], Group()), self.layers.setdefault(doc["layer"], Group())]
        groups += [self.packages.setdefault(p, Group()) for p in doc["packages"] or [NO_PACKAGE]]
        for group in groups:
            group.documents += 1
            group.changed += bool(changes)
            group.newly_failing += before == "pass" and after == "fail"
            group.no_longer_failing += before == "fail" and after == "pass"
            group.findings_gained += gained
            group.findings_lost += lost

    @property
    def judged(self) -> int:
        return self.documents - self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents, "judged": self.judged, "errors": self.errors, "changed": self.changed,
            "unchanged": self.judged - self.changed,
            "outcomes": [{"old": a, "new": b, "documents": n} for (a, b), n in sorted(self.outcomes.items())],
            "rules": [{"rule": rule, "transitions": [
                {"old": k[0], "new": k[1], "old_severity": k[2], "new_severity": k[3], "documents": v.documents,
                 "examples": v.examples} for k, v in sorted(moves.items(), key=_busiest)]}
                for rule, moves in sorted(self.rules.items(), key=_rule_order)],
            "determinations": [{"determination": name, "transitions": [
                {"old": k[0], "new": k[1], "documents": v.documents, "examples": v.examples}
                for k, v in sorted(moves.items(), key=_busiest)]}
                for name, moves in sorted(self.determinations.items(), key=_rule_order)],
            "by_kind": {k: g.to_json() for k, g in sorted(self.kinds.items())},
            "by_layer": {k: g.to_json() for k, g in sorted(self.layers.items())},
            "by_package": {k: g.to_json() for k, g in sorted(self.packages.items())},
            "error_examples": self.error_examples,
        }


def _shown(value: Any) -> str:
    """A determination's value as the report shows it: yes/no, the text, or a list."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def _busiest(entry: tuple[Any, Transition]) -> tuple[int, str]:
    return (-entry[1].documents, repr(entry[0]))


def _rule_order(entry: tuple[str, dict[Any, Transition]]) -> tuple[int, str]:
    return (-sum(t.documents for t in entry[1].values()), entry[0])


_SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_IMPACT_RECORD = {
    "type": "object",
    "required": ["record", "input", "as_of", "standards", "outcome"],
    "properties": {
        "record": {"type": "integer", "minimum": 1},
        "input": {
            "type": "object", "required": ["path", "line", "sha256"], "additionalProperties": False,
            "properties": {"path": {"type": "string"}, "line": {"type": ["integer", "null"], "minimum": 1},
                           "sha256": {"anyOf": [_SHA256, {"type": "null"}]}}},
        "as_of": {"type": "string"},
        "standards": {"type": "object", "required": ["old", "new"], "additionalProperties": False,
                      "properties": {"old": _SHA256, "new": _SHA256}},
        "outcome": {"enum": ["changed", "unchanged", "error"]},
        "document": {"type": "object"},
        "old": {"type": "object", "required": ["outcome"]},
        "new": {"type": "object", "required": ["outcome"]},
        "changes": {"type": "array", "items": {"type": "object", "required": ["kind", "name", "old", "new"]}},
        "error": {"type": "object", "required": ["reason", "diagnostics"]},
    },
    "oneOf": [{"required": ["error"], "properties": {"outcome": {"const": "error"}}},
              {"required": ["document", "old", "new", "changes"], "not": {"required": ["error"]}}],
}


@cache
def _impact_validator() -> Callable[[Any], Any]:
    import fastjsonschema

    return fastjsonschema.compile(_IMPACT_RECORD)


def _check_impact_record(record: Any, number: int, path: Path) -> dict[str, Any]:
    """A record of an impact run read back, or NIS-B002 if it is not one nis could have written."""
    import fastjsonschema

    try:
        _impact_validator()(record)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise BatchError([Diagnostic("error", "NIS-B002", f"line {number} of the --changes file is not a record "
                                     f"nis diff wrote: {str(exc.message)[:200]}", source=display_path(path),
                                     hint="give a new --changes, or run without --resume to start again")]) from None
    return cast("dict[str, Any]", record)


def run_impact(paths: list[str], *, old: Standards, new: Standards, as_of: date, records: Path, jobs: int = 1,
               resume: bool = False, skip: tuple[Path, ...] = (), total: int | None = None,
               on_record: Callable[[ImpactTotals], None] | None = None,
               on_note: Callable[[str], None] | None = None) -> ImpactTotals:
    """Judge every plan under `paths` by both versions, writing one record per plan to
    `records` (JSON Lines, in input order, each flushed as it is written), and count what
    changes. With `resume`, the records already in `records` are checked against the inputs,
    the date and the two versions, counted, and the run carries on after them; a record that
    does not belong refuses the resume (BatchError) and leaves the file as it was."""
    items = iter_inputs(paths, skip=[records, *skip])
    totals = ImpactTotals()
    judge_one = ImpactJudge(old, new, as_of)
    try:
        with OutputLock(records, "--changes"):
            return _judge_into(records, items, totals, judge_one, as_of, resume, jobs, total, on_record, on_note)
    except OutputRefused as exc:
        raise BatchError([Diagnostic("error", "NIS-O002", str(exc))]) from None


def _judge_into(records: Path, items: Iterator[Item], totals: ImpactTotals, judge_one: ImpactJudge, as_of: date,
                resume: bool, jobs: int, total: int | None, on_record: Callable[[ImpactTotals], None] | None,
                on_note: Callable[[str], None] | None) -> ImpactTotals:
    end = 0
    if resume and records.exists():
        for offset, record in _records_on_disk(records, _check_impact_record):
            end = offset
            _verify(record, next(items, None), as_of, set(), records)
            if record.get("standards") != judge_one.standards:
                raise BatchError([Diagnostic(
                    "error", "NIS-B001", f"record {record.get('record')} compares other versions of the standards "
                    "(their SHA-256 differ)", source=str(records),
                    hint="resume with the same OLD, NEW, --set and --standards; or give a new --changes")])
            totals.add(record)
            totals.resumed += 1
    remaining = None if total is None else max(0, total - totals.documents)
    with open_for_appending(records, truncate=not resume, flag="--changes") as handle:
        if resume:
            handle.truncate(end)
        for line, made in judged_by(judge_one, items, jobs, remaining, on_note):
            handle.write(line)
            totals.add(cast("dict[str, Any]", made))  # the pool hands back the records the judge made
            if on_record is not None:
                on_record(totals)
    return totals


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of an impact run, in order."""
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield orjson.loads(line)
