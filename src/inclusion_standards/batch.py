"""Batch: judge many documents and write exactly one JSON line per input document.

In: paths (files; folders, walked recursively in sorted order for *.yaml, *.yml and *.json;
and *.jsonl files holding one document per line). Out: a JSON Lines file with one record
per input document, in input order: a result, or an error record with the reason and the
diagnostics. Optionally a CSV with one row per document. The caller gets counters back.

Exactly one record per input, whatever happens to it: a file that cannot be read, is not a
regular file, vanishes or is too large, a folder that cannot be read or is deleted during the
run, a JSON Lines line over the size limit, each gets an error record in its place.

Every record carries its input's identity (path, JSONL line, sha256 of the bytes judged), so
a resumed run reads back the records of an interrupted one, checks each (its shape against
the record and result schemas, and that it belongs to these inputs in this order, on this
date, by these standards), and carries on from the first input without a record.

The records go to a working file beside the output (`OUT.partial`), appended and flushed one
at a time, and the working file is renamed over the output when the run is complete: the
output only ever holds a whole run, and a killed run leaves a working file `--resume` carries
on from. A lock beside each output keeps a second run off it.

Memory stays flat however large the input: inputs are streamed, a bounded window of chunks
is in flight between the parent and the workers, and only counters are kept.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, NamedTuple, NoReturn, cast

import orjson

from .diagnostics import Diagnostic, DocumentError, NisError, StandardsError
from .documents import MAX_BYTES, load_document
from .evaluate import evaluate, parameters
from .files import (
    NotAFile,
    OutputLock,
    OutputRefused,
    cannot_write,
    display_path,
    identity,
    open_for_appending,
    open_regular,
    refuse_unsafe_target,
    same_file,
)
from .inputs import Item, count_inputs, iter_inputs, walk_plans
from .resources import schemas_dir
from .selection import Selection
from .standards import StandardsLibrary, load_standards

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

__all__ = ["CSV_COLUMNS", "LONG_CSV_COLUMNS", "BatchError", "Interrupted", "Item", "Summary", "Totals", "count_inputs",
           "iter_inputs", "prepare_outputs", "run_batch"]

CSV_COLUMNS = ("input", "document_id", "document_type", "child_id", "setting_urn", "layer", "plan_status", "as_of",
               "outcome", "must_failures", "should_failures", "failed_rules", "error_reason")
LONG_CSV_COLUMNS = ("input", "document_id", "child_id", "setting_urn", "outcome", "rule", "title", "severity")
RULE_SEPARATOR = ";"  # failed_rules is ;A;B;: filtering on ";A;" can never match a rule whose id merely holds A
CHUNK = 256           # documents per task sent to a worker: large enough to amortise the hand-over
CHUNKS_PER_JOB = 4    # chunks in flight per worker: keeps workers busy while bounding memory
PARENT_CHECK = 0.2    # seconds between a worker's checks that the batch that started it is alive


class BatchError(NisError):
    """The batch cannot start or go on: an output that cannot be written, or an output file
    that is not a resumable run of these inputs."""


class Interrupted(Exception):  # noqa: N818 - a stop that was asked for, not an error
    """The run was asked to stop (Ctrl-C, SIGTERM, SIGHUP) and stopped after a whole record;
    `working` is the file holding the records written so far (None when no --out was given)."""

    def __init__(self, working: Path | None, records: int):
        super().__init__(working)
        self.working, self.records = working, records


class Summary(NamedTuple):
    """What the CSVs and the counters need from one record (never the whole result).
    `failing`: each rule not met, as (rule id, title, "must" or "should")."""

    input: str
    document_id: str | None
    document_type: str | None
    outcome: str
    errors: int
    warnings: int
    failed_rules: tuple[str, ...]
    error_reason: str | None
    as_of: str = ""
    plan: tuple[str | None, str | None, str | None, str | None] = (None, None, None, None)
    failing: tuple[tuple[str, str, str], ...] = ()

    def row(self) -> list[str | int]:
        """The row of the CSV: the plan's identity, its counts, and the rules it failed."""
        child, setting, layer, status = (_cell(part or "") for part in self.plan)
        rules = RULE_SEPARATOR + RULE_SEPARATOR.join(self.failed_rules) + RULE_SEPARATOR if self.failed_rules else ""
        return [_cell(self.input), _cell(self.document_id or ""), self.document_type or "", child, setting, layer,
                status, self.as_of, self.outcome, self.errors, self.warnings, _cell(rules),
                _cell(self.error_reason or "")]

    def long_rows(self) -> list[list[str]]:
        """The rows of the long CSV: one per rule the plan failed."""
        child, setting = _cell(self.plan[0] or ""), _cell(self.plan[1] or "")
        return [[_cell(self.input), _cell(self.document_id or ""), child, setting, self.outcome, _cell(rule),
                 _cell(title), severity] for rule, title, severity in self.failing]


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will show as text: one starting with =, +, -, @, a tab or a
    carriage return would be read as a formula (OWASP, "CSV Injection"), so it gets a
    leading apostrophe, which spreadsheets show as nothing."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@dataclass
