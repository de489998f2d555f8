"""Reading and validating ISP and EHCP documents, through the public API of `documents`."""
from __future__ import annotations

import json
import re
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inclusion_standards.diagnostics import DocumentError
from inclusion_standards.documents import (
    MAX_ALIASES,
    MAX_BYTES,
    LoadedDocument,
    detect_document_type,
    document_schema,
    load_document,
    parse_document,
    validate_document,
)
from schema_strategies import from_schema, mutated, to_json, to_yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PEERS = Path("/work/shared/bench/peers")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def refused(raw: bytes | str | Path, **kwargs) -> tuple:
    """The diagnostics `load_document` raises for `raw` (fails the test if it loads)."""
    with pytest.raises(DocumentError) as caught:
        load_document(raw, **kwargs)
    return caught.value.diagnostics


def codes(diagnostics: tuple) -> list[str]:
    return [d.code for d in diagnostics]


def minimal_isp(**changes) -> dict:
    doc = {
        "id": "ISP-1", "child": {"dob": "2021-11-14", "year_group": 3},
        "setting": {"urn": "990214", "phase": "primary", "type": "mainstream"},
        "layer": "targeted", "created": "2029-09-24", "last_review": "2030-02-10",
        "next_review": "2030-07-06", "coproduced_with": ["parent"],
        "needs": [{"area": "cognition_and_learning", "severity": 3, "description": "Reading"}],
        "outcomes": [], "provision": [], "external_advice": [], "ehcp_ref": None,
    }
    doc.update(changes)
    return doc


# ----------------------------------------------------------------------------- examples

GOOD = sorted(p for p in EXAMPLES.glob("*.*") if p.suffix in (".yaml", ".json"))


def test_there_are_at_least_fourteen_examples_and_three_broken_ones():
    assert len(GOOD) >= 14
    assert len(list((EXAMPLES / "broken").glob("*.*"))) >= 3


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_every_example_loads_as_the_type_its_name_says(path):
    loaded = load_document(path)
    assert isinstance(loaded, LoadedDocument)
    assert loaded.document_type == path.name.split("-")[0]
    assert loaded.source == str(path)
    assert re.fullmatch("[0-9a-f]{64}", loaded.sha256)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_every_example_is_listed_in_the_examples_readme(path):
    assert f"`{path.name}`" in (EXAMPLES / "README.md").read_text(encoding="utf-8")


