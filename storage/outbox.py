"""The alert outbox: every query on the `alerts` table.

Rows move pending → sending → sent | pending (retry later) | failed. 'sending' is committed before
a message goes out, so a row found in 'sending' when no dispatcher runs was interrupted mid-send.
'digest' rows wait to be bundled into one row of kind 'digest' (their `bundle_id`), and are
marked sent or failed together with their bundle.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from policywatch.monitor import model
from policywatch.monitor.errors import NotFound, StorageError
from policywatch.storage.changes import StoredChange, stored_change_fields


@dataclass(frozen=True)
class AlertRow:
    id: int
    change_id: int | None
    channel: str
    kind: str
    status: str
    attempts: int
    next_attempt_at: str | None
    last_error: str | None
    created_at: str
    sent_at: str | None
    message_id: str
    payload: dict[str, Any]
    bundle_id: int | None


def _row_fields(row: dict[str, Any]) -> dict[str, Any]:
    """An `alerts` row (extra columns ignored) as AlertRow's fields, the payload decoded."""
    return dict(
        id=row["id"], change_id=row["change_id"], channel=row["channel"], kind=row["kind"],
        status=row["status"], attempts=row["attempts"], next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"], created_at=row["created_at"], sent_at=row["sent_at"],
        message_id=row["message_id"], payload=json.loads(row["payload"] or "{}"),
        bundle_id=row["bundle_id"],
    )


def _to_row(row: dict[str, Any]) -> AlertRow:
    return AlertRow(**_row_fields(row))


def get_alert(db: sqlite_utils.Database, alert_id: int) -> AlertRow:
    rows = list(db.query("SELECT * FROM alerts WHERE id = ?", [alert_id]))
    if not rows:
        raise NotFound(f"alert #{alert_id} does not exist")
    return _to_row(rows[0])


def due_alerts(db: sqlite_utils.Database, now: str) -> list[AlertRow]:
    """Pending rows whose next attempt is due, oldest first per channel."""
    return [_to_row(r) for r in db.query(
        """SELECT * FROM alerts WHERE status = 'pending'
           AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
           ORDER BY channel, created_at, id""", [now])]


def reset_interrupted(db: sqlite_utils.Database, now: str,
                      max_interrupted: int = 2) -> tuple[list[int], list[int]]:
    """Rows left in 'sending' by a dispatcher that died: count the attempt and the interruption.
    Below `max_interrupted` interruptions the row is due again now (the message may have gone
    out: the receiver drops the duplicate by its stable id); at it, the row fails with
    "delivery uncertain", so kills never add posts beyond that. Returns (resent, uncertain)."""
    uncertain_reason = f"delivery uncertain after {max_interrupted} interrupted attempts"
    with db.atomic():
        rows = [(r[0], r[1] + 1) for r in db.execute(
            "SELECT id, interrupted FROM alerts WHERE status = 'sending' ORDER BY id")]
        resent = [i for i, count in rows if count < max_interrupted]
        uncertain = [i for i, count in rows if count >= max_interrupted]
        for alert_id in resent:
            db.execute(
                """UPDATE alerts SET status = 'pending', attempts = attempts + 1,
                   interrupted = interrupted + 1, next_attempt_at = ?,
                   last_error = 'interrupted while sending; sent again' WHERE id = ?""",
                [now, alert_id])
        for alert_id in uncertain:
            db.execute(
                """UPDATE alerts SET status = 'failed', attempts = attempts + 1,
                   interrupted = interrupted + 1, next_attempt_at = NULL, last_error = ?
                   WHERE id = ?""",
                [f"{uncertain_reason}: it may have arrived; `policywatch alerts retry "
                 f"{alert_id}` sends it again", alert_id])
            db.execute("UPDATE alerts SET status = 'failed', last_error = ? WHERE bundle_id = ?",
                       [f"digest #{alert_id}: {uncertain_reason}", alert_id])
    return resent, uncertain