class Totals:
    """The counters a batch keeps: enough for the summary table and the exit code."""

    documents: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    resumed: int = 0
    rule_failures: Counter[str] = field(default_factory=Counter)

    def add(self, summary: Summary) -> None:
        self.documents += 1
        if summary.outcome == "pass":
            self.passed += 1
        elif summary.outcome == "fail":
            self.failed += 1
        else:
            self.errors += 1
        self.rule_failures.update(summary.failed_rules)

    @property
    def exit_code(self) -> int:
        """2 if any input was an error record, else 1 if any document failed a must-rule, else 0."""
        return 2 if self.errors else 1 if self.failed else 0


# ---- outputs, vetted against the inputs (read by inputs.py) ----------------------------------

def prepare_outputs(paths: Iterable[str | os.PathLike[str]],
                    outputs: Mapping[str, Path | None] | Iterable[tuple[str, Path | None]]) -> list[Path]:
    """Refuse outputs that are not safe to write, before any input is read, and return the
    outputs the folder walk must skip.

    `outputs` names each output by its option (`{"--out": ..., "--csv": ...}`, or pairs when
    an option is given twice). Refused: an output that is a link, a device, a pipe or a
    folder; two outputs naming one file; an output that names an input, through any link or
    spelling; and an output that a folder walk would find as an input (a plan in a folder
    being judged) unless it is already an output nis wrote, which the walk then leaves alone.
    Raises BatchError (NIS-O002).
    """
    pairs = outputs.items() if isinstance(outputs, Mapping) else outputs
    named = [(flag, Path(path)) for flag, path in pairs if path is not None]

    def refuse(message: str) -> None:
        raise BatchError([Diagnostic("error", "NIS-O002", message,
                                     hint="give outputs that are new files, or files nis wrote before, apart "
                                          "from every input")])

    for flag, path in named:
        try:
            refuse_unsafe_target(path, flag)
        except OutputRefused as exc:
            refuse(str(exc))
    for i, (first, first_path) in enumerate(named):
        for second, second_path in named[i + 1:]:
            if same_file(first_path, second_path):
                refuse(f"{first} and {second} name the same file ({display_path(first_path)}): each output "
                       "needs its own")
    inputs = [Path(p) for p in paths]
    for flag, path in named:
        for given in inputs:
            if same_file(given, path):
                refuse(f"{flag} {display_path(path)} is the input {display_path(given)}: writing it would "
                       "destroy it")
    existing = {identity(path): (flag, path) for flag, path in named if identity(path) is not None}
    for given in inputs:
        if existing and given.is_dir():
            for found, problem in walk_plans(given, set()):
                if problem is None and identity(found) in existing:
                    flag, path = existing[identity(found)]
                    if not _written_by_nis(path):
                        refuse(f"{flag} {display_path(path)} is a plan in the folder {display_path(given)}, which "
                               "is being judged: writing it would destroy it")
    return [path for _, path in named]


def _written_by_nis(path: Path) -> bool:
    """Whether an existing file is one nis wrote (a batch output, a CSV, a JSON report) or
    empty: such a file in a folder of plans is an old output, not a plan."""
    try:
        with open_regular(path) as handle:
            head = handle.read(64)
    except (OSError, NotAFile):
        return False
    return head.strip() == b"" or head.startswith((b'{"record":', b'{\n  "result_format":', b"[\n  {\n",
                                                   b"[]", ",".join(CSV_COLUMNS).encode()))


# ---- judging one document --------------------------------------------------------------------

