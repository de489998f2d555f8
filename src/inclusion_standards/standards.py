"""Loading standards: find the files of each standards set, parse, check and compile them,
and pick the version in force on a date.

A folder may hold several standards sets (for example two versions of the same standards,
or the current-law and reformed regimes side by side). Each set is an entry file that opens
with a `standards` header, plus the files it imports. A set's identity for reproducibility
is its id, version and the sha256 of all its files' contents (its standards files, and the plan
schemas it keeps beside them).

Standards are read only from inside the folder given (or the folder of the one file given):
an import, or a file that is a link, naming anything outside it is refused without being
read, so a standards file cannot make nis read, or quote in a diagnostic, any other file.
"""
from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from . import cache, syntax
from . import tree as t
from .checked import CheckedStandards
from .checker import check_program, schema_lookups_hold
from .compiler import Compiled, compile_standards
from .diagnostics import Diagnostic, StandardsError, errors
from .documents import PlanSchema, plan_schema
from .explanation import ParameterInForce
from .files import NotAFile, TooLarge, display_path, inside, read_limited
from .resources import schemas_dir, standards_dir
from .results import StandardsId
from .runtime import MISSING

MAX_STANDARDS_FILE = 2 * 1024 * 1024


@dataclass(frozen=True, eq=False)
class Standards:
    """One checked, compiled standards set: an id and version with its effective dates."""

    id: str
    version: str
    title: str | None
    effective_from: date
    effective_until: date | None
    publisher: str | None
    sha256: str
    entry: str
    files: tuple[str, ...]
    checked: CheckedStandards
    compiled: Compiled
    warnings: tuple[Diagnostic, ...]
    # The parameters bound for recent as-of dates (evaluate.parameters keeps it).
    bound: dict[date, Any] = field(default_factory=dict, compare=False, repr=False)
    modules: tuple[t.Module, ...] = ()  # the parsed files, entry first: what a diff compares
    # The plan schemas the set binds in place of nis's own, by document type: plans of those
    # types are validated against them.
    plan_schemas: Mapping[str, PlanSchema] = field(default_factory=dict, compare=False, repr=False)

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_until is None or on <= self.effective_until)

    def judges(self, document_type: str) -> bool:
        return document_type in self.compiled.plans

    def plan_schema(self, document_type: str) -> PlanSchema | None:
        """The schema a plan of `document_type` must match for this set to judge it, when that
        is not nis's own."""
        return self.plan_schemas.get(document_type)

    def parameters_on(self, as_of: date) -> dict[str, ParameterInForce]:
        """Each parameter's value in force on `as_of` (missing where none is in force). Before
        the standards' own effective date (a version judged by name, whatever the date) its
        figures are those of its first day."""
        as_of = max(as_of, self.effective_from)
        found = {}
        for name, param in self.checked.parameters.items():
            decl = param.declaration
            current: tuple[t.DatedValue, object] | None = None
            for dated, (_, value) in zip(decl.values, param.values, strict=True):
                if dated.start <= as_of:
                    current = (dated, value)
            if current is None:
                found[name] = ParameterInForce(name, decl.title, param.type, MISSING, None, decl.illustrative, None)
                continue
            dated, value = current
            cite = dated.citation or (decl.citations[0] if decl.citations else None)
            found[name] = ParameterInForce(name, decl.title, param.type, value, dated.start, decl.illustrative,
                                           cite.text if cite else None)
        return found

    def identity(self) -> StandardsId:
        """What a result records of the standards that judged it (a fresh copy each time)."""
        return {"id": self.id, "version": self.version, "title": self.title,
                "effective_from": self.effective_from.isoformat(),
                "effective_until": self.effective_until.isoformat() if self.effective_until else None,
                "sha256": self.sha256}

    def describe(self) -> str:
        until = f" to {self.effective_until.isoformat()}" if self.effective_until else ""
        return f"{self.id} version {self.version} (in force from {self.effective_from.isoformat()}{until})"


@dataclass(frozen=True)
class StandardsLibrary:
    """Every standards set found under a path; `select` picks the one that governs a document."""

    root: str
    versions: tuple[Standards, ...]
    warnings: tuple[Diagnostic, ...]

    def select(self, as_of: date, document_type: str) -> Standards:
        candidates = [s for s in self.versions if s.judges(document_type) and s.in_force(as_of)]
        if not candidates:
            known = "; ".join(s.describe() for s in self.versions) or "none"
            raise StandardsError([Diagnostic(
                "error", "NIS-L002",
                f"no standards in {self.root} judge a {document_type} document on {as_of.isoformat()}",
                source=self.root, hint=f"standards found: {known}. Choose another --as-of date or --standards.")])
        # The most recently effective set governs; ties go to the highest version text.
        return max(candidates, key=lambda s: (s.effective_from, s.version, s.id))

    def plan_schemas(self, as_of: date) -> dict[str, PlanSchema]:
        """By document type, the plan schema a document must match to be judged on `as_of`,
        where the set that would judge it binds its own in place of nis's (`load_document`'s
        `schemas`). Empty for standards that use nis's own schemas, as the bundled ones do."""
        found: dict[str, PlanSchema] = {}
        for kind in sorted({kind for s in self.versions for kind in s.plan_schemas}):
            try:
                schema = self.select(as_of, kind).plan_schema(kind)
            except StandardsError:  # no set judges the type on that date: judging one will say so
                continue
            if schema is not None:
                found[kind] = schema
        return found


