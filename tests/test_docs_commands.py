"""Every `nis` command line the documentation shows works as written: in README.md, every
page of docs/, standards/README.md, examples/README.md, and the examples of every command's
`--help`. So does every Python example in the docs, and every file they name.

Each command runs in a fresh folder that holds what a user following the docs has: copies of
`examples/` and `standards/`, and the files the generic examples name (`plan.yaml`, `plans/`,
`isp.yaml` and `ehcp.yaml`, a case folder per child, `isps.jsonl`, `sen2_2025.xml`). A command
works when click accepts it, nothing raises, nothing is reported as an error, and it exits 0 or
1 (a batch that includes the deliberately broken examples may exit 2: they get error records).

A line that runs until stopped (`nis serve`) is parsed but not run here (tests/test_web_docs.py
starts the server for each one in README.md, docs/web.md and docs/cli.md). A synopsis (`nis
check PATH...`, with a placeholder, `[`, `|` or `…`) is not a command line, nor is a command
named in running text with some of its options (`nis check --format json`); their options are
still checked against the command's.
"""
from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from inclusion_standards.cli import main

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md")),
         "standards/README.md", "examples/README.md"]
COMMANDS = sorted(main.commands)
PLACEHOLDER = re.compile(r"\b[A-Z][A-Z_]{1,}\b|\.\.\.|…|\[|\||<[a-z]+>")
NOT_RUN = ("serve",)
ORDERED = "docs/policy.md"
SHELL = ("sh", "shell", "console", "")


def fences(text: str) -> list[tuple[str, str]]:
    """The fenced blocks of a Markdown page, each with its language, opening and closing fences
    told apart (a regular expression would take a closing fence for an opening one)."""
    blocks, language, body = [], None, []
    for line in text.splitlines():
        if line.startswith("```"):
            if language is None:
                language, body = line[3:].strip(), []
            else:
                blocks.append((language, "\n".join(body) + "\n"))
                language = None
        elif language is not None:
            body.append(line)
    return blocks


def fenced_lines(page: str) -> list[str]:
    """The `nis` lines of the page's shell blocks, and the `run: nis ...` steps of its CI examples."""
    text = (ROOT / page).read_text(encoding="utf-8")
    lines = [line.split("  #")[0].strip() for language, block in fences(text) if language in SHELL
             for line in block.splitlines() if line.startswith("nis ")]
    steps = [step for language, block in fences(text) if language == "yaml"
             for step in re.findall(r"^\s*-? ?run: (nis .*)$", block, flags=re.M)]
    return lines + steps


def inline_commands(page: str) -> list[str]:
    text = (ROOT / page).read_text(encoding="utf-8")
    spans = re.findall(r"`(nis [^`]+)`", text)
    return [s for s in spans if s.split()[1] in COMMANDS or s.split()[1].startswith("-")]


def help_examples() -> list[tuple[str, str]]:
    found = []
    for name in [None, *COMMANDS]:
        command = main if name is None else main.commands[name]
        with click.Context(command, info_name="nis" if name is None else name) as ctx:
            text = command.get_help(ctx)
        examples = re.split(r"Examples?:", text, maxsplit=1)
        assert name in NOT_RUN or len(examples) == 2, f"nis {name} --help shows no example"
        for line in examples[1].splitlines() if len(examples) == 2 else []:
            line = line.strip()
            if line.startswith("nis "):
                found.append((f"nis {name or ''} --help".replace("  ", " "), line))
    return found


def everything() -> list[tuple[str, str]]:
    lines = [(page, line) for page in PAGES for line in fenced_lines(page)]
    lines += [(page, span) for page in PAGES for span in inline_commands(page)]
    return lines + help_examples()


