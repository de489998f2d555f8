"""`nis new isp|ehcp`: a plan to start from, written out of the plan's JSON Schema.

Each field is preceded by a comment in plain English (its title, whether it is required, what
it records, the values it takes), so a SENCO or a caseworker fills it in without reading the
schema. Fields only the school or the authority can fill are left empty, so `nis check` on the
new file lists exactly those; optional fields are commented out with an example, to be
uncommented when they apply. Everything else (the kind of document, the date it was written,
the ids that link needs, outcomes and provision) is filled in, and valid.

The first line names the schema for editors with a YAML language server, which then complete
and check each field as it is typed. The skeleton is generated from the schema each time, so
it can never describe a field the schema does not have.
"""
from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from datetime import date
from typing import Any

from . import __version__
from .document_messages import expected_text
from .types import resolve_reference
from .wording import long_date

__all__ = ["KINDS", "skeleton"]

KINDS = ("isp", "ehcp")
WIDTH = 100
_TITLES = {"isp": "Individual Support Plan (ISP)", "ehcp": "Education, Health and Care Plan (EHCP)"}
_WHO = {"isp": "the school", "ehcp": "the local authority"}

# Values nis can give: what links the plan's parts, and the kind of document.
_FILLED: dict[str, dict[str, Any]] = {
    "isp": {"/document_type": "isp", "#need/id": "N1", "#outcome/id": "O1", "#outcome/need_id": "N1",
            "#provision/id": "P1", "#provision/need_id": "N1", "#provision/outcome_ids": ["O1"]},
    "ehcp": {"/document_type": "ehcp", "/status": "draft", "/sections/b/needs[]/id": "B1",
             "/sections/e/outcomes[]/id": "E1", "/sections/e/outcomes[]/need_ids": ["B1"],
             "#plan_provision/id": "F1", "#plan_provision/need_ids": ["B1"],
             "#plan_provision/outcome_ids": ["E1"]},
}
# Lists written with one entry to fill in (the others start empty).
_ONE_ENTRY = {
    "isp": {"/needs", "/outcomes", "/provision"},
    "ehcp": {"/sections/b/needs", "/sections/e/outcomes", "/sections/f/provision"},
}
# Optional fields written out to fill in rather than commented out: an EHCP's sections A to K,
# which regulation 12 requires even where the schema lets a draft leave one out.
_WRITTEN = {
    "isp": {"#child/id"},
    "ehcp": {f"/sections/{s}" for s in ("a", "b", "c", "d", "e", "f", "g", "h1", "h2", "i", "j", "k")}
    | {"/sections/a/views", "/sections/a/interests", "/sections/a/aspirations", "/sections/b/needs",
       "/sections/c/health_needs", "/sections/d/social_care_needs", "/sections/e/outcomes",
       "/sections/f/provision", "/sections/g/provision", "/sections/h1/provision", "/sections/h2/provision",
       "/sections/k/advice", "/sections/e/outcomes[]/target_date", "#plan_provision/provider_role",
       "#plan_provision/frequency", "#child/id"},
}
_DEEPEST = 16  # levels of fields written out
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._()/-]*")
_YAML_WORDS = {"null", "true", "false", "yes", "no", "on", "off", "~"}