def load_standards(path: str | Path | None = None) -> StandardsLibrary:
    """Parse, check and compile every standards set under `path` (default: the bundled ones).

    Raises StandardsError carrying every error diagnostic found, in every file.
    """
    with _collector_paused():
        return _load_standards(path)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Building standards (or reading them back from the cache) makes tens of thousands of
    objects that live on, and little garbage: Python's cycle collector, left running, scans
    them again and again, for about a tenth of a check's start-up. It is paused meanwhile,
    and left as it was found."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _load_standards(path: str | Path | None) -> StandardsLibrary:
    root = Path(path) if path is not None else standards_dir()
    if not root.exists():
        raise StandardsError([Diagnostic("error", "NIS-L001", f"no standards at {root}", source=str(root),
                                         hint="give a folder of .nis files or one .nis file")])
    files = sorted(root.rglob("*.nis")) if root.is_dir() else [root]
    if not files:
        raise StandardsError([Diagnostic("error", "NIS-L001", f"no .nis files under {root}", source=str(root),
                                         hint="standards files end in .nis")])
    folder = standards_folder(root)
    resolve = _Resolved()
    modules: dict[Path, t.Module] = {}
    sources: dict[Path, str] = {}
    problems: list[Diagnostic] = []
    texts: dict[Path, str] = {}
    for file in files:
        text, diags = _read(file, folder)
        problems += diags
        if text is not None:
            texts[file] = sources[resolve(file)] = text
    inputs = _inputs(root, folder, texts, resolve) if not problems else None
    kept = _kept(root, folder, inputs, sources, resolve) if inputs is not None else None
    if kept is not None:
        return kept
    for file, text in texts.items():
        module, diags = _tree(file, text)
        problems += diags
        if module is not None:
            modules[resolve(file)] = module
    entries = [p for p, m in modules.items() if any(isinstance(i, t.Header) for i in m.items)]
    if not entries and not errors(problems):
        problems.append(Diagnostic("error", "NIS-C010", f"no file under {root} opens with a `standards` header",
                                   source=str(root),
                                   hint='the entry file of a standards set starts: standards "id" version "1.0" '
                                        "effective from YYYY-MM-DD"))
    versions: list[Standards] = []
    warnings: list[Diagnostic] = []
    for entry in entries:
        set_modules, diags = _gather(entry, modules, sources, folder)
        problems += diags
        if errors(diags):
            continue
        checked, found = check_program(set_modules, [schemas_dir()], {str(k): v for k, v in sources.items()},
                                       folder)
        problems += [d for d in found if d.is_error]
        warnings += [d for d in found if not d.is_error]
        if checked is None or errors(found):
            continue
        versions.append(_build(entry, checked, set_modules, sources,
                               tuple(d for d in found if not d.is_error), resolve))
    if errors(problems):
        raise StandardsError(_unique(errors(problems)))
    seen: dict[tuple[str, str], str] = {}
    for s in versions:
        key = (s.id, s.version)
        if key in seen:
            raise StandardsError([Diagnostic(
                "error", "NIS-L003", f"two standards sets are {s.id} version {s.version}", source=s.entry,
                hint=f"the other is {seen[key]}; give each a new version")])
        seen[key] = s.entry
    versions.sort(key=lambda s: (s.id, s.effective_from, s.version))
    library = StandardsLibrary(str(root), tuple(versions), _unique(warnings))
    if inputs is not None:
        _keep(inputs, library, texts, sources, resolve)
    return library


class _Resolved:
    """Paths with every link followed, each worked out once per load: loading the bundled
    standards asked the file system about the same 33 paths some 230 times (about 5 ms of a
    check's start-up)."""

    def __init__(self) -> None:
        self.found: dict[str, Path] = {}

    def __call__(self, path: str | os.PathLike[str]) -> Path:
        key = os.fspath(path)
        found = self.found.get(key)
        if found is None:
            found = self.found[key] = Path(key).resolve()
        return found


def check_standards(path: str | Path | None = None) -> tuple[Diagnostic, ...]:
    """Every diagnostic (errors and warnings) for the standards under `path`: `nis lint`."""
    try:
        library = load_standards(path)
    except StandardsError as exc:
        return exc.diagnostics
    return library.warnings


