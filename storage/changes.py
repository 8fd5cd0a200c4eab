"""Changes between consecutive versions, and the outbox rows they create.

The change and its alert rows are written in one transaction: a change is never recorded without
its alerts, nor an alert without its change.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import sqlite_utils

from policywatch.monitor.model import (
    Direction,
    RouteStatus,
    Severity,
    Source,
    severity_rank_sql,
)
from policywatch.monitor.model import message_id as alert_message_id
from policywatch.storage.versions import version_text_of


@dataclass(frozen=True)
class ChangeColumns:
    """What every change row holds, as written (NewChange) and as read (ChangeListing)."""

    policy: str
    from_version_id: int
    to_version_id: int
    detected_at: str
    window_start: str | None
    window_end: str | None
    source: Source
    material: bool
    severity: Severity
    direction: Direction
    categories: Sequence[str]  # a tuple when read
    summary: str


@dataclass(frozen=True)
class NewChange(ChangeColumns):
    diff: dict[str, Any]
    # What the change did to the date the policy states about itself (monitor.history.
    # stated_dates): silent | date_only | backdated | consistent, and the dates (ISO).
    date_honesty: str | None = None
    old_stated_date: str | None = None
    new_stated_date: str | None = None
    stated_date_label: str | None = None


@dataclass(frozen=True)
class AlertRoute:
    """One outbox row to create: `status` is 'pending' (send now) or 'digest' (bundle later)."""

    channel: str
    status: RouteStatus = "pending"


def message_id(change_id: int, channel: str) -> str:
    """The Message-ID of the change's message to this channel."""
    return alert_message_id("change", change_id, channel)


def record_change(db: sqlite_utils.Database, change: NewChange,
                  routes: Sequence[AlertRoute] = ()) -> int:
    """Insert the change (idempotent per version pair) and its outbox rows atomically.
    ON CONFLICT, not INSERT OR IGNORE: the latter would also swallow CHECK violations."""
    with db.atomic():
        db.execute(
            """INSERT INTO changes (policy, from_version_id, to_version_id, detected_at,
               window_start, window_end, source, material, severity, direction, categories,
               summary, diff, date_honesty, old_stated_date, new_stated_date,
               stated_date_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (from_version_id, to_version_id) DO NOTHING""",
            [change.policy, change.from_version_id, change.to_version_id, change.detected_at,
             change.window_start, change.window_end, change.source, int(change.material),
             change.severity, change.direction, json.dumps(list(change.categories)),
             change.summary, json.dumps(change.diff), change.date_honesty,
             change.old_stated_date, change.new_stated_date, change.stated_date_label],
        )
        change_id = int(db.execute(
            "SELECT id FROM changes WHERE from_version_id = ? AND to_version_id = ?",
            [change.from_version_id, change.to_version_id]).fetchone()[0])
        for route in routes:
            db.execute(
                """INSERT INTO alerts (change_id, channel, kind, status, created_at,
                   next_attempt_at, message_id) VALUES (?, ?, 'change', ?, ?, ?, ?)
                   ON CONFLICT (change_id, channel) DO NOTHING""",
                [change_id, route.channel, route.status, change.detected_at,
                 change.detected_at, message_id(change_id, route.channel)],
            )
    return change_id


@dataclass(frozen=True)
class ChangeListing(ChangeColumns):
    """A recorded change without its diff (the diff can be large)."""

    id: int
    date_honesty: str | None
    old_stated_date: str | None
    new_stated_date: str | None
    stated_date_label: str | None


@dataclass(frozen=True)
class StoredChange(ChangeListing):
    """A recorded change with its diff (the JSON document monitor.diff wrote)."""

    diff: dict[str, Any]


LISTING_COLUMNS = tuple(f.name for f in fields(ChangeListing))


def listing_fields(row: dict[str, Any]) -> dict[str, Any]:
    """A `changes` row (extra columns ignored) as ChangeListing's fields, JSON decoded."""
    return {**{name: row[name] for name in LISTING_COLUMNS},
            "categories": tuple(json.loads(row["categories"] or "[]")),
            "material": bool(row["material"])}


