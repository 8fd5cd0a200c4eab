"""Version texts stored once, compressed and content-addressed; the latest and recent versions
found by index; and the migration that moves a database of the old schema (texts inline)."""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from policywatch.monitor.errors import NotFound
from policywatch.monitor.history.reextract import reextract_policy
from policywatch.storage import archive, blobstore
from policywatch.storage.db import open_db
from policywatch.storage.migrations import MIGRATIONS, migrate
from policywatch.storage.snapshots import SnapshotInput, record_snapshot, snapshot_body
from policywatch.storage.versions import (
    NewVersion,
    add_version,
    get_version,
    latest_head,
    latest_version,
    mark_seen,
    recent_versions,
    timeline,
    version_count,
    version_text,
)
from tests.support.archive_server import ArchivedCapture
from tests.support.config import load, make_context, write_watchlist
from tests.test_backfill import page_key, render
from tests.test_backfill_timeline import TEXTS, Live, live  # noqa: F401 - the fixture

SENTENCES = [f"Clause {i}: we keep records of category {i} for {i + 3} months and then delete "
             "them, unless the law requires us to keep them longer." for i in range(400)]
BASE = "\n\n".join(SENTENCES)


def at(day: int) -> str:
    return (datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=day)).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")


def version(text: str, seen: str, **kwargs: object) -> NewVersion:
    return NewVersion(policy="p", text=text, norm_hash=f"h{hash(text)}", extractor_version=1,
                      snapshot_id=None, seen_at=seen, **kwargs)  # type: ignore[arg-type]


def revision(n: int) -> str:
    return BASE.replace(SENTENCES[n % 400], SENTENCES[n % 400] + f" Revised in {n}.")


def assert_indexed_views_match(db: sqlite_utils.Database, policy: str = "p") -> None:
    """The indexed queries agree with the full timeline (the reference: every row, sorted)."""
    versions = timeline(db, policy)
    latest = latest_version(db, policy)
    assert latest == (versions[-1] if versions else None)
    head = latest_head(db, policy)
    expected = (versions[-1].id, versions[-1].norm_hash) if versions else None
    assert ((head.id, head.norm_hash) if head else None) == expected
    assert version_count(db, policy) == len(versions)
    heads = recent_versions(db, policy, 6)
    assert [(h.id, h.number, h.norm_hash) for h in heads] == \
        [(v.id, v.number, v.norm_hash) for v in reversed(versions[-6:])]
    for v in versions:
        assert get_version(db, policy, number=v.number) == v
        assert get_version(db, policy, number=v.number - len(versions) - 1) == v


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    database = open_db(tmp_path / "pw.db")
    yield database
    database.conn.close()


def test_a_text_is_stored_once_however_many_versions_hold_it(db: sqlite_utils.Database) -> None:
    add_version(db, version("same text " * 50, at(0)))
    add_version(db, version("other text " * 50, at(1)))
    add_version(db, version("same text " * 50, at(2)))
    add_version(db, version("same text " * 50, at(3), generation=2, rederived=True))
    assert db.execute("SELECT COUNT(*) FROM texts").fetchone()[0] == 2
    assert [v.text for v in timeline(db, "p")] == ["same text " * 50]  # generation 2


def test_similar_texts_are_stored_as_small_deltas_of_one_base(db: sqlite_utils.Database) -> None:
    for n in range(30):
        add_version(db, version(revision(n), at(n)))
    rows = db.execute("SELECT codec, base_sha256, length(data), size FROM texts").fetchall()
    whole = [r for r in rows if r[0] == "zstd"]
    deltas = [r for r in rows if r[0] == "zstd-delta"]
    assert len(whole) == 1 and len(deltas) == 29
    bases = {r[1] for r in deltas}
    assert bases == {db.execute("SELECT sha256 FROM texts WHERE codec = 'zstd'").fetchone()[0]}
    assert max(r[2] for r in deltas) < 500 < whole[0][2] < whole[0][3] // 3
    assert [v.text for v in timeline(db, "p")] == [revision(n) for n in range(30)]


def test_an_unrelated_text_starts_a_new_base(db: sqlite_utils.Database) -> None:
    add_version(db, version(BASE, at(0)))
    other = "\n".join(blobstore.sha256_of(str(i).encode()) for i in range(300))
    add_version(db, version(other, at(1)))
    codecs = [r[0] for r in db.execute("SELECT codec FROM texts ORDER BY rowid")]
    assert codecs == ["zstd", "zstd"]
    assert latest_version(db, "p").text == other  # type: ignore[union-attr]


