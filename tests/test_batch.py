"""`nis batch`: exactly one record per input document, in input order, whatever the inputs
hold; the same bytes on one process or several; a resumed run that ends with exactly the
records of an uninterrupted one; and a refusal to resume someone else's run.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from inclusion_standards import batch, console
from inclusion_standards.cli import main
from inclusion_standards.standards import load_standards

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
STANDARDS = FIXTURES / "standards"
DOCUMENTS = STANDARDS / "documents"
AS_OF = date(2030, 6, 1)
NIS = Path(sys.executable).with_name("nis")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def run_batch(inputs, out, *more):
    return run("batch", *inputs, "--out", out, "--standards", STANDARDS, "--as-of", AS_OF.isoformat(), *more)


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def document(name: str) -> dict:
    return yaml.safe_load((DOCUMENTS / name).read_text(encoding="utf-8"))


def json_line(data: dict) -> str:
    return json.dumps(data, default=str)


@pytest.fixture
def mixed(tmp_path) -> list[Path]:
    """A folder with a good, a failing, an invalid and a malformed plan (plus a file that is
    not a plan), then a JSONL file with a good line, a line that is not JSON, a blank line and
    a failing line."""
    folder = tmp_path / "plans"
    (folder / "more").mkdir(parents=True)
    shutil.copy(DOCUMENTS / "isp-pass.yaml", folder / "b-pass.yaml")
    shutil.copy(DOCUMENTS / "isp-fail.yaml", folder / "more" / "c-fail.yml")
    shutil.copy(DOCUMENTS / "isp-invalid.yaml", folder / "a-invalid.yaml")
    shutil.copy(DOCUMENTS / "isp-malformed.yaml", folder / "d-malformed.yaml")
    (folder / "notes.txt").write_text("not a plan\n", encoding="utf-8")
    lines = tmp_path / "plans.jsonl"
    lines.write_text("\n".join([json_line(document("isp-pass.yaml")), '{"id": "ISP-TRUNCATED", "child": {',
                                "", json_line(document("isp-fail.yaml"))]) + "\n", encoding="utf-8")
    return [folder, lines]


EXPECTED = [  # (path relative to tmp_path, line, outcome), in input order
    ("plans/a-invalid.yaml", None, "error"),
    ("plans/b-pass.yaml", None, "pass"),
    ("plans/d-malformed.yaml", None, "error"),
    ("plans/more/c-fail.yml", None, "fail"),
    ("plans.jsonl", 1, "pass"),
    ("plans.jsonl", 2, "error"),
    ("plans.jsonl", 4, "fail"),
]


def test_one_record_per_input_document_in_input_order(mixed, tmp_path):
    out = tmp_path / "out" / "results.jsonl"
    result = run_batch(mixed, out)
    assert result.exit_code == 2, result.output
    got = records(out)
    assert [(r["input"]["path"], r["input"]["line"], r["outcome"]) for r in got] == [
        (str(tmp_path / p), line, outcome) for p, line, outcome in EXPECTED]
    assert [r["record"] for r in got] == list(range(1, len(EXPECTED) + 1))
    assert all(r["as_of"] == "2030-06-01" for r in got)


def test_each_record_carries_the_sha256_of_the_bytes_judged(mixed, tmp_path):
    out = tmp_path / "results.jsonl"
    run_batch(mixed, out)
    import hashlib

    first_line = (tmp_path / "plans.jsonl").read_bytes().splitlines()[0]
    by_place = {(r["input"]["path"], r["input"]["line"]): r for r in records(out)}
    assert by_place[(str(tmp_path / "plans.jsonl"), 1)]["input"]["sha256"] == hashlib.sha256(first_line).hexdigest()
    passed = by_place[(str(tmp_path / "plans/b-pass.yaml"), None)]
    assert passed["input"]["sha256"] == passed["result"]["document"]["sha256"]


def test_error_records_give_the_reason_and_the_diagnostics(mixed, tmp_path):
    out = tmp_path / "results.jsonl"
    run_batch(mixed, out)
    errors = [r for r in records(out) if r["outcome"] == "error"]
    invalid, malformed, not_json = errors
    assert invalid["error"]["reason"] == "`layer` cannot be `Targeted` (and 1 more problem)"
    assert [d["code"] for d in invalid["error"]["diagnostics"]] == ["NIS-D104", "NIS-D105"]
    assert invalid["error"]["diagnostics"][0]["pointer"] == "/layer"
    assert invalid["error"]["diagnostics"][0]["span"]["line"] == 6
    assert malformed["error"]["diagnostics"][0]["code"] == "NIS-D011"
    assert not_json["error"]["diagnostics"][0]["source"] == f"{tmp_path / 'plans.jsonl'}:2"
    assert "result" not in invalid


def test_an_unreadable_input_is_an_error_record_not_an_abort(tmp_path):
    out = tmp_path / "results.jsonl"
    result = run_batch([tmp_path / "missing.yaml", DOCUMENTS / "isp-pass.yaml"], out)
    assert result.exit_code == 2
    missing, good = records(out)
    assert missing["input"] == {"path": str(tmp_path / "missing.yaml"), "line": None, "sha256": None}
    assert missing["error"]["diagnostics"][0]["code"] == "NIS-D005"
    assert good["outcome"] == "pass"


def test_a_bug_while_judging_one_document_costs_one_record(monkeypatch, tmp_path):
    def explode(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(batch, "evaluate", explode)
    out = tmp_path / "results.jsonl"
    assert run_batch([DOCUMENTS / "isp-pass.yaml", DOCUMENTS / "isp-fail.yaml"], out).exit_code == 2
    got = records(out)
    assert [r["error"]["diagnostics"][0]["code"] for r in got] == ["NIS-B003", "NIS-B003"]
    assert "ZeroDivisionError: boom" in got[0]["error"]["reason"]


@pytest.mark.parametrize("names, code", [(["isp-pass.yaml"], 0), (["isp-pass.yaml", "isp-fail.yaml"], 1),
                                          (["isp-fail.yaml", "isp-invalid.yaml"], 2)])
def test_exit_code_0_all_passed_1_a_must_rule_failed_2_an_input_was_an_error(tmp_path, names, code):
    assert run_batch([DOCUMENTS / n for n in names], tmp_path / "r.jsonl").exit_code == code


def test_csv_has_one_row_per_document_with_the_documented_columns(mixed, tmp_path):
    table = tmp_path / "results.csv"
    run_batch(mixed, tmp_path / "results.jsonl", "--csv", table)
    with table.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["input", "document_id", "document_type", "child_id", "setting_urn", "layer",
                             "plan_status", "as_of", "outcome", "must_failures", "should_failures", "failed_rules",
                             "error_reason"]
    assert [r["outcome"] for r in rows] == [outcome for _, _, outcome in EXPECTED]
    fail = rows[3]
    assert (fail["document_id"], fail["document_type"], fail["child_id"], fail["setting_urn"], fail["layer"],
            fail["plan_status"], fail["as_of"], fail["must_failures"], fail["failed_rules"]) == \
        ("ISP-CLI-FAIL", "isp", "C-CLI01", "123456", "targeted", "", "2030-06-01", "1", ";CLI-REVIEW;")
    assert rows[5]["input"] == f"{tmp_path / 'plans.jsonl'}:2" and rows[5]["error_reason"]
    assert rows[0]["error_reason"].startswith("`layer` cannot be `Targeted`")


def test_summary_counts_documents_and_the_rules_failed_most_often(mixed, tmp_path):
    result = run_batch(mixed, tmp_path / "results.jsonl")
    out = result.stdout
    for line in ["documents  7", "passed     2", "failed     2", "errors     3", "rules failed most often:",
                 "  CLI-REVIEW  2"]:
        assert line in out.splitlines(), out


def test_plain_progress_lines_go_to_stderr_when_not_on_a_terminal(mixed, tmp_path, monkeypatch):
    monkeypatch.setattr(console, "PLAIN_EVERY", 0.0)
    result = run_batch(mixed, tmp_path / "results.jsonl")
    assert "nis batch: 7/7 documents (100%)" in result.stderr
    assert "nis batch:" not in result.stdout


def test_traces_are_kept_only_when_asked_for(tmp_path):
    plain, traced = tmp_path / "plain.jsonl", tmp_path / "traced.jsonl"
    run_batch([DOCUMENTS / "isp-fail.yaml"], plain)
    run_batch([DOCUMENTS / "isp-fail.yaml"], traced, "--traces")
    assert "trace" not in records(plain)[0]["result"]["findings"][0]
    assert "trace" in records(traced)[0]["result"]["findings"][0]


def test_the_output_file_is_never_read_as_an_input(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(DOCUMENTS / "isp-pass.yaml", folder / "a.yaml")
    out = folder / "results.json"
    run_batch([folder], out)
    run_batch([folder], out)
    assert [r["input"]["path"] for r in records(out)] == [str(folder / "a.yaml")]


def test_a_link_loop_in_a_folder_does_not_make_the_walk_endless(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(DOCUMENTS / "isp-pass.yaml", folder / "a.yaml")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    out = tmp_path / "results.jsonl"
    assert run_batch([folder], out).exit_code == 0
    assert [r["input"]["path"] for r in records(out)] == [str(folder / "a.yaml")]


def test_an_empty_folder_writes_no_records_and_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    out = tmp_path / "results.jsonl"
    result = run_batch([tmp_path / "empty"], out)
    assert result.exit_code == 0 and out.read_bytes() == b""
    assert "no documents found" in result.stderr


def test_on_a_terminal_the_summary_is_a_table(capsys):
    totals = batch.Totals(documents=3, passed=1, failed=1, errors=1)
    totals.rule_failures.update(["CLI-REVIEW"])
    console.print_summary(totals, out=Path("r.jsonl"), csv_path=None, seconds=1.0, interactive=True)
    shown = capsys.readouterr().out
    assert "rules failed most often" in shown and "CLI-REVIEW" in shown and "│ documents │ 3" in shown


def test_on_a_terminal_progress_is_a_bar_with_the_count(capsys):
    totals = batch.Totals()
    with console.BatchProgress(2, interactive=True) as progress:
        for _ in range(2):
            totals.documents += 1
            progress.update(totals)
    assert "2/2" in capsys.readouterr().err


def test_broken_standards_stop_the_batch_before_it_starts(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "broken.nis").write_text('standards "b"\n  version "1"\n  effective from 2029-09-01\n'
                                               'rule R1 "x"\n  must (layer\n', encoding="utf-8")
    out = tmp_path / "results.jsonl"
    result = run("batch", DOCUMENTS / "isp-pass.yaml", "--out", out, "--standards", tmp_path / "s",
                 "--as-of", "2030-06-01")
    assert result.exit_code == 2 and "NIS-S100" in result.stderr
    assert not out.exists()


def test_csv_and_out_must_differ(tmp_path):
    out = tmp_path / "r.jsonl"
    result = run_batch([DOCUMENTS / "isp-pass.yaml"], out, "--csv", out)
    assert result.exit_code == 2 and "--csv" in result.stderr


# ---- several processes -------------------------------------------------------------------------

@pytest.fixture
def many(tmp_path) -> Path:
    """300 documents in one JSONL file, every fifth failing and every seventh not JSON."""
    good, bad = document("isp-pass.yaml"), document("isp-fail.yaml")
    lines = []
    for i in range(300):
        if i % 7 == 3:
            lines.append('{"id": "cut short", ')
            continue
        plan = dict(bad if i % 5 == 0 else good, id=f"ISP-{i:04d}")
        lines.append(json_line(plan))
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_jobs_write_the_same_bytes_as_one(many, tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run_batch([many], one).exit_code == 2
    assert run_batch([many], two, "--jobs", "2").exit_code == 2
    assert two.read_bytes() == one.read_bytes()
    assert [r["result"]["document"]["id"] for r in records(two) if "result" in r][:3] == \
        ["ISP-0000", "ISP-0001", "ISP-0002"]


def test_installed_nis_batch_with_two_jobs(many, tmp_path):
    out = tmp_path / "out.jsonl"
    done = subprocess.run([str(NIS), "batch", str(many), "--out", str(out), "--jobs", "2", "--standards",
                           str(STANDARDS), "--as-of", "2030-06-01", "--csv", str(tmp_path / "out.csv")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert len(records(out)) == 300
    assert "documents  300" in done.stdout and "Traceback" not in done.stderr


def test_workers_never_read_far_ahead_of_the_writer():
    pulled = []

    def inputs():
        raw = (DOCUMENTS / "isp-pass.yaml").read_bytes()
        for i in range(10_000):
            pulled.append(i)
            yield batch.Item(i, "plan.yaml", None, raw)

    library = load_standards(STANDARDS)
    judged = batch._judged_in_pool(inputs(), 2, 8, STANDARDS, library, AS_OF, False)
    next(judged)
    judged.close()
    assert len(pulled) <= (2 * batch.CHUNKS_PER_JOB + 2) * 8


# ---- resume ------------------------------------------------------------------------------------

def _interrupt(out: Path, keep: int) -> None:
    """Simulate a run killed while writing record keep + 1: `keep` whole records, half a line."""
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:keep]) + lines[keep][: len(lines[keep]) // 2])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_resume_after_an_interruption_gives_exactly_the_records_of_an_uninterrupted_run(many, mixed, tmp_path,
                                                                                          jobs):
    inputs = [*mixed, many]
    whole, resumed = tmp_path / "whole.jsonl", tmp_path / "resumed.jsonl"
    first = run_batch(inputs, whole, "--csv", tmp_path / "whole.csv")
    shutil.copy(whole, resumed)
    _interrupt(resumed, 123)
    again = run_batch(inputs, resumed, "--resume", "--jobs", jobs, "--csv", tmp_path / "resumed.csv")
    assert again.exit_code == first.exit_code == 2
    assert resumed.read_bytes() == whole.read_bytes()
    assert (tmp_path / "resumed.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert "resumed: kept 123 records" in again.stdout
    assert first.stdout.splitlines()[:4] == again.stdout.splitlines()[:4]


def test_resume_of_a_finished_run_adds_nothing(mixed, tmp_path):
    out = tmp_path / "results.jsonl"
    run_batch(mixed, out)
    before = out.read_bytes()
    assert run_batch(mixed, out, "--resume").exit_code == 2
    assert out.read_bytes() == before


def test_resume_without_an_output_file_starts_a_new_run(mixed, tmp_path):
    out = tmp_path / "results.jsonl"
    assert run_batch(mixed, out, "--resume").exit_code == 2
    assert len(records(out)) == len(EXPECTED)


def test_resume_refuses_an_output_file_from_other_inputs_and_changes_no_file(mixed, tmp_path):
    out, table = tmp_path / "results.jsonl", tmp_path / "results.csv"
    run_batch(mixed, out, "--csv", table)
    before, table_before = out.read_bytes(), table.read_bytes()
    result = run_batch(list(reversed(mixed)), out, "--resume", "--csv", table)
    assert result.exit_code == 2
    assert "NIS-B001" in result.stderr and "different run" in result.stderr
    assert out.read_bytes() == before and table.read_bytes() == table_before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["plans.jsonl", "results.csv",
                                                                           "results.jsonl"]


def test_resume_refuses_an_input_whose_content_changed(mixed, tmp_path):
    out = tmp_path / "results.jsonl"
    run_batch(mixed, out)
    changed = tmp_path / "plans" / "b-pass.yaml"
    changed.write_text(changed.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    result = run_batch(mixed, out, "--resume")
    assert result.exit_code == 2 and "record 2 is for" in result.stderr


def test_resume_refuses_another_as_of_date(mixed, tmp_path):
    out = tmp_path / "results.jsonl"
    run_batch(mixed, out)
    result = run("batch", *mixed, "--out", out, "--standards", STANDARDS, "--as-of", "2030-06-02", "--resume")
    assert result.exit_code == 2 and "as of 2030-06-01" in result.stderr


def test_resume_refuses_more_records_than_inputs(mixed, tmp_path):
    out = tmp_path / "results.jsonl"
    run_batch(mixed, out)
    result = run_batch(mixed[:1], out, "--resume")
    assert result.exit_code == 2 and "more records than there are inputs" in result.stderr


def test_resume_refuses_a_damaged_output_file(mixed, tmp_path):
    out = tmp_path / "results.jsonl"
    run_batch(mixed, out)
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(lines[0] + b"not json\n" + b"".join(lines[2:]))
    result = run_batch(mixed, out, "--resume")
    assert result.exit_code == 2 and "NIS-B002" in result.stderr and "line 2" in result.stderr


_REAL_WORK = batch._work


def _work_that_dies_on_line_7(items):
    """A worker's chunk function that kills its process (a module-level function, so the
    pool can send it to the workers)."""
    if any(item.line == 7 for item in items):
        os._exit(1)
    return _REAL_WORK(items)


def test_a_worker_that_dies_costs_no_record(tmp_path, monkeypatch):
    """A worker process killed mid-run (out of memory, say) must not hang or drop records:
    its chunks, and the rest, are judged in the parent, in order."""
    document = yaml.safe_load((Path(__file__).parent.parent / "examples" / "isp-targeted-clean.yaml")
                              .read_text(encoding="utf-8"))
    inputs = tmp_path / "plans.jsonl"
    inputs.write_text("".join(json.dumps({**document, "id": f"ISP-{n:03d}"}, default=str) + "\n"
                              for n in range(40)), encoding="utf-8")
    monkeypatch.setattr(batch, "_work", _work_that_dies_on_line_7)
    out = tmp_path / "out.jsonl"
    notes = []
    totals = batch.run_batch([inputs], out, library=batch.load_standards(None), standards_path=None,
                             as_of=date(2030, 6, 1), jobs=2, total=40, on_note=notes.append)
    assert notes == ["a worker process stopped; judging the rest in this process"]
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["input"]["line"] for r in records] == list(range(1, 41))
    assert [r["outcome"] for r in records] == ["pass"] * 40
    assert totals.documents == 40


def test_records_keep_rules_met_brief_unless_asked_for_in_full(tmp_path):
    plan = DOCUMENTS / "isp-fail.yaml"
    brief, full = tmp_path / "brief.jsonl", tmp_path / "full.jsonl"
    run_batch([plan], brief)
    run_batch([plan], full, "--full")
    (brief_result,), (full_result,) = [r["result"] for r in records(brief)], [r["result"] for r in records(full)]
    met = [f for f in brief_result["findings"] if f["status"] in ("pass", "not_applicable")]
    assert met and all(set(f) == {"rule", "title", "status", "severity"} for f in met)
    failed = [f for f in brief_result["findings"] if f["status"] == "fail"]
    assert failed and all("citations" in f and "message" in f for f in failed)
    assert all("citations" in f for f in full_result["findings"])
    assert [f["status"] for f in brief_result["findings"]] == [f["status"] for f in full_result["findings"]]
    import jsonschema
    schema = json.loads((Path(__file__).parent.parent / "schemas" / "result.schema.json").read_text())
    jsonschema.validate(brief_result, schema)
