"""Queries behind `policywatch status`, the daemon's schedule after a restart and its metrics."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import sqlite_utils

INTERRUPTED: Final = "interrupted"  # outcome of a check cut short by a shutdown


@dataclass(frozen=True)
class LastCheck:
    started_at: str
    outcome: str
    reason: str | None
    detail: str | None
    duration_ms: int | None


@dataclass(frozen=True)
class LastChange:
    detected_at: str
    severity: str
    material: bool
    categories: list[str]
    summary: str


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


def _last_check(db: sqlite_utils.Database, policy: str) -> LastCheck | None:
    row = db.execute(
        """SELECT started_at, outcome, reason, detail, duration_ms FROM checks
           WHERE policy = ? ORDER BY started_at DESC, id DESC LIMIT 1""", [policy]).fetchone()
    return LastCheck(*row) if row else None


def _last_completed_at(db: sqlite_utils.Database, policy: str) -> str | None:
    row = db.execute("SELECT MAX(started_at) FROM checks WHERE policy = ? AND outcome != ?",
                     [policy, INTERRUPTED]).fetchone()
    return str(row[0]) if row and row[0] else None


def _last_change(db: sqlite_utils.Database, policy: str) -> LastChange | None:
    row = db.execute(
        """SELECT detected_at, severity, material, categories, summary FROM changes
           WHERE policy = ? ORDER BY detected_at DESC, id DESC LIMIT 1""", [policy]).fetchone()
    if not row:
        return None
    return LastChange(detected_at=row[0], severity=row[1], material=bool(row[2]),
                      categories=list(json.loads(row[3] or "[]")), summary=row[4])


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
            policy=policy, last_check=_last_check(db, policy),
            last_completed_at=_last_completed_at(db, policy),
            last_change=_last_change(db, policy), pending_alerts=pending,
            failed_alerts=counts.get((policy, "failed"), 0)))
    return statuses


def alert_queue_depth(db: sqlite_utils.Database) -> dict[str, int]:
    """Outbox rows by status (pending, sending, digest, failed, sent), operator notices included."""
    depth = {status: 0 for status in ("pending", "sending", "digest", "failed", "sent")}
    for status, count in db.execute("SELECT status, COUNT(*) FROM alerts GROUP BY status"):
        depth[str(status)] = int(count)
    return depth


def stored_policies(db: sqlite_utils.Database) -> list[str]:
    """Every policy the database has checked, watched now or not."""
    return [row[0] for row in db.execute("SELECT DISTINCT policy FROM checks ORDER BY policy")]


def as_dict(status: PolicyStatus) -> dict[str, Any]:
    """A JSON-ready form of a status (dataclasses nested as objects)."""
    from dataclasses import asdict

    return asdict(status)


def check_durations(db: sqlite_utils.Database, since: str) -> list[tuple[str, int]]:
    """(outcome, duration_ms) of the checks started at or after `since` (benchmarks)."""
    return [(str(row[0]), int(row[1] or 0)) for row in db.execute(
        "SELECT outcome, duration_ms FROM checks WHERE started_at >= ?", [since])]
