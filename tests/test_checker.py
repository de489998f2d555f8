"""The static checker, golden-tested in the manner of Catala's and OPA's test suites.

`tests/fixtures/checker/bad/` holds one broken standards set per case (a file, or a folder
with an `entry.nis`), ending in comments that list exactly the diagnostics it must give as
`# expect: CODE file:line:column`. `tests/fixtures/checker/good/` holds sets that must give
none. Every error and warning code the language reference documents has a case.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import yaml

from inclusion_standards import api
from inclusion_standards.standards import check_standards

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "checker"
BAD = sorted(FIXTURES.joinpath("bad").iterdir())
GOOD = sorted(FIXTURES.joinpath("good").iterdir())
EXPECT = re.compile(r"^# expect: (NIS-[A-Z]\d+) (\S+):(\d+):(\d+)$", re.M)


def expected(case: Path) -> set[tuple[str, str, int, int]]:
    text = (case / "entry.nis" if case.is_dir() else case).read_text(encoding="utf-8")
    return {(code, file, int(line), int(column)) for code, file, line, column in EXPECT.findall(text)}


def found(case: Path) -> set[tuple[str, str, int, int]]:
    return {(d.code, Path(d.source or "").name, d.span.line if d.span else 0, d.span.column if d.span else 0)
            for d in check_standards(case)}


@pytest.mark.parametrize("case", BAD, ids=lambda p: p.name)
def test_each_broken_set_gives_exactly_its_diagnostics(case):
    want = expected(case)
    assert want, f"{case.name} lists no expected diagnostics"
    assert found(case) == want


@pytest.mark.parametrize("case", GOOD, ids=lambda p: p.name)
def test_good_sets_give_no_diagnostics(case):
    assert check_standards(case) == ()


def test_every_documented_code_has_a_broken_case():
    reference = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"NIS-[SCW]\d{3}", reference))
    covered = {code for case in BAD for code, *_ in expected(case)}
    assert documented - covered == set()
    assert covered - documented == set(), "a code the checker gives is not in docs/language.md"


def test_diagnostics_carry_the_source_line_and_a_hint():
    (diagnostic,) = list(check_standards(FIXTURES / "bad" / "c013-text-value.nis"))
    assert diagnostic.source_line == '  when layer = "targetted_plus"'
    assert diagnostic.hint == "did you mean `targeted_plus`?"
    assert diagnostic.expected and '"targeted_plus"' in diagnostic.expected


def test_a_definition_shared_by_two_plans_is_typed_for_each():
    """Regression: with `plan ehcp` declared before `plan isp`, a definition without `applies
    to` was compiled with the ISP's field types, and an EHCP without a setting crashed."""
    library = api.load_standards(FIXTURES / "good")
    ehcp = yaml.safe_load((ROOT / "examples" / "ehcp-current-clean.yaml").read_text(encoding="utf-8"))
    ehcp.pop("setting", None)
    result = api.check(ehcp, as_of=date(2030, 6, 1), standards=library)
    (finding,) = [f for f in result["findings"] if f["rule"] == "G-EHCP-SETTING"]
    assert finding["status"] == "cannot_judge" and finding["missing"] == ["/setting/type"]
    isp = api.check(ROOT / "examples" / "isp-targeted-clean.yaml", as_of=date(2030, 6, 1), standards=library)
    assert {f["rule"]: f["status"] for f in isp["findings"]}["G-ISP-SETTING"] == "pass"


def test_exceptions_that_target_each_other_are_a_diagnostic_not_a_crash():
    """Regression: two exceptions targeting each other made `nis lint` die of RecursionError."""
    run = subprocess.run([sys.executable, "-m", "inclusion_standards", "lint",
                          str(FIXTURES / "bad" / "c007-exceptions.nis")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1  # lint: the standards have an error
    assert "error[NIS-C007]: exceptions form a cycle: X-1 → X-2 → X-1" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


HEADER = 'standards "h" version "1" effective from 2020-01-01\nplan isp "I" schema "isp.schema.json"\n'


def _diagnostics(tmp_path: Path, body: str) -> tuple[list[str], float]:
    (tmp_path / "s.nis").write_text(HEADER + body, encoding="utf-8")
    started = time.perf_counter()
    codes = [d.code for d in check_standards(tmp_path) if d.is_error]
    return codes, time.perf_counter() - started


@pytest.mark.parametrize("body, code", [
    # 150 definitions, each using the one before
    ('define d0 = count of needs\n' + "".join(f"define d{i} = d{i - 1} + 1\n" for i in range(1, 150))
     + 'rule R-1 "t"\n  must d149 > 0\n  cite "c"\n', "NIS-C015"),
    # 2,000 exceptions, each to the one before
    ('rule R-1 "t"\n  must layer is present\n  cite "c"\nexception X-0 "x" to R-1\n  when true\n  cite "c"\n'
     + "".join(f'exception X-{i} "x" to X-{i - 1}\n  when true\n  cite "c"\n' for i in range(1, 2000)), "NIS-C015"),
    # a sum of 1,000 terms
    ('rule R-1 "t"\n  must ' + " + ".join(["count of needs"] * 1000) + ' > 0\n  cite "c"\n', "NIS-S103"),
])
def test_hostile_standards_get_a_clear_error_quickly(tmp_path, body, code):
    codes, seconds = _diagnostics(tmp_path, body)
    assert codes == [code]
    assert seconds < 20


def test_a_hundred_conditions_joined_by_and_check_and_evaluate(tmp_path):
    conditions = " and ".join(f"count of needs >= {i % 3}" for i in range(100))
    (tmp_path / "s.nis").write_text(HEADER + f'rule R-1 "t"\n  must {conditions}\n  cite "c"\n', encoding="utf-8")
    library = api.load_standards(tmp_path)
    isp = ROOT / "examples" / "isp-targeted-clean.yaml"
    assert api.judge(isp, as_of="2030-06-01", standards=library) == {"R-1": "pass"}
    (finding,) = api.explain(isp, as_of="2030-06-01", standards=library)["findings"]
    assert len(finding["trace"]["requirement"]["children"]) == 100
