"""What makes `nis check` start quickly changes no result: the checked standards kept between
runs judge every example exactly as standards parsed and checked afresh, either schema engine
gives the same diagnostics, and one plan is checked without importing what it does not need
(docs/performance.md, Start-up)."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
import sys
from datetime import date
from functools import partial
from pathlib import Path

import pytest

from inclusion_standards import api, documents
from inclusion_standards.diagnostics import DocumentError
from inclusion_standards.documents import (
    DOCUMENT_TYPES,
    detect_document_type,
    load_document,
    parse_document,
    validate_document,
    validator_source,
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


@pytest.mark.parametrize("document_type", DOCUMENT_TYPES)
def test_the_shipped_validators_are_made_from_the_schemas_as_they_stand(document_type):
    """`make validators` was run after the last edit of a schema: the shipped module records
    the schema file's sha256 and, from the fastjsonschema that wrote it, is the source written now."""
    import importlib

    import fastjsonschema

    shipped_path = ROOT / "src" / "inclusion_standards" / "validators" / f"{document_type}.py"
    shipped = importlib.import_module(f"inclusion_standards.validators.{document_type}")
    schema = (ROOT / "schemas" / f"{document_type}.schema.json").read_bytes()
    assert shipped.SCHEMA_SHA256 == hashlib.sha256(schema).hexdigest(), "run `make validators`"
    # It names no part of a plan for a message (formatting those names cost most of a validation).
    assert "locals()" not in shipped_path.read_text(encoding="utf-8")
    if shipped.VERSION != fastjsonschema.VERSION:
        pytest.skip(f"the shipped validator was written by fastjsonschema {shipped.VERSION}, "
                    f"this is {fastjsonschema.VERSION}: the agreement tests hold it to jsonschema")
    source = shipped_path.read_text(encoding="utf-8")
    assert source == validator_source(document_type), "run `make validators`"


@pytest.fixture
def edited_schemas(tmp_path, monkeypatch):
    """nis's schemas as a checkout holds them after an edit not yet followed by `make validators`:
    the ISP schema requires one more field."""
    folder = tmp_path / "schemas"
    folder.mkdir()
    for path in (ROOT / "schemas").glob("*.json"):
        (folder / path.name).write_bytes(path.read_bytes())
    isp = json.loads((folder / "isp.schema.json").read_text(encoding="utf-8"))
    isp["properties"]["key_worker"] = {"type": "string"}
    isp["required"] = [*isp["required"], "key_worker"]
    (folder / "isp.schema.json").write_text(json.dumps(isp), encoding="utf-8")
    cached = (documents._schema, documents._schema_sha256, documents._fast_validator, documents._full_validator)

    def forget() -> None:
        for function in cached:
            function.cache_clear()

    forget()
    monkeypatch.setattr(documents, "schemas_dir", lambda: folder)
    yield
    monkeypatch.undo()
    forget()


def test_a_schema_edited_to_use_any_of_one_of_and_not_is_compiled_and_agrees_with_jsonschema(edited_schemas):
    """fastjsonschema's code for `anyOf`, `oneOf` and `not` catches the errors its branches raise:
    the compiled schema still tells valid plans from invalid ones as jsonschema does."""
    folder = documents.schemas_dir()
    isp = json.loads((folder / "isp.schema.json").read_text(encoding="utf-8"))
    isp["properties"]["key_worker"] = {"anyOf": [{"type": "string", "minLength": 2}, {"type": "integer"}]}
    isp["properties"]["room"] = {"oneOf": [{"type": "string"}, {"type": "string", "maxLength": 1}]}
    isp["properties"]["note"] = {"not": {"type": "integer"}}
    (folder / "isp.schema.json").write_text(json.dumps(isp), encoding="utf-8")
    for function in (documents._schema, documents._schema_sha256, documents._fast_validator,
                     documents._full_validator):
        function.cache_clear()
    path = ROOT / "examples" / "isp-targeted-clean.yaml"
    plan = parse_document(path.read_bytes(), str(path))
    variants = [{"key_worker": "Ms P"}, {"key_worker": 7}, {"key_worker": "P"}, {"key_worker": 1.5},
                {"key_worker": "Ms P", "room": "B12"}, {"key_worker": "Ms P", "room": "B"},
                {"key_worker": "Ms P", "note": "text"}, {"key_worker": "Ms P", "note": 3}]
    verdicts = []
    for extra in variants:
        data = {**plan, **extra}
        fast = validate_document(data, "isp", fast=True)
        assert fast == validate_document(data, "isp", fast=False), extra
        verdicts.append(fast == ())
    assert verdicts == [True, True, False, False, True, False, True, False]


