"""Progress of a backfill on stderr: a tqdm bar on a terminal, otherwise a plain line now and
then (logs and CI keep no carriage returns). It tallies every capture's outcome, so the summary
it writes adds up: each capture is a new version, the text of a stored version, rejected or
failed; and its bytes were downloaded, reused, or not obtained."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from policywatch.monitor.history.backfill import BackfillEvent

NEW_VERSION = {"inserted", "split"}
SAME_TEXT = {"extended", "merged"}


class BackfillProgress:
    """The progress callback of one policy's backfill (monitor.history.backfill.BackfillEvent)."""

    def __init__(self, policy: str, *, stream: TextIO | None = None, every: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.policy, self.every, self.clock = policy, every, clock
        self.stream = stream or sys.stderr
        self.total = 0
        self.outcomes: Counter[str] = Counter()
        self.bar: Any = None  # a tqdm bar (tqdm ships no type information)
        self.last_line = clock()

    @property
    def done(self) -> int:
        return sum(self.outcomes[k] for k in ("new", "same", "rejected", "failed"))

    def __call__(self, event: BackfillEvent) -> None:
        if event.kind == "queued":
            self.queued(event.total)
        elif event.kind == "capture":
            self.captured(event.result, event.downloaded)

    def queued(self, count: int) -> None:
        self.total += count
        if self._terminal():
            if self.bar is None:
                from tqdm import tqdm  # imported only for a backfill on a terminal

                self.bar = tqdm(total=self.total, desc=self.policy, unit="capture",
                                file=self.stream, leave=False, dynamic_ncols=True)
            self.bar.total = self.total
            self.bar.refresh()
        elif count:
            self._line(f"{count} captures to process")

    def captured(self, result: str, downloaded: bool) -> None:
        kind = ("new" if result in NEW_VERSION else "same" if result in SAME_TEXT
                else "failed" if result == "failed" else "rejected")
        self.outcomes[kind] += 1
        self.outcomes["downloaded" if downloaded else "reused" if kind != "failed"
                      else "not_downloaded"] += 1
        if self.bar is not None:
            self.bar.update(1)
        elif self.clock() - self.last_line >= self.every:
            self._line(f"{self.done}/{self.total} captures: {self.counts()}")

    def counts(self) -> str:
        o = self.outcomes
        return (f"{o['new']} new versions, {o['same']} with the text of a stored version, "
                f"{o['rejected']} rejected, {o['failed']} failed")

    def summary(self) -> str:
        """One line whose numbers add up (both breakdowns sum to the captures processed)."""
        o = self.outcomes
        if not self.done:
            return "nothing new to process (every listed capture was done by an earlier run)"
        return (f"{self.done} captures processed: {self.counts()}; bytes: {o['downloaded']} "
                f"downloaded, {o['reused']} reused from an identical capture, "
                f"{o['not_downloaded']} not obtained")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _terminal(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def _line(self, text: str) -> None:
        print(f"{self.policy}: {text}", file=self.stream, flush=True)
        self.last_line = self.clock()
