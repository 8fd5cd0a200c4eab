"""The dispatcher: sends due outbox rows, at most once each in normal operation.

A row is marked 'sending' (committed) before its message goes out, then 'sent', back to
'pending' with exponential backoff and jitter (Retry-After honoured), or 'failed' with the reason.
Rows still 'sending' when a dispatcher starts were interrupted by a dead process and are sent
again once (a duplicate receivers drop by the message's stable id); a row interrupted a second
time fails as "delivery uncertain" and the operator is told, so kills never multiply posts.
Channels are served in parallel and back off separately, so one failing channel never delays
another.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from uuid import uuid4

import requests
import sqlite_utils

from policywatch.monitor import model
from policywatch.monitor.errors import AlertError, PolicywatchError
from policywatch.monitor.timeutil import Clock, iso, utcnow
from policywatch.monitor.watchlist import Watchlist
from policywatch.storage import outbox
from policywatch.storage.db import write_lock
from policywatch.storage.outbox import AlertRow

from .compose import compose, resolve_channel
from .dispatchlock import dispatcher_lock
from .message import AlertMessage
from .notifiers import Notifier, make_notifier

MAX_ATTEMPTS = 25  # about 15 hours of retries before an alert is given up as failed
BACKOFF_BASE = 2.0  # seconds before the second attempt (before jitter)
BACKOFF_CAP = 3600.0
IN_PASS_WAIT = 15.0  # a pass waits this long at most per channel for short retries...
IN_PASS_TRIES = 3  # ...and sends a message at most this often; later retries are scheduled
MAX_PARALLEL_CHANNELS = 8
MAX_INTERRUPTED = 2  # sends cut off by a dead process before an alert is failed as uncertain


@dataclass(frozen=True)
class Outcome:
    alert_id: int
    channel: str
    status: str  # sent | retrying | failed | deferred | skipped
    detail: str = ""
    next_attempt_at: str | None = None


@dataclass
class DispatchReport:
    outcomes: list[Outcome] = field(default_factory=list)
    busy: bool = False  # another dispatcher holds the lock; nothing was done
    recovered: list[int] = field(default_factory=list)  # interrupted rows sent again
    uncertain: list[int] = field(default_factory=list)  # interrupted too often: failed
    bundled: list[int] = field(default_factory=list)  # digest rows created in this pass

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def sent(self) -> int:
        return self.count("sent")

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def retrying(self) -> int:
        return self.count("retrying") + self.count("deferred")

    @property
    def summary(self) -> str:
        """One line for the CLI: `sent 2, retrying later 1, failed 0`."""
        if self.busy:
            return "another dispatcher is running: nothing sent by this one"
        return (f"sent {self.sent}, retrying later {self.retrying}, failed {self.failed}"
                + (f", digests bundled {len(self.bundled)}" if self.bundled else "")
                + (f", interrupted sends retried {len(self.recovered)}" if self.recovered
                   else "")
                + (f", delivery uncertain (failed, not sent again) {len(self.uncertain)}"
                   if self.uncertain else ""))


def backoff_delay(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds before the next attempt after `attempts` failures: doubling, capped, with jitter
    (50-100 % of the ceiling) so that many rows failing together do not retry in lockstep."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * float(2 ** min(max(attempts - 1, 0), 30)))
    draw: float = (rng or random).random()
    return ceiling * (0.5 + 0.5 * draw)


@dataclass
class _Pass:
    db: sqlite_utils.Database
    watchlist: Watchlist
    clock: Clock
    sleep: Callable[[float], None]
    rng: random.Random | None
    lock: threading.RLock  # storage.db.write_lock: one user of the connection at a time

    def now(self) -> str:
        return iso(self.clock())

    def later(self, seconds: float) -> str:
        return iso(self.clock() + timedelta(seconds=seconds))


def _fail(run: _Pass, row: AlertRow, detail: str, *, count_attempt: bool = True) -> Outcome:
    with run.lock:
        outbox.mark_failed(run.db, row.id, detail, count_attempt=count_attempt)
    return _outcome(row, "failed", detail)


def _outcome(row: AlertRow, status: str, detail: str, next_at: str | None = None) -> Outcome:
    return Outcome(alert_id=row.id, channel=row.channel, status=status, detail=detail,
                   next_attempt_at=next_at)


def _deliver(run: _Pass, notifier: Notifier | None, row: AlertRow,
             waited: float) -> tuple[Outcome, float]:
    """Send one claimed-or-claimable row; return the outcome and the time waited so far."""
    with run.lock:
        if not outbox.claim(run.db, row.id):
            return _outcome(row, "skipped", "taken by another dispatcher"), waited
        try:
            message = compose(run.db, run.watchlist, row)
        except PolicywatchError as exc:
            return _fail(run, row, f"cannot build the message: {exc}", count_attempt=False), waited
    if notifier is None:
        return _fail(run, row, f"alert channel {row.channel!r} is not configured",
                     count_attempt=False), waited
    return _send_with_retries(run, notifier, row, message, waited)


def _send_with_retries(run: _Pass, notifier: Notifier, row: AlertRow, message: AlertMessage,
                       waited: float) -> tuple[Outcome, float]:
    """Send the claimed row's message, retrying transient failures within the pass's bounds."""
    attempts, tries = row.attempts, 0
    while True:
        tries += 1
        try:
            note = notifier.send(message)
        except AlertError as exc:
            attempts += 1
            settled, waited = _after_send_error(run, row, exc, attempts, tries, waited)
            if settled is not None:
                return settled, waited
        except Exception as exc:  # noqa: BLE001 - a renderer bug must not kill the pass
            return _fail(run, row, f"internal error: {type(exc).__name__}: {exc}"), waited
        else:
            with run.lock:
                outbox.mark_sent(run.db, row.id, run.now(), note)
            return _outcome(row, "sent", note or ""), waited


def _after_send_error(run: _Pass, row: AlertRow, exc: AlertError, attempts: int, tries: int,
                      waited: float) -> tuple[Outcome | None, float]:
    """Settle the row after a failed send (permanent, out of attempts, out of in-pass time), or
    wait and claim it again: None then means send again now."""
    if not exc.transient:
        return _fail(run, row, f"permanent: {exc.detail}"), waited
    if attempts >= MAX_ATTEMPTS:
        return _fail(run, row, f"gave up after {attempts} attempts: {exc.detail}"), waited
    delay = (max(exc.retry_after, 1.0) if exc.retry_after is not None
             else backoff_delay(attempts, run.rng))
    next_at = run.later(delay)
    with run.lock:
        outbox.mark_retry(run.db, row.id, next_at, f"transient: {exc.detail}")
    if tries >= IN_PASS_TRIES or waited + delay > IN_PASS_WAIT:
        return _outcome(row, "retrying", exc.detail, next_at), waited
    run.sleep(delay)
    waited += delay
    with run.lock:
        if not outbox.claim(run.db, row.id):
            return _outcome(row, "skipped", "taken by another dispatcher"), waited
    return None, waited


def _run_channel(run: _Pass, notifier: Notifier | None, rows: list[AlertRow]) -> list[Outcome]:
    """One channel's due rows in order; after a transient failure the channel backs off as a
    whole (its other rows wait for the same time) instead of failing once per row."""
    outcomes: list[Outcome] = []
    waited = 0.0
    for index, row in enumerate(rows):
        outcome, waited = _deliver(run, notifier, row, waited)
        outcomes.append(outcome)
        if outcome.status == "retrying" and outcome.next_attempt_at:
            rest = rows[index + 1:]
            with run.lock:
                outbox.defer_channel(run.db, row.channel, outcome.next_attempt_at)
            outcomes.extend(Outcome(alert_id=r.id, channel=r.channel, status="deferred",
                                    detail=f"channel failing: {outcome.detail}",
                                    next_attempt_at=outcome.next_attempt_at) for r in rest)
            break
    return outcomes


def _notifier_for(run: _Pass, name: str, overrides: Mapping[str, Notifier] | None,
                  session: requests.Session | None,
                  environ: Mapping[str, str] | None) -> Notifier | None:
    if overrides and name in overrides:
        return overrides[name]
    channel = resolve_channel(run.watchlist, name)
    return make_notifier(channel, session=session, environ=environ) if channel else None


def dispatch_pending(db: sqlite_utils.Database, watchlist: Watchlist, *, clock: Clock = utcnow,
                     session: requests.Session | None = None,
                     sleep: Callable[[float], None] = time.sleep,
                     notifiers: Mapping[str, Notifier] | None = None,
                     environ: Mapping[str, str] | None = None,
                     rng: random.Random | None = None) -> DispatchReport:
    """Send every due pending row once (with short in-pass retries); return what happened.
    `notifiers` overrides the notifier of named channels (tests, embedding)."""
    report = DispatchReport()
    with dispatcher_lock(db) as held:
        if not held:
            report.busy = True
            return report
        run = _Pass(db=db, watchlist=watchlist, clock=clock, sleep=sleep, rng=rng,
                    lock=write_lock(db))
        with run.lock:
            report.recovered, report.uncertain = outbox.reset_interrupted(
                db, run.now(), MAX_INTERRUPTED)
        report.outcomes.extend(_tell_uncertain(db, watchlist, report.uncertain, run.now()))
        with run.lock:
            due = outbox.due_alerts(db, run.now())
        groups = [(name, list(rows)) for name, rows in groupby(due, key=lambda r: r.channel)]
        jobs = [(_notifier_for(run, name, notifiers, session, environ), rows)
                for name, rows in groups]
        if len(jobs) <= 1:
            for notifier, rows in jobs:
                report.outcomes.extend(_run_channel(run, notifier, rows))
        else:
            workers = min(len(jobs), MAX_PARALLEL_CHANNELS)
            with ThreadPoolExecutor(workers, thread_name_prefix="alerts") as pool:
                futures = [pool.submit(_run_channel, run, n, rows) for n, rows in jobs]
                for future in futures:
                    report.outcomes.extend(future.result())
    return report



def _tell_uncertain(db: sqlite_utils.Database, watchlist: Watchlist, ids: list[int],
                    now: str) -> list[Outcome]:
    """Tell the operator about each alert failed as uncertain (not about operator notices
    themselves: a notice about a notice could go on for ever); their outcomes."""
    outcomes: list[Outcome] = []
    for alert_id in ids:
        row = outbox.get_alert(db, alert_id)
        # Logged (daemon) or printed (alerts send) with the other outcomes.
        outcomes.append(Outcome(alert_id, row.channel, "failed", str(row.last_error)))
        if row.kind == "operator":
            continue
        enqueue_operator_notice(
            db, watchlist, f"alert #{alert_id} to {row.channel}: delivery uncertain",
            f"Sending alert #{alert_id} to {row.channel} was interrupted {MAX_INTERRUPTED} times "
            "(the process died mid-send). It may have arrived, up to "
            f"{MAX_INTERRUPTED} times; it is not sent again by itself. Check the channel; "
            f"`policywatch alerts retry {alert_id}` sends it again on purpose.", now=now)
    return outcomes


def digest_cutoff(now: datetime, hour: int) -> datetime:
    """The latest digest time (`hour`:00 UTC) not after `now`: rows recorded before it are due."""
    today = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return today if today <= now else today - timedelta(days=1)


def bundle_due_digests(db: sqlite_utils.Database, watchlist: Watchlist, now: datetime) -> list[int]:
    """Bundle each digest channel's waiting rows that are due into one pending row per channel.
    Rows of a channel that no longer digests (or no longer exists) are bundled at once, so they
    go out (or fail with the reason) instead of waiting for ever."""
    bundles: list[int] = []
    with write_lock(db):
        for name in outbox.waiting_digest_channels(db):
            channel = resolve_channel(watchlist, name)
            due = (digest_cutoff(now, channel.digest_hour) if channel and channel.digest
                   else now + timedelta(microseconds=1))
            bundle = outbox.bundle_digest(db, name, iso(due), iso(now))
            if bundle is not None:
                bundles.append(bundle)
    return bundles


def dispatch_digests(db: sqlite_utils.Database, watchlist: Watchlist, *,
                     clock: Clock = utcnow, session: requests.Session | None = None,
                     sleep: Callable[[float], None] = time.sleep,
                     notifiers: Mapping[str, Notifier] | None = None,
                     environ: Mapping[str, str] | None = None,
                     rng: random.Random | None = None) -> DispatchReport:
    """Bundle the digests that are due, then send everything due (digests and immediate alerts
    alike): one call serves `policywatch alerts send`, `check` and the daemon."""
    bundled = bundle_due_digests(db, watchlist, clock())
    report = dispatch_pending(db, watchlist, clock=clock, session=session, sleep=sleep,
                              notifiers=notifiers, environ=environ, rng=rng)
    report.bundled = bundled
    return report


def enqueue_operator_notice(db: sqlite_utils.Database, watchlist: Watchlist, subject: str,
                            body: str, *, now: str) -> list[int]:
    """Queue a notice for whoever runs policywatch (a fetch broken for good, a suspect
    extraction held or confirmed) on settings.operator_channels, or the console by default.
    The same notice still waiting on a channel is not queued twice."""
    names = watchlist.settings.operator_channels or ("console",)
    ids: list[int] = []
    with write_lock(db):
        for name in names:
            message_id = model.message_id("operator", uuid4().hex, name)
            alert_id = outbox.insert_operator_alert(db, name, subject, body, now, message_id)
            if alert_id is not None:
                ids.append(alert_id)
    return ids