def runnable(where: str, line: str) -> bool:
    """A command line, not a synopsis (placeholders) or, in running text, the name of a command
    with some of its options (`nis check --format json`): one click would refuse as incomplete."""
    if PLACEHOLDER.search(line):
        return False
    if where.endswith("--help") or line in fenced_lines(where):
        return True
    args = shlex.split(line)[1:]
    try:
        main.commands[args[0]].make_context(args[0], args[1:])
    except click.UsageError:
        return False
    return True


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A user's folder: the examples and standards, and the files the generic examples name."""
    examples = ROOT / "examples"
    shutil.copytree(examples, tmp_path / "examples")
    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    shutil.copytree(ROOT / "standards", tmp_path / "old-standards")  # the version a policy team changes
    shutil.copy(examples / "isp-targeted-vague-provision.yaml", tmp_path / "plan.yaml")
    shutil.copy(examples / "isp-specialist-clean.yaml", tmp_path / "isp.yaml")
    shutil.copy(examples / "ehcp-current-clean.yaml", tmp_path / "ehcp.yaml")
    shutil.copy(examples / "sen2_2025.xml", tmp_path / "sen2_2025.xml")
    (tmp_path / "plans").mkdir()
    for name in ("isp-targeted-clean.yaml", "isp-targeted-overdue-review.yaml", "ehcp-current-vague-f.yaml"):
        shutil.copy(examples / name, tmp_path / "plans" / name)
    for case, (isp, ehcp) in {"C-3D8F1": ("isp-specialist-clean.yaml", "ehcp-current-clean.yaml"),
                              "C-D4E85": ("isp-specialist-pmld.yaml", "ehcp-reformed-pmld.yaml")}.items():
        (tmp_path / "cases" / case).mkdir(parents=True)
        for name in (isp, ehcp):
            shutil.copy(examples / name, tmp_path / "cases" / case / name)
    from inclusion_standards.api import load_document

    lines = [json.dumps(load_document(examples / name).data, default=float)  # exact decimals as JSON numbers
             for name in ("isp-targeted-clean.yaml", "isp-targeted-plus-clean.yaml")]
    (tmp_path / "isps.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(tmp_path / "isps.jsonl", tmp_path / "more.jsonl")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_docs_and_help_show_commands_for_every_user():
    shown = {line.split()[1] for _, line in everything()}
    assert set(COMMANDS) <= shown, set(COMMANDS) - shown


@pytest.mark.parametrize("where, line", everything(), ids=lambda x: x if isinstance(x, str) and x.startswith(
    "nis ") else None)
def test_every_command_line_works_as_written(where, line, folder):
    args = shlex.split(line, comments=True)[1:]
    if ">" in args:  # the shell's redirection: nis prints, the shell writes the file
        args = args[:args.index(">")]
    if args[0].startswith("-"):  # an option of nis itself, such as --version
        if PLACEHOLDER.search(line):
            return
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and result.stdout, (where, line)
        return
    command = main.commands[args[0]]
    if not runnable(where, line):
        options = {o for p in command.params for o in [*p.opts, *p.secondary_opts]}
        for word in args[1:]:
            flag = word.strip("[]").split("=")[0]
            if flag.startswith("--") and re.fullmatch(r"--[a-z][a-z-]*", flag):
                assert flag in options, f"{where}: `{line}` names {flag}, which nis {args[0]} does not have"
        return
    if where == ORDERED and line in fenced_lines(where):
        return  # the policy guide's lines build on each other: test_policy_docs.py runs them in order
    if args[0] in NOT_RUN:
        command.make_context(args[0], args[1:])  # the options parse; the server itself is started elsewhere
        return
    result = CliRunner().invoke(main, ["--no-config", *args])
    shown = f"{where}: {line}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (shown, result.exception)
    assert "Usage:" not in result.output and "Traceback" not in result.output, (shown, result.output)
    broken_inputs = args[0] in ("batch", "diff") and any(a.rstrip("/") == "examples" for a in args)
    assert result.exit_code in ((0, 1, 2) if broken_inputs else (0, 1)), (shown, result.stderr)
    assert "error[" not in result.stderr, (shown, result.stderr)


@pytest.mark.parametrize("page, number, code", [
    (page, n, code) for page in PAGES
    for n, code in enumerate(block for language, block in fences((ROOT / page).read_text("utf-8"))
                             if language == "python")])
def test_every_python_example_runs(page, number, code, folder):
    exec(compile(code, f"{page} (example {number + 1})", "exec"), {"__name__": "docs_example"})  # noqa: S102


REPOSITORY_PATH = re.compile(r"`((?:examples|schemas|standards|tests|benchmarks|docs|src|grammar)/[^`*\s]*)`")


@pytest.mark.parametrize("page", PAGES)
def test_every_file_the_docs_name_exists(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    base = (ROOT / page).parent
    named = REPOSITORY_PATH.findall(text) + re.findall(r"\]\(((?!https?:|#)[^)#\s]+)", text)
    for path in named:
        candidates = [ROOT / path, base / path]
        assert any(c.exists() for c in candidates), f"{page} names {path}, which does not exist"


@pytest.mark.parametrize("page", ["examples/README.md", "standards/README.md"])
def test_the_readmes_of_examples_and_standards_use_only_paths_a_user_has(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    assert "/work/" not in text and not re.search(r"(?<![\w.])/(home|tmp|Users)/", text)



def test_the_language_reference_examples_are_a_standards_set_whose_test_passes(tmp_path):
    """Every declaration shown in docs/language.md, put together (less the `import`, whose file
    is not shown, and fragments of a declaration), checks without an error, and its test passes."""
    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    blocks = [b for language, b in fences(text) if language == "" and not b.startswith((" ", "import"))]
    folder = tmp_path / "standards" / "language"
    folder.mkdir(parents=True)
    (folder / "entry.nis").write_text("\n".join(blocks), encoding="utf-8")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    lint = CliRunner().invoke(main, ["--no-config", "lint", str(folder)])
    assert lint.exit_code == 0 and lint.stdout.splitlines()[-1].startswith("0 errors"), lint.stdout
    tests = CliRunner().invoke(main, ["--no-config", "test", str(folder)])
    assert tests.exit_code == 0 and tests.stdout.splitlines()[-1] == "1 passed, 0 failed", tests.stdout


RULE_ID = re.compile(r"\b(?:ISP|EHCP|CASE|SENS|TRANS|TP|REG)[0-9]*(?:-[A-Z0-9()]+)+\b")


def test_every_rule_id_the_docs_name_is_in_the_bundled_standards_or_declared_on_the_page():
    from inclusion_standards.api import load_standards
    from inclusion_standards.rulebook import names

    library = load_standards()
    known = set(names(library)) | {e for s in library.versions for e in s.checked.exceptions}
    for page in ["README.md", *(p for p in PAGES if p.startswith("docs/"))]:
        text = (ROOT / page).read_text(encoding="utf-8")
        declared = set(re.findall(r"^(?:rule|exception) (\S+)", text, flags=re.M))
        for match in RULE_ID.finditer(text):
            found = match.group()
            if all(part.isdigit() for part in found.split("-")[1:]):
                continue  # a plan's id, such as ISP-990214-0042
            if text[match.end():match.end() + 1] in ("-", "*"):  # a prefix, as --select EHCP-T- takes
                assert any(k.startswith(found + "-") for k in known), f"{page}: no rule id starts {found}-"
                continue
            assert found in known | declared, f"{page} names {found}, which no standards declare"
