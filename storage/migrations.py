"""Schema migrations, applied in order and recorded in PRAGMA user_version.

Never edit a migration that has shipped: add a new one at the end.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]


def _run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run statements one by one: executescript() would COMMIT the migration's transaction."""
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


def _m001_initial(db: sqlite_utils.Database) -> None:
    _run_script(db, """
    -- Raw bytes, content-addressed: identical bytes are stored once (zlib-compressed).
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        data BLOB NOT NULL
    );
    -- Every fetched page (live or archived), kept apart from extracted versions so that a better
    -- extractor can re-derive history without fetching again.
    CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY,
        policy TEXT NOT NULL,
        blob_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        requested_url TEXT NOT NULL,
        final_url TEXT NOT NULL,
        status INTEGER,
        content_type TEXT,
        headers TEXT NOT NULL DEFAULT '{}',
        fetched_at TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('live', 'archive')),
        archive_timestamp TEXT,
        archive_digest TEXT,
        archive_url TEXT
    );
    CREATE INDEX snapshots_policy ON snapshots(policy, fetched_at);
    CREATE UNIQUE INDEX snapshots_archive ON snapshots(policy, archive_timestamp, archive_digest)
        WHERE source = 'archive';
    -- Extracted policy text. One timeline per (policy, generation); the newest generation is the
    -- policy's history. Re-extraction writes a new generation with rederived = 1: re-derived
    -- versions never count as changes and never alert.
    CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        policy TEXT NOT NULL,
        text TEXT NOT NULL,
        norm_hash TEXT NOT NULL,
        chars INTEGER NOT NULL,
        extractor_version INTEGER NOT NULL,
        generation INTEGER NOT NULL DEFAULT 1,
        snapshot_id INTEGER REFERENCES snapshots(id),
        last_snapshot_id INTEGER REFERENCES snapshots(id),
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('live', 'archive')),
        archive_timestamp TEXT,
        rederived INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX versions_timeline ON versions(policy, generation, first_seen);
    -- Every check attempt and its outcome.
    CREATE TABLE checks (
        id INTEGER PRIMARY KEY,
        policy TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        duration_ms INTEGER,
        outcome TEXT NOT NULL,
        reason TEXT,
        detail TEXT,
        transient INTEGER,
        http_status INTEGER,
        snapshot_id INTEGER REFERENCES snapshots(id),
        version_id INTEGER REFERENCES versions(id)
    );
    CREATE INDEX checks_policy ON checks(policy, started_at);
    -- Conditional-GET validators per policy URL.
    CREATE TABLE http_cache (
        policy TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        snapshot_id INTEGER REFERENCES snapshots(id)
    );
    -- An extraction that lost most of the policy, held until a later check confirms it.
    CREATE TABLE suspects (
        policy TEXT PRIMARY KEY,
        norm_hash TEXT NOT NULL,
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
        first_seen TEXT NOT NULL,
        seen_count INTEGER NOT NULL DEFAULT 1
    );
    -- A change between two consecutive versions of a timeline, with the diff and classification.
    -- window_start: the last time the old text was seen; window_end: the first time the new was.
    CREATE TABLE changes (
        id INTEGER PRIMARY KEY,
        policy TEXT NOT NULL,
        from_version_id INTEGER NOT NULL REFERENCES versions(id),
        to_version_id INTEGER NOT NULL REFERENCES versions(id),
        detected_at TEXT NOT NULL,
        window_start TEXT,
        window_end TEXT,
        source TEXT NOT NULL CHECK (source IN ('live', 'archive')),
        material INTEGER NOT NULL DEFAULT 0,
        severity TEXT NOT NULL DEFAULT 'none',
        direction TEXT NOT NULL DEFAULT 'neutral',
        categories TEXT NOT NULL DEFAULT '[]',
        summary TEXT NOT NULL DEFAULT '',
        diff TEXT NOT NULL DEFAULT '{}',
        UNIQUE (from_version_id, to_version_id)
    );
    CREATE INDEX changes_policy ON changes(policy, detected_at);
    -- The durable outbox: one row per (change, channel), written in the change's transaction.
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        change_id INTEGER REFERENCES changes(id),
        channel TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'change',
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'digest')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        message_id TEXT NOT NULL,
        payload TEXT NOT NULL DEFAULT '{}',
        UNIQUE (change_id, channel)
    );
    CREATE INDEX alerts_status ON alerts(status, next_attempt_at);
    -- Wayback captures seen by backfill: resumable, each distinct digest downloaded once.
    CREATE TABLE archive_captures (
        policy TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        digest TEXT NOT NULL,
        original_url TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'stored', 'failed', 'duplicate')),
        reason TEXT,
        snapshot_id INTEGER REFERENCES snapshots(id),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (policy, timestamp, digest)
    );
    """)


def _m002_alert_bundles(db: sqlite_utils.Database) -> None:
    # A daily digest is one outbox row (kind 'digest') bundling 'digest' rows; each member points
    # at its bundle so it is bundled once and marked sent (or failed) with it.
    _run_script(db, """
    ALTER TABLE alerts ADD COLUMN bundle_id INTEGER REFERENCES alerts(id);
    CREATE INDEX alerts_bundle ON alerts(bundle_id);
    CREATE INDEX alerts_channel_status ON alerts(channel, status)
    """)


