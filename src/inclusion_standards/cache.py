"""What nis keeps between runs, and why each kept thing can be trusted.

Parsing and checking the standards is most of nis's start-up, so three kinds of entry are kept
in the user's cache folder (`$NIS_CACHE_DIR`, else `$XDG_CACHE_HOME/nis`, else
`~/.cache/nis`; `NIS_NO_CACHE=1` turns it off): the parsed tree of each standards file
(`trees/`), read back when the same text is loaded again; the checked form of a whole
standards folder (`standards/`: its trees, what the checker made of them and its warnings),
read back when every file of the folder is the same (`standards.load_standards` says what the
key covers and what it checks again before use); and the tables of the standards parser
(`parser/`), read back whenever a file has to be parsed with the same grammar. Each kind keeps
only its most recently used entries (`KEEP`): a process's first write to a folder removes the
least recently used.

Trust. A cache entry is data, never code: it is written as JSON in a layout of nis's own (a
table of nodes), and read back by constructing only nis's own data classes (the tree, the
checked form, types, diagnostics), dicts and lists, field by field, checking each value's
kind and every field the compiler writes into Python: numbers must be ints, operators and
function names one of the grammar's. The parser's tables are dicts, lists, tuples and plain
values, handed to lark's own loader, which builds only its rules, terminals and tables from
them. Nothing is unpickled or unmarshalled. An entry is used only if its header names the key
it was looked up by (the sha256 of the exact inputs and of the code that made the entry: for a
tree the grammar, the code that builds trees and this module; for a checked form all of nis's
code; for the parser's tables the grammar, the parser's options, lark's version, the code that
builds trees and this module; with the nis and Python versions) and the sha256 of its content
matches; anything else is ignored and rebuilt. The folder itself is
used only if it is a folder the user running nis owns and no one else can write to: a folder
that cannot be read, belongs to another user or is writable by everyone is ignored, with one
warning. Entries are written to a temporary file and renamed, with permissions for the owner
only.

Compiled code is not kept between runs at all. A code object can only be checked by
compiling the source again, which is the cost a cache would save, and a hash stored next
to an entry proves nothing to whoever can write the folder; marshal itself does not guard
against crafted data. Each process compiles the generated code it needs (`compiler`).
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import math
import os
import re
import stat
import sys
import time
import warnings
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, TypedDict, Union, cast

import orjson

from . import __version__

if TYPE_CHECKING:
    from .tree import Module

__all__ = ["CacheWarning", "cache_folder", "load_checked", "load_parser", "load_tree", "store_checked", "store_parser",
           "store_tree"]

FORMAT = "nis-data-2"
MAX_ENTRY = 64 * 1024 * 1024  # an entry larger than this was not written by nis


class CacheWarning(UserWarning):
    """A cache folder nis will not use, and why."""


# ---- the folder --------------------------------------------------------------------------------

_WARNED: set[str] = set()


def cache_folder(kind: str) -> Path | None:
    """The folder for cache entries of one kind, or None when caching is off or the folder
    is not one nis may trust (then with one warning per folder)."""
    if os.environ.get("NIS_NO_CACHE"):
        return None
    root = Path(os.environ.get("NIS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "nis"))
    for folder in (root, root / kind):
        problem = _untrusted(folder)
        if problem is not None:
            if str(folder) not in _WARNED:
                _WARNED.add(str(folder))
                warnings.warn(f"not using the cache folder {folder}: {problem}; nis works without it, only "
                              "starting more slowly", CacheWarning, stacklevel=3)
            return None
    return root / kind


def _untrusted(folder: Path) -> str | None:
    """Why `folder` must not be used for the cache, or None. A missing folder is made, for
    the owner only; a folder that cannot be made (a read-only home) is simply not used."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = os.stat(folder)
        except OSError:
            return None
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return f"it belongs to another user (uid {info.st_uid})"
    if info.st_mode & stat.S_IWOTH:
        return "anyone can write to it"
    if not os.access(folder, os.R_OK | os.X_OK):
        return "it cannot be read"
    return None