def test_snapshot_bodies_are_deltas_of_the_policys_previous_body(
        db: sqlite_utils.Database) -> None:
    ids = []
    for n in range(5):
        body = f"<html><body><p>{revision(n)}</p></body></html>".encode()
        ids.append(record_snapshot(db, SnapshotInput(
            policy="p", body=body, requested_url="https://x.invalid/p",
            final_url="https://x.invalid/p", status=200, content_type="text/html", headers={},
            fetched_at=at(n))))
    codecs = [r[0] for r in db.execute("SELECT codec FROM blobs ORDER BY rowid")]
    assert codecs == ["zstd"] + ["zstd-delta"] * 4
    assert snapshot_body(db, ids[3]) == f"<html><body><p>{revision(3)}</p></body></html>".encode()


def test_the_blob_store_reads_legacy_zlib_rows_and_refuses_unknown_tables(
        db: sqlite_utils.Database) -> None:
    data = b"legacy body " * 100
    digest = blobstore.sha256_of(data)
    db.execute("INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?)",
               [digest, len(data), zlib.compress(data)])
    assert blobstore.get(db, "blobs", digest) == data
    # A legacy body can serve as a delta base.
    newer = blobstore.put(db, "blobs", data + b"one more line", reference=digest)
    assert blobstore.get(db, "blobs", newer) == data + b"one more line"
    with pytest.raises(ValueError):
        blobstore.get(db, "versions", digest)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        blobstore.get(db, "texts", digest)


def test_latest_and_recent_versions_follow_out_of_order_insertions(
        db: sqlite_utils.Database) -> None:
    add_version(db, version(revision(1), at(10)))
    assert_indexed_views_match(db)
    add_version(db, version(revision(2), at(20)))
    add_version(db, version(revision(0), at(5), source="archive"))  # older, added later
    middle = add_version(db, version(revision(3), at(15), source="archive"))
    assert [v.text for v in timeline(db, "p")] == [revision(n) for n in (0, 1, 3, 2)]
    assert latest_version(db, "p").text == revision(2)  # type: ignore[union-attr]
    assert_indexed_views_match(db)
    mark_seen(db, middle, at(25))  # widened: last_seen moves, not its place
    assert latest_version(db, "p").text == revision(2)  # type: ignore[union-attr]
    assert_indexed_views_match(db)
    for n in range(4, 12):
        add_version(db, version(revision(n), at(20 + n)))
    assert_indexed_views_match(db)


def test_a_new_generation_replaces_the_latest(db: sqlite_utils.Database) -> None:
    for n in range(3):
        add_version(db, version(revision(n), at(n)))
    add_version(db, version("rederived", at(0), generation=2, rederived=True))
    latest = latest_version(db, "p")
    assert latest is not None and (latest.text, latest.number, latest.generation) == \
        ("rederived", 1, 2)
    assert_indexed_views_match(db)


def test_versions_by_date_and_errors(db: sqlite_utils.Database) -> None:
    for n in range(3):
        add_version(db, version(revision(n), at(10 * n)))
    assert get_version(db, "p", at=date(2026, 1, 15)).number == 2
    assert get_version(db, "p").number == 3
    with pytest.raises(NotFound, match="no version on or before 2025-12-31"):
        get_version(db, "p", at=date(2025, 12, 31))
    with pytest.raises(NotFound, match="versions 1 to 3, not 4"):
        get_version(db, "p", number=4)
    with pytest.raises(NotFound, match="versions 1 to 3, not -4"):
        get_version(db, "p", number=-4)
    with pytest.raises(NotFound, match="no stored versions"):
        get_version(db, "nobody")
    assert latest_version(db, "nobody") is None and recent_versions(db, "nobody", 6) == []


def test_reextract_writes_a_generation_that_the_latest_follows(tmp_path: Path) -> None:
    ctx = make_context(load(write_watchlist(tmp_path, [
        {"name": "p", "url": "https://x.invalid/p"}])))
    for n, text in enumerate(TEXTS[:3]):
        snapshot = record_snapshot(ctx.db, SnapshotInput(
            policy="p", body=render(text, 0).encode(), requested_url="https://x.invalid/p",
            final_url="https://x.invalid/p", status=200, content_type="text/html",
            headers={}, fetched_at=at(n)))
        add_version(ctx.db, NewVersion(policy="p", text=f"old extraction {n}",
                                       norm_hash=f"old{n}", extractor_version=1,
                                       snapshot_id=snapshot, seen_at=at(n)))
    report = reextract_policy(ctx, ctx.watchlist.policies[0])
    assert report.replaced and report.versions == 3
    latest = latest_version(ctx.db, "p")
    assert latest is not None and latest.generation == 2 and latest.number == 3
    assert latest.norm_hash == page_key(TEXTS[2])
    assert_indexed_views_match(ctx.db)