class Judge:
    """Turns inputs into records against one standards library on one date.

    One lives in each worker process; the standards chosen for each document type, and
    their parameters on the as-of date, are worked out once and reused for every document.
    """

    def __init__(self, library: StandardsLibrary, as_of: date, detail: str = "brief",
                 selection: Selection | None = None):
        """`detail`: "brief" (rules met or not applicable as brief findings), "full" (every
        finding in full) or "traces" (in full, with the trace of every decision). `selection`:
        the rules `--select` and `--ignore` leave to judge, recorded in each result."""
        self.library, self.as_of, self.selection = library, as_of, selection
        self.traces, self.brief = detail == "traces", detail == "brief"
        self._as_of_text = as_of.isoformat()
        self._chosen: dict[str, tuple[Any, ...] | StandardsError] = {}
        self.schemas = library.plan_schemas(as_of)  # the plan schemas documents are validated against

    def judge(self, item: Item) -> tuple[bytes, Summary]:
        """The record of one input, serialised as one JSON line, and its summary."""
        try:
            record = self.record(item)
            return dumps(record), summarise(record)
        except Exception as exc:  # a bug in nis must cost one record, never the batch
            record = self._error(item, item.identity(), [Diagnostic(
                "error", "NIS-B003", f"internal error: {type(exc).__name__}: {exc}", source=item.label(),
                hint="this is a bug in nis: please report it with the document")])
            return dumps(record), summarise(record)

    def judge_all(self, items: list[Item]) -> list[tuple[bytes, Summary]]:
        return [self.judge(item) for item in items]

    def record(self, item: Item) -> dict[str, Any]:
        label = item.label()
        if item.problem is not None or item.raw is None:
            return self._error(item, item.identity(), item.problem or ())
        try:
            loaded = load_document(item.raw, source=label, schemas=self.schemas)
        except DocumentError as exc:
            return self._error(item, item.identity(), exc.diagnostics)
        identity = {"path": display_path(item.path), "line": item.line, "sha256": loaded.sha256}
        chosen = self._choose(loaded.document_type)
        if isinstance(chosen, StandardsError):
            return self._error(item, identity, chosen.diagnostics)
        standards, bound = chosen
        only = item.only if self.selection is None else self.selection.narrow(item.only)
        result = evaluate(standards, loaded.document_type, loaded.data, self.as_of, document_sha256=loaded.sha256,
                          source=label, include_trace=self.traces, bound=bound, brief=self.brief, only=only)
        if self.selection is not None:
            self.selection.record(result)
        return {"record": item.index + 1, "input": identity, "as_of": self._as_of_text,
                "outcome": result["outcome"], "plan": plan_identity(loaded.data), "result": result}

    def _choose(self, document_type: str) -> tuple[Any, ...] | StandardsError:
        if document_type not in self._chosen:
            try:
                standards = self.library.select(self.as_of, document_type)
                self._chosen[document_type] = (standards, parameters(standards, self.as_of, document_type))
            except StandardsError as exc:
                self._chosen[document_type] = exc
        return self._chosen[document_type]

    def _error(self, item: Item, identity: dict[str, Any], diagnostics: Iterable[Diagnostic]) -> dict[str, Any]:
        diagnostics = tuple(diagnostics)
        reason = diagnostics[0].message if diagnostics else "the document could not be judged"
        if len(diagnostics) > 1:
            reason += f" (and {len(diagnostics) - 1} more problem{'s' if len(diagnostics) > 2 else ''})"
        return {"record": item.index + 1, "input": identity, "as_of": self._as_of_text, "outcome": "error",
                "error": {"reason": reason, "diagnostics": [d.to_json() for d in diagnostics]}}


def plan_identity(data: object) -> dict[str, str | None]:
    """Who and where a plan is about, for the CSV: the child's id, the setting's URN, the layer
    (an ISP's) and the plan's status (an EHCP's draft, final...), each None when the plan does
    not say. A case (an ISP and an EHCP judged together) takes each from the plan that records
    it: the layer from its ISP, the status from its EHCP, the child and setting from either."""
    def text(value: object) -> str | None:
        return value if isinstance(value, str) else None

    def field(plan: dict[str, Any], record: str, key: str) -> str | None:
        part = plan.get(record)
        return text(part.get(key)) if isinstance(part, dict) else None

    plan = data if isinstance(data, dict) else {}
    parts = [plan.get("isp"), plan.get("ehcp")] if "isp" in plan and "ehcp" in plan else [plan]
    plans = [p for p in parts if isinstance(p, dict)]

    def first(read: Callable[[dict[str, Any]], str | None]) -> str | None:
        return next((found for p in plans if (found := read(p)) is not None), None)

    return {"child": first(lambda p: field(p, "child", "id")), "setting": first(lambda p: field(p, "setting", "urn")),
            "layer": first(lambda p: text(p.get("layer"))), "status": first(lambda p: text(p.get("status")))}


def summarise(record: dict[str, Any]) -> Summary:
    """The summary of a record, whether just judged or read back on resume."""
    where = record["input"]
    label = where["path"] if where.get("line") is None else f"{where['path']}:{where['line']}"
    result = record.get("result")
    if result is None:
        return Summary(label, None, None, "error", 0, 0, (), record["error"]["reason"], record["as_of"])
    failing = tuple((f["rule"], f["title"] or "", "must" if f["severity"] == "error" else "should")
                    for f in result["findings"] if f["status"] == "fail")
    plan = record.get("plan") or {}
    return Summary(label, result["document"]["id"], result["document"]["type"], result["outcome"],
                   result["summary"]["errors"], result["summary"]["warnings"], tuple(rule for rule, _, _ in failing),
                   None, record["as_of"], (plan.get("child"), plan.get("setting"), plan.get("layer"),
                                           plan.get("status")), failing)


def dumps(record: dict[str, Any]) -> bytes:
    """One record as one line of compact UTF-8 JSON, keys in the order they were built."""
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


# ---- workers ---------------------------------------------------------------------------------

_WORKER: Judge | None = None
_PRELOADED: tuple[Any, ...] | None = None  # (standards path, library): inherited by forked workers
_OTHER = None  # a judge of another kind for the workers (`nis diff --corpus`): see `judged_by`


