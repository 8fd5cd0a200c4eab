"""Absurdly deep markup (issue 12 item 10) through check() against a real site on 127.0.0.1:
read flattened, or a permanent failure with a named reason; never an empty extraction that is
retried for ever. Cases in tests/cases/deep_nesting/."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.pipeline import check
from policywatch.storage.versions import timeline
from tests.support.config import load, make_context, write_watchlist
from tests.support.site import Site

CASES = Path(__file__).parent / "cases" / "deep_nesting"
POLICY = " ".join(["We collect your e-mail address and share it with advertising partners."] * 12)


def _cases() -> list[Any]:
    return [pytest.param(tomllib.loads(p.read_text(encoding="utf-8")), id=p.stem)
            for p in sorted(CASES.glob("*.toml"))]


def _page(case: dict[str, Any]) -> str:
    opening = "<" + case["tag"] + ">"
    closing = "</" + case["close"] + ">"
    depth = case["depth"]
    return f"<html><body>{opening * depth}<p>{POLICY}</p>{closing * depth}</body></html>"


@pytest.mark.parametrize("case", _cases())
def test_deep_nesting_case(case: dict[str, Any], tmp_path: Path) -> None:
    with Site() as site:
        site.set_page("/deep", _page(case))
        ctx = make_context(load(write_watchlist(tmp_path, [{"name": "deep",
                                                            "url": site.url("/deep")}])))
        result = check(ctx, ctx.watchlist.policy("deep"))
    assert result.outcome == case["outcome"], (case["description"], result)
    if result.outcome == "first_version":
        assert "share it with advertising partners" in timeline(ctx.db, "deep")[0].text
    else:
        assert result.reason == case["reason"] and result.transient is case["transient"]
