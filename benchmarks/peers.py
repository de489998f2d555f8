"""nis on the peer engines' ISP rule set: the same twelve rules (R01-R12, written in the nis
language in benchmarks/peer_rules/peer.nis), the same synthetic documents, timed beside the
plain-Python baseline of shared/bench/peers.

Rows (median of passes, µs per document, documents already in memory):
  plain_python          the baseline on pre-processed documents (dates as epoch days)
  zen (peer)            GoRules ZEN on the same pre-processed documents (if zen-engine is installed)
  plain_python+prep     the baseline plus the shared pre-processing it needs
  nis                   outcomes only (`api.judge`'s work), reading ISO dates itself
  nis trace             every rule's explained form run: what it evaluated, recorded
  nis result            the result `nis check --format json` returns (messages, pointers, near
                        misses, no trace), built but not serialised
  nis explain           the full explanation `nis explain` builds (trace, messages, near misses)

The last line gives the ratios the performance targets are stated in (docs/performance.md):
  nis/plain_python=... nis_result/plain_python=... nis_result/zen=... nis_explain/plain_python=...
  nis_trace/zen=... agreement=N/N

Usage: python benchmarks/peers.py [--n 20000] [--seed 1] [--passes 3]
Needs ../shared/bench/peers beside the repository (its generator and baseline).
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = HERE.parent.parent / "shared" / "bench" / "peers"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--peers", type=Path, default=PEERS)
    args = parser.parse_args()
    if not (args.peers / "gen_isps.py").is_file():
        print(f"peer harness not found at {args.peers}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(args.peers))
    import common
    import engine_plain_python
    from gen_isps import generate

    from inclusion_standards.evaluate import evaluate, judge, parameters
    from inclusion_standards.runtime import Recorder
    from inclusion_standards.standards import load_standards

    started = time.perf_counter()
    standards = load_standards(HERE / "peer_rules").versions[0]
    load_ms = (time.perf_counter() - started) * 1000
    as_of = date.fromisoformat(common.AS_OF_ISO)
    pairs = generate(args.n, args.seed)
    raw = [doc for doc, _ in pairs]
    # nis reads documents through its loader, which gives exact decimals for hours: do the same.
    docs = [_decimals(d) for d in raw]
    prepared = [common.preprocess(d) for d in raw]
    bound = parameters(standards, as_of)
    plan = standards.compiled.plans["isp"]
    ids = [r.checked.id for r in plan.rules]

    def nis_judge(doc):
        return judge(standards, "isp", doc, as_of, bound[0])

    def nis_traced(doc):
        memo, rec = plan.memo(), Recorder()
        return [r.explained(doc, bound[0], memo, rec) for r in plan.rules]

    def nis_result(doc):
        return evaluate(standards, "isp", doc, as_of, include_trace=False, bound=bound)

    def nis_full(doc):
        return evaluate(standards, "isp", doc, as_of, include_trace=True, bound=bound)

    disagreements = 0
    for doc, pre in zip(docs, prepared, strict=True):
        statuses, _ = nis_judge(doc)
        mine = [i for i, s in zip(ids, statuses, strict=True) if s == "fail"]
        if mine != engine_plain_python.evaluate(pre) or any(s not in ("pass", "fail", "not_applicable") for s in statuses):
            disagreements += 1
    rows = {
        "plain_python": (engine_plain_python.evaluate, prepared),
        **_zen_row(prepared),
        "plain_python+prep": (lambda d: engine_plain_python.evaluate(common.preprocess(d)), raw),
        "nis": (nis_judge, docs),
        "nis trace": (nis_traced, docs),
        "nis result": (nis_result, docs),
        "nis explain": (nis_full, docs[: max(1, args.n // 4)]),
    }
    times: dict[str, list[float]] = {name: [] for name in rows}
    for fn, data in rows.values():
        for d in data[:200]:
            fn(d)
    for _ in range(args.passes):
        for name, (fn, data) in rows.items():
            gc.collect()
            start = time.perf_counter()
            for d in data:
                fn(d)
            times[name].append((time.perf_counter() - start) / len(data) * 1e6)
    base = statistics.median(times["plain_python"])
    print(f"nis vs peer baseline: N={args.n} seed={args.seed} passes={args.passes}; "
          f"standards loaded and compiled in {load_ms:.0f} ms; python {sys.version.split()[0]}")
    print(f"agreement with plain_python on failed rule ids: {args.n - disagreements}/{args.n} documents")
    print(f"{'row':<20} {'µs/doc':>9} {'docs/s':>10} {'× plain':>8}")
    median = {name: statistics.median(times[name]) for name in rows}
    for name in rows:
        us = median[name]
        print(f"{name:<20} {us:>9.1f} {1e6 / us:>10,.0f} {us / base:>8.1f}")
    zen = median.get("zen (peer)")

    def ratio(a: str, b: float | None) -> str:
        return f"{median[a] / b:.2f}" if b else "n/a"

    print(f"nis/plain_python={ratio('nis', base)} nis_result/plain_python={ratio('nis result', base)} "
          f"nis_result/zen={ratio('nis result', zen)} nis_explain/plain_python={ratio('nis explain', base)} "
          f"nis_trace/zen={ratio('nis trace', zen)} agreement={args.n - disagreements}/{args.n}")
    return 1 if disagreements else 0


def _zen_row(prepared) -> dict:
    """GoRules ZEN on the same pre-processed documents, when zen-engine is installed (make bench)."""
    try:
        import engine_zen
    except ImportError:
        print("zen-engine not installed: no zen row (run `make bench`)", file=sys.stderr)
        return {}
    engine_zen.prepare()
    return {"zen (peer)": (engine_zen.evaluate, prepared)}


def _decimals(value):
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    return value


if __name__ == "__main__":
    raise SystemExit(main())
