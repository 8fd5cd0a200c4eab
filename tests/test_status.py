"""`policywatch status` over a database written through the storage layer, case by case."""

from __future__ import annotations

import json
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import policywatch.monitor.cli  # noqa: F401  (registers every command on the root group)
from policywatch.monitor.cli.root import cli
from policywatch.monitor.timeutil import iso, parse_iso, utcnow
from policywatch.storage.changes import AlertRoute, NewChange, record_change
from policywatch.storage.checks import CheckRecord, record_check
from policywatch.storage.db import open_db
from policywatch.storage.outbox import mark_failed
from policywatch.storage.versions import NewVersion, add_version
from tests.support.config import write_watchlist

CASES = {case["name"]: case for case in tomllib.loads(
    (Path(__file__).parent / "cases" / "daemon" / "status.toml").read_text())["case"]}


def _store(db: Any, case: dict[str, Any], now: datetime) -> None:
    name = case["name"]

    def ago(minutes: float) -> str:
        return iso(now - timedelta(minutes=minutes))

    for minutes, outcome, reason in case.get("checks", []):
        record_check(db, CheckRecord(name, ago(minutes), ago(minutes), 12, outcome,
                                     reason or None))
    if "change" not in case:
        return
    severity, summary = case["change"]
    first, second = (add_version(db, NewVersion(name, text, f"hash-{text}", 1, None, ago(m)))
                     for text, m in (("old text", 100), ("new text", 20)))
    routes = [AlertRoute(channel, "digest" if status == "digest" else "pending")
              for channel, status in case.get("alerts", [])]
    change_id = record_change(db, NewChange(
        policy=name, from_version_id=first, to_version_id=second, detected_at=ago(20),
        window_start=ago(100), window_end=ago(20), source="live", material=True,
        severity=severity, direction="worse", categories=["third_party_sharing"],
        summary=summary, diff={}), routes)
    for channel, status in case.get("alerts", []):
        if status == "failed":
            alert_id = db.execute("SELECT id FROM alerts WHERE change_id = ? AND channel = ?",
                                  [change_id, channel]).fetchone()[0]
            mark_failed(db, alert_id, "535 authentication failed")


@pytest.fixture(scope="module")
def status_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    directory = tmp_path_factory.mktemp("status")
    tables = [{"name": c["name"], "url": f"https://example.com/{c['name']}",
               "interval": f"{c['interval']}m"} for c in CASES.values()]
    path = write_watchlist(directory, tables)
    now = utcnow()
    db = open_db(directory / "test.db")
    for case in CASES.values():
        _store(db, case, now)
    runner = CliRunner()
    as_json = runner.invoke(cli, ["--config", str(path), "status", "--format", "json"])
    as_text = runner.invoke(cli, ["--config", str(path), "status"])
    assert as_json.exit_code == 0, as_json.output
    assert as_text.exit_code == 0, as_text.output
    rows = {row["policy"]: row for row in json.loads(as_json.output)}
    return {"rows": rows, "text": as_text.output, "now": now}


@pytest.mark.parametrize("name", sorted(CASES))
def test_status_json(name: str, status_output: dict[str, Any]) -> None:
    case, row, now = CASES[name], status_output["rows"][name], status_output["now"]
    check = row["last_check"]
    assert (check["outcome"] if check else "") == case["expect_outcome"]
    if "expect_reason" in case:
        assert check["reason"] == case["expect_reason"]
    next_in = (parse_iso(row["next_run"]) - now).total_seconds() / 60
    assert next_in == pytest.approx(case["expect_next_in"], abs=1)
    change = row["last_change"]
    assert (change["severity"] if change else "") == case["expect_severity"]
    if "expect_summary" in case:
        assert change["summary"] == case["expect_summary"]
    assert row["alerts"] == {"pending": case["expect_pending"], "failed": case["expect_failed"]}


def test_status_text_has_a_block_per_policy(status_output: dict[str, Any]) -> None:
    text = status_output["text"]
    blocks = {block.split("\n", 1)[0]: block for block in text.strip().split("\n") if block
              and not block.startswith(" ")}
    assert set(blocks) == set(CASES)
    assert "never checked" in text
    assert "last change" in text and "HIGH: sale of data introduced" in text
    assert "alerts: 2 pending, 1 failed" in text
    assert "failed (http_503)" in text
