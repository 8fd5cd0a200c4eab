"""Language editions through check() against a real site on 127.0.0.1: a version in another
language than the one before is held as suspect like a shrink, and the operator is told "the page
now serves the <language> edition". Cases in tests/cases/editions/ (texts in texts.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.context import Context
from policywatch.monitor.extract.language import detect_language
from policywatch.monitor.pipeline import check
from policywatch.storage.versions import timeline
from tests.support.config import load, make_context, write_watchlist
from tests.support.pages import policy_page
from tests.support.site import Reply, Site

CASES = Path(__file__).parent / "cases" / "editions"
# A channel every change is routed to, so that a quiet change is seen to be quiet.
CHANNELS = {"ops": {"type": "console", "min_severity": "none"}}
TEXTS = tomllib.loads((CASES / "texts.toml").read_text(encoding="utf-8"))


def _cases() -> list[Any]:
    return [pytest.param(tomllib.loads(p.read_text(encoding="utf-8")), id=p.stem)
            for p in sorted(CASES.glob("*.toml")) if p.name != "texts.toml"]


def operator_notices(ctx: Context) -> list[str]:
    return [row["payload"] for row in ctx.db.query(
        "SELECT payload FROM alerts WHERE kind = 'operator' ORDER BY id")]


@pytest.mark.parametrize("case", _cases())
def test_edition_case(case: dict[str, Any], tmp_path: Path) -> None:
    results = []
    with Site() as site:
        ctx = make_context(load(write_watchlist(
            tmp_path, [{"name": "shop", "url": site.url("/privacy")}], channels=CHANNELS)))
        for edition in case["pages"]:
            # Without validators, so that every check reads the page (no 304).
            site.set_page("/privacy", Reply(body=policy_page(TEXTS[edition]).encode(),
                                            conditional=False))
            results.append(check(ctx, ctx.watchlist.policy("shop")))
    assert [r.outcome for r in results] == case["outcomes"], (case["description"], results)
    assert [r.reason or "" for r in results] == case["reasons"], case["description"]
    assert len(timeline(ctx.db, "shop")) == case["versions"]
    user_alerts = ctx.db.execute("SELECT COUNT(*) FROM alerts WHERE kind != 'operator'")
    assert user_alerts.fetchone()[0] == case.get("alerts", 0), case["description"]
    notices = operator_notices(ctx)
    if "notice" in case:
        assert notices and all(case["notice"] in n for n in notices), notices
    else:
        assert not any("edition" in n for n in notices), notices


@pytest.mark.parametrize("edition, code", [("en", "en"), ("fr", "fr"), ("de", "de")])
def test_detects_the_language_of_each_edition(edition: str, code: str) -> None:
    assert detect_language(TEXTS[edition]) == code
