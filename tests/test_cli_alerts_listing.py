"""`policywatch alerts --pending` lists what is not yet delivered (due, retrying, waiting for a
digest) and never sends; `--format json` carries the same rows. Through the real console
script."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from policywatch.storage.changes import AlertRoute
from policywatch.storage.db import open_db
from tests.support.alertdb import add_change, make_watchlist, sale_result
from tests.support.console import policywatch


def make_outbox(tmp_path: Path) -> Path:
    later_hour = (datetime.now(UTC).hour + 12) % 24  # the digest is not due during the test
    make_watchlist(tmp_path, {"now": {"type": "console", "stream": "stdout"},
                              "daily": {"type": "console", "digest": "daily",
                                        "digest_hour": later_hour}})
    db = open_db(tmp_path / "test.db")
    add_change(db, sale_result(), [AlertRoute("now"), AlertRoute("daily", status="digest")],
               at=datetime.now(UTC))
    db.conn.close()
    return tmp_path / "watchlist.toml"


def test_pending_lists_undelivered_alerts_and_sends_nothing(tmp_path: Path) -> None:
    config = make_outbox(tmp_path)
    before = policywatch("--config", str(config), "alerts", "--pending")
    assert before.returncode == 0, before.stderr
    lines = before.stdout.splitlines()
    assert lines[0] == "2 pending (2 in all: digest 1, pending 1)"
    assert [line.split()[:3] for line in lines[1:] if line.startswith("#")] == [
        ["#2", "digest", "daily"], ["#1", "pending", "now"]]
    again = policywatch("--config", str(config), "alerts", "--pending")
    assert again.stdout == before.stdout  # listing sent nothing

    sent = policywatch("--config", str(config), "alerts", "send")
    assert sent.returncode == 0 and "sent 1" in sent.stdout, sent.stdout + sent.stderr
    after = policywatch("--config", str(config), "alerts", "--pending")
    assert after.stdout.splitlines()[0] == "1 pending (2 in all: digest 1, sent 1)"
    assert "#1 " not in after.stdout and "#2 " in after.stdout


def test_alerts_json_has_the_documented_fields(tmp_path: Path) -> None:
    config = make_outbox(tmp_path)
    result = policywatch("--config", str(config), "alerts", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["counts"] == {"digest": 1, "pending": 1}
    assert [(a["id"], a["status"], a["channel"]) for a in data["alerts"]] == [
        (2, "digest", "daily"), (1, "pending", "now")]
    assert set(data["alerts"][0]) == {
        "id", "status", "kind", "channel", "policy", "severity", "summary", "about", "attempts",
        "created_at", "next_attempt_at", "sent_at", "bundle_id", "last_error"}
    assert data["alerts"][1]["about"] == "kareo HIGH: sale of data introduced"
    failed = json.loads(policywatch("--config", str(config), "alerts", "--failed",
                                    "--format", "json").stdout)
    assert failed["alerts"] == []
