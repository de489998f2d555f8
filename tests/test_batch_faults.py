"""Faults during a batch: folders that cannot be read or vanish, records that cannot be
trusted, signals, kill -9, process limits, absurd --jobs. Whatever happens, every input found
or named gets exactly one record, the exit code says when one is an error, and a run
interrupted at any point and resumed ends with the bytes of an uninterrupted run.
"""
from __future__ import annotations

import csv
import errno
import json
import os
import random
import shutil
import signal
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from inclusion_standards.cli import main
from processes import ROOT, group_gone, permissions_apply, remove, start, wait_for_lines, workspace
from processes import run as run_nis

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
STANDARDS = FIXTURES / "standards"
DOCUMENTS = STANDARDS / "documents"
PASS, FAIL, INVALID = DOCUMENTS / "isp-pass.yaml", DOCUMENTS / "isp-fail.yaml", DOCUMENTS / "isp-invalid.yaml"
AS_OF = ["--as-of", "2030-06-01"]


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


def batch(inputs, out, *more):
    return run("batch", *inputs, "--out", out, "--standards", STANDARDS, *AS_OF, *more)


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def where(path: Path, root: Path) -> list[str]:
    return [str(Path(r["input"]["path"]).relative_to(root)) for r in records(path)]


@pytest.fixture
def plans(tmp_path) -> Path:
    """plans/a.yaml, plans/sub/b.yaml, plans/sub/deeper/c.yaml, plans/z.yaml"""
    folder = tmp_path / "plans"
    (folder / "sub" / "deeper").mkdir(parents=True)
    for name, source in (("a.yaml", PASS), ("sub/b.yaml", FAIL), ("sub/deeper/c.yaml", PASS), ("z.yaml", PASS)):
        (folder / name).write_bytes(source.read_bytes())
    return folder


# ---- every input found or named gets one record ------------------------------------------------

