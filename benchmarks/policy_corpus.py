#!/usr/bin/env python3
"""A seeded corpus of invented plans for `nis diff --corpus`, and the time it takes.

Each plan is one of the invented example plans in examples/ (the ISPs and EHCPs, not the
broken ones or the cases) with a new id and child, and, for an ISP, its figures drawn at
random: the layer it records, the hours of each provision, the evidence of need (banding
levels, adult support hours), when external advice was last given and when the plan was
last reviewed. So the corpus spreads across the thresholds a policy change moves, which a
copy of one plan would not. Every child and plan is invented.

    .venv/bin/python benchmarks/policy_corpus.py --n 100000 --out /tmp/corpus.jsonl
    .venv/bin/python benchmarks/policy_corpus.py --n 100000 --jobs 2 \\
        --set 'targeted_plus_hours=4 hours per week'        # generate, then time nis diff

With --set (or --new) it runs `nis diff` on the corpus as a person would and prints the
wall-clock time, the rate and the summary the report gives.
"""
from __future__ import annotations

import argparse
import copy
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2030, 6, 1)
AREAS = ("communication_and_interaction", "cognition_and_learning", "social_emotional_mental_health",
         "sensory_and_physical")
LAYERS = ("targeted", "targeted_plus", "specialist")
ROLES = ("educational_psychologist", "speech_and_language_therapist", "occupational_therapist")


def templates() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The invented example ISPs and EHCPs the corpus varies."""
    isps, ehcps = [], []
    for path in sorted((ROOT / "examples").iterdir()):
        if path.suffix not in (".yaml", ".json") or path.name.startswith("case-"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        (ehcps if path.name.startswith("ehcp-") else isps).append(json.loads(json.dumps(data, default=str)))
    return isps, ehcps


def day(start: date, days: int) -> str:
    return (start + timedelta(days=days)).isoformat()


def vary_isp(plan: dict[str, Any], n: int, rng: random.Random) -> dict[str, Any]:
    plan = copy.deepcopy(plan)
    plan["id"] = f"ISP-GEN-{n:07d}"
    plan["child"]["id"] = f"C-GEN{n:07d}"
    layer = rng.choices(LAYERS, (5, 3, 2))[0]
    plan["layer"] = layer
    if layer != "specialist":
        plan["ehcp_ref"] = None
    elif not plan.get("ehcp_ref"):
        plan["ehcp_ref"] = f"EHCP-GEN-{n:07d}"
    for item in plan.get("provision", []):
        item["hours_per_week"] = rng.choice((0, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6))
    reviewed = rng.randint(-420, -10)
    plan["created"] = day(AS_OF, reviewed - rng.randint(30, 400))
    plan["last_review"] = day(AS_OF, reviewed)
    plan["next_review"] = day(AS_OF, reviewed + rng.randint(150, 380))
    plan.pop("review_history", None)
    if rng.random() < 0.75:
        plan["external_advice"] = [{"role": rng.choice(ROLES), "date": day(AS_OF, -rng.randint(10, 700))}]
    else:
        plan["external_advice"] = []
    evidence: dict[str, Any] = {}
    if rng.random() < 0.85:
        areas = rng.sample(AREAS, rng.randint(1, 3))
        evidence["need_levels"] = [{"area": a, "level": rng.choices((0, 1, 2, 3, 4), (1, 4, 4, 3, 1))[0]}
                                   for a in areas]
    if rng.random() < 0.6:
        evidence["adult_support"] = {"hours_per_week": rng.choice((0.5, 1, 2, 2.5, 3, 3.5, 4, 5, 8))}
    if evidence:
        plan["evidence"] = evidence
    else:
        plan.pop("evidence", None)
    return plan


def vary_ehcp(plan: dict[str, Any], n: int) -> dict[str, Any]:
    plan = copy.deepcopy(plan)
    plan["id"] = f"EHCP-GEN-{n:07d}"
    plan["child"]["id"] = f"C-GEN{n:07d}"
    return plan


def generate(n: int, seed: int, out: Path) -> None:
    rng = random.Random(seed)
    isps, ehcps = templates()
    with out.open("w", encoding="utf-8") as handle:
        for i in range(n):
            plan = vary_isp(rng.choice(isps), i, rng) if rng.random() < 0.8 else vary_ehcp(rng.choice(ehcps), i)
            handle.write(json.dumps(plan, ensure_ascii=False, separators=(",", ":")) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="keep the corpus here (default: a temporary file)")
    parser.add_argument("--old", default="nis@2026.1", help="the version to compare from")
    parser.add_argument("--new", help="the version to compare with (default: OLD with --set)")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="PARAM=VALUE")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--report", type=Path, help="also write the HTML report here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.out or Path(tmp) / "corpus.jsonl"
        started = time.perf_counter()
        generate(args.n, args.seed, corpus)
        print(f"generated {args.n:,} plans in {time.perf_counter() - started:.1f}s: {corpus}")
        if not args.settings and not args.new:
            return 0
        nis = Path(sys.executable).with_name("nis")
        command = [str(nis), "diff", args.old, *([args.new] if args.new else []), "--corpus", str(corpus),
                   "--as-of", AS_OF.isoformat(), "--jobs", str(args.jobs)]
        for setting in args.settings:
            command += ["--set", setting]
        started = time.perf_counter()
        run = subprocess.run([*command, "--format", "json", "--out", str(Path(tmp) / "report.json")],
                             capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if run.returncode not in (0, 2):
            sys.stderr.write(run.stderr)
            return run.returncode
        report = json.loads((Path(tmp) / "report.json").read_text(encoding="utf-8"))
        if args.report:
            subprocess.run([*command, "--format", "html", "--out", str(args.report)], check=False, capture_output=True)
    impact = report["impact"]
    print(f"nis diff {args.old} -> {report['new']['name']}: {impact['documents']:,} plans, each judged twice, "
          f"in {seconds:.1f}s ({impact['documents'] / seconds:,.0f} plans/s, jobs {args.jobs}, start-up included)")
    for line in impact["summary"]:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
