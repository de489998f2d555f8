"""Hostile and broken plans: what a careless or hostile user can hand `nis check` and `nis batch`.

Each input must end in a clear diagnostic (or one error record in a batch) and exit 2, in
bounded time and memory, and never a Python traceback or an exception in any output format.
Time bounds are generous (several times what nis needs on a loaded CI machine) and far
below what the quadratic or unbounded behaviour they guard against would take.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from inclusion_standards import api
from inclusion_standards.cli import main
from inclusion_standards.documents import load_document
from processes import peak_memory_mib, remove, workspace
from processes import run as run_nis

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
STANDARDS = FIXTURES / "standards"
DOCUMENTS = STANDARDS / "documents"
PASS = DOCUMENTS / "isp-pass.yaml"
AS_OF = ["--as-of", "2030-06-01"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def check(*paths, fmt="text"):
    return run("check", *paths, "--standards", STANDARDS, *AS_OF, "--format", fmt)


def batch(inputs, out, *more):
    return run("batch", *inputs, "--out", out, "--standards", STANDARDS, *AS_OF, *more)


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def plan_text() -> str:
    return PASS.read_text(encoding="utf-8")


def plan_data() -> dict:
    return yaml.safe_load(plan_text())


def refused(raw: bytes, source: str = "plan.yaml") -> list[str]:
    with pytest.raises(api.DocumentError) as caught:
        load_document(raw, source=source)
    return [d.code for d in caught.value.diagnostics]


def no_traceback(result) -> None:
    assert "Traceback" not in result.output and "Error:" not in result.stderr.split("error[")[0]


# ---- files that are not files ------------------------------------------------------------------

@pytest.fixture
def folder():
    """A folder outside pytest's private temporary folder, for the processes started here."""
    made = workspace()
    yield made
    remove(made)


def test_dev_zero_as_a_plan_is_refused_at_once_without_reading_it(folder):
    done, peak, seconds = peak_memory_mib(["check", "/dev/zero", "--standards", STANDARDS, *AS_OF], home=folder,
                                          timeout=60)
    assert done.returncode == 2, done.stderr
    assert "NIS-D006" in done.stderr and "a character device, not a file" in done.stderr
    assert "Traceback" not in done.stderr
    assert peak < 200 and seconds < 30


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(folder):
    pipe = folder / "plan.yaml"
    os.mkfifo(pipe)
    done = run_nis(["check", pipe, "--standards", STANDARDS, *AS_OF], home=folder, timeout=60)
    assert done.returncode == 2 and "NIS-D006" in done.stderr and "named pipe" in done.stderr


def test_named_pipes_in_a_batch_get_an_error_record_each_and_the_batch_ends(folder):
    (folder / "plans").mkdir()
    os.mkfifo(folder / "plans" / "a-pipe.yaml")
    os.mkfifo(folder / "lines.jsonl")
    (folder / "plans" / "b.yaml").write_bytes(PASS.read_bytes())
    out = folder / "out.jsonl"
    done = run_nis(["batch", folder / "plans", folder / "lines.jsonl", "--out", out, "--standards", STANDARDS,
                    *AS_OF], home=folder, timeout=60)
    assert done.returncode == 2, done.stderr
    got = records(out)
    assert [(Path(r["input"]["path"]).name, r["outcome"]) for r in got] == [
        ("a-pipe.yaml", "error"), ("b.yaml", "pass"), ("lines.jsonl", "error")]
    assert got[0]["error"]["diagnostics"][0]["code"] == "NIS-D006"


