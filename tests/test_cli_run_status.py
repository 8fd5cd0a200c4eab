"""`policywatch run` says at start what it will do; `policywatch status` shows the service's
persisted plan (a retry after a transient failure too), also after the service stopped, and a
restarted service keeps that retry. Through the real console script where a process runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from policywatch.monitor.service.daemon import Daemon
from policywatch.monitor.service.scheduler import RETRY_BASE
from policywatch.monitor.timeutil import iso, parse_iso, utcnow
from policywatch.monitor.watchlist import load_watchlist
from policywatch.storage.checks import CheckRecord, record_check
from policywatch.storage.db import open_db
from tests.support.config import write_watchlist
from tests.support.console import SCRIPT, policywatch


@dataclass
class Transient:
    policy: str
    outcome: str = "failed"
    reason: str | None = "timeout"
    transient: bool | None = True
    severity: str | None = None
    change_id: int | None = None


def checked(db_path: Path, policy: str, minutes_ago: float, outcome: str = "failed") -> None:
    db = open_db(db_path)
    at = utcnow() - timedelta(minutes=minutes_ago)
    record_check(db, CheckRecord(policy, iso(at), iso(at + timedelta(seconds=1)), 1000, outcome,
                                 reason="timeout" if outcome == "failed" else None,
                                 transient=outcome == "failed"))
    db.conn.close()


def status_of(config: Path, policy: str) -> tuple[dict[str, object], str]:
    as_json = policywatch("--config", str(config), "status", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    row = next(r for r in json.loads(as_json.stdout) if r["policy"] == policy)
    return row, policywatch("--config", str(config), "status").stdout


def test_status_shows_the_planned_retry_and_a_restart_keeps_it(tmp_path: Path) -> None:
    config = write_watchlist(tmp_path, [{"name": "daily", "url": "http://d.invalid/p",
                                         "interval": "1d"}], {"jitter": 0})
    checked(tmp_path / "test.db", "daily", minutes_ago=1)
    watchlist = load_watchlist(config)
    daemon = Daemon(watchlist)
    daemon.schedule()  # not started: nothing runs, the plan is what is tested
    daemon._plan_retry(watchlist.policy("daily"), Transient("daily"))
    planned = daemon.jobs.retry_at("daily")
    assert planned is not None and abs((planned - utcnow()).total_seconds() - RETRY_BASE) < 30

    row, text = status_of(config, "daily")  # the service is not running: its plan stands
    assert row["next_run_reason"] == "retry"
    assert abs((parse_iso(str(row["next_run"])) - planned).total_seconds()) < 1
    assert f"next run {iso(planned)[:19]}Z (retry after a transient failure)" in text

    restarted = Daemon(load_watchlist(config))
    restarted.schedule()
    again = restarted.jobs.retry_at("daily")
    assert again is not None and abs((again - planned).total_seconds()) < 2
    assert restarted._failures == {"daily": 1}  # the next failure doubles the delay

    checked(tmp_path / "test.db", "daily", minutes_ago=0, outcome="unchanged")
    row, text = status_of(config, "daily")  # checked by hand since: last check + interval
    assert row["next_run_reason"] == "estimated"
    assert (parse_iso(str(row["next_run"])) - utcnow()).total_seconds() > 86000


def test_run_says_what_is_due_where_the_database_is_and_the_channels(tmp_path: Path) -> None:
    config = write_watchlist(tmp_path, [
        {"name": "new", "url": "http://new.invalid/p", "interval": "1h"},
        {"name": "recent", "url": "http://recent.invalid/p", "interval": "1h"}],
        channels={"team": {"type": "console", "stream": "stderr", "min_severity": "high"}})
    checked(tmp_path / "test.db", "recent", minutes_ago=10, outcome="unchanged")
    process = subprocess.Popen(
        [str(SCRIPT), "--config", str(config), "run", "--catchup-spread", "30"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"})
    lines: list[str] = []
    deadline = time.monotonic() + 30
    try:
        assert process.stderr is not None
        while time.monotonic() < deadline and not any("alert channels" in x for x in lines):
            line = process.stderr.readline()
            if not line:
                break
            lines.append(line)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    said = "".join(lines)
    assert f"database {tmp_path / 'test.db'}" in said, said
    assert "1 of 2 policies due now: first checks spread over" in said, said
    assert "1 not due yet: the next at " in said
    assert "alert channels: team (console, from high); operator notices: the console" in said
    assert process.returncode == 0
