"""Turning an extracted text into history: unchanged, a held suspect, a first version, or a new
version, which is written with its change and alert rows in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from policywatch.monitor.analysis import Analysis
from policywatch.monitor.context import Context
from policywatch.monitor.extract import EXTRACTOR_VERSION, is_suspect_shrink
from policywatch.monitor.extract.language import edition_change
from policywatch.monitor.history.changes import change_record, honesty_of
from policywatch.monitor.history.stated_dates import DateHonesty
from policywatch.monitor.model import Severity
from policywatch.monitor.textnorm import key_hash
from policywatch.monitor.timeutil import iso
from policywatch.monitor.watchlist import Policy
from policywatch.storage import checks as check_store
from policywatch.storage.changes import AlertRoute
from policywatch.storage.changes import record_change as record_change_row
from policywatch.storage.db import write_lock
from policywatch.storage.snapshots import has_earlier_live_snapshot
from policywatch.storage.versions import (
    NewVersion,
    Version,
    add_version,
    latest_head,
    latest_version,
    mark_seen,
    recent_versions,
)

SUSPECT_CONFIRMATIONS = 2  # checks that must see the same shrunken text before it is a version


@dataclass(frozen=True)
class PendingVersion:
    """A new text of the policy, not written yet: it is written with its change, at once."""

    previous: Version
    new: NewVersion
    edition: str | None = None  # "the page now serves the French edition", once confirmed


@dataclass(frozen=True)
class OperatorNotice:
    """Something whoever runs policywatch should know (the pipeline queues it)."""

    subject: str
    body: str


@dataclass(frozen=True)
class StoredText:
    outcome: Literal["first_version", "new_version", "unchanged", "suspect"]
    version_id: int | None = None
    change_id: int | None = None
    severity: Severity | None = None
    summary: str | None = None
    reason: str | None = None
    detail: str | None = None
    pending: PendingVersion | None = None  # new_version until record_change() writes it
    notice: OperatorNotice | None = None


def record_version(ctx: Context, policy: Policy, text: str, snapshot_id: int) -> StoredText:
    """Record what the policy says now, compared with the latest stored version: unchanged, a
    held suspect or a first version are written now; a new text comes back pending."""
    now = iso(ctx.clock())
    norm_hash = key_hash(text)
    head = latest_head(ctx.db, policy.name)  # the text is read only when it changed
    if head is not None and head.norm_hash == norm_hash:
        with write_lock(ctx.db), ctx.db.atomic():
            mark_seen(ctx.db, head.id, now, snapshot_id)
            dismissed = check_store.drop_suspect(ctx.db, policy.name)
        return StoredText(outcome="unchanged", version_id=head.id,
                          reason="suspect_dismissed" if dismissed else None)
    latest = latest_version(ctx.db, policy.name) if head is not None else None
    notice = None
    suspicion = (suspect_reason(latest.text, latest.norm_hash, text, norm_hash)
                 if latest is not None else None)
    if latest is not None and suspicion is not None:
        held, notice = hold_suspect(ctx, policy, latest, norm_hash, snapshot_id, now, suspicion)
        if held is not None:
            return held
    new = NewVersion(policy=policy.name, text=text, norm_hash=norm_hash,
                     extractor_version=EXTRACTOR_VERSION, snapshot_id=snapshot_id, seen_at=now)
    if latest is None:
        with write_lock(ctx.db):
            return StoredText(outcome="first_version", version_id=add_version(ctx.db, new))
    edition = suspicion.headline if suspicion and suspicion.reason == "other_edition" else None
    return StoredText(outcome="new_version", notice=notice,
                      pending=PendingVersion(previous=latest, new=new, edition=edition))


@dataclass(frozen=True)
class News:
    analysis: Analysis
    quiet: bool  # recorded as a change, but alerts nobody
    honesty: DateHonesty  # did the stated "Last updated" date move with the text?


def as_news(ctx: Context, policy: Policy, pending: PendingVersion, analysis: Analysis) -> News:
    """Whether a new version is news. The first live version after a backfill is recorded as a
    change but, like any first version, does not alert: it is when watching started. A page
    that flips between texts (A/B tests, sections that come and go) would otherwise alert again
    each time it returns to a text whose arrival was already reported. A change of the stated
    date alone is a change of form: recorded, never alerted. Nor is a switch of language
    edition, where every sentence differs: the operator was told when it was held and when it
    was confirmed."""
    new = pending.new
    first_live = new.snapshot_id is not None and not has_earlier_live_snapshot(
        ctx.db, policy.name, new.snapshot_id)
    returning = recent_version_number(ctx, policy, new.norm_hash)
    if returning is not None:
        analysis = analysis.with_summary(
            f"back to the text of version {returning}: {analysis.summary}")
    if pending.edition is not None:
        analysis = analysis.with_summary(f"{pending.edition}: {analysis.summary}")
    honesty = honesty_of(pending.previous.text, new.text, analysis)
    quiet = (first_live or returning is not None or honesty.kind == "date_only"
             or pending.edition is not None)
    return News(analysis=analysis, quiet=quiet, honesty=honesty)


def record_change(ctx: Context, policy: Policy, pending: PendingVersion, news: News,
                  routes: Sequence[AlertRoute]) -> StoredText:
    """Write the new version, its change and the change's alert rows in one transaction."""
    latest, new, analysis = pending.previous, pending.new, news.analysis
    with write_lock(ctx.db), ctx.db.atomic():
        version_id = add_version(ctx.db, new)
        check_store.drop_suspect(ctx.db, policy.name)
        change_id = record_change_row(ctx.db, change_record(
            policy.name, from_version_id=latest.id, to_version_id=version_id,
            detected_at=new.seen_at, window_start=latest.last_seen, window_end=new.seen_at,
            source="live", analysis=analysis, honesty=news.honesty), routes)
    return StoredText(outcome="new_version", version_id=version_id, change_id=change_id,
                      severity=analysis.severity, summary=analysis.summary)


