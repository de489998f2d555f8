"""Standards files and the cache cannot make nis read what it should not, run code, or trust
what it has not verified: imports and test documents stay inside the standards folder, a
standards file is never executed, parsing stays linear on hostile files, and a cache entry
is used only when it is nis's own, unaltered, for exactly this text.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from inclusion_standards import api, cache, syntax
from inclusion_standards.cli import main
from inclusion_standards.report import render
from processes import NIS, ROOT, environment, permissions_apply, remove, workspace
from processes import run as run_nis

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
STANDARDS = FIXTURES / "standards"
PASS = STANDARDS / "documents" / "isp-pass.yaml"
AS_OF = ["--as-of", "2030-06-01"]
SECRET = "SECRET-7f3a9c-MUST-NOT-BE-SHOWN"
HEADER = """\
standards "s"
  version "1"
  effective from 2029-09-01
plan isp "ISP" schema "isp.schema.json"
"""


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file outside the standards folder whose content must never be read or shown."""
    path = tmp_path / "secret.yaml"
    path.write_text(f"token: {SECRET}\nid: [{SECRET}\n", encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    made = tmp_path / "standards"
    made.mkdir()
    return made


# ---- nothing outside the standards folder is read --------------------------------------------

@pytest.mark.parametrize("target", ["/proc/self/environ", "../secret.yaml", "../secret.nis"])
def test_an_import_outside_the_standards_folder_is_refused_unread(folder, secret, monkeypatch, target):
    (secret.parent / "secret.nis").write_text(secret.read_text(), encoding="utf-8")
    monkeypatch.setenv("NIS_TEST_SECRET", SECRET)
    write(folder, "s.nis", HEADER + f'import "{target}"\n')
    result = run("lint", folder)
    assert result.exit_code == 1 and "NIS-C009" in result.stdout and "outside the standards folder" in result.stdout
    assert SECRET not in result.output


def test_a_standards_file_that_links_outside_the_folder_is_refused_unread(folder, secret):
    write(folder, "s.nis", HEADER)
    (folder / "leak.nis").symlink_to(secret)
    result = run("lint", folder)
    assert result.exit_code == 1 and "NIS-S001" in result.stdout and "outside the standards folder" in result.stdout
    assert SECRET not in result.output


@pytest.mark.parametrize("document", ["../secret.yaml", "/etc/passwd", "sub/../../secret.yaml"])
def test_a_test_document_outside_the_standards_folder_is_refused_unread(folder, secret, document):
    write(folder, "s.nis", HEADER + f"""
        rule R-1 "A layer"
          must layer = "targeted"
          cite "Test"

        test "reads a file it should not"
          document "{document}"
          as of 2030-06-01
          expect pass R-1
        """)
    result = run("test", folder)
    assert result.exit_code == 1 and "NIS-T001" in result.stdout and "outside the standards folder" in result.stdout
    assert SECRET not in result.output and "root:" not in result.output


def test_a_test_document_inside_the_standards_folder_is_read(folder):
    (folder / "plans").mkdir()
    (folder / "plans" / "plan.yaml").write_bytes(PASS.read_bytes())
    write(folder, "s.nis", HEADER + """
        rule R-1 "A layer"
          must layer = "targeted"
          cite "Test"

        test "reads its own plan"
          document "plans/plan.yaml"
          as of 2030-06-01
          expect pass R-1
        """)
    assert run("test", folder).exit_code == 0


def test_the_bundled_standards_read_the_example_plans_shipped_with_nis():
    result = run("test")
    assert result.exit_code == 0 and "outside the standards folder" not in result.output


def test_pipes_in_the_standards_folder_are_refused_without_blocking():
    made = workspace()
    try:
        standards = made / "standards"
        standards.mkdir()
        write(standards, "s.nis", HEADER + """
            rule R-1 "A layer"
              must layer = "targeted"
              cite "Test"

            test "a pipe for a plan"
              document "plan.yaml"
              as of 2030-06-01
              expect pass R-1
            """)
        os.mkfifo(standards / "pipe.nis")
        os.mkfifo(standards / "plan.yaml")
        lint = run_nis(["lint", standards], home=made, timeout=60)
        assert lint.returncode == 1 and "NIS-S001" in lint.stdout and "named pipe" in lint.stdout
        os.unlink(standards / "pipe.nis")
        tested = run_nis(["test", standards], home=made, timeout=60)
        assert tested.returncode == 1 and "NIS-D006" in tested.stdout
    finally:
        remove(made)


# ---- a standards file is never executed --------------------------------------------------------

def test_python_in_a_standards_file_stays_text(folder, tmp_path):
    marker = tmp_path / "PWNED"
    payload = f"__import__('os').system('touch {marker}')"
    write(folder, "s.nis", HEADER + f"""
        rule R-1 "{payload}"
          must child_views = "{payload}"
          explain "{{child_views}} {payload}"
          hint "{payload}"
          cite "{payload}"
        """)
    result = run("check", PASS, "--standards", folder, *AS_OF, "--format", "json")
    assert result.exit_code == 1, result.output
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["title"] == payload and finding["hint"] == payload
    write(folder, "s.nis", HEADER + f'rule R-2 "x"\n  must {payload} = 1\n  cite "x"\n')
    assert run("lint", folder).exit_code == 1
    write(folder, "s.nis", HEADER + f'rule R-3 "x"\n  must layer = "a"\n  explain "{{{payload}}}"\n  cite "x"\n')
    assert run("lint", folder).exit_code == 1
    assert not marker.exists()


def test_yaml_tags_that_would_run_code_are_refused(tmp_path):
    marker = tmp_path / "PWNED"
    plan = tmp_path / "plan.yaml"
    plan.write_text(PASS.read_text() + f'extra: !!python/object/apply:os.system ["touch {marker}"]\n',
                    encoding="utf-8")
    result = run("check", plan, "--standards", STANDARDS, *AS_OF)
    assert result.exit_code == 2 and "NIS-D017" in result.stderr and not marker.exists()


PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&amp;"


def _hostile(value, key=""):
    """Every free text in a result replaced by markup, the kinds and dates left as they are."""
    fixed = {"status", "severity", "outcome", "type", "kind", "as_of", "in_force_from", "effective_from",
             "effective_until", "sha256", "result_format", "case", "version"}
    if isinstance(value, dict):
        return {k: (v if k in fixed else _hostile(v, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_hostile(v, key) for v in value]
    if isinstance(value, str):
        return value + PAYLOAD
    return value


@pytest.mark.parametrize("trace", [False, True])
def test_html_reports_escape_every_text_from_a_result(trace):
    library = api.load_standards(STANDARDS)
    from datetime import date

    result = api.explain(PASS, as_of=date(2030, 6, 1), standards=library) if trace else \
        api.check(PASS, as_of=date(2030, 6, 1), standards=library)
    page = render(_hostile(result), "html")
    assert "<script>alert" not in page and "<img" not in page and "onerror=alert(2)>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    many = render([_hostile(result), _hostile(result)], "html")
    assert "<script>alert" not in many and "<img" not in many


# ---- hostile standards files stay linear -------------------------------------------------------

def test_a_5000_digit_number_is_a_clear_syntax_error(folder):
    write(folder, "s.nis", HEADER + f'rule R-1 "x"\n  must child.year_group < {"9" * 5000}\n  cite "x"\n')
    result = run("lint", folder)
    assert result.exit_code == 1 and "NIS-S104" in result.stdout and "5,000 digits" in result.stdout
    assert "Traceback" not in result.output and "9" * 200 not in result.output
    check = run("check", PASS, "--standards", folder, *AS_OF)
    assert check.exit_code == 2 and "NIS-S104" in check.stderr


@pytest.mark.parametrize("digits, refused", [(28, False), (29, True)])
def test_numbers_in_standards_have_at_most_28_digits(digits, refused):
    text = HEADER + f'rule R-1 "x"\n  must child.year_group < {"1" * (digits - 2)}.11\n  cite "x"\n'
    _, diagnostics = syntax.parse_with_diagnostics(text, "s.nis")
    assert [d.code for d in diagnostics] == (["NIS-S104"] if refused else [])


def test_thousands_of_broken_rules_are_each_reported_in_linear_time(folder):
    broken = "".join(f'rule R-{i} "rule {i}"\n  must (layer = \n\n' for i in range(5000))
    write(folder, "s.nis", HEADER + broken)
    started = time.perf_counter()
    _, diagnostics = syntax.parse_with_diagnostics((folder / "s.nis").read_text(), "s.nis")
    seconds = time.perf_counter() - started
    assert len(diagnostics) == 5000 and seconds < 30, f"{seconds:.1f}s"
    assert [d.span.line for d in diagnostics[:2]] == [6, 9] and diagnostics[-1].span.line == 6 + 3 * 4999


def test_thousands_of_comments_are_found_in_linear_time():
    lines = "".join(f'# note {i}: "a quote" and """ three\n' for i in range(50_000))
    text = HEADER + lines + 'define d "# not a comment" = 1  # a comment\n'
    started = time.perf_counter()
    module, diagnostics = syntax.parse_with_diagnostics(text, "s.nis")
    seconds = time.perf_counter() - started
    assert not diagnostics and len(module.comments) == 50_001 and seconds < 30, f"{seconds:.1f}s"
    assert module.comments[-1].text == "# a comment" and module.comments[-1].line == 4 + 50_000 + 1


# ---- the parsed-tree cache ---------------------------------------------------------------------

TAMPER = HEADER + """
rule T-YEAR "Year group at least a threshold"
  must child.year_group >= 7.777
  cite "Test"
"""


def _nis(args, cache: Path, home: Path) -> subprocess.CompletedProcess:
    env = environment(home)
    env["NIS_CACHE_DIR"] = str(cache)
    return subprocess.run([str(NIS), *map(str, args)], capture_output=True, text=True, timeout=120, env=env)


def _entries(cache: Path) -> list[Path]:
    """The entries that hold trees and checked forms (the parser's tables are tested below)."""
    return [p for p in cache.rglob("*") if p.is_file() and p.parent.name != "parser"]


def test_an_edited_cache_entry_is_ignored_and_never_changes_a_result(tmp_path):
    standards = write(tmp_path / "std", "s.nis", TAMPER)
    cache = tmp_path / "cache"
    args = ["check", PASS, "--standards", standards, *AS_OF]
    assert _nis(args, cache, tmp_path).returncode == 1  # 5 < 7.777: fails, and the cache is filled
    edited = 0
    for entry in _entries(cache):
        data = entry.read_bytes()
        if b"7.777" in data:
            entry.write_bytes(data.replace(b"7.777", b"0.001"))  # a threshold any plan meets
            edited += 1
    assert edited
    again = _nis(args, cache, tmp_path)
    assert again.returncode == 1, "an edited cache entry changed the result"


def test_cache_entries_hold_data_never_pickle_or_marshal(tmp_path):
    standards = write(tmp_path / "std", "s.nis", TAMPER)
    cache = tmp_path / "cache"
    assert _nis(["check", PASS, "--standards", standards, *AS_OF], cache, tmp_path).returncode == 1
    entries = [p for p in cache.rglob("*") if p.is_file()]
    # the parser's tables, the checked form and the tree
    assert sorted(e.parent.name for e in entries) == ["parser", "standards", "trees"]
    assert all(e.suffix == ".json" and e.read_bytes().startswith(b"nis-data-2 ") for e in entries)
    for entry in entries:
        header, _, content = entry.read_bytes().partition(b"\n")
        assert header.split()[2].decode() == hashlib.sha256(content).hexdigest()
        json.loads(content)


def _rehash(entry: Path, content: bytes, key: str | None = None) -> None:
    fmt, old_key, _ = entry.read_bytes().partition(b"\n")[0].split()
    header = b" ".join([fmt, (key or old_key.decode()).encode(), hashlib.sha256(content).hexdigest().encode()])
    entry.write_bytes(header + b"\n" + content)


def _field(layout: dict, node: list, name: str) -> int:
    """Where a field of a node sits in an entry's node (see the layout in `cache`)."""
    import dataclasses

    from inclusion_standards import checked, tree

    module, cls = layout["classes"][node[0]].split(".")
    fields = [f.name for f in dataclasses.fields(getattr({"tree": tree, "checked": checked}[module], cls))]
    return 1 + fields.index(name)


def test_a_cache_entry_for_other_text_is_not_used(tmp_path):
    standards = write(tmp_path / "std", "s.nis", TAMPER)
    cache = tmp_path / "cache"
    args = ["check", PASS, "--standards", standards, *AS_OF]
    assert _nis(args, cache, tmp_path).returncode == 1
    for entry in _entries(cache):  # whole, but made for other text
        _rehash(entry, entry.read_bytes().partition(b"\n")[2].replace(b"7.777", b"0.001"), key="0" * 64)
    assert _nis(args, cache, tmp_path).returncode == 1


# What a rewritten entry might hold in fields the compiler writes into Python source: each is refused.
INJECTIONS = [
    ("checked.Compare", "op", ">= 0 or __import__('os').system('touch {marker}') or 0 >="),
    ("checked.Read", "id", "0 or __import__('os').system('touch {marker}')"),
    ("checked.Read", "scale", "1 or __import__('os').system('touch {marker}')"),
]


@pytest.mark.parametrize(("cls", "name", "code"), INJECTIONS)
def test_a_cache_entry_with_code_in_a_field_the_compiler_writes_is_not_used(tmp_path, cls, name, code):
    standards = write(tmp_path / "std", "s.nis", TAMPER)
    cache = tmp_path / "cache"
    args = ["check", PASS, "--standards", standards, *AS_OF]
    assert _nis(args, cache, tmp_path).returncode == 1
    marker = tmp_path / "PWNED"
    changed = 0
    for entry in _entries(cache):
        layout = json.loads(entry.read_bytes().partition(b"\n")[2])
        for node in layout["nodes"]:
            if layout["classes"][node[0]] == cls:
                node[_field(layout, node, name)] = code.format(marker=marker)
                changed += 1
        _rehash(entry, json.dumps(layout).encode())
    assert changed
    again = _nis(args, cache, tmp_path)
    assert again.returncode == 1 and not marker.exists(), again.stderr


def test_a_verified_entry_is_used_instead_of_parsing_and_checking(tmp_path, monkeypatch):
    from datetime import date

    from inclusion_standards import standards as loading

    standards = write(tmp_path / "std", "s.nis", TAMPER)
    monkeypatch.setenv("NIS_CACHE_DIR", str(tmp_path / "cache"))
    api.load_standards(standards)

    def not_again(*args, **kwargs):
        raise AssertionError("parsed or checked again")

    monkeypatch.setattr(syntax, "parse_with_diagnostics", not_again)
    monkeypatch.setattr(loading, "check_program", not_again)
    result = api.check(PASS, as_of=date(2030, 6, 1), standards=api.load_standards(standards))
    assert [(f["rule"], f["status"]) for f in result["findings"]] == [("T-YEAR", "fail")]


# ---- the parser's tables -----------------------------------------------------------------------

# Texts whose parse exercises the tables: every bundled standards file, and broken ones whose
# diagnostics name what the parser expected next.
_PARSE_ALL = r"""
import hashlib, sys
from pathlib import Path
if sys.argv[1] == "kept":
    import lark
    def refuse(*args, **kwargs):
        raise AssertionError("the parser was built from the grammar, not read from the cache")
    lark.Lark.__init__ = refuse
from inclusion_standards.syntax import parse_with_diagnostics
texts = [(str(f), f.read_text(encoding="utf-8")) for f in sorted(Path(sys.argv[2]).rglob("*.nis"))]
texts += [("broken", t) for t in ["rule X {", "standards 1 2", "define x = (1 +", 'rule R "r"\n  must when and',
                                   'parameter p "p" = 3 from', "plan isp schema", "define d = [1, 2"]]
digest = hashlib.sha256()
for source, text in texts:
    module, diagnostics = parse_with_diagnostics(text, source)
    digest.update(repr((module, diagnostics)).encode())
print(len(texts), digest.hexdigest())
"""


def _parse_all(mode: str, cache: Path | None, home: Path) -> str:
    env = environment(home)
    env["NIS_CACHE_DIR"] = str(cache or home / "unused")
    if cache is None:
        env["NIS_NO_CACHE"] = "1"
    bundled = Path(__file__).resolve().parents[1] / "standards"
    done = subprocess.run([sys.executable, "-c", _PARSE_ALL, mode, str(bundled)], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_kept_parser_tables_parse_every_text_exactly_as_tables_built_from_the_grammar(tmp_path):
    cache = tmp_path / "cache"
    built = _parse_all("build", None, tmp_path)
    assert int(built.split()[0]) > 30
    assert _parse_all("build", cache, tmp_path) == built  # builds the tables and keeps them
    (entry,) = (cache / "parser").iterdir()
    assert entry.read_bytes().startswith(b"nis-data-2 ")
    assert _parse_all("kept", cache, tmp_path) == built  # reads them back: the grammar is not compiled


@pytest.mark.parametrize("damage", ["truncated", "a pickle", "a dict in the layout", "tables lark cannot read"])
def test_damaged_parser_tables_are_built_again_and_never_change_a_parse(tmp_path, damage):
    cache = tmp_path / "cache"
    built = _parse_all("build", cache, tmp_path)
    (entry,) = (cache / "parser").iterdir()
    content = entry.read_bytes().partition(b"\n")[2]
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    elif damage == "a pickle":
        import pickle

        _rehash(entry, pickle.dumps({"data": 1, "memo": 2}))
    elif damage == "a dict in the layout":
        _rehash(entry, json.dumps({"data": {}, "memo": {}}).encode())
    else:
        _rehash(entry, json.dumps(["m", [["data", ["m", []]], ["memo", ["m", []]]]]).encode())
    assert content != entry.read_bytes().partition(b"\n")[2]
    with pytest.raises(AssertionError, match="built from the grammar"):
        _parse_all("kept", cache, tmp_path)  # the entry is not used ...
    assert _parse_all("build", cache, tmp_path) == built  # ... the parser is built and kept again
    assert _parse_all("kept", cache, tmp_path) == built


def test_a_kept_checked_form_is_not_used_once_a_file_it_read_changes(tmp_path):
    """An imported file, and a plan's schema put beside the standards where nis's own was used
    before, each change what the standards mean: the kept checked form is not used."""
    folder = tmp_path / "std"
    entry = write(folder, "s.nis", HEADER + 'import "limit.nis"\n'
                  'rule T-YEAR "Year group at least a threshold"\n  must child.year_group >= limit\n'
                  '  cite "Test"\n')
    limit = write(folder, "limit.txt", 'parameter limit "A year group"\n  cite "Test"\n  from 2029-09-01: 7.777\n')
    entry.write_text(entry.read_text(encoding="utf-8").replace("limit.nis", "limit.txt"), encoding="utf-8")
    cache = tmp_path / "cache"
    args = ["check", PASS, "--standards", entry, *AS_OF]
    first = _nis(args, cache, tmp_path)
    assert first.returncode == 1, first.stderr  # 5 < 7.777
    assert _nis(args, cache, tmp_path).returncode == 1
    limit.write_text(limit.read_text(encoding="utf-8").replace("7.777", "0.001"), encoding="utf-8")
    assert _nis(args, cache, tmp_path).returncode == 0, "an edited import was not read again"
    (folder / "isp.schema.json").write_text(json.dumps({"type": "object", "properties": {}}), encoding="utf-8")
    refused = _nis(args, cache, tmp_path)
    assert refused.returncode == 2 and "year_group" in refused.stderr, "a schema put beside was not looked at"


def _warnings(cache: Path, home: Path) -> list[str]:
    done = _nis(["lint", STANDARDS], cache, home)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stderr.splitlines() if "cache folder" in line]


def test_a_world_writable_cache_folder_is_ignored_with_one_warning(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    os.chmod(cache, 0o777)
    (shown,) = _warnings(cache, tmp_path)
    assert shown.startswith("nis: warning: not using the cache folder") and "anyone can write to it" in shown
    assert list(cache.iterdir()) == []


def test_a_cache_folder_of_another_user_is_ignored_with_one_warning(tmp_path):
    if ROOT:
        cache = tmp_path / "cache"
        cache.mkdir()
        os.chown(cache, 54321, 54321)
    else:
        cache = Path("/")  # belongs to root
    (shown,) = _warnings(cache, tmp_path)
    assert "belongs to another user" in shown
    if ROOT:
        assert list(cache.iterdir()) == []


def test_a_cache_path_that_is_not_a_usable_folder_is_ignored_with_one_warning(tmp_path):
    cache = tmp_path / "cache"
    cache.write_text("not a folder")
    (shown,) = _warnings(cache, tmp_path)
    assert "it is not a folder" in shown


@pytest.mark.skipif(not permissions_apply(), reason="needs setpriv to make permissions apply to root")
def test_an_unreadable_cache_folder_is_ignored_with_one_warning_and_a_read_only_one_silently():
    made = workspace()
    try:
        unreadable, read_only = made / "unreadable", made / "read-only"
        unreadable.mkdir(mode=0o300)
        read_only.mkdir(mode=0o500)
        env = environment(made)
        for cache, expected in ((unreadable, ["it cannot be read"]), (read_only, [])):
            env["NIS_CACHE_DIR"] = str(cache)
            done = run_nis(["lint", STANDARDS], home=made, unprivileged=True, env=env)
            assert done.returncode == 0, done.stderr
            shown = [line for line in done.stderr.splitlines() if "cache folder" in line]
            assert [w for w in expected if any(w in line for line in shown)] == expected
            assert len(shown) == len(expected)
    finally:
        remove(made)


def test_the_library_warns_once_per_folder_however_often_standards_load(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    os.chmod(cache, 0o777)
    code = ("from inclusion_standards import api\n"
            f"api.load_standards({str(STANDARDS)!r}); api.load_standards({str(STANDARDS)!r})\n")
    env = environment(tmp_path)
    env["NIS_CACHE_DIR"] = str(cache)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0 and done.stderr.count("not using the cache folder") == 1


# ---- termination ---------------------------------------------------------------------------

@pytest.mark.parametrize("body, code", [
    ('define a "A" = b + 1\ndefine b "B" = a + 1\n', "NIS-C006"),
    ('define a "A" = a + 1\n', "NIS-C006"),
    ('rule R-1 "x"\n  must layer = "targeted"\n  cite "x"\n'
     'exception E-1 "x" to E-2\n  when layer = "targeted"\n  cite "x"\n'
     'exception E-2 "x" to E-1\n  when layer = "targeted"\n  cite "x"\n', "NIS-C007"),
])
def test_definitions_and_exceptions_in_a_cycle_are_refused(folder, body, code):
    write(folder, "s.nis", HEADER + body)
    with pytest.raises(api.StandardsError) as caught:
        api.load_standards(folder)
    assert code in [d.code for d in caught.value.diagnostics]


def test_a_standards_file_over_2_mib_is_refused_unparsed(folder):
    write(folder, "s.nis", HEADER + "# " + "x" * (2 * 1024 * 1024) + "\n")
    result = run("lint", folder)
    assert result.exit_code == 1 and "NIS-S001" in result.stdout and "larger than 2 MiB" in result.stdout


def test_a_command_prints_fifty_diagnostics_and_counts_the_rest(folder):
    write(folder, "s.nis", HEADER + "".join(f'rule R-{i} "x"\n  must (layer = \n\n' for i in range(120)))
    result = run("check", PASS, "--standards", folder, *AS_OF)
    assert result.exit_code == 2 and result.stderr.count("error[NIS-S100]") == 50
    assert result.stderr.rstrip().splitlines()[-1] == "... and 70 more problems not shown (70 NIS-S100)"
    assert run("lint", folder).stdout.count("error[NIS-S100]") == 120


def test_a_plan_schema_outside_the_standards_folder_is_refused_unread(folder):
    write(folder, "s.nis", HEADER.replace('schema "isp.schema.json"', 'schema "/proc/self/environ"'))
    result = run("lint", folder)
    assert result.exit_code == 1 and "NIS-C008" in result.stdout
    assert "is outside the standards folder" in result.stdout and "environ" in result.stdout


def test_a_plan_schema_inside_the_standards_folder_is_used(folder):
    (folder / "mine.schema.json").write_text((Path(__file__).parents[1] / "schemas" / "isp.schema.json").read_text())
    write(folder, "s.nis", HEADER.replace('schema "isp.schema.json"', 'schema "mine.schema.json"'))
    assert run("lint", folder).exit_code == 0


# ---- a bounded cache -----------------------------------------------------------------------------

def test_the_cache_keeps_only_the_most_recently_used_entries_of_a_kind(tmp_path, monkeypatch):
    """Beyond the entries a kind keeps, writing one removes the least recently used; reading an
    entry renews it. Files the cache did not name, and a writer's temporary file of a minute
    ago, stay; one left over an hour ago goes."""
    monkeypatch.setenv("NIS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setitem(cache.KEEP, "trees", 3)
    monkeypatch.setattr(cache, "_PRUNED", set())  # a process prunes a folder at its first write
    texts = [f'# file {i}\nparameter p{i} "P"\n  cite "c"\n  from 2020-01-01: {i}\n' for i in range(6)]
    folder = tmp_path / "cache" / "trees"
    past = time.time() - 10_000
    for i, text in enumerate(texts[:5]):
        cache._PRUNED.clear()  # each write as another process would make it
        cache.store_tree(text, syntax.parse(text))
        (entry,) = [p for p in folder.iterdir() if p.stat().st_mtime > past + 5_000]  # the one just written
        os.utime(entry, (past + i, past + i))
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    (folder / ".fresh.json.1.tmp").write_text("", encoding="utf-8")
    (folder / ".stale.json.2.tmp").write_text("", encoding="utf-8")
    os.utime(folder / ".stale.json.2.tmp", (past, past))
    assert len(list(folder.glob("*.json"))) == 3  # the two oldest already went
    assert cache.load_tree(texts[2], "again") is not None  # the oldest kept, read: renewed
    cache._PRUNED.clear()
    cache.store_tree(texts[5], syntax.parse(texts[5]))
    kept = [i for i, text in enumerate(texts) if cache.load_tree(text, "kept?") is not None]
    assert kept == [2, 4, 5]
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".json")) == [".fresh.json.1.tmp",
                                                                                          "notes.txt"]


def test_the_cache_keeps_a_bounded_number_of_checked_standards(tmp_path, monkeypatch):
    """Each edit of a standards file makes a new checked form; the folder keeps `KEEP` of them."""
    monkeypatch.setenv("NIS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setitem(cache.KEEP, "standards", 2)
    monkeypatch.setattr(cache, "_PRUNED", set())
    entry = write(tmp_path / "std", "s.nis", TAMPER)
    for edit in range(4):
        with entry.open("a", encoding="utf-8") as f:
            f.write(f"# edit {edit}\n")
        cache._PRUNED.clear()  # each load as another process would make it
        api.load_standards(entry.parent)
    assert len(list((tmp_path / "cache" / "standards").glob("*.json"))) == 2


def test_one_process_lists_a_cache_folder_once_however_many_entries_it_writes(tmp_path, monkeypatch):
    """Listing a full folder of trees takes milliseconds, and a cold start writes one tree a
    file: a process prunes each folder at its first write only, so it may leave as many extra
    entries as it wrote, and the next process prunes them."""
    monkeypatch.setenv("NIS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setitem(cache.KEEP, "trees", 1)
    monkeypatch.setattr(cache, "_PRUNED", set())
    listings = []
    real_scandir = os.scandir
    monkeypatch.setattr(cache.os, "scandir", lambda folder: listings.append(folder) or real_scandir(folder))
    texts = [f'# file {i}\nparameter p{i} "P"\n  cite "c"\n  from 2020-01-01: {i}\n' for i in range(4)]
    for text in texts[:3]:
        cache.store_tree(text, syntax.parse(text))
    folder = tmp_path / "cache" / "trees"
    listed = len(listings)  # counted before the test lists the folder itself
    assert listed == 1 and len(list(folder.glob("*.json"))) == 3
    cache._PRUNED.clear()  # the next process
    listings.clear()
    cache.store_tree(texts[3], syntax.parse(texts[3]))
    listed = len(listings)
    assert listed == 1 and len(list(folder.glob("*.json"))) == 1
