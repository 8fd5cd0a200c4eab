"""The service's planned next run per policy (table planned_runs, migration _m006)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

REASONS = ("scheduled", "first_check", "catch_up", "retry")


@dataclass(frozen=True)
class PlannedRun:
    policy: str
    next_run_at: str
    reason: str  # one of REASONS
    failures: int  # transient failures in a row (retries)
    planned_at: str


def save_plan(db: sqlite_utils.Database, plan: PlannedRun) -> None:
    db.execute(
        """INSERT INTO planned_runs (policy, next_run_at, reason, failures, planned_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(policy) DO UPDATE SET next_run_at = excluded.next_run_at,
               reason = excluded.reason, failures = excluded.failures,
               planned_at = excluded.planned_at""",
        [plan.policy, plan.next_run_at, plan.reason, plan.failures, plan.planned_at])


def forget_plan(db: sqlite_utils.Database, policy: str) -> None:
    db.execute("DELETE FROM planned_runs WHERE policy = ?", [policy])


def planned_runs(db: sqlite_utils.Database) -> dict[str, PlannedRun]:
    """Every persisted plan, by policy."""
    return {row[0]: PlannedRun(*row) for row in db.execute(
        "SELECT policy, next_run_at, reason, failures, planned_at FROM planned_runs")}
