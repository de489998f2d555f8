"""Batch: judge many documents and write exactly one JSON line per input document.

In: paths (files; folders, walked recursively in sorted order for *.yaml, *.yml and *.json;
and *.jsonl files holding one document per line). Out: a JSON Lines file with one record
per input document, in input order: a result, or an error record with the reason and the
diagnostics. Optionally a CSV with one row per document. The caller gets counters back.

Every record carries its input's identity (path, JSONL line, sha256 of the bytes judged), so
a resumed run reads back the valid prefix of an interrupted one, checks that it belongs to
these inputs in this order, and carries on from the first input without a record. Records
are appended and flushed one at a time: a killed run loses at most the line being written.

Memory stays flat however large the input: inputs are streamed, a bounded window of chunks
is in flight between the parent and the workers, and only counters are kept.
"""
from __future__ import annotations

import csv
import hashlib
import os
import signal
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

import orjson

from .diagnostics import Diagnostic, DocumentError, NisError, StandardsError
from .documents import MAX_BYTES, load_document
from .evaluate import evaluate, parameters
from .standards import StandardsLibrary, load_standards

__all__ = ["BatchError", "Item", "Summary", "Totals", "CSV_COLUMNS", "count_inputs", "iter_inputs",
           "run_batch"]

DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")
CSV_COLUMNS = ("input", "document_id", "document_type", "outcome", "errors", "warnings", "failed_rules",
               "error_reason")
CHUNK = 256           # documents per task sent to a worker: large enough to amortise the hand-over
CHUNKS_PER_JOB = 4    # chunks in flight per worker: keeps workers busy while bounding memory


class BatchError(NisError):
    """The batch cannot start: the output file is not a resumable run of these inputs."""


