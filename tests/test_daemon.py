"""The daemon in-process with a fake check(): scheduling from the database, per-host politeness,
reload, shutdown, backfill first, the outbox wake-up, metrics. Waits poll for an event with a
generous deadline; nothing waits for an interval to pass."""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from policywatch.monitor.context import Context
from policywatch.monitor.service.daemon import Daemon, DaemonOptions
from policywatch.monitor.timeutil import iso, utcnow
from policywatch.monitor.watchlist import Policy, Watchlist, load_watchlist
from policywatch.storage.checks import CheckRecord, recent_checks, record_check
from policywatch.storage.db import open_db
from policywatch.storage.status import last_completed_check_times
from tests.support.config import write_watchlist

HOUR = "1h"


def wait_until(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before the deadline")
        time.sleep(0.02)


@dataclass
class Result:
    policy: str
    outcome: str = "unchanged"
    reason: str | None = None
    severity: str | None = None
    change_id: int | None = None
    transient: bool | None = None


@dataclass
class FakeChecks:
    """Stands in for pipeline.check: records calls; `behave` decides what each call does."""

    behave: Callable[[Policy], Result] | None = None
    calls: list[str] = field(default_factory=list)
    connections: dict[str, int] = field(default_factory=dict)  # thread → id(ctx.db)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, ctx: Context, policy: Policy) -> Result:
        with self.lock:
            self.calls.append(policy.name)
            self.connections.setdefault(threading.current_thread().name, id(ctx.db))
        return self.behave(policy) if self.behave else Result(policy.name)

    def count(self, name: str) -> int:
        with self.lock:
            return self.calls.count(name)


def policies(*specs: tuple[str, str], interval: str = HOUR, **extra: Any) -> list[dict[str, Any]]:
    return [{"name": name, "url": f"http://{host}/{name}", "interval": interval, **extra}
            for name, host in specs]


def make_watchlist(tmp_path: Path, tables: list[dict[str, Any]], **settings: Any) -> Watchlist:
    merged = {"per_host_delay": 0, "jitter": 0, **settings}
    return load_watchlist(write_watchlist(tmp_path, tables, merged))


@pytest.fixture()
def daemons() -> Iterator[list[Daemon]]:
    started: list[Daemon] = []
    yield started
    for daemon in started:
        daemon.shutdown()


def start(daemons: list[Daemon], watchlist: Watchlist, checks: FakeChecks,
          **kwargs: Any) -> Daemon:
    options = kwargs.pop("options", DaemonOptions(workers=4, grace=0.5, catchup_spread=0))
    daemon = Daemon(watchlist, options, check_fn=checks,
                    dispatch=kwargs.pop("dispatch", lambda db, wl, clock: None),
                    digests=lambda db, wl, clock: None, **kwargs)
    daemons.append(daemon)
    daemon.start()
    return daemon


def test_every_policy_is_checked_at_start_each_thread_on_its_own_connection(
        tmp_path: Path, daemons: list[Daemon]) -> None:
    wl = make_watchlist(tmp_path, policies(*[(f"p{i}", f"h{i % 3}.test") for i in range(9)]))
    checks = FakeChecks()
    daemon = start(daemons, wl, checks)
    wait_until(lambda: len(checks.calls) == 9)
    assert sorted(checks.calls) == sorted(f"p{i}" for i in range(9))
    # Each worker thread that ran a check had a connection of its own.
    assert len(set(checks.connections.values())) == len(checks.connections)
    samples = daemon.metrics.registry.get_sample_value
    wait_until(lambda: samples("policywatch_checks_total", {"outcome": "unchanged"}) == 9)


def test_restart_schedules_each_policy_from_its_last_check(tmp_path: Path) -> None:
    wl = make_watchlist(tmp_path, policies(("recent", "a.test"), ("stale", "a.test"),
                                           ("new", "b.test")))
    now = utcnow()
    db = open_db(wl.settings.database)
    for name, ago in (("recent", timedelta(minutes=10)), ("stale", timedelta(days=10))):
        at = iso(now - ago)
        record_check(db, CheckRecord(name, at, at, 5, "unchanged"))
    daemon = Daemon(wl, DaemonOptions(catchup_spread=30), check_fn=FakeChecks())
    daemon.schedule()  # jobs planned, scheduler not started: nothing runs
    recent = daemon.jobs.next_run("recent")
    assert recent is not None
    assert abs((recent - (now + timedelta(minutes=50))).total_seconds()) < 2
    for name in ("stale", "new"):
        first = daemon.jobs.next_run(name)
        assert first is not None and 0 <= (first - now).total_seconds() <= 32, name


def test_a_long_downtime_causes_one_catch_up_check(tmp_path: Path,
                                                   daemons: list[Daemon]) -> None:
    wl = make_watchlist(tmp_path, policies(("p", "a.test")))
    at = iso(utcnow() - timedelta(days=30))  # 720 missed hourly checks
    record_check(open_db(wl.settings.database), CheckRecord("p", at, at, 5, "unchanged"))
    checks = FakeChecks()
    daemon = start(daemons, wl, checks)
    wait_until(lambda: checks.count("p") == 1)
    job = daemon._scheduler.get_job("policy:p")
    assert job.coalesce and job.max_instances == 1 and job.misfire_grace_time == 3600
    after = daemon.jobs.next_run("p")
    assert after is not None and (after - utcnow()).total_seconds() > 3500  # next: in an hour
    assert checks.count("p") == 1


def test_per_host_politeness_with_other_hosts_going_on(tmp_path: Path,
                                                       daemons: list[Daemon]) -> None:
    specs = [(f"{host}{i}", f"{host}.test") for host in "abc" for i in range(3)]
    wl = make_watchlist(tmp_path, policies(*specs), per_host_concurrency=1)
    barrier = threading.Barrier(3, timeout=20)  # one check of each host at the same time
    active: dict[str, int] = {}
    most: dict[str, int] = {}
    lock = threading.Lock()

    def behave(policy: Policy) -> Result:
        host = policy.url.split("/")[2]
        with lock:
            active[host] = active.get(host, 0) + 1
            most[host] = max(most.get(host, 0), active[host])
        try:
            if policy.name.endswith("0"):
                barrier.wait()  # fails unless a, b and c run side by side
            return Result(policy.name)
        finally:
            with lock:
                active[host] -= 1

    checks = FakeChecks(behave)
    start(daemons, wl, checks)
    wait_until(lambda: len(checks.calls) == 9)
    assert most == {"a.test": 1, "b.test": 1, "c.test": 1}
    assert not barrier.broken


def test_reload_adds_removes_reschedules_and_refuses_a_broken_file(
        tmp_path: Path, daemons: list[Daemon], caplog: pytest.LogCaptureFixture) -> None:
    wl = make_watchlist(tmp_path, policies(("a", "a.test"), ("b", "b.test")))
    checks = FakeChecks()
    daemon = start(daemons, wl, checks)
    wait_until(lambda: len(checks.calls) == 2)

    write_watchlist(tmp_path, policies(("a", "a.test"), ("c", "c.test")) + policies(
        ("d", "d.test"), interval="2h"), {"per_host_delay": 0, "jitter": 0})
    assert daemon.reload().status == "loaded"
    assert sorted(daemon.jobs.names()) == ["a", "c", "d"]
    wait_until(lambda: checks.count("c") == 1 and checks.count("d") == 1)

    write_watchlist(tmp_path, policies(("a", "a.test"), ("c", "c.test"), interval="30m") +
                    policies(("d", "d.test"), interval="2h"), {"per_host_delay": 0, "jitter": 0})
    assert daemon.reload().status == "loaded"
    job = daemon._scheduler.get_job("policy:a")
    assert job.trigger.interval == timedelta(minutes=30)

    path = wl.path
    path.write_text(path.read_text().replace('interval = "2h"', 'interval = "soon"'))
    with caplog.at_level(logging.ERROR, logger="policywatch.daemon"):
        assert daemon.reload(force=True).status == "refused"
    assert "watchlist change refused" in caplog.text and "policy 'd': key 'interval'" in caplog.text
    assert sorted(daemon.jobs.names()) == ["a", "c", "d"]  # the old watchlist stays in force
    assert daemon.watchlist.policy("d").interval == 7200


def test_the_file_watcher_notices_an_edit(tmp_path: Path, daemons: list[Daemon]) -> None:
    wl = make_watchlist(tmp_path, policies(("a", "a.test")))
    checks = FakeChecks()
    options = DaemonOptions(workers=2, grace=0.5, catchup_spread=0, watch_interval=0.2)
    daemon = start(daemons, wl, checks, options=options)
    write_watchlist(tmp_path, policies(("a", "a.test"), ("late", "b.test")),
                    {"per_host_delay": 0, "jitter": 0})
    wait_until(lambda: checks.count("late") == 1)
    assert daemon.watchlist.policy("late").url == "http://b.test/late"


def test_shutdown_records_the_checks_it_interrupts(tmp_path: Path) -> None:
    wl = make_watchlist(tmp_path, policies(("slow", "a.test"), ("quick", "b.test")))
    release = threading.Event()

    def behave(policy: Policy) -> Result:
        if policy.name == "slow":
            release.wait(30)
        return Result(policy.name)

    checks = FakeChecks(behave)
    daemon = Daemon(wl, DaemonOptions(workers=2, grace=0.3, catchup_spread=0), check_fn=checks)
    daemon.start()
    try:
        wait_until(lambda: len(checks.calls) == 2)
        interrupted = daemon.shutdown()
    finally:
        release.set()
    assert [r.task.policy for r in interrupted] == ["slow"]
    rows = recent_checks(open_db(wl.settings.database), "slow")
    assert rows[0].outcome == "interrupted" and rows[0].reason == "shutdown"
    assert "slow" not in last_completed_check_times(open_db(wl.settings.database))
    assert not daemon.runner.submit("quick", "b.test")  # nothing starts after a shutdown


def test_a_crashing_check_is_recorded_and_the_others_go_on(tmp_path: Path,
                                                           daemons: list[Daemon]) -> None:
    wl = make_watchlist(tmp_path, policies(("bad", "a.test"), ("good", "a.test")))

    def behave(policy: Policy) -> Result:
        if policy.name == "bad":
            raise RuntimeError("boom")
        return Result(policy.name)

    checks = FakeChecks(behave)
    daemon = start(daemons, wl, checks)
    db = open_db(wl.settings.database)
    wait_until(lambda: bool(recent_checks(db, "bad")) and checks.count("good") == 1)
    row = recent_checks(db, "bad")[0]
    assert (row.outcome, row.reason) == ("failed", "internal_error")
    assert "RuntimeError: boom" in row.detail
    failures = daemon.metrics.registry.get_sample_value(
        "policywatch_check_failures_total", {"reason": "internal_error"})
    assert failures == 1


def test_a_new_wayback_policy_is_backfilled_then_checked(tmp_path: Path,
                                                         daemons: list[Daemon]) -> None:
    tables = policies(("archived", "a.test"), wayback=True) + policies(("plain", "b.test"))
    wl = make_watchlist(tmp_path, tables)
    events: list[tuple[str, str]] = []
    lock = threading.Lock()

    def note(kind: str, policy: Policy) -> None:
        with lock:
            events.append((kind, policy.name))

    def needs(ctx: Context, policy: Policy) -> bool:
        note("needs", policy)
        return True

    def backfill(ctx: Context, policy: Policy) -> str:
        note("backfill", policy)
        return "3 versions"

    def behave(policy: Policy) -> Result:
        note("check", policy)
        return Result(policy.name)

    daemon = start(daemons, wl, FakeChecks(behave), needs_backfill=needs, backfill=backfill)
    wait_until(lambda: ("check", "archived") in events and ("check", "plain") in events)
    archived = [kind for kind, name in events if name == "archived"]
    assert archived == ["needs", "backfill", "check"]
    assert [kind for kind, name in events if name == "plain"] == ["check"]
    daemon._due("archived")  # due again: backfilled once per run, so a plain check
    wait_until(lambda: events.count(("check", "archived")) == 2)
    assert events.count(("backfill", "archived")) == 1


@dataclass
class Outcome:
    status: str
    alert_id: int = 0
    channel: str = "fake"
    detail: str = ""


@dataclass
class Report:
    outcomes: list[Outcome]
    recovered: list[int] = field(default_factory=list)


def test_a_change_wakes_the_outbox_dispatcher(tmp_path: Path, daemons: list[Daemon]) -> None:
    wl = make_watchlist(tmp_path, policies(("p", "a.test")))
    passes: list[str] = []
    first_pass = threading.Event()

    def dispatch(db: Any, watchlist: Watchlist, clock: Any) -> Report:
        passes.append(watchlist.policies[0].name)
        first_pass.set()
        return Report([Outcome("sent"), Outcome("sent"), Outcome("retrying")])

    def behave(policy: Policy) -> Result:
        first_pass.wait(20)  # the start-up pass is over before the change is recorded
        return Result(policy.name, "new_version", severity="high", change_id=1)

    # Polling once an hour: only the change's wake-up can cause a second pass.
    options = DaemonOptions(workers=2, grace=0.5, catchup_spread=0, dispatch_interval=3600)
    daemon = start(daemons, wl, FakeChecks(behave), options=options, dispatch=dispatch)
    wait_until(lambda: len(passes) >= 2)
    sample = daemon.metrics.registry.get_sample_value
    wait_until(lambda: sample("policywatch_alert_deliveries_total", {"result": "sent"}) == 4)
    assert sample("policywatch_changes_total", {"severity": "high"}) == 1
    assert sample("policywatch_alert_queue_depth", {"status": "pending"}) == 0


def test_metrics_and_healthz_are_served(tmp_path: Path, daemons: list[Daemon]) -> None:
    wl = make_watchlist(tmp_path, policies(("p", "a.test"), ("q", "b.test")))
    checks = FakeChecks(lambda p: Result(p.name, "failed", reason="http_404"))
    options = DaemonOptions(workers=2, grace=0.5, catchup_spread=0, metrics_port=0)
    daemon = start(daemons, wl, checks, options=options)
    wait_until(lambda: len(checks.calls) == 2)
    base = f"http://127.0.0.1:{daemon.metrics_port}"

    def scrape() -> str:
        with urllib.request.urlopen(base + "/metrics", timeout=5) as response:
            return str(response.read().decode())

    wait_until(lambda: 'policywatch_check_failures_total{reason="http_404"} 2.0' in scrape())
    text = scrape()
    assert 'policywatch_checks_total{outcome="failed"} 2.0' in text
    assert "policywatch_policies 2.0" in text and "policywatch_check_queue_depth" in text
    with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
        assert response.status == 200
        health = json.loads(response.read())
    assert health["status"] == "ok" and health["policies"] == 2


@dataclass
class TransientResult(Result):
    transient: bool | None = None


def test_transient_failures_are_retried_soon_with_a_doubling_delay(
        tmp_path: Path, daemons: list[Daemon]) -> None:
    from policywatch.monitor.service.scheduler import RETRY_BASE, retry_delay

    wl = make_watchlist(tmp_path, policies(("daily", "d.test"), ("gone", "g.test"),
                                           interval="1d"))
    failing = {"daily": TransientResult("daily", "failed", "timeout", transient=True),
               "gone": TransientResult("gone", "failed", "http_404", transient=False)}
    checks = FakeChecks(behave=lambda policy: failing[policy.name])
    daemon = start(daemons, wl, checks)
    wait_until(lambda: daemon.jobs.retry_at("daily") is not None)
    first = daemon.jobs.retry_at("daily")
    assert first is not None
    assert abs((first - utcnow()).total_seconds() - RETRY_BASE) < 30
    # A permanent failure waits for the regular schedule (the operator was told).
    wait_until(lambda: checks.count("gone") == 1)
    assert daemon.jobs.retry_at("gone") is None
    # The delay doubles with each failure in a row and never passes the interval.
    assert [retry_delay(n, 86400) for n in (1, 2, 3)] == [300.0, 600.0, 1200.0]
    assert retry_delay(9, 86400) == 76800.0
    assert retry_delay(10, 86400) is None and retry_delay(1, 60) is None
    # A success resets the count.
    daemon._plan_retry(wl.policy("daily"), TransientResult("daily", "unchanged"))
    daemon._plan_retry(wl.policy("daily"), TransientResult("daily", "failed", "timeout",
                                                           transient=True))
    second = daemon.jobs.retry_at("daily")
    assert second is not None
    assert abs((second - utcnow()).total_seconds() - RETRY_BASE) < 30
