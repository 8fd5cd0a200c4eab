"""Data-driven tests of extract() and css_error(): one case per file in tests/cases/extract/."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.extract import css_error, extract

CASES = Path(__file__).parent / "cases" / "extract"


def _load(kind: str) -> list[Any]:
    cases = []
    for path in sorted(CASES.glob("*.toml")):
        case = tomllib.loads(path.read_text(encoding="utf-8"))
        if case.get("kind", "extract") == kind:
            cases.append(pytest.param(case, id=path.stem))
    return cases


def _body(case: dict[str, Any]) -> bytes | str:
    html: str = case["html"]
    encoding = case.get("encoding")
    return html.encode(encoding) if encoding else html


@pytest.mark.parametrize("case", _load("extract"))
def test_extract_case(case: dict[str, Any]) -> None:
    text = extract(_body(case), content_type=case.get("content_type"),
                   selector=case.get("selector"), remove=case.get("remove", ()))
    if "expect" in case:
        assert text == case["expect"], case["description"]
    for wanted in case.get("expect_contains", []):
        assert wanted in text, f"{case['description']}: missing {wanted!r} in\n{text}"
    for unwanted in case.get("expect_absent", []):
        assert unwanted not in text, f"{case['description']}: {unwanted!r} left in\n{text}"
    order = [text.index(part) for part in case.get("expect_order", [])]
    assert order == sorted(order), case["description"]


@pytest.mark.parametrize("case", _load("css"))
def test_css_error_case(case: dict[str, Any]) -> None:
    for selector in case["valid"]:
        assert css_error(selector) is None, selector
    for selector in case["invalid"]:
        message = css_error(selector)
        assert message and len(message) < 200 and "\n" not in message, (selector, message)


def test_extract_rejects_invalid_selector() -> None:
    with pytest.raises(ValueError, match="invalid CSS selector"):
        extract("<p>x</p>", selector="div[")
    with pytest.raises(ValueError, match="invalid CSS selector"):
        extract("<p>x</p>", remove=["..x"])
