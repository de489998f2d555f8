"""Every command line in docs/policy.md, and in the sections of docs/cli.md on the policy
commands, works as written.

They run in order in a temporary folder holding copies of `examples/` and `standards/`, as a
person would run them from the repository; `cp -r A B` lines copy a folder. A command works
when it is not a usage error, raises nothing and prints no diagnostic: exit 0 (1 for a check
whose plan fails), or 2 for a diff whose corpus holds the deliberately broken examples.
"""
from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from inclusion_standards.cli import main

ROOT = Path(__file__).resolve().parents[1]
POLICY_COMMANDS = ("versions", "diff", "docs")


def commands(path: Path, only: tuple[str, ...] = ()) -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)
    found = [shlex.split(line, comments=True) for block in blocks for line in block.splitlines()
             if line.startswith(("nis ", "cp "))]
    return [c for c in found if not only or (c[0] == "nis" and c[1] in only)]


def run_all(lines: list[list[str]], tmp_path: Path) -> None:
    for line in lines:
        shown = " ".join(line)
        if line[0] == "cp":
            assert line[1] == "-r", shown
            shutil.copytree(line[2], line[3], dirs_exist_ok=True)
            continue
        result = CliRunner().invoke(main, line[1:])
        assert result.exception is None or isinstance(result.exception, SystemExit), (shown, result.exception)
        assert "Usage:" not in result.output, (shown, result.output)
        assert "error[" not in result.stderr, (shown, result.stderr)
        corpus = "--corpus" in line and "examples" in line
        allowed = (0, 2) if corpus else (0, 1) if line[1] == "check" else (0,)
        assert result.exit_code in allowed, (shown, result.exit_code, result.output[-2000:])


def test_the_policy_guide_shows_each_command():
    names = [c[1] for c in commands(ROOT / "docs" / "policy.md") if c[0] == "nis"]
    assert names == ["versions", "versions", "check", "test", "diff", "diff", "diff", "diff", "diff", "diff",
                     "docs", "docs"]


def test_every_command_in_the_policy_guide_works(tmp_path, monkeypatch):
    for folder in ("examples", "standards"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    run_all(commands(ROOT / "docs" / "policy.md"), tmp_path)
    assert "<svg" in Path("out/impact.html").read_text(encoding="utf-8")
    records = [json.loads(line) for line in Path("out/changes.jsonl").read_text(encoding="utf-8").splitlines()]
    plans = [p for p in Path("examples").rglob("*") if p.suffix in (".yaml", ".yml", ".json")]
    assert len(records) == len(plans)
    assert Path("out/changes.csv").read_text(encoding="utf-8").startswith("record,input,document_id")
    for site in ("out/site", "out/site-2026.1"):
        assert Path(site, "index.html").is_file() and Path(site, "index.md").is_file()


def test_the_benchmark_line_in_the_policy_guide_runs_on_a_small_corpus(tmp_path):
    text = (ROOT / "docs" / "policy.md").read_text(encoding="utf-8")
    (line,) = [t for t in text.splitlines() if t.startswith(".venv/bin/python benchmarks/")]
    args = shlex.split(line)
    args[args.index("--n") + 1] = "300"  # the guide's 100,000 take a minute: the same command, smaller
    report = tmp_path / "impact.html"
    run = subprocess.run([sys.executable, *args[1:], "--report", str(report)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "300 plans, each judged twice" in run.stdout
    assert "targeted_plus_hours = 4 hours per week" in run.stdout
    assert "<svg" in report.read_text(encoding="utf-8")


def test_every_policy_command_in_the_cli_reference_works(tmp_path, monkeypatch):
    for folder in ("examples", "standards"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    lines = commands(ROOT / "docs" / "cli.md", POLICY_COMMANDS)
    assert [c[1] for c in lines] == ["versions", "diff", "docs"]
    run_all(lines, tmp_path)


def test_every_policy_command_has_help_with_an_example():
    for command in POLICY_COMMANDS:
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert f"nis {command}" in result.stdout.split("Example", 1)[1]
