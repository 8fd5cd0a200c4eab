"""`policywatch run`: the long-running service, a thin loop around `check()`.

Pieces: an APScheduler BackgroundScheduler with one job per policy (monitor.service.scheduler)
that hands due policies to the check pool (monitor.service.runner: worker threads, per-host
politeness); jobs for the outbox dispatcher, the digests and the watchlist watcher; signal
handling and shutdown here.

Every worker thread has its own Context and SQLite connection (a connection must not be shared
by threads running transactions); storage.db.write_lock keeps one writer at a time.
"""

from __future__ import annotations

import logging
import signal
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any, Protocol

import requests
from apscheduler.executors.debug import DebugExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from policywatch.monitor.context import Context, open_context
from policywatch.monitor.errors import PolicywatchError, StorageError
from policywatch.monitor.fetch.httputil import Proxies
from policywatch.monitor.history.backfill import backfill_policy, needs_backfill
from policywatch.monitor.pipeline import check
from policywatch.monitor.service.daemon_jobs import (
    DispatchFn,
    OutboxJobs,
    dispatch_digests,
    dispatch_pending,
)
from policywatch.monitor.service.metrics import Metrics, MetricsServer
from policywatch.monitor.service.planning import RunPlans, start_summary
from policywatch.monitor.service.preflight import check_database_writable
from policywatch.monitor.service.reload import ReloadOutcome, WatchlistWatcher
from policywatch.monitor.service.runner import CheckRunner, HostLimits, Running, Task, host_of
from policywatch.monitor.service.scheduler import PolicyJobs, plan_reload, retry_delay
from policywatch.monitor.timeutil import Clock, iso, parse_iso, utcnow
from policywatch.monitor.watchlist import Policy, Watchlist
from policywatch.storage.checks import CheckRecord, record_check
from policywatch.storage.db import open_db, write_lock
from policywatch.storage.health import write_problem
from policywatch.storage.plans import PlannedRun
from policywatch.storage.status import INTERRUPTED, last_completed_check_times

log = logging.getLogger("policywatch.daemon")

UNHEALTHY_AFTER = 3  # the last this-many checks all failed with internal errors: unhealthy


class CheckReport(Protocol):
    """What the daemon reads of a check's result (pipeline.CheckResult has all of it)."""

    @property
    def outcome(self) -> str: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def severity(self) -> str | None: ...
    @property
    def transient(self) -> bool | None: ...
    @property
    def change_id(self) -> int | None: ...


CheckFn = Callable[[Context, Policy], CheckReport]
NeedsBackfill = Callable[[Context, Policy], bool]
Backfill = Callable[[Context, Policy], object]  # its report is only logged


class _WorkerState(threading.local):
    ctx: Context | None = None  # each worker thread's own context and connection


@dataclass(frozen=True)
class DaemonOptions:
    workers: int = 4  # check threads
    grace: float = 5.0  # seconds running checks get to finish at shutdown
    dispatch_interval: float = 10.0  # outbox polling; a new change also wakes the dispatcher
    digest_interval: float = 60.0
    watch_interval: float = 2.0  # watchlist file polling
    catchup_spread: float = 60.0
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"


def _scheduler() -> BackgroundScheduler:
    # A policy's job only queues the policy (Daemon._due): it runs on the scheduler's own thread
    # ("direct"), which at 1,000 checks a second saves a thread hand-off per check; the outbox
    # and watchlist jobs, which block, run on the pool.
    return BackgroundScheduler(
        timezone=UTC, executors={"default": ThreadPoolExecutor(4), "direct": DebugExecutor()},
        job_defaults={"coalesce": True, "max_instances": 1})


