"""Everything a check needs, injected: the watchlist, the database, the HTTP session, the clock
and the sleep function. Tests pass their own; the daemon builds one at start."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests
import sqlite_utils

from policywatch.monitor.fetch.netguard import Resolver, resolve_host
from policywatch.monitor.timeutil import Clock, utcnow
from policywatch.monitor.watchlist import Watchlist
from policywatch.storage.db import open_db


@dataclass
class Context:
    watchlist: Watchlist
    db: sqlite_utils.Database
    session: requests.Session = field(default_factory=requests.Session)
    clock: Clock = utcnow
    sleep: Callable[[float], None] = time.sleep
    resolver: Resolver = resolve_host  # DNS, injectable so tests can play other hosts


def open_context(watchlist: Watchlist, *, session: requests.Session | None = None,
                 clock: Clock = utcnow, sleep: Callable[[float], None] = time.sleep) -> Context:
    """A Context on the watchlist's database (created and migrated if needed)."""
    db = open_db(watchlist.settings.database)
    http = session or requests.Session()
    http.headers["User-Agent"] = watchlist.settings.user_agent
    return Context(watchlist=watchlist, db=db, session=http, clock=clock, sleep=sleep)
