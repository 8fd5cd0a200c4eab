"""The check pool: a few worker threads that take due tasks host by host, politely.

Politeness per host (the URL's hostname): at most `per_host_concurrency` tasks at once, and at
least `per_host_delay` seconds between the starts of two tasks. A worker never waits on a busy
host while another host has work ready: tasks wait in per-host queues and a worker takes the
first ready one, hosts served in turn.

A policy is queued or running at most once: a policy that comes due again while its check is
still waiting or running is not queued twice (APScheduler's max_instances = 1, kept here because
the scheduler's job only hands the policy over).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

log = logging.getLogger("policywatch.daemon")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True)
class HostLimits:
    concurrency: int
    delay: float


@dataclass(frozen=True)
class Task:
    policy: str
    kind: str  # check | backfill
    host: str
    queued_at: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class Running:
    task: Task
    started: float  # monotonic
    thread: str


class HostQueues:
    """Per-host queues with the politeness rules; no threads and no clock of its own, so the
    rules are tested with plain numbers."""

    def __init__(self) -> None:
        self._queues: OrderedDict[str, deque[Task]] = OrderedDict()
        self._active: dict[str, int] = {}
        self._next_start: dict[str, float] = {}
        self._policies: set[str] = set()  # queued or running

    def push(self, task: Task) -> bool:
        """Queue a task; False if its policy is already queued or running."""
        if task.policy in self._policies:
            return False
        self._policies.add(task.policy)
        self._queues.setdefault(task.host, deque()).append(task)
        return True

    def pop_ready(self, now: float, limits: HostLimits) -> tuple[Task | None, float | None]:
        """The next task allowed to start now, or (None, seconds until one may be; None when
        only a finishing task can free a slot). Starting it is recorded."""
        soonest: float | None = None
        for host, queue in self._queues.items():
            if not queue or self._active.get(host, 0) >= limits.concurrency:
                continue
            wait = self._next_start.get(host, now) - now
            if wait > 0:
                soonest = wait if soonest is None else min(soonest, wait)
                continue
            task = queue.popleft()
            self._active[host] = self._active.get(host, 0) + 1
            self._next_start[host] = now + limits.delay
            self._queues.move_to_end(host)  # hosts take turns
            if not queue:
                del self._queues[host]
            return task, None
        return None, soonest

    def done(self, task: Task) -> None:
        self._active[task.host] -= 1
        if not self._active[task.host]:
            del self._active[task.host]
        self._policies.discard(task.policy)

    def requeue(self, task: Task) -> None:
        """A task that finished and hands its policy on (a check after its backfill)."""
        self._policies.discard(task.policy)
        self.push(task)

    def cancel(self, policy: str) -> int:
        """Drop the policy's queued (not running) tasks; return how many."""
        dropped = 0
        for host in list(self._queues):
            queue = self._queues[host]
            kept = deque(t for t in queue if t.policy != policy)
            dropped += len(queue) - len(kept)
            if kept:
                self._queues[host] = kept
            else:
                del self._queues[host]
        if dropped:
            self._policies.discard(policy)
        return dropped

    def queued(self) -> int:
        return sum(len(q) for q in self._queues.values())

    def running(self) -> int:
        return sum(self._active.values())


# A worker's work: run the task; return a follow-up task for the same policy, or None.
Work = Callable[[Task], Task | None]


class CheckRunner:
    """Worker threads around HostQueues. `work` must not raise (it is logged if it does)."""

    def __init__(self, work: Work, *, workers: int, limits: Callable[[], HostLimits],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._work = work
        self._limits = limits
        self._clock = clock
        self._queues = HostQueues()
        self._cond = threading.Condition()
        self._running: dict[int, Running] = {}
        self._accepting = True
        self._stopping = False
        self._threads = [threading.Thread(target=self._loop, name=f"check-{i + 1}", daemon=True)
                         for i in range(workers)]

    def start(self) -> CheckRunner:
        for thread in self._threads:
            thread.start()
        return self

    def submit(self, policy: str, host: str, kind: str = "check") -> bool:
        with self._cond:
            if not self._accepting:
                return False
            added = self._queues.push(Task(policy=policy, kind=kind, host=host,
                                           queued_at=self._clock()))
            if added:
                self._cond.notify()
            return added

    def cancel(self, policy: str) -> int:
        with self._cond:
            return self._queues.cancel(policy)

    def queued(self) -> int:
        with self._cond:
            return self._queues.queued()

    def running(self) -> list[Running]:
        with self._cond:
            return list(self._running.values())

    def wake(self) -> None:
        """Limits changed (a reload): let waiting workers look again."""
        with self._cond:
            self._cond.notify_all()

    def stop(self, grace: float) -> list[Running]:
        """Start nothing more; wait up to `grace` seconds for running tasks; return those still
        running (their threads are daemons: they die with the process)."""
        deadline = self._clock() + grace
        with self._cond:
            self._accepting = False
            self._stopping = True
            self._cond.notify_all()
            while self._running and self._clock() < deadline:
                self._cond.wait(min(0.2, max(0.0, deadline - self._clock())))
            return list(self._running.values())

    def _next_task(self) -> Task | None:
        with self._cond:
            while not self._stopping:
                task, wait = self._queues.pop_ready(self._clock(), self._limits())
                if task is not None:
                    ident = threading.get_ident()
                    name = threading.current_thread().name
                    self._running[ident] = Running(task, self._clock(), name)
                    return task
                self._cond.wait(wait)
            return None

    def _loop(self) -> None:
        while (task := self._next_task()) is not None:
            follow_up: Task | None = None
            try:
                follow_up = self._work(task)
            except Exception:  # a bug in one check must not kill the worker
                log.exception("%s: %s task crashed", task.policy, task.kind,
                              extra={"policy": task.policy, "outcome": "error"})
            with self._cond:
                del self._running[threading.get_ident()]
                self._queues.done(task)
                if follow_up is not None and self._accepting:
                    self._queues.requeue(follow_up)
                self._cond.notify_all()
