"""Raw snapshots and their content-addressed, compressed bodies (storage.blobstore)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields

import sqlite_utils

from policywatch.monitor.errors import NotFound

from . import blobstore


@dataclass(frozen=True)
class SnapshotInput:
    policy: str
    body: bytes
    requested_url: str
    final_url: str
    status: int | None
    content_type: str | None
    headers: Mapping[str, str]
    fetched_at: str
    source: str = "live"
    archive_timestamp: str | None = None
    archive_digest: str | None = None
    archive_url: str | None = None


def store_blob(db: sqlite_utils.Database, body: bytes, policy: str | None = None) -> str:
    """Store bytes once per sha256 (with `policy`, as a delta against its latest snapshot's
    body when that pays); return the hash."""
    reference = None
    if policy is not None:
        row = db.execute("SELECT blob_sha256 FROM snapshots WHERE policy = ? "
                         "ORDER BY fetched_at DESC, id DESC LIMIT 1", [policy]).fetchone()
        reference = str(row[0]) if row else None
    return blobstore.put(db, "blobs", body, reference)


def record_snapshot(db: sqlite_utils.Database, snap: SnapshotInput) -> int:
    """Store a fetched page (body deduplicated) and return the snapshot id."""
    with db.atomic():
        digest = store_blob(db, snap.body, snap.policy)
        cursor = db.execute(
            """INSERT INTO snapshots (policy, blob_sha256, requested_url, final_url, status,
               content_type, headers, fetched_at, source, archive_timestamp, archive_digest,
               archive_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [snap.policy, digest, snap.requested_url, snap.final_url, snap.status,
             snap.content_type, json.dumps(dict(snap.headers)), snap.fetched_at, snap.source,
             snap.archive_timestamp, snap.archive_digest, snap.archive_url],
        )
    return int(cursor.lastrowid or 0)


def snapshot_body(db: sqlite_utils.Database, snapshot_id: int) -> bytes:
    row = db.execute("SELECT blob_sha256 FROM snapshots WHERE id = ?", [snapshot_id]).fetchone()
    if row is None:
        raise NotFound(f"snapshot {snapshot_id} does not exist")
    return blobstore.get(db, "blobs", str(row[0]))


@dataclass(frozen=True)
class StoredSnapshot:
    """A snapshot row as stored; the body is in the blob store (snapshot_body)."""

    id: int
    policy: str
    blob_sha256: str
    requested_url: str
    final_url: str
    status: int | None
    content_type: str | None
    headers: str  # JSON object, as recorded
    fetched_at: str
    source: str  # live | archive
    archive_timestamp: str | None
    archive_digest: str | None
    archive_url: str | None


_SNAPSHOT_COLUMNS = ", ".join(f"s.{f.name}" for f in fields(StoredSnapshot))


def get_snapshot(db: sqlite_utils.Database, snapshot_id: int) -> StoredSnapshot:
    rows = list(db.query(f"SELECT {_SNAPSHOT_COLUMNS} FROM snapshots s WHERE s.id = ?",
                         [snapshot_id]))
    if not rows:
        raise NotFound(f"snapshot {snapshot_id} does not exist")
    return StoredSnapshot(**rows[0])


def policy_snapshots(db: sqlite_utils.Database, policy: str) -> list[StoredSnapshot]:
    """Every successful snapshot of a policy, in the order it was seen (archive captures by
    capture time), for re-extraction."""
    return [StoredSnapshot(**row) for row in db.query(
        f"""SELECT {_SNAPSHOT_COLUMNS} FROM snapshots s
           WHERE s.policy = ? AND (s.status IS NULL OR s.status BETWEEN 200 AND 299)
           ORDER BY s.fetched_at, s.id""",
        [policy],
    )]


def blob_stats(db: sqlite_utils.Database) -> dict[str, int]:
    row = db.execute("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM blobs").fetchone()
    snaps = db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0]
    return {"blobs": int(row[0]), "bytes": int(row[1]), "snapshots": int(snaps)}


def has_earlier_live_snapshot(db: sqlite_utils.Database, policy: str, snapshot_id: int) -> bool:
    """Whether the policy was fetched live before this snapshot (its first live version after a
    Wayback backfill is the start of watching, not news)."""
    row = db.execute("SELECT 1 FROM snapshots WHERE policy = ? AND source = 'live' AND id < ? "
                     "LIMIT 1", [policy, snapshot_id]).fetchone()
    return row is not None
