"""Everything a check needs, injected: the watchlist, the database, the HTTP session, the clock
and the sleep function. Tests pass their own; the daemon builds one at start."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
import sqlite_utils

from policywatch.monitor.fetch.httputil import Proxies, make_session
from policywatch.monitor.fetch.netguard import (
    AddressJudge,
    Resolver,
    is_public_address,
    resolve_host,
)
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
    judge: AddressJudge = is_public_address  # tests let a loopback address play a public one
    proxies: Proxies = field(default_factory=Proxies)  # chosen once at start
    # (policy, extractor version) whose stored timeline is known current: a timeline never
    # becomes stale again in a process, so an unchanged check asks the database only once.
    current_timelines: set[tuple[str, int]] = field(default_factory=set)


def open_context(watchlist: Watchlist, *, session: requests.Session | None = None,
                 clock: Clock = utcnow, sleep: Callable[[float], None] = time.sleep,
                 proxies: Proxies | None = None) -> Context:
    """A Context on the watchlist's database (created and migrated if needed), with a session
    sized for the watchlist's hosts and the proxies of the settings (or of the environment,
    read here once)."""
    db = open_db(watchlist.settings.database)
    chosen = proxies or Proxies.from_settings(watchlist.settings.proxy)
    http = session or watchlist_session(watchlist, chosen)
    http.headers["User-Agent"] = watchlist.settings.user_agent
    return Context(watchlist=watchlist, db=db, session=http, clock=clock, sleep=sleep,
                   proxies=chosen)


def watchlist_session(watchlist: Watchlist, proxies: Proxies | None = None) -> requests.Session:
    """The HTTP session for this watchlist: one kept-alive pool per host it fetches from (and
    one for the archive)."""

    hosts = {urlsplit(p.url).netloc for p in watchlist.policies}
    return make_session(watchlist.settings.user_agent, hosts=len(hosts) + 1, proxies=proxies)
