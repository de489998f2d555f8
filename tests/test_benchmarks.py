"""The benchmark scripts still run and print the line their targets are read from (no timing is
asserted: the figures belong to docs/performance.md, printed by the scripts themselves)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PEERS = ROOT.parent / "shared" / "bench" / "peers"
NUMBER = r"[0-9]+(?:\.[0-9]+)?"


def run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_batch_benchmark_judges_every_generated_plan_of_each_kind():
    output = run("batch.py", "--n", "30", "--no-small")
    rows = re.findall(r"^ +30 (jsonl|folder|yaml) +([12]) .* +30 +(\d+)$", output, re.MULTILINE)
    assert sorted((kind, jobs) for kind, jobs, _ in rows) == sorted(
        (kind, jobs) for kind in ("jsonl", "folder", "yaml") for jobs in ("1", "2"))
    assert all(errors == "0" for _, _, errors in rows), output
    assert re.search(rf"^jsonl_j2={NUMBER} folder_j2={NUMBER} yaml_j2={NUMBER} speedup_j2={NUMBER} "
                     rf"rss_mb={NUMBER}$", output, re.MULTILINE), output


def test_startup_benchmark_prints_its_ratios():
    output = run("startup.py", "--runs", "1")
    assert re.search(rf"^check_warm/import={NUMBER} check_cold/import={NUMBER}$", output, re.MULTILINE), output


def test_scaling_benchmark_prints_its_exponents():
    output = run("scaling.py", "--sizes", "10", "20")
    assert "linked" in output and "unlinked" in output, output


@pytest.mark.skipif(not (PEERS / "gen_isps.py").is_file(), reason="the peer harness is not beside the repository")
def test_peer_benchmark_agrees_with_plain_python():
    output = run("peers.py", "--n", "40", "--passes", "1")
    assert re.search(r"^nis/plain_python=.* agreement=40/40$", output, re.MULTILINE), output