def _start_worker(standards_path: str | Path | None, as_of: date, detail: str, parent: int,
                  selection: Selection | None = None) -> None:
    """Pool initializer: load the standards once per worker process (a forked worker finds
    them already loaded by the parent and skips the work).

    Ctrl-C and a closed terminal reach every process of the batch; they are the parent's to
    handle: it finishes the record it is writing and stops the pool. (SIGTERM still ends a
    worker: it is how the pool itself ends workers it has given up on.) And a worker stops by
    itself as soon as the batch that started it is gone (killed with -9, say), so no worker
    ever outlives its batch.
    """
    global _WORKER  # noqa: PLW0603 - a worker process's judge, set once by the pool's initializer
    for name, action in (("SIGINT", signal.SIG_IGN), ("SIGHUP", signal.SIG_IGN), ("SIGTERM", signal.SIG_DFL)):
        if hasattr(signal, name):  # a forked worker inherits the parent's handlers: replace them all
            signal.signal(getattr(signal, name), action)
    threading.Thread(target=_stop_with_parent, args=(parent,), name="nis-parent-watch", daemon=True).start()
    if _OTHER is not None:
        _WORKER = _OTHER
        return
    if _PRELOADED is not None and _PRELOADED[0] == standards_path:
        library = _PRELOADED[1]
    else:
        library = load_standards(standards_path)
    _WORKER = Judge(library, as_of, detail, selection)


def _stop_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


def _work(items: list[Item]) -> list[tuple[bytes, Summary]]:
    assert _WORKER is not None, "a worker judges only after _start_worker"
    return _WORKER.judge_all(items)


def _chunked(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _judged_in_pool(items: Iterator[Item], jobs: int, chunk: int, standards_path: str | Path | None,
                    library: StandardsLibrary | None, as_of: date,
                    detail: str, on_note: Callable[[str], None] | None = None,
                    selection: Selection | None = None) -> Iterator[tuple[bytes, Summary]]:
    """Records in input order from `jobs` worker processes.

    At most `jobs * CHUNKS_PER_JOB` chunks are in flight, so memory does not grow with the
    input. If a worker process dies (killed, out of memory), or worker processes cannot be
    started at all (a limit on processes), the chunks not yet judged, and all that follow,
    are judged here in the parent, in order: the run slows down but no record is lost or
    repeated, and it always ends.
    """
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _PRELOADED  # noqa: PLW0603 - what forked workers inherit
    pending: deque[tuple[list[Item], Any]] = deque()  # (chunk, future), in input order
    local: Judge | None = None  # set once the pool has broken

    def judged_here(part: list[Item], why: str) -> list[tuple[bytes, Summary]]:
        nonlocal local
        if local is None:
            if on_note is not None:
                on_note(f"{why}; judging the rest in this process")
            local = _OTHER if _OTHER is not None else Judge(cast("StandardsLibrary", library), as_of, detail,
                                                            selection)
        return local.judge_all(part)

    def collect(part: list[Item], future: Future[list[tuple[bytes, Summary]]] | None) -> list[tuple[bytes, Summary]]:
        if future is not None and local is None:
            try:
                return future.result()
            except BrokenProcessPool:
                pass
        return judged_here(part, "a worker process stopped")

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else methods[0])
    _PRELOADED = (standards_path, library)
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                               initargs=(standards_path, as_of, detail, os.getpid(), selection))
    try:
        for part in _chunked(items, chunk):
            future = None
            if local is None:
                try:
                    future = pool.submit(_work, part)
                except BrokenProcessPool:
                    pass
                except (OSError, RuntimeError) as exc:  # fork or thread creation refused
                    _stop_started(pool)
                    judged_here([], f"cannot start worker processes ({_reason(exc)})")
            pending.append((part, future))
            while len(pending) >= jobs * CHUNKS_PER_JOB:
                yield from collect(*pending.popleft())
        while pending:
            yield from collect(*pending.popleft())
    finally:
        # On an early stop (an error, a signal) queued chunks are dropped, not waited for.
        pool.shutdown(wait=True, cancel_futures=True)
        _PRELOADED = None


