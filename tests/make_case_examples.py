"""Rewrite examples/case-*.yaml from the ISP and EHCP examples they pair (run after changing
either): `python tests/make_case_examples.py`. tests/test_case.py holds the files to this."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from inclusion_standards.api import load_document
from inclusion_standards.cases import case_document

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PAIRS = {
    "case-specialist-clean.yaml": (
        "isp-specialist-clean.yaml", "ehcp-current-clean.yaml", "2030-06-01",
        "a child's Specialist ISP and current-law EHCP judged together: they name each other, the ISP\n"
        "# records the Specialist layer and is written by the school section I names."),
    "case-reformed-pmld.yaml": (
        "isp-specialist-pmld.yaml", "ehcp-reformed-pmld.yaml", "2031-06-01",
        "a child's Specialist ISP and reformed-regime EHCP judged together: both record the PMLD\n# package."),
}


class _Dumper(yaml.SafeDumper):
    """Writes the loader's exact decimals as YAML numbers."""


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", str(v)))


def main() -> None:
    for name, (isp, ehcp, as_of, what) in PAIRS.items():
        doc = case_document(load_document(EXAMPLES / isp).data, load_document(EXAMPLES / ehcp).data)
        head = (f"# Fictional example: {what}\n"
                f"# Generated from {isp} and {ehcp} by tests/make_case_examples.py (each document\n"
                f"# exactly as it is checked alone). `nis check examples/{isp} examples/{ehcp} --together`\n"
                f"# gives the same case result. Intended as-of date: {as_of}.\n")
        body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        (EXAMPLES / name).write_text(head + body, encoding="utf-8")


if __name__ == "__main__":
    main()