FLAP_WINDOW = 5  # a text equal to one of this many latest versions is a return, not news


def recent_version_number(ctx: Context, policy: Policy, norm_hash: str) -> int | None:
    """The number of a recent version with this text, if the policy is returning to it."""
    # Newest first; the latest itself (the text being replaced) is not a return.
    recent = recent_versions(ctx.db, policy.name, FLAP_WINDOW + 1)[1:]
    return next((v.number for v in recent if v.norm_hash == norm_hash), None)


@dataclass(frozen=True)
class Suspicion:
    """Why a new text looks like the page went wrong rather than the policy changed."""

    reason: Literal["suspect_shrink", "other_edition"]
    headline: str  # for the operator, e.g. "the page now serves the French edition"
    detail: str
    advice: str


def suspect_reason(previous: str, previous_hash: str, text: str,
                   norm_hash: str) -> Suspicion | None:
    """A shrink that lost most of the policy, or another language edition of the page (live
    checks and archive captures alike)."""
    edition = edition_change(previous, previous_hash, text, norm_hash)
    if edition is not None:
        before, now = edition
        return Suspicion("other_edition", f"the page now serves the {now} edition",
                         f"the page now serves the {now} edition (it was in {before})",
                         "If the site picks the language by location or headers, pin the "
                         "edition in the URL.")
    if is_suspect_shrink(previous, text):
        return Suspicion("suspect_shrink", "extraction lost most of the policy",
                         f"the extracted text shrank from {len(previous):,} to {len(text):,} "
                         "characters", "If the site was redesigned, check the selector.")
    return None


def hold_suspect(ctx: Context, policy: Policy, latest: Version, norm_hash: str,
                 snapshot_id: int, now: str,
                 suspicion: Suspicion) -> tuple[StoredText | None, OperatorNotice]:
    """Hold a text that looks like a broken page until a later check confirms it. Returns None
    once confirmed (the caller then stores it as a version), and the notice for the operator
    either way."""
    with write_lock(ctx.db):
        seen = check_store.hold_suspect(ctx.db, policy.name, norm_hash, snapshot_id, now)
    detail = f"{suspicion.detail}; seen {seen} time(s)"
    notice = suspect_notice(policy, seen, detail, suspicion)
    if seen >= SUSPECT_CONFIRMATIONS:
        return None, notice
    return StoredText(outcome="suspect", version_id=latest.id, reason=suspicion.reason,
                      detail=detail + "; held until a later check confirms it",
                      notice=notice), notice


def suspect_notice(policy: Policy, seen: int, detail: str,
                   suspicion: Suspicion) -> OperatorNotice:
    verdict = ("held as suspect" if seen < SUSPECT_CONFIRMATIONS
               else "confirmed by a later check and recorded as a new version")
    return OperatorNotice(
        subject=f"policywatch: {policy.display_name}: {suspicion.headline} ({verdict})",
        body=f"{policy.url}\n{detail}\n{suspicion.advice}")
