"""What the report shows, gathered from storage for the chosen policies in a few queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from policywatch.monitor.model import severity_rank
from policywatch.monitor.watchlist import Policy
from policywatch.storage.report import (
    ChangeRecord,
    CheckMeta,
    SuspectMeta,
    VersionMeta,
    report_changes,
    report_last_checks,
    report_suspects,
    report_versions,
)


@dataclass(frozen=True)
class Status:
    kind: str  # ok | failing | suspect | unchecked
    label: str
    reason: str = ""


@dataclass(frozen=True)
class ChangeItem:
    record: ChangeRecord
    old: VersionMeta
    new: VersionMeta

    @property
    def when(self) -> str:
        return self.record.window_end or self.record.detected_at

    def meta_key(self) -> tuple[object, ...]:
        """What a page listing this change shows of it (not the diff)."""
        r = self.record
        return (r.id, r.detected_at, r.window_start, r.window_end, r.source, r.material,
                r.severity, r.direction, r.categories, r.summary, self.old, self.new)


@dataclass(frozen=True)
class PolicyItem:
    policy: Policy
    versions: tuple[VersionMeta, ...]
    changes: tuple[ChangeItem, ...]  # oldest first
    last_check: CheckMeta | None
    status: Status

    @property
    def last_material(self) -> ChangeItem | None:
        material = [c for c in self.changes if c.record.material]
        return material[-1] if material else None

    @property
    def live_versions(self) -> int:
        return sum(v.source == "live" for v in self.versions)

    @property
    def archive_versions(self) -> int:
        return sum(v.source == "archive" for v in self.versions)

    def sort_by_change(self) -> tuple[str, str]:
        last = self.last_material
        return (last.when if last else "", self.policy.name)

    def sort_by_severity(self) -> tuple[int, str, str]:
        last = self.last_material
        return (severity_rank(last.record.severity) if last else -1,
                last.when if last else "", self.policy.name)


def status_of(check: CheckMeta | None, suspect: SuspectMeta | None) -> Status:
    if suspect is not None:
        return Status("suspect", "suspect held",
                      f"an extraction that lost most of the policy, seen {suspect.seen_count} "
                      f"time(s) since {suspect.first_seen[:16].replace('T', ' ')}; held until "
                      "a later check confirms it")
    if check is None:
        return Status("unchecked", "not checked yet")
    if check.outcome == "failed":
        kind = "transient, retried" if check.transient else "permanent"
        reason = f"{check.reason or 'failed'}: {check.detail or ''}".rstrip(": ")
        return Status("failing", "failing", f"{reason} ({kind})")
    if check.outcome == "suspect":
        return Status("suspect", "suspect held", check.detail or check.reason or "")
    return Status("ok", "ok")


def _change_items(records: Sequence[ChangeRecord], versions: Sequence[VersionMeta]
                  ) -> tuple[ChangeItem, ...]:
    by_id = {v.id: v for v in versions}
    # Changes of an older generation of history point at versions no longer in the timeline.
    return tuple(ChangeItem(r, by_id[r.from_version_id], by_id[r.to_version_id])
                 for r in records if r.from_version_id in by_id and r.to_version_id in by_id)


def gather(db: sqlite_utils.Database, policies: Sequence[Policy],
           selected: Sequence[str] | None = None) -> list[PolicyItem]:
    names = None if selected is None else list(selected)
    versions = report_versions(db, names)
    changes = report_changes(db, names)
    checks = report_last_checks(db, names)
    suspects = report_suspects(db)
    items = []
    for policy in policies:
        if names is not None and policy.name not in names:
            continue
        timeline = tuple(versions.get(policy.name, ()))
        check = checks.get(policy.name)
        items.append(PolicyItem(
            policy=policy, versions=timeline,
            changes=_change_items(changes.get(policy.name, ()), timeline), last_check=check,
            status=status_of(check, suspects.get(policy.name))))
    return items