def test_backfill_inserts_in_the_middle_and_the_latest_stays_live(live: Live) -> None:  # noqa: F811
    live.check_at(datetime(2018, 6, 1, tzinfo=UTC), TEXTS[0])
    plan = live.archive_history([TEXTS[1], TEXTS[2], TEXTS[4]])  # after the live version
    assert not live.backfill().failed
    latest = latest_version(live.ctx.db, "pol")
    assert latest is not None and latest.norm_hash == page_key(TEXTS[4]) and latest.number == 4
    assert_indexed_views_match(live.ctx.db, "pol")
    newest = TEXTS[4] + "\n\nWe now sell your personal data to data brokers."
    assert live.check_at(datetime(2030, 1, 1, tzinfo=UTC), newest) == "new_version"
    # A capture of another text between the first two archived versions, found later.
    between = parse_stamp(plan[0][-1].timestamp) + (
        parse_stamp(plan[1][0].timestamp) - parse_stamp(plan[0][-1].timestamp)) / 2
    live.archive.add(ArchivedCapture(between.strftime("%Y%m%d%H%M%S"), live.url,
                                     render(TEXTS[5], 0).encode()))
    assert not live.backfill().failed
    versions = timeline(live.ctx.db, "pol")
    assert [v.norm_hash for v in versions] == [page_key(t) for t in (
        TEXTS[0], TEXTS[1], TEXTS[5], TEXTS[2], TEXTS[4], newest)]
    latest = latest_version(live.ctx.db, "pol")
    assert latest is not None and latest.norm_hash == page_key(newest) and latest.number == 6
    assert_indexed_views_match(live.ctx.db, "pol")
    for v in versions:  # every text readable by id too (the backfill's own reads)
        assert archive.version_text(live.ctx.db, v.id) == v.text == version_text(live.ctx.db, v.id)


def parse_stamp(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


# --- the migration ---------------------------------------------------------------------------

def old_schema_database(path: Path) -> sqlite_utils.Database:
    """A database as schema 3 left it: texts inline in `versions`, bodies zlib in `blobs`."""
    db = sqlite_utils.Database(sqlite3.connect(str(path), isolation_level=None))
    db.execute("PRAGMA foreign_keys = ON")
    for number, migration in enumerate(MIGRATIONS[:3], start=1):
        with db.atomic():
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
    body = b"<html>the page</html>"
    digest = blobstore.sha256_of(body)
    db.execute("INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?)",
               [digest, len(body), zlib.compress(body)])
    db.execute("""INSERT INTO snapshots (id, policy, blob_sha256, requested_url, final_url,
                  fetched_at, source) VALUES (1, 'p', ?, 'u', 'u', ?, 'live')""",
               [digest, at(0)])
    rows = [(1, "p", revision(0), 1, at(0)), (2, "p", revision(1), 1, at(1)),
            (3, "p", revision(0), 1, at(2)), (4, "q", "another policy", 1, at(0)),
            (5, "p", revision(0), 2, at(0)), (6, "p", revision(2), 2, at(3))]
    for vid, policy, text, generation, seen in rows:
        db.execute("""INSERT INTO versions (id, policy, text, norm_hash, chars,
                      extractor_version, generation, snapshot_id, last_snapshot_id, first_seen,
                      last_seen, source) VALUES (?, ?, ?, ?, ?, 1, ?, 1, 1, ?, ?, 'live')""",
                   [vid, policy, text, f"h{vid}", len(text), generation, seen, seen])
    db.execute("""INSERT INTO changes (policy, from_version_id, to_version_id, detected_at,
                  source) VALUES ('p', 1, 2, ?, 'live')""", [at(1)])
    return db


def test_the_migration_moves_inline_texts_into_the_text_store(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    before = old_schema_database(path)
    expected = {r[0]: r[1] for r in before.execute("SELECT id, text FROM versions")}
    before.conn.close()
    db = open_db(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert "text" not in db["versions"].columns_dict
    assert {vid: version_text(db, vid) for vid in expected} == expected
    assert db.execute("SELECT COUNT(*) FROM texts").fetchone()[0] == 4  # distinct texts
    assert db.execute("SELECT COUNT(*) FROM versions WHERE text_sha256 IS NULL").fetchone()[0] == 0
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0  # compacted
    assert snapshot_body(db, 1) == b"<html>the page</html>"  # legacy zlib body
    assert [v.text for v in timeline(db, "p")] == [revision(0), revision(2)]
    assert_indexed_views_match(db)
    assert_indexed_views_match(db, "q")
    add_version(db, version(revision(3), at(9), generation=2))
    assert latest_version(db, "p").text == revision(3)  # type: ignore[union-attr]
    assert migrate(db) == len(MIGRATIONS)  # nothing left to do