def claim(db: sqlite_utils.Database, alert_id: int) -> bool:
    """pending → sending, committed before the send; False if another dispatcher took it."""
    cursor = db.execute(
        "UPDATE alerts SET status = 'sending' WHERE id = ? AND status = 'pending'", [alert_id])
    return cursor.rowcount == 1


def mark_sent(db: sqlite_utils.Database, alert_id: int, now: str, note: str | None = None) -> None:
    with db.atomic():
        db.execute(
            """UPDATE alerts SET status = 'sent', attempts = attempts + 1, sent_at = ?,
               next_attempt_at = NULL, last_error = ? WHERE id = ?""", [now, note, alert_id])
        db.execute(
            "UPDATE alerts SET status = 'sent', sent_at = ?, last_error = NULL "
            "WHERE bundle_id = ?", [now, alert_id])


def mark_retry(db: sqlite_utils.Database, alert_id: int, next_attempt_at: str,
               error: str) -> None:
    db.execute(
        """UPDATE alerts SET status = 'pending', attempts = attempts + 1, next_attempt_at = ?,
           last_error = ? WHERE id = ?""", [next_attempt_at, error, alert_id])


def mark_failed(db: sqlite_utils.Database, alert_id: int, error: str,
                count_attempt: bool = True) -> None:
    with db.atomic():
        db.execute(
            """UPDATE alerts SET status = 'failed', attempts = attempts + ?,
               next_attempt_at = NULL, last_error = ? WHERE id = ?""",
            [int(count_attempt), error, alert_id])
        db.execute(
            "UPDATE alerts SET status = 'failed', last_error = ? WHERE bundle_id = ?",
            [f"digest #{alert_id} failed: {error}", alert_id])


def defer_channel(db: sqlite_utils.Database, channel: str, until: str) -> int:
    """Push the channel's other pending rows to `until` (per-channel backoff): a channel that is
    down is not tried once per row."""
    cursor = db.execute(
        """UPDATE alerts SET next_attempt_at = ? WHERE channel = ? AND status = 'pending'
           AND (next_attempt_at IS NULL OR next_attempt_at < ?)""", [until, channel, until])
    return cursor.rowcount


def requeue(db: sqlite_utils.Database, alert_id: int, now: str) -> AlertRow:
    """Make a failed (or waiting) alert due now; a failed digest brings its members back."""
    row = get_alert(db, alert_id)
    if row.status not in ("failed", "pending"):
        raise StorageError(f"alert #{alert_id} is {row.status}: only failed or pending alerts "
                           "can be retried")
    if row.bundle_id is not None:
        raise StorageError(f"alert #{alert_id} is part of digest #{row.bundle_id}: retry that")
    with db.atomic():
        # Sent on purpose: interruptions are counted afresh from here.
        db.execute(
            """UPDATE alerts SET status = 'pending', next_attempt_at = ?, last_error = ?,
               interrupted = 0 WHERE id = ?""", [now, row.last_error, alert_id])
        db.execute(
            "UPDATE alerts SET status = 'digest', last_error = NULL WHERE bundle_id = ?",
            [alert_id])
    return get_alert(db, alert_id)


def insert_operator_alert(db: sqlite_utils.Database, channel: str, subject: str, body: str,
                          now: str, message_id: str) -> int | None:
    """Queue an operator notice, unless the same notice already waits unsent on the channel."""
    with db.atomic():
        waiting = db.execute(
            """SELECT 1 FROM alerts WHERE kind = 'operator' AND channel = ?
               AND status IN ('pending', 'sending') AND json_extract(payload, '$.subject') = ?""",
            [channel, subject]).fetchone()
        if waiting:
            return None
        cursor = db.execute(
            """INSERT INTO alerts (change_id, channel, kind, status, created_at, next_attempt_at,
               message_id, payload) VALUES (NULL, ?, 'operator', 'pending', ?, ?, ?, ?)""",
            [channel, now, now, message_id, json.dumps({"subject": subject, "body": body})])
    return int(cursor.lastrowid or 0)