def standards_folder(root: Path) -> Path:
    """The folder standards may be read from: the folder given, or the folder of the file."""
    return (root if root.is_dir() else root.parent).resolve()


# ---- the checked form kept between runs ----------------------------------------------------------
# Loading the bundled standards is mostly parsing and checking them; what comes out is data (the
# trees, the checked form, the warnings), kept in nis's cache (`cache.store_checked`) under a key
# made of every input: each standards file's path, resolved path and text, the folder, and nis's
# own code. Files a set imports from outside the files found, and every place a plan's schema
# was looked for, are recorded in the entry and checked again before it is used. The generated
# code is never kept: each process compiles the checked form (`compile_standards`).

_KEPT = "nis-standards-1"


def _inputs(root: Path, folder: Path, texts: dict[Path, str], resolve: _Resolved) -> str:
    """Everything the checked form of the standards under `root` is made from, as one text."""
    lines = [_KEPT, str(root), str(folder)]
    lines += [f"{file}\0{resolve(file)}\0{hashlib.sha256(text.encode('utf-8')).hexdigest()}"
              for file, text in texts.items()]
    return "\n".join(lines)


def _keep(inputs: str, library: StandardsLibrary, texts: dict[Path, str], sources: dict[Path, str],
          resolve: _Resolved) -> None:
    found = {resolve(file) for file in texts}
    imported = tuple((str(path), hashlib.sha256(text.encode("utf-8")).hexdigest())
                     for path, text in sources.items() if path not in found)
    versions = tuple((s.entry, s.checked, s.modules, s.warnings) for s in library.versions)
    cache.store_checked(inputs, (_KEPT, versions, library.warnings, imported))


def _kept(root: Path, folder: Path, inputs: str, sources: dict[Path, str],
          resolve: _Resolved) -> StandardsLibrary | None:
    """The standards under `root` as kept by an earlier run with the same inputs, if the cache
    has them and everything recorded beside them still holds; None otherwise."""
    kept = cache.load_checked(inputs)
    if not (isinstance(kept, tuple) and len(kept) == 4 and kept[0] == _KEPT and _all(kept[2], Diagnostic)
            and _all(kept[1], tuple) and all(len(v) == 4 for v in kept[1])
            and _all(kept[3], tuple) and all(len(i) == 2 and _all(i, str) for i in kept[3])):
        return None
    _, versions, warnings, imported = kept
    for path_text, digest in imported:
        text, _ = _read(Path(path_text), folder)
        if text is None or hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
            return None
        sources[Path(path_text)] = text
    if not all(isinstance(entry, str) and isinstance(checked, CheckedStandards) and _all(modules, t.Module)
               and _all(found, Diagnostic) and all(resolve(m.source) in sources for m in modules)
               and schema_lookups_hold(checked.schema_lookups) for entry, checked, modules, found in versions):
        return None
    built = [_build(Path(entry), checked, list(modules), sources, found, resolve)
             for entry, checked, modules, found in versions]
    return StandardsLibrary(str(root), tuple(built), warnings)


def _all(value: object, kind: type) -> bool:
    """`value` is a tuple of `kind`s (the shapes `_keep` writes, checked before use)."""
    return isinstance(value, tuple) and all(isinstance(v, kind) for v in value)


def _read(file: Path, folder: Path) -> tuple[str | None, list[Diagnostic]]:
    """The text of a standards file inside `folder`, or why it cannot be read."""
    if not inside(file, folder):
        return None, [Diagnostic("error", "NIS-S001", f"this is a link to a file outside the standards folder "
                                 f"{display_path(folder)}", source=display_path(file),
                                 hint="standards are read only from inside their folder: copy the file in")]
    try:
        text = read_limited(file, MAX_STANDARDS_FILE).decode("utf-8")
    except TooLarge:
        return None, [Diagnostic("error", "NIS-S001", "standards file is larger than 2 MiB",
                                 source=display_path(file))]
    except NotAFile as exc:
        return None, [Diagnostic("error", "NIS-S001", f"cannot read standards file: it is {exc.kind}",
                                 source=display_path(file), hint="standards files are UTF-8 text files")]
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        return None, [Diagnostic("error", "NIS-S001", f"cannot read standards file: {reason}",
                                 source=display_path(file), hint="standards files are UTF-8 text")]
    return text, []


def _parse(file: Path, sources: dict[Path, str], folder: Path) -> tuple[t.Module | None, list[Diagnostic]]:
    text, diags = _read(file, folder)
    if text is None:
        return None, diags
    sources[file.resolve()] = text
    return _tree(file, text)


