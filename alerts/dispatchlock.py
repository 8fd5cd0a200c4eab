"""One dispatcher per database at a time, across processes and threads.

Holding the lock is what makes a row in 'sending' safe to retry: if no dispatcher holds it, the
process that set 'sending' is gone. An flock on a file beside the database is released by the
kernel when its process dies, so a killed dispatcher never blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

_MEMORY_LOCKS: dict[int, threading.Lock] = {}
_GUARD = threading.Lock()


def _database_file(db: sqlite_utils.Database) -> str | None:
    row = db.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row and row[2] else None


@contextmanager
def dispatcher_lock(db: sqlite_utils.Database) -> Iterator[bool]:
    """Yield True if this caller is now the only dispatcher, False if another one runs."""
    path = _database_file(db)
    if path is None:  # in-memory database: only this process can see it
        with _GUARD:
            lock = _MEMORY_LOCKS.setdefault(id(db), threading.Lock())
        got = lock.acquire(blocking=False)
        try:
            yield got
        finally:
            if got:
                lock.release()
        return
    fd = os.open(path + ".dispatch-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
