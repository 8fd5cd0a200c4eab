"""The service's planned next runs: persisted after every change of plan (start, check, retry,
reload), restored at start so a planned retry survives a restart, and summarised in the start-up
log lines. `policywatch status` reads the same rows, so it agrees with the service's log."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Protocol

import sqlite_utils

from policywatch.monitor.timeutil import Clock, iso, parse_iso
from policywatch.monitor.watchlist import Policy, Watchlist
from policywatch.storage.db import write_lock
from policywatch.storage.plans import PlannedRun, forget_plan, planned_runs, save_plan

log = logging.getLogger("policywatch.daemon")


class Jobs(Protocol):
    """What planning needs of monitor.service.scheduler.PolicyJobs."""

    def next_run(self, name: str) -> datetime | None: ...
    def retry_at(self, name: str) -> datetime | None: ...
    def retry(self, name: str, delay: float) -> datetime: ...


class RunPlans:
    """Persists each policy's next planned run (the sooner of its regular run and a retry)."""

    def __init__(self, db: sqlite_utils.Database, db_lock: threading.Lock, jobs: Jobs,
                 clock: Clock) -> None:
        self._db, self._db_lock, self._jobs, self._clock = db, db_lock, jobs, clock
        self._write_failed = False  # said once: the health check reports the database itself

    def save(self, name: str, reason: str = "scheduled", failures: int = 0) -> PlannedRun | None:
        regular, retry = self._jobs.next_run(name), self._jobs.retry_at(name)
        if retry is not None and (regular is None or retry < regular):
            when, reason = retry, "retry"
        elif regular is not None:
            when = regular
        else:
            return None
        plan = PlannedRun(name, iso(when), reason, failures, iso(self._clock()))
        self._write(lambda: save_plan(self._db, plan))
        return plan

    def forget(self, name: str) -> None:
        self._write(lambda: forget_plan(self._db, name))

    def _write(self, write: Callable[[], None]) -> None:
        """Plans only inform `status`: a database that refuses them must not stop the service
        (the checks' own records and /healthz say what is wrong)."""
        try:
            with write_lock(self._db), self._db_lock:
                write()
        except sqlite3.Error as exc:
            if not self._write_failed:
                log.warning("planned runs cannot be saved for `policywatch status`: %s", exc)
            self._write_failed = True
        else:
            self._write_failed = False

    def start(self, policies: Iterable[Policy], last_checks: dict[str, datetime],
              failures: dict[str, int]) -> list[PlannedRun]:
        """After the regular jobs are added: bring back retries planned before a stop (and their
        failure counts), then persist every policy's plan."""
        with self._db_lock:
            before = planned_runs(self._db)
        now, plans = self._clock(), []
        for policy in policies:
            last = last_checks.get(policy.name)
            old = before.get(policy.name)
            if old is not None and old.reason == "retry" and (
                    last is None or parse_iso(old.planned_at) >= last):
                delay = max(1.0, (parse_iso(old.next_run_at) - now).total_seconds())
                self._jobs.retry(policy.name, delay)
                failures[policy.name] = old.failures
            reason = ("first_check" if last is None else "catch_up"
                      if last + timedelta(seconds=policy.interval) <= now else "scheduled")
            plan = self.save(policy.name, reason, failures.get(policy.name, 0))
            if plan is not None:
                plans.append(plan)
        return plans


def start_summary(watchlist: Watchlist, plans: list[PlannedRun], now: datetime,
                  spread: float) -> list[str]:
    """What `policywatch run` says after its first line (policies, database, threads): how many
    checks are due and over what span they are spread, and the alert channels."""
    soon = now + timedelta(seconds=spread + 1)
    due = sorted(parse_iso(p.next_run_at) for p in plans if parse_iso(p.next_run_at) <= soon)
    later = sorted(parse_iso(p.next_run_at) for p in plans if parse_iso(p.next_run_at) > soon)
    lines = []
    if due:
        span = (due[-1] - now).total_seconds()
        lines.append(f"{len(due)} of {len(plans)} policies due now: first checks spread over "
                     f"{max(span, 0):.0f} s (until {iso(due[-1])[:19]}Z)")
    else:
        lines.append(f"none of {len(plans)} policies is due now")
    if later:
        lines.append(f"{len(later)} not due yet: the next at {iso(later[0])[:19]}Z")
    lines.append("alert channels: " + describe_channels(watchlist))
    return lines


def describe_channels(watchlist: Watchlist) -> str:
    """`legal (email), slack (slack, daily digest at 09:00 UTC); operator notices: ops`."""
    if not watchlist.channels:
        return "none configured: alerts go to the console (and are stored)"
    shown = []
    for name, channel in sorted(watchlist.channels.items()):
        digest = f", daily digest at {channel.digest_hour:02d}:00 UTC" if channel.digest else ""
        shown.append(f"{name} ({channel.type}{digest}, from {channel.min_severity})")
    operators = ", ".join(watchlist.settings.operator_channels) or "the console"
    return ", ".join(shown) + f"; operator notices: {operators}"


REASON_WORDS = {"scheduled": "regular run", "first_check": "first check",
                "catch_up": "catch-up after a pause", "retry": "retry after a transient failure",
                "estimated": "last check + interval; the service has planned nothing since"}


def planned_next_run(plan: PlannedRun | None, last_completed: str | None, interval: int,
                     now: datetime) -> tuple[datetime, str]:
    """The next run `policywatch status` shows, and why: the service's persisted plan unless a
    check completed after it was made (then last check + interval, as a restart would plan)."""
    if plan is not None and (last_completed is None or plan.planned_at >= last_completed):
        return parse_iso(plan.next_run_at), plan.reason
    if last_completed is None:
        return now, "first_check"
    return max(now, parse_iso(last_completed) + timedelta(seconds=interval)), "estimated"