# ---- entries -----------------------------------------------------------------------------------

def _read_entry(path: Path, key: str) -> bytes | None:
    """The content of an entry if it is one nis wrote for `key`: a regular file of the user's,
    not writable by others, whose header names `key` and whose content has the sha256 in it."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if (not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY or info.st_mode & (stat.S_IWOTH | stat.S_IWGRP)
                or (hasattr(os, "geteuid") and info.st_uid != os.geteuid())):
            return None
        data = handle.read(MAX_ENTRY + 1)
    header, _, content = data.partition(b"\n")
    parts = header.split(b" ")
    if len(parts) != 3 or parts[0] != FORMAT.encode() or parts[1] != key.encode():
        return None
    if hashlib.sha256(content).hexdigest().encode() != parts[2]:
        return None
    with contextlib.suppress(OSError):  # used now: the last to go when the folder is pruned
        os.utime(path)
    return content


def _write_entry(path: Path, key: str, content: bytes) -> None:
    """Write an entry so a reader never sees half of it; a read-only disk is no error. Then
    prune the entry's folder to the entries its kind keeps (`KEEP`)."""
    data = b" ".join([FORMAT.encode(), key.encode(), hashlib.sha256(content).hexdigest().encode()]) + b"\n" + content
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return
    if path.parent not in _PRUNED:  # once a process: a listing of 2,048 trees takes about 9 ms
        _PRUNED.add(path.parent)
        _prune(path.parent, KEEP.get(path.parent.name, KEEP_OTHERWISE))


# How many entries of each kind the cache keeps. Every edit of a standards file, every other
# standards folder and every other version of nis makes new entries (the bundled standards'
# checked form is about 2 MB, a file's tree 5-60 KB), and nothing else ever removes the old
# ones: beyond these counts the least recently used go when an entry is written.
KEEP = {"standards": 32, "trees": 2048, "parser": 8}
KEEP_OTHERWISE = 64
_STALE_WRITE = 3600.0  # seconds after which a temporary file is one a stopped writer left
# The folders this process has pruned. One process writes at most a standards folder's worth of
# entries (a cold start: one tree a file and one checked form) beyond what a folder keeps.
_PRUNED: set[Path] = set()
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")


def _prune(folder: Path, keep: int) -> None:
    """Remove the entries of `folder` beyond the `keep` most recently used (written or read:
    a read renews an entry's time), and temporary files a writer left over an hour ago. Only
    files named as nis names them are touched; a race with another process costs a rebuild."""
    entries: list[tuple[float, str]] = []
    leftovers: list[str] = []
    now = time.time()
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                if not item.is_file(follow_symlinks=False):
                    continue
                modified = item.stat(follow_symlinks=False).st_mtime
                if _ENTRY_NAME.fullmatch(item.name):
                    entries.append((modified, item.path))
                elif item.name.startswith(".") and item.name.endswith(".tmp") and now - modified > _STALE_WRITE:
                    leftovers.append(item.path)
    except OSError:
        return
    entries.sort(reverse=True)
    for path in [p for _, p in entries[keep:]] + leftovers:
        with contextlib.suppress(OSError):
            os.unlink(path)


# ---- parsed trees ------------------------------------------------------------------------------

def load_tree(text: str, source: str) -> Module | None:
    """The parsed tree of a standards file with this exact text, if the cache has a verified
    one; None otherwise (the caller parses, then calls `store_tree`)."""
    from . import tree as t

    module = _load(_tree_entry(text))
    if not isinstance(module, t.Module):
        return None
    return dataclasses.replace(module, source=source)


def store_tree(text: str, module: Module) -> None:
    """Keep the parsed tree of a standards file for the next run."""
    _store(_tree_entry(text), module)


def _tree_entry(text: str) -> tuple[Path, str] | None:
    return _entry("trees", _fingerprint(), text)


# ---- the parser's tables -------------------------------------------------------------------------

