"""A project's defaults for `nis`: a `[tool.nis]` table in pyproject.toml, or a nis.toml.

nis looks in the current folder and then each folder above it, and uses the first nis.toml,
or the first pyproject.toml that has a `[tool.nis]` table (in one folder, nis.toml comes
first). Keys at the top apply to every command that has that option; a table named after a
command applies to that command only and wins:

    [tool.nis]
    standards = "standards/"      # also the folder `nis lint` and `nis test` read
    as-of = "2030-06-01"
    color = "never"

    [tool.nis.batch]
    jobs = 4

Only `standards`, `as-of`, `color` and `format` may stand at the top (`format` applies to the
commands that accept its value); other keys go in a command's table. Keys are option names
without the dashes (`as-of`, `csv`, `fail-under-coverage`). Paths are
relative to the folder of the file that gives them. An option given on the command line
always wins. A key nis does not know is an error (exit 2), with the nearest key.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, NisError, closest

__all__ = ["Config", "ConfigError", "Option", "find_config", "load_config"]

FILES = ("nis.toml", "pyproject.toml")
MAX_BYTES = 1024 * 1024
# The keys that may stand at the top, for every command that has the option (and, for a choice,
# accepts the value): the rest belong in a command's own table.
TOP_KEYS = ("standards", "as-of", "color", "format")


class ConfigError(NisError):
    """The configuration file cannot be read, or names an option nis does not have."""


@dataclass(frozen=True)
class Option:
    """An option a command takes: its key in the file (`as-of`), the parameter it sets, and
    whether its value is a path (made relative to the file's folder)."""

    key: str
    parameter: str
    is_path: bool = False
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Config:
    path: Path
    top: dict[str, Any] = field(default_factory=dict)
    commands: dict[str, dict[str, Any]] = field(default_factory=dict)

    def defaults(self, options: Mapping[str, Iterable[Option]]) -> dict[str, dict[str, Any]]:
        """The defaults for each command (click's `default_map`): top-level keys for every
        command that has the option, then the command's own table. Raises ConfigError on a
        key no command has."""
        known = {command: {o.key: o for o in opts} for command, opts in options.items()}
        for key in self.top:
            if key not in TOP_KEYS:
                raise self._unknown(key, list(TOP_KEYS), "tool.nis" if self.path.name == "pyproject.toml" else None,
                                    table_hint=True)
        for command, table in self.commands.items():
            if command not in known:
                raise self._unknown(command, sorted(known), None, what="command")
            for key in table:
                if key not in known[command]:
                    raise self._unknown(key, sorted(known[command]), command)
        out: dict[str, dict[str, Any]] = {}
        for command, opts in known.items():
            chosen = {}
            own = self.commands.get(command, {})
            for key, option in opts.items():
                value = own.get(key)
                if value is None and key in self.top:
                    value = self.top[key]
                    if option.choices is not None and value not in option.choices:
                        continue  # `format = "html"` is for the commands that write html
                if value is not None:
                    chosen[option.parameter] = self._value(value, option)
            if chosen:
                out[command] = chosen
        return out

    def _value(self, value: Any, option: Option) -> Any:
        if option.is_path and isinstance(value, str):
            return str((self.path.parent / value).resolve())
        if isinstance(value, list):
            return [self._value(v, option) for v in value]
        return value

    def _unknown(self, key: str, choices: list[str], table: str | None, what: str = "option",
                 table_hint: bool = False) -> ConfigError:
        close = closest(key.replace("_", "-"), choices)
        where = f" in [{table}]" if table else ""
        hint = f"did you mean `{close}`?" if close else "remove it, or check the spelling"
        if table_hint and not close:
            hint += "; an option of one command goes in that command's table, e.g. [tool.nis.batch] jobs = 4"
        return ConfigError([Diagnostic(
            "error", "NIS-L007", f"unknown {what} `{key}`{where}", source=str(self.path),
            expected="one of " + ", ".join(f"`{c}`" for c in choices), hint=hint)])


def find_config(start: Path) -> Config | None:
    """The configuration that applies in `start`: the nearest nis.toml, or pyproject.toml with
    a `[tool.nis]` table, in `start` or a folder above it."""
    folder = start.resolve()
    for place in (folder, *folder.parents):
        for name in FILES:
            candidate = place / name
            if candidate.is_file():
                config = load_config(candidate)
                if config is not None:
                    return config
    return None


def load_config(path: Path) -> Config | None:
    """The configuration in one file; None for a pyproject.toml without `[tool.nis]`."""
    import tomllib  # here, not at the top: most folders a check runs in have no configuration

    try:
        raw = path.read_bytes()[:MAX_BYTES + 1]
        if len(raw) > MAX_BYTES:
            raise ConfigError([Diagnostic("error", "NIS-L007", "the configuration file is larger than 1 MiB",
                                          source=str(path))])
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError([Diagnostic("error", "NIS-L007", f"cannot read the configuration: {exc}",
                                      source=str(path), hint="it is TOML: https://toml.io")]) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "nis" not in tool:
            return None
        data = tool["nis"]
        if not isinstance(data, dict):
            raise ConfigError([Diagnostic("error", "NIS-L007", "`tool.nis` is not a table", source=str(path),
                                          hint="write it as a [tool.nis] section")])
    top = {key.replace("_", "-"): value for key, value in data.items() if not isinstance(value, dict)}
    commands = {key: {k.replace("_", "-"): v for k, v in value.items()}
                for key, value in data.items() if isinstance(value, dict)}
    return Config(path, top, commands)