def skeleton(kind: str, schema: Mapping[str, Any], *, today: date, schema_ref: str,
             schema_command: str | None = None) -> str:
    """The commented skeleton of a `kind` plan written on `today`; `schema_ref` is the schema's
    path or URL for the `# yaml-language-server: $schema=` line, and `schema_command` the
    command that prints the schema (`nis schema KIND`, by default)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of plan {kind!r}: choose one of {', '.join(KINDS)}")
    command = schema_command or f"nis schema {kind}"
    writer = _Writer(kind, schema, today, command)
    head = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# {_TITLES[kind]}, started with `nis new {kind}` (nis {__version__}) on {long_date(today)}.",
        *_wrap(f"Fill in every field left empty: only {_WHO[kind]} can. The comment above each field says what "
               "it records and whether it is required. A line `# name: value` is an optional field: delete "
               "the `# ` to use it. Dates are written YYYY-MM-DD. `nis check` on this file lists what is still "
               f"to fill in; `{command}` has every field.", 0),
        "",
    ]
    writer.fields(dict(schema), "", "", 0)
    return "\n".join(head + writer.lines) + "\n"


class _Writer:
    def __init__(self, kind: str, schema: Mapping[str, Any], today: date, schema_command: str):
        self.kind, self.schema, self.schema_command = kind, schema, schema_command
        self.filled = dict(_FILLED[kind])
        self.filled["/created"] = today.isoformat()
        self.lines: list[str] = []

    def resolve(self, node: object) -> tuple[dict[str, Any], str | None]:
        """The schema a property points to, and the name of the definition it came from (a
        part that is not a schema object, `true` say, is written as taking anything)."""
        found, name = dict(node) if isinstance(node, Mapping) else {}, None
        for _ in range(32):  # a reference that leads on to another, as far as the checker lets a chain go
            ref = found.get("$ref")
            if not isinstance(ref, str):
                break
            name = ref.rsplit("/", 1)[-1]
            target = resolve_reference(dict(self.schema), ref)
            found = {**(target if isinstance(target, dict) else {}), **{k: v for k, v in found.items() if k != "$ref"}}
        return found, name

    def fields(self, node: dict[str, Any], path: str, alias: str, indent: int, entry: bool = False) -> None:
        """The properties of an object, each under its comment. `alias` is the path by the
        definition the object comes from (`#need` for an ISP's `/needs[]`); `entry` puts the
        first field on a list entry's `- ` line."""
        required = set(node.get("required", ()))
        for name, prop in node.get("properties", {}).items():
            self.field(name, prop, (f"{path}/{name}", f"{alias}/{name}"), indent, name in required, entry)
            entry = False

    def field(self, name: str, prop: object, paths: tuple[str, str], indent: int, required: bool,
              entry: bool) -> None:
        sub, definition = self.resolve(prop)
        prop = prop if isinstance(prop, dict) else {}
        path = paths[0]
        filled = any(p in self.filled for p in paths)
        written = required or filled or any(p in _WRITTEN[self.kind] for p in paths)
        self.comment(name, sub, prop, indent, "required" if required else "optional" if filled or not written
                     else "optional: fill in or delete")
        pad = " " * (indent - 2) + "- " if entry else " " * indent
        value = next((self.filled[p] for p in paths if p in self.filled), None)
        if value is not None or "const" in sub:
            self.lines.append(f"{pad}{name}: {_scalar(value if value is not None else sub['const'])}")
            return
        kinds = _types(sub)
        if not written:
            self.lines.append(f"{pad}# {name}: {self.example(sub)}")
            return
        if kinds == ["object"] and path.count("/") < _DEEPEST:  # a schema that nests itself stops somewhere
            before = len(self.lines)
            self.lines.append(f"{pad}{name}:")
            self.fields(sub, path, f"#{definition}" if definition else path, indent + 2)
            if all(line.lstrip().startswith("#") for line in self.lines[before + 1:]):
                self.lines[before] += " {}"
            return
        if kinds == ["array"]:
            items, item_def = self.resolve(sub.get("items", {}))
            if _types(items) == ["object"]:
                if path in _ONE_ENTRY[self.kind]:
                    self.lines.append(f"{pad}{name}:")
                    self.fields(items, path + "[]", f"#{item_def}" if item_def else path + "[]", indent + 4,
                                entry=True)
                else:
                    self.lines.append(f"{pad}{name}: []")
                return
        self.lines.append(f"{pad}{name}:")

    def comment(self, name: str, sub: dict[str, Any], prop: dict[str, Any], indent: int, need: str) -> None:
        title = str(prop.get("title") or sub.get("title") or name)
        description = str(prop.get("description") or sub.get("description") or "")
        if description:
            description = _sentence(description)
        first, _, rest = description.partition(". ")
        if rest and first.lower() == title.lower():
            description = rest
        text = f"{title} ({need}): {description}" if description else f"{title} ({need})."
        allowed = self.allowed(sub)
        if allowed:
            text += f" {allowed}"
        self.lines.extend(_wrap(text, indent))

    def allowed(self, sub: dict[str, Any]) -> str:
        """The values a field takes, when they are a closed list or a fixed form; for a list of
        entries, the fields of each."""
        kinds = _types(sub)
        if "enum" in sub:
            return "One of: " + ", ".join(str(v) for v in sub["enum"]) + "."
        if kinds == ["array"]:
            items, _ = self.resolve(sub.get("items", {}))
            if "enum" in items:
                return "A list of: " + ", ".join(str(v) for v in items["enum"]) + "."
            if _types(items) == ["object"]:
                required = set(items.get("required", ()))
                return "Each entry has: " + ", ".join(
                    f"{name}{' (required)' if name in required else ''}" for name in items.get("properties", {})) + "."
            return ""
        if kinds == ["object"] or "const" in sub:
            return ""
        if sub.get("format") == "date":
            return "Written YYYY-MM-DD."
        phrase = expected_text(sub, dict(self.schema))
        return f"Written as {phrase}." if phrase and not phrase.startswith("text") else ""

    def example(self, sub: dict[str, Any]) -> str:
        examples = sub.get("examples")
        if examples:
            return _scalar(examples[0])
        kinds = _types(sub)
        if sub.get("format") == "date":
            return "2030-03-14"
        if "enum" in sub:
            return _scalar(sub["enum"][0])
        if kinds == ["boolean"]:
            return "true"
        if kinds == ["array"]:
            return "[]"
        if kinds == ["object"]:
            return "{}   # its fields: " + self.schema_command
        return "..."


def _types(node: Mapping[str, Any]) -> list[str]:
    kind = node.get("type")
    if isinstance(kind, list):
        return [str(k) for k in kind if k != "null"]
    return [str(kind)] if kind else []


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!", ")")) else text + "."


def _wrap(text: str, indent: int) -> list[str]:
    pad = " " * indent + "# "
    return textwrap.wrap(text, WIDTH, initial_indent=pad, subsequent_indent=pad, break_on_hyphens=False,
                         break_long_words=False)


def _scalar(value: Any) -> str:
    """A value as YAML: plain where it reads back as the same text, else quoted (JSON quoting
    is valid YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and not re.fullmatch(r"[0-9.]+", text):
        return text
    return json.dumps(text, ensure_ascii=False)
