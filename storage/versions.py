"""Extracted versions of a policy: one timeline per generation, ordered by first_seen. A new
generation is written when history is re-derived from stored snapshots.

Version numbers are positions in the timeline (1 = oldest), so a Wayback backfill that adds older
versions renumbers the later ones; hashes and dates identify a version for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from policywatch.monitor.errors import NotFound
from policywatch.monitor.timeutil import day_end


@dataclass(frozen=True)
class Version:
    id: int
    policy: str
    number: int
    text: str
    norm_hash: str
    chars: int
    extractor_version: int
    generation: int
    snapshot_id: int | None
    first_seen: str
    last_seen: str
    source: str
    archive_timestamp: str | None
    rederived: bool


@dataclass(frozen=True)
class NewVersion:
    policy: str
    text: str
    norm_hash: str
    extractor_version: int
    snapshot_id: int | None
    seen_at: str
    source: str = "live"
    archive_timestamp: str | None = None
    rederived: bool = False
    generation: int | None = None  # None: the policy's current generation


_TIMELINE_SQL = """
    SELECT v.*, ROW_NUMBER() OVER (ORDER BY v.first_seen, v.id) AS number
    FROM versions v
    WHERE v.policy = :policy AND v.generation = (
        SELECT MAX(generation) FROM versions WHERE policy = :policy)
"""


def _to_version(row: dict[str, Any]) -> Version:
    return Version(
        id=row["id"], policy=row["policy"], number=row["number"], text=row["text"],
        norm_hash=row["norm_hash"], chars=row["chars"],
        extractor_version=row["extractor_version"], generation=row["generation"],
        snapshot_id=row["snapshot_id"],
        first_seen=row["first_seen"], last_seen=row["last_seen"], source=row["source"],
        archive_timestamp=row["archive_timestamp"], rederived=bool(row["rederived"]),
    )


def timeline(db: sqlite_utils.Database, policy: str) -> list[Version]:
    """The policy's versions, oldest first, in the newest extractor's timeline."""
    rows = db.query(_TIMELINE_SQL + " ORDER BY number", {"policy": policy})
    return [_to_version(row) for row in rows]


def latest_version(db: sqlite_utils.Database, policy: str) -> Version | None:
    rows = list(db.query(_TIMELINE_SQL + " ORDER BY number DESC LIMIT 1", {"policy": policy}))
    return _to_version(rows[0]) if rows else None


def current_generation(db: sqlite_utils.Database, policy: str) -> int | None:
    row = db.execute("SELECT MAX(generation) FROM versions WHERE policy = ?",
                     [policy]).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def timeline_extractor_version(db: sqlite_utils.Database, policy: str) -> int | None:
    """The oldest extractor version used in the current timeline (None: no versions)."""
    row = db.execute(
        """SELECT MIN(extractor_version) FROM versions WHERE policy = :p AND generation =
           (SELECT MAX(generation) FROM versions WHERE policy = :p)""", {"p": policy}).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def add_version(db: sqlite_utils.Database, new: NewVersion) -> int:
    generation = new.generation or current_generation(db, new.policy) or 1
    cursor = db.execute(
        """INSERT INTO versions (policy, text, norm_hash, chars, extractor_version, generation,
           snapshot_id, last_snapshot_id, first_seen, last_seen, source, archive_timestamp,
           rederived) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [new.policy, new.text, new.norm_hash, len(new.text), new.extractor_version, generation,
         new.snapshot_id, new.snapshot_id, new.seen_at, new.seen_at, new.source,
         new.archive_timestamp, int(new.rederived)],
    )
    return int(cursor.lastrowid or 0)


def mark_seen(db: sqlite_utils.Database, version_id: int, seen_at: str,
              snapshot_id: int | None = None) -> None:
    """The same text was seen again: widen the version's first/last seen to include `seen_at`."""
    db.execute(
        """UPDATE versions SET
             last_seen = MAX(last_seen, :seen),
             last_snapshot_id = CASE WHEN :seen >= last_seen AND :snap IS NOT NULL
                                     THEN :snap ELSE last_snapshot_id END,
             first_seen = MIN(first_seen, :seen)
           WHERE id = :id""",
        {"seen": seen_at, "snap": snapshot_id, "id": version_id},
    )


def get_version(db: sqlite_utils.Database, policy: str, *, number: int | None = None,
                at: date | None = None) -> Version:
    """A version by number (1 = oldest; negative counts from the newest), by date (the version in
    force at the end of that day), or the latest."""
    versions = timeline(db, policy)
    if not versions:
        raise NotFound(f"policy {policy!r} has no stored versions")
    if number is not None:
        index = number - 1 if number > 0 else len(versions) + number
        if not 0 <= index < len(versions) or number == 0:
            raise NotFound(f"policy {policy!r} has versions 1 to {len(versions)}, not {number}")
        return versions[index]
    if at is not None:
        cutoff = day_end(at)
        in_force = [v for v in versions if v.first_seen <= cutoff]
        if not in_force:
            raise NotFound(f"policy {policy!r} has no version on or before {at.isoformat()} "
                           f"(first seen {versions[0].first_seen[:10]})")
        return in_force[-1]
    return versions[-1]


def get_version_text(db: sqlite_utils.Database, name: str, number: int | None = None,
                     at: date | None = None) -> str:
    return get_version(db, name, number=number, at=at).text

