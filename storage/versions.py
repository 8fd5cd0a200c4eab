"""Extracted versions of a policy: one timeline per generation, ordered by first_seen. A new
generation is written when history is re-derived from stored snapshots.

Version numbers are positions in the timeline (1 = oldest), so a Wayback backfill that adds older
versions renumbers the later ones; hashes and dates identify a version for good.

Texts live in the content-addressed `texts` table (storage.blobstore): each distinct text once,
compressed, mostly as a small delta against an earlier text of the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from policywatch.monitor.errors import NotFound
from policywatch.monitor.timeutil import day_end

from . import blobstore


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


@dataclass(frozen=True)
class VersionHead:
    """A version of the current timeline without its text: enough to compare hashes."""

    id: int
    number: int
    norm_hash: str
    first_seen: str
    last_seen: str


# Every query below names the policy's current generation and walks the versions_timeline index
# (policy, generation, first_seen, id) from one end: its cost does not grow with the history.
_CURRENT = """v.policy = :policy AND v.generation = (
        SELECT MAX(generation) FROM versions WHERE policy = :policy)"""
_COLUMNS = """v.id, v.policy, v.text_sha256, v.norm_hash, v.chars, v.extractor_version,
    v.generation, v.snapshot_id, v.first_seen, v.last_seen, v.source, v.archive_timestamp,
    v.rederived"""
_NEWEST_FIRST = "ORDER BY v.first_seen DESC, v.id DESC"
_OLDEST_FIRST = "ORDER BY v.first_seen, v.id"


def _to_version(db: sqlite_utils.Database, row: dict[str, Any], number: int,
                text: str | None = None) -> Version:
    return Version(
        id=row["id"], policy=row["policy"], number=number,
        text=version_text_of(db, row["text_sha256"]) if text is None else text,
        norm_hash=row["norm_hash"], chars=row["chars"],
        extractor_version=row["extractor_version"], generation=row["generation"],
        snapshot_id=row["snapshot_id"],
        first_seen=row["first_seen"], last_seen=row["last_seen"], source=row["source"],
        archive_timestamp=row["archive_timestamp"], rederived=bool(row["rederived"]),
    )


def version_text_of(db: sqlite_utils.Database, text_sha256: str) -> str:
    return blobstore.get(db, "texts", text_sha256).decode("utf-8")


def version_text(db: sqlite_utils.Database, version_id: int) -> str:
    """The text of one version, by id."""
    row = db.execute("SELECT text_sha256 FROM versions WHERE id = ?", [version_id]).fetchone()
    if row is None:
        raise NotFound(f"version {version_id} does not exist")
    return version_text_of(db, str(row[0]))


def _rows(db: sqlite_utils.Database, policy: str, tail: str,
          params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return list(db.query(f"SELECT {_COLUMNS} FROM versions v WHERE {_CURRENT} {tail}",
                         {"policy": policy, **(params or {})}))


def version_count(db: sqlite_utils.Database, policy: str) -> int:
    """How many versions the current timeline holds (a count over the index, no row read)."""
    row = db.execute(f"SELECT COUNT(*) FROM versions v WHERE {_CURRENT}",
                     {"policy": policy}).fetchone()
    return int(row[0])


def timeline(db: sqlite_utils.Database, policy: str) -> list[Version]:
    """The policy's versions, oldest first, in the newest extractor's timeline."""
    rows = _rows(db, policy, _OLDEST_FIRST)
    texts = blobstore.get_many(db, "texts", [row["text_sha256"] for row in rows])
    return [_to_version(db, row, number, text.decode("utf-8"))
            for number, (row, text) in enumerate(zip(rows, texts, strict=True), start=1)]


def latest_version(db: sqlite_utils.Database, policy: str) -> Version | None:
    rows = _rows(db, policy, _NEWEST_FIRST + " LIMIT 1")
    return _to_version(db, rows[0], version_count(db, policy)) if rows else None


@dataclass(frozen=True)
class LatestHead:
    """The latest version's id and hash: all an unchanged check needs."""

    id: int
    norm_hash: str


