"""One check of one policy: fetch, record snapshot, extract, record version, diff, classify,
enqueue alerts. `check()` is the whole pipeline; the daemon and the CLI only call it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from policywatch.monitor.context import Context
from policywatch.monitor.errors import ContentRejected, FetchError
from policywatch.monitor.extract import EXTRACTOR_VERSION, check_content, extract
from policywatch.monitor.fetch.http import FetchedPage, Fetcher
from policywatch.monitor.history.versioning import StoredText, store_text
from policywatch.monitor.model import CheckOutcome
from policywatch.monitor.timeutil import iso
from policywatch.monitor.watchlist import Policy
from policywatch.storage import checks as check_store
from policywatch.storage.db import write_lock
from policywatch.storage.snapshots import SnapshotInput, record_snapshot

log = logging.getLogger("policywatch.check")


@dataclass(frozen=True)
class CheckResult:
    policy: str
    outcome: CheckOutcome
    reason: str | None = None
    detail: str | None = None
    transient: bool | None = None
    version_id: int | None = None
    change_id: int | None = None
    severity: str | None = None
    summary: str | None = None
    duration_ms: int = 0

    @property
    def failed(self) -> bool:
        return self.outcome in ("failed", "suspect")


def check(ctx: Context, policy: Policy) -> CheckResult:
    """Check one policy once and record the outcome. Never raises for a bad page or fetch."""
    started = ctx.clock()
    try:
        rederive_if_stale(ctx, policy)
        page = fetch_page(ctx, policy)
        if page.not_modified:
            result = store_unchanged(ctx, policy)
        else:
            snapshot_id = store_snapshot(ctx, policy, page)
            text = extract(page.body, content_type=page.content_type, selector=policy.selector,
                           remove=policy.remove)
            check_content(page.body, page.content_type, text, url=page.final_url)
            stored = store_text(ctx, policy, text, snapshot_id)
            if stored.outcome != "suspect":
                remember_validators(ctx, policy, page, snapshot_id)
            result = to_result(policy, stored)
    except (FetchError, ContentRejected) as error:
        result = failure(ctx, policy, error)
    return finish(ctx, policy, result, started)


def fetch_page(ctx: Context, policy: Policy) -> FetchedPage:
    validators = check_store.get_validators(ctx.db, policy.name)
    if validators and validators.url != policy.url:
        validators = None  # the watched URL changed: its old validators mean nothing
    fetcher = Fetcher(ctx.session, ctx.watchlist.settings, sleep=ctx.sleep,
                      resolver=ctx.resolver)
    return fetcher.fetch(policy.url, etag=validators.etag if validators else None,
                         last_modified=validators.last_modified if validators else None)


def store_snapshot(ctx: Context, policy: Policy, page: FetchedPage) -> int:
    with write_lock(ctx.db):
        return record_snapshot(ctx.db, SnapshotInput(
            policy=policy.name, body=page.body, requested_url=page.requested_url,
            final_url=page.final_url, status=page.status, content_type=page.content_type,
            headers=page.headers, fetched_at=iso(ctx.clock())))


def remember_validators(ctx: Context, policy: Policy, page: FetchedPage, snapshot_id: int) -> None:
    """Only a page whose text went into history may be answered by a 304 next time: a rejected
    or suspect page must be fetched in full again."""
    with write_lock(ctx.db):
        check_store.save_validators(ctx.db, policy.name, check_store.Validators(
            url=policy.url, etag=page.headers.get("ETag"),
            last_modified=page.headers.get("Last-Modified"), snapshot_id=snapshot_id))


def store_unchanged(ctx: Context, policy: Policy) -> CheckResult:
    """A 304: the page is as it was, so the latest version was seen again."""
    from policywatch.storage.versions import latest_version, mark_seen

    latest = latest_version(ctx.db, policy.name)
    if latest is None:
        # Validators without a version (e.g. the first page was rejected): fetch in full next time.
        with write_lock(ctx.db):
            check_store.clear_validators(ctx.db, policy.name)
        return CheckResult(policy.name, "failed", "not_modified_without_version",
                           "304 but no stored version; validators cleared", transient=True)
    with write_lock(ctx.db):
        mark_seen(ctx.db, latest.id, iso(ctx.clock()))
    return CheckResult(policy.name, "unchanged", "not_modified", version_id=latest.id)


def to_result(policy: Policy, stored: StoredText) -> CheckResult:
    return CheckResult(policy.name, stored.outcome, stored.reason, stored.detail,
                       transient=True if stored.outcome == "suspect" else None,
                       version_id=stored.version_id, change_id=stored.change_id,
                       severity=stored.severity, summary=stored.summary)


def failure(ctx: Context, policy: Policy, error: FetchError | ContentRejected) -> CheckResult:
    if not error.transient:
        notify_operator_once(ctx, policy, error.reason, error.detail)
    status = error.status if isinstance(error, FetchError) else None
    detail = f"{error.detail} (HTTP {status})" if status else error.detail
    return CheckResult(policy.name, "failed", error.reason, detail, transient=error.transient)


def notify_operator_once(ctx: Context, policy: Policy, reason: str, detail: str) -> None:
    """Tell the operator about a permanent failure, once per run of identical failures."""
    previous = check_store.last_check(ctx.db, policy.name)
    if previous and previous.outcome == "failed" and previous.reason == reason:
        return
    from policywatch.alerts.outbox import enqueue_operator_notice

    with write_lock(ctx.db):
        enqueue_operator_notice(
            ctx.db, ctx.watchlist, f"policywatch: {policy.display_name} cannot be checked "
            f"({reason})", f"{policy.url}\n{detail}\nThis will not fix itself: "
            "check the URL, selector or settings.", now=iso(ctx.clock()))


def finish(ctx: Context, policy: Policy, result: CheckResult, started: datetime) -> CheckResult:
    ended = ctx.clock()
    duration = max(0, int((ended - started).total_seconds() * 1000))
    with write_lock(ctx.db):
        check_store.record_check(ctx.db, check_store.CheckRecord(
            policy=policy.name, started_at=iso(started), finished_at=iso(ended),
            duration_ms=duration, outcome=result.outcome, reason=result.reason,
            detail=result.detail, transient=result.transient, version_id=result.version_id))
    log.info("%s: %s%s", policy.name, result.outcome,
             f" ({result.reason}: {result.detail})" if result.reason else "",
             extra={"policy": policy.name, "outcome": result.outcome})
    return replace(result, duration_ms=duration)


def rederive_if_stale(ctx: Context, policy: Policy) -> None:
    """A newer extractor re-derives the stored history first, so its different output of the
    same page is not mistaken for a change of the policy."""
    from policywatch.monitor.history.reextract import reextract_policy
    from policywatch.storage.versions import timeline_extractor_version

    current = timeline_extractor_version(ctx.db, policy.name)
    if current is not None and current < EXTRACTOR_VERSION:
        reextract_policy(ctx, policy)
