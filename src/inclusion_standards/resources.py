"""Where the grammar, the JSON Schemas and the bundled standards live.

They sit at the top of the repository (`grammar/`, `schemas/`, `standards/`), where a
policy team reviews them, and an installed wheel carries them as data subpackages of
`inclusion_standards` under `data/` (see pyproject.toml). A checkout uses the top-level
folders directly.
"""
from __future__ import annotations

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
