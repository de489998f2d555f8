"""What makes `nis check` start quickly changes no result: the checked standards kept between
runs judge every example exactly as standards parsed and checked afresh, either schema engine
gives the same diagnostics, and one plan is checked without importing what it does not need
(docs/performance.md, Start-up)."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from inclusion_standards import api
from inclusion_standards.diagnostics import DocumentError
from inclusion_standards.documents import (
    COMPILE_AFTER,
    COMPILE_FOR_CHARACTERS,
    detect_document_type,
    load_document,
    parse_document,
    validate_document,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples").glob("*.json"))
BROKEN = sorted((ROOT / "examples" / "broken").iterdir())
AS_OF = date(2030, 6, 1)


def _results(library: api.StandardsLibrary) -> list[str]:
    out = []
    for path in EXAMPLES:
        document = load_document(path)
        out.append(api.render(api.check(document, as_of=AS_OF, standards=library), "json"))
        out.append(api.render(api.explain(document, as_of=AS_OF, standards=library), "json"))
    return out


def test_kept_standards_judge_every_example_byte_for_byte_as_fresh_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("NIS_NO_CACHE", "1")
    fresh = api.load_standards()
    monkeypatch.delenv("NIS_NO_CACHE")
    monkeypatch.setenv("NIS_CACHE_DIR", str(tmp_path / "cache"))
    api.load_standards()  # fills the cache
    assert list((tmp_path / "cache" / "standards").iterdir())
    kept = api.load_standards()
    assert kept.warnings == fresh.warnings
    assert [(s.id, s.version, s.sha256) for s in kept.versions] == [(s.id, s.version, s.sha256)
                                                                     for s in fresh.versions]
    assert _results(kept) == _results(fresh)


def _diagnostics(path: Path, fast: bool) -> list[dict[str, object]] | None:
    raw = path.read_bytes()
    try:
        data = parse_document(raw, str(path))
    except DocumentError:
        return None  # cannot be read: no schema engine is asked
    found = validate_document(data, detect_document_type(data), source=str(path), text=raw.decode("utf-8"),
                              fast=fast)
    return [dataclasses.asdict(d) for d in found]  # every field, the source line too


@pytest.mark.parametrize("path", EXAMPLES + BROKEN, ids=lambda p: p.name)
def test_the_compiled_validator_and_jsonschema_give_the_same_diagnostics(path):
    compiled = _diagnostics(path, fast=True)
    assert compiled == _diagnostics(path, fast=False)
    assert (compiled is None or bool(compiled)) == (path in BROKEN)  # the broken ones are refused


def test_past_the_switch_to_the_compiled_validator_nothing_changes():
    """A process validates with jsonschema first and compiles once it has seen COMPILE_AFTER
    documents of a type; every document, either side of the switch, gets what jsonschema alone
    gives it."""
    invalid = ROOT / "examples" / "broken" / "wrong-type-missing-field.json"
    plans = [ROOT / "examples" / "isp-targeted-clean.yaml", invalid]
    for n in range(COMPILE_AFTER + 10):
        path = plans[n % 2]
        data = parse_document(path.read_bytes(), str(path))
        assert validate_document(data, "isp") == validate_document(data, "isp", fast=False)


def test_checking_one_plan_imports_neither_the_parser_nor_the_schema_compiler(tmp_path):
    """With the standards' checked form in the cache, `nis check` on a plan needs no parser
    (lark), no compiled validator (fastjsonschema), and no terminal styling (rich)."""
    program = (
        "import sys\n"
        "from inclusion_standards.cli import main\n"
        "try:\n"
        f"    main(['check', {str(EXAMPLES[0])!r}, '--as-of', '2030-06-01'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(m for m in ('lark', 'fastjsonschema', 'rich', 'pydantic', 'fastapi', 'lxml')"
        " if m in sys.modules)), file=sys.stderr)\n"
    )
    env = {"NIS_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=120)
    again = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=120)
    assert "lark" in first.stderr.splitlines()[-1]  # an empty cache: the standards are parsed
    assert again.stderr.splitlines()[-1] == "", again.stderr


def _isp_with_provision(tmp_path: Path, items: int) -> Path:
    """The clean example ISP with `items` items of provision, written as JSON."""
    plan = parse_document((ROOT / "examples" / "isp-targeted-clean.yaml").read_bytes(), "plan.yaml")
    plan["provision"] = [dict(plan["provision"][0], id=f"P{i}") for i in range(items)]
    path = tmp_path / f"isp-{items}.json"
    path.write_text(json.dumps(plan, default=float), encoding="utf-8")
    return path


def _last_line_in_a_new_process(program: str, tmp_path: Path) -> str:
    """What `program`, run by a fresh Python with its own cache folder, printed last on stderr."""
    env = {"NIS_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=300)
    lines = done.stderr.splitlines()
    assert lines, done
    return lines[-1]


def test_a_plan_of_thousands_of_items_is_validated_by_the_compiled_validator(tmp_path):
    """Walking a plan this large with jsonschema costs more than compiling the validator: the
    first such plan of a process is validated by the compiled one."""
    path = _isp_with_provision(tmp_path, 2000)
    assert path.stat().st_size > COMPILE_FOR_CHARACTERS
    program = (
        "import sys\n"
        "from inclusion_standards.cli import main\n"
        "try:\n"
        f"    main(['check', {str(path)!r}, '--as-of', '2030-06-01', '--quiet'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('fastjsonschema' in sys.modules, file=sys.stderr)\n"
    )
    assert _last_line_in_a_new_process(program, tmp_path) == "True"


def test_a_process_compiles_the_validator_once_its_walks_have_cost_what_compiling_does(tmp_path):
    """Plans too small to be compiled for at once, but each costly to walk: the process
    switches to the compiled validator well before COMPILE_AFTER of them."""
    path = _isp_with_provision(tmp_path, 200)
    assert path.stat().st_size < COMPILE_FOR_CHARACTERS
    program = (
        "import sys\n"
        "from inclusion_standards.documents import load_document\n"
        f"for n in range(1, {COMPILE_AFTER}):\n"
        f"    load_document({str(path)!r})\n"
        "    if 'fastjsonschema' in sys.modules:\n"
        "        break\n"
        "print(n if 'fastjsonschema' in sys.modules else 'never', file=sys.stderr)\n"
    )
    switched = _last_line_in_a_new_process(program, tmp_path)
    assert switched != "never" and int(switched) < COMPILE_AFTER
