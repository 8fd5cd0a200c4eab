"""The outbox dispatcher and the digests as jobs of the daemon's scheduler.

The dispatcher polls the outbox every few seconds; a check that records a change wakes it at
once. One pass at a time (max_instances = 1, plus a lock shared with the digests job): a wake-up
during a pass makes the pass run again instead of being dropped.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

import sqlite_utils
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.base import BaseScheduler

from policywatch.alerts import outbox
from policywatch.monitor.errors import StorageError
from policywatch.monitor.service.metrics import Metrics
from policywatch.monitor.timeutil import Clock, utcnow
from policywatch.monitor.watchlist import Watchlist
from policywatch.storage.db import open_db
from policywatch.storage.status import alert_queue_depth

log = logging.getLogger("policywatch.daemon")

OUTBOX_JOB = "outbox"
DIGEST_JOB = "digests"

class DeliveryOutcome(Protocol):
    """One delivery attempt of a dispatch pass (alerts.outbox.Outcome)."""

    @property
    def alert_id(self) -> int: ...
    @property
    def channel(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def detail(self) -> str: ...


class DeliveryReport(Protocol):
    """What a dispatch pass did (alerts.outbox.DispatchReport)."""

    @property
    def outcomes(self) -> Sequence[DeliveryOutcome]: ...
    @property
    def recovered(self) -> Sequence[int]: ...


# (db, watchlist, clock) → a report of what was delivered (None: nothing to say)
DispatchFn = Callable[[sqlite_utils.Database, Watchlist, Clock], DeliveryReport | None]


def dispatch_pending(db: sqlite_utils.Database, watchlist: Watchlist,
                     clock: Clock) -> DeliveryReport:
    return outbox.dispatch_pending(db, watchlist, clock=clock)


def dispatch_digests(db: sqlite_utils.Database, watchlist: Watchlist,
                     clock: Clock) -> DeliveryReport:
    return outbox.dispatch_digests(db, watchlist, clock=clock)


def delivery_counts(report: DeliveryReport | None) -> dict[str, int]:
    """{status: count} of a dispatch report's outcomes (sent, retrying, failed, ...)."""
    counts: dict[str, int] = {}
    for outcome in report.outcomes if report else ():
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return counts


def log_outcomes(report: DeliveryReport | None) -> None:
    """One line per delivery attempt; retries and failures as warnings."""
    for outcome in report.outcomes if report else ():
        status, detail = outcome.status, outcome.detail
        level = logging.INFO if status in ("sent", "skipped", "deferred") else logging.WARNING
        log.log(level, "alert #%s on %s: %s%s", outcome.alert_id, outcome.channel, status,
                f" ({detail})" if detail else "", extra={"outcome": f"alert_{status}"})
    recovered = report.recovered if report else ()
    if recovered:
        log.warning("alerts %s were being sent when a previous run stopped: sending again "
                    "with the same message id", recovered, extra={"outcome": "alert_recovered"})


class OutboxJobs:
    def __init__(self, scheduler: BaseScheduler, watchlist: Callable[[], Watchlist],
                 metrics: Metrics, *, clock: Clock = utcnow,
                 dispatch: DispatchFn = dispatch_pending,
                 digests: DispatchFn = dispatch_digests) -> None:
        self._scheduler = scheduler
        self._watchlist = watchlist
        self._metrics = metrics
        self._clock = clock
        self._dispatch = dispatch
        self._digests = digests
        self._lock = threading.Lock()  # one outbox pass at a time, dispatch or digest
        self._again = threading.Event()
        self._db: sqlite_utils.Database | None = None

    def _database(self) -> sqlite_utils.Database:
        # Its own connection, opened lazily on the job thread; used under self._lock only.
        if self._db is None:
            self._db = open_db(self._watchlist().settings.database)
        return self._db

    def add_jobs(self, dispatch_interval: float, digest_interval: float) -> None:
        # First pass at once: alerts left over by a previous run go out without waiting.
        self._scheduler.add_job(self.dispatch_now, "interval", seconds=dispatch_interval,
                                id=OUTBOX_JOB, name="outbox dispatcher",
                                misfire_grace_time=None, next_run_time=self._clock())
        self._scheduler.add_job(self.digests_now, "interval", seconds=digest_interval,
                                id=DIGEST_JOB, name="digests", misfire_grace_time=None)

    def wake(self) -> None:
        """A change was recorded: dispatch now (or again right after the pass under way)."""
        self._again.set()
        if not self._lock.locked() and self._scheduler.running:
            # JobLookupError: the job is gone, we are shutting down.
            with contextlib.suppress(JobLookupError):
                self._scheduler.modify_job(OUTBOX_JOB, next_run_time=self._clock())

    def dispatch_now(self) -> None:
        with self._lock:
            while True:
                self._again.clear()
                self._run("outbox dispatch", self._dispatch)
                if not self._again.is_set():
                    break

    def digests_now(self) -> None:
        with self._lock:
            self._run("digest", self._digests)

    def _run(self, what: str, fn: DispatchFn) -> None:
        db = self._database()
        try:
            report = fn(db, self._watchlist(), self._clock)
        except (sqlite3.Error, StorageError) as exc:  # the database: its message says it all
            log.error("%s failed: the database cannot be written: %s: %s", what,
                      type(exc).__name__, exc, extra={"outcome": "dispatch_error"})
            return
        except Exception:  # a bug must not stop the dispatcher for good
            log.exception("%s failed", what, extra={"outcome": "dispatch_error"})
            return
        for result, count in delivery_counts(report).items():
            self._metrics.deliveries.labels(result).inc(count)
        log_outcomes(report)
        self._metrics.set_alert_queue(alert_queue_depth(db))

    def wait_idle(self, timeout: float) -> bool:
        """Wait up to `timeout` for a pass under way to end (shutdown); True if idle."""
        if self._lock.acquire(timeout=timeout):
            self._lock.release()
            return True
        log.warning("outbox pass still running at exit: a message being sent may be sent again "
                    "at the next start (its stable id lets receivers drop it)",
                    extra={"outcome": "interrupted"})
        return False
