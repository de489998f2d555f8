"""Every `nis` command in the README works as written.

The commands run in order, in a temporary folder holding copies of `examples/` and
`standards/`, so `nis fmt standards/` rewrites a copy and the files the commands write land
in the temporary folder. A command "works" when it is not a usage error, raises nothing, and
reports no unreadable input: exit 0 or 1, or 2 for the batch, whose error records are for the
deliberately broken examples.
"""
from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from inclusion_standards.cli import main

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [shlex.split(line, comments=True) for block in blocks for line in block.splitlines()
            if line.startswith("nis ")]


def test_the_readme_shows_each_users_commands():
    names = [command[1] for command in readme_commands()]
    assert names == ["check", "batch", "batch", "explain", "explain", "serve", "fmt", "lint", "test", "versions",
                     "diff", "docs"]


def test_every_nis_command_in_the_readme_works(tmp_path, monkeypatch):
    for folder in ("examples", "standards"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    for command in readme_commands():
        if command[1] == "serve":  # runs until stopped: tests/test_web_docs.py starts it and calls it
            continue
        result = CliRunner().invoke(main, command[1:])
        shown = " ".join(command)
        assert result.exception is None or isinstance(result.exception, SystemExit), (shown, result.exception)
        assert "Usage:" not in result.output, (shown, result.output)
        assert "error[" not in result.stderr, (shown, result.stderr)
        # batch and diff --corpus give the deliberately broken examples error records: exit 2
        assert result.exit_code in ((0, 1, 2) if command[1] in ("batch", "diff") else (0, 1)), (shown, result.output)
    records = [json.loads(line) for line in Path("out/results.jsonl").read_text(encoding="utf-8").splitlines()]
    examples = [p for p in Path("examples").rglob("*") if p.suffix in (".yaml", ".yml", ".json")]
    assert len(records) == len(examples)
    assert Path("out/results.csv").is_file() and "<html" in Path("decision.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("target", ["demo", "test"])
def test_the_makefile_has_the_readme_targets(target):
    assert re.search(rf"^{target}: ", (ROOT / "Makefile").read_text(encoding="utf-8"), flags=re.M)
