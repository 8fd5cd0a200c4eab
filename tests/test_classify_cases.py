"""Data-driven classifier cases: each (old, new) pair goes through the real differ, then the
classifier; the document's severity, direction and categories and the reason's quoted words
are checked. Cases live in tests/cases/classify/*.toml, one test per case name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policywatch.monitor.classify import classify_diff
from policywatch.monitor.diff import diff_texts
from policywatch.monitor.model import CATEGORIES, SEVERITIES, DiffResult
from tests.support.cases import load_named_cases

CASE_DIR = Path(__file__).parent / "cases" / "classify"


CASES = load_named_cases(CASE_DIR)


def quoted_words(result: DiffResult) -> str:
    """Every quoted piece of every material unit's reason, lower-cased."""
    reasons = " ".join(u.reason for u in result.changes if u.material)
    return " | ".join(re.findall(r'"([^"]*)"', reasons)).lower()


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str) -> None:
    case = CASES[name]
    result = classify_diff(diff_texts(case["old"], case["new"]), case["old"], case["new"])
    expected = case["severity"]
    assert result.severity == expected, [(u.kind, u.severity, u.reason) for u in result.changes]
    assert result.material == (expected != "none")
    if "direction" in case:
        assert result.direction == case["direction"]
    assert set(case.get("categories", [])) <= set(result.categories), result.categories
    for words in case.get("reason", []):
        assert words.lower() in quoted_words(result), [u.reason for u in result.changes]
    assert result.summary
    if expected == "none":
        assert result.categories == []
        assert result.summary.startswith("no ")
        assert all(u.severity == "none" and not u.material for u in result.changes)


def test_cases_cover_the_acceptance_list() -> None:
    """At least 60 cases, 20 of them harmless, and every category exercised."""
    assert len(CASES) >= 60
    assert sum(1 for c in CASES.values() if c["severity"] == "none") >= 20
    named = {cat for c in CASES.values() for cat in c.get("categories", [])}
    assert named == set(CATEGORIES)
    assert {c["severity"] for c in CASES.values()} == set(SEVERITIES)