class Daemon:
    def __init__(self, watchlist: Watchlist, options: DaemonOptions | None = None, *,
                 check_fn: CheckFn = check, needs_backfill: NeedsBackfill = needs_backfill,
                 backfill: Backfill = backfill_policy,
                 dispatch: DispatchFn = dispatch_pending, digests: DispatchFn = dispatch_digests,
                 clock: Clock = utcnow,
                 session_factory: Callable[[], requests.Session] | None = None) -> None:
        self.watchlist = watchlist
        self._by_name = {p.name: p for p in watchlist.policies}
        self.options = options or DaemonOptions()
        self.metrics = Metrics()
        self._check_fn, self._needs_backfill, self._backfill = check_fn, needs_backfill, backfill
        self._clock = clock
        self._session_factory = session_factory  # None: one sized for the watchlist's hosts
        self._proxies = Proxies.from_settings(watchlist.settings.proxy)  # environment read once
        # Before SQLite maps anything: an unwritable -shm would kill the process with SIGBUS.
        check_database_writable(watchlist.settings.database)
        self._db = open_db(watchlist.settings.database)  # scheduling and shutdown records
        self._recent_internal: deque[bool] = deque(maxlen=UNHEALTHY_AFTER)
        self._db_error: str | None = None  # the last database write failure, until one works
        self._db_lock = threading.Lock()
        self._local = _WorkerState()
        self._backfilled: set[str] = set()
        self._failures: dict[str, int] = {}  # consecutive transient failures per policy
        self._stop = threading.Event()
        self._stopped = False
        self._reload_requested = threading.Event()
        self._reload_lock = threading.Lock()
        self._heartbeat = time.monotonic()
        self._scheduler = _scheduler()
        self.jobs = PolicyJobs(self._scheduler, self._due, clock=clock,
                               spread=self.options.catchup_spread, executor="direct")
        self.plans = RunPlans(self._db, self._db_lock, self.jobs, clock)  # for status, restarts
        self._start_plans: list[PlannedRun] = []
        self.runner = CheckRunner(self._work, workers=self.options.workers, limits=self._limits)
        self.outbox = OutboxJobs(self._scheduler, lambda: self.watchlist, self.metrics,
                                 clock=clock, dispatch=dispatch, digests=digests)
        self._watcher = WatchlistWatcher(watchlist.path, watchlist)
        self._metrics_server: MetricsServer | None = None

    # --- start and stop --------------------------------------------------------------------

    def schedule(self) -> None:
        """Add every job (not started yet): one per policy, the outbox, the digests and the
        watchlist watcher."""
        wl = self.watchlist
        last = self._last_checks()
        self.jobs.add_all(wl.policies, last, wl.settings.jitter)
        self._start_plans = self.plans.start(wl.policies, last, self._failures)
        self.outbox.add_jobs(self.options.dispatch_interval, self.options.digest_interval)
        self._scheduler.add_job(self.reload, "interval", seconds=self.options.watch_interval,
                                id="watchlist", name="watchlist watcher")

    def start(self) -> None:
        wl = self.watchlist
        self.schedule()
        self.metrics.policies.set(len(wl.policies))
        self.metrics.check_queue.set_function(lambda: float(self.runner.queued()))
        self.metrics.checks_running.set_function(lambda: float(len(self.runner.running())))
        self.runner.start()
        self._scheduler.start()
        if self.options.metrics_port is not None:
            self._metrics_server = MetricsServer(self.metrics, self.health,
                                                 host=self.options.metrics_host,
                                                 port=self.options.metrics_port).start()
        log.info("policywatch run: %d policies, database %s (writable: checked), %d check "
                 "threads", len(wl.policies), wl.settings.database, self.options.workers)
        for line in start_summary(wl, self._start_plans, self._clock(),
                                  self.options.catchup_spread):
            log.info("policywatch run: %s", line)

    def run_forever(self) -> int:
        """Start, serve until SIGTERM/SIGINT, shut down gracefully; return the exit status."""
        self._install_signals()
        self.start()
        try:
            while not self._stop.is_set():
                self._heartbeat = time.monotonic()
                if self._reload_requested.is_set():
                    self._reload_requested.clear()
                    log.info("SIGHUP: reading the watchlist again",
                             extra={"outcome": "reload_requested"})
                    self.reload(force=True)
                self._stop.wait(0.5)
        finally:
            self.shutdown()
        return 0

    def _install_signals(self) -> None:
        def on_stop(signum: int, _frame: FrameType | None) -> None:
            log.info("received %s: stopping", signal.Signals(signum).name)
            self._stop.set()

        def on_hup(_signum: int, _frame: FrameType | None) -> None:
            self._reload_requested.set()

        signal.signal(signal.SIGTERM, on_stop)
        signal.signal(signal.SIGINT, on_stop)
        signal.signal(signal.SIGHUP, on_hup)

    def shutdown(self) -> list[Running]:
        """Start no more checks, give running ones the grace period, record the rest."""
        if self._stopped:
            return []
        self._stopped = True
        self._stop.set()
        grace = self.options.grace
        deadline = time.monotonic() + grace
        log.info("stopping: %d queued check(s) will not start; %d running get up to %g s to "
                 "finish", self.runner.queued(), len(self.runner.running()), grace)
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        interrupted = self.runner.stop(grace)
        self._record_interrupted(interrupted)
        self.outbox.wait_idle(max(0.1, deadline - time.monotonic()))
        if self._metrics_server is not None:
            self._metrics_server.stop()
            self._metrics_server = None
        log.info("stopped (%d check(s) interrupted)", len(interrupted))
        return interrupted

    def _record_interrupted(self, interrupted: list[Running]) -> None:
        now = self._clock()
        for running in interrupted:
            task = running.task
            started = now - timedelta(seconds=time.monotonic() - running.started)
            log.warning("%s: %s interrupted by shutdown after %.1f s", task.policy, task.kind,
                        (now - started).total_seconds(),
                        extra={"policy": task.policy, "outcome": INTERRUPTED})
            if task.kind != "check":
                continue  # a backfill resumes by itself at the next start
            self._record_or_say(CheckRecord(
                policy=task.policy, started_at=iso(started), finished_at=iso(now),
                duration_ms=int((now - started).total_seconds() * 1000), outcome=INTERRUPTED,
                reason="shutdown", detail=f"still running after the {self.options.grace:g} s "
                "grace period", transient=True))

    def _record(self, record: CheckRecord) -> str | None:
        """Write a check row from the daemon itself; a stuck writer must not block the exit.
        Returns why it could not be written (None: written)."""
        lock = write_lock(self._db)
        if not lock.acquire(timeout=2):
            return "database busy"
        try:
            with self._db_lock:
                record_check(self._db, record)
        except (sqlite3.Error, StorageError) as exc:
            self._db_error = f"{type(exc).__name__}: {exc}"
            return self._db_error
        finally:
            lock.release()
        return None

    def _record_or_say(self, record: CheckRecord) -> None:
        problem = self._record(record)
        if problem:
            log.error("%s: could not record %s (%s)", record.policy, record.outcome, problem,
                      extra={"policy": record.policy, "outcome": record.outcome})

    # --- scheduling --------------------------------------------------------------------------

    def _last_checks(self) -> dict[str, datetime]:
        with self._db_lock:
            times = last_completed_check_times(self._db)
        return {name: parse_iso(at) for name, at in times.items()}

    def _limits(self) -> HostLimits:
        settings = self.watchlist.settings
        return HostLimits(settings.per_host_concurrency, settings.per_host_delay)

    def _policy(self, name: str) -> Policy | None:
        return self._by_name.get(name)  # a dict: looked up at every job firing

    def _due(self, name: str) -> None:
        """A policy's job fired: hand the policy to the check pool."""
        policy = self._policy(name)
        if policy is not None and not self._stop.is_set():
            self.runner.submit(name, host_of(policy.url))

    # --- one task on a worker thread ---------------------------------------------------------

    def _context(self) -> Context:
        ctx = self._local.ctx
        if ctx is None:
            session = self._session_factory() if self._session_factory else None
            ctx = open_context(self.watchlist, session=session, clock=self._clock,
                               proxies=self._proxies)
            self._local.ctx = ctx
        ctx.watchlist = self.watchlist  # the one in force now (reloads)
        ctx.session.headers["User-Agent"] = self.watchlist.settings.user_agent
        return ctx

    def _work(self, task: Task) -> Task | None:
        policy = self._policy(task.policy)
        if policy is None:
            return None  # removed from the watchlist while it waited
        ctx = self._context()
        if task.kind == "backfill":
            self._run_backfill(ctx, policy)
            return Task(policy.name, "check", host_of(policy.url))
        if policy.wayback is not None and policy.name not in self._backfilled \
                and self._backfill_wanted(ctx, policy):
            # Backfill first, on the archive's host, then come back for the live check.
            return Task(policy.name, "backfill", host_of(self.watchlist.settings.archive_url))
        self._run_check(ctx, policy)
        return None

    def _backfill_wanted(self, ctx: Context, policy: Policy) -> bool:
        try:
            return bool(self._needs_backfill(ctx, policy))
        except Exception:
            log.exception("%s: cannot tell whether a backfill is needed", policy.name,
                          extra={"policy": policy.name, "outcome": "error"})
            self._backfilled.add(policy.name)
            return False

    def _run_backfill(self, ctx: Context, policy: Policy) -> None:
        self._backfilled.add(policy.name)  # once per run, whatever happens: no loops
        log.info("%s: backfilling from the archive before the first live check", policy.name,
                 extra={"policy": policy.name, "outcome": "backfill_started"})
        try:
            report = self._backfill(ctx, policy)
        except PolicywatchError as exc:  # the archive is down or unreachable: try next run
            log.warning("%s: backfill failed (%s); checking live anyway", policy.name, exc,
                        extra={"policy": policy.name, "outcome": "backfill_failed"})
            return
        except Exception:
            log.exception("%s: backfill crashed; checking live anyway", policy.name,
                          extra={"policy": policy.name, "outcome": "backfill_failed"})
            return
        log.info("%s: backfill done: %s", policy.name, report,
                 extra={"policy": policy.name, "outcome": "backfill_done"})

    def _run_check(self, ctx: Context, policy: Policy) -> None:
        started = time.monotonic()
        try:
            result = self._check_fn(ctx, policy)
        except Exception as exc:  # a bug, or the database is unusable: record it, carry on
            self._recent_internal.append(True)
            self._log_crash(policy, exc, self._record_crash(policy, exc,
                                                            time.monotonic() - started))
            return
        self._recent_internal.append(False)
        self._db_error = None  # the check recorded itself: the database takes writes
        changed = result.change_id is not None
        self.metrics.record_check(result.outcome, result.reason, result.severity, changed,
                                  time.monotonic() - started)
        self._plan_retry(policy, result)
        if changed:
            self.outbox.wake()

    def _plan_retry(self, policy: Policy, result: CheckReport) -> None:
        """Transient failures (and suspect pages awaiting confirmation) are tried again soon,
        with a doubling delay, instead of a whole interval later."""
        if not (result.outcome in ("failed", "suspect") and result.transient):
            self._failures.pop(policy.name, None)
            self.plans.save(policy.name)
            return
        count = self._failures[policy.name] = self._failures.get(policy.name, 0) + 1
        delay = retry_delay(count, policy.interval)
        if delay is not None and not self._stop.is_set():
            when = self.jobs.retry(policy.name, delay)
            log.info("%s: transient %s; retrying at %s (failure %d in a row)", policy.name,
                     result.reason, iso(when), count,
                     extra={"policy": policy.name, "outcome": "retry_scheduled"})
        self.plans.save(policy.name, failures=count)

    def _log_crash(self, policy: Policy, exc: Exception, not_recorded: str | None) -> None:
        """One log line per crashed check; a traceback only for a bug, not for a database that
        cannot be written (the reason says it all, at every check)."""
        database = isinstance(exc, sqlite3.Error | StorageError)
        if database:
            self._db_error = f"{type(exc).__name__}: {exc}"
        what = "the database cannot be written" if database else "internal error"
        tail = "; not recorded either" if not_recorded else ""
        log.error("%s: check failed: %s: %s: %s%s", policy.name, what, type(exc).__name__, exc,
                  tail, exc_info=None if database else exc,
                  extra={"policy": policy.name, "outcome": "failed"})

    def _record_crash(self, policy: Policy, exc: Exception, seconds: float) -> str | None:
        now = self._clock()
        self.metrics.record_check("failed", "internal_error", None, False, seconds)
        return self._record(CheckRecord(
            policy=policy.name, started_at=iso(now - timedelta(seconds=seconds)),
            finished_at=iso(now), duration_ms=int(seconds * 1000), outcome="failed",
            reason="internal_error", detail=f"{type(exc).__name__}: {exc}"[:500]))

    # --- reload ----------------------------------------------------------------------------

    def reload(self, *, force: bool = False) -> ReloadOutcome:
        """Load the watchlist again if it changed (always with `force`, as on SIGHUP)."""
        with self._reload_lock:
            outcome = self._watcher.poll(force=force)
            if outcome.status == "unchanged" and force:
                log.info("watchlist read again: unchanged", extra={"outcome": "reloaded"})
            if outcome.status == "refused":
                self.metrics.reloads.labels("refused").inc()
                log.error("watchlist change refused: %s", outcome.message,
                          extra={"outcome": "reload_refused"})
            elif outcome.watchlist is not None:
                new = outcome.watchlist
                if new.settings.database != self.watchlist.settings.database:
                    self.metrics.reloads.labels("refused").inc()
                    log.error("watchlist change refused: settings.database changed; restart to "
                              "use another database", extra={"outcome": "reload_refused"})
                    return ReloadOutcome("refused", message="settings.database changed")
                self._apply(new)
            return outcome

    def _apply(self, new: Watchlist) -> None:
        plan = plan_reload(self.watchlist, new)
        self.watchlist = new
        self._by_name = {p.name: p for p in new.policies}
        for name in plan.removed:
            self.jobs.remove(name)
            self.plans.forget(name)
            self.runner.cancel(name)
            log.info("%s: removed from the watchlist", name,
                     extra={"policy": name, "outcome": "removed"})
        last = self._last_checks()
        for policy in plan.added + plan.rescheduled:
            first = self.jobs.add(policy, last.get(policy.name), new.settings.jitter)
            self.plans.save(policy.name, "scheduled" if policy.name in last else "first_check")
            verb = "added" if policy in plan.added else "rescheduled"
            log.info("%s: %s, every %d s, next run %s", policy.name, verb, policy.interval,
                     iso(first), extra={"policy": policy.name, "outcome": verb})
        self.runner.wake()
        self.metrics.policies.set(len(new.policies))
        self.metrics.reloads.labels("loaded").inc()
        log.info("watchlist reloaded: %d added, %d removed, %d rescheduled, %d updated",
                 len(plan.added), len(plan.removed), len(plan.rescheduled), len(plan.updated),
                 extra={"outcome": "reloaded"})

    @property
    def metrics_port(self) -> int | None:
        return self._metrics_server.port if self._metrics_server else None

    # --- health ------------------------------------------------------------------------------

    def health(self) -> tuple[bool, dict[str, Any]]:
        """Healthy when the loop runs, the database takes writes and the last checks did not
        all fail with internal errors; otherwise `reasons` says why (HTTP 503)."""
        loop_age = time.monotonic() - self._heartbeat
        reasons = []
        if not self._scheduler.running or self._stop.is_set():
            reasons.append("the scheduler is not running")
        if loop_age >= 10:
            reasons.append(f"the main loop has not run for {loop_age:.0f} s")
        database = self._db_error or self._probe_database()
        if database:
            reasons.append(f"the database cannot be written: {database}")
        recent = list(self._recent_internal)
        if recent and all(recent):
            reasons.append(f"the last {len(recent)} check(s) failed with internal errors")
        return not reasons, {"policies": len(self.watchlist.policies),
                             "checks_running": len(self.runner.running()),
                             "checks_queued": self.runner.queued(),
                             "main_loop_age_s": round(loop_age, 1),
                             **({"reasons": reasons} if reasons else {})}

    def _probe_database(self) -> str | None:
        lock = write_lock(self._db)
        if not lock.acquire(timeout=0.5):
            return None  # a writer holds it: writes are happening
        try:
            with self._db_lock:
                return write_problem(self._db)
        finally:
            lock.release()

