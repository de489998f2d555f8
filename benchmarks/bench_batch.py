#!/usr/bin/env python3
"""Time `nis batch` end to end: documents per second and peak memory.

Generates N synthetic ISPs with the peer harness's seeded generator (gen_isps.generate), writes
them to a temporary JSON Lines file, and runs the installed `nis batch` on it as a person
would, with a fixed --as-of. Prints the wall-clock rate (start-up included) and the peak
resident memory of the largest nis process. Run it at two sizes to see that memory stays flat:

    .venv/bin/python benchmarks/bench_batch.py --n 20000 --jobs 2
    .venv/bin/python benchmarks/bench_batch.py --n 100000 --jobs 2

The documents are generated in a separate process. Otherwise the benchmark's own memory (all
N documents) would be counted as nis's: Linux records the high-water mark of the spawning
process's memory in the peak of a child it starts.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEERS = Path("/work/shared/bench/peers")
AS_OF = "2029-12-01"  # the date gen_isps builds its documents around
GENERATE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from gen_isps import generate
with open(sys.argv[4], "w", encoding="utf-8") as handle:
    for document, _ in generate(int(sys.argv[2]), int(sys.argv[3])):
        handle.write(json.dumps(document) + "\\n")
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="documents to generate")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", default=AS_OF)
    parser.add_argument("--standards", help="standards folder (default: the bundled standards)")
    parser.add_argument("--generator", type=Path, default=PEERS, help="folder holding gen_isps.py")
    parser.add_argument("--traces", action="store_true")
    args = parser.parse_args(argv)

    nis = Path(sys.executable).with_name("nis")
    with tempfile.TemporaryDirectory() as tmp:
        inputs, results, errors = Path(tmp) / "isps.jsonl", Path(tmp) / "results.jsonl", Path(tmp) / "stderr"
        subprocess.run([sys.executable, "-c", GENERATE, str(args.generator), str(args.n), str(args.seed),
                        str(inputs)], check=True)
        command = [str(nis), "batch", str(inputs), "--out", str(results), "--jobs", str(args.jobs),
                   "--as-of", args.as_of]
        if args.standards:
            command += ["--standards", args.standards]
        if args.traces:
            command.append("--traces")
        started = time.perf_counter()
        with errors.open("w") as stderr:
            run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
            summary = run.stdout.read()
            _, status, usage = os.wait4(run.pid, 0)  # nis's own usage, with its worker processes
        seconds = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1, 2):
            sys.stderr.write(errors.read_text())
            return code
        records = sum(1 for _ in results.open("rb"))
    print(summary.rstrip())
    print(f"documents: {args.n:,}  records: {records:,}  jobs: {args.jobs}  as of: {args.as_of}")
    print(f"wall clock: {seconds:.2f}s  throughput: {args.n / seconds:,.0f} documents/s (start-up included)")
    print(f"CPU: {usage.ru_utime + usage.ru_stime:.1f}s  "
          f"({(usage.ru_utime + usage.ru_stime) / args.n * 1e6:,.0f} µs per document, all processes)")
    print(f"peak RSS of the largest nis process: {usage.ru_maxrss / 1024:,.0f} MiB")
    return 0 if records == args.n else 1


if __name__ == "__main__":
    raise SystemExit(main())