BROKEN = {
    "invalid-date.yaml": [("NIS-D105", "/created", 11), ("NIS-D105", "/outcomes/0/target_date", 25)],
    "misspelt-field.yaml": [("NIS-D102", "/last_reveiw", 12),
                            ("NIS-D102", "/provision/0/hours_per_wek", 31)],
    "wrong-type-missing-field.json": [
        ("NIS-D101", "/layer", 1), ("NIS-D103", "/child/year_group", 4),
        ("NIS-D103", "/setting/urn", 5), ("NIS-D103", "/needs/0/severity", 11),
        ("NIS-D103", "/provision/0/hours_per_week", 18),
        ("NIS-D103", "/provision/0/evidence_based", 18)],
    "malformed.yaml": [("NIS-D011", None, 16)],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_examples_are_refused_with_codes_pointers_and_lines(name):
    found = refused(EXAMPLES / "broken" / name)
    assert [(d.code, d.pointer, d.span.line) for d in found] == BROKEN[name]
    for d in found:
        assert d.source == str(EXAMPLES / "broken" / name)
        assert d.hint and d.source_line is not None


def test_broken_examples_say_how_to_fix_them():
    date_hint = refused(EXAMPLES / "broken" / "invalid-date.yaml")[0].hint
    assert date_hint == "dates are written YYYY-MM-DD, e.g. 2027-02-28; 31 February does not exist"
    misspelt = refused(EXAMPLES / "broken" / "misspelt-field.yaml")
    assert misspelt[0].hint == "did you mean `last_review`?"
    assert "`hours_per_week` is required and is missing" in misspelt[1].hint
    wrong = {d.pointer: d for d in refused(EXAMPLES / "broken" / "wrong-type-missing-field.json")}
    assert wrong["/provision/0/hours_per_week"].expected.startswith("a number of hours per week")
    assert "`targeted_plus`" in wrong["/layer"].expected
    assert "quotes" in wrong["/setting/urn"].hint


def test_json_positions_point_at_the_value_not_the_key():
    found = refused(EXAMPLES / "broken" / "wrong-type-missing-field.json")
    hours = next(d for d in found if d.pointer == "/provision/0/hours_per_week")
    assert hours.source_line[hours.span.column - 1:hours.span.end_column] == '"2 hours"'


# ----------------------------------------------------------------------------- detection


def test_document_type_is_explicit_first_then_sections_then_isp():
    assert detect_document_type({"document_type": "ehcp"}) == "ehcp"
    assert detect_document_type({"document_type": "isp", "sections": {}}) == "isp"
    assert detect_document_type({"sections": {}}) == "ehcp"
    assert detect_document_type({}) == "isp"
    assert detect_document_type({"document_type": "EHCP", "sections": {}}) == "ehcp"


def test_a_miscapitalised_document_type_is_reported_with_the_right_spelling():
    doc = minimal_isp(document_type="ISP")
    (problem,) = refused(json.dumps(doc).encode())
    assert (problem.code, problem.pointer, problem.hint) == ("NIS-D104", "/document_type",
                                                             "did you mean `isp`?")


def test_an_explicit_type_overrides_detection():
    found = refused(json.dumps(minimal_isp()).encode(), document_type="ehcp")
    assert "NIS-D101" in codes(found) and "NIS-D102" in codes(found)
    with pytest.raises(ValueError):
        load_document(b"{}", document_type="iep")


# ----------------------------------------------------------------------------- parsing


def test_non_integer_numbers_are_decimals_and_integers_ints_in_both_formats():
    for raw in (b"a: 2.75\nb: 3\nc: 1e3\n", b'{"a": 2.75, "b": 3, "c": 1e3}'):
        data = parse_document(raw)
        assert data == {"a": Decimal("2.75"), "b": 3, "c": Decimal("1E+3")}
        assert type(data["a"]) is Decimal and type(data["b"]) is int


def test_dates_stay_text_and_yaml_reads_with_the_yaml_1_2_core_rules():
    data = parse_document(b"d: 2027-01-05\nr: 1:1\ny: yes\nn: no\no: 0o17\nt: True\nz: ~\ne:\n")
    assert data == {"d": "2027-01-05", "r": "1:1", "y": "yes", "n": "no", "o": 15, "t": True,
                    "z": None, "e": None}


@pytest.mark.parametrize("written, value", [
    ("true", True), ("FALSE", False), ("tRUE", "tRUE"), ("yes", "yes"), ("on", "on"),
    ("12", 12), ("-3", -3), ("+4", 4), ("0x1F", 31), ("0o17", 15), ("017", 17), ("0b11", "0b11"),
    ("2.5", Decimal("2.5")), (".5", Decimal("0.5")), ("-1.5e2", Decimal("-1.5E+2")), ("1_000", "1_000"),
    ("~", None), ("null", None), ("Null", None), ("nULL", "nULL"), ("", None),
    ("2027-01-05", "2027-01-05"), ("12:30", "12:30"), ("3 hours", "3 hours"), ("-x", "-x"),
    ("'12'", "12"), ('"true"', "true"), ("'~'", "~"), ('""', ""), ("!!str 12", "12"),
])
def test_each_yaml_scalar_is_read_by_the_yaml_1_2_core_rules(written, value):
    """Plain scalars are tried against the core schema's patterns by their first character;
    quoted and tagged ones are what they say."""
    data = parse_document(f"v: {written}\n".encode())
    assert data == {"v": value} and type(data["v"]) is type(value)


def test_json_and_yaml_of_every_example_give_equal_data_and_validity():
    for path in GOOD:
        loaded = load_document(path)
        for raw in (to_json(loaded.data), to_yaml(loaded.data)):
            again = load_document(raw)
            assert again.data == loaded.data and again.document_type == loaded.document_type


def test_a_jsonl_line_loads_from_bytes_with_a_caller_label():
    line = (EXAMPLES / "isp-targeted-clean.yaml").read_bytes()
    doc = load_document(to_json(load_document(line).data).replace(b"\n", b""),
                        source="batch.jsonl:7")
    assert doc.source == "batch.jsonl:7" and doc.document_type == "isp"


def test_flow_style_yaml_that_is_not_json_still_loads():
    assert parse_document(b"{a: 1, b: [x, y]}") == {"a": 1, "b": ["x", "y"]}
    (problem,) = refused(b"{a: 1}", source="plan.json")
    assert problem.code == "NIS-D010"


@pytest.mark.parametrize("raw, code, line", [
    (b'a: 1\nb: 2\na: 3\n', "NIS-D012", 3),
    (b'{"a": 1,\n "b": {"c": 1, "c": 2}}', "NIS-D012", 2),
])
def test_duplicate_keys_are_refused_with_their_line(raw, code, line):
    (problem,) = refused(raw)
    assert (problem.code, problem.span.line) == (code, line)
    assert "line" in problem.hint


def test_every_duplicate_key_is_reported():
    found = refused(b"a: 1\na: 2\nb:\n  c: 1\n  c: 2\n")
    assert [(d.code, d.pointer) for d in found] == [("NIS-D012", "/a"), ("NIS-D012", "/b/c")]


def test_json_syntax_errors_give_line_and_column():
    (problem,) = refused(b'{\n  "id": "x",\n  "layer": "targeted",\n}', source="plan.json")
    assert (problem.code, problem.span.line, problem.span.column) == ("NIS-D010", 4, 1)
    assert "trailing comma" in problem.hint


def test_yaml_syntax_errors_give_line_and_a_hint():
    (problem,) = refused(b"a:\n\tb: 1\n")
    assert (problem.code, problem.span.line) == ("NIS-D011", 2)
    assert "tabs" in problem.hint


@pytest.mark.parametrize("raw, code", [
    (b"", "NIS-D001"), (b"  \n\t\n", "NIS-D001"), (b"# just a comment\n", "NIS-D001"),
    (b"\xff\xfei\x00d\x00:\x00", "NIS-D003"), (b"i\x00d\x00:\x00 \x001\x00", "NIS-D003"),
    (b"\x00\x00\xfe\xff", "NIS-D003"), (b"id: caf\xe9\n", "NIS-D003"),
    (b"id: 1\x00\n", "NIS-D004"), (b"%PDF-1.7\n", "NIS-D004"), (b"PK\x03\x04rest", "NIS-D004"),
    (b"- a\n- b\n", "NIS-D020"), (b"just text\n", "NIS-D020"), (b"[1, 2]", "NIS-D020"),
    (b"null", "NIS-D020"), (b"a: 1\n---\nb: 2\n", "NIS-D016"), (b"a: !!binary aGk=\n", "NIS-D017"),
    (b"a: !custom x\n", "NIS-D017"), (b"? [a]\n: 1\n", "NIS-D017"), (b"a: .nan\n", "NIS-D018"),
    (b'{"a": Infinity}', "NIS-D018"), (b"a: *nowhere\n", "NIS-D011"),
])
def test_unreadable_input_gets_one_clear_diagnostic(raw, code):
    found = refused(raw)
    assert codes(found) == [code]
    assert found[0].hint


def test_utf16_is_named_and_latin1_is_located():
    (utf16,) = refused("id: x\n".encode("utf-16"))
    assert "UTF-16" in utf16.message
    (latin1,) = refused("id: x\nname: Zoë\n".encode("latin-1"))
    assert (latin1.span.line, latin1.span.column) == (2, 9)


def test_a_utf8_byte_order_mark_is_accepted():
    assert parse_document(b"\xef\xbb\xbfa: 1\n") == {"a": 1}
    assert parse_document(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}


def test_files_over_the_size_limit_are_refused_before_parsing(tmp_path):
    big = b"a: " + b"x" * MAX_BYTES
    start = time.perf_counter()
    assert codes(refused(big)) == ["NIS-D002"]
    path = tmp_path / "big.yaml"
    path.write_bytes(big)
    assert codes(refused(path)) == ["NIS-D002"]
    assert time.perf_counter() - start < 1.0


def test_a_missing_file_or_a_folder_is_reported(tmp_path):
    assert codes(refused(tmp_path / "nope.yaml")) == ["NIS-D005"]
    assert codes(refused(tmp_path)) == ["NIS-D005"]


# ----------------------------------------------------------------------------- hostile input


def billion_laughs(levels: int = 9) -> bytes:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines).encode()


