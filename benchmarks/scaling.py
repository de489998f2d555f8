"""How the cost of judging one plan grows with its size: generated ISPs with N needs, N
outcomes and N provision items (so 3N items), judged by the bundled standards.

Two plans per size: one whose items are all linked (every rule met), and one where no need
has an outcome or provision (the joins of ISP-NEED-OUTCOME and ISP-NEED-PROVISION fail for
every need, the worst case for an explanation). For each: outcomes only (`api.judge`), the
result `nis check` gives, and the full explanation `nis explain` gives. The exponent between
two sizes is log(t2/t1)/log(n2/n1): 1 is linear, 2 quadratic.

Usage: python benchmarks/scaling.py [--sizes 1000 10000 100000]
"""
from __future__ import annotations

import argparse
import itertools
import math
import time
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from inclusion_standards import api

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2030, 6, 1)


def plan(n: int, linked: bool) -> dict[str, Any]:
    base = yaml.safe_load((ROOT / "examples" / "isp-targeted-clean.yaml").read_text(encoding="utf-8"))
    need, outcome, provision = base["needs"][0], base["outcomes"][0], base["provision"][0]
    base["created"] = base["created"].isoformat() if isinstance(base["created"], date) else base["created"]
    base["needs"] = [{**need, "id": f"N{i}"} for i in range(n)]
    base["outcomes"] = [{**outcome, "id": f"O{i}", "need_id": f"N{i}" if linked else f"X{i}"} for i in range(n)]
    base["provision"] = [{**provision, "id": f"P{i}", "need_id": f"N{i}" if linked else f"X{i}",
                          "outcome_ids": [f"O{i}"]} for i in range(n)]
    if not linked:  # areas that match nothing, so the area fallback cannot rescue a need
        for o in base["outcomes"]:
            o["area"] = "sensory_and_physical"
        for p in base["provision"]:
            p["area"] = "sensory_and_physical"
    return base


def timed(function: Any, *args: Any, **kwargs: Any) -> float:
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    args = parser.parse_args()
    library = api.load_standards()
    standards = library.select(AS_OF, "isp")
    print(f"{'plan':<10} {'N':>8} {'judge s':>9} {'check s':>9} {'explain s':>10}")
    rows: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for linked in (True, False):
        kind = "linked" if linked else "unlinked"
        for n in args.sizes:
            document = plan(n, linked)
            for _ in range(2):  # warm: the parameters bound, the schema validator compiled
                api.judge(document, as_of=AS_OF, standards=standards)
            figures = {
                "judge": timed(api.judge, document, as_of=AS_OF, standards=standards),
                "check": timed(api.check, document, as_of=AS_OF, standards=standards),
                "explain": timed(api.explain, document, as_of=AS_OF, standards=standards),
            }
            for what, seconds in figures.items():
                rows.setdefault((kind, what), []).append((n, seconds))
            print(f"{kind:<10} {n:>8} {figures['judge']:>9.3f} {figures['check']:>9.3f} {figures['explain']:>10.3f}")
    exponents = []
    for (kind, what), points in rows.items():
        for (n1, t1), (n2, t2) in itertools.pairwise(points):
            exponent = math.log(t2 / t1) / math.log(n2 / n1)
            exponents.append(exponent)
            print(f"exponent {kind} {what} {n1}->{n2}: {exponent:.2f}")
    print(f"max_exponent={max(exponents):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
