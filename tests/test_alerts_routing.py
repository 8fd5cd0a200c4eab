"""Which channels hear about a change, decided on the real differ's and classifier's output
(cases in tests/cases/alerts/routing.toml): min_severity, categories (judged on the units in those
categories) and digest; a change that is not material alerts nobody."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.alerts.routing import routes_for
from policywatch.monitor.classify import classify_diff
from policywatch.monitor.diff import diff_texts
from policywatch.monitor.model import DiffResult
from policywatch.monitor.watchlist import DEFAULT_CONSOLE, parse_watchlist
from policywatch.storage.changes import AlertRoute
from policywatch.storage.db import open_db
from policywatch.storage.outbox import due_alerts
from tests.support.alertdb import add_change, alert_rows
from tests.support.config import watchlist_text

CASES_FILE = Path(__file__).parent / "cases" / "alerts" / "routing.toml"
DATA = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))
CASES = {case["name"]: case for case in DATA["case"]}
WATCHLIST = parse_watchlist(watchlist_text(
    [{"name": "coro", "url": "https://coro.example/privacy"}], channels=DATA["channels"]))
CHANNELS = [WATCHLIST.channels[name] for name in DATA["channels"]]


def classified(case: dict[str, Any]) -> DiffResult:
    return classify_diff(diff_texts(case["old"], case["new"]))


@pytest.mark.parametrize("name", list(CASES))
def test_routes_follow_severity_categories_and_digest(name: str) -> None:
    case = CASES[name]
    result = classified(case)
    expect = case["expect"]
    assert (result.material, result.severity) == (expect["material"], expect["severity"]), \
        result.to_json()
    assert set(expect["has_categories"]) <= set(result.categories)

    routes = routes_for(CHANNELS, result)

    assert {r.channel: r.status for r in routes} == case["routes"]


def test_routes_are_recorded_with_the_change_and_digests_wait(tmp_path: Path) -> None:
    db = open_db(tmp_path / "routing.db")
    result = classified(CASES["children-data-newly-collected"])

    change_id = add_change(db, result, routes_for(CHANNELS, result))

    rows = {row["channel"]: row for row in alert_rows(db)}
    assert set(rows) == set(CASES["children-data-newly-collected"]["routes"])
    assert {row["change_id"] for row in rows.values()} == {change_id}
    assert rows["daily"]["status"] == "digest"
    due = {row.channel for row in due_alerts(db, "9999")}
    assert due == set(rows) - {"daily"}


def test_the_default_console_channel_gets_medium_and_above() -> None:
    for name, wanted in (("retention-extended", ["pending"]), ("children-age-raised", [])):
        routes = routes_for([DEFAULT_CONSOLE], classified(CASES[name]))
        assert [r.status for r in routes] == wanted
        assert all(r == AlertRoute("console") for r in routes)
