"""Opening the database: WAL, foreign keys, busy timeout, migrations.

One writer at a time: SQLite serialises writers itself; the daemon additionally funnels writes
through one lock (`write_lock`) so a long check never sees SQLITE_BUSY.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from pathlib import Path

import sqlite_utils

from policywatch.monitor.errors import StorageError

from .migrations import migrate

# Shared by every Database opened in this process on the same file: one writer at a time.
_WRITE_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()
# Each connection's file, looked up once: write_lock runs several times per check.
_FILE_OF: weakref.WeakKeyDictionary[sqlite_utils.Database, str] = weakref.WeakKeyDictionary()


def write_lock(db: sqlite_utils.Database) -> threading.RLock:
    """The process-wide writer lock for this database file."""
    key = _db_key(db)
    with _LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.RLock())


def _db_key(db: sqlite_utils.Database) -> str:
    key = _FILE_OF.get(db)
    if key is None:
        row = db.execute("PRAGMA database_list").fetchone()
        key = _FILE_OF[db] = str(row[2] or f"memory:{id(db)}")
    return key


def open_db(path: str | Path, *, migrate_schema: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the policywatch database and bring its schema up to date."""
    target = str(path)
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        # isolation_level=None: autocommit; db.atomic() opens explicit transactions.
        conn = sqlite3.connect(target, check_same_thread=False, timeout=30,
                               isolation_level=None)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 30000")
        if target != ":memory:":
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        if migrate_schema:
            migrate(db)
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{target}: cannot open the database: {exc}") from exc
    return db