def _failing_scandir(monkeypatch, folder: Path, error: int) -> None:
    real = os.scandir

    def scandir(path="."):
        if isinstance(path, (str, os.PathLike)) and Path(path) == folder:
            raise OSError(error, os.strerror(error), str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.parametrize("error", [errno.EACCES, errno.ENOENT, errno.EIO])
def test_a_subfolder_that_cannot_be_listed_gets_an_error_record_in_its_place(plans, tmp_path, monkeypatch, error):
    _failing_scandir(monkeypatch, plans / "sub", error)
    out = tmp_path / "out.jsonl"
    result = batch([plans], out)
    assert result.exit_code == 2
    assert where(out, plans) == ["a.yaml", "sub", "z.yaml"]
    failed = records(out)[1]
    assert failed["outcome"] == "error" and failed["error"]["diagnostics"][0]["code"] == "NIS-D007"
    assert os.strerror(error) in failed["error"]["reason"]
    assert "errors     1" in result.stdout


def test_a_named_folder_that_cannot_be_listed_is_an_error_not_an_empty_success(plans, tmp_path, monkeypatch):
    _failing_scandir(monkeypatch, plans, errno.EACCES)
    out = tmp_path / "out.jsonl"
    result = batch([plans], out)
    assert result.exit_code == 2 and "no documents found" not in result.stderr
    assert [r["outcome"] for r in records(out)] == ["error"]
    check = run("check", plans, "--standards", STANDARDS, *AS_OF)
    assert check.exit_code == 2 and "NIS-D007" in check.stderr


@pytest.mark.skipif(not permissions_apply(), reason="needs setpriv to make permissions apply to root")
def test_a_subfolder_without_permission_gets_an_error_record():
    folder = workspace()
    try:
        plans = folder / "plans"
        (plans / "secret").mkdir(parents=True)
        (plans / "a.yaml").write_bytes(PASS.read_bytes())
        (plans / "secret" / "b.yaml").write_bytes(FAIL.read_bytes())
        os.chmod(plans / "secret", 0)
        out = folder / "out.jsonl"
        done = run_nis(["batch", plans, "--out", out, "--standards", STANDARDS, *AS_OF], home=folder,
                       unprivileged=True)
        assert done.returncode == 2, done.stderr
        assert where(out, plans) == ["a.yaml", "secret"]
        assert "Permission denied" in records(out)[1]["error"]["reason"]
    finally:
        remove(folder)


def _after_listing(monkeypatch, folder: Path, act) -> None:
    """Call `act` right after `folder` is listed by the run itself (the second walk: the first
    counts the inputs for the progress display)."""
    real, seen = os.scandir, []

    def scandir(path="."):
        listing = _Listing(real(path))
        if isinstance(path, (str, os.PathLike)) and Path(path) == folder:
            seen.append(path)
            if len(seen) == 2:
                act()
        return listing

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_file_that_vanishes_after_the_folder_was_listed_gets_an_error_record(plans, tmp_path, monkeypatch):
    _after_listing(monkeypatch, plans / "sub", (plans / "sub" / "b.yaml").unlink)
    out = tmp_path / "out.jsonl"
    assert batch([plans], out).exit_code == 2
    assert where(out, plans) == ["a.yaml", "sub/b.yaml", "sub/deeper/c.yaml", "z.yaml"]
    assert "No such file or directory" in records(out)[1]["error"]["reason"]


def test_a_folder_deleted_during_the_run_gets_an_error_record(plans, tmp_path, monkeypatch):
    _after_listing(monkeypatch, plans / "sub", lambda: shutil.rmtree(plans / "sub" / "deeper"))
    out = tmp_path / "out.jsonl"
    assert batch([plans], out).exit_code == 2
    assert where(out, plans) == ["a.yaml", "sub/b.yaml", "sub/deeper", "z.yaml"]
    assert records(out)[2]["error"]["diagnostics"][0]["code"] == "NIS-D007"


class _Listing(list):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def test_files_named_like_plans_that_are_not_files_get_error_records(plans, tmp_path):
    os.mkfifo(plans / "b-pipe.json")
    (plans / "c-dangling.yml").symlink_to(plans / "missing.yaml")
    out = tmp_path / "out.jsonl"
    assert batch([plans], out).exit_code == 2
    assert where(out, plans) == ["a.yaml", "b-pipe.json", "c-dangling.yml", "sub/b.yaml", "sub/deeper/c.yaml",
                                 "z.yaml"]
    assert [r["outcome"] for r in records(out)][1:3] == ["error", "error"]


# ---- resume over records that cannot be trusted ------------------------------------------------

@pytest.mark.parametrize("damage, why", [
    (lambda r: {}, "data must contain"),
    (lambda r: {**r, "result": {**r["result"], "standards": None}}, "standards"),
    (lambda r: {**r, "outcome": "pass"}, "outcome or date differs"),
    (lambda r: {**r, "result": {**r["result"], "document": {**r["result"]["document"], "sha256": "0" * 64}}},
     "sha256 differs"),
    (lambda r: {**r, "error": {"reason": "x", "diagnostics": []}}, "must not contain"),
    (lambda r: [r], "must be object"),
    (lambda r: "not a record", "must be object"),
])
def test_resume_refuses_a_record_it_cannot_verify_and_changes_nothing(plans, tmp_path, damage, why):
    out, table = tmp_path / "out.jsonl", tmp_path / "out.csv"
    assert batch([plans], out, "--csv", table).exit_code == 1
    lines = out.read_bytes().splitlines(keepends=True)
    failing = json.loads(lines[1])
    assert failing["outcome"] == "fail"
    lines[1] = json.dumps(damage(failing)).encode() + b"\n"
    out.write_bytes(b"".join(lines))
    before, table_before = out.read_bytes(), table.read_bytes()
    result = batch([plans], out, "--csv", table, "--resume")
    assert result.exit_code == 2 and "NIS-B002" in result.stderr and "line 2" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert out.read_bytes() == before and table.read_bytes() == table_before
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_resume_of_a_working_file_cut_in_the_middle_of_a_record_carries_on(plans, tmp_path):
    out, whole = tmp_path / "out.jsonl", tmp_path / "whole.jsonl"
    assert batch([plans], whole).exit_code == 1
    data = whole.read_bytes()
    working = tmp_path / "out.jsonl.partial"
    working.write_bytes(data[: data.index(b"\n", data.index(b"\n") + 1) + 40])  # two records and a piece
    assert batch([plans], out, "--resume").exit_code == 1
    assert out.read_bytes() == whole.read_bytes() and not working.exists()


# ---- signals -----------------------------------------------------------------------------------

@pytest.fixture
def many():
    """A folder of 100 plans and a JSON Lines file of 1,500, as another process would see them."""
    folder = workspace()
    plans = folder / "plans"
    plans.mkdir()
    sources = [PASS, FAIL, INVALID]
    for i in range(100):
        (plans / f"p{i:03d}.yaml").write_bytes(sources[i % 3].read_bytes())
    good, bad = (json.dumps(yaml.safe_load(p.read_text()), default=str) for p in (PASS, FAIL))
    lines = [good if i % 4 else bad for i in range(1500)]
    lines[7] = '{"cut": '
    (folder / "plans.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    yield folder
    remove(folder)


def _args(folder: Path, out: str, *more) -> list:
    return ["batch", folder / "plans", folder / "plans.jsonl", "--out", folder / out, "--csv",
            folder / (out + ".csv"), "--standards", STANDARDS, *AS_OF, *more]


def _whole(folder: Path) -> tuple[bytes, bytes]:
    done = run_nis(_args(folder, "whole.jsonl"), home=folder)
    assert done.returncode == 2, done.stderr
    return (folder / "whole.jsonl").read_bytes(), (folder / "whole.jsonl.csv").read_bytes()


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("name, code", [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)])
def test_a_signal_stops_after_a_whole_record_and_the_run_resumes_to_the_same_bytes(many, name, code, jobs):
    records_whole, table_whole = _whole(many)
    process = start(_args(many, "out.jsonl", "--jobs", jobs), home=many)
    working = many / "out.jsonl.partial"
    assert wait_for_lines(working, 50)
    process.send_signal(getattr(signal, name))
    _, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert "interrupted" in err and "--resume" in err and "Traceback" not in err
    kept = working.read_bytes()
    assert kept.endswith(b"\n") and 50 <= kept.count(b"\n") < 1600
    assert not (many / "out.jsonl").exists() and not (many / "out.jsonl.csv").exists()
    resumed = run_nis(_args(many, "out.jsonl", "--resume", "--jobs", jobs), home=many)
    assert resumed.returncode == 2, resumed.stderr
    assert (many / "out.jsonl").read_bytes() == records_whole
    assert (many / "out.jsonl.csv").read_bytes() == table_whole


def test_kill_9_of_the_batch_leaves_no_worker_running(many):
    process = start(_args(many, "out.jsonl", "--jobs", "2"), home=many)
    assert wait_for_lines(many / "out.jsonl.partial", 20)
    process.kill()
    process.wait(timeout=10)
    assert group_gone(process.pid, within=10), "a worker process outlived its batch"


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_kill_9_at_any_point_then_resume_gives_the_bytes_of_an_uninterrupted_run(many, jobs):
    records_whole, table_whole = _whole(many)
    started = time.perf_counter()
    assert run_nis(_args(many, "timed.jsonl", "--jobs", jobs), home=many).returncode == 2
    duration = time.perf_counter() - started
    chooser = random.Random(20300601 + int(jobs))
    for attempt in range(6):
        out = f"out{attempt}.jsonl"
        kills = 0
        while True:
            resume = ["--resume"] if kills else []
            process = start(_args(many, out, "--jobs", jobs, *resume), home=many)
            try:
                process.wait(timeout=chooser.uniform(0, duration))
            except Exception:  # still running: kill it where it is
                process.kill()
                process.wait(timeout=10)
                assert group_gone(process.pid, within=10), "a worker process outlived its batch"
                kills += 1
                if kills < 4:
                    continue
                process = start(_args(many, out, "--jobs", jobs, "--resume"), home=many)
                process.wait(timeout=120)
            assert process.returncode == 2, process.stderr.read()
            break
        assert (many / out).read_bytes() == records_whole, f"attempt {attempt} after {kills} kills"
        assert (many / (out + ".csv")).read_bytes() == table_whole


# ---- processes -------------------------------------------------------------------------------

def test_jobs_beyond_the_processors_are_capped_with_a_message(plans, tmp_path):
    one, many_jobs = tmp_path / "one.jsonl", tmp_path / "many.jsonl"
    batch([plans], one)
    result = batch([plans], many_jobs, "--jobs", "1000")
    assert result.exit_code == 1
    assert "--jobs 1000 is more than the" in result.stderr and "processors" in result.stderr
    assert many_jobs.read_bytes() == one.read_bytes()


@pytest.mark.parametrize("forks_allowed", [0, 1])
def test_when_worker_processes_cannot_start_the_batch_ends_with_every_record(plans, tmp_path, monkeypatch,
                                                                            forks_allowed):
    one = tmp_path / "one.jsonl"
    batch([plans], one)
    real_fork, calls = os.fork, []

    def fork():
        calls.append(1)
        if len(calls) > forks_allowed:
            raise BlockingIOError(errno.EAGAIN, os.strerror(errno.EAGAIN))
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    out = tmp_path / "out.jsonl"
    result = batch([plans], out, "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert "cannot start worker processes (Resource temporarily unavailable)" in result.stderr
    assert out.read_bytes() == one.read_bytes()


@pytest.mark.slow
@pytest.mark.skipif(ROOT, reason="the process limit does not apply to root, whatever its capabilities")
def test_a_process_limit_ends_the_batch_with_every_record(many):
    import resource

    mine = sum(1 for p in Path("/proc").iterdir() if p.name.isdigit() and _owner(p) == os.getuid())
    whole, _ = _whole(many)
    done = run_nis(_args(many, "out.jsonl", "--jobs", "2"), home=many, timeout=300,
                   limits={resource.RLIMIT_NPROC: mine + 1})
    assert done.returncode == 2 and "cannot start worker processes" in done.stderr, done.stderr
    assert (many / "out.jsonl").read_bytes() == whole


def _owner(path: Path) -> int | None:
    try:
        return path.stat().st_uid
    except OSError:
        return None


# ---- CSV ---------------------------------------------------------------------------------------

def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(tmp_path, monkeypatch):
    data = yaml.safe_load(PASS.read_text(encoding="utf-8"))
    names = []
    for lead in ("=", "+", "-", "@", "\t"):
        name = f"{lead}cmd.yaml"
        (tmp_path / name).write_text(yaml.safe_dump({**data, "id": f"{lead}HYPERLINK(\"http://evil\")"},
                                                    default_flow_style=False), encoding="utf-8")
        names.append(name)
    table = tmp_path / "out.csv"
    monkeypatch.chdir(tmp_path)
    result = run("batch", "--out", "out.jsonl", "--csv", "out.csv", "--standards", STANDARDS, *AS_OF, "--", *names)
    assert result.exit_code == 0, result.output
    with table.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row, name in zip(rows, names):
        assert row["input"] == "'" + name
        assert row["document_id"].startswith("'") and row["document_id"][1:2] == name[0]
    assert [json.loads(line)["input"]["path"] for line in (tmp_path / "out.jsonl").read_text().splitlines()] == names


def _work_that_dies(items):
    """A worker's chunk function that kills its process (module level, so workers can run it)."""
    os._exit(1)


def test_a_worker_that_dies_under_the_command_line_costs_no_record_and_no_wait(plans, tmp_path, monkeypatch):
    from inclusion_standards import batch as batch_module

    one = tmp_path / "one.jsonl"
    batch([plans], one)
    monkeypatch.setattr(batch_module, "_work", _work_that_dies)
    out = tmp_path / "out.jsonl"
    started = time.perf_counter()
    result = batch([plans], out, "--jobs", "2")
    assert result.exit_code == 1 and "a worker process stopped; judging the rest in this process" in result.stderr
    assert out.read_bytes() == one.read_bytes() and time.perf_counter() - started < 30