def latest_head(db: sqlite_utils.Database, policy: str) -> LatestHead | None:
    """The latest version without its text or number (one index lookup)."""
    rows = db.execute(f"SELECT v.id, v.norm_hash FROM versions v WHERE {_CURRENT} "
                      f"{_NEWEST_FIRST} LIMIT 1", {"policy": policy}).fetchall()
    return LatestHead(int(rows[0][0]), str(rows[0][1])) if rows else None


def recent_versions(db: sqlite_utils.Database, policy: str, count: int) -> list[VersionHead]:
    """The `count` newest versions of the current timeline, newest first, without texts."""
    rows = _rows(db, policy, _NEWEST_FIRST + " LIMIT :count", {"count": count})
    if not rows:
        return []
    total = version_count(db, policy)
    return [VersionHead(row["id"], total - k, row["norm_hash"], row["first_seen"],
                        row["last_seen"]) for k, row in enumerate(rows)]


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


def put_text(db: sqlite_utils.Database, policy: str, text: str) -> str:
    """Store a version text once (a delta against the policy's latest text when that pays);
    return its sha256."""
    latest = _rows(db, policy, _NEWEST_FIRST + " LIMIT 1")
    reference = latest[0]["text_sha256"] if latest else None
    return blobstore.put(db, "texts", text.encode("utf-8"), reference)


def add_version(db: sqlite_utils.Database, new: NewVersion) -> int:
    generation = new.generation or current_generation(db, new.policy) or 1
    text_sha256 = put_text(db, new.policy, new.text)
    cursor = db.execute(
        """INSERT INTO versions (policy, text_sha256, norm_hash, chars, extractor_version,
           generation, snapshot_id, last_snapshot_id, first_seen, last_seen, source,
           archive_timestamp, rederived) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [new.policy, text_sha256, new.norm_hash, len(new.text), new.extractor_version,
         generation, new.snapshot_id, new.snapshot_id, new.seen_at, new.seen_at, new.source,
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
    total = version_count(db, policy)
    if not total:
        raise NotFound(f"policy {policy!r} has no stored versions")
    if number is not None:
        if number == 0 or abs(number) > total:
            raise NotFound(f"policy {policy!r} has versions 1 to {total}, not {number}")
        order, skip = (_OLDEST_FIRST, number - 1) if number > 0 else (_NEWEST_FIRST, -number - 1)
        rows = _rows(db, policy, order + " LIMIT 1 OFFSET :skip", {"skip": skip})
        return _to_version(db, rows[0], number if number > 0 else total + number + 1)
    if at is not None:
        cutoff = day_end(at)
        rows = _rows(db, policy, "AND v.first_seen <= :cutoff " + _NEWEST_FIRST + " LIMIT 1",
                     {"cutoff": cutoff})
        if not rows:
            first = _rows(db, policy, _OLDEST_FIRST + " LIMIT 1")[0]
            raise NotFound(f"policy {policy!r} has no version on or before {at.isoformat()} "
                           f"(first seen {first['first_seen'][:10]})")
        return _to_version(db, rows[0], _number_of(db, policy, rows[0]))
    latest = latest_version(db, policy)
    assert latest is not None  # total > 0
    return latest


def _number_of(db: sqlite_utils.Database, policy: str, row: dict[str, Any]) -> int:
    """A version's position in the timeline: the versions up to it in (first_seen, id) order."""
    found = db.execute(
        f"""SELECT COUNT(*) FROM versions v WHERE {_CURRENT} AND (v.first_seen < :seen
            OR (v.first_seen = :seen AND v.id <= :id))""",
        {"policy": policy, "seen": row["first_seen"], "id": row["id"]}).fetchone()
    return int(found[0])


def get_version_text(db: sqlite_utils.Database, name: str, number: int | None = None,
                     at: date | None = None) -> str:
    return get_version(db, name, number=number, at=at).text

