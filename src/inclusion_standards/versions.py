"""The versions of the standards in a folder: which is in force on a date, and judging by a
named version whatever the date.

A policy team keeps several versions side by side (`version`, `effective from/until`,
`supersedes` in each header). `nis versions` lists them with what identifies each one (its
sha256) and what it holds; `--standards-version` pins a check, an explanation or a batch to
one of them, for example to see how a plan fares under a version not yet in force.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from .diagnostics import Diagnostic, StandardsError, closest
from .standards import Standards, StandardsLibrary
from .wording import long_date, plural

__all__ = ["PinnedLibrary", "VersionSummary", "find_version", "governing", "pin", "render_versions",
           "resolve_version", "summarise_versions", "version_name"]


def version_name(standards: Standards) -> str:
    """How a version is named on the command line: `ID@VERSION`."""
    return f"{standards.id}@{standards.version}"


@dataclass(frozen=True)
class VersionSummary:
    """One version as `nis versions` lists it."""

    id: str
    version: str
    title: str | None
    effective_from: date
    effective_until: date | None
    supersedes: str | None
    sha256: str
    entry: str
    plans: tuple[str, ...]
    rules: int
    determinations: int
    exceptions: int
    parameters: int
    tests: int
    in_force: bool               # its effective dates cover the as-of date
    governs: tuple[str, ...]     # the kinds of plan it judges on the as-of date (the latest in force wins)

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "version": self.version, "name": f"{self.id}@{self.version}", "title": self.title,
                "effective_from": self.effective_from.isoformat(),
                "effective_until": self.effective_until.isoformat() if self.effective_until else None,
                "supersedes": self.supersedes, "sha256": self.sha256, "entry": self.entry, "plans": list(self.plans),
                "rules": self.rules, "determinations": self.determinations, "exceptions": self.exceptions,
                "parameters": self.parameters, "tests": self.tests, "in_force": self.in_force,
                "governs": list(self.governs)}


def governing(library: StandardsLibrary, as_of: date) -> dict[str, Standards]:
    """For each kind of plan some version judges, the version that judges it on `as_of`."""
    kinds = sorted({kind for s in library.versions for kind in s.compiled.plans})
    chosen: dict[str, Standards] = {}
    for kind in kinds:
        try:
            chosen[kind] = StandardsLibrary.select(library, as_of, kind)
        except StandardsError:
            continue
    return chosen


def summarise_versions(library: StandardsLibrary, as_of: date) -> list[VersionSummary]:
    """Every version in the library, oldest first within each id, with what it governs on `as_of`."""
    chosen = governing(library, as_of)
    out = []
    for s in library.versions:
        header = s.checked.header
        supersedes = None
        if header.supersedes is not None:
            supersedes = header.supersedes + (f"@{header.supersedes_version}" if header.supersedes_version else "")
        out.append(VersionSummary(
            s.id, s.version, s.title, s.effective_from, s.effective_until, supersedes, s.sha256, s.entry,
            tuple(sorted(s.compiled.plans)), len(s.checked.rules), len(s.checked.determinations),
            len(s.checked.exceptions), len(s.checked.parameters), len(s.checked.tests), s.in_force(as_of),
            tuple(kind for kind, governs in chosen.items() if governs is s)))
    return out


def find_version(library: StandardsLibrary, name: str) -> Standards:
    """The version named `name`: `ID@VERSION`, or `VERSION` where only one id has it."""
    wanted_id, _, wanted_version = name.rpartition("@")
    matches = [s for s in library.versions
               if s.version == wanted_version and (not wanted_id or s.id == wanted_id)]
    if len(matches) == 1:
        return matches[0]
    names = [version_name(s) for s in library.versions]
    if matches:
        raise StandardsError([Diagnostic(
            "error", "NIS-L006", f"several standards in {library.root} are version {name}", source=library.root,
            hint="name one with its id: " + ", ".join(version_name(s) for s in matches))])
    close = closest(name, names + [s.version for s in library.versions])
    raise StandardsError([Diagnostic(
        "error", "NIS-L006", f"no standards in {library.root} are version {name}", source=library.root,
        hint=(f"did you mean {close}? " if close else "") + "versions there: " + (", ".join(names) or "none")
        + " (`nis versions` lists them)")])


@dataclass(frozen=True)
class PinnedLibrary(StandardsLibrary):
    """A library that judges every plan by one version, whatever the as-of date."""

    pinned: Standards | None = None

    def select(self, as_of: date, document_type: str) -> Standards:
        chosen = self.pinned
        assert chosen is not None  # built only by `pin`
        if not chosen.judges(document_type):
            raise StandardsError([Diagnostic(
                "error", "NIS-L007", f"{version_name(chosen)} does not judge {document_type} documents",
                source=chosen.entry,
                hint="it judges " + (", ".join(sorted(chosen.compiled.plans)) or "no plans")
                     + " documents; choose another --standards-version, or leave it out to use the version in force")])
        return chosen


def pin(library: StandardsLibrary, standards: Standards) -> PinnedLibrary:
    """`library` with every plan judged by `standards` (one of its versions)."""
    return PinnedLibrary(library.root, library.versions, library.warnings, standards)


# ---- rendering ------------------------------------------------------------------------------

def render_versions(library: StandardsLibrary, as_of: date, fmt: str) -> str:
    """`nis versions` as text (for a person) or JSON (for a program)."""
    summaries = summarise_versions(library, as_of)
    if fmt == "json":
        data = {"standards": library.root, "as_of": as_of.isoformat(), "versions": [s.to_json() for s in summaries]}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    lines = [f"Standards in {library.root}, as of {long_date(as_of)}:"]
    for s in summaries:
        until = f" until {long_date(s.effective_until)}" if s.effective_until else ""
        if s.governs:
            status = "IN FORCE: judges " + ", ".join(s.governs) + " plans"
        elif s.in_force:
            status = "in force, but a later version judges its plans"
        elif s.effective_from > as_of:
            status = "not yet in force"
        else:
            status = "no longer in force"
        lines += ["", f"{s.id}@{s.version}  {status}"]
        if s.title:
            lines.append(f"  {s.title}")
        lines += [f"  effective from {long_date(s.effective_from)}{until}"
                  + (f"; supersedes {s.supersedes}" if s.supersedes else ""),
                  f"  {plural(s.rules, 'rule')}, {plural(s.determinations, 'determination')}, "
                  f"{plural(s.exceptions, 'exception')}, {plural(s.parameters, 'parameter')}, "
                  f"{plural(s.tests, 'test')}; judges {', '.join(s.plans) or 'no'} plans",
                  f"  sha256 {s.sha256}", f"  entry {s.entry}"]
    return "\n".join(lines) + "\n"


def resolve_version(spec: str, library: StandardsLibrary, as_of: date) -> Standards:
    """A version named on the command line: a folder (or .nis file) of standards, taking the
    version in force on `as_of` when it holds several; else a version in `library`."""
    from pathlib import Path

    from .standards import load_standards

    path = Path(spec)
    if not path.exists():
        return find_version(library, spec)
    folder = load_standards(path)
    if len(folder.versions) == 1:
        return folder.versions[0]
    in_force = [s for s in folder.versions if s.in_force(as_of)]
    if not in_force:
        raise StandardsError([Diagnostic(
            "error", "NIS-L006", f"no standards in {spec} are in force on {as_of.isoformat()}", source=spec,
            hint="versions there: " + ", ".join(version_name(s) for s in folder.versions)
                 + "; choose another --as-of, or name one with --standards and its version")])
    return max(in_force, key=lambda s: (s.effective_from, s.version, s.id))
