"""The documents named on a command line: files, folders of plans (walked in a stable order)
and JSON Lines files, each an `Item` read lazily; an input that cannot be read is an Item
whose `problem` says why, so it becomes an error record and is never dropped. Kept apart from
the batch runner so that a check of one plan reads its inputs without loading the runner."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from .diagnostics import Diagnostic, DocumentError
from .document_reading import read_file, too_big
from .documents import MAX_BYTES
from .files import NotAFile, display_path, identity, open_regular

__all__ = ["DOCUMENT_SUFFIXES", "Item", "count_inputs", "iter_inputs", "walk_plans"]

DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")


class Item(NamedTuple):
    """One input document: its place and its bytes, or, when it cannot be read, the
    diagnostics that say why (`problem`), which become its error record. `only` names the
    rules to judge it by, when it can feed only some (an SEN2 case)."""

    index: int  # type: ignore[assignment]  # the input's place, from 0 (a field, shadowing tuple.index)
    path: str
    line: int | None
    raw: bytes | None
    problem: tuple[Diagnostic, ...] | None = None
    only: frozenset[str] | None = None

    def identity(self) -> dict[str, Any]:
        digest = hashlib.sha256(self.raw).hexdigest() if self.raw is not None else None
        return {"path": display_path(self.path), "line": self.line, "sha256": digest}

    def label(self) -> str:
        shown = display_path(self.path)
        return shown if self.line is None else f"{shown}:{self.line}"


def iter_inputs(paths: Iterable[str | os.PathLike[str]], skip: Iterable[str | os.PathLike[str]] = ()) -> Iterator[Item]:
    """Every input document under `paths`, in a stable order, read lazily; an input that
    cannot be read is an Item whose `problem` says why.

    `skip` names files never to read as inputs (the batch's own output files).
    """
    skipped = _identities(skip)
    index = 0
    for path in paths:
        for where, line, raw, problem in _expand(Path(path), skipped):
            yield Item(index, where, line, raw, problem)
            index += 1


def count_inputs(paths: Iterable[str | os.PathLike[str]], skip: Iterable[str | os.PathLike[str]] = ()) -> int:
    """How many documents `iter_inputs` will yield, reading no document file (JSONL files
    are scanned for their lines): the progress display's total."""
    skipped = _identities(skip)
    return sum(1 for path in paths for _ in _expand(Path(path), skipped, read=False))


def _identities(paths: Iterable[str | os.PathLike[str]]) -> set[Any]:
    return {found for found in (identity(p) for p in paths) if found is not None}


Found = tuple[str, int | None, bytes | None, tuple[Diagnostic, ...] | None]


def _expand(path: Path, skipped: set[Any], read: bool = True) -> Iterator[Found]:
    if _is_folder(path):
        for file, problem in walk_plans(path, skipped):
            if problem is not None:
                yield str(file), None, None, problem
            else:
                yield (str(file), None) + (_read(file) if read else (None, None))
    elif path.suffix.lower() == ".jsonl" and _is_regular(path):
        yield from _jsonl(path, read)
    else:
        yield (str(path), None) + (_read(path) if read else (None, None))


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _is_regular(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def walk_plans(folder: Path, skipped: set[Any]) -> Iterator[tuple[Path, tuple[Diagnostic, ...] | None]]:
    """Files under `folder` that are named like plans, depth first, each folder's entries
    sorted by name, so the order does not depend on the file system and a resumed run sees
    the same sequence. A folder that cannot be listed (no permission, deleted during the run)
    is yielded in its place with the reason, so it gets an error record. Links to folders
    are not followed, so a link loop cannot make the walk endless.

    Only the names are held while a folder is walked, not the system's entries for them:
    walking a folder of 200,000 plans took 45 MB more at its peak with the entries, 24 MB with
    the names (in the process that walks it, and in the workers it starts)."""
    folders: set[str] = set()
    names: list[str] = []
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                if _entry_is_folder(entry):
                    folders.add(entry.name)
                    names.append(entry.name)
                elif entry.name.lower().endswith(DOCUMENT_SUFFIXES) and not _is_skipped(entry, skipped):
                    names.append(entry.name)
    except OSError as exc:
        yield folder, (_folder_problem(folder, exc),)
        return
    names.sort()
    for name in names:
        if name in folders:
            yield from walk_plans(folder / name, skipped)
        else:
            yield folder / name, None


def _entry_is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _folder_problem(folder: Path, exc: OSError) -> Diagnostic:
    return Diagnostic("error", "NIS-D007", f"cannot read the folder: {exc.strerror or exc}",
                      source=display_path(folder),
                      hint="the plans in it, if any, were not judged: check its permissions and run again")


def _is_skipped(entry: os.DirEntry[str], skipped: set[Any]) -> bool:
    if not skipped:
        return False
    try:
        inode = entry.inode()
    except OSError:
        return False
    return any(inode == found[1] for found in skipped) and identity(entry.path) in skipped


def _jsonl(path: Path, read: bool) -> Iterator[Found]:
    """One document per non-blank line; line numbers count every line, from 1. A line is
    read only up to the size limit: a longer one is passed over without being held in
    memory and gets an error record. A file that cannot be opened is one input whose error
    record says why."""
    try:
        handle = open_regular(path)
    except (OSError, NotAFile):
        yield (str(path), None, *_read(path))
        return
    with handle:
        number = 0
        while True:
            line = handle.readline(MAX_BYTES + 2)  # the limit, and a line break ("\r\n")
            if not line:
                return
            number += 1
            body = line.rstrip(b"\r\n")
            if len(body) > MAX_BYTES:
                while not line.endswith(b"\n"):  # the rest of the line, a bounded piece at a time
                    line = handle.readline(1 << 20)
                    if not line:
                        break
                label = f"{display_path(path)}:{number}"
                yield str(path), number, None, (too_big(label, len(body), exact=False, what=f"line {number}"),)
            elif body.strip():
                yield str(path), number, body if read else None, None


def _read(path: Path) -> tuple[bytes | None, tuple[Diagnostic, ...] | None]:
    try:
        return read_file(path, display_path(path)), None
    except DocumentError as exc:
        return None, exc.diagnostics
