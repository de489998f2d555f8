"""Shared fixtures: a small valid ISP, and a way to write and load a standards set in a test.

The tests keep nis's cache entries in a folder of their own, removed when the run ends, so a
run neither depends on what the user's cache holds nor pushes its entries out (the cache keeps
only the most recently used); a NIS_CACHE_DIR set by the caller is used instead.
"""
from __future__ import annotations

import atexit
import copy
import os
import shutil
import tempfile
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from inclusion_standards.standards import load_standards

if "NIS_CACHE_DIR" not in os.environ:
    os.environ["NIS_CACHE_DIR"] = tempfile.mkdtemp(prefix="nis-tests-cache-")
    atexit.register(shutil.rmtree, os.environ["NIS_CACHE_DIR"], True)

BASE_ISP = {
    "id": "ISP-TEST-1",
    "child": {"id": "C-TEST1", "dob": "2016-03-14", "year_group": 8},
    "setting": {"urn": "123456", "phase": "secondary", "type": "mainstream"},
    "layer": "targeted_plus",
    "created": "2029-09-10",
    "last_review": "2030-01-20",
    "next_review": "2030-07-15",
    "coproduced_with": ["parent", "young_person"],
    "needs": [
        {"id": "N1", "area": "communication_and_interaction", "severity": 3,
         "description": "Difficulty following spoken instructions in class."},
        {"id": "N2", "area": "social_emotional_mental_health", "severity": 2,
         "description": "Anxiety at unstructured times."},
    ],
    "outcomes": [
        {"id": "O1", "area": "communication_and_interaction", "description": "Follows two-step instructions",
         "measurable": True, "target_date": "2030-07-01"},
        {"id": "O2", "area": "social_emotional_mental_health", "description": "Uses a calm space at lunch",
         "measurable": True, "target_date": "2030-07-01"},
    ],
    "provision": [
        {"id": "P1", "area": "communication_and_interaction", "layer": "targeted_plus",
         "description": "Speech and language therapy, 1:1, 45 minutes weekly", "hours_per_week": Decimal("0.75"),
         "provider": "salt", "evidence_based": True, "start": "2029-09-15"},
        {"id": "P2", "area": "social_emotional_mental_health", "layer": "targeted",
         "description": "Lunchtime nurture group, 5 x 45 minutes", "hours_per_week": Decimal("3.75"),
         "provider": "ta", "evidence_based": True, "start": "2029-09-15"},
    ],
    "external_advice": [{"role": "speech_and_language_therapist", "date": "2029-11-02"}],
    "ehcp_ref": None,
}


@pytest.fixture
def isp():
    """A fresh, valid Targeted Plus ISP (a deep copy each time)."""
    return copy.deepcopy(BASE_ISP)


HEADER = """\
standards "test"
  title "Test standards"
  version "1"
  effective from 2020-01-01
plan isp "Individual Support Plan" schema "isp.schema.json"
"""


@pytest.fixture
def make_standards(tmp_path):
    """Write standards text (after a standard header and ISP plan) and load the one set."""

    def make(body: str, header: str = HEADER, name: str = "s.nis"):
        folder = tmp_path / f"set{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        (folder / name).write_text(header + textwrap.dedent(body), encoding="utf-8")
        return load_standards(folder).versions[0]

    return make


@pytest.fixture
def write_files(tmp_path):
    """Write several files into a fresh folder and return the folder."""

    def write(files: dict[str, str]) -> Path:
        folder = tmp_path / f"w{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return folder

    return write