def _m003_archive_backfills(db: sqlite_utils.Database) -> None:
    # One row per backfill run: a finished run is what makes `wayback = ...` done for a policy.
    # archive_captures.refined: the index was asked whether later captures repeat this one (the
    # last capture of a version), so a resumed run does not ask again.
    _run_script(db, """
    CREATE TABLE archive_backfills (
        id INTEGER PRIMARY KEY,
        policy TEXT NOT NULL,
        since TEXT,
        until TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        listed INTEGER,
        failed INTEGER
    );
    CREATE INDEX archive_backfills_policy ON archive_backfills(policy, finished_at);
    ALTER TABLE archive_captures ADD COLUMN refined INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX archive_captures_digest ON archive_captures(policy, digest, status)
    """)


def _m004_version_texts(db: sqlite_utils.Database) -> None:
    # Version texts move out of `versions` into `texts`, content-addressed and compressed like
    # snapshot bodies (storage.blobstore): each distinct text once, mostly as a delta against the
    # policy's previous text. Blobs gain a codec and a delta base; old bodies stay zlib.
    # versions_extractor makes rederive_if_stale's MIN(extractor_version), run on every check,
    # an index lookup.
    _run_script(db, """
    CREATE TABLE texts (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        codec TEXT NOT NULL,
        base_sha256 TEXT REFERENCES texts(sha256),
        data BLOB NOT NULL
    );
    ALTER TABLE blobs ADD COLUMN codec TEXT NOT NULL DEFAULT 'zlib';
    ALTER TABLE blobs ADD COLUMN base_sha256 TEXT REFERENCES blobs(sha256);
    ALTER TABLE versions ADD COLUMN text_sha256 TEXT REFERENCES texts(sha256);
    CREATE INDEX versions_extractor ON versions(policy, generation, extractor_version)
    """)
    from . import blobstore

    previous: dict[str, str] = {}  # policy -> its last text stored, the next one's reference
    # One text in memory at a time: a large database holds gigabytes of them.
    ids = db.execute("SELECT id, policy FROM versions "
                     "ORDER BY policy, generation, first_seen, id").fetchall()
    for version_id, policy in ids:
        text = db.execute("SELECT text FROM versions WHERE id = ?", [version_id]).fetchone()[0]
        digest = blobstore.put(db, "texts", str(text).encode("utf-8"), previous.get(policy))
        previous[policy] = digest
        db.execute("UPDATE versions SET text_sha256 = ? WHERE id = ?", [digest, version_id])
    db.execute("ALTER TABLE versions DROP COLUMN text")


def _m005_alert_interruptions(db: sqlite_utils.Database) -> None:
    # Sends cut off by a dead process, counted apart from attempts: after two, the delivery is
    # uncertain and the alert fails (for the operator to retry) instead of posting again.
    db.execute("ALTER TABLE alerts ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0")


def _m006_planned_runs(db: sqlite_utils.Database) -> None:
    # The service's planned next run of each policy (its regular run, or a sooner retry after
    # transient failures), so that `policywatch status` says what the service will do, also
    # after it stopped, and a restart keeps a planned retry.
    _run_script(db, """
    CREATE TABLE planned_runs (
        policy TEXT PRIMARY KEY,
        next_run_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,
        planned_at TEXT NOT NULL
    )
    """)


def _m007_history_questions(db: sqlite_utils.Database) -> None:
    # Issue 15. blame_states: the blame of a version (monitor.history.blame), so that the next
    # version's blame extends it; `chain` is a digest of the timeline's version ids up to it, a
    # state is used only for that exact timeline. On changes, the date each version states about
    # itself ("Last updated") and what the change did to it: silent, date_only, backdated or
    # consistent (NULL: recorded before this migration, worked out when asked).
    _run_script(db, """
    CREATE TABLE blame_states (
        policy TEXT NOT NULL,
        version_id INTEGER NOT NULL REFERENCES versions(id),
        chain TEXT NOT NULL,
        state BLOB NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (policy, version_id)
    );
    ALTER TABLE changes ADD COLUMN date_honesty TEXT
        CHECK (date_honesty IN ('silent', 'date_only', 'backdated', 'consistent'));
    ALTER TABLE changes ADD COLUMN old_stated_date TEXT;
    ALTER TABLE changes ADD COLUMN new_stated_date TEXT;
    ALTER TABLE changes ADD COLUMN stated_date_label TEXT
    """)


MIGRATIONS: list[Migration] = [_m001_initial, _m002_alert_bundles, _m003_archive_backfills,
                               _m004_version_texts, _m005_alert_interruptions,
                               _m006_planned_runs, _m007_history_questions]


# Migrations that free much of the file (moving the inline texts out frees typically 95 % of
# it): the file is compacted once they ran. VACUUM cannot run inside a transaction.
COMPACT_AFTER: frozenset[Migration] = frozenset({_m004_version_texts})


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations the database lacks; return the schema version now in force."""
    current = int(db.execute("PRAGMA user_version").fetchone()[0])
    for number, migration in enumerate(MIGRATIONS[current:], start=current + 1):
        with db.atomic():
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
    if current > 0 and COMPACT_AFTER.intersection(MIGRATIONS[current:]):
        db.execute("VACUUM")  # a new database has nothing to compact
    return len(MIGRATIONS)