def _stop_started(pool: Executor) -> None:
    """After a failed start, end the workers that did start: they would wait for work for
    ever, and this process for them at exit."""
    import multiprocessing

    pool.shutdown(wait=False, cancel_futures=True)
    for child in multiprocessing.active_children():
        child.terminate()
        child.join(0.5)
        if child.is_alive():  # started, but not yet the worker whose handlers let SIGTERM end it
            child.kill()
            child.join()


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def available_processors() -> int:
    """The processors this process may run on (its CPU affinity where the system says)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def judged_by(judge: Any, items: Iterator[Item], jobs: int, total: int | None = None,
              on_note: Callable[[str], None] | None = None) -> Iterator[tuple[bytes, object]]:
    """`judge.judge_all` over `items` in `jobs` worker processes, in input order, with the
    batch's bounded window and its recovery from a worker that dies: the pool of `nis batch`
    for a judge of another kind (`impact.ImpactJudge`). The workers inherit the judge, so
    where processes cannot be forked the items are judged here, in order."""
    import multiprocessing

    global _OTHER  # noqa: PLW0603 - the judge forked workers inherit
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for part in _chunked(items, CHUNK):
            yield from judge.judge_all(part)
        return
    chunk = CHUNK if total is None else max(1, min(CHUNK, total // (jobs * CHUNKS_PER_JOB)))
    _OTHER = judge
    try:
        yield from _judged_in_pool(items, jobs, chunk, None, None, date.min, "brief", on_note)
    finally:
        _OTHER = None


# ---- resume ----------------------------------------------------------------------------------

_RECORD_SCHEMA = {
    "type": "object",
    "required": ["record", "input", "as_of", "outcome"],
    "additionalProperties": False,
    "properties": {
        "record": {"type": "integer", "minimum": 1},
        "input": {
            "type": "object", "required": ["path", "line", "sha256"], "additionalProperties": False,
            "properties": {"path": {"type": "string"}, "line": {"type": ["integer", "null"], "minimum": 1},
                           "sha256": {"anyOf": [{"type": "string", "pattern": "^[0-9a-f]{64}$"},
                                                {"type": "null"}]}}},
        "as_of": {"type": "string"},
        "outcome": {"enum": ["pass", "fail", "error"]},
        "plan": {
            "type": "object", "required": ["child", "setting", "layer", "status"], "additionalProperties": False,
            "properties": {key: {"type": ["string", "null"]} for key in ("child", "setting", "layer", "status")}},
        "result": {"type": "object"},
        "error": {
            "type": "object", "required": ["reason", "diagnostics"], "additionalProperties": False,
            "properties": {"reason": {"type": "string"},
                           "diagnostics": {"type": "array", "items": {
                               "type": "object", "required": ["severity", "code", "message"]}}}},
    },
}


@cache
def _record_validators() -> tuple[Callable[..., Any], Callable[..., Any]]:
    """Compiled validators for a record and for the result inside it."""
    import fastjsonschema

    result = json.loads((schemas_dir() / "result.schema.json").read_text(encoding="utf-8"))
    result["$schema"] = "http://json-schema.org/draft-07/schema#"  # the keywords both drafts read alike
    return fastjsonschema.compile(_RECORD_SCHEMA), fastjsonschema.compile(result)


def _check_record(record: Any, number: int, path: Path) -> dict[str, Any]:
    """A record read back, or NIS-B002 if it is not one nis could have written: the wrong
    shape, a result that does not match the result schema, or parts that disagree."""
    import fastjsonschema

    envelope, result_schema = _record_validators()
    problem = None if record is not None else "it is not JSON"
    try:
        envelope(record)
        result = record.get("result")
        if (result is None) == (record.get("error") is None):
            problem = "it has both a result and an error, or neither"
        elif result is not None:
            result_schema(result)
            if result["outcome"] != record["outcome"] or result["as_of"] != record["as_of"]:
                problem = "its outcome or date differs from its result's"
            elif result["document"]["sha256"] != record["input"]["sha256"]:
                problem = "its input's sha256 differs from its result's"
        elif record["outcome"] != "error":
            problem = "it is an error record whose outcome is not `error`"
    except fastjsonschema.JsonSchemaException as exc:
        problem = problem or str(getattr(exc, "message", exc))[:200]
    if problem is not None:
        raise BatchError([Diagnostic("error", "NIS-B002", f"line {number} of the output file is not a batch "
                                     f"record nis wrote: {problem}", source=display_path(path),
                                     hint="give a new --out, or run without --resume to start again")])
    return cast("dict[str, Any]", record)


def _records_on_disk(path: Path, check: Callable[[Any, int, Path], dict[str, Any]] | None = None
                     ) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each complete record in `path` with the byte offset just after it, each verified by
    `check` (default: a batch record's). A last line without its newline was cut short by the
    interruption: it is left to be written again."""
    check = check or _check_record
    with open_regular(path) as handle:
        offset = 0
        for number, line in enumerate(_lines(handle), 1):
            if not line.endswith(b"\n"):
                return
            offset += len(line)
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError:
                record = None
            yield offset, check(record, number, path)


def _lines(handle: BinaryIO) -> Iterator[bytes]:
    """Lines of a records file, none held longer than a record can be (a line far longer is
    returned cut, which the record check then refuses)."""
    while True:
        line = handle.readline(64 * MAX_BYTES)
        if not line:
            return
        yield line


