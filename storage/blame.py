"""Stored blame states (monitor.history.blame) and what a blame shows of each version's source."""

from __future__ import annotations

from collections.abc import Collection

import sqlite_utils


def blame_states(db: sqlite_utils.Database, policy: str) -> dict[int, tuple[str, bytes]]:
    """version id -> (digest of the timeline that led to it, compressed state)."""
    rows = db.execute("SELECT version_id, chain, state FROM blame_states WHERE policy = ?",
                      [policy]).fetchall()
    return {int(version_id): (str(chain), bytes(state)) for version_id, chain, state in rows}


def save_blame_state(db: sqlite_utils.Database, policy: str, version_id: int, chain: str,
                     state: bytes, saved_at: str, *, keep: Collection[int]) -> None:
    """Store the state after `version_id` and drop the policy's other states not in `keep`."""
    with db.atomic():
        db.execute(
            """INSERT INTO blame_states (policy, version_id, chain, state, saved_at)
               VALUES (?, ?, ?, ?, ?) ON CONFLICT (policy, version_id) DO UPDATE SET
               chain = excluded.chain, state = excluded.state, saved_at = excluded.saved_at""",
            [policy, version_id, chain, state, saved_at])
        stored = [int(r[0]) for r in db.execute(
            "SELECT version_id FROM blame_states WHERE policy = ?", [policy]).fetchall()]
        for stale in set(stored) - set(keep) - {version_id}:
            db.execute("DELETE FROM blame_states WHERE policy = ? AND version_id = ?",
                       [policy, stale])


def version_capture_urls(db: sqlite_utils.Database, policy: str) -> dict[int, str | None]:
    """version id -> the archive URL of the capture that first showed its text (None: live)."""
    rows = db.execute(
        """SELECT v.id, s.archive_url FROM versions v LEFT JOIN snapshots s ON s.id = v.snapshot_id
           WHERE v.policy = ?""", [policy]).fetchall()
    return {int(version_id): url for version_id, url in rows}
