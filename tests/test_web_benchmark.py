"""benchmarks/serve.py still works: a small load on loopback, with no error."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed")

ROOT = Path(__file__).resolve().parents[1]


def test_the_load_test_runs_and_counts_no_error():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "serve.py"), "--requests", "200",
                           "--concurrency", "8", "--workers", "1"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    line = re.search(r"workers=1 +requests=200 +concurrency=8 +([0-9,]+) requests/s +p50=[0-9.]+ ms +p99=[0-9.]+ ms "
                     r"+errors=(\d+)", done.stdout)
    assert line and line.group(2) == "0", done.stdout