def test_billion_laughs_is_refused_quickly():
    start = time.perf_counter()
    found = refused(billion_laughs())
    assert time.perf_counter() - start < 1.0
    assert codes(found) == ["NIS-D015"]


def test_too_many_aliases_are_refused():
    raw = "a: &x 1\nb: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    assert codes(refused(raw.encode())) == ["NIS-D014"]
    assert codes(refused(b"a: &x [1, *x]\n")) == ["NIS-D014"]


def test_a_few_aliases_are_fine_and_copied_out():
    data = parse_document(b"base: &b {area: cognition_and_learning}\nother: *b\n")
    assert data["other"] == data["base"] and data["other"] is not data["base"]


@pytest.mark.parametrize("raw", [
    b"[" * 100_000, b"{" * 100_000, b'{"a":' * 100_000, b"a: " + b"[" * 100_000,
    b"".join(b"  " * i + b"- x:\n" for i in range(2_000)),
])
def test_deep_nesting_is_refused_quickly_without_recursion_errors(raw):
    start = time.perf_counter()
    assert codes(refused(raw)) == ["NIS-D013"]
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("inner", ["[1]", "{}", '{"b": "]]]] }}}} [[ {{"}', "[]"])
def test_well_formed_json_one_level_too_deep_is_refused_where_it_goes_too_deep(inner):
    """64 levels of lists and objects are read; the 65th is refused at its bracket, whatever
    brackets the texts inside hold. `inner` is one level, so 63 around it are just within."""
    within = '{"id": "x",\n "a":\n ' + "[" * 62 + inner + "]" * 62 + "}"
    assert parse_document(within.encode(), source="plan.json")["id"] == "x"
    beyond = '{"id": "x",\n "a":\n ' + "[" * 63 + inner + "]" * 63 + "}"
    (problem,) = refused(beyond.encode(), source="plan.json")
    assert (problem.code, problem.span.line, problem.span.column) == ("NIS-D013", 3, 65)