class Item(NamedTuple):
    """One input document. `raw` is None when the file cannot be read or is too large; the
    worker then asks `load_document` to read the path, which says exactly why it cannot.
    `problem`, when given, is why the input has no document (its error record); `only`
    names the rules to judge it by, when it can feed only some (an SEN2 case)."""

    index: int
    path: str
    line: int | None
    raw: bytes | None
    problem: tuple[Diagnostic, ...] | None = None
    only: frozenset[str] | None = None

    def identity(self) -> dict:
        digest = hashlib.sha256(self.raw).hexdigest() if self.raw is not None else None
        return {"path": self.path, "line": self.line, "sha256": digest}

    def label(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


class Summary(NamedTuple):
    """What the CSV and the counters need from one record (never the whole result)."""

    input: str
    document_id: str | None
    document_type: str | None
    outcome: str
    errors: int
    warnings: int
    failed_rules: tuple[str, ...]
    error_reason: str | None

    def row(self) -> list:
        return [self.input, self.document_id or "", self.document_type or "", self.outcome, self.errors,
                self.warnings, " ".join(self.failed_rules), self.error_reason or ""]


@dataclass
class Totals:
    """The counters a batch keeps: enough for the summary table and the exit code."""

    documents: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    resumed: int = 0
    rule_failures: Counter = field(default_factory=Counter)

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


# ---- inputs ---------------------------------------------------------------------------------

def iter_inputs(paths: Iterable[str | os.PathLike], skip: Iterable[str | os.PathLike] = ()) -> Iterator[Item]:
    """Every input document under `paths`, in a stable order, read lazily.

    `skip` names files never to read as inputs (the batch's own output files).
    """
    skipped = {Path(p).resolve() for p in skip}
    index = 0
    for path in paths:
        for where, line, raw in _expand(Path(path), skipped):
            yield Item(index, where, line, raw)
            index += 1


def count_inputs(paths: Iterable[str | os.PathLike], skip: Iterable[str | os.PathLike] = ()) -> int:
    """How many documents `iter_inputs` will yield, reading no document file (JSONL files
    are scanned for their lines): the progress display's total."""
    skipped = {Path(p).resolve() for p in skip}
    return sum(1 for path in paths for _ in _expand(Path(path), skipped, read=False))


def _expand(path: Path, skipped: set, read: bool = True) -> Iterator[tuple[str, int | None, bytes | None]]:
    if path.is_dir():
        for file in _walk(path):
            if file.name.lower().endswith(DOCUMENT_SUFFIXES) and not _is_skipped(file, skipped):
                yield str(file), None, _read(file) if read else None
    elif path.suffix.lower() == ".jsonl" and path.is_file():
        yield from _jsonl(path, read)
    else:
        yield str(path), None, _read(path) if read else None


def _walk(folder: Path) -> Iterator[Path]:
    """Files under `folder`, depth first, each folder's entries sorted by name, so the order
    does not depend on the file system and a resumed run sees the same sequence. Links to
    folders are not followed, so a link loop cannot make the walk endless."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def _is_skipped(file: Path, skipped: set) -> bool:
    return bool(skipped) and any(file.name == s.name for s in skipped) and file.resolve() in skipped


def _jsonl(path: Path, read: bool) -> Iterator[tuple[str, int | None, bytes | None]]:
    """One document per non-blank line; line numbers count every line, from 1. A file that
    cannot be opened is one input without bytes, so it gets an error record saying why."""
    try:
        handle = path.open("rb")
    except OSError:
        yield str(path), None, None
        return
    with handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield str(path), number, line if read else None


def _read(path: Path) -> bytes | None:
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


# ---- judging one document --------------------------------------------------------------------

class Judge:
    """Turns inputs into records against one standards library on one date.

    One lives in each worker process; the standards chosen for each document type, and
    their parameters on the as-of date, are worked out once and reused for every document.
    """

    def __init__(self, library: StandardsLibrary, as_of: date, detail: str = "brief"):
        """`detail`: "brief" (rules met or not applicable as brief findings), "full" (every
        finding in full) or "traces" (in full, with the trace of every decision)."""
        self.library, self.as_of = library, as_of
        self.traces, self.brief = detail == "traces", detail == "brief"
        self._as_of_text = as_of.isoformat()
        self._chosen: dict[str, tuple] = {}

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

    def record(self, item: Item) -> dict:
        label = item.label()
        if item.problem is not None:
            return self._error(item, item.identity(), item.problem)
        try:
            loaded = load_document(item.raw if item.raw is not None else item.path, source=label)
        except DocumentError as exc:
            return self._error(item, item.identity(), exc.diagnostics)
        identity = {"path": item.path, "line": item.line, "sha256": loaded.sha256}
        chosen = self._choose(loaded.document_type)
        if isinstance(chosen, StandardsError):
            return self._error(item, identity, chosen.diagnostics)
        standards, bound = chosen
        result = evaluate(standards, loaded.document_type, loaded.data, self.as_of, document_sha256=loaded.sha256,
                          source=label, include_trace=self.traces, bound=bound, brief=self.brief, only=item.only)
        return {"record": item.index + 1, "input": identity, "as_of": self._as_of_text,
                "outcome": result["outcome"], "result": result}

    def _choose(self, document_type: str):
        if document_type not in self._chosen:
            try:
                standards = self.library.select(self.as_of, document_type)
                self._chosen[document_type] = (standards, parameters(standards, self.as_of, document_type))
            except StandardsError as exc:
                self._chosen[document_type] = exc
        return self._chosen[document_type]

    def _error(self, item: Item, identity: dict, diagnostics) -> dict:
        diagnostics = tuple(diagnostics)
        reason = diagnostics[0].message if diagnostics else "the document could not be judged"
        if len(diagnostics) > 1:
            reason += f" (and {len(diagnostics) - 1} more problem{'s' if len(diagnostics) > 2 else ''})"
        return {"record": item.index + 1, "input": identity, "as_of": self._as_of_text, "outcome": "error",
                "error": {"reason": reason, "diagnostics": [d.to_json() for d in diagnostics]}}


def summarise(record: dict) -> Summary:
    """The summary of a record, whether just judged or read back on resume."""
    where = record["input"]
    label = where["path"] if where.get("line") is None else f"{where['path']}:{where['line']}"
    result = record.get("result")
    if result is None:
        return Summary(label, None, None, "error", 0, 0, (), record["error"]["reason"])
    failed = tuple(f["rule"] for f in result["findings"] if f["status"] == "fail")
    return Summary(label, result["document"]["id"], result["document"]["type"], result["outcome"],
                   result["summary"]["errors"], result["summary"]["warnings"], failed, None)


def dumps(record: dict) -> bytes:
    """One record as one line of compact UTF-8 JSON, keys in the order they were built."""
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


# ---- workers ---------------------------------------------------------------------------------

_WORKER: Judge | None = None
_PRELOADED: tuple | None = None  # (standards path, library): inherited by forked workers
_OTHER = None  # a judge of another kind for the workers (`nis diff --corpus`): see `judged_by`


def _start_worker(standards_path, as_of: date, detail: str) -> None:
    """Pool initializer: load the standards once per worker process (a forked worker finds
    them already loaded by the parent and skips the work)."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    if _OTHER is not None:
        _WORKER = _OTHER
        return
    if _PRELOADED is not None and _PRELOADED[0] == standards_path:
        library = _PRELOADED[1]
    else:
        library = load_standards(standards_path)
    _WORKER = Judge(library, as_of, detail)


def _work(items: list[Item]) -> list[tuple[bytes, Summary]]:
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


def _judged_in_pool(items: Iterator[Item], jobs: int, chunk: int, standards_path, library, as_of: date,
                    detail: str, on_note: Callable[[str], None] | None = None) -> Iterator[tuple[bytes, Summary]]:
    """Records in input order from `jobs` worker processes.

    At most `jobs * CHUNKS_PER_JOB` chunks are in flight, so memory does not grow with the
    input. If a worker process dies (killed, out of memory), the pool reports it instead of
    waiting for ever, and the chunks it had, and all that follow, are judged here in the
    parent, in order: the run slows down but no record is lost or repeated.
    """
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _PRELOADED
    pending: deque = deque()  # (chunk, future), in input order
    local: Judge | None = None  # set once the pool has broken

    def judged_here(part: list[Item]) -> list[tuple[bytes, Summary]]:
        nonlocal local
        if local is None:
            if on_note is not None:
                on_note("a worker process stopped; judging the rest in this process")
            local = _OTHER if _OTHER is not None else Judge(library, as_of, detail)
        return local.judge_all(part)

    def collect(part, future) -> list[tuple[bytes, Summary]]:
        if future is not None and local is None:
            try:
                return future.result()
            except BrokenProcessPool:
                pass
        return judged_here(part)

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else methods[0])
    _PRELOADED = (standards_path, library)
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                               initargs=(standards_path, as_of, detail))
    try:
        for part in _chunked(items, chunk):
            future = None
            if local is None:
                try:
                    future = pool.submit(_work, part)
                except BrokenProcessPool:
                    pass
            pending.append((part, future))
            while len(pending) >= jobs * CHUNKS_PER_JOB:
                yield from collect(*pending.popleft())
        while pending:
            yield from collect(*pending.popleft())
    finally:
        # On an early stop (an error, Ctrl-C) queued chunks are dropped, not waited for.
        pool.shutdown(wait=True, cancel_futures=True)
        _PRELOADED = None