def stored_change_fields(row: dict[str, Any]) -> dict[str, Any]:
    """A `changes` row (extra columns ignored) as StoredChange's fields, JSON decoded."""
    return {**listing_fields(row), "diff": json.loads(row["diff"])}


def policy_changes(db: sqlite_utils.Database, policy: str) -> list[StoredChange]:
    return [StoredChange(**stored_change_fields(row)) for row in db.query(
        "SELECT * FROM changes WHERE policy = ? ORDER BY window_end, id", [policy])]


@dataclass(frozen=True)
class LastChange:
    detected_at: str
    severity: str
    material: bool
    categories: list[str]
    summary: str


def last_change(db: sqlite_utils.Database, policy: str) -> LastChange | None:
    row = db.execute(
        """SELECT detected_at, severity, material, categories, summary FROM changes
           WHERE policy = ? ORDER BY detected_at DESC, id DESC LIMIT 1""", [policy]).fetchone()
    if not row:
        return None
    return LastChange(detected_at=row[0], severity=row[1], material=bool(row[2]),
                      categories=list(json.loads(row[3] or "[]")), summary=row[4])



def list_changes(db: sqlite_utils.Database, policies: Sequence[str] = (), *,
                 since: str | None = None, min_rank: int = 0) -> list[ChangeListing]:
    """Changes of these policies (all when none is named), oldest first by when they happened,
    with at least the given severity rank (0 none … 3 high) and, with `since`, no older than it.
    The diff is left out: it can be large."""
    where = [f"{severity_rank_sql()} >= :rank"]
    params: dict[str, Any] = {"rank": min_rank}
    if policies:
        names = {f"p{i}": name for i, name in enumerate(policies)}
        where.append(f"policy IN ({', '.join(':' + key for key in names)})")
        params.update(names)
    if since:
        where.append("COALESCE(window_end, detected_at) >= :since")
        params["since"] = since
    rows = db.query(
        f"""SELECT {', '.join(LISTING_COLUMNS)} FROM changes WHERE {' AND '.join(where)}
            ORDER BY COALESCE(window_end, detected_at), id""", params)
    return [ChangeListing(**listing_fields(row)) for row in rows]


def versions_first_seen(db: sqlite_utils.Database, version_ids: Sequence[int]) -> dict[int, str]:
    """When each version (of any generation) was first seen, by id."""
    ids = sorted(set(version_ids))
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    rows = db.execute(f"SELECT id, first_seen FROM versions WHERE id IN ({marks})", ids)
    return {int(row[0]): str(row[1]) for row in rows}
@dataclass(frozen=True)
class UndatedChange:
    """What working out a change's stated-date verdict needs: both texts, the material verdict
    and the change units' (old, new) texts."""

    id: int
    material: bool
    old_text: str
    new_text: str
    units: list[tuple[str | None, str | None]]


def changes_without_date_honesty(db: sqlite_utils.Database, policies: Sequence[str] = ()
                                 ) -> list[UndatedChange]:
    """Changes recorded before stated dates were worked out."""
    where, params = "c.date_honesty IS NULL", list(policies)
    if policies:
        where += f" AND c.policy IN ({', '.join('?' for _ in policies)})"
    rows = db.query(
        f"""SELECT c.id, c.material, c.diff, vo.text_sha256 AS old_sha, vn.text_sha256 AS new_sha
            FROM changes c JOIN versions vo ON vo.id = c.from_version_id
            JOIN versions vn ON vn.id = c.to_version_id WHERE {where} ORDER BY c.id""", params)
    out = []
    for row in rows:
        units = json.loads(row.pop("diff")).get("changes") or []
        out.append(UndatedChange(id=row["id"], material=bool(row["material"]),
                                 old_text=version_text_of(db, row["old_sha"]),
                                 new_text=version_text_of(db, row["new_sha"]),
                                 units=[(u.get("old"), u.get("new")) for u in units]))
    return out


def set_date_honesty(db: sqlite_utils.Database, change_id: int, kind: str, old: str | None,
                     new: str | None, label: str | None) -> None:
    db.execute("""UPDATE changes SET date_honesty = ?, old_stated_date = ?, new_stated_date = ?,
                  stated_date_label = ? WHERE id = ?""", [kind, old, new, label, change_id])