@given(st.lists(st.tuples(st.booleans(), st.text("[]{}\"\\ ab", max_size=6)), min_size=60, max_size=70))
@FAST
def test_json_is_refused_exactly_when_it_nests_more_than_64_levels(levels):
    """Each level is a list or an object, beside a text that may hold brackets and quotes."""
    inner: object = 1
    for is_list, text in reversed(levels):
        inner = [text, inner] if is_list else {"t": text, "v": inner}
    raw = json.dumps({"id": "x", "a": inner}).encode()
    if len(levels) + 1 > 64:
        assert codes(refused(raw, source="plan.json")) == ["NIS-D013"]
    else:
        assert parse_document(raw, source="plan.json")["a"] == inner


def test_json_nested_too_deep_is_refused_before_its_other_problems():
    deep = '{"a": ' + "[" * 70 + "1" + "]" * 70
    for broken in (deep + ',}', deep + ', "a": 2}', deep.replace("1", "1e999999")):
        assert codes(refused(broken.encode(), source="plan.json")) == ["NIS-D013"]


def test_aliases_cannot_smuggle_in_extra_depth():
    nested = "a0: &a0 " + "[" * 40 + "1" + "]" * 40 + "\n"
    nested += "a1: &a1 " + "[" * 40 + "*a0" + "]" * 40 + "\n"
    assert codes(refused(nested.encode())) == ["NIS-D013"]


@given(st.binary(max_size=400))
@FAST
def test_arbitrary_bytes_raise_nothing_but_document_error(raw):
    try:
        load_document(raw)
    except DocumentError as exc:
        assert exc.diagnostics and all(d.code.startswith("NIS-D") for d in exc.diagnostics)


@given(st.text(alphabet=st.sampled_from(list("{}[]:,-&*!|>'\"#? \n\tab01.~%@`")), max_size=60))
@FAST
def test_arbitrary_yaml_and_json_punctuation_raises_nothing_but_document_error(text):
    try:
        load_document(text.encode())
    except DocumentError:
        pass


# ----------------------------------------------------------------------------- validation

SCHEMAS = {kind: document_schema(kind) for kind in ("isp", "ehcp")}


@pytest.mark.parametrize("kind", ["isp", "ehcp"])
@given(data=st.data())
@FAST
def test_documents_generated_from_the_schema_validate_in_both_formats(kind, data):
    doc = data.draw(from_schema(SCHEMAS[kind]))
    assert validate_document(doc, kind) == ()
    from_json, from_yaml = load_document(to_json(doc)), load_document(to_yaml(doc))
    assert from_json.data == from_yaml.data == doc
    assert from_json.document_type == from_yaml.document_type == detect_document_type(doc)


