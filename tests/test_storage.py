"""The store: migrations, content-addressed snapshots, version widening, atomic change+alerts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from policywatch.storage.changes import AlertRoute, NewChange, record_change
from policywatch.storage.db import open_db
from policywatch.storage.migrations import MIGRATIONS
from policywatch.storage.snapshots import SnapshotInput, blob_stats, record_snapshot, snapshot_body
from policywatch.storage.versions import NewVersion, add_version, get_version, mark_seen, timeline


def snap(body: bytes, at: str) -> SnapshotInput:
    return SnapshotInput(policy="p", body=body, requested_url="https://x.example/p",
                         final_url="https://x.example/p", status=200, content_type="text/html",
                         headers={"ETag": '"1"'}, fetched_at=at)


def version(text: str, at: str, snapshot_id: int | None = None) -> NewVersion:
    return NewVersion(policy="p", text=text, norm_hash=f"h-{text}", extractor_version=1,
                      snapshot_id=snapshot_id, seen_at=at)


def test_migrations_are_recorded_and_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "pw.db"
    open_db(path).conn.close()
    db = open_db(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_identical_bytes_are_stored_once(tmp_path: Path) -> None:
    db = open_db(tmp_path / "pw.db")
    first = record_snapshot(db, snap(b"<html>same</html>", "2026-01-01T00:00:00.000000Z"))
    second = record_snapshot(db, snap(b"<html>same</html>", "2026-01-02T00:00:00.000000Z"))
    record_snapshot(db, snap(b"<html>other</html>", "2026-01-03T00:00:00.000000Z"))
    assert first != second
    assert blob_stats(db) == {"blobs": 2, "bytes": 35, "snapshots": 3}
    assert snapshot_body(db, second) == b"<html>same</html>"


def test_versions_widen_and_number_by_first_seen(tmp_path: Path) -> None:
    db = open_db(tmp_path / "pw.db")
    late = add_version(db, version("b", "2026-03-01T00:00:00.000000Z"))
    add_version(db, version("a", "2025-01-01T00:00:00.000000Z"))
    mark_seen(db, late, "2026-04-01T00:00:00.000000Z")
    mark_seen(db, late, "2026-02-01T00:00:00.000000Z")
    versions = timeline(db, "p")
    assert [(v.number, v.text) for v in versions] == [(1, "a"), (2, "b")]
    assert (versions[1].first_seen[:10], versions[1].last_seen[:10]) == ("2026-02-01",
                                                                         "2026-04-01")
    assert get_version(db, "p", number=-1).text == "b"
    from datetime import date

    assert get_version(db, "p", at=date(2025, 6, 1)).text == "a"


def test_change_and_alerts_are_one_transaction(tmp_path: Path) -> None:
    db = open_db(tmp_path / "pw.db")
    old = add_version(db, version("a", "2025-01-01T00:00:00.000000Z"))
    new = add_version(db, version("b", "2025-02-01T00:00:00.000000Z"))
    change = NewChange(policy="p", from_version_id=old, to_version_id=new,
                       detected_at="2025-02-01T00:00:00.000000Z", window_start=None,
                       window_end=None, source="live", material=True, severity="high",
                       direction="worse", categories=["sale"], summary="s", diff={})
    # An alert row that violates the status CHECK makes the whole write roll back.
    with pytest.raises(sqlite3.IntegrityError):
        record_change(db, change, [AlertRoute("email"), AlertRoute("slack", status="bogus")])
    assert db.execute("SELECT COUNT(*) FROM changes").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == 0
    change_id = record_change(db, change, [AlertRoute("email"), AlertRoute("slack")])
    again = record_change(db, change, [AlertRoute("email"), AlertRoute("slack")])
    assert change_id == again
    rows = list(db.query("SELECT channel, message_id FROM alerts ORDER BY channel"))
    assert [r["channel"] for r in rows] == ["email", "slack"]
    assert rows[0]["message_id"] != rows[1]["message_id"]


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    db = open_db(tmp_path / "pw.db")
    with pytest.raises(sqlite3.IntegrityError):
        add_version(db, version("a", "2025-01-01T00:00:00.000000Z", snapshot_id=999))