def _verify(record: dict[str, Any], item: Item | None, as_of: date, known_standards: set[Any], out: Path,
            selection: Selection | None = None) -> None:
    """Refuse to resume unless the record belongs to this input, in this place, on this date,
    judged by the same --select and --ignore."""
    number = record.get("record")

    def refuse(message: str) -> NoReturn:
        raise BatchError([Diagnostic("error", "NIS-B001", message, source=display_path(out),
                                     hint="resume with the same inputs, --as-of, --standards, --select and --ignore; "
                                          "or give a new --out, or run without --resume to start again")])

    if item is None:
        refuse(f"the output file has more records than there are inputs (record {number} has no input)")
    expected = item.identity()
    if number != item.index + 1 or record["input"] != expected:
        refuse(f"record {number} is for {_describe(record['input'])}, but input {item.index + 1} is "
               f"{_describe(expected)}: the output file is from a different run")
    if record.get("as_of") != as_of.isoformat():
        refuse(f"record {number} was judged as of {record.get('as_of')}, not {as_of.isoformat()}")
    result = record.get("result")
    if result is not None and result["standards"]["sha256"] not in known_standards:
        refuse(f"record {number} was judged by {result['standards']['id']} version "
               f"{result['standards']['version']}, which is not among these standards (its content differs)")
    chosen = selection.to_json() if selection is not None else None
    if result is not None and result.get("selection") != chosen:
        from .selection import describe

        def said(given: dict[str, Any] | None) -> str:
            return describe(given) if given else "every rule"

        refuse(f"record {number} was judged by {said(result.get('selection'))}, not {said(chosen)}")


def _describe(identity: dict[str, Any]) -> str:
    where = identity["path"] + (f" line {identity['line']}" if identity.get("line") is not None else "")
    digest = identity.get("sha256")
    return f"{where} (sha256 {digest[:12]}…)" if digest else where


# ---- the run ---------------------------------------------------------------------------------

def working_file(out: str | os.PathLike[str]) -> Path:
    """Where a run writes its records until it is complete: `OUT.partial`, beside `--out`."""
    out = Path(out)
    return out.with_name(out.name + ".partial")


def run_batch(paths: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str] | None, *,
              library: StandardsLibrary, standards_path: str | Path | None, as_of: date, jobs: int = 1,
              csv_path: str | os.PathLike[str] | None = None,
              resume: bool = False, detail: str = "brief", total: int | None = None,
              on_record: Callable[[Totals], None] | None = None,
              on_note: Callable[[str], None] | None = None,
              stop: Callable[[], bool] | None = None, skip: Iterable[str | os.PathLike[str]] | None = None,
              inputs: Callable[[], Iterator[Item]] | None = None, csv_long_path: str | os.PathLike[str] | None = None,
              selection: Selection | None = None, junit_path: str | os.PathLike[str] | None = None,
              clock: tuple[datetime, str] | None = None) -> Totals:
    """Judge every input document and write one record each to `out` (JSON Lines).

    `library` is the loaded standards (the caller loads them first, so broken standards stop
    the run before it starts); `standards_path` is where each worker process loads them from.
    `on_record` is called after each record is written (progress display); `on_note` is told
    of anything the person running the batch should know (a worker process that stopped).
    `stop` is asked after each record whether to stop there (a signal arrived): the run then
    raises Interrupted, its working file ready for `resume`. `skip` is what `prepare_outputs`
    returned. `inputs` gives the items instead of the files under `paths` (the cases of an SEN2
    return). `csv_path` gets one row per document, `csv_long_path` one per document and rule
    failed, `junit_path` a JUnit XML test case per document (`clock`: the time and host name it
    records); with any of these, `out` may be None: the records are then kept nowhere (and there is
    nothing to resume from). `selection`: the rules --select and --ignore leave to judge.
    Raises BatchError if an output cannot be written, or if `resume` finds records that are
    not an earlier run of these inputs (then no file is changed).
    """
    out = Path(out) if out is not None else None
    csv_path = Path(csv_path) if csv_path is not None else None
    csv_long_path = Path(csv_long_path) if csv_long_path is not None else None
    junit_path = Path(junit_path) if junit_path is not None else None
    if out is None and (resume or (csv_path is None and csv_long_path is None and junit_path is None)):
        raise ValueError("a batch without `out` needs a table to write, and cannot resume")
    if skip is None:
        skip = prepare_outputs(paths, {"--out": out, "--csv": csv_path, "--csv-long": csv_long_path,
                                       "--junit": junit_path})
    if jobs > available_processors():
        if on_note is not None:
            on_note(f"--jobs {jobs} is more than the {available_processors()} processors this system gives "
                    f"nis: using {available_processors()}")
        jobs = available_processors()
    try:
        with contextlib.ExitStack() as locks:
            for flag, path in (("--out", out), ("--csv", csv_path), ("--csv-long", csv_long_path),
                               ("--junit", junit_path)):
                if path is not None:
                    locks.enter_context(OutputLock(path, flag))
            tables: list[_Table] = [_CsvTable(csv_path, "--csv", CSV_COLUMNS, lambda summary: [summary.row()]),
                      _CsvTable(csv_long_path, "--csv-long", LONG_CSV_COLUMNS, Summary.long_rows),
                      _JunitTable(junit_path, *(clock or (None, "localhost")))]
            return _run(paths, out, library=library, standards_path=standards_path, as_of=as_of, jobs=jobs,
                        tables=tables, resume=resume, detail=detail, total=total, on_record=on_record,
                        on_note=on_note, stop=stop or (lambda: False), skip=skip, inputs=inputs,
                        selection=selection)
    except OutputRefused as exc:
        raise BatchError([Diagnostic("error", "NIS-O003" if "another nis run" in str(exc) else "NIS-O001",
                                     str(exc))]) from None


