"""OPP-115 mode on segments written for these tests (tests/cases/opp115/*.toml): each case gives
the exact label set (`labels`) or only labels that must / must not be there (`includes`,
`excludes`). One test per case name; no OPP-115 text is used here."""

from __future__ import annotations

from pathlib import Path

import pytest

from policywatch.monitor.classify import classify_segment
from policywatch.monitor.classify.opp115 import OPP115_CATEGORIES
from tests.support.cases import load_named_cases

CASE_DIR = Path(__file__).parent / "cases" / "opp115"


CASES = load_named_cases(CASE_DIR)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str) -> None:
    case = CASES[name]
    labels = classify_segment(case["text"], "opp115")
    assert labels == [cat for cat in OPP115_CATEGORIES if cat in labels], "order or unknown label"
    if "labels" in case:
        assert set(labels) == set(case["labels"])
    for label in case.get("includes", []):
        assert label in labels
    for label in case.get("excludes", []):
        assert label not in labels


def test_cases_are_well_formed_and_cover_every_category() -> None:
    expected: set[str] = set()
    for case in CASES.values():
        named = case.get("labels", []) + case.get("includes", []) + case.get("excludes", [])
        assert named, f"{case['name']} checks nothing"
        assert set(named) <= set(OPP115_CATEGORIES), case["name"]
        expected |= set(case.get("labels", []) + case.get("includes", []))
    assert expected == set(OPP115_CATEGORIES)
