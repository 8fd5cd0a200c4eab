"""Noticing a new watchlist: on SIGHUP, or when the file changes on disk (polled: mtime and size
first, then a hash of the content, so touching the file or rewriting it unchanged is ignored).

A new file is validated in full before anything changes: an invalid one is refused with the
validation message and the old watchlist stays in force. The same broken content is reported
once, not at every poll; a forced reload (SIGHUP) always reads the file again and reports what
it found, even the same broken content.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from policywatch.monitor.errors import ConfigError
from policywatch.monitor.watchlist import Watchlist, load_watchlist


@dataclass(frozen=True)
class ReloadOutcome:
    status: str  # unchanged | loaded | refused
    watchlist: Watchlist | None = None
    message: str | None = None


UNCHANGED = ReloadOutcome("unchanged")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class WatchlistWatcher:
    def __init__(self, path: Path, current: Watchlist) -> None:
        self.path = path
        self._stat = self._stat_key()
        self._loaded = self._read_digest()
        self._refused: str | None = None
        self.current = current

    def _stat_key(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _read_digest(self) -> str | None:
        try:
            return _digest(self.path.read_bytes())
        except OSError:
            return None

    def poll(self, *, force: bool = False) -> ReloadOutcome:
        """Look at the file; load it if its content changed (or `force`, e.g. on SIGHUP)."""
        stat = self._stat_key()
        if stat == self._stat and not force:
            return UNCHANGED
        self._stat = stat
        digest = self._read_digest()
        if digest is None:
            return self._refuse(None, f"{self.path}: cannot read the watchlist (missing?); "
                                "keeping the one in force", force)
        if not force and digest in (self._loaded, self._refused):
            return UNCHANGED
        try:
            watchlist = load_watchlist(self.path)
        except ConfigError as exc:
            return self._refuse(digest, f"{exc}\nkeeping the watchlist in force", force)
        self._loaded, self._refused = digest, None
        self.current = watchlist
        return ReloadOutcome("loaded", watchlist)

    def _refuse(self, digest: str | None, message: str, force: bool) -> ReloadOutcome:
        if digest is not None and digest == self._refused and not force:
            return UNCHANGED
        self._refused = digest
        return ReloadOutcome("refused", message=message)