def load_parser(description: str) -> dict[str, object] | None:
    """The tables of the standards parser that `store_parser` kept for exactly this
    description (the grammar's text, the parser's options and lark's version), if the cache has
    a verified entry; None otherwise (the caller builds the parser from the grammar)."""
    where = _entry("parser", _fingerprint(), description)
    content = _read_entry(*where) if where is not None else None
    if content is None:
        return None
    try:
        tables = _plain(orjson.loads(content), 0)
    except (ValueError, _LayoutError):
        return None
    return tables if isinstance(tables, dict) else None


def store_parser(description: str, tables: Callable[[], dict[str, object]]) -> None:
    """Keep the tables of the standards parser (what `tables()` gives: lark's `memo_serialize`,
    dicts, lists, tuples and plain values) for the next run that parses with the same grammar.
    They are made only when the cache is on."""
    where = _entry("parser", _fingerprint(), description)
    if where is None:
        return
    try:
        content = orjson.dumps(_tagged_plain(tables(), 0))
    except (TypeError, _LayoutError):
        return
    _write_entry(where[0], where[1], content)


# Parser tables hold dicts with number keys, tuples and integers past 64 bits (an unbounded
# width is 2**64), which JSON has not: each dict, list and tuple is written as a tagged pair
# ["m", [[key, value], ...]], ["l", [...]], ["u", [...]], an integer that JSON may not hold
# exactly as ["i", "digits"], and nothing but those and plain values is ever read back. The
# tables are 7 levels deep.
_PLAIN_DEPTH = 24


def _tagged_plain(value: object, depth: int) -> object:
    """`value` in the tagged layout. Texts, small integers and the like, most of the tables,
    are taken as they are without a call."""
    kind = type(value)
    if depth > _PLAIN_DEPTH:
        raise _LayoutError("depth")
    if kind is int and not -_SAFE_INT < cast(int, value) < _SAFE_INT:
        return ["i", str(value)]
    if value is None or kind in _AS_IS:
        return value
    deeper = depth + 1
    if kind is dict:
        return ["m", [[k if type(k) is str else _tagged_plain(k, deeper),
                       v if type(v) is str or v is None else _tagged_plain(v, deeper)]
                      for k, v in cast("dict[object, object]", value).items()]]
    if kind is list or kind is tuple:
        return ["l" if kind is list else "u", [v if type(v) is str or v is None else _tagged_plain(v, deeper)
                                               for v in cast("list[object]", value)]]
    raise _LayoutError("value")


_AS_IS = (str, int, bool, float)  # an int only within _SAFE_INT: checked before


def _plain(value: object, depth: int) -> object:
    """What `_tagged_plain` wrote. Plain values are taken as they are without a call, as the
    tables hold some 50,000 of them."""
    if type(value) is not list or len(value) != 2 or depth > _PLAIN_DEPTH:
        raise _LayoutError("value")
    tag, items = value
    if tag == "i" and type(items) is str and len(items) < 100:
        return int(items)  # ValueError for anything but digits: the entry is not used
    if type(items) is not list:
        raise _LayoutError("value")
    deeper = depth + 1
    if tag in ("l", "u"):
        out = [_plain(v, deeper) if type(v) in _NOT_PLAIN else v for v in items]
        return out if tag == "l" else tuple(out)
    if tag == "m":
        table = {}
        for pair in items:
            if type(pair) is not list or len(pair) != 2 or type(pair[0]) not in (str, int):
                raise _LayoutError("dict")
            key, v = pair
            table[key] = _plain(v, deeper) if type(v) in _NOT_PLAIN else v
        return table
    raise _LayoutError("value")


_NOT_PLAIN = (list, dict)  # what JSON gives besides plain values; a dict is refused by `_plain`


# ---- checked standards ---------------------------------------------------------------------------

def load_checked(inputs: str) -> object | None:
    """What `store_checked` kept for exactly these inputs (a description of everything a
    standards folder's checked form was made from, written by `standards`), if the cache
    has a verified entry; None otherwise."""
    return _load(_entry("standards", _package_fingerprint(), inputs))