@pytest.mark.parametrize("kind", ["isp", "ehcp"])
@given(data=st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_fast_and_the_full_validator_agree(kind, data):
    doc = data.draw(mutated(SCHEMAS[kind]))
    fast, full = validate_document(doc, kind, fast=True), validate_document(doc, kind, fast=False)
    assert fast == full
    assert "NIS-D199" not in codes(fast)


@pytest.mark.parametrize("kind", ["isp", "ehcp"])
@given(data=st.data())
@FAST
def test_json_and_yaml_of_a_mutated_document_agree_on_validity(kind, data):
    doc = data.draw(mutated(SCHEMAS[kind]))
    if not isinstance(doc, dict):
        return
    outcomes = []
    for raw in (to_json(doc), to_yaml(doc)):
        try:
            outcomes.append(("ok", load_document(raw, document_type=kind).data))
        except DocumentError as exc:
            outcomes.append(("refused", sorted((d.code, d.pointer) for d in exc.diagnostics)))
    assert outcomes[0] == outcomes[1]


def test_every_problem_is_reported_and_sorted_by_position():
    text = (EXAMPLES / "isp-targeted-clean.yaml").read_text(encoding="utf-8")
    text = text.replace("severity: 3", "severity: 9").replace("layer: targeted\ncreated",
                                                              "layer: Targetted\ncreated")
    text = text.replace("hours_per_week: 1.5", "hours_per_week: -1")
    found = refused(text.encode())
    assert codes(found) == ["NIS-D104", "NIS-D106", "NIS-D106"]
    lines = [d.span.line for d in found]
    assert lines == sorted(lines)


def test_a_wrong_value_gets_one_diagnostic_not_a_cascade():
    found = validate_document(minimal_isp(layer=3), "isp")
    assert [(d.code, d.pointer) for d in found] == [("NIS-D103", "/layer")]


def test_integers_with_a_fraction_and_booleans_are_not_whole_numbers():
    doc = minimal_isp(child={"dob": "2021-11-14", "year_group": Decimal("3.5")})
    (problem,) = validate_document(doc, "isp")
    assert problem.code == "NIS-D103" and "fractional" in problem.hint
    doc = minimal_isp(child={"dob": "2021-11-14", "year_group": True})
    assert codes(validate_document(doc, "isp")) == ["NIS-D103"]


@pytest.mark.parametrize("written, shown, whole", [("7.0", "7.0", "7"), ("7.00", "7.00", "7"),
                                                   ("70E-1", "7.0", "7"), ("0.0", "0.0", "0")])
def test_a_whole_number_written_with_a_decimal_point_is_told_to_drop_it(written, shown, whole):
    """Spreadsheets export 7 as 7.0: the hint says to write 7, not that 7.0 has a fraction."""
    raw = json.dumps(minimal_isp(child={"dob": "2021-11-14", "year_group": 0})).replace(
        '"year_group": 0', f'"year_group": {written}')
    (problem,) = refused(raw.encode(), source="plan.json")
    assert problem.code == "NIS-D103" and problem.pointer == "/child/year_group"
    assert problem.hint == f"write the whole number without a decimal point: `{whole}`, not `{shown}`"


@pytest.mark.parametrize("value, hint", [
    ("31/02/2027", "dates are written YYYY-MM-DD, e.g. 2027-02-28; 31 February does not exist"),
    ("2027-02-31", "31 February does not exist; the last day of February 2027 is 2027-02-28"),
    ("2027-02-29", "29 February 2027 does not exist; the last day of February 2027 is 2027-02-28"),
    ("14/02/2027", "dates are written YYYY-MM-DD: write 2027-02-14"),
    ("2027-2-14", "dates are written YYYY-MM-DD: write 2027-02-14"),
    ("14th February", "dates are written YYYY-MM-DD, e.g. 2030-03-14"),
])
def test_date_hints_say_how_to_write_the_date(value, hint):
    (problem,) = validate_document(minimal_isp(created=value), "isp")
    assert (problem.code, problem.hint) == ("NIS-D105", hint)


def test_positions_are_given_when_the_source_text_is():
    text = "id: ISP-1\nlayer: targeted\n"
    found = validate_document(parse_document(text.encode()), "isp", source="p.yaml", text=text)
    assert all(d.span is not None and d.source == "p.yaml" for d in found)
    assert validate_document(parse_document(text.encode()), "isp")[0].span is None


def test_document_schema_returns_a_copy_callers_may_change():
    schema = document_schema("isp")
    schema["properties"].clear()
    assert document_schema("isp")["properties"]
    assert load_document(EXAMPLES / "isp-targeted-clean.yaml")


# ----------------------------------------------------------------------------- the synthetic generator


def test_the_synthetic_generators_documents_validate():
    if not (PEERS / "gen_isps.py").is_file():
        pytest.skip("the shared bench folder is not present")
    sys.path.insert(0, str(PEERS))
    try:
        import gen_isps
    finally:
        sys.path.remove(str(PEERS))
    checked = 0
    for doc, fails in gen_isps.generate(400, 7):
        if "R01" in fails:
            continue
        loaded = load_document(json.dumps(doc).encode(), source=doc["id"])
        assert loaded.document_type == "isp"
        checked += 1
    assert checked > 300