def _tree(file: Path, text: str) -> tuple[t.Module | None, list[Diagnostic]]:
    """The parsed tree of a standards file, from the cache when it holds this text."""
    cached = cache.load_tree(text, str(file))
    if cached is not None:
        return cached, []
    module, diags = syntax.parse_with_diagnostics(text, str(file))
    if not diags:
        cache.store_tree(text, module)
    return module, list(diags)


def _gather(entry: Path, modules: dict[Path, t.Module], sources: dict[Path, str],
            folder: Path) -> tuple[list[t.Module], list[Diagnostic]]:
    """The entry module and everything it imports, each once, imports resolved beside the importer."""
    order: list[t.Module] = []
    diags: list[Diagnostic] = []
    visiting: list[Path] = []
    done: set[Path] = set()

    def visit(path: Path) -> None:
        if path in done:
            return
        visiting.append(path)
        module = modules.get(path)
        if module is None:
            found, more = _parse(path, sources, folder)
            diags.extend(more)
            if found is None:
                visiting.pop()
                return
            module = modules[path] = found
        order.append(module)
        done.add(path)
        for item in module.items:
            if isinstance(item, t.Import):
                target = (path.parent / item.path).resolve()
                if not inside(target, folder):
                    diags.append(Diagnostic("error", "NIS-C009", f"`{item.path}` is outside the standards folder "
                                            f"{display_path(folder)}", source=str(path), span=item.span,
                                            hint="imports name files inside the standards folder, relative to the "
                                                 "importing file; nothing outside it is read"))
                elif target in visiting:
                    diags.append(Diagnostic("error", "NIS-C009", f"`{item.path}` imports itself, through "
                                            + " → ".join(p.name for p in visiting), source=str(path),
                                            span=item.span))
                elif not target.is_file():
                    diags.append(Diagnostic("error", "NIS-C009", f"cannot find the imported file `{item.path}`",
                                            source=str(path), span=item.span,
                                            hint="imports are relative to the importing file"))
                elif any(isinstance(i, t.Header) for i in modules.get(target, t.Module("", ())).items):
                    diags.append(Diagnostic("error", "NIS-C009", f"`{item.path}` is a standards entry file, not a "
                                            "module to import", source=str(path), span=item.span))
                else:
                    visit(target)
        visiting.pop()

    visit(entry)
    return order, diags


def _build(entry: Path, checked: CheckedStandards, modules: list[t.Module], sources: dict[Path, str],
           warnings: tuple[Diagnostic, ...], resolve: _Resolved) -> Standards:
    base = entry.parent
    # The set's files: its standards files, and the plan schemas it keeps beside them (they type
    # its rules, so they decide results as much as the rules do). nis's own schemas are part of
    # nis, whose version every result records.
    contents = {_relative(Path(m.source), base, resolve): hashlib.sha256(sources[resolve(m.source)].encode("utf-8"))
                .hexdigest() for m in modules}
    nis_schemas = str(schemas_dir().resolve())
    contents.update((_relative(Path(path), base, resolve), found) for path, root, found in checked.schema_lookups
                    if root != nis_schemas and found not in ("missing", "outside"))
    digest = hashlib.sha256()
    files = sorted(contents)
    for rel in files:
        digest.update(f"{rel}\0{contents[rel]}\n".encode())
    header = checked.header
    assert header.version is not None and header.effective_from is not None  # the checker requires both
    own = {name: replace(schema, source=_schema_file(modules, name)) for name, plan in checked.plans.items()
           if (schema := plan_schema(name, plan.schema)) is not None}
    return Standards(header.id, header.version, header.title, header.effective_from, header.effective_until,
                     header.publisher, digest.hexdigest(), str(entry), tuple(files), checked,
                     compile_standards(checked), warnings, modules=tuple(modules), plan_schemas=own)


def _schema_file(modules: list[t.Module], plan: str) -> str | None:
    """Where the schema a plan binds was read from: beside the file that binds it, else among
    nis's schemas (the checker's order)."""
    for module in modules:
        for item in module.items:
            if isinstance(item, t.PlanBinding) and item.name == plan:
                beside = Path(module.source).parent / item.schema
                return str((beside if beside.is_file() else schemas_dir() / item.schema).resolve())
    return None


def _relative(path: Path, base: Path, resolve: _Resolved) -> str:
    """`path` as seen from `base` (the entry file's folder), the same wherever the standards
    folder sits: a file imported from beside that folder reads `../shared/common.nis`."""
    try:
        return Path(os.path.relpath(resolve(path), resolve(base))).as_posix()
    except ValueError:  # no relative path between them (another drive)
        return resolve(path).as_posix()


def _unique(diags: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    out: list[Diagnostic] = []
    seen: set[tuple[object, ...]] = set()
    for d in diags:
        key = (d.source, d.span, d.code, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return tuple(out)
