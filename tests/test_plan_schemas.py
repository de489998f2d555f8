"""Standards that keep a plan schema of their own: plans are validated against it, at every door.

A policy team's standards may bind a schema kept in their folder in place of nis's own (say, an
ISP schema that adds a required `key_worker`). Their rules are typed against it, so plans must
be validated against it too: a plan that carries the new field is judged (nis's own schema
would refuse it as an unknown field), and a plan that lacks it is refused with the field's
pointer (judging it would reach a field the rules were promised).
"""
from __future__ import annotations

import copy
import functools
import json
import tempfile
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

import schema_strategies
from conftest import BASE_ISP, HEADER
from inclusion_standards import api
from inclusion_standards.cli import main
from inclusion_standards.documents import DocumentError, load_document

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2030, 6, 1)
RULES = textwrap.dedent('''
    rule KW-1 "A key worker is named" must key_worker != "unknown" cite "[nis reading] test"
''')


def _plain(value):
    return json.loads(json.dumps(value, default=float))


@pytest.fixture
def own_schema_standards(tmp_path) -> Path:
    """Standards whose ISP schema (kept beside them) requires a `key_worker` nis's does not know."""
    schema = json.loads((ROOT / "schemas" / "isp.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["key_worker"] = {"type": "string", "minLength": 1}
    schema["required"] = [*schema["required"], "key_worker"]
    folder = tmp_path / "standards"
    folder.mkdir()
    (folder / "own-isp.schema.json").write_text(json.dumps(schema, indent=2), encoding="utf-8")
    (folder / "s.nis").write_text(HEADER.replace('"isp.schema.json"', '"own-isp.schema.json"') + RULES,
                                  encoding="utf-8")
    return folder


@pytest.fixture
def plans(tmp_path) -> dict[str, Path]:
    """A plan with the key worker, one naming "unknown", and one without the field."""
    out = tmp_path / "plans"
    out.mkdir()
    found = {}
    for name, worker in (("named", "Ms Patel"), ("unknown", "unknown"), ("without", None)):
        plan = _plain(copy.deepcopy(BASE_ISP))
        if worker is not None:
            plan["key_worker"] = worker
        path = out / f"{name}.yaml"
        path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
        found[name] = path
    return found


def _status(result, rule="KW-1"):
    return next(f["status"] for f in result["findings"] if f["rule"] == rule)


def test_the_bundled_standards_bind_only_nis_own_schemas():
    library = api.load_standards()
    assert library.plan_schemas(AS_OF) == {}
    assert all(not version.plan_schemas for version in library.versions)


def test_a_plan_is_judged_against_the_schema_the_standards_bind(own_schema_standards, plans):
    library = api.load_standards(own_schema_standards)
    schemas = api.plan_schemas(library, AS_OF)
    assert list(schemas) == ["isp"]
    # nis's own schema does not know the field: without the standards' schema the plan is refused.
    with pytest.raises(DocumentError) as refused:
        load_document(plans["named"])
    assert [(d.code, d.pointer) for d in refused.value.diagnostics] == [("NIS-D102", "/key_worker")]
    # Both sides of the rule, through every form a document can take.
    for name, expected in (("named", "pass"), ("unknown", "fail")):
        path = plans[name]
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for document in (path, str(path), path.read_bytes(), data, load_document(path, schemas=schemas)):
            result = api.check(document, as_of=AS_OF, standards=library)
            assert _status(result) == expected, (name, type(document))
            assert result["standards"]["sha256"] == library.versions[0].sha256
        assert api.judge(path, as_of=AS_OF, standards=library)["KW-1"] == expected


def test_a_plan_without_a_field_the_standards_schema_requires_is_refused_with_its_place(own_schema_standards,
                                                                                         plans):
    library = api.load_standards(own_schema_standards)
    path = plans["without"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # The plan matches nis's own schema, so it loads; judging it checks it against the standards' schema.
    loaded_elsewhere = load_document(path)
    for document in (path, path.read_bytes(), data, loaded_elsewhere):
        with pytest.raises(DocumentError) as refused:
            api.check(document, as_of=AS_OF, standards=library)
        (problem,) = refused.value.diagnostics
        assert (problem.code, problem.pointer) == ("NIS-D101", "/key_worker")
        assert "key_worker" in problem.message
    with pytest.raises(DocumentError):
        load_document(path, schemas=api.plan_schemas(library, AS_OF))
    # A plan read from its file keeps its file and place.
    with pytest.raises(DocumentError) as refused:
        api.check(path, as_of=AS_OF, standards=library)
    assert refused.value.diagnostics[0].source == str(path)
    assert refused.value.diagnostics[0].span is not None


def test_the_command_line_validates_against_the_standards_schema(own_schema_standards, plans):
    runner = CliRunner()
    base = ["--standards", str(own_schema_standards), "--as-of", AS_OF.isoformat()]
    named = runner.invoke(main, ["check", str(plans["named"]), *base, "--format", "json"], catch_exceptions=False)
    assert named.exit_code == 0, named.output
    assert _status(json.loads(named.stdout)) == "pass"
    unknown = runner.invoke(main, ["check", str(plans["unknown"]), *base, "--format", "json"])
    assert unknown.exit_code == 1
    assert _status(json.loads(unknown.stdout)) == "fail"
    without = runner.invoke(main, ["check", str(plans["without"]), *base])
    assert without.exit_code == 2
    assert "NIS-D101" in without.output and "key_worker" in without.output
    assert "internal error" not in without.output
    explained = runner.invoke(main, ["explain", str(plans["named"]), *base, "--format", "json"])
    assert explained.exit_code == 0, explained.output
    assert _status(json.loads(explained.stdout)) == "pass"
    page = plans["named"].parent.parent / "bundle.html"
    bundled = runner.invoke(main, ["bundle", str(plans["named"]), str(plans["unknown"]), *base, "--out", str(page)])
    assert bundled.exit_code == 0, bundled.output
    assert "KW-1" in page.read_text(encoding="utf-8")
    refused = runner.invoke(main, ["bundle", str(plans["without"]), *base, "--out", str(page.with_name("no.html"))])
    assert refused.exit_code == 2 and "NIS-D101" in refused.output and "key_worker" in refused.output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_gives_each_plan_its_record_by_the_standards_schema(own_schema_standards, plans, tmp_path, jobs):
    out = tmp_path / "results.jsonl"
    result = CliRunner().invoke(main, ["batch", str(plans["named"].parent), "--standards", str(own_schema_standards),
                                       "--as-of", AS_OF.isoformat(), "--out", str(out), "--jobs", jobs])
    assert result.exit_code == 2, result.output  # one plan could not be judged
    records = {Path(r["input"]["path"]).name: r for r in map(json.loads, out.read_text().splitlines())}
    assert sorted(records) == ["named.yaml", "unknown.yaml", "without.yaml"]
    assert records["named.yaml"]["outcome"] == "pass"
    assert records["unknown.yaml"]["outcome"] == "fail"
    refused = records["without.yaml"]
    assert refused["outcome"] == "error"
    assert [d["code"] for d in refused["error"]["diagnostics"]] == ["NIS-D101"]
    assert "key_worker" in refused["error"]["reason"]


def test_the_standards_own_tests_read_their_documents_by_their_schema(own_schema_standards, plans):
    import shutil

    shutil.copy(plans["unknown"], own_schema_standards / "unknown.yaml")
    with (own_schema_standards / "s.nis").open("a", encoding="utf-8") as f:
        f.write(textwrap.dedent('''
            test "a key worker of unknown name is not enough"
              document "unknown.yaml"
              as of 2030-06-01
              expect fail KW-1
            test "a plan changed to leave out the key worker"
              document "unknown.yaml"
              without /key_worker
              as of 2030-06-01
              expect fail KW-1
        '''))
    library = api.load_standards(own_schema_standards)
    from inclusion_standards.testing import run_tests

    outcomes = {o.name: o for o in run_tests(library).outcomes}
    assert outcomes["a key worker of unknown name is not enough"].passed, outcomes
    changed = outcomes["a plan changed to leave out the key worker"]
    assert not changed.passed
    assert [d.code for d in changed.errors] == ["NIS-T001", "NIS-D101"]


@pytest.mark.parametrize("schema, expected", [
    ({"type": "object", "properties": {"child": {"$ref": "https://example.org/child.json"}}},
     "`$ref: https://example.org/child.json` refers outside the schema"),
    ({"type": "object", "properties": {"layer": {"type": 5}}}, "is not valid under any of the given schemas"),
    ([{"type": "object"}], "a JSON Schema is a JSON object"),
    ({"type": "object", "properties": {"layer": {"$ref": "#/$defs/nowhere"}}},
     "`$ref: #/$defs/nowhere` names no part of the schema"),
    ({"type": "object", "$defs": {"a": {"allOf": [{"$ref": "#/$defs/b"}]}, "b": {"anyOf": [{"$ref": "#/$defs/a"}]}},
      "properties": {"layer": {"$ref": "#/$defs/a"}}},
     "leads back to itself without reaching a value"),
    ({"type": "object", "properties": {"layer": {"$ref": "#/$defs/d20"}},
      "$defs": {"d0": {"type": "string"}, **{f"d{n}": {"type": "object", "properties": {
          "left": {"$ref": f"#/$defs/d{n - 1}"}, "right": {"$ref": f"#/$defs/d{n - 1}"}}} for n in range(1, 21)}}},
     "the schema describes more than 100,000 fields once its references are followed"),
])
def test_a_plan_schema_that_cannot_validate_plans_is_refused_when_the_standards_are_checked(tmp_path, schema,
                                                                                            expected):
    (tmp_path / "own.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "s.nis").write_text(HEADER.replace('"isp.schema.json"', '"own.schema.json"'), encoding="utf-8")
    with pytest.raises(api.StandardsError) as refused:
        api.load_standards(tmp_path)
    problems = [d for d in refused.value.diagnostics if d.code == "NIS-C008"]
    assert problems and expected in problems[0].message, refused.value.diagnostics
    assert "own.schema.json" in problems[0].message


def test_a_change_between_versions_to_the_plan_schema_is_an_error_record_in_the_impact(own_schema_standards,
                                                                                       plans, tmp_path):
    from inclusion_standards.impact import run_impact

    old = api.load_standards().select(AS_OF, "isp")
    new = api.load_standards(own_schema_standards).versions[0]
    records = tmp_path / "impact.jsonl"
    # A plan without the key worker meets nis's schema (the old standards) but not the new one.
    run_impact([str(plans["without"])], old=old, new=new, as_of=AS_OF, records=records)
    (record,) = map(json.loads, records.read_text().splitlines())
    assert record["outcome"] == "error"
    assert [d["code"] for d in record["error"]["diagnostics"]] == ["NIS-D101"]


def test_a_plan_schema_may_use_what_json_schema_allows_that_nis_does_not_type(tmp_path, plans):
    """`true` for any value, draft-07's list of `items`, a schema that nests itself: the fields
    they describe are typed `any` (or followed once), and plans are judged."""
    schema = json.loads((ROOT / "schemas" / "isp.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["key_worker"] = True
    schema["properties"]["team"] = {"type": "object", "properties": {"lead": {"type": "string"},
                                                                      "deputy": {"$ref": "#/properties/team"}}}
    (tmp_path / "own.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "s.nis").write_text(HEADER.replace('"isp.schema.json"', '"own.schema.json"') + textwrap.dedent('''
        rule KW-1 "A key worker is named" must key_worker is present cite "[nis reading] test"
        rule KW-2 "The deputy has a lead" must team.deputy.lead is present cite "[nis reading] test"
    '''), encoding="utf-8")
    library = api.load_standards(tmp_path)
    plan = yaml.safe_load(plans["named"].read_text(encoding="utf-8"))
    plan["team"] = {"lead": "A", "deputy": {"lead": "B", "deputy": {"lead": "C"}}}
    result = api.check(plan, as_of=AS_OF, standards=library)
    assert (_status(result, "KW-1"), _status(result, "KW-2")) == ("pass", "pass")
    plan["team"]["deputy"] = {"lead": 5}
    with pytest.raises(DocumentError) as refused:
        api.check(plan, as_of=AS_OF, standards=library)
    assert [(d.code, d.pointer) for d in refused.value.diagnostics] == [("NIS-D103", "/team/deputy/lead")]


_FIELDS = st.sampled_from(["layer", "a", "b"])
_VALUES = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["targeted", "x", "2030-01-01"])
_SIMPLE = st.booleans() | st.fixed_dictionaries(
    {"type": st.sampled_from(["string", "number", "integer", "boolean", "null", "object", "array"])
     | st.lists(st.sampled_from(["string", "null", "integer"]), min_size=1, max_size=2, unique=True)},
    optional={"format": st.just("date"), "x-unit": st.sampled_from(["hours per week", "weeks", "nonsense"]),
              "enum": st.lists(_VALUES, min_size=1, max_size=3, unique=True), "const": _VALUES,
              "minimum": st.integers(-3, 3), "maxItems": st.integers(0, 3), "pattern": st.sampled_from(["^[a-z]+$", "x$"])})
_REFS = st.sampled_from(["#", "#/$defs/a", "#/$defs/b", "#/properties/layer", "#/$defs/a/anyOf/0", "#/$defs/nowhere",
                         "https://example.org/s.json"])


def _nested(inner):
    return st.one_of(
        st.fixed_dictionaries({"type": st.just("object")}, optional={
            "properties": st.dictionaries(_FIELDS, inner, max_size=3),
            "required": st.lists(_FIELDS, unique=True, max_size=2), "additionalProperties": inner}),
        st.fixed_dictionaries({"type": st.just("array")}, optional={"items": inner | st.lists(inner, max_size=2),
                                                                   "maxItems": st.integers(0, 3)}),
        st.fixed_dictionaries({"$ref": _REFS}),
        st.fixed_dictionaries({"anyOf": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"oneOf": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"allOf": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"not": inner}),
        st.fixed_dictionaries({"if": inner, "then": inner}, optional={"else": inner}),
    )


# Mostly JSON Schemas (with references that loop, lead nowhere or out of the schema), and some
# JSON that is not one.
_JSON_SCHEMAS = st.recursive(_SIMPLE, _nested, max_leaves=12)
_SCHEMA_PARTS = _JSON_SCHEMAS | _JSON_SCHEMAS | _JSON_SCHEMAS | st.recursive(
    _VALUES | st.sampled_from(["string", "#/$defs/a", "("]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["type", "$ref", "items", "a"]),
                                                                inner, max_size=3), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(layer=_SCHEMA_PARTS, shared=_SCHEMA_PARTS, whole=st.sampled_from([False, False, False, True]))
@example(layer=False, shared={"$ref": "#/properties/layer"}, whole=False)  # a field whose schema refers to `false`
def test_any_plan_schema_gives_standards_or_a_diagnostic_and_any_plan_a_result_or_a_diagnostic(layer, shared, whole):
    """Whatever a plan schema kept with the standards holds, loading them ends in standards or in
    NIS diagnostics, and judging a plan by them in a result or in the plan's diagnostics: never
    a Python error, never a loop."""
    schema = layer if whole else {"type": "object", "properties": {"layer": layer, "a": shared},
                                  "$defs": {"a": shared}}
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setenv("NIS_NO_CACHE", "1")  # hundreds of throwaway standards: none kept in the user's cache
        (Path(folder) / "own.schema.json").write_text(json.dumps(schema), encoding="utf-8")
        (Path(folder) / "s.nis").write_text(HEADER.replace('"isp.schema.json"', '"own.schema.json"')
                                            + 'rule R1 "t" must layer is present cite "c"\n', encoding="utf-8")
        try:
            library = api.load_standards(folder)
        except api.StandardsError as exc:
            assert exc.diagnostics and all(d.code.startswith("NIS-") for d in exc.diagnostics)
            event(f"refused {exc.diagnostics[0].code} {exc.diagnostics[0].message[30:90]}")
            return
    for plan in ({"layer": "targeted", "a": []}, {"layer": 3, "a": {"b": "x"}}, {"layer": None, "b": [1, 2]},
                 _plain(BASE_ISP)):
        try:
            result = api.check(plan, as_of=AS_OF, standards=library)
        except DocumentError as exc:
            assert exc.diagnostics and all(d.code.startswith("NIS-D") for d in exc.diagnostics)
        else:
            assert _status(result, "R1") in ("pass", "fail", "cannot_judge")
            event("judged")


def test_the_schema_is_that_of_the_version_in_force_on_the_date(own_schema_standards, plans):
    """A folder with two versions: the first binds nis's own ISP schema, the second (in force
    from September 2030) its own. A plan is validated against the schema of the version that
    judges it on the date."""
    (own_schema_standards / "s2.nis").write_text((own_schema_standards / "s.nis").read_text(encoding="utf-8")
                                                 .replace('version "1"', 'version "2"')
                                                 .replace("effective from 2020-01-01", "effective from 2030-09-01"),
                                                 encoding="utf-8")
    (own_schema_standards / "s.nis").write_text(HEADER.replace("effective from 2020-01-01",
                                                               "effective from 2020-01-01 until 2030-08-31")
                                                + 'rule KW-0 "A layer" must layer is present cite "c"\n',
                                                encoding="utf-8")
    library = api.load_standards(own_schema_standards)
    assert [v.version for v in library.versions] == ["1", "2"]
    assert api.plan_schemas(library, date(2030, 6, 1)) == {}
    assert list(api.plan_schemas(library, date(2031, 1, 1))) == ["isp"]
    with pytest.raises(DocumentError) as refused:
        api.check(plans["named"], as_of=date(2030, 6, 1), standards=library)
    assert [d.code for d in refused.value.diagnostics] == ["NIS-D102"]
    assert _status(api.check(plans["named"], as_of=date(2031, 1, 1), standards=library)) == "pass"
    assert _status(api.check(plans["without"], as_of=date(2030, 6, 1), standards=library), "KW-0") == "pass"
    with pytest.raises(DocumentError):
        api.check(plans["without"], as_of=date(2031, 1, 1), standards=library)


def test_a_case_is_held_to_a_case_schema_of_the_standards_own(tmp_path):
    """An ISP and an EHCP judged together make a case document, which matches nis's own case
    schema by construction; standards whose case schema asks for more (here a `panel`) refuse
    the pair with the field's pointer instead of judging it."""
    schema = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["panel"] = {"type": "string"}
    schema["required"] = [*schema["required"], "panel"]
    (tmp_path / "own-case.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "s.nis").write_text(HEADER + textwrap.dedent('''
        plan ehcp "Education, Health and Care Plan" schema "ehcp.schema.json"
        plan case "Case" schema "own-case.schema.json"
        rule CASE-1 "A panel is named" applies to case
          must panel != "" cite "[nis reading] test"
    '''), encoding="utf-8")
    library = api.load_standards(tmp_path)
    isp, ehcp = ROOT / "examples" / "isp-targeted-plus-clean.yaml", ROOT / "examples" / "ehcp-current-clean.yaml"
    with pytest.raises(DocumentError) as refused:
        api.check_case(isp, ehcp, as_of=AS_OF, standards=library)
    assert [(d.code, d.pointer) for d in refused.value.diagnostics] == [("NIS-D101", "/panel")]


def test_the_schema_printed_and_served_is_the_one_plans_are_held_to(own_schema_standards):
    """`nis schema isp --standards DIR` prints the schema those standards hold ISPs to (their
    own), and nis's own without --standards or for a type they do not bind otherwise."""
    own = json.loads((own_schema_standards / "own-isp.schema.json").read_text(encoding="utf-8"))
    nis_isp = (ROOT / "schemas" / "isp.schema.json").read_text(encoding="utf-8")
    runner = CliRunner()
    printed = runner.invoke(main, ["schema", "isp", "--standards", str(own_schema_standards), "--as-of", "2030-06-01"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout) == own and "key_worker" in own["required"]
    assert runner.invoke(main, ["schema", "isp"]).stdout == nis_isp
    assert runner.invoke(main, ["schema", "result", "--standards", str(own_schema_standards)]).stdout == (
        ROOT / "schemas" / "result.schema.json").read_text(encoding="utf-8")
    # The printed schema validates plans as nis does: it refuses the plan nis refuses.
    import jsonschema

    plan = _plain(BASE_ISP)
    assert not jsonschema.Draft202012Validator(json.loads(printed.stdout)).is_valid(plan)
    assert jsonschema.Draft202012Validator(json.loads(printed.stdout)).is_valid({**plan, "key_worker": "Ms Patel"})
    library = api.load_standards(own_schema_standards)
    assert api.schema_text("isp", standards=library, as_of=AS_OF) == printed.stdout
    with pytest.raises(ValueError, match="give as_of"):
        api.schema_text("isp", standards=library)
    # Standards that judge no EHCP have no EHCP schema to give: the answer says so.
    for command in (["schema", "ehcp", "--as-of", "2030-06-01"], ["new", "ehcp"]):
        refused = runner.invoke(main, [*command, "--standards", str(own_schema_standards)])
        assert refused.exit_code == 2 and "NIS-L002" in refused.output, command


def test_a_new_plan_follows_the_schema_the_standards_hold_plans_to(own_schema_standards, tmp_path):
    """`nis new isp --standards DIR` writes the skeleton of the standards' own ISP schema: its
    extra required field is there to fill in, the first line names their schema file, and once
    the empty fields are filled the plan is judged by them."""
    runner = CliRunner()
    written = runner.invoke(main, ["new", "isp", "--standards", str(own_schema_standards), "--created", "2030-05-01"])
    assert written.exit_code == 0, written.output
    lines = written.stdout.splitlines()
    assert lines[0] == f"# yaml-language-server: $schema={(own_schema_standards / 'own-isp.schema.json').resolve()}"
    assert "# key_worker (required)." in lines and "key_worker:" in lines
    # Where it points for every field, the command prints that schema, not nis's.
    assert f"nis schema isp --standards {own_schema_standards}` has every field." in written.stdout.replace("\n# ", " ")
    plain = runner.invoke(main, ["new", "isp", "--created", "2030-05-01"]).stdout
    assert "key_worker" not in plain and "`nis schema isp` has every field." in plain.replace("\n# ", " ")
    # Left empty, the field is one of those `nis check` asks for; filled, the plan is judged.
    path = tmp_path / "new.yaml"
    path.write_text(written.stdout, encoding="utf-8")
    checked = runner.invoke(main, ["check", str(path), "--standards", str(own_schema_standards),
                                   "--as-of", AS_OF.isoformat()])
    assert checked.exit_code == 2 and "/key_worker" in checked.output
    # A schema the scaffold cannot follow everywhere (a part that is `true`, one that nests itself) still
    # gives a skeleton.
    schema = json.loads((own_schema_standards / "own-isp.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["team"] = {"type": "object", "required": ["deputy"], "properties": {
        "lead": True, "deputy": {"$ref": "#/properties/team"}}}
    schema["required"] = [*schema["required"], "team"]
    (own_schema_standards / "own-isp.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    nested = runner.invoke(main, ["new", "isp", "--standards", str(own_schema_standards)])
    assert nested.exit_code == 0, nested.output
    assert "deputy:" in nested.stdout and "# lead (optional)." in nested.stdout


def test_a_diff_names_each_field_the_plan_schema_adds_drops_or_changes(own_schema_standards, tmp_path):
    """`nis diff` between standards on nis's own ISP schema and standards on their own lists the
    fields that changed, down to the fields of list items, in words."""
    schema = json.loads((own_schema_standards / "own-isp.schema.json").read_text(encoding="utf-8"))
    schema["required"].remove("next_review")
    needs = schema["$defs"]["need"] if "$defs" in schema and "need" in schema["$defs"] else None
    assert needs is not None, "the ISP schema keeps a need's fields under $defs/need"
    needs["properties"]["severity"] = {"type": ["integer", "null"], "minimum": 1, "maximum": 5}
    (own_schema_standards / "own-isp.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    old = tmp_path / "old"
    old.mkdir()
    (old / "s.nis").write_text(HEADER + RULES.replace("key_worker != \"unknown\"", "layer is present"),
                               encoding="utf-8")
    shown = CliRunner().invoke(main, ["diff", str(old), str(own_schema_standards), "--as-of", AS_OF.isoformat(),
                                      "--format", "json"])
    assert shown.exit_code == 0, shown.output
    (plan,) = [c for c in json.loads(shown.stdout)["changes"] if c["kind"] == "plan"]
    aspects = {a["aspect"]: (a["old"], a["new"]) for a in plan["aspects"]}
    assert aspects["schema"] == ("isp.schema.json", "own-isp.schema.json")
    assert aspects["field /key_worker"] == (None, "a text, required")
    assert aspects["field /next_review"] == ("a date, required", "a date, optional")
    assert aspects["field /needs[]/severity"] == ("a number, required", "a number, required, may be null")
    page = tmp_path / "diff.html"  # the page for a policy meeting lists them too
    CliRunner().invoke(main, ["diff", str(old), str(own_schema_standards), "--as-of", AS_OF.isoformat(),
                              "--format", "html", "--out", str(page)])
    assert "field /key_worker" in page.read_text(encoding="utf-8")
    same = CliRunner().invoke(main, ["diff", str(own_schema_standards), str(own_schema_standards), "--as-of",
                                     AS_OF.isoformat(), "--format", "json"])
    assert json.loads(same.stdout)["changes"] == []


LISTED_RULES = textwrap.dedent('''
    rule CD-1 "No closure day falls after the next review" must
      every d in closure_days satisfies d <= next_review
      cite "[nis reading] test"
    rule CD-2 "The next review is not on a closure day" must
      not (next_review in closure_days)
      cite "[nis reading] test"
    rule CD-3 "The earliest closure day is before the next review" must
      min of d for d in closure_days < next_review
      cite "[nis reading] test"
    rule BL-1 "Every block of sessions runs at least 3 weeks" must
      every b in session_blocks satisfies b >= 21 days
      cite "[nis reading] test"
    rule TERM-1 "Some term's closure days include the next review" should
      some term in closure_days_by_term satisfies next_review in term
      cite "[nis reading] test"
''')


@pytest.fixture
def listed_standards(tmp_path) -> Path:
    """Standards whose own ISP schema has lists of dates, of lists of dates, and of week counts."""
    schema = json.loads((ROOT / "schemas" / "isp.schema.json").read_text(encoding="utf-8"))
    date_item = {"type": "string", "format": "date"}
    schema["properties"]["closure_days"] = {"type": "array", "items": date_item, "minItems": 1}
    schema["properties"]["closure_days_by_term"] = {"type": "array", "items": {"type": "array", "items": date_item}}
    schema["properties"]["session_blocks"] = {"type": "array", "items": {"type": "integer", "x-unit": "weeks"}}
    schema["required"] = [*schema["required"], "closure_days", "session_blocks"]
    folder = tmp_path / "listed"
    folder.mkdir()
    (folder / "own-isp.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (folder / "s.nis").write_text(HEADER.replace('"isp.schema.json"', '"own-isp.schema.json"') + LISTED_RULES,
                                  encoding="utf-8")
    return folder


@pytest.mark.parametrize("explained", [False, True])
@pytest.mark.parametrize(("closures", "blocks", "by_term", "expected"), [
    # The next review is 2030-07-15: each date rule either side of it.
    (["2030-07-14"], [3], [], {"CD-1": "pass", "CD-2": "pass", "CD-3": "pass", "BL-1": "pass", "TERM-1": "fail"}),
    (["2030-07-15"], [3], [["2030-07-15"]],
     {"CD-1": "pass", "CD-2": "fail", "CD-3": "fail", "BL-1": "pass", "TERM-1": "pass"}),
    (["2030-07-16", "2030-07-01"], [2, 4], [["2030-07-14"], ["2030-07-16"]],
     {"CD-1": "fail", "CD-2": "pass", "CD-3": "pass", "BL-1": "fail", "TERM-1": "fail"}),
])
def test_lists_of_dates_and_of_week_counts_are_read_as_dates_and_days(listed_standards, closures, blocks, by_term,
                                                                        expected, explained):
    """Items of a list read straight from a plan are what a single field of their kind is:
    dates, not their ISO text (comparing text with a date stopped the check with an internal
    error), and week counts in days (3 weeks is 21 days: read as 3, a block of 4 weeks failed
    `b >= 21 days`)."""
    plan = {**_plain(BASE_ISP), "closure_days": closures, "session_blocks": blocks,
            "closure_days_by_term": by_term}
    standards = api.load_standards(listed_standards)
    judge = api.explain if explained else api.check
    result = judge(plan, as_of=AS_OF, standards=standards)
    assert {f["rule"]: f["status"] for f in result["findings"]} == expected
    assert all(f["citations"] == [{"text": "[nis reading] test", "url": None}] for f in result["findings"])
    if explained:
        blocks_node = next(f for f in result["findings"] if f["rule"] == "BL-1")["trace"]["requirement"]
        assert blocks_node["children"][0]["display"] == "[" + ", ".join(
            f"{n} week" + ("s" if n != 1 else "") for n in blocks) + "]"


def test_a_plan_with_lists_of_dates_is_checked_from_the_command_line(listed_standards, tmp_path):
    plan = {**_plain(BASE_ISP), "closure_days": ["2030-07-16"], "session_blocks": [4]}
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    done = CliRunner().invoke(main, ["check", str(path), "--standards", str(listed_standards),
                                     "--as-of", "2030-06-01", "--format", "json"])
    assert done.exit_code == 1, done.output  # CD-1 fails: a requirement not met, not an internal error
    result = json.loads(done.output)
    assert {f["rule"]: f["status"] for f in result["findings"]}["CD-1"] == "fail"
    assert "closure_days/0" in next(f["message"] for f in result["findings"] if f["rule"] == "CD-1")


def test_a_diff_names_the_rules_and_decisions_that_read_a_changed_field(tmp_path):
    """A field of the plan schema changed (here: `next_review` made optional, a need's `severity`
    may be null) may change what rules that read it decide, though their text is the same:
    `nis diff` lists each rule and determination that reads it, directly or through a
    definition or determination, and none that does not."""
    rules = textwrap.dedent('''
        define severe_needs "Needs of severity 4 or more" applies to isp =
          list of n for n in needs where n.severity >= 4
        determination review_due "Whether a review is due"
          applies to isp
          case true when next_review <= as_of because "The review date has come."
          otherwise false because "It has not."
        rule R-NEXT "The next review is set" must next_review is present cite "[nis reading] test"
        rule R-SEV "Every need has a severity" must every n in needs satisfies n.severity >= 1
          cite "[nis reading] test"
        rule R-DEF "Every severe need is described" must every n in severe_needs satisfies n.description != ""
          cite "[nis reading] test"
        rule R-DUE "A review that is due is held" should not review_due cite "[nis reading] test"
        rule R-OTHER "The plan has a date" must created is present cite "[nis reading] test"
    ''')
    schema = json.loads((ROOT / "schemas" / "isp.schema.json").read_text(encoding="utf-8"))
    schema["required"].remove("next_review")
    schema["$defs"]["need"]["properties"]["severity"] = {"type": ["integer", "null"], "minimum": 1, "maximum": 5}
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "s.nis").write_text(HEADER + rules, encoding="utf-8")
    (new / "own-isp.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (new / "s.nis").write_text(HEADER.replace('"isp.schema.json"', '"own-isp.schema.json"') + rules,
                               encoding="utf-8")
    shown = CliRunner().invoke(main, ["diff", str(old), str(new), "--as-of", AS_OF.isoformat(), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    impacted = {(i["kind"], i["name"]): i["through"] for i in json.loads(shown.stdout)["impacted"]}
    assert impacted == {
        ("rule", "R-NEXT"): ["isp field /next_review"],
        ("rule", "R-SEV"): ["isp field /needs[]/severity"],
        ("rule", "R-DEF"): ["isp field /needs[]/severity"],  # through the definition's filter
        ("determination", "review_due"): ["isp field /next_review"],
        ("rule", "R-DUE"): ["isp field /next_review"],  # through the determination
    }
    text = CliRunner().invoke(main, ["diff", str(old), str(new), "--as-of", AS_OF.isoformat()])
    assert "R-NEXT" in text.output and "(through isp field /next_review)" in text.output


_UNITS_RULES = textwrap.dedent('''
    define kept_days "Listed days on or after the plan's date" applies to isp =
      list of d for d in d_list where d >= created
    rule F-1 "a" must every d in d_list satisfies d <= next_review + 2 weeks cite "c"
    rule F-2 "b" must some row in d_nested satisfies some d in row satisfies d > created cite "c"
    rule F-3 "c" must (sum of w for w in w_list) >= 21 days cite "c"
    rule F-4 "d" should y_num * 2 >= 4 years cite "c"
    rule F-5 "e" must every m in m_list satisfies m <= 24 months cite "c"
    rule F-6 "f" must opt_date is missing or opt_date >= created cite "c"
    rule F-7 "g" must (max of h for h in hrs_list) <= 10 hours per week cite "c"
    rule F-8 "h" must every b in blocks satisfies (b.weeks is missing or b.start + b.weeks <= next_review + 52 weeks)
      cite "c"
    rule F-9 "i" must every b in blocks satisfies every d in b.days_off satisfies d >= b.start cite "c"
    rule F-10 "j" must next_review not in d_list cite "c"
    rule F-11 "k" must count of kept_days <= 3 cite "c"
    rule F-12 "l" must (min of d for d in d_list) - created <= 400 days cite "c"
    rule F-13 "m" must days_covered(list of b.start for b in blocks, list of b.start + 1 week for b in blocks,
      created, next_review) <= 200 days cite "c"
    rule F-14 "n" must (list of w for w in w_list) != [3 weeks] cite "c"
    rule F-16 "p" must (sum of m for m in m_list) < 10 years cite "c"
    rule F-17 "q" must every x in n_list satisfies x >= 1 cite "c"
''')


def _units_schema() -> dict:
    """nis's ISP schema with fields of every kind a list or a unit gives: lists of dates (and of
    lists of them), of week, month and hour counts, of numbers that may be null, a number of
    years, a date that may be null, and records holding a date, a week count and a list of dates."""
    schema = json.loads((ROOT / "schemas" / "isp.schema.json").read_text(encoding="utf-8"))
    day = {"type": "string", "format": "date"}

    def listed(item: dict, most: int = 4) -> dict:
        return {"type": "array", "items": item, "maxItems": most}

    schema["properties"].update({
        "d_list": listed(day), "d_nested": listed(listed(day, 3), 3),
        "w_list": listed({"type": "integer", "minimum": 0, "maximum": 60, "x-unit": "weeks"}),
        "m_list": listed({"type": "integer", "minimum": 0, "maximum": 40, "x-unit": "months"}),
        "hrs_list": listed({"type": "number", "minimum": 0, "maximum": 40, "x-unit": "hours per week"}),
        "y_num": {"type": "number", "minimum": 0, "maximum": 30, "x-unit": "years"},
        "opt_date": {"type": ["string", "null"], "format": "date"},
        "n_list": listed({"type": ["integer", "null"], "minimum": 0, "maximum": 3}),
        "blocks": listed({"type": "object", "additionalProperties": False, "required": ["start"], "properties": {
            "start": day, "weeks": {"type": "integer", "minimum": 1, "maximum": 20, "x-unit": "weeks"},
            "days_off": listed(day, 3)}}),
    })
    return schema


def _units_expected(plan: dict) -> dict[str, str]:
    """What the rules with a plain answer decide, worked out here in Python from the plan's text."""
    day, out = date.fromisoformat, {}
    review = day(plan["next_review"])
    if "d_list" in plan:
        out["F-1"] = "pass" if all((day(d) - review).days <= 14 for d in plan["d_list"]) else "fail"
        out["F-10"] = "fail" if plan["next_review"] in plan["d_list"] else "pass"
    if "w_list" in plan:
        out["F-3"] = "pass" if sum(plan["w_list"]) * 7 >= 21 else "fail"
        out["F-14"] = "fail" if [w * 7 for w in plan["w_list"]] == [21] else "pass"
    if "y_num" in plan:
        out["F-4"] = "pass" if Decimal(str(plan["y_num"])) >= 2 else "fail"
    if "m_list" in plan:
        out["F-5"] = "pass" if all(m <= 24 for m in plan["m_list"]) else "fail"
        out["F-16"] = "pass" if sum(plan["m_list"]) < 120 else "fail"
    if plan.get("hrs_list"):
        out["F-7"] = "pass" if max(Decimal(str(h)) for h in plan["hrs_list"]) <= 10 else "fail"
    if "opt_date" in plan:
        out["F-6"] = "pass" if plan["opt_date"] is None or day(plan["opt_date"]) >= day(plan["created"]) else "fail"
    if "n_list" in plan:  # a null item is not recorded: the list cannot be judged
        out["F-17"] = ("cannot_judge" if None in plan["n_list"] else
                       "pass" if all(x >= 1 for x in plan["n_list"]) else "fail")
    return out


@functools.cache
def _units_folder() -> tempfile.TemporaryDirectory[str]:
    """The standards of the property test below, written once (removed when the run ends)."""
    folder = tempfile.TemporaryDirectory(prefix="nis-units-")
    (Path(folder.name) / "own-isp.schema.json").write_text(json.dumps(_units_schema()), encoding="utf-8")
    (Path(folder.name) / "s.nis").write_text(HEADER.replace('"isp.schema.json"', '"own-isp.schema.json"')
                                             + _UNITS_RULES, encoding="utf-8")
    return folder


def _units_standards() -> api.StandardsLibrary:
    return api.load_standards(Path(_units_folder().name))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_lists_and_units_read_from_a_plan_decide_as_worked_out_by_hand(data):
    """Standards on their own schema, with rules over lists of dates, of lists of dates, of
    amounts in weeks, months and hours, a number of years, a date that may be null and records
    of them: every plan the schema allows is judged without an internal error, a check and an
    explanation agree on every rule, and the rules with a plain answer decide what Python,
    reading the plan's text, works out."""
    standards = _units_standards()
    plan = data.draw(schema_strategies.from_schema(_units_schema()))
    raw = schema_strategies.to_json(plan)
    document = api.load_document(raw, source="plan.json", schemas=api.plan_schemas(standards, AS_OF))
    checked = api.check(document, as_of=AS_OF, standards=standards)
    explained = api.explain(document, as_of=AS_OF, standards=standards)
    statuses = {f["rule"]: f["status"] for f in checked["findings"]}
    assert statuses == {f["rule"]: f["status"] for f in explained["findings"]}
    for rule, expected in _units_expected(json.loads(raw)).items():
        event(f"{rule} {expected}")
        assert statuses[rule] == expected, rule


@pytest.mark.parametrize("explained", [False, True])
@pytest.mark.parametrize(("values", "expected"), [
    ({"counts": [3, 2], "blocks": [2], "days": ["2030-07-20"], "words": ["a"]},
     {"N-1": "pass", "N-2": "pass", "N-3": "pass", "N-4": "pass", "N-5": "pass"}),
    ({"counts": [3, 1], "blocks": [1], "days": ["2029-01-01"], "words": ["b"]},
     {"N-1": "fail", "N-2": "fail", "N-3": "fail", "N-4": "pass", "N-5": "fail"}),
    ({"counts": [None, 3], "blocks": [None], "days": [None], "words": [None, "b"]},
     {"N-1": "cannot_judge", "N-2": "cannot_judge", "N-3": "cannot_judge", "N-4": "cannot_judge",
      "N-5": "cannot_judge"}),
])
def test_a_list_with_a_null_item_cannot_be_judged(tmp_path, values, expected, explained):
    """A plan schema of a standards folder's own may let a list's items be null. Such an item is
    a fact the plan does not record, so a rule reading the list cannot be judged (the null `b`
    might be the `a` looked for). Before, comparing it stopped the check with an internal error."""
    schema = json.loads((ROOT / "schemas" / "isp.schema.json").read_text(encoding="utf-8"))
    schema["properties"].update({
        "counts": {"type": "array", "items": {"type": ["integer", "null"]}},
        "blocks": {"type": "array", "items": {"type": ["integer", "null"], "x-unit": "weeks"}},
        "days": {"type": "array", "items": {"type": ["string", "null"], "format": "date"}},
        "words": {"type": "array", "items": {"type": ["string", "null"]}},
    })
    (tmp_path / "own-isp.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "s.nis").write_text(HEADER.replace('"isp.schema.json"', '"own-isp.schema.json"') + textwrap.dedent('''
        rule N-1 "a" must every x in counts satisfies x >= 2 cite "c"
        rule N-2 "b" must every w in blocks satisfies w >= 14 days cite "c"
        rule N-3 "c" must every d in days satisfies d >= created cite "c"
        rule N-4 "d" must (sum of x for x in counts) >= 2 cite "c"
        rule N-5 "e" must "a" in words cite "c"
    '''), encoding="utf-8")
    standards = api.load_standards(tmp_path)
    judge = api.explain if explained else api.check
    result = judge({**_plain(BASE_ISP), **values}, as_of=AS_OF, standards=standards)
    assert {f["rule"]: f["status"] for f in result["findings"]} == expected
    for finding in result["findings"]:
        if finding["status"] == "cannot_judge":
            assert finding["missing"] and finding["message"].startswith("Cannot be judged")