def test_a_link_to_itself_is_an_error_record_and_a_diagnostic(tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    result = check(loop)
    assert result.exit_code == 2 and "NIS-D005" in result.stderr and "symbolic links" in result.stderr
    out = tmp_path / "out.jsonl"
    assert batch([loop, PASS], out).exit_code == 2
    assert [r["outcome"] for r in records(out)] == ["error", "pass"]


def test_a_jsonl_line_of_100_mb_is_refused_without_being_held_in_memory(folder):
    lines = folder / "plans.jsonl"
    good = json.dumps(plan_data(), default=str).encode()
    with lines.open("wb") as handle:
        handle.write(good + b"\n")
        handle.write(b'{"id": "' + b"x" * (100 * 1024 * 1024) + b'"}\n')
        handle.write(good + b"\n")
    out = folder / "out.jsonl"
    done, peak, seconds = peak_memory_mib(["batch", lines, "--out", out, "--standards", STANDARDS, *AS_OF],
                                          home=folder)
    assert done.returncode == 2, done.stderr
    got = records(out)
    assert [(r["input"]["line"], r["outcome"]) for r in got] == [(1, "pass"), (2, "error"), (3, "pass")]
    assert got[1]["error"]["diagnostics"][0]["code"] == "NIS-D002"
    assert "line 2 is more than 5,242,880 bytes" in got[1]["error"]["reason"]
    assert peak < 100, f"peak memory {peak:.0f} MiB: the long line was held in memory"
    assert seconds < 60


# ---- numbers and text a plan cannot hold ---------------------------------------------------

@pytest.mark.parametrize("written", ["0x" + "f" * 5000, "1" + "0" * 5000, "0o" + "7" * 5000, "1e999999999",
                                     "1e99999999999999999999", "-1e999999999", "1e-999999999",
                                     "1000000000000000000", "0.12345678901234567890123456789"])
def test_numbers_beyond_what_nis_calculates_with_are_refused_in_yaml(written):
    for field in ("year_group: 5", "hours_per_week: 0.75"):
        raw = plan_text().replace(field, f"{field.split(':')[0]}: {written}").encode()
        assert refused(raw) == ["NIS-D018"]


@pytest.mark.parametrize("written", ["1" + "0" * 5000, "1e999999999", "-1e99999999999999999999", "1e-999999999",
                                     "1000000000000000000", "0.12345678901234567890123456789"])
def test_numbers_beyond_what_nis_calculates_with_are_refused_in_json(written):
    data = json.dumps(plan_data(), default=str).replace('"year_group": 5', f'"year_group": {written}')
    assert refused(data.encode(), "plan.json") == ["NIS-D018"]


@pytest.mark.parametrize("written", ["999999999999999999", "0.1234567890123456789012345678", "-1"])
def test_numbers_within_the_limits_are_read_exactly(written):
    raw = plan_text().replace("hours_per_week: 0.75", f"hours_per_week: {written}").encode()
    try:
        load_document(raw, source="plan.yaml")
    except api.DocumentError as exc:  # out of the schema's range: a schema problem, not a number nis cannot hold
        assert [d.code for d in exc.diagnostics] == ["NIS-D106"]
        assert written.lstrip("-") in exc.diagnostics[0].message


def test_a_huge_number_breaks_no_output_format(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text().replace("year_group: 5", "year_group: 0x" + "f" * 5000), encoding="utf-8")
    for fmt in ("text", "json", "html"):
        started = time.perf_counter()
        result = check(path, fmt=fmt)
        assert time.perf_counter() - started < 10
        assert result.exit_code == 2 and "NIS-D018" in result.stderr and "5,002 characters" in result.stderr
        no_traceback(result)
    out = tmp_path / "out.jsonl"
    assert batch([path], out).exit_code == 2
    assert records(out)[0]["error"]["diagnostics"][0]["code"] == "NIS-D018"


@pytest.mark.parametrize("raw, source", [
    (b'{"id": "ISP-\\ud800"}', "plan.json"),
    (b'{"\\udc80": 1}', "plan.json"),
    (b'{"id": "half \\ud83d of a face"}', "plan.json"),
    (b'{"needs": [{"description": "\\udfff"}]}', "plan.json"),
    (b'{"id": "ISP-\\uDBFF"}', "plan.json"),
])
def test_a_lone_surrogate_is_refused_with_where_it_is(raw, source):
    with pytest.raises(api.DocumentError) as caught:
        load_document(raw, source=source)
    first = caught.value.diagnostics[0]
    assert first.code == "NIS-D019" and first.span is not None and "half of a character" in first.message
    first.render().encode("utf-8")  # printable in any output


def test_yaml_refuses_a_lone_surrogate_escape_itself():
    with pytest.raises(api.DocumentError) as caught:
        load_document(b'id: "ISP-\\ud800"\n', source="plan.yaml")
    (only,) = caught.value.diagnostics
    assert only.code == "NIS-D011" and only.span.line == 1 and "escape" in only.message


def test_a_plan_with_a_lone_surrogate_breaks_no_output_format_and_no_record(tmp_path):
    data = plan_data()
    data["child_views"] = "I like \ud83d reading"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")  # json writes the escape \ud83d
    for fmt in ("text", "json", "html"):
        result = check(path, fmt=fmt)
        assert result.exit_code == 2 and "NIS-D019" in result.stderr
        no_traceback(result)
    out = tmp_path / "out.jsonl"
    assert batch([path], out).exit_code == 2
    (record,) = records(out)
    assert record["error"]["diagnostics"][0]["code"] == "NIS-D019"


def test_file_names_that_are_not_utf8_are_shown_escaped_in_every_output(tmp_path):
    name = os.fsdecode(b"caf\xe9.yaml")  # a Latin-1 name from another system
    (tmp_path / name).write_bytes(PASS.read_bytes())
    (tmp_path / os.fsdecode(b"bad\xff.yaml")).write_text("id: [", encoding="utf-8")
    for fmt in ("text", "json", "html"):
        result = check(tmp_path, fmt=fmt)
        assert result.exit_code == 2 and "bad\\xff.yaml" in result.stderr
        shown = json.loads(result.stdout)[0]["document"]["source"] if fmt == "json" else result.stdout
        assert "caf\\xe9.yaml" in shown
        no_traceback(result)
    out, table = tmp_path / "out.jsonl", tmp_path / "out.csv"
    assert batch([tmp_path], out, "--csv", table).exit_code == 2
    assert [Path(r["input"]["path"]).name for r in records(out)] == ["bad\\xff.yaml", "caf\\xe9.yaml"]
    assert "caf\\xe9.yaml" in table.read_text(encoding="utf-8")


# ---- text that would drive a terminal ----------------------------------------------------------

def test_escape_sequences_from_a_plan_never_reach_the_terminal(tmp_path):
    data = plan_data()
    data["\x1b]0;pwned\x07\x1b[31mfield"] = 1  # an unknown field named with escape sequences
    data["child_views"] = "\x1b[2J\x9b31m\u202eevil"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    result = check(path)
    assert result.exit_code == 2
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in result.stderr and raw not in result.stdout
    assert "\\x1b]0;pwned\\x07\\x1b[31mfield" in result.stderr
    del data["\x1b]0;pwned\x07\x1b[31mfield"]
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    for fmt in ("text", "json"):
        shown = check(path, fmt=fmt)
        assert shown.exit_code == 0
        assert not any(raw in shown.stdout for raw in ("\x1b", "\x9b", "\u202e"))


def test_escape_sequences_in_file_names_never_reach_the_terminal(tmp_path):
    path = tmp_path / "\x1b[31mred.yaml"
    path.write_text("id: [", encoding="utf-8")
    result = check(path)
    assert result.exit_code == 2 and "\x1b" not in result.stderr and "\\x1b[31mred.yaml" in result.stderr


# ---- work that must stay linear ------------------------------------------------------------------

def test_two_hundred_thousand_unknown_fields_give_fifty_diagnostics_and_a_count(tmp_path):
    data = plan_data()
    data.update({f"unknown_{i}": 1 for i in range(200_000)})
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, default=str, indent=1), encoding="utf-8")
    started = time.perf_counter()
    result = check(path)
    seconds = time.perf_counter() - started
    assert result.exit_code == 2
    assert result.stderr.count("error[NIS-D102]") == 50
    assert "199,950 more problems of the same kinds (199,950 NIS-D102)" in result.stderr
    assert len(result.stderr.splitlines()) < 400
    assert seconds < 30, f"{seconds:.1f}s"


