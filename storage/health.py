"""Can the database be written? One cheap probe, used at start-up and by /healthz."""

from __future__ import annotations

import contextlib
import sqlite3

import sqlite_utils


def write_problem(db: sqlite_utils.Database) -> str | None:
    """None when a write transaction can start (database file, WAL and -shm writable: BEGIN
    IMMEDIATE takes the write lock and writes nothing); otherwise SQLite's reason."""
    if db.conn.in_transaction:
        return None  # a writer is in the middle of a transaction: writes work
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
    except sqlite3.Error as exc:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        return str(exc) or type(exc).__name__
    return None
