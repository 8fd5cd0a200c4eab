"""The date a policy states about itself, in each form and language (cases in
tests/cases/stated_dates/forms.toml), and what each change does to it (honesty.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.classify import classify_diff
from policywatch.monitor.diff import diff_texts
from policywatch.monitor.history.stated_dates import date_honesty, honesty_note, stated_date

CASES = Path(__file__).parent / "cases" / "stated_dates"


def load(name: str) -> list[dict[str, Any]]:
    with open(CASES / name, "rb") as fh:
        cases: list[dict[str, Any]] = tomllib.load(fh)["case"]
    return cases


@pytest.mark.parametrize("case", load("forms.toml"), ids=lambda c: c["name"])
def test_stated_date_form(case: dict[str, Any]) -> None:
    found = stated_date(case["text"])
    assert (found.iso() if found else "") == case["date"], found
    if "label" in case:
        assert found is not None and found.label == case["label"]


@pytest.mark.parametrize("case", load("honesty.toml"), ids=lambda c: c["name"])
def test_honesty_of_a_change(case: dict[str, Any]) -> None:
    old, new = case["old"], case["new"]
    result = classify_diff(diff_texts(old, new), old, new)  # as check does
    honesty = date_honesty(old, new, result.material,
                           [(u.old, u.new) for u in result.changes])
    assert honesty.kind == case["kind"], (result.material, [(u.kind, u.old, u.new)
                                                            for u in result.changes])
    note = honesty_note(honesty.kind, honesty.label, honesty.old and honesty.old.iso(),
                        honesty.new and honesty.new.iso())
    assert (note or "") == case.get("note", ""), note
