"""Start-up checks of the service: the database and its directory must be writable.

Checked on the file system before SQLite maps anything (an unwritable `-shm` would otherwise
end the process with SIGBUS and no log line), then with a real write lock through SQLite.
Raises StorageError naming the path and what to fix; the CLI prints it and exits.
"""

from __future__ import annotations

import os
from pathlib import Path

from policywatch.monitor.errors import StorageError
from policywatch.storage.db import open_db
from policywatch.storage.health import write_problem


def _writable_file(path: Path) -> str | None:
    if not path.exists():
        return None
    if not path.is_file():
        return f"{path} exists but is not a regular file"
    try:
        with path.open("r+b"):
            return None
    except OSError as exc:
        return f"{path} cannot be opened for writing: {exc.strerror or exc}"


def _writable_directory(directory: Path) -> str | None:
    blocker = next((p for p in (directory, *directory.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        return f"{blocker} is not a directory (settings.database is under it)"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create the database directory {directory}: {exc.strerror or exc}"
    if not directory.is_dir():
        return f"{directory} is not a directory"
    probe = directory / f".policywatch-write-test-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return (f"the database directory {directory} is not writable ({exc.strerror or exc}): "
                "SQLite creates its -wal and -shm files there")
    return None


def file_problems(database: str | Path) -> list[str]:
    """What on the file system keeps the database from being written (empty: nothing)."""
    path = Path(database)
    problems = [_writable_directory(path.parent)]
    problems += [_writable_file(Path(f"{path}{suffix}")) for suffix in ("", "-wal", "-shm")]
    return [p for p in problems if p]


def check_database_writable(database: str | Path) -> None:
    """Raise StorageError unless the database, its -wal/-shm files and its directory can be
    written, on the file system and through SQLite."""
    problems = file_problems(database)
    if not problems:

        db = open_db(database)
        try:
            problem = write_problem(db)
        finally:
            db.conn.close()
        problems = [f"{database}: SQLite cannot write: {problem}"] if problem else []
    if problems:
        raise StorageError("the database is not writable, so no check could be recorded: "
                           + "; ".join(problems) + " (fix the permissions or settings.database)")