def test_an_edited_schema_is_validated_by_fastjsonschema_s_own_validator_if_its_code_is_unknown(
        edited_schemas, monkeypatch):
    """A fastjsonschema that writes its code in a way nis does not recognise: an edited schema is
    then validated by fastjsonschema's own compiled validator, with the same answers."""
    import fastjsonschema

    monkeypatch.setattr(fastjsonschema, "compile_to_code", lambda *args, **kwargs: "VERSION = 'unknown'\n")
    path = ROOT / "examples" / "isp-targeted-clean.yaml"
    data = parse_document(path.read_bytes(), str(path))
    refused = validate_document(data, "isp", fast=True)
    assert [(d.code, d.pointer) for d in refused] == [("NIS-D101", "/key_worker")]
    assert validate_document({**data, "key_worker": "Mrs T"}, "isp", fast=True) == ()


def test_a_schema_edited_after_its_validator_was_shipped_is_compiled_as_it_stands(edited_schemas):
    path = ROOT / "examples" / "isp-targeted-clean.yaml"
    data = parse_document(path.read_bytes(), str(path))
    refused = validate_document(data, "isp", fast=True)
    assert [(d.code, d.pointer) for d in refused] == [("NIS-D101", "/key_worker")]
    assert refused == validate_document(data, "isp", fast=False)
    assert validate_document({**data, "key_worker": "Mrs T"}, "isp", fast=True) == ()


def test_checking_one_plan_imports_neither_the_parser_nor_a_schema_engine(tmp_path):
    """With the standards' checked form in the cache, `nis check` on a valid plan needs no
    parser (lark), no schema engine (jsonschema, fastjsonschema: the shipped validator says
    yes), no terminal styling (rich), no batch runner or SEN2 reader, no "did you mean"
    matcher (difflib) or temporary files, and, in a folder with no configuration file, no TOML
    reader."""
    program = (
        "import sys\n"
        "from inclusion_standards.cli import main\n"
        "try:\n"
        f"    main(['check', {str(EXAMPLES[0])!r}, '--as-of', '2030-06-01'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(m for m in ('lark', 'jsonschema', 'fastjsonschema', 'rich', 'pydantic', 'fastapi',"
        " 'lxml', 'inclusion_standards.batch', 'inclusion_standards.sen2', 'tomllib', 'difflib', 'tempfile')"
        " if m in sys.modules)), file=sys.stderr)\n"
    )
    env = {"NIS_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = partial(subprocess.run, [sys.executable, "-c", program], capture_output=True, text=True, env=env,
                  timeout=120, cwd=tmp_path)
    first, again = run(), run()
    assert "lark" in first.stderr.splitlines()[-1]  # an empty cache: the standards are parsed
    assert again.stderr.splitlines()[-1] == "", again.stderr


@pytest.mark.parametrize("example", ["isp-targeted-plus-stale-advice-few-hours.yaml", "ehcp-current-missing-sections.json"])
def test_each_rule_explained_first_and_alone_reads_as_when_every_form_is_compiled(example):
    """A plan's explained forms are compiled as they are first needed, each with the forms it
    calls (definitions, decisions, exceptions): every rule, explained first and on its own by
    standards just loaded, reads as it does from standards that compiled them all at once."""
    document = load_document(ROOT / "examples" / example)
    compiled_at_once = api.load_standards()
    whole = api.explain(document, as_of=AS_OF, standards=compiled_at_once)  # every form compiled
    fresh = api.load_standards()
    for finding in reversed(whole["findings"]):
        only = {finding["rule"]}
        alone = api.explain(document, as_of=AS_OF, standards=fresh, only=only)
        assert alone == api.explain(document, as_of=AS_OF, standards=compiled_at_once, only=only)


def test_explained_forms_compiled_on_several_threads_at_once_explain_as_one_thread_does():
    """The web app explains on several threads: forms compiled as they are first needed, by
    whichever thread needs them first, explain every example as standards explaining them one
    at a time do."""
    from concurrent.futures import ThreadPoolExecutor

    documents = [load_document(path) for path in EXAMPLES if not path.name.startswith("case-")]
    serial = [api.render(api.explain(d, as_of=AS_OF, standards=api.load_standards()), "json") for d in documents]
    fresh = api.load_standards()
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda d: api.render(api.explain(d, as_of=AS_OF, standards=fresh), "json"),
                                 documents * 3))
    assert threaded == serial * 3
