"""Queries behind `policywatch status`, the daemon's schedule after a restart and its metrics."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import sqlite_utils

from policywatch.storage.changes import LastChange, last_change
from policywatch.storage.checks import LastCheck, last_check

INTERRUPTED: Final = "interrupted"  # outcome of a check cut short by a shutdown


@dataclass(frozen=True)
class PolicyStatus:
    policy: str
    last_check: LastCheck | None
    last_completed_at: str | None  # last check that was not interrupted: the schedule's basis
    last_change: LastChange | None
    pending_alerts: int
    failed_alerts: int


def last_completed_check_times(db: sqlite_utils.Database) -> dict[str, str]:
    """policy → start of its last check that ran to its end. An interrupted check does not count:
    the policy is due again as if it had not started."""
    return {row[0]: row[1] for row in db.execute(
        "SELECT policy, MAX(started_at) FROM checks WHERE outcome != ? GROUP BY policy",
        [INTERRUPTED])}


def _last_completed_at(db: sqlite_utils.Database, policy: str) -> str | None:
    row = db.execute("SELECT MAX(started_at) FROM checks WHERE policy = ? AND outcome != ?",
                     [policy, INTERRUPTED]).fetchone()
    return str(row[0]) if row and row[0] else None


def _alert_counts_by_policy(db: sqlite_utils.Database) -> dict[tuple[str, str], int]:
    return {(row[0], row[1]): int(row[2]) for row in db.execute(
        """SELECT c.policy, a.status, COUNT(*)
           FROM alerts a JOIN changes c ON c.id = a.change_id
           WHERE a.status IN ('pending', 'sending', 'digest', 'failed')
           GROUP BY c.policy, a.status""")}


def policy_statuses(db: sqlite_utils.Database, policies: Iterable[str]) -> list[PolicyStatus]:
    """The status of each named policy, in the order given."""
    counts = _alert_counts_by_policy(db)
    statuses = []
    for policy in policies:
        # Waiting for a digest counts as pending: it has not been delivered yet.
        pending = sum(counts.get((policy, status), 0) for status in ("pending", "sending",
                                                                       "digest"))
        statuses.append(PolicyStatus(
            policy=policy, last_check=last_check(db, policy),
            last_completed_at=_last_completed_at(db, policy),
            last_change=last_change(db, policy), pending_alerts=pending,
            failed_alerts=counts.get((policy, "failed"), 0)))
    return statuses


def alert_queue_depth(db: sqlite_utils.Database) -> dict[str, int]:
    """Outbox rows by status (pending, sending, digest, failed, sent), operator notices included."""
    depth = {status: 0 for status in ("pending", "sending", "digest", "failed", "sent")}
    for status, count in db.execute("SELECT status, COUNT(*) FROM alerts GROUP BY status"):
        depth[str(status)] = int(count)
    return depth




def check_durations(db: sqlite_utils.Database, since: str) -> list[tuple[str, int]]:
    """(outcome, duration_ms) of the checks started at or after `since` (benchmarks)."""
    return [(str(row[0]), int(row[1] or 0)) for row in db.execute(
        "SELECT outcome, duration_ms FROM checks WHERE started_at >= ?", [since])]
