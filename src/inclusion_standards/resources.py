"""Where the grammar, the JSON Schemas and the bundled standards live.

They sit at the top of the repository (`grammar/`, `schemas/`, `standards/`), where a
policy team reviews them, and an installed wheel carries them as data subpackages of
`inclusion_standards` under `data/` (see pyproject.toml). A checkout uses the top-level
folders directly.
"""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]


@cache
def _folder(name: str) -> Path:
    local = _CHECKOUT / name
    if (_CHECKOUT / "pyproject.toml").is_file() and local.is_dir():
        return local
    return Path(__file__).resolve().parent / "data" / name


def grammar_dir() -> Path:
    return _folder("grammar")


def schemas_dir() -> Path:
    return _folder("schemas")


def standards_dir() -> Path:
    """The standards shipped with nis (the CLI's default for `--standards`)."""
    return _folder("standards")


def examples_dir() -> Path:
    """The invented example plans shipped with nis (the web API's OpenAPI examples use them)."""
    return _folder("examples")


def cache_dir(kind: str) -> Path | None:
    """A folder for things nis can rebuild but would rather not at every start (parsed trees,
    compiled code), keyed by engine version by the caller. NIS_NO_CACHE=1 turns caching off;
    NIS_CACHE_DIR moves it (default: the user's cache folder)."""
    if os.environ.get("NIS_NO_CACHE"):
        return None
    root = os.environ.get("NIS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "nis")
    return Path(root) / kind


def write_atomically(path: Path, data: bytes) -> None:
    """Write a cache file so a reader never sees half of it; a read-only disk is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        pass
