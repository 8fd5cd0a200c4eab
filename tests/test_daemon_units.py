"""The daemon's pure parts, case by case: per-host politeness, first run times after a restart,
reload plans, the watchlist watcher and the log formats. No threads, no waiting."""

from __future__ import annotations

import io
import json
import logging
import os
import random
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.service.logs import setup_logging
from policywatch.monitor.service.planning import planned_next_run
from policywatch.monitor.service.reload import WatchlistWatcher
from policywatch.monitor.service.runner import HostLimits, HostQueues, Task, host_of
from policywatch.monitor.service.scheduler import first_run, plan_reload
from policywatch.monitor.watchlist import load_watchlist, parse_watchlist
from policywatch.storage.plans import PlannedRun
from tests.support.config import watchlist_text, write_watchlist

CASES = Path(__file__).parent / "cases" / "daemon"


def cases(file: str) -> dict[str, dict[str, Any]]:
    data = tomllib.loads((CASES / file).read_text(encoding="utf-8"))
    return {case["name"]: case for case in data["case"]}


POLITENESS = cases("politeness.toml")
FIRST_RUN = cases("first_run.toml")
RELOAD = cases("reload.toml")


@pytest.mark.parametrize("name", sorted(POLITENESS))
def test_host_queues(name: str) -> None:
    case = POLITENESS[name]
    limits = HostLimits(case["concurrency"], case["delay"])
    queues = HostQueues()
    started: dict[str, Task] = {}
    for number, step in enumerate(case["steps"], start=1):
        where = f"step {number}: {step}"
        if "push" in step:
            added = [queues.push(Task(policy, "check", host)) for policy, host in step["push"]]
            if "expect_added" in step:
                assert added == step["expect_added"], where
        elif "pop" in step:
            task, wait = queues.pop_ready(step["pop"], limits)
            assert (task.policy if task else "") == step["expect"], where
            if task:
                started[task.policy] = task
            if "wait" in step:
                assert wait == (None if step["wait"] < 0 else pytest.approx(step["wait"])), where
        elif "done" in step:
            queues.done(started.pop(step["done"]))
        elif "cancel" in step:
            assert queues.cancel(step["cancel"]) == step["expect_dropped"], where


@pytest.mark.parametrize("name", sorted(FIRST_RUN))
def test_first_run_after_restart(name: str) -> None:
    case = FIRST_RUN[name]
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    last = now - timedelta(seconds=case["last"]) if "last" in case else None
    for seed in range(20):  # the spread is random: every draw must fall in the window
        start = first_run(last, case["interval"], now, spread=case["spread"],
                          rng=random.Random(seed))
        offset = (start - now).total_seconds()
        assert case["min"] <= offset <= case["max"], (seed, offset)


def test_restart_spreads_overdue_policies_instead_of_hitting_them_at_once() -> None:
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    rng = random.Random(7)
    starts = [first_run(now - timedelta(days=3), 3600, now, spread=60, rng=rng)
              for _ in range(200)]
    seconds = sorted(int((s - now).total_seconds()) for s in starts)
    # 200 overdue policies land in at least 40 distinct seconds of the minute, not one.
    assert len(set(seconds)) >= 40 and seconds[-1] <= 60


def test_status_next_run_is_the_plan_else_last_check_plus_interval() -> None:
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    last = "2026-05-01T11:30:00.000000Z"
    assert planned_next_run(None, last, 3600, now) == (
        datetime(2026, 5, 1, 12, 30, tzinfo=UTC), "estimated")
    assert planned_next_run(None, "2026-04-01T11:30:00.000000Z", 3600, now) == (now, "estimated")
    assert planned_next_run(None, None, 3600, now) == (now, "first_check")
    retry = PlannedRun("p", "2026-05-01T11:40:00.000000Z", "retry", 1,
                       "2026-05-01T11:35:00.000000Z")
    assert planned_next_run(retry, last, 3600, now) == (
        datetime(2026, 5, 1, 11, 40, tzinfo=UTC), "retry")  # overdue plans are shown as they are
    assert planned_next_run(retry, "2026-05-01T11:50:00.000000Z", 3600, now)[1] == "estimated"


def _watchlist(policies: list[list[Any]], jitter: float) -> Any:
    tables = [{"name": n, "url": f"https://example.com{u}", "interval": f"{i}s"}
              for n, i, u in policies]
    return parse_watchlist(watchlist_text(tables, {"jitter": jitter}))


