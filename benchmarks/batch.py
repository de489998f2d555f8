#!/usr/bin/env python3
"""`nis batch` end to end: documents per second and peak memory, by input kind and jobs.

Generates N plans from the bundled example ISPs and EHCPs (each copy with its own ids and every
date moved back by a seeded number of days, so no two are identical; same --seed, same plans),
writes them three ways (one JSON Lines file, a folder of JSON files, a folder of YAML files),
and runs the installed `nis batch` on each as a person would, with --jobs 1 and --jobs 2 and a
fixed --as-of. Each run is timed from start to exit (start-up, reading, parsing, validation,
judging and writing the records included). Then the same again at N/10, to show that memory
does not grow with the corpus.

For every run it prints documents per second and the peak resident memory of each nis process
(the parent and its workers, from /proc/PID/status VmHWM, sampled while it runs), and the
largest peak of the whole process tree as the kernel reports it (wait4). The last line gives
the figures the targets are stated in (docs/performance.md):

    jsonl_j2=<docs/s> folder_j2=<docs/s> yaml_j2=<docs/s> speedup_j2=<r> rss_mb=<max>

speedup_j2 is the smallest jobs-2/jobs-1 ratio over the three kinds at N. With --repeat R each
run is made R times and the median rate kept (the machine may be shared).

Usage: python benchmarks/batch.py [--n 200000] [--seed 1] [--repeat 1] [--kinds jsonl,folder,yaml]

The plans are generated and written by a separate process, so the benchmark's own memory is
never counted as nis's (Linux carries a process's high-water mark into a child it starts).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = "2030-06-01"
KINDS = ("jsonl", "folder", "yaml")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TARGETS = {"jsonl_j2": 6000, "folder_j2": 4000, "yaml_j2": 2000, "speedup_j2": 1.6, "rss_mb": 300}


# --- generating the plans (run in a child process: see the module docstring) -------------------

def templates() -> list[dict]:
    """The bundled example ISPs and EHCPs, with every date as an ISO string."""
    import yaml

    found = []
    for path in sorted(EXAMPLES.glob("*")):
        if not path.name.startswith(("isp-", "ehcp-")) or path.suffix not in (".yaml", ".json"):
            continue
        text = path.read_text(encoding="utf-8")
        document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        found.append(json.loads(json.dumps(document, default=str)))
    return found


def varied(template: dict, number: int, rng: random.Random) -> dict:
    """A copy of an example with its own ids and every date moved back by the same 0-120 days."""
    shift = timedelta(days=rng.randrange(0, 121))

    def move(value):
        if isinstance(value, dict):
            return {key: move(item) for key, item in value.items()}
        if isinstance(value, list):
            return [move(item) for item in value]
        if isinstance(value, str) and ISO_DATE.match(value):
            return (date.fromisoformat(value) - shift).isoformat()
        return value

    document = move(template)
    document["id"] = f"{document.get('id', 'PLAN')}-{number:07d}"
    if isinstance(document.get("child"), dict) and "id" in document["child"]:
        document["child"]["id"] = f"C-{number:07X}"
    return document


def generate(n: int, seed: int, folder: Path, kinds: list[str]) -> None:
    """Write n plans as plans.jsonl, json/NNNNNNN.json and yaml/NNNNNNN.yaml under folder."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    rng = random.Random(seed)
    bases = templates()
    jsonl = (folder / "plans.jsonl").open("w", encoding="utf-8") if "jsonl" in kinds else None
    for kind, sub in (("folder", "json"), ("yaml", "yaml")):
        if kind in kinds:
            (folder / sub).mkdir()
    for number in range(n):
        document = varied(bases[number % len(bases)], number, rng)
        text = json.dumps(document, ensure_ascii=False)
        if jsonl:
            jsonl.write(text + "\n")
        if "folder" in kinds:
            (folder / "json" / f"{number:07d}.json").write_text(text, encoding="utf-8")
        if "yaml" in kinds:
            (folder / "yaml" / f"{number:07d}.yaml").write_text(
                yaml.dump(document, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if jsonl:
        jsonl.close()


# --- timing nis batch ---------------------------------------------------------------------------

def tree(pid: int) -> list[int]:
    """pid and its descendants, read from /proc (children files list each thread's children)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    queue.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def high_water_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def run_batch(nis: Path, inputs: Path, out: Path, jobs: int) -> dict:
    """Run `nis batch` once; its wall-clock time, exit code and peak memory per process."""
    command = [str(nis), "batch", str(inputs), "--out", str(out), "--jobs", str(jobs), "--as-of", AS_OF]
    peaks: dict[int, int] = {}
    done = threading.Event()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def sample():
        while not done.is_set():
            for pid in tree(process.pid):
                kib = high_water_kib(pid)
                if kib is not None:
                    peaks[pid] = max(peaks.get(pid, 0), kib)
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 2):
        sys.stderr.write(stderr.decode(errors="replace"))
        raise SystemExit(f"nis batch exited {code}")
    workers = sorted((kib for pid, kib in peaks.items() if pid != process.pid), reverse=True)
    return {
        "seconds": seconds,
        "records": sum(1 for _ in out.open("rb")),
        "errors": sum(1 for line in out.open("rb") if b'"error"' in line[:200]),
        "parent_mb": peaks.get(process.pid, 0) / 1024,
        "worker_mb": workers[0] / 1024 if workers else None,
        "tree_mb": usage.ru_maxrss / 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
    }


def measure(nis: Path, n: int, seed: int, kinds: list[str], repeat: int) -> dict[tuple[str, int], dict]:
    figures = {}
    with tempfile.TemporaryDirectory(prefix="nis-bench-batch-") as tmp:
        folder = Path(tmp)
        subprocess.run([sys.executable, __file__, "--generate", str(folder), "--n", str(n),
                        "--seed", str(seed), "--kinds", ",".join(kinds)], check=True)
        inputs = {"jsonl": folder / "plans.jsonl", "folder": folder / "json", "yaml": folder / "yaml"}
        for kind in kinds:
            for jobs in (1, 2):
                runs = []
                for _ in range(repeat):
                    out = folder / f"results-{kind}-{jobs}.jsonl"
                    runs.append(run_batch(nis, inputs[kind], out, jobs))
                    out.unlink()
                best = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
                best["rate"] = n / best["seconds"]
                best["rates"] = [n / r["seconds"] for r in runs]
                best["tree_mb"] = max(r["tree_mb"] for r in runs)
                figures[kind, jobs] = best
                worker = f"{best['worker_mb']:6.0f}" if best["worker_mb"] is not None else "     -"
                print(f"{n:>9,} {kind:<7} {jobs:>4} {best['rate']:>10,.0f} {best['seconds']:>8.2f} "
                      f"{best['cpu'] / n * 1e6:>8,.0f} {best['parent_mb']:>9.0f} {worker:>9} {best['tree_mb']:>8.0f} "
                      f"{best['records']:>9,} {best['errors']:>7,}"
                      + (f"  runs: {', '.join(f'{r:,.0f}' for r in best['rates'])}" if repeat > 1 else ""),
                      flush=True)
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="plans to generate (default 200,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each case; the median is kept")
    parser.add_argument("--kinds", default=",".join(KINDS), help="any of jsonl,folder,yaml")
    parser.add_argument("--no-small", action="store_true", help="skip the N/10 runs")
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    kinds = [kind for kind in args.kinds.split(",") if kind]
    if args.generate:
        generate(args.n, args.seed, args.generate, kinds)
        return 0

    nis = Path(sys.executable).with_name("nis")
    print(f"nis batch, bundled standards, --as-of {AS_OF}; plans from {len(templates())} bundled examples, "
          f"seed {args.seed}; {os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    print(f"{'documents':>9} {'input':<7} {'jobs':>4} {'docs/s':>10} {'seconds':>8} {'cpu µs':>8} "
          f"{'parent MB':>9} {'worker MB':>9} {'tree MB':>8} {'records':>9} {'errors':>7}")
    sizes = [args.n] if args.no_small or args.n < 20 else [args.n // 10, args.n]
    figures = {size: measure(nis, size, args.seed, kinds, args.repeat) for size in sizes}
    at_n = figures[args.n]
    speedups = {kind: at_n[kind, 2]["rate"] / at_n[kind, 1]["rate"] for kind in kinds}
    rss = max(max(f["tree_mb"] for f in sized.values()) for sized in figures.values())
    print("jobs 2 / jobs 1: " + "  ".join(f"{kind} {ratio:.2f}" for kind, ratio in speedups.items()))
    if len(sizes) == 2:
        small = figures[sizes[0]]
        print("peak RSS at N/10 vs N: " + "  ".join(
            f"{kind} j{jobs} {small[kind, jobs]['tree_mb']:.0f}→{at_n[kind, jobs]['tree_mb']:.0f} MB"
            for kind, jobs in at_n))
    last = {f"{kind}_j2": at_n[kind, 2]["rate"] for kind in kinds}
    line = " ".join(f"{key}={value:.0f}" for key, value in last.items())
    print("targets: " + "  ".join(
        f"{key} {value:,.0f} vs ≥{TARGETS[key]:,} ({'met' if value >= TARGETS[key] else 'not met'})"
        for key, value in last.items())
        + f"  speedup_j2 {min(speedups.values()):.2f} vs ≥1.6 ({'met' if min(speedups.values()) >= 1.6 else 'not met'})"
        + f"  rss_mb {rss:.0f} vs ≤300 ({'met' if rss <= 300 else 'not met'})")
    print(f"{line} speedup_j2={min(speedups.values()):.2f} rss_mb={rss:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