def test_many_duplicate_keys_and_bad_tags_are_summarised_quickly():
    duplicates = b"{" + b", ".join(b'"layer": 1' for _ in range(100_000)) + b"}"
    tags = b"\n".join(b"f%d: !!binary aGk=" % i for i in range(100_000))
    for raw, source, code in ((duplicates, "plan.json", "NIS-D012"), (tags, "plan.yaml", "NIS-D017")):
        started = time.perf_counter()
        with pytest.raises(api.DocumentError) as caught:
            load_document(raw, source=source)
        assert time.perf_counter() - started < 30
        codes = [d.code for d in caught.value.diagnostics]
        assert codes[:50] == [code] * 50 and codes[50:] == ["NIS-D190"] and len(codes) == 51


def test_an_unclosed_string_of_escaped_quotes_is_refused_in_linear_time():
    raw = b"[" * 70 + b'"' + b'\\"' * 1_000_000
    started = time.perf_counter()
    codes = refused(raw, "plan.json")
    assert time.perf_counter() - started < 10
    assert codes == ["NIS-D013"]


def test_a_deep_and_wide_json_document_is_refused_quickly():
    raw = b'{"a": ' + b"[" * 5_000_000 + b"]" * 5_000
    started = time.perf_counter()
    assert refused(raw[:5 * 1024 * 1024], "plan.json") == ["NIS-D013"]
    assert time.perf_counter() - started < 10


def test_a_plan_that_breaks_the_arithmetic_gets_a_message_never_a_traceback(tmp_path):
    import re

    plan = tmp_path / "plan.yaml"
    plan.write_text(re.sub(r"\b\d{4}-\d{2}-\d{2}\b", "9999-12-31", plan_text()), encoding="utf-8")
    for command in ("check", "explain"):
        result = run(command, plan, "--standards", STANDARDS, *AS_OF)
        assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output
    out = tmp_path / "out.jsonl"
    assert batch([plan], out).exit_code in (0, 1, 2)
    assert len(records(out)) == 1


def test_more_schema_errors_than_nis_reads_are_counted_as_at_least(tmp_path):
    data = plan_data()
    data["needs"] = [{"id": i} for i in range(15_000)]  # each entry wrong in several ways
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    started = time.perf_counter()
    result = check(path)
    assert time.perf_counter() - started < 60
    assert result.exit_code == 2 and "nis stops reading a document's problems after 10,000" in result.stderr
    assert "at least " in result.stderr
