"""Turning an extracted text into history: unchanged, a held suspect, or a new version with its
change and alerts, written in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from policywatch.monitor.classify import classify_diff
from policywatch.monitor.context import Context
from policywatch.monitor.diff import diff_texts
from policywatch.monitor.extract import EXTRACTOR_VERSION, is_suspect_shrink
from policywatch.monitor.model import DiffResult
from policywatch.monitor.textnorm import key_hash
from policywatch.monitor.timeutil import iso
from policywatch.monitor.watchlist import Policy
from policywatch.storage import checks as check_store
from policywatch.storage.changes import AlertRoute, NewChange, record_change
from policywatch.storage.db import write_lock
from policywatch.storage.snapshots import has_earlier_live_snapshot
from policywatch.storage.versions import (
    NewVersion,
    Version,
    add_version,
    latest_version,
    mark_seen,
    timeline,
)

SUSPECT_CONFIRMATIONS = 2  # checks that must see the same shrunken text before it is a version


@dataclass(frozen=True)
class StoredText:
    outcome: Literal["first_version", "new_version", "unchanged", "suspect"]
    version_id: int | None = None
    change_id: int | None = None
    severity: str | None = None
    summary: str | None = None
    reason: str | None = None
    detail: str | None = None


def store_text(ctx: Context, policy: Policy, text: str, snapshot_id: int) -> StoredText:
    """Record what the policy says now, compared with the latest stored version."""
    now = iso(ctx.clock())
    norm_hash = key_hash(text)
    latest = latest_version(ctx.db, policy.name)
    if latest is not None and latest.norm_hash == norm_hash:
        with write_lock(ctx.db), ctx.db.atomic():
            mark_seen(ctx.db, latest.id, now, snapshot_id)
            dismissed = check_store.drop_suspect(ctx.db, policy.name)
        return StoredText("unchanged", latest.id,
                          reason="suspect_dismissed" if dismissed else None)
    if latest is not None and is_suspect_shrink(latest.text, text):
        held = hold_suspect(ctx, policy, latest, text, norm_hash, snapshot_id, now)
        if held is not None:
            return held
    new = NewVersion(policy=policy.name, text=text, norm_hash=norm_hash,
                     extractor_version=EXTRACTOR_VERSION, snapshot_id=snapshot_id, seen_at=now)
    if latest is None:
        with write_lock(ctx.db):
            return StoredText("first_version", add_version(ctx.db, new))
    return store_change(ctx, policy, latest, new)


def store_change(ctx: Context, policy: Policy, latest: Version, new: NewVersion) -> StoredText:
    # Diff and classify outside the write lock: they are the slow, CPU-bound part.
    result = classify_diff(diff_texts(latest.text, new.text), latest.text, new.text)
    # The first live version after a backfill is recorded as a change but, like any first
    # version, does not alert: it is when watching started, not news.
    first_live = new.snapshot_id is not None and not has_earlier_live_snapshot(
        ctx.db, policy.name, new.snapshot_id)
    returning = recent_version_number(ctx, policy, new.norm_hash)
    if returning is not None:
        result.summary = f"back to the text of version {returning}: {result.summary}"
    # A page that flips between texts (A/B tests, sections that come and go) would otherwise
    # alert again each time it returns to a text whose arrival was already reported.
    quiet = first_live or returning is not None
    routes = [] if quiet else alert_routes(ctx, policy, result)
    with write_lock(ctx.db), ctx.db.atomic():
        version_id = add_version(ctx.db, new)
        check_store.drop_suspect(ctx.db, policy.name)
        change_id = record_change(ctx.db, NewChange(
            policy=policy.name, from_version_id=latest.id, to_version_id=version_id,
            detected_at=new.seen_at, window_start=latest.last_seen, window_end=new.seen_at,
            source="live", material=result.material, severity=result.severity,
            direction=result.direction, categories=result.categories, summary=result.summary,
            diff=result.to_json()), routes)
    return StoredText("new_version", version_id, change_id, result.severity, result.summary)


FLAP_WINDOW = 5  # a text equal to one of this many latest versions is a return, not news


def recent_version_number(ctx: Context, policy: Policy, norm_hash: str) -> int | None:
    """The number of a recent version with this text, if the policy is returning to it."""
    recent = timeline(ctx.db, policy.name)[-FLAP_WINDOW - 1:-1]
    return next((v.number for v in reversed(recent) if v.norm_hash == norm_hash), None)


def alert_routes(ctx: Context, policy: Policy, result: DiffResult) -> list[AlertRoute]:
    from policywatch.alerts.routing import routes_for

    return routes_for(ctx.watchlist.channels_for(policy), result)


def hold_suspect(ctx: Context, policy: Policy, latest: Version, text: str, norm_hash: str,
                 snapshot_id: int, now: str) -> StoredText | None:
    """Hold an extraction that lost most of the policy until a later check confirms it.
    Returns None once confirmed (the caller then stores it as a version)."""
    with write_lock(ctx.db):
        seen = check_store.hold_suspect(ctx.db, policy.name, norm_hash, snapshot_id, now)
    detail = (f"the extracted text shrank from {latest.chars:,} to {len(text):,} characters; "
              f"seen {seen} time(s)")
    notify_operator(ctx, policy, seen, detail)
    if seen >= SUSPECT_CONFIRMATIONS:
        return None
    return StoredText("suspect", latest.id, reason="suspect_shrink",
                      detail=detail + "; held until a later check confirms it")


def notify_operator(ctx: Context, policy: Policy, seen: int, detail: str) -> None:
    from policywatch.alerts.outbox import enqueue_operator_notice

    verdict = ("held as suspect" if seen < SUSPECT_CONFIRMATIONS
               else "confirmed by a later check and recorded as a new version")
    with write_lock(ctx.db):
        enqueue_operator_notice(
            ctx.db, ctx.watchlist,
            f"policywatch: {policy.display_name}: extraction lost most of the policy ({verdict})",
            f"{policy.url}\n{detail}\nIf the site was redesigned, check the selector.",
            now=iso(ctx.clock()))
