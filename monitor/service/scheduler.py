"""One APScheduler job per policy, planned from the database so that restarts are gentle.

The next run of a policy is its last completed check plus its interval. A policy that is overdue
(a long downtime) or was never checked runs once soon, at a random moment within a short spread,
so a restart does not hit every site at once and a downtime of a week causes one catch-up check,
not one per missed interval (the jobs also coalesce missed runs). Each run then comes one
interval after the previous, plus a random jitter (settings.jitter × interval).

The job does not check: it hands the policy to the check pool, which enforces per-host
politeness. max_instances = 1 and the pool's one-entry-per-policy rule keep a slow check from
being queued twice.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger

from policywatch.monitor.watchlist import Policy, Watchlist

CATCHUP_SPREAD = 60.0  # seconds over which overdue and new policies are spread at start
RETRY_BASE = 300.0  # first retry after a transient failure; doubles with each further failure


def retry_delay(consecutive_failures: int, interval: int) -> float | None:
    """How soon to try again after transient failures, or None when the regular run comes first.
    A daily policy hit by a network blip is retried in minutes, not a day later."""
    if consecutive_failures < 1:
        return None
    delay = RETRY_BASE * 2 ** min(consecutive_failures - 1, 10)
    return delay if delay < interval else None


def job_id(policy: str) -> str:
    return f"policy:{policy}"


def retry_job_id(policy: str) -> str:
    return f"retry:{policy}"


def first_run(last: datetime | None, interval: int, now: datetime, *, spread: float,
              rng: random.Random) -> datetime:
    """When a policy should first run after a (re)start or a reload."""
    if last is not None and last + timedelta(seconds=interval) > now:
        return last + timedelta(seconds=interval)
    return now + timedelta(seconds=rng.uniform(0, min(float(interval), spread)))


def jitter_seconds(interval: int, fraction: float) -> float | None:
    return interval * fraction if fraction > 0 else None


@dataclass(frozen=True)
class ReloadPlan:
    added: tuple[Policy, ...]
    removed: tuple[str, ...]
    rescheduled: tuple[Policy, ...]  # interval (or jitter) changed
    updated: tuple[str, ...]  # other settings of the policy changed: used from its next check

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.rescheduled or self.updated)


def plan_reload(old: Watchlist, new: Watchlist) -> ReloadPlan:
    """What a new watchlist changes in the schedule."""
    before = {p.name: p for p in old.policies}
    after = {p.name: p for p in new.policies}
    jitter_changed = old.settings.jitter != new.settings.jitter
    kept = [name for name in after if name in before]
    return ReloadPlan(
        added=tuple(p for name, p in after.items() if name not in before),
        removed=tuple(name for name in before if name not in after),
        rescheduled=tuple(after[n] for n in kept
                          if jitter_changed or after[n].interval != before[n].interval),
        updated=tuple(n for n in kept if after[n] != before[n]
                      and after[n].interval == before[n].interval and not jitter_changed),
    )


class PolicyJobs:
    """The per-policy jobs of a scheduler. `on_due(name)` is what each job calls; `executor`
    names the scheduler's executor that runs it."""

    def __init__(self, scheduler: BaseScheduler, on_due: Callable[[str], None], *,
                 clock: Callable[[], datetime], spread: float = CATCHUP_SPREAD,
                 rng: random.Random | None = None, executor: str = "default") -> None:
        self._executor = executor
        self._scheduler = scheduler
        self._on_due = on_due
        self._clock = clock
        self._spread = spread
        self._rng = rng or random.Random()

    def add(self, policy: Policy, last: datetime | None, jitter_fraction: float) -> datetime:
        """Add (or replace) the policy's job; return its first run time."""
        start = first_run(last, policy.interval, self._clock(), spread=self._spread,
                          rng=self._rng)
        trigger = IntervalTrigger(seconds=policy.interval, start_date=start,
                                  jitter=jitter_seconds(policy.interval, jitter_fraction))
        self._scheduler.add_job(
            self._on_due, trigger, args=[policy.name], id=job_id(policy.name),
            name=policy.name, replace_existing=True, max_instances=1, coalesce=True,
            # A run late by less than an interval still happens (once: coalesce).
            misfire_grace_time=max(1, policy.interval), next_run_time=start,
            executor=self._executor)
        return start

    def add_all(self, policies: Iterable[Policy], last_checks: dict[str, datetime],
                jitter_fraction: float) -> None:
        for policy in policies:
            self.add(policy, last_checks.get(policy.name), jitter_fraction)

    def remove(self, name: str) -> None:
        for ident in (job_id(name), retry_job_id(name)):
            if self._scheduler.get_job(ident) is not None:
                self._scheduler.remove_job(ident)

    def retry(self, name: str, delay: float) -> datetime:
        """A one-off extra run `delay` seconds from now (the regular schedule is unchanged)."""
        when = self._clock() + timedelta(seconds=delay)
        self._scheduler.add_job(self._on_due, "date", run_date=when, args=[name],
                                id=retry_job_id(name), name=f"retry {name}",
                                replace_existing=True, misfire_grace_time=None,
                                # set now, so that it is known before the scheduler starts
                                next_run_time=when)
        return when

    def retry_at(self, name: str) -> datetime | None:
        job = self._scheduler.get_job(retry_job_id(name))
        return job.next_run_time if job is not None else None

    def next_run(self, name: str) -> datetime | None:
        job = self._scheduler.get_job(job_id(name))
        return job.next_run_time if job is not None else None

    def names(self) -> list[str]:
        prefix = job_id("")
        return [job.id[len(prefix):] for job in self._scheduler.get_jobs()
                if job.id.startswith(prefix)]
