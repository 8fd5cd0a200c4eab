"""Data-driven tests of check_content() (tests/cases/extract_checks/) and is_suspect_shrink()
(tests/cases/extract_shrink/, real collapses and real rewrites from ../shared histories:
Open Terms Archive contributors, ODC-By 1.0)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.errors import ContentRejected
from policywatch.monitor.extract import check_content, extract, is_suspect_shrink
from tests.support.pages import (
    SAMPLE_POLICY,
    bot_check_page,
    cookie_wall_page,
    policy_page,
    shared_dir,
    soft_404_page,
)

CASES = Path(__file__).parent / "cases"
URL = "https://www.northwind-health.example/privacy"


def _cases(folder: str) -> list[Any]:
    return [pytest.param(tomllib.loads(p.read_text(encoding="utf-8")), id=p.stem)
            for p in sorted((CASES / folder).glob("*.toml"))]


def _page(case: dict[str, Any]) -> str:
    page: str = case.get("page", "")
    if page.startswith("bot:"):
        return bot_check_page(page.removeprefix("bot:"))
    if page.startswith("cookie_wall:"):
        return cookie_wall_page(named=page.endswith(":named"))
    if page == "soft_404":
        return soft_404_page()
    if page == "policy":
        html = policy_page(case.get("text", SAMPLE_POLICY), style=case.get("style", "standard"),
                           chrome=case.get("chrome", 0))
        return html.replace("</head>", case.get("inject", "") + "</head>")
    html_text: str = case["html"]
    return html_text


def _body(case: dict[str, Any]) -> bytes:
    if "body_hex" in case:
        return bytes.fromhex(case["body_hex"])
    return _page(case).encode(case.get("encoding", "utf-8"))


@pytest.mark.parametrize("case", _cases("extract_checks"))
def test_check_content_case(case: dict[str, Any]) -> None:
    body = _body(case)
    content_type = case.get("content_type", "text/html; charset=utf-8")
    text = extract(body, content_type=content_type)
    if case.get("expect_ok"):
        check_content(body, content_type, text, url=URL)
        return
    with pytest.raises(ContentRejected) as caught:
        check_content(body, content_type, text, url=URL)
    error = caught.value
    assert (error.reason, error.transient) == (case["expect_reason"], case["expect_transient"])
    assert error.url == URL and error.detail, case["description"]


def _shrink_text(case: dict[str, Any], which: str) -> str:
    if case.get(f"{which}_sample"):
        return SAMPLE_POLICY
    if f"{which}_text" in case:
        text: str = case[f"{which}_text"]
        return text
    path = shared_dir() / "corpus" / "histories" / str(case[which])
    if not path.is_file():
        pytest.skip(f"real histories not available ({path} is missing)")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", _cases("extract_shrink"))
def test_is_suspect_shrink_case(case: dict[str, Any]) -> None:
    previous, current = _shrink_text(case, "previous"), _shrink_text(case, "current")
    assert is_suspect_shrink(previous, current) is case["expect"], case["description"]
