"""Every citation of a seed line quotes the line it names.

A citation such as `seed 003 l.240: 'A statutory duty will be placed on schools ...'` must
contain, for each line it names, a run of at least five consecutive words from that line, so
that a line number that drifts, or a claim the line does not make, fails here. The cited
lines are kept in tests/fixtures/seed_003_cited_lines.txt, and are checked against the seed
document itself where it is on this machine.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from inclusion_standards.standards import load_standards

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "seed_003_cited_lines.txt"
SEED = Path("/work/shared/seeds/003_f8b5f4a097df2111.txt")
RUN = 5


def cited_lines() -> dict[int, str]:
    lines = {}
    for row in FIXTURE.read_text(encoding="utf-8").splitlines():
        if row and not row.startswith("#"):
            number, text = row.split("\t", 1)
            lines[int(number)] = text
    return lines


def words(text: str) -> list[str]:
    """Lower-case words, with quotes, punctuation and emphasis marks dropped."""
    return re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.lower().replace("’", "'").replace("'", ""))


def runs(text: str, size: int = RUN) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + size]) for i in range(len(w) - size + 1)}


def line_numbers(citation: str) -> list[int]:
    """The seed lines a citation names: `l.240`, `l.242-243`, `l.242, l.243`."""
    found = []
    for first, last in re.findall(r"\bl\.(\d+)(?:-(\d+))?", citation.split("seed 003", 1)[1]):
        found += range(int(first), int(last or first) + 1)
    return found


def seed_citations() -> list[str]:
    (standards,) = load_standards(ROOT / "standards").versions
    checked = standards.checked
    texts = [c.text for r in checked.rules for c in r.citations]
    for d in checked.determinations.values():
        texts += [c.text for c in d.citations] + [case.citation.text for case in d.cases if case.citation]
    for p in checked.parameters.values():
        texts += [c.text for c in p.declaration.citations]
        texts += [v.citation.text for v in p.declaration.values if v.citation]
    texts += [c.text for e in checked.exceptions.values() for c in e.citations]
    return sorted({t for t in texts if "seed 003" in t})


CITATIONS = seed_citations()


def test_the_standards_cite_seed_lines():
    assert len(CITATIONS) >= 10


@pytest.mark.parametrize("citation", CITATIONS, ids=[c[:70] for c in CITATIONS])
def test_each_seed_citation_quotes_the_lines_it_names(citation):
    lines = cited_lines()
    numbers = line_numbers(citation)
    assert numbers, f"names no line: {citation}"
    for n in numbers:
        assert n in lines, f"l.{n} is not in {FIXTURE.name}: add it, copied from the seed"
        assert runs(citation) & runs(lines[n]), f"the citation quotes nothing from l.{n}: {lines[n]!r}"


def test_a_citation_that_names_the_wrong_line_is_caught():
    """The check itself: the same words against a neighbouring line do not match."""
    lines = cited_lines()
    quote = "seed 003 l.241: 'There will be a requirement for ISPs to be reviewed annually at a minimum'"
    assert runs(quote) & runs(lines[240])
    assert not runs(quote) & runs(lines[239])


@pytest.mark.skipif(not SEED.exists(), reason="the seed documents are not on this machine")
def test_the_fixture_holds_the_seed_lines_verbatim():
    seed = SEED.read_text(encoding="utf-8").splitlines()
    assert {n: seed[n - 1] for n in cited_lines()} == cited_lines()
