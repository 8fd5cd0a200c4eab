"""Writing watchlists for tests and building a Context with a recorded sleep."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import requests

from policywatch.monitor.context import Context
from policywatch.monitor.watchlist import Watchlist, load_watchlist
from policywatch.storage.db import open_db


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def watchlist_text(policies: Iterable[Mapping[str, Any]], settings: Mapping[str, Any] | None = None,
                   channels: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    lines = ["[settings]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in (settings or {}).items()]
    for name, table in (channels or {}).items():
        lines += ["", f"[alerts.{name}]"] + [f"{k} = {toml_value(v)}" for k, v in table.items()]
    for policy in policies:
        lines += ["", "[[policy]]"] + [f"{k} = {toml_value(v)}" for k, v in policy.items()]
    return "\n".join(lines) + "\n"


def write_watchlist(directory: Path, policies: Iterable[Mapping[str, Any]],
                    settings: Mapping[str, Any] | None = None,
                    channels: Mapping[str, Mapping[str, Any]] | None = None) -> Path:
    """A watchlist for loopback test servers: private addresses allowed, fast timeouts."""
    merged = {"database": "test.db", "allow_private_addresses": True, "timeout": 5,
              "retries": 2, **(settings or {})}
    path = directory / "watchlist.toml"
    path.write_text(watchlist_text(policies, merged, channels), encoding="utf-8")
    return path


class RecordedSleep:
    """Stands in for time.sleep: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_context(watchlist: Watchlist, sleep: RecordedSleep | None = None) -> Context:
    session = requests.Session()
    session.headers["User-Agent"] = watchlist.settings.user_agent
    return Context(watchlist=watchlist, db=open_db(watchlist.settings.database), session=session,
                   sleep=sleep or RecordedSleep())


def load(path: Path) -> Watchlist:
    return load_watchlist(path)
