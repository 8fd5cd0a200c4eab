"""A database holding recorded changes and their outbox rows, a watchlist with given channels,
and a clock tests move by hand: what the alert tests start from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from policywatch.monitor.model import ChangeUnit, DiffResult, Span
from policywatch.monitor.textnorm import key_hash
from policywatch.monitor.timeutil import iso
from policywatch.monitor.watchlist import Watchlist, load_watchlist
from policywatch.storage.changes import AlertRoute, NewChange, record_change
from policywatch.storage.snapshots import SnapshotInput, record_snapshot
from policywatch.storage.versions import NewVersion, add_version

from .config import write_watchlist

POLICY_URL = "https://kareo.example/privacy"


class FakeClock:
    """A clock that only moves when told."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def make_watchlist(directory: Path, channels: Mapping[str, Mapping[str, Any]],
                   *, alerts: Sequence[str] | None = None,
                   settings: Mapping[str, Any] | None = None) -> Watchlist:
    policy: dict[str, Any] = {"name": "kareo", "url": POLICY_URL,
                              "title": "Kareo privacy policy"}
    if alerts is not None:
        policy["alerts"] = list(alerts)
    return load_watchlist(write_watchlist(directory, [policy], settings, channels))


def sale_result(extra_text: str = "") -> DiffResult:
    """A classified change like the classifier's: sale introduced, high, plus one form change."""
    return DiffResult(
        changes=[
            ChangeUnit(kind="modified", section="Disclosure › Marketers",
                       old="We do not sell your data.", new=f"We may sell your data.{extra_text}",
                       spans=[Span("equal", "We "), Span("delete", "do not sell"),
                              Span("insert", "may sell"), Span("equal", " your data."),
                              *([Span("insert", extra_text)] if extra_text else [])],
                       material=True, categories=["sale"], severity="high", direction="worse",
                       reason="'do not sell' became 'may sell'"),
            ChangeUnit(kind="modified", section="Contact", old="Updated 2024", new="Updated 2025",
                       spans=[Span("equal", "Updated "), Span("delete", "2024"),
                              Span("insert", "2025")], form_only=True),
        ],
        material=True, severity="high", direction="worse", categories=["sale"],
        summary="sale of data introduced")


def add_change(db: sqlite_utils.Database, result: DiffResult, routes: Sequence[AlertRoute], *,
               policy: str = "kareo", at: datetime | None = None,
               archive_url: str | None = None) -> int:
    """Two versions of `policy` and the change between them, with its outbox rows."""
    at = at or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    source = "archive" if archive_url else "live"
    snapshot = record_snapshot(db, SnapshotInput(
        policy=policy, body=f"<p>{at.isoformat()}</p>".encode(), requested_url=POLICY_URL,
        final_url=POLICY_URL, status=200, content_type="text/html", headers={},
        fetched_at=iso(at), source=source, archive_url=archive_url,
        archive_timestamp=at.strftime("%Y%m%d%H%M%S") if archive_url else None,
        archive_digest=f"D{at.timestamp()}" if archive_url else None))
    earlier = at - timedelta(days=1)
    old = add_version(db, NewVersion(policy, f"old {at}", key_hash(f"old {at}"), 1, None,
                                     iso(earlier)))
    new = add_version(db, NewVersion(policy, f"new {at}", key_hash(f"new {at}"), 1, snapshot,
                                     iso(at), source=source))
    return record_change(db, NewChange(
        policy=policy, from_version_id=old, to_version_id=new, detected_at=iso(at),
        window_start=iso(earlier + timedelta(hours=12)), window_end=iso(at), source=source,
        material=result.material, severity=result.severity, direction=result.direction,
        categories=result.categories, summary=result.summary, diff=result.to_json()), routes)


def alert_rows(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM alerts ORDER BY id"))