class _Records:
    """The JSON Lines output: records appended one at a time to the working file beside
    `--out`, which is renamed over it when the run is complete."""

    def __init__(self, out: Path):
        self.out, self.working = out, working_file(out)
        self.handle: BinaryIO | None = None

    def source(self, resume: bool) -> Path:
        """Where a resumed run reads back the records kept: the working file, else `--out`."""
        return self.working if resume and identity(self.working) is not None else self.out

    def open(self, source: Path, kept: int) -> None:
        """Start the working file from the `kept` bytes of records read back from `source`."""
        self.handle = open_for_appending(self.working, truncate=source != self.working, flag="--out")
        if source == self.working:
            self.handle.truncate(kept)
        elif kept:
            _copy_prefix(self.out, self.handle, kept)

    def write(self, line: bytes) -> None:
        if self.handle is not None:
            _write(self.handle, line, self.working)

    def close(self, complete: bool) -> None:
        if self.handle is not None:
            try:
                if complete:
                    _write(self.handle, b"", self.working, sync=True)
            finally:
                self.handle.close()
                self.handle = None

    def finish(self) -> None:
        try:
            os.replace(self.working, self.out)
        except OSError as exc:
            raise BatchError([Diagnostic("error", "NIS-O001", cannot_write(self.out, exc),
                                         hint=f"the records are complete in {display_path(self.working)}")]) from None