def judged_by(judge, items: Iterator[Item], jobs: int, total: int | None = None,
              on_note: Callable[[str], None] | None = None) -> Iterator[tuple[bytes, object]]:
    """`judge.judge_all` over `items` in `jobs` worker processes, in input order, with the
    batch's bounded window and its recovery from a worker that dies: the pool of `nis batch`
    for a judge of another kind (`impact.ImpactJudge`). The workers inherit the judge, so
    where processes cannot be forked the items are judged here, in order."""
    import multiprocessing

    global _OTHER
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

def _records_on_disk(path: Path) -> Iterator[tuple[int, dict]]:
    """Each complete record in `path` with the byte offset just after it. A last line
    without its newline was cut short by the interruption: it is left to be written again."""
    with path.open("rb") as handle:
        offset = 0
        for number, line in enumerate(handle, 1):
            if not line.endswith(b"\n"):
                return
            offset += len(line)
            try:
                record = orjson.loads(line)
                record["input"]
            except (orjson.JSONDecodeError, TypeError, KeyError):
                raise BatchError([Diagnostic("error", "NIS-B002", f"line {number} of the output file is not a "
                                             "batch record", source=str(path),
                                             hint="give a new --out, or run without --resume to start again")])
            yield offset, record


def _verify(record: dict, item: Item | None, as_of: date, known_standards: set, out: Path) -> None:
    """Refuse to resume unless the record belongs to this input, in this place, on this date."""
    number = record.get("record")

    def refuse(message: str) -> None:
        raise BatchError([Diagnostic("error", "NIS-B001", message, source=str(out),
                                     hint="resume with the same inputs, --as-of and --standards; or give a "
                                          "new --out, or run without --resume to start again")])

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


