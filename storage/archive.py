"""Wayback backfill storage: the captures seen (for resuming), the runs, and the queries the
timeline placement (monitor/history/timeline.py, which decides) needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from policywatch.monitor.timeutil import from_archive_timestamp, iso
from policywatch.storage import versions


@dataclass(frozen=True)
class ArchiveCapture:
    timestamp: str
    digest: str
    original_url: str
    status: str
    reason: str | None
    snapshot_id: int | None
    refined: bool

    @property
    def seen_at(self) -> str:
        return iso(from_archive_timestamp(self.timestamp))


_CAPTURE_COLUMNS = "timestamp, digest, original_url, status, reason, snapshot_id, refined"


def _capture(row: tuple[object, ...]) -> ArchiveCapture:
    timestamp, digest, original, status, reason, snapshot_id, refined = row
    return ArchiveCapture(timestamp=str(timestamp), digest=str(digest),
                          original_url=str(original), status=str(status),
                          reason=None if reason is None else str(reason),
                          snapshot_id=None if snapshot_id is None else int(str(snapshot_id)),
                          refined=bool(refined))


# --- runs ------------------------------------------------------------------------------------

def start_run(db: sqlite_utils.Database, policy: str, since: str | None, until: str | None,
              now: str) -> int:
    cursor = db.execute(
        "INSERT INTO archive_backfills (policy, since, until, started_at) VALUES (?, ?, ?, ?)",
        [policy, since, until, now])
    return int(cursor.lastrowid or 0)


def finish_run(db: sqlite_utils.Database, run_id: int, now: str, listed: int,
               failed: int) -> None:
    db.execute("UPDATE archive_backfills SET finished_at = ?, listed = ?, failed = ? WHERE id = ?",
               [now, listed, failed, run_id])


def backfill_done(db: sqlite_utils.Database, policy: str, since: str | None) -> bool:
    """Whether a finished run covered everything from `since` (None: from the beginning) to
    the time it ran."""
    row = db.execute(
        """SELECT 1 FROM archive_backfills WHERE policy = :p AND finished_at IS NOT NULL
           AND until IS NULL AND (since IS NULL OR (:since IS NOT NULL AND since <= :since))
           LIMIT 1""", {"p": policy, "since": since}).fetchone()
    return row is not None


# --- captures --------------------------------------------------------------------------------

def record_listed(db: sqlite_utils.Database, policy: str,
                  captures: Iterable[tuple[str, str, str]], now: str) -> int:
    """Remember listed captures (timestamp, digest, original URL) as pending; captures already
    known keep their state. Returns how many were new."""
    before = db.conn.total_changes
    db.conn.executemany(
        """INSERT OR IGNORE INTO archive_captures
           (policy, timestamp, digest, original_url, status, updated_at)
           VALUES (?, ?, ?, ?, 'pending', ?)""",
        [(policy, ts, digest, original, now) for ts, digest, original in captures])
    return int(db.conn.total_changes - before)


def captures_to_process(db: sqlite_utils.Database, policy: str, *,
                        retry_failed: bool = True) -> list[ArchiveCapture]:
    """Pending captures and, with `retry_failed`, failed ones that never got their bytes (worth
    another try), oldest first. A capture whose bytes were stored but rejected is not retried:
    same bytes, same verdict."""
    rows = db.execute(
        f"""SELECT {_CAPTURE_COLUMNS} FROM archive_captures WHERE policy = ?
            AND (status = 'pending' OR (? AND status = 'failed' AND snapshot_id IS NULL))
            ORDER BY timestamp, digest""", [policy, int(retry_failed)]).fetchall()
    return [_capture(row) for row in rows]


def snapshot_for_digest(db: sqlite_utils.Database, policy: str, digest: str) -> int | None:
    """A snapshot already holding the bytes of this digest (so they are not downloaded again)."""
    row = db.execute(
        """SELECT snapshot_id FROM archive_captures WHERE policy = ? AND digest = ?
           AND snapshot_id IS NOT NULL ORDER BY timestamp LIMIT 1""", [policy, digest]).fetchone()
    return int(row[0]) if row else None


def mark_capture(db: sqlite_utils.Database, policy: str, capture: ArchiveCapture, status: str,
                 now: str, *, reason: str | None = None, snapshot_id: int | None = None) -> None:
    db.execute(
        """UPDATE archive_captures SET status = ?, reason = ?,
           snapshot_id = COALESCE(?, snapshot_id), updated_at = ?
           WHERE policy = ? AND timestamp = ? AND digest = ?""",
        [status, reason, snapshot_id, now, policy, capture.timestamp, capture.digest])


def mark_refined(db: sqlite_utils.Database, policy: str, timestamp: str, digest: str) -> None:
    """The index was asked for later repeats of this capture (the last of its version)."""
    db.execute("UPDATE archive_captures SET refined = 1 WHERE policy = ? AND timestamp = ? "
               "AND digest = ?", [policy, timestamp, digest])


def all_captures(db: sqlite_utils.Database, policy: str) -> list[ArchiveCapture]:
    rows = db.execute(f"SELECT {_CAPTURE_COLUMNS} FROM archive_captures WHERE policy = ? "
                      "ORDER BY timestamp, digest", [policy]).fetchall()
    return [_capture(row) for row in rows]



def capture_counts(db: sqlite_utils.Database, policy: str) -> dict[str, int]:
    return {str(status): int(count) for status, count in db.execute(
        "SELECT status, COUNT(*) FROM archive_captures WHERE policy = ? GROUP BY status",
        [policy])}


def next_listed(db: sqlite_utils.Database, policy: str, timestamp: str) -> str | None:
    """The timestamp of the first known capture after `timestamp`, whatever its state."""
    row = db.execute("SELECT MIN(timestamp) FROM archive_captures WHERE policy = ? "
                     "AND timestamp > ?", [policy, timestamp]).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def captures_within(db: sqlite_utils.Database, policy: str, first_seen: str,
                    last_seen: str) -> list[ArchiveCapture]:
    """The placed captures (stored or duplicate) seen in [first_seen, last_seen], oldest first:
    since versions do not overlap, these are the captures of the version with that interval."""
    rows = db.execute(
        f"""SELECT {", ".join("c." + c.strip() for c in _CAPTURE_COLUMNS.split(","))}
            FROM archive_captures c JOIN snapshots s ON s.id = c.snapshot_id
            WHERE c.policy = ? AND c.status IN ('stored', 'duplicate')
            AND s.fetched_at BETWEEN ? AND ? ORDER BY c.timestamp""",
        [policy, first_seen, last_seen]).fetchall()
    return [_capture(row) for row in rows]


# --- the timeline ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    """A version of the current timeline, without its text."""

    id: int
    policy: str
    norm_hash: str
    first_seen: str
    last_seen: str
    source: str


def timeline_spans(db: sqlite_utils.Database, policy: str) -> list[Span]:
    rows = db.execute(
        """SELECT id, policy, norm_hash, first_seen, last_seen, source FROM versions
           WHERE policy = :p AND generation = (SELECT MAX(generation) FROM versions
                                               WHERE policy = :p)
           ORDER BY first_seen, id""", {"p": policy}).fetchall()
    return [Span(id=int(r[0]), policy=str(r[1]), norm_hash=str(r[2]), first_seen=str(r[3]),
                 last_seen=str(r[4]), source=str(r[5])) for r in rows]


def version_text(db: sqlite_utils.Database, version_id: int) -> str:
    return versions.version_text(db, version_id)


def move_version_start(db: sqlite_utils.Database, version_id: int, seen_at: str,
                       snapshot_id: int, timestamp: str) -> None:
    """An earlier sighting of a version: its first_seen (and what first showed it) moves back."""
    db.execute(
        """UPDATE versions SET first_seen = ?, snapshot_id = ?, source = 'archive',
           archive_timestamp = ? WHERE id = ? AND first_seen > ?""",
        [seen_at, snapshot_id, timestamp, version_id, seen_at])


def change_alerted(db: sqlite_utils.Database, from_id: int, to_id: int) -> bool:
    """Whether the change between these versions sent (or queued) alerts."""
    row = db.execute(
        """SELECT 1 FROM changes c JOIN alerts a ON a.change_id = c.id
           WHERE c.from_version_id = ? AND c.to_version_id = ? LIMIT 1""",
        [from_id, to_id]).fetchone()
    return row is not None


def seen_live(db: sqlite_utils.Database, version_id: int) -> bool:
    """Whether a live check ever saw this version."""
    return db.execute("SELECT 1 FROM checks WHERE version_id = ? LIMIT 1",
                      [version_id]).fetchone() is not None


def split_version(db: sqlite_utils.Database, span: Span, head_end: ArchiveCapture,
                  tail_start: ArchiveCapture) -> int:
    """Split a version in two with the same text: it ends at `head_end`, a copy starts at
    `tail_start` and keeps the rest. Returns the copy's id."""
    cursor = db.execute(
        """INSERT INTO versions (policy, text_sha256, norm_hash, chars, extractor_version,
           generation, snapshot_id, last_snapshot_id, first_seen, last_seen, source,
           archive_timestamp, rederived)
           SELECT policy, text_sha256, norm_hash, chars, extractor_version, generation, ?,
                  last_snapshot_id, ?, last_seen, 'archive', ?, rederived
           FROM versions WHERE id = ?""",
        [tail_start.snapshot_id, tail_start.seen_at, tail_start.timestamp, span.id])
    tail_id = int(cursor.lastrowid or 0)
    db.execute("UPDATE versions SET last_seen = ?, last_snapshot_id = ? WHERE id = ?",
               [head_end.seen_at, head_end.snapshot_id, span.id])
    # The change that left the old version now leaves its tail: same texts, same diff, and any
    # alerts it sent stay attached to it.
    db.execute("UPDATE changes SET from_version_id = ? WHERE from_version_id = ?",
               [tail_id, span.id])
    return tail_id


# --- changes along the timeline --------------------------------------------------------------

@dataclass(frozen=True)
class ChangeRow:
    """A recorded change, as the timeline reconciliation sees it."""

    id: int
    from_version_id: int
    to_version_id: int
    window_start: str | None
    window_end: str | None
    alerted: bool


def change_rows(db: sqlite_utils.Database, policy: str) -> list[ChangeRow]:
    rows = db.execute(
        """SELECT c.id, c.from_version_id, c.to_version_id, c.window_start, c.window_end,
                  EXISTS (SELECT 1 FROM alerts a WHERE a.change_id = c.id)
           FROM changes c WHERE c.policy = ?""", [policy]).fetchall()
    return [ChangeRow(id=int(r[0]), from_version_id=int(r[1]), to_version_id=int(r[2]),
                      window_start=r[3], window_end=r[4], alerted=bool(r[5])) for r in rows]


def set_change_window(db: sqlite_utils.Database, change_id: int, start: str, end: str) -> None:
    db.execute("UPDATE changes SET window_start = ?, window_end = ? WHERE id = ?",
               [start, end, change_id])


def delete_change(db: sqlite_utils.Database, change_id: int) -> None:
    db.execute("DELETE FROM changes WHERE id = ?", [change_id])
