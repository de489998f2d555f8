#!/usr/bin/env python3
"""Time `nis batch --from sen2` on a generated SEN2 return: cases per second and peak memory.

Generates a 2025 return of N invented children (tests/sen2_returns.py), one request each,
with a spread of dates so that some limits are met and some breached, then runs the
installed `nis batch --from sen2` on it as a caseworker would, with the caseload summary.
Prints the wall-clock rate (start-up and the summary included) and the peak resident memory
of the largest nis process. Run it at two sizes to see that memory stays flat:

    .venv/bin/python benchmarks/bench_sen2.py --n 20000 --jobs 2
    .venv/bin/python benchmarks/bench_sen2.py --n 100000 --jobs 2
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
GENERATE = """
import random, sys
from datetime import date, timedelta
sys.path.insert(0, sys.argv[1])
from sen2_returns import assessment, header, person, person_xml, request
n, rnd = int(sys.argv[2]), random.Random(int(sys.argv[3]))
with open(sys.argv[4], "w", encoding="utf-8") as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\\n<Message>\\n' + header(2025) + "\\n<Persons>\\n")
    for i in range(1, n + 1):
        received = date(2024, 1, 1) + timedelta(days=rnd.randrange(300))
        decided = received + timedelta(days=rnd.randrange(20, 60))
        issued = received + timedelta(days=rnd.randrange(100, 200))
        meeting = date(2024, 1, 1) + timedelta(days=rnd.randrange(330))
        told = meeting + timedelta(days=rnd.randrange(10, 40))
        outcome = rnd.choice("YYYYNA")
        found = {"Y": assessment("Y", issued.isoformat(), rnd.choice("0001")), "N": assessment("N", issued.isoformat()),
                 "A": assessment("A")}[outcome]
        r = request(received.isoformat(), "Y", decided.isoformat(), assessment=found,
                    plan={"StartDate": issued.isoformat()} if outcome == "Y" else None,
                    active={"ReviewMeeting": meeting.isoformat(), "ReviewOutcome": "M",
                            "LastReview": told.isoformat()} if outcome == "Y" else None)
        out.write(person_xml(person(i, [r]), 2025) + "\\n")
    out.write("</Persons>\\n</Message>\\n")
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="children (one request each) to generate")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    nis = Path(sys.executable).with_name("nis")
    with tempfile.TemporaryDirectory() as tmp:
        path, results, summary = Path(tmp) / "sen2.xml", Path(tmp) / "results.jsonl", Path(tmp) / "summary.json"
        subprocess.run([sys.executable, "-c", GENERATE, str(TESTS), str(args.n), str(args.seed), str(path)],
                       check=True)
        command = [str(nis), "batch", "--from", "sen2", str(path), "--out", str(results), "--jobs", str(args.jobs),
                   "--summary", str(summary)]
        started = time.perf_counter()
        run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        printed = run.stdout.read() if run.stdout else ""
        _, status, usage = os.wait4(run.pid, 0)  # nis's own usage, with its worker processes
        seconds = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1, 2):
            return code
        records = sum(1 for _ in results.open("rb"))
        size = path.stat().st_size
    rates = [line for line in printed.splitlines() if " met (" in line or line.startswith(("Decisions", "New plans"))]
    print("\n".join(rates))
    print(f"cases: {args.n:,}  records: {records:,}  return: {size / 2**20:,.0f} MiB  jobs: {args.jobs}")
    print(f"wall clock: {seconds:.1f}s  throughput: {args.n / seconds:,.0f} cases/s (start-up, the well-formedness "
          "pass and the summary included)")
    print(f"CPU: {usage.ru_utime + usage.ru_stime:.1f}s  "
          f"({(usage.ru_utime + usage.ru_stime) / args.n * 1e6:,.0f} µs per case, all processes)")
    print(f"peak RSS of the largest nis process: {usage.ru_maxrss / 1024:,.0f} MiB")
    return 0 if records == args.n else 1


if __name__ == "__main__":
    sys.exit(main())