def _run(paths: Iterable[str | os.PathLike[str]], out: Path | None, *, library: StandardsLibrary,
         standards_path: str | Path | None, as_of: date, jobs: int, tables: list[_Table], resume: bool,
         detail: str, total: int | None, on_record: Callable[[Totals], None] | None,
         on_note: Callable[[str], None] | None, stop: Callable[[], bool], skip: Iterable[str | os.PathLike[str]],
         inputs: Callable[[], Iterator[Item]] | None, selection: Selection | None) -> Totals:
    records = _Records(out) if out is not None else None
    items = inputs() if inputs is not None else iter_inputs(paths, skip=skip)
    totals = Totals()
    if stop():
        raise Interrupted(records.working if records else None, 0)
    source = records.source(resume) if records is not None else None
    kept = 0
    try:
        for table in tables:
            table.open()
        if resume and source is not None and identity(source) is not None:
            known = {s.sha256 for s in library.versions}
            for kept, record in _records_on_disk(source):  # noqa: B007 - kept: where the records read back end
                _verify(record, next(items, None), as_of, known, out or source, selection)
                summary = summarise(record)
                totals.add(summary)
                totals.resumed += 1
                for table in tables:
                    table.write(summary)
        complete = False
        try:
            if records is not None and source is not None:
                records.open(source, kept)
            judged: Iterator[tuple[bytes, Summary]]
            if jobs > 1:
                remaining = None if total is None else max(0, total - totals.documents)
                chunk = CHUNK if remaining is None else max(1, min(CHUNK, remaining // (jobs * CHUNKS_PER_JOB)))
                judged = _judged_in_pool(items, jobs, chunk, standards_path, library, as_of, detail, on_note,
                                         selection)
            else:
                judge = Judge(library, as_of, detail, selection)
                judged = (judge.judge(item) for item in items)
            try:
                for line, summary in judged:
                    if records is not None:
                        records.write(line)
                    for table in tables:
                        table.write(summary)
                    totals.add(summary)
                    if on_record is not None:
                        on_record(totals)
                    if stop():
                        raise Interrupted(records.working if records else None, totals.documents)
            finally:
                close = getattr(judged, "close", None)
                if close is not None:
                    close()
            complete = True
        finally:
            if records is not None:
                records.close(complete)
        for table in tables:
            table.finish()
        if records is not None:
            records.finish()
    except BaseException:
        for table in tables:
            table.abandon()
        raise
    return totals


def _write(handle: BinaryIO, line: bytes, working: Path, sync: bool = False) -> None:
    """Append one record (the file is unbuffered: a short write is carried on)."""
    try:
        view = memoryview(line)
        while view:
            view = view[handle.write(view):]
        if sync:
            os.fsync(handle.fileno())
    except OSError as exc:
        raise BatchError([Diagnostic(
            "error", "NIS-O001", cannot_write(working, exc),
            hint=f"the records written so far are kept in {display_path(working)}: once the problem is put "
                 "right, run the same command with --resume to carry on")]) from None


def _copy_prefix(source: Path, handle: BinaryIO, size: int) -> None:
    """The first `size` bytes of a finished output, as the start of a resumed run's working file."""
    with open_regular(source) as old:
        while size > 0:
            block = old.read(min(size, 1 << 20))
            if not block:
                break
            _write(handle, block, source)
            size -= len(block)


class _CsvTable:
    """An optional CSV (`--csv`, one row per document; `--csv-long`, one per document and rule
    failed), in record order. On resume it is rebuilt from the records read back, so it always
    matches the JSON Lines file. It is written beside its target (`CSV.partial`) and renamed
    over it only when the run is complete, so an interrupted or refused run leaves the old CSV
    as it was."""

    def __init__(self, path: Path | None, flag: str, columns: tuple[str, ...],
                 rows: Callable[[Summary], list[list[Any]]]):
        self._path, self._flag, self._columns, self._rows = path, flag, columns, rows
        self._handle: io.TextIOWrapper | None = None

    def open(self) -> None:
        if self._path is not None:
            self._partial = self._path.with_name(self._path.name + ".partial")
            raw = open_for_appending(self._partial, truncate=True, flag=self._flag)
            self._handle = io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self.write_row(self._columns)

    def write(self, summary: Summary) -> None:
        if self._handle is not None:
            for row in self._rows(summary):
                self.write_row(row)

    def write_row(self, row: Iterable[Any]) -> None:
        try:
            self._writer.writerow(row)
        except OSError as exc:
            raise BatchError([Diagnostic("error", "NIS-O001", cannot_write(self._partial, exc))]) from None

    def finish(self) -> None:
        if self._handle is not None and self._path is not None:
            try:
                self._handle.flush()
                os.fsync(self._handle.fileno())
                self._handle.close()
                os.replace(self._partial, self._path)
            except OSError as exc:
                raise BatchError([Diagnostic("error", "NIS-O001", cannot_write(self._path, exc))]) from None
            self._handle = None

    def abandon(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
            with contextlib.suppress(OSError):
                os.unlink(self._partial)
            self._handle = None


class _JunitTable:
    """The optional JUnit XML (`--junit`): one test case per document, in record order, failed
    when a requirement is not met, in error when the document could not be judged; the
    recommendations not met go to the suite's output. The suite's counts open the file, so
    the cases and the output are spooled to temporary files while the run goes on (memory
    stays flat) and the file is put together, beside its target, when the run is complete."""

    def __init__(self, path: Path | None, timestamp: datetime | None, hostname: str):
        self._path, self._timestamp, self._hostname = path, timestamp, hostname
        self._cases: IO[str] | None = None
        self._output: IO[str] | None = None
        self.tests = self.failures = self.errors = 0

    def open(self) -> None:
        if self._path is not None:
            # Spools that live as long as the run: closed by finish() or abandon().
            self._cases = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
            self._output = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115

    def write(self, summary: Summary) -> None:
        if self._cases is None or self._output is None:
            return
        from .tool_formats import PlanCase, junit_case, junit_text

        must = tuple(f"{rule} {title}".rstrip() for rule, title, severity in summary.failing if severity == "must")
        should = tuple(f"{rule} {title}".rstrip() for rule, title, severity in summary.failing if severity != "must")
        plan = PlanCase(summary.document_id or summary.input, summary.input, summary.outcome, must, should,
                        summary.error_reason)
        self.tests += 1
        self.failures += summary.outcome == "fail"
        self.errors += summary.outcome == "error"
        try:
            self._cases.write("\n".join(junit_case(plan.case())) + "\n")
            self._output.write(junit_text(plan.output()))
        except OSError as exc:
            raise BatchError([Diagnostic("error", "NIS-O001", cannot_write(self._path or "--junit", exc))]) from None

    def finish(self) -> None:
        if self._path is None or self._cases is None or self._output is None:
            return
        from . import __version__
        from .tool_formats import junit_suite_head

        partial = self._path.with_name(self._path.name + ".partial")
        try:
            raw = open_for_appending(partial, truncate=True, flag="--junit")
            with io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8") as handle:
                handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')
                handle.write(junit_suite_head("nis batch", f"nis {__version__}", 0,
                                              timestamp=self._timestamp or datetime(1970, 1, 1),
                                              hostname=self._hostname, tests=self.tests, failures=self.failures,
                                              errors=self.errors, seconds=0.0) + "\n")
                for spool, before, after in ((self._cases, "", ""), (self._output, "    <system-out>",
                                                                      "</system-out>\n")):
                    handle.write(before)
                    spool.seek(0)
                    shutil.copyfileobj(spool, handle)
                    handle.write(after)
                handle.write("    <system-err></system-err>\n  </testsuite>\n</testsuites>\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, self._path)
        except OSError as exc:
            raise BatchError([Diagnostic("error", "NIS-O001", cannot_write(self._path, exc))]) from None
        finally:
            self.abandon()

    def abandon(self) -> None:
        for spool in (self._cases, self._output):
            if spool is not None:
                with contextlib.suppress(OSError):
                    spool.close()
        self._cases = self._output = None
        if self._path is not None:
            with contextlib.suppress(OSError):
                self._path.with_name(self._path.name + ".partial").unlink(missing_ok=True)


_Table = _CsvTable | _JunitTable
