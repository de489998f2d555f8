"""What nis keeps between runs, and why each kept thing can be trusted.

Parsing the standards is most of nis's start-up (about 0.4 s for the bundled standards),
so the parsed tree of each standards file is kept in the user's cache folder
(`$NIS_CACHE_DIR`, else `$XDG_CACHE_HOME/nis`, else `~/.cache/nis`; `NIS_NO_CACHE=1` turns
it off) and read back when the same text is loaded again.

Trust. A cache entry is data, never code: a tree is written as JSON in a layout of nis's own
(a table of nodes), and read back by constructing only the tree's own node classes, field by
field, checking each value's kind and that every name the compiler will write into Python
is a plain name. Nothing is unpickled or unmarshalled. An entry is used only if its header
names the key it was looked up by (the sha256 of the exact text, the grammar, the code that
builds trees, this module, and the nis and Python versions) and the sha256 of its content
matches; anything else is ignored and rebuilt. The folder itself is used only if it is a
folder the user running nis owns and no one else can write to: a folder that cannot be read,
belongs to another user or is writable by everyone is ignored, with one warning. Entries are
written to a temporary file and renamed, with permissions for the owner only.

Compiled code is not kept between runs at all. A code object can only be checked by
compiling the source again, which is the cost a cache would save, and a hash stored next
to an entry proves nothing to whoever can write the folder; marshal itself does not guard
against crafted data. Each process compiles the generated code it needs (`compiler`).
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import re
import stat
import sys
import warnings
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, TypedDict, Union

import orjson

from . import __version__

if TYPE_CHECKING:
    from .diagnostics import Span
    from .tree import Module

__all__ = ["CacheWarning", "cache_folder", "load_tree", "store_tree"]

FORMAT = "nis-tree-1"
MAX_ENTRY = 64 * 1024 * 1024  # a tree entry larger than this was not written by nis


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
    return content


def _write_entry(path: Path, key: str, content: bytes) -> None:
    """Write an entry so a reader never sees half of it; a read-only disk is no error."""
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


# ---- parsed trees ------------------------------------------------------------------------------

def load_tree(text: str, source: str) -> Module | None:
    """The parsed tree of a standards file with this exact text, if the cache has a verified
    one; None otherwise (the caller parses, then calls `store_tree`)."""
    from . import tree as t

    where = _tree_entry(text)
    if where is None:
        return None
    content = _read_entry(*where)
    if content is None:
        return None
    try:
        module = _decode(orjson.loads(content))
    except Exception:  # an entry that does not decode is ignored, and parsed again
        return None
    if not isinstance(module, t.Module):
        return None
    return dataclasses.replace(module, source=source)


def store_tree(text: str, module: Module) -> None:
    """Keep the parsed tree of a standards file for the next run."""
    where = _tree_entry(text)
    if where is None:
        return
    try:
        content = orjson.dumps(_encode(module))
    except (TypeError, ValueError, KeyError, _LayoutError):  # something the layout cannot hold: not kept
        return
    _write_entry(where[0], where[1], content)


def _tree_entry(text: str) -> tuple[Path, str] | None:
    folder = cache_folder("trees")
    if folder is None:
        return None
    key = hashlib.sha256(f"{_fingerprint()}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{key}.json", key


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


# The layout: {"format", "nodes": [[class name, [field values]], ...], "root": index}. A field
# value is null, true/false, a number that fits JSON exactly, a string, or a one-key object:
# {"n": node index} {"l": [values]} {"d": "decimal"} {"t": "date"} {"i": "big integer"}
# {"s": [span numbers]}. Nodes come before the nodes that use them, so decoding is one pass
# with no recursion however deep the tree (a sum of 1,000 terms is 1,000 levels deep).

_Json: TypeAlias = Union[bool, int, str, list["_Json"], dict[str, "_Json"], None]


class _Layout(TypedDict):
    format: str
    nodes: list[list[_Json]]
    root: int


class _LayoutError(Exception):
    """What an entry holds, or a tree would need, is not in the layout."""


@cache
def _classes() -> dict[str, tuple[type, tuple[str, ...]]]:
    from . import tree as t

    found = {name: c for name, c in vars(t).items()
             if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == t.__name__}
    return {name: (c, tuple(f.name for f in dataclasses.fields(c) if f.init)) for name, c in found.items()}


# Fields the compiler writes into Python source as names: they must be plain names, as the
# grammar makes them, whatever an entry holds.
_NAME_FIELDS = {("Name", "name"), ("Quantified", "var"), ("Aggregate", "var")}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SAFE_INT = 2 ** 53


def _encode(root: Module) -> _Layout:
    from .diagnostics import Span

    classes = _classes()
    nodes: list[list[_Json]] = []
    index: dict[int, int] = {}
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in index:
            continue
        name = type(node).__name__
        if name not in classes or classes[name][0] is not type(node):
            raise _LayoutError(name)
        values = [getattr(node, f) for f in classes[name][1]]
        children = [v for v in _nodes_in(values) if id(v) not in index]
        if children and not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in children)
            continue
        index[id(node)] = len(nodes)
        nodes.append([name, [_value(v, index, Span) for v in values]])
    return {"format": FORMAT, "nodes": nodes, "root": index[id(root)]}


def _nodes_in(values: Iterable[object]) -> list[object]:
    from .diagnostics import Span

    found: list[object] = []
    for v in values:
        if isinstance(v, tuple):
            found.extend(_nodes_in(v))
        elif dataclasses.is_dataclass(v) and not isinstance(v, Span):
            found.append(v)
    return found


def _value(v: object, index: dict[int, int], span_type: type[Span]) -> _Json:
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v if -_SAFE_INT < v < _SAFE_INT else {"i": str(v)}
    if isinstance(v, Decimal):
        return {"d": str(v)}
    if isinstance(v, date):
        return {"t": v.isoformat()}
    if isinstance(v, span_type):
        return {"s": [v.line, v.column, v.end_line, v.end_column]}
    if isinstance(v, tuple):
        return {"l": [_value(x, index, span_type) for x in v]}
    if dataclasses.is_dataclass(v):
        return {"n": index[id(v)]}
    raise _LayoutError(type(v).__name__)


def _decode(data: object) -> object:
    from .diagnostics import Span

    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("nodes"), list):
        raise _LayoutError("layout")
    classes = _classes()
    built: list[object] = []
    for entry in data["nodes"]:
        if not isinstance(entry, list) or len(entry) != 2 or entry[0] not in classes:
            raise _LayoutError("node")
        name, values = entry
        cls, fields = classes[name]
        if not isinstance(values, list) or len(values) != len(fields):
            raise _LayoutError(name)
        decoded = [_field(v, built, Span, 0) for v in values]
        for field_name, value in zip(fields, decoded, strict=True):
            if (name, field_name) in _NAME_FIELDS and value is not None and not (
                    isinstance(value, str) and _NAME.fullmatch(value)):
                raise _LayoutError(f"{name}.{field_name}")
        built.append(cls(**dict(zip(fields, decoded, strict=True))))
    root = data.get("root")
    if not isinstance(root, int) or not 0 <= root < len(built):
        raise _LayoutError("root")
    return built[root]


def _field(v: object, built: list[object], span_type: type[Span], depth: int) -> object:
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if not isinstance(v, dict) or len(v) != 1 or depth > 8:
        raise _LayoutError("value")
    (tag, inner), = v.items()
    if tag == "n" and isinstance(inner, int) and 0 <= inner < len(built):
        return built[inner]
    if tag == "l" and isinstance(inner, list):
        return tuple(_field(x, built, span_type, depth + 1) for x in inner)
    if tag == "d" and isinstance(inner, str) and len(inner) < 100:
        return Decimal(inner)
    if tag == "t" and isinstance(inner, str):
        return date.fromisoformat(inner)
    if tag == "i" and isinstance(inner, str) and inner.lstrip("-").isdigit() and len(inner) < 100:
        return int(inner)
    if tag == "s" and isinstance(inner, list) and len(inner) == 4 and all(
            x is None or (isinstance(x, int) and not isinstance(x, bool)) for x in inner):
        return span_type(*inner)
    raise _LayoutError(tag)
