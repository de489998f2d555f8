"""Outputs (`--out`, `--csv`, `--output`) never destroy an input, never write through a link or
onto a device, are written whole or not at all, and fail with a clear message when the disk
or the folder refuses them. Each refusal comes before any input is read: the tests give
standards that do not exist, so an output checked any later would fail on those instead.
"""
from __future__ import annotations

import errno
import json
import os
import resource
import signal
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from inclusion_standards import batch as batch_module
from inclusion_standards.cli import main
from processes import ROOT, permissions_apply, remove, start, workspace
from processes import run as run_nis

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
STANDARDS = FIXTURES / "standards"
DOCUMENTS = STANDARDS / "documents"
PASS, FAIL = DOCUMENTS / "isp-pass.yaml", DOCUMENTS / "isp-fail.yaml"
AS_OF = ["--as-of", "2030-06-01"]
NOWHERE = "/nonexistent/standards"  # an output refused after loading standards would fail on these


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


@pytest.fixture
def plans(tmp_path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    for source in (PASS, FAIL):
        (folder / source.name).write_bytes(source.read_bytes())
    return folder


def refused(result, *words) -> None:
    assert result.exit_code == 2, result.output
    assert "NIS-O002" in result.stderr and "NIS-L001" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


# ---- an output that names an input ------------------------------------------------------------

@pytest.mark.parametrize("spelling", ["same", "dotted", "link", "hard link"])
def test_out_naming_an_input_is_refused_and_the_input_kept(plans, tmp_path, spelling):
    plan = plans / "isp-pass.yaml"
    before = plan.read_bytes()
    out = {"same": plan, "dotted": plans / "." / ".." / "plans" / "isp-pass.yaml"}.get(spelling)
    if spelling == "link":
        out = tmp_path / "link.jsonl"
        out.symlink_to(plan)
    elif spelling == "hard link":
        out = tmp_path / "hard.jsonl"
        os.link(plan, out)
    result = run("batch", plan, "--out", out, "--standards", NOWHERE)
    refused(result)
    assert plan.read_bytes() == before


@pytest.mark.parametrize("flag", ["--out", "--csv"])
def test_an_output_that_is_a_plan_in_a_folder_being_judged_is_refused(plans, tmp_path, flag):
    plan = plans / "isp-fail.yaml"
    before = plan.read_bytes()
    other = tmp_path / ("out.csv" if flag == "--out" else "out.jsonl")
    args = {"--out": plan, "--csv": other} if flag == "--out" else {"--out": other, "--csv": plan}
    result = run("batch", plans, "--out", args["--out"], "--csv", args["--csv"], "--standards", NOWHERE)
    refused(result, "is a plan in the folder")
    assert plan.read_bytes() == before


def test_an_old_output_in_a_folder_being_judged_is_replaced_not_judged(plans):
    out = plans / "results.json"
    for _ in range(2):
        assert run("batch", plans, "--out", out, "--standards", STANDARDS, *AS_OF).exit_code == 1
    assert [Path(r["input"]["path"]).name for r in records(out)] == ["isp-fail.yaml", "isp-pass.yaml"]


def test_csv_and_out_naming_one_file_through_a_link_are_refused(tmp_path):
    out = tmp_path / "r.jsonl"
    out.write_text("")
    link = tmp_path / "also.csv"
    link.symlink_to(out)
    refused(run("batch", PASS, "--out", out, "--csv", tmp_path / "." / "r.jsonl", "--standards", NOWHERE),
            "name the same file")
    refused(run("batch", PASS, "--out", out, "--csv", link, "--standards", NOWHERE), "symbolic link")


@pytest.mark.parametrize("command", ["check", "explain"])
def test_output_naming_the_plan_is_refused(plans, command):
    plan = plans / "isp-pass.yaml"
    before = plan.read_bytes()
    result = run(command, plan, "--output", plans / "." / "isp-pass.yaml", "--standards", NOWHERE)
    refused(result, "--output")
    assert plan.read_bytes() == before


def test_check_output_inside_the_folder_being_checked_is_refused_if_a_plan(plans):
    refused(run("check", plans, "-o", plans / "isp-fail.yaml", "--standards", NOWHERE), "is a plan in the folder")


# ---- targets that are not files ---------------------------------------------------------------

def test_an_output_that_is_a_link_is_refused_and_its_target_untouched(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    for flag, kind in (("--out", "batch"), ("--csv", "batch"), ("--output", "check")):
        link = tmp_path / f"link-{flag.strip('-')}"
        link.symlink_to(target)
        args = ([kind, PASS, "--out", link] if flag == "--out" else
                [kind, PASS, "--out", tmp_path / "r.jsonl", "--csv", link] if flag == "--csv" else
                [kind, PASS, "--output", link])
        refused(run(*args, "--standards", NOWHERE), "symbolic link")
        assert target.read_text() == "keep me" and link.is_symlink()


def _device(tmp_path: Path) -> Path:
    """A device like /dev/full: one of our own when root (so a failure here cannot replace
    the system's), the real one otherwise (which an ordinary user cannot replace)."""
    if not ROOT:
        return Path("/dev/full")
    device = tmp_path / "full"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    return device


@pytest.mark.parametrize("flag", ["--out", "--csv", "--output"])
def test_an_output_that_is_a_device_a_pipe_or_a_folder_is_refused(tmp_path, flag):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for target in (_device(tmp_path), pipe, tmp_path):
        if flag == "--output":
            result = run("check", PASS, "--output", target, "--standards", NOWHERE)
        elif flag == "--out":
            result = run("batch", PASS, "--out", target, "--standards", NOWHERE)
        else:
            result = run("batch", PASS, "--out", tmp_path / "r.jsonl", "--csv", target, "--standards", NOWHERE)
        if target == tmp_path:  # click refuses a folder for a file option itself
            assert result.exit_code == 2
            continue
        refused(result, "not a file")
        assert stat.S_ISCHR(os.stat(target).st_mode) or stat.S_ISFIFO(os.stat(target).st_mode)


# ---- a full disk, a read-only folder -----------------------------------------------------------

@pytest.fixture
def folder():
    made = workspace()
    yield made
    remove(made)


def test_a_file_size_limit_mid_batch_is_a_clear_error_and_the_run_resumes(folder):
    lines = folder / "plans.jsonl"
    text = json.dumps(json.loads(json.dumps(__import__("yaml").safe_load(PASS.read_text()), default=str)))
    lines.write_text((text + "\n") * 40, encoding="utf-8")
    out = folder / "out.jsonl"
    args = ["batch", lines, "--out", out, "--standards", STANDARDS, *AS_OF]
    full = run_nis(args, home=folder, limits={resource.RLIMIT_FSIZE: 20_000}, ignore=(signal.SIGXFSZ,))
    assert full.returncode == 2 and "NIS-O001" in full.stderr and "File too large" in full.stderr, full.stderr
    assert "--resume" in full.stderr and "Traceback" not in full.stderr
    working = folder / "out.jsonl.partial"
    assert working.exists() and not out.exists()
    resumed = run_nis(args + ["--resume"], home=folder)
    assert resumed.returncode == 0, resumed.stderr
    whole = folder / "whole.jsonl"
    assert run_nis(["batch", lines, "--out", whole, "--standards", STANDARDS, *AS_OF], home=folder).returncode == 0
    assert out.read_bytes() == whole.read_bytes()


def test_a_file_size_limit_on_a_report_is_a_clear_error_and_leaves_no_file(folder):
    page = folder / "page.html"
    done = run_nis(["check", PASS, "--format", "html", "--output", page, "--standards", STANDARDS, *AS_OF],
                   home=folder, limits={resource.RLIMIT_FSIZE: 2_000}, ignore=(signal.SIGXFSZ,))
    assert done.returncode == 2 and "NIS-O001" in done.stderr and "File too large" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and list(folder.glob("*page*")) == []


def test_a_full_disk_while_writing_records_is_a_clear_error(tmp_path, monkeypatch):
    real = batch_module.open_for_appending

    class Full:
        def __init__(self, handle):
            self.handle, self.written = handle, 0

        def write(self, data):
            self.written += 1
            if self.written > 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return self.handle.write(data)

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    monkeypatch.setattr(batch_module, "open_for_appending",
                        lambda path, **kw: Full(real(path, **kw)) if kw.get("flag") == "--out" else real(path, **kw))
    out = tmp_path / "r.jsonl"
    result = run("batch", PASS, FAIL, PASS, FAIL, "--out", out, "--standards", STANDARDS, *AS_OF)
    assert result.exit_code == 2 and "No space left on device (free some space)" in result.stderr
    assert "--resume" in result.stderr and not out.exists()
    assert len(records(tmp_path / "r.jsonl.partial")) == 2


@pytest.mark.skipif(not permissions_apply(), reason="needs setpriv to make permissions apply to root")
@pytest.mark.parametrize("command", ["batch", "check"])
def test_a_read_only_folder_is_a_clear_error(folder, command):
    locked = folder / "locked"
    locked.mkdir()
    os.chmod(locked, 0o555)
    args = (["batch", PASS, "--out", locked / "r.jsonl"] if command == "batch" else
            ["check", PASS, "--output", locked / "page.txt"])
    done = run_nis([*args, "--standards", STANDARDS, *AS_OF], home=folder, unprivileged=True)
    assert done.returncode == 2 and "NIS-O001" in done.stderr and "Permission denied" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and list(locked.iterdir()) == []


# ---- two runs on one output --------------------------------------------------------------------

def test_a_second_batch_on_the_same_output_is_refused_while_the_first_runs(folder):
    lines = folder / "plans.jsonl"
    text = json.dumps(__import__("yaml").safe_load(PASS.read_text()), default=str)
    lines.write_text((text + "\n") * 3000, encoding="utf-8")
    out = folder / "out.jsonl"
    args = ["batch", lines, "--out", out, "--standards", STANDARDS, *AS_OF]
    first = start(args, home=folder)
    try:
        assert _wait_for(folder / "out.jsonl.partial")
        first.send_signal(signal.SIGSTOP)  # held mid-run, however fast it is
        second = run_nis(args, home=folder)
        assert second.returncode == 2 and "NIS-O003" in second.stderr and "another nis run" in second.stderr
        table = folder / "table.csv"
        csv_first = start(["batch", lines, "--out", folder / "other.jsonl", "--csv", table, "--standards",
                           STANDARDS, *AS_OF], home=folder)
        assert _wait_for(folder / "table.csv.partial")
        csv_first.send_signal(signal.SIGSTOP)
        csv_second = run_nis(["batch", PASS, "--out", folder / "third.jsonl", "--csv", table, "--standards",
                              STANDARDS, *AS_OF], home=folder)
        csv_first.send_signal(signal.SIGCONT)
        assert csv_second.returncode == 2 and "NIS-O003" in csv_second.stderr and "--csv" in csv_second.stderr
        assert csv_first.wait(timeout=120) == 0
    finally:
        first.send_signal(signal.SIGCONT)
        first.wait(timeout=120)
    assert first.returncode == 0, first.stderr.read()
    assert len(records(out)) == 3000
    assert not (folder / ".out.jsonl.nis-lock").exists()


def _wait_for(path: Path, within: float = 60) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.01)
    return False