def _describe(identity: dict) -> str:
    where = identity["path"] + (f" line {identity['line']}" if identity.get("line") is not None else "")
    digest = identity.get("sha256")
    return f"{where} (sha256 {digest[:12]}…)" if digest else where


# ---- the run ---------------------------------------------------------------------------------

def run_batch(paths: Iterable[str | os.PathLike], out: str | os.PathLike, *, library: StandardsLibrary,
              standards_path, as_of: date, jobs: int = 1, csv_path: str | os.PathLike | None = None,
              resume: bool = False, detail: str = "brief", total: int | None = None,
              on_record: Callable[[Totals], None] | None = None,
              on_note: Callable[[str], None] | None = None,
              inputs: Callable[[], Iterator[Item]] | None = None) -> Totals:
    """Judge every input document and write one record each to `out` (JSON Lines).

    `library` is the loaded standards (the caller loads them first, so broken standards stop
    the run before it starts); `standards_path` is where each worker process loads them from.
    `on_record` is called after each record is written (progress display); `on_note` is told
    of anything the person running the batch should know (a worker process that stopped).
    `inputs` gives the items instead of the files under `paths` (the cases of an SEN2 return).
    Raises BatchError if `resume` finds an output file that is not an earlier run of these inputs.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    skip = [out] + ([csv_path] if csv_path else [])
    items = inputs() if inputs is not None else iter_inputs(paths, skip=skip)
    totals = Totals()
    table = _CsvTable(csv_path)
    keep = True
    try:
        if resume and out.exists():
            end = 0
            known = {s.sha256 for s in library.versions}
            for end, record in _records_on_disk(out):
                _verify(record, next(items, None), as_of, known, out)
                summary = summarise(record)
                totals.add(summary)
                totals.resumed += 1
                table.write(summary)
            with out.open("r+b") as handle:
                handle.truncate(end)
        with out.open("ab" if resume else "wb") as handle:
            if jobs > 1:
                remaining = None if total is None else max(0, total - totals.documents)
                chunk = CHUNK if remaining is None else max(1, min(CHUNK, remaining // (jobs * CHUNKS_PER_JOB)))
                judged = _judged_in_pool(items, jobs, chunk, standards_path, library, as_of, detail, on_note)
            else:
                judge = Judge(library, as_of, detail)
                judged = (judge.judge(item) for item in items)
            for line, summary in judged:
                handle.write(line)
                handle.flush()
                table.write(summary)
                totals.add(summary)
                if on_record is not None:
                    on_record(totals)
    except BatchError:
        keep = False
        raise
    finally:
        table.close(keep)
    return totals


class _CsvTable:
    """The optional CSV: one row per document, in record order. On resume it is rebuilt from
    the records read back, so it always matches the JSON Lines file. It is written beside the
    CSV and moved over it at the end (or on an interruption), so a refused resume leaves the
    old CSV as it was."""

    def __init__(self, path):
        self._handle = None
        if path is not None:
            self._path = Path(path)
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._partial = self._path.with_name(self._path.name + ".partial")
            self._handle = open(self._partial, "w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(CSV_COLUMNS)

    def write(self, summary: Summary) -> None:
        if self._handle is not None:
            self._writer.writerow(summary.row())

    def close(self, keep: bool = True) -> None:
        if self._handle is not None:
            self._handle.close()
            if keep:
                os.replace(self._partial, self._path)
            else:
                self._partial.unlink()
