"""The API is a pure function of a plan, the standards and a date, so a national corpus can be
sharded over processes or machines with any engine. This runs the example in
docs/performance.md ("A national corpus on several machines") with a local process pool and
checks that every result is byte for byte the one a single process gives."""
from __future__ import annotations

import importlib
import json
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from inclusion_standards import api

ROOT = Path(__file__).resolve().parents[1]


def _example_code() -> str:
    text = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    match = re.search(r"## A national corpus on several machines.*?```python\n(.*?)```", text, re.S)
    assert match, "docs/performance.md has no sharding example"
    return match.group(1)


def test_the_sharding_example_gives_the_single_process_results(tmp_path):
    plans = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".yaml", ".json")
                   and not p.name.startswith("case-"))
    (tmp_path / "sharding_example.py").write_text(_example_code(), encoding="utf-8")  # the documented lines
    sys.path.insert(0, str(tmp_path))
    try:
        example = importlib.import_module("sharding_example")
        with ProcessPoolExecutor(max_workers=2) as pool:
            sharded = example.judge_corpus(pool, [str(p) for p in plans], "2030-06-01")
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("sharding_example", None)
    single = [json.dumps(api.check(p, as_of="2030-06-01"), sort_keys=True) for p in plans]
    assert [json.dumps(r, sort_keys=True) for r in sharded] == single