def store_checked(inputs: str, value: object) -> None:
    """Keep the checked form of a standards folder (tree, checked and type nodes, dicts,
    lists and plain values) for the next run with the same inputs."""
    _store(_entry("standards", _package_fingerprint(), inputs), value)


@cache
def _package_fingerprint() -> str:
    """Changes whenever any of nis's code, its grammar or the Python version changes: the
    checked form is made by the parser, the checker, the type rules and the formatter."""
    from .resources import grammar_dir

    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    digest.update((grammar_dir() / "nis.lark").read_bytes())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(f"{module.name}\0".encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()


# ---- entries by key ------------------------------------------------------------------------------

def _entry(kind: str, fingerprint: str, text: str) -> tuple[Path, str] | None:
    folder = cache_folder(kind)
    if folder is None:
        return None
    key = hashlib.sha256(f"{fingerprint}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{key}.json", key


def _load(where: tuple[Path, str] | None) -> object | None:
    if where is None:
        return None
    content = _read_entry(*where)
    if content is None:
        return None
    try:
        return _decode(orjson.loads(content))
    except Exception:  # an entry that does not decode is ignored, and made again
        return None


def _store(where: tuple[Path, str] | None, value: object) -> None:
    if where is None:
        return
    try:
        content = orjson.dumps(_encode(value))
    except (TypeError, ValueError, KeyError, _LayoutError):  # something the layout cannot hold: not kept
        return
    _write_entry(where[0], where[1], content)


@cache
def _fingerprint() -> str:
    """Changes whenever anything that decides what a tree is changes: the grammar, the code
    that builds trees, this module, the nis version, the Python version."""
    from . import syntax
    from . import tree as t
    from .resources import grammar_dir

    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    digest.update((grammar_dir() / "nis.lark").read_bytes())
    for module in (syntax, t, sys.modules[__name__]):
        assert module.__file__ is not None  # each is a module nis loaded from its own source file
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


# The layout: {"format", "classes": [name, ...], "nodes": [[class number, value, ...], ...],
# "root": value}. A node is an object of one of nis's own data classes (its fields in order),
# a dict (keys and values alternating; keys are texts) or a list. A value is null, true/false,
# a text, a number that JSON holds exactly, -1 - n for node n (so other negative integers are
# tagged), or a tagged list: ["l", values] (a tuple) ["z", values] (a frozenset) ["d",
# "decimal"] ["t", "date"] ["i", "negative or big integer"] ["s", line, column, end line, end
# column] (a span) ["M"] (a missing value). Nodes come before
# the nodes that use them, so decoding is one pass with no recursion however deep the tree (a
# sum of 1,000 terms is 1,000 levels deep); an object used in two places is one node, so the
# checked form shares what it shared when it was made.

_Json: TypeAlias = Union[bool, int, float, str, list["_Json"], dict[str, "_Json"], None]


class _Layout(TypedDict):
    format: str
    classes: list[str]
    nodes: list[list[_Json]]
    root: _Json


class _LayoutError(Exception):
    """What an entry holds, or a value would need, is not in the layout."""


_CONTAINERS = ("dict", "list")
_CHECKED_NODE = ("checked.Node",)


@cache
def _classes() -> dict[str, tuple[type, tuple[str, ...]]]:
    """The classes an entry may construct, by module and name: nis's own frozen data classes
    of the tree, the checked form, types and diagnostics; nothing else."""
    from . import checked as c
    from . import diagnostics as d
    from . import tree as t
    from . import types as ty

    found: dict[str, tuple[type, tuple[str, ...]]] = {}
    for module in (t, c, ty, d):
        short = module.__name__.rsplit(".", 1)[1]
        for name, cls in vars(module).items():
            if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__:
                found[f"{short}.{name}"] = (cls, tuple(f.name for f in dataclasses.fields(cls) if f.init))
    return found


@cache
def _checks() -> dict[str, tuple[tuple[int, frozenset[str] | type], ...]]:
    """For each class, the fields whose values the compiler writes into Python source (by
    position): a name must be a plain name, an operator or word one of the grammar's, a number
    an int, whatever an entry holds."""
    from . import checked as c
    from .checker import FUNCTIONS

    closed: dict[tuple[str, str], frozenset[str] | type] = {
        ("tree.Name", "name"): str, ("tree.Quantified", "var"): str, ("tree.Aggregate", "var"): str,
        ("checked.Logic", "op"): frozenset({"and", "or"}),
        ("checked.Compare", "op"): frozenset({"=", "!=", "<", "<=", ">", ">="}),
        ("checked.Arithmetic", "op"): frozenset({"+", "-", "*", "/"}),
        ("checked.Quantified", "quantifier"): frozenset({"every", "some", "no"}),
        ("checked.Aggregate", "kind"): frozenset({"count", "sum", "min", "max", "list"}),
        ("checked.Call", "function"): frozenset(FUNCTIONS),
        ("checked.Variable", "binder"): int, ("checked.Read", "scale"): int,
    }
    out: dict[str, tuple[tuple[int, frozenset[str] | type], ...]] = {}
    for name, (cls, fields) in _classes().items():
        wanted = [(i, closed[name, f]) for i, f in enumerate(fields) if (name, f) in closed]
        if issubclass(cls, c.Node):
            wanted.append((fields.index("id"), int))
        out[name] = tuple(wanted)
    return out


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SAFE_INT = 2 ** 53


def _encode(root: object) -> _Layout:
    from . import runtime
    from .diagnostics import Span

    known = {cls: name for name, (cls, _) in _classes().items()}
    fields = {name: names for name, (_, names) in _classes().items()}
    classes: list[str] = []
    codes: dict[str, int] = {}
    nodes: list[list[_Json]] = []
    index: dict[int, int] = {}
    keep: list[object] = []  # every object indexed stays alive, so no id() is reused meanwhile

    def parts(node: object) -> tuple[str, list[object]]:
        if isinstance(node, dict):
            if not all(type(k) is str for k in node):
                raise _LayoutError("key")
            return "dict", [x for pair in node.items() for x in pair]
        if isinstance(node, list):
            return "list", list(node)
        name = known.get(type(node))
        if name is None:
            raise _LayoutError(type(node).__name__)
        return name, [getattr(node, f) for f in fields[name]]

    nodes_kinds = {*known, dict, list}

    def value(v: object) -> _Json:
        kind = type(v)  # the common kinds first, by type: an entry holds some 100,000 values
        if kind is str or kind is bool or v is None:
            return cast("_Json", v)
        if kind in nodes_kinds:
            at = index.get(id(v))
            if at is not None:
                return -1 - at
        if isinstance(v, int):
            return v if 0 <= v < _SAFE_INT else ["i", str(v)]
        if isinstance(v, float):
            if not math.isfinite(v):
                raise _LayoutError("float")
            return v
        if isinstance(v, Decimal):
            return ["d", str(v)]
        if isinstance(v, date):
            return ["t", v.isoformat()]
        if isinstance(v, Span):
            return ["s", v.line, v.column, v.end_line, v.end_column]
        if isinstance(v, tuple):
            return ["l", [value(x) for x in v]]
        if isinstance(v, frozenset):
            return ["z", sorted((value(x) for x in v), key=repr)]
        if v is runtime.MISSING:
            return ["M"]
        return -1 - index[id(v)]

    def objects_in(values: Iterable[object]) -> list[object]:
        found: list[object] = []
        for v in values:
            kind = type(v)
            if kind is tuple or kind is frozenset:
                found.extend(objects_in(cast("Iterable[object]", v)))
            elif kind is dict or kind is list or (kind in known and kind is not Span):
                found.append(v)
        return found

    stack: list[tuple[object, tuple[str, list[object]] | None]] = [
        (node, None) for node in reversed(objects_in([root]))]
    while stack:
        node, made = stack.pop()
        if id(node) in index:
            continue
        if made is None:
            made = parts(node)
            children = [v for v in objects_in(made[1]) if id(v) not in index]
            if children:  # written first; the node comes back to the top of the stack after them
                stack.append((node, made))
                stack.extend((child, None) for child in children)
                continue
        name, values = made
        if name not in codes:
            codes[name] = len(classes)
            classes.append(name)
        index[id(node)] = len(nodes)
        keep.append(node)
        nodes.append([codes[name], *[value(v) for v in values]])
    return {"format": FORMAT, "classes": classes, "nodes": nodes, "root": value(root)}


def _decode(data: object) -> object:
    """The value an entry holds, built only from its own classes (`_classes`), dicts, lists and
    plain values, with every field the compiler writes into code checked (`_checks`)."""
    from . import runtime
    from .diagnostics import Span

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _LayoutError("layout")
    names, nodes = data.get("classes"), data.get("nodes")
    if not isinstance(names, list) or not isinstance(nodes, list):
        raise _LayoutError("layout")
    classes, checks = _classes(), _checks()
    table: list[tuple[str, type | None, int, tuple[tuple[int, frozenset[str] | type], ...]]] = []
    for name in names:
        if name in _CONTAINERS:
            table.append((name, None, -1, ()))
        elif isinstance(name, str) and name in classes:
            cls, fields = classes[name]
            table.append((name, cls, len(fields), checks[name]))
        else:
            raise _LayoutError("class")
    built: list[object] = []

    def tagged(v: list[_Json], depth: int) -> object:
        tag = v[0] if v else None
        if tag == "s" and len(v) == 5:
            line, column, end_line, end_column = v[1:]
            if type(line) is int and type(column) is int and (end_line is None or type(end_line) is int) and (
                    end_column is None or type(end_column) is int):
                return Span(line, column, end_line, end_column)
        elif tag in ("l", "z") and len(v) == 2 and type(v[1]) is list and depth < 8:
            items = [built[-1 - x] if type(x) is int and x < 0 else tagged(x, depth + 1) if type(x) is list
                     else _scalar(x) for x in v[1]]
            return tuple(items) if tag == "l" else frozenset(items)
        elif tag == "M" and len(v) == 1:
            return runtime.MISSING
        elif len(v) == 2 and type(v[1]) is str and len(v[1]) < 100:
            if tag == "d":
                return Decimal(v[1])
            if tag == "t":
                return date.fromisoformat(v[1])
            if tag == "i" and v[1].lstrip("-").isdigit():
                return int(v[1])
        raise _LayoutError("value")

    for entry in nodes:
        if type(entry) is not list or not entry or type(entry[0]) is not int or not 0 <= entry[0] < len(table):
            raise _LayoutError("node")
        name, constructor, width, field_checks = table[entry[0]]
        values = entry[1:]
        for i, v in enumerate(values):
            kind = type(v)
            if kind is int:
                if v < 0:
                    values[i] = built[-1 - v]  # an earlier node: a number past the end raises IndexError
            elif kind is list:
                values[i] = tagged(v, 0)
            elif kind is not str and kind is not bool and v is not None and kind is not float:
                raise _LayoutError("value")
        if constructor is None:
            if name == "list":
                built.append(values)
                continue
            keys = values[::2]
            if len(values) % 2 or not all(type(k) is str for k in keys):
                raise _LayoutError("dict")
            built.append(dict(zip(keys, values[1::2], strict=True)))
            continue
        if len(values) != width or (field_checks and not all(_allowed(values[i], rule) for i, rule in field_checks)):
            raise _LayoutError(name)
        built.append(constructor(*values))
    root = data.get("root")
    if type(root) is int and root < 0:
        return built[-1 - root]
    return tagged(root, 0) if type(root) is list else _scalar(root)


def _scalar(value: object) -> object:
    if value is None or type(value) in (str, int, bool, float):
        return value
    raise _LayoutError("value")


def _allowed(value: object, rule: frozenset[str] | type) -> bool:
    """Whether a field the compiler writes into code holds what `_checks` allows: an int, a
    plain name (or nothing), or one of a closed set of words."""
    if rule is int:
        return type(value) is int
    if rule is str:
        return value is None or (type(value) is str and _NAME.fullmatch(value) is not None)
    return type(value) is str and isinstance(rule, frozenset) and value in rule
