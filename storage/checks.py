"""Check attempts, conditional-GET validators and suspect extractions."""

from __future__ import annotations

from dataclasses import dataclass, fields

import sqlite_utils

from policywatch.monitor.model import RecordedOutcome


@dataclass(frozen=True)
class CheckRecord:
    policy: str
    started_at: str
    finished_at: str
    duration_ms: int
    outcome: RecordedOutcome
    reason: str | None = None
    detail: str | None = None
    transient: bool | None = None
    http_status: int | None = None
    snapshot_id: int | None = None
    version_id: int | None = None


def record_check(db: sqlite_utils.Database, check: CheckRecord) -> int:
    cursor = db.execute(
        """INSERT INTO checks (policy, started_at, finished_at, duration_ms, outcome, reason,
           detail, transient, http_status, snapshot_id, version_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [check.policy, check.started_at, check.finished_at, check.duration_ms, check.outcome,
         check.reason, check.detail, None if check.transient is None else int(check.transient),
         check.http_status, check.snapshot_id, check.version_id],
    )
    return int(cursor.lastrowid or 0)


@dataclass(frozen=True)
class StoredCheck(CheckRecord):
    """A recorded check attempt (CheckRecord as stored, with its row id)."""

    id: int = 0


_CHECK_COLUMNS = ", ".join(f.name for f in fields(StoredCheck))


def recent_checks(db: sqlite_utils.Database, policy: str, limit: int = 20) -> list[StoredCheck]:
    """The policy's latest check attempts, newest first."""
    return [StoredCheck(**{**row, "transient": None if row["transient"] is None
                           else bool(row["transient"])})
            for row in db.query(
                f"""SELECT {_CHECK_COLUMNS} FROM checks WHERE policy = ?
                    ORDER BY started_at DESC, id DESC LIMIT ?""", [policy, limit])]


@dataclass(frozen=True)
class LastCheck:
    started_at: str
    outcome: str
    reason: str | None
    detail: str | None
    duration_ms: int | None


def last_check(db: sqlite_utils.Database, policy: str) -> LastCheck | None:
    """The latest check of the policy, interrupted or not."""
    row = db.execute(
        """SELECT started_at, outcome, reason, detail, duration_ms FROM checks
           WHERE policy = ? ORDER BY started_at DESC, id DESC LIMIT 1""", [policy]).fetchone()
    if not row:
        return None
    return LastCheck(started_at=row[0], outcome=row[1], reason=row[2], detail=row[3],
                     duration_ms=row[4])


@dataclass(frozen=True)
class Validators:
    url: str
    etag: str | None
    last_modified: str | None
    snapshot_id: int | None


def get_validators(db: sqlite_utils.Database, policy: str) -> Validators | None:
    row = db.execute(
        "SELECT url, etag, last_modified, snapshot_id FROM http_cache WHERE policy = ?",
        [policy]).fetchone()
    if not row:
        return None
    return Validators(url=row[0], etag=row[1], last_modified=row[2], snapshot_id=row[3])


def save_validators(db: sqlite_utils.Database, policy: str, validators: Validators) -> None:
    db.execute(
        """INSERT INTO http_cache (policy, url, etag, last_modified, snapshot_id)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(policy) DO UPDATE SET url = excluded.url, etag = excluded.etag,
             last_modified = excluded.last_modified, snapshot_id = excluded.snapshot_id""",
        [policy, validators.url, validators.etag, validators.last_modified,
         validators.snapshot_id],
    )


def clear_validators(db: sqlite_utils.Database, policy: str) -> None:
    db.execute("DELETE FROM http_cache WHERE policy = ?", [policy])



def hold_suspect(db: sqlite_utils.Database, policy: str, norm_hash: str, snapshot_id: int,
                 seen_at: str) -> int:
    """Record (or count again) a suspect extraction; return how many checks have seen it."""
    db.execute(
        """INSERT INTO suspects (policy, norm_hash, snapshot_id, first_seen, seen_count)
           VALUES (?, ?, ?, ?, 1)
           ON CONFLICT(policy) DO UPDATE SET
             seen_count = CASE WHEN suspects.norm_hash = excluded.norm_hash
                               THEN suspects.seen_count + 1 ELSE 1 END,
             first_seen = CASE WHEN suspects.norm_hash = excluded.norm_hash
                               THEN suspects.first_seen ELSE excluded.first_seen END,
             snapshot_id = excluded.snapshot_id, norm_hash = excluded.norm_hash""",
        [policy, norm_hash, snapshot_id, seen_at],
    )
    row = db.execute("SELECT seen_count FROM suspects WHERE policy = ?", [policy]).fetchone()
    return int(row[0])


def drop_suspect(db: sqlite_utils.Database, policy: str) -> bool:
    cursor = db.execute("DELETE FROM suspects WHERE policy = ?", [policy])
    return cursor.rowcount > 0