@pytest.mark.parametrize("name", sorted(RELOAD))
def test_reload_plan(name: str) -> None:
    case = RELOAD[name]
    plan = plan_reload(_watchlist(case["before"], 0.1),
                       _watchlist(case["after"], case.get("jitter_after", 0.1)))
    assert [p.name for p in plan.added] == case["added"]
    assert list(plan.removed) == case["removed"]
    assert [p.name for p in plan.rescheduled] == case["rescheduled"]
    assert list(plan.updated) == case["updated"]
    assert plan.empty == (name == "nothing_changed")


def test_host_of_is_the_lower_case_hostname() -> None:
    assert host_of("https://Example.COM:8443/privacy?x=1") == "example.com"
    assert host_of("http://127.0.0.7:8000/p") == "127.0.0.7"


# --- the watchlist watcher ------------------------------------------------------------------

POLICY_A = {"name": "a", "url": "https://example.com/a", "interval": "1h"}
POLICY_B = {"name": "b", "url": "https://example.com/b", "interval": "1h"}


def _rewrite(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    # Some file systems keep mtime in coarse steps: force a visibly new stat.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_watcher_loads_a_valid_edit_and_refuses_a_broken_one_once(tmp_path: Path) -> None:
    path = write_watchlist(tmp_path, [POLICY_A])
    watcher = WatchlistWatcher(path, load_watchlist(path))
    assert watcher.poll().status == "unchanged"

    _rewrite(path, path.read_text() + watchlist_text([POLICY_B]).split("\n", 1)[1])
    loaded = watcher.poll()
    assert loaded.status == "loaded" and loaded.watchlist is not None
    assert [p.name for p in loaded.watchlist.policies] == ["a", "b"]

    _rewrite(path, path.read_text().replace('interval = "1h"', 'interval = "often"', 1))
    refused = watcher.poll()
    assert refused.status == "refused" and refused.message is not None
    assert "policy 'a': key 'interval'" in refused.message
    assert watcher.current is loaded.watchlist  # the old one stays in force
    _rewrite(path, path.read_text())
    assert watcher.poll().status == "unchanged"  # the same broken content is reported once
    forced = watcher.poll(force=True)  # ...but a SIGHUP reads it again and says so
    assert forced.status == "refused" and "policy 'a': key 'interval'" in str(forced.message)


def test_watcher_ignores_a_rewrite_with_the_same_content(tmp_path: Path) -> None:
    path = write_watchlist(tmp_path, [POLICY_A])
    watcher = WatchlistWatcher(path, load_watchlist(path))
    _rewrite(path, path.read_text())
    assert watcher.poll().status == "unchanged"
    assert watcher.poll(force=True).status == "loaded"  # SIGHUP reloads anyway


def test_watcher_refuses_a_deleted_file(tmp_path: Path) -> None:
    path = write_watchlist(tmp_path, [POLICY_A])
    watcher = WatchlistWatcher(path, load_watchlist(path))
    path.unlink()
    refused = watcher.poll()
    assert refused.status == "refused" and "cannot read" in (refused.message or "")
    assert watcher.poll().status == "unchanged"


# --- logs ------------------------------------------------------------------------------------

@pytest.fixture()
def restore_logging() -> Any:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("restore_logging")
def test_json_log_is_one_object_per_line_with_the_policy() -> None:
    stream = io.StringIO()
    setup_logging("json", stream=stream)
    logging.getLogger("policywatch.check").info(
        "%s: %s", "kareo", "new_version", extra={"policy": "kareo", "outcome": "new_version"})
    logging.getLogger("policywatch.daemon").error("refused:\n  - bad interval")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["policy"] == "kareo" and first["outcome"] == "new_version"
    assert first["message"] == "kareo: new_version" and first["level"] == "INFO"
    assert first["logger"] == "policywatch.check" and first["ts"].endswith("Z")
    assert second["message"] == "refused:\n  - bad interval" and "policy" not in second


@pytest.mark.usefixtures("restore_logging")
def test_text_log_is_one_line_per_event_with_the_policy() -> None:
    stream = io.StringIO()
    setup_logging("text", stream=stream)
    logging.getLogger("policywatch.check").warning(
        "kareo: failed", extra={"policy": "kareo", "outcome": "failed"})
    logging.getLogger("policywatch.daemon").error("refused:\n  - bad interval")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("WARNING policywatch.check kareo: failed "
                             "[policy=kareo outcome=failed]")
    assert lines[1].endswith("refused: |   - bad interval")


def test_unknown_log_format_is_refused() -> None:
    with pytest.raises(ValueError, match="log format"):
        setup_logging("xml")
