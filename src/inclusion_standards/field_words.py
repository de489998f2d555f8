"""A plan's fields in words, for the reports people read.

The standards and the result name fields as the plan's file does: JSON pointers in the
result (`/process/cessation/ground`), dotted paths in the standards' own wording
(`process.cessation.ground`). A SENCO or a clerk reads the titles the document's schema
gives each part instead: "Ceasing the plan › Ground", a list's entry counted from 1
("Annual reviews (entry 2) › Invited"). The top level's title is left out of a longer path
("Process and dates", "Sections A to K" only group what is below them), except in a case,
where it says which plan. The JSON result keeps the raw pointers; the reports show them
only in their folded detail.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache

from .document_messages import Schema, field_schema
from .documents import DOCUMENT_TYPES, document_schema

__all__ = ["field_title", "fields_in_words"]

SEPARATOR = " › "
_DEPTH = 12

# A JSON pointer into a plan: /name/0/name ... (not inside a word, a URL or a longer path).
_POINTER = re.compile(r"(?<![\w/:.\"])/[a-z][a-z0-9_]*(?:/(?:[a-z][a-z0-9_]*|\d+))*(?![\w/\"])")
# A dotted path (`process.cessation.ground`, `request.made`) or a snake_case field name; not
# a quoted value ("local_authority") or a part of a longer name (`r.requested_by`).
_PATH = re.compile(r"(?<![\w/.:\"])[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:_[a-z0-9]+)*)*"
                   r"(?![\w/\"]|\.\w)")


def field_title(document_type: str, pointer: str) -> str | None:
    """The titles of the parts of `pointer` (a JSON pointer into a plan of `document_type`),
    joined by " › ", or None when the schema does not know a part or leaves it untitled."""
    if document_type not in DOCUMENT_TYPES:
        return None
    return _titled(document_type, tuple(pointer.split("/")[1:]))


def fields_in_words(text: str, document_type: str, *, names: bool = False) -> str:
    """`text` with each JSON pointer it holds that the schema of `document_type` knows replaced
    by the field's titles; with `names` (prose the standards write, such as a rule's hint),
    each dotted path and snake_case field name too. Messages quote the standards'
    expressions (`Case 1 holds: last_review < as_of`), so their names are left alone. A name
    the schema does not know, or knows under different titles in different places, is left
    as it is."""
    if document_type not in DOCUMENT_TYPES or not text:
        return text
    text = _POINTER.sub(lambda m: field_title(document_type, m.group()) or m.group(), text)
    if not names:
        return text
    known = _names(document_type)
    return _PATH.sub(lambda m: _in_sentence(known[m.group()], m.group()) if m.group() in known else m.group(),
                     text)


def _in_sentence(title: str, name: str) -> str:
    """A field's title where the text named one field (`target_date`): lower case, as a word in
    a sentence ("by when (target date)"), unless it opens with an abbreviation (EHCP)."""
    if "." in name or SEPARATOR in title or title[1:2].isupper():
        return title
    return title[:1].lower() + title[1:]


@cache
def _schema(document_type: str) -> Schema:
    return document_schema(document_type)


@lru_cache(maxsize=4096)  # keyed by pointers with item indices: bounded for a long-running server
def _titled(document_type: str, parts: tuple[str, ...]) -> str | None:
    root = _schema(document_type)
    words: list[str] = []
    path: list[str | int] = []
    for part in parts:
        if part.isdigit():
            if not words:
                return None
            path.append(int(part))
            words[-1] += f" (entry {int(part) + 1})"
            continue
        path.append(part)
        title = field_schema(root, tuple(path)).get("title") if part in _properties(root, path[:-1]) else None
        if not isinstance(title, str):
            return None
        words.append(title)
    if len(words) >= 3 and document_type != "case":
        words = words[1:]
    return SEPARATOR.join(words) if words else None


def _properties(root: Schema, path: list[str | int]) -> dict[str, object]:
    found = field_schema(root, tuple(path)).get("properties", {})
    return found if isinstance(found, dict) else {}


@cache
def _names(document_type: str) -> dict[str, str]:
    """Every ending of every field's dotted path that has a `.` or a `_` in it
    (`process.cessation.ground`, `request.made`, `need_ids`; a plain word such as `child` is
    left to mean what it says), with its titles; an ending whose fields have different
    titles in different places is left out."""
    root = _schema(document_type)
    found: dict[str, set[str]] = {}

    def walk(path: list[str | int], names: list[str], titles: list[str]) -> None:
        if len(names) > _DEPTH:
            return
        node = field_schema(root, tuple(path))
        if "items" in node:
            walk([*path, 0], names, titles)
            return
        for name, sub in _properties(root, path).items():
            title = field_schema(root, (*path, name)).get("title")
            if not isinstance(title, str) or not isinstance(sub, dict):
                continue
            here, words = [*names, name], [*titles, title]
            for start in range(len(here)):
                key = ".".join(here[start:])
                if "_" in key or "." in key:
                    named = words[start:]
                    if len(named) >= 3 and start == 0 and document_type != "case":
                        named = named[1:]
                    found.setdefault(key, set()).add(SEPARATOR.join(named))
            walk([*path, name], here, words)

    walk([], [], [])
    return {key: next(iter(titles)) for key, titles in found.items() if len(titles) == 1}