def waiting_digest_channels(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT DISTINCT channel FROM alerts WHERE status = 'digest' AND bundle_id IS NULL")]


def bundle_digest(db: sqlite_utils.Database, channel: str, cutoff: str,
                  now: str) -> int | None:
    """Bundle the channel's unbundled digest rows created before `cutoff` into one pending row
    of kind 'digest'; return its id, or None if nothing waits. The digest's message id derives
    from its first member, which belongs to no other digest: stable and unique."""
    with db.atomic():
        members = [r[0] for r in db.execute(
            """SELECT id FROM alerts WHERE channel = ? AND status = 'digest'
               AND bundle_id IS NULL AND created_at < ? ORDER BY created_at, id""",
            [channel, cutoff])]
        if not members:
            return None
        message_id = model.message_id("digest", members[0], channel)
        cursor = db.execute(
            """INSERT INTO alerts (change_id, channel, kind, status, created_at, next_attempt_at,
               message_id, payload) VALUES (NULL, ?, 'digest', 'pending', ?, ?, ?, ?)""",
            [channel, now, now, message_id, json.dumps({"period_end": cutoff})])
        bundle = int(cursor.lastrowid or 0)
        db.execute(
            f"UPDATE alerts SET bundle_id = ? WHERE id IN ({','.join('?' * len(members))})",
            [bundle, *members])
    return bundle


def bundle_members(db: sqlite_utils.Database, bundle_id: int) -> list[AlertRow]:
    return [_to_row(r) for r in db.query(
        "SELECT * FROM alerts WHERE bundle_id = ? ORDER BY created_at, id", [bundle_id])]


@dataclass(frozen=True)
class AlertListing(AlertRow):
    """An alert as `policywatch alerts` lists it, with its change's policy, severity and summary
    (None for operator notices and digests)."""

    policy: str | None
    severity: str | None
    summary: str | None


def list_alerts(db: sqlite_utils.Database, status: str | tuple[str, ...] | None = None,
                limit: int = 50) -> list[AlertListing]:
    """Alerts newest first (in one status or any of several) with their change's policy,
    severity and summary, for listing."""
    statuses = (status,) if isinstance(status, str) else status or ()
    where = f"WHERE a.status IN ({', '.join('?' * len(statuses))})" if statuses else ""
    params: list[Any] = list(statuses)
    return [AlertListing(**_row_fields(row), policy=row["policy"], severity=row["severity"],
                         summary=row["summary"]) for row in db.query(
        f"""SELECT a.*, c.policy, c.severity, c.summary
            FROM alerts a LEFT JOIN changes c ON c.id = a.change_id {where}
            ORDER BY a.id DESC LIMIT ?""", [*params, limit])]


def status_counts(db: sqlite_utils.Database) -> dict[str, int]:
    return {r[0]: int(r[1]) for r in db.execute(
        "SELECT status, COUNT(*) FROM alerts GROUP BY status")}


@dataclass(frozen=True)
class ChangeForAlert(StoredChange):
    """A change with what a message needs besides it: the captures' URLs."""

    new_url: str | None
    new_archive_url: str | None
    old_archive_url: str | None


def change_for_alert(db: sqlite_utils.Database, change_id: int) -> ChangeForAlert:
    """The change with what a message needs besides the diff: the captures' URLs."""
    rows = list(db.query(
        """SELECT c.*, sn.final_url AS new_url, sn.archive_url AS new_archive_url,
                  so.archive_url AS old_archive_url
           FROM changes c
           JOIN versions vn ON vn.id = c.to_version_id
           JOIN versions vo ON vo.id = c.from_version_id
           LEFT JOIN snapshots sn ON sn.id = vn.snapshot_id
           LEFT JOIN snapshots so ON so.id = vo.snapshot_id
           WHERE c.id = ?""", [change_id]))
    if not rows:
        raise NotFound(f"change #{change_id} does not exist")
    row = rows[0]
    return ChangeForAlert(**stored_change_fields(row), new_url=row["new_url"],
                          new_archive_url=row["new_archive_url"],
                          old_archive_url=row["old_archive_url"])
