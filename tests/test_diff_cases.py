"""Data-driven differ tests: cases live in tests/cases/diff/*.toml, one test per case name."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.diff import ChangeUnit, diff_texts
from policywatch.monitor.diff.segment import segment

CASES = Path(__file__).parent / "cases" / "diff"


def load(name: str) -> list[dict[str, Any]]:
    with open(CASES / name, "rb") as fh:
        cases: list[dict[str, Any]] = tomllib.load(fh)["case"]
    return cases


def by_name(cases: list[dict[str, Any]]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("case", cases, ids=[c["name"] for c in cases])


def describe(units: list[ChangeUnit]) -> str:
    return "\n".join(f"  {u.kind} form={u.form_only} section={u.section!r} "
                     f"old={u.old!r} new={u.new!r}" for u in units)


def check_units(case: dict[str, Any]) -> None:
    result = diff_texts(case["old"], case["new"])
    expected = case["expect"]
    got = result.changes
    assert len(got) == len(expected), f"expected {len(expected)} units, got:\n{describe(got)}"
    for unit, want in zip(got, expected, strict=True):
        assert unit.kind == want["kind"], describe([unit])
        assert unit.form_only == want["form_only"], describe([unit])
        assert want.get("old", "") in (unit.old or ""), describe([unit])
        assert want.get("new", "") in (unit.new or ""), describe([unit])
        if "section" in want:
            assert unit.section == want["section"], describe([unit])
    assert result.stats["form_only"] == sum(u["form_only"] for u in expected)


@by_name(load("form.toml"))
def test_change_of_form(case: dict[str, Any]) -> None:
    assert all(u["form_only"] or u["kind"] == "added" for u in case["expect"])
    check_units(case)


@by_name(load("real.toml"))
def test_real_edit(case: dict[str, Any]) -> None:
    check_units(case)


@by_name(load("segment.toml"))
def test_segmentation(case: dict[str, Any]) -> None:
    segments = segment(case["text"])
    assert [s.text for s in segments] == case["segments"]
    if "sections" in case:
        assert [s.section or "" for s in segments] == case["sections"]
