"""nis: the National Inclusion Standards rules engine and validator.

The public API is small and lives in `inclusion_standards.api`; the names below are
re-exported lazily so that `import inclusion_standards` stays cheap for the CLI.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "check", "explain", "judge", "load_document", "load_sen2", "load_standards", "render"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
