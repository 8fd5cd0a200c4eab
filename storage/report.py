"""Queries behind `policywatch report`: everything the static site shows, read in a few queries
for all policies at once (a site of thousands of policies must not cost a query per version).

Version texts are not read: the site shows the stored diffs, never whole texts. A change's
diff is read only when its page is written (`change_diff`): a recorded diff never changes, so
the change's other fields (and the diff's size) tell whether its page must be written again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from policywatch.storage.changes import LISTING_COLUMNS, ChangeListing, listing_fields


@dataclass(frozen=True)
class VersionMeta:
    id: int
    policy: str
    number: int
    first_seen: str
    last_seen: str
    source: str  # live | archive
    archive_timestamp: str | None
    chars: int
    norm_hash: str
    capture_url: str | None  # the Wayback raw (`id_`) URL of an archived capture
    page_url: str | None  # the URL the page was fetched from (after redirects)


@dataclass(frozen=True)
class ChangeRecord(ChangeListing):
    """A change as the report lists it: the diff's size, not the diff."""

    diff_size: int


@dataclass(frozen=True)
class CheckMeta:
    started_at: str
    outcome: str
    reason: str | None
    detail: str | None
    transient: bool | None


@dataclass(frozen=True)
class SuspectMeta:
    first_seen: str
    seen_count: int


def _where_policy(column: str, policies: Sequence[str] | None) -> tuple[str, dict[str, Any]]:
    if policies is None:
        return "1 = 1", {}
    names = {f"p{i}": name for i, name in enumerate(policies)}
    if not names:
        return "0 = 1", {}
    return f"{column} IN ({', '.join(':' + key for key in names)})", names


def report_versions(db: sqlite_utils.Database, policies: Sequence[str] | None = None
                    ) -> dict[str, list[VersionMeta]]:
    """policy → its current timeline (oldest first), numbered like `storage.versions`."""
    where, params = _where_policy("v.policy", policies)
    rows = db.query(f"""
        SELECT v.id, v.policy,
               ROW_NUMBER() OVER (PARTITION BY v.policy ORDER BY v.first_seen, v.id) AS number,
               v.first_seen, v.last_seen, v.source, v.archive_timestamp, v.chars, v.norm_hash,
               s.archive_url AS capture_url, s.final_url AS page_url
        FROM versions v
        JOIN (SELECT policy, MAX(generation) AS generation FROM versions GROUP BY policy) g
          ON g.policy = v.policy AND g.generation = v.generation
        LEFT JOIN snapshots s ON s.id = v.snapshot_id
        WHERE {where}
        ORDER BY v.policy, number""", params)
    timelines: dict[str, list[VersionMeta]] = defaultdict(list)
    for row in rows:
        timelines[row["policy"]].append(VersionMeta(**row))
    return dict(timelines)


def report_changes(db: sqlite_utils.Database, policies: Sequence[str] | None = None
                   ) -> dict[str, list[ChangeRecord]]:
    """policy → its recorded changes, oldest first by when they happened."""
    where, params = _where_policy("policy", policies)
    rows = db.query(f"""
        SELECT {', '.join(LISTING_COLUMNS)}, LENGTH(diff) AS diff_size
        FROM changes WHERE {where}
        ORDER BY policy, COALESCE(window_end, detected_at), id""", params)
    changes: dict[str, list[ChangeRecord]] = defaultdict(list)
    for row in rows:
        changes[row["policy"]].append(ChangeRecord(**listing_fields(row),
                                                   diff_size=row["diff_size"]))
    return dict(changes)


def change_diff(db: sqlite_utils.Database, change_id: int) -> dict[str, Any]:
    """The stored diff of one change (empty when the change is gone)."""
    row = db.execute("SELECT diff FROM changes WHERE id = ?", [change_id]).fetchone()
    decoded = json.loads(row[0] or "{}") if row else {}
    return decoded if isinstance(decoded, dict) else {}


def report_last_checks(db: sqlite_utils.Database, policies: Sequence[str] | None = None
                       ) -> dict[str, CheckMeta]:
    """policy → its latest check attempt."""
    where, params = _where_policy("policy", policies)
    rows = db.execute(f"""
        SELECT policy, started_at, outcome, reason, detail, transient FROM (
            SELECT *, ROW_NUMBER() OVER (PARTITION BY policy
                                         ORDER BY started_at DESC, id DESC) AS rank
            FROM checks WHERE {where})
        WHERE rank = 1""", params)
    return {row[0]: CheckMeta(started_at=row[1], outcome=row[2], reason=row[3], detail=row[4],
                              transient=None if row[5] is None else bool(row[5]))
            for row in rows}


def report_suspects(db: sqlite_utils.Database) -> dict[str, SuspectMeta]:
    """policy → the suspect extraction held for it, if any."""
    return {row[0]: SuspectMeta(first_seen=row[1], seen_count=int(row[2])) for row in db.execute(
        "SELECT policy, first_seen, seen_count FROM suspects")}
