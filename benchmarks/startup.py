"""Start-up: `nis check` on one plan against the time Python takes to import nis's runtime
dependencies, both as whole processes, in one run.

- import: `python -c "import lark, jsonschema, fastjsonschema, yaml, click, rich, orjson"`
- check_warm: `nis check PLAN`, with nis's cache of parsed standards filled by an earlier run
- check_cold: the same with an empty cache folder each time (NIS_CACHE_DIR)

Each figure is the median of --runs runs. The last line gives the ratios the performance
target is stated in (docs/performance.md): check_warm/import=... check_cold/import=...

Every process runs with compiled bytecode, as an installed nis does (pip compiles it when it
installs a package): bytecode goes to a temporary folder (PYTHONPYCACHEPREFIX), filled by a
first run of each command, even where PYTHONDONTWRITEBYTECODE is set. Without it nis's own
modules would be compiled from source on every start while its dependencies' bytecode, written
when they were installed, is read: `--source` measures that case.

Usage: python benchmarks/startup.py [--runs 15] [--plan examples/isp-targeted-clean.yaml] [--source]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORTS = "import lark, jsonschema, fastjsonschema, yaml, click, rich, orjson"


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--plan", type=Path, default=ROOT / "examples" / "isp-targeted-clean.yaml")
    parser.add_argument("--source", action="store_true",
                        help="as the environment says about bytecode (no temporary bytecode folder)")
    args = parser.parse_args()
    nis = [sys.executable, "-m", "inclusion_standards", "check", str(args.plan), "--as-of", "2030-06-01"]
    with tempfile.TemporaryDirectory(prefix="nis-startup-") as folder:
        base_env = dict(os.environ)
        if not args.source:
            base_env.pop("PYTHONDONTWRITEBYTECODE", None)
            base_env["PYTHONPYCACHEPREFIX"] = os.path.join(folder, "bytecode")
        warm_env = {**base_env, "NIS_CACHE_DIR": os.path.join(folder, "warm")}
        timed([sys.executable, "-c", IMPORTS], base_env)  # fill the bytecode folder
        timed(nis, warm_env)  # and the cache
        imports, warm, cold = [], [], []
        for run in range(args.runs):  # interleaved, so the machine's load falls on all three alike
            imports.append(timed([sys.executable, "-c", IMPORTS], base_env))
            warm.append(timed(nis, warm_env))
            cold.append(timed(nis, {**base_env, "NIS_CACHE_DIR": os.path.join(folder, f"cold{run}")}))
    base, w, c = statistics.median(imports), statistics.median(warm), statistics.median(cold)
    print(f"bytecode: {'as the environment says' if args.source else 'compiled, as when installed'}; "
          f"{args.runs} runs each, medians")
    print(f"import of runtime dependencies  {base * 1000:7.0f} ms")
    print(f"nis check, warm cache           {w * 1000:7.0f} ms")
    print(f"nis check, cold cache           {c * 1000:7.0f} ms")
    print(f"check_warm/import={w / base:.2f} check_cold/import={c / base:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
