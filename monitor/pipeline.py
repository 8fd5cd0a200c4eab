"""One check of one policy: fetch, record snapshot, extract, record version, analyse, record
change, route alerts. `check()` is the whole pipeline; the daemon and the CLI only call it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from policywatch.alerts.outbox import enqueue_operator_notice
from policywatch.alerts.routing import routes_for
from policywatch.monitor.analysis import analyse
from policywatch.monitor.context import Context
from policywatch.monitor.errors import ContentRejected, FetchError
from policywatch.monitor.extract import check_content, extract
from policywatch.monitor.fetch.http import FetchedPage, Fetcher
from policywatch.monitor.history.reextract import rederive_if_stale
from policywatch.monitor.history.versioning import (
    News,
    OperatorNotice,
    StoredText,
    as_news,
    record_change,
    record_version,
)
from policywatch.monitor.model import CheckOutcome, Severity
from policywatch.monitor.timeutil import iso
from policywatch.monitor.watchlist import Policy
from policywatch.storage import checks as check_store
from policywatch.storage.changes import AlertRoute
from policywatch.storage.db import write_lock
from policywatch.storage.snapshots import SnapshotInput
from policywatch.storage.snapshots import record_snapshot as record_snapshot_row
from policywatch.storage.versions import latest_head, mark_seen

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
    severity: Severity | None = None
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
            return finish(ctx, policy, record_unchanged(ctx, policy), started)
        snapshot_id = record_snapshot(ctx, policy, page)
        text = extract_text(page, policy)
        stored = record_version(ctx, policy, text, snapshot_id)
        tell_operator(ctx, stored.notice)
        if stored.pending is not None:  # a new text: what changed, and who hears of it
            previous = stored.pending.previous.text
            news = as_news(ctx, policy, stored.pending, analyse(previous, text))
            routes = route_alerts(ctx, policy, news)  # written with the change, atomically
            stored = record_change(ctx, policy, stored.pending, news, routes)
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
                      resolver=ctx.resolver, judge=ctx.judge, proxies=ctx.proxies)
    return fetcher.fetch(policy.url, etag=validators.etag if validators else None,
                         last_modified=validators.last_modified if validators else None)


def record_snapshot(ctx: Context, policy: Policy, page: FetchedPage) -> int:
    with write_lock(ctx.db):
        return record_snapshot_row(ctx.db, SnapshotInput(
            policy=policy.name, body=page.body, requested_url=page.requested_url,
            final_url=page.final_url, status=page.status, content_type=page.content_type,
            headers=page.headers, fetched_at=iso(ctx.clock())))


def extract_text(page: FetchedPage, policy: Policy) -> str:
    """The policy text of the page; raises ContentRejected for a page that is not the policy."""
    text = extract(page.body, content_type=page.content_type, selector=policy.selector,
                   remove=policy.remove)
    check_content(page.body, page.content_type, text, url=page.final_url)
    return text


def route_alerts(ctx: Context, policy: Policy, news: News) -> list[AlertRoute]:
    if news.quiet:
        return []
    return routes_for(ctx.watchlist.channels_for(policy), news.analysis.result())


def tell_operator(ctx: Context, notice: OperatorNotice | None) -> None:
    if notice is None:
        return
    with write_lock(ctx.db):
        enqueue_operator_notice(ctx.db, ctx.watchlist, notice.subject, notice.body,
                                now=iso(ctx.clock()))


def remember_validators(ctx: Context, policy: Policy, page: FetchedPage, snapshot_id: int) -> None:
    """Only a page whose text went into history may be answered by a 304 next time: a rejected
    or suspect page must be fetched in full again."""
    with write_lock(ctx.db):
        check_store.save_validators(ctx.db, policy.name, check_store.Validators(
            url=policy.url, etag=page.headers.get("ETag"),
            last_modified=page.headers.get("Last-Modified"), snapshot_id=snapshot_id))


def record_unchanged(ctx: Context, policy: Policy) -> CheckResult:
    """A 304: the page is as it was, so the latest version was seen again."""
    latest = latest_head(ctx.db, policy.name)
    if latest is None:
        # Validators without a version (e.g. the first page was rejected): fetch in full next time.
        with write_lock(ctx.db):
            check_store.clear_validators(ctx.db, policy.name)
        return CheckResult(policy=policy.name, outcome="failed",
                           reason="not_modified_without_version",
                           detail="304 but no stored version; validators cleared",
                           transient=True)
    with write_lock(ctx.db):
        mark_seen(ctx.db, latest.id, iso(ctx.clock()))
    return CheckResult(policy=policy.name, outcome="unchanged", reason="not_modified",
                       version_id=latest.id)


def to_result(policy: Policy, stored: StoredText) -> CheckResult:
    return CheckResult(policy=policy.name, outcome=stored.outcome, reason=stored.reason,
                       detail=stored.detail,
                       transient=True if stored.outcome == "suspect" else None,
                       version_id=stored.version_id, change_id=stored.change_id,
                       severity=stored.severity, summary=stored.summary)


def failure(ctx: Context, policy: Policy, error: FetchError | ContentRejected) -> CheckResult:
    if not error.transient:
        notify_operator_once(ctx, policy, error.reason, error.detail)
    status = error.status if isinstance(error, FetchError) else None
    detail = f"{error.detail} (HTTP {status})" if status else error.detail
    return CheckResult(policy=policy.name, outcome="failed", reason=error.reason, detail=detail,
                       transient=error.transient)


def notify_operator_once(ctx: Context, policy: Policy, reason: str, detail: str) -> None:
    """Tell the operator about a permanent failure, once per run of identical failures."""
    previous = check_store.last_check(ctx.db, policy.name)
    if previous and previous.outcome == "failed" and previous.reason == reason:
        return
    tell_operator(ctx, OperatorNotice(
        subject=f"policywatch: {policy.display_name} cannot be checked ({reason})",
        body=f"{policy.url}\n{detail}\nThis will not fix itself: check the URL, selector or "
             "settings."))


def finish(ctx: Context, policy: Policy, result: CheckResult, started: datetime) -> CheckResult:
    ended = ctx.clock()
    duration = max(0, int((ended - started).total_seconds() * 1000))
    with write_lock(ctx.db):
        check_store.record_check(ctx.db, check_store.CheckRecord(
            policy=policy.name, started_at=iso(started), finished_at=iso(ended),
            duration_ms=duration, outcome=result.outcome, reason=result.reason,
            detail=result.detail, transient=result.transient, version_id=result.version_id))
    log.info("%s: %s%s", policy.name, result.outcome,
             f" ({result.reason}{f': {result.detail}' if result.detail else ''})"
             if result.reason else "",
             extra={"policy": policy.name, "outcome": result.outcome})
    return replace(result, duration_ms=duration)

