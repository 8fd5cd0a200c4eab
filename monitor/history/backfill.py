"""Wayback backfill: years of a policy's history from the archive, before (or beside) live checks.

The run: list the policy URL's successful captures in the CDX index, collapsed by digest; remember
them (so a killed run resumes where it stopped); download each distinct digest once (`id_`, the
bytes as captured); extract with the live extractor and checks; place each capture in the timeline
by its capture time (storage.archive); ask the index once per version end for later repeats of its
last capture, so last_seen and the dating windows are exact; record the changes between
consecutive versions as history (source 'archive', never alerted).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from policywatch.monitor.analysis import analyse
from policywatch.monitor.context import Context
from policywatch.monitor.errors import ContentRejected, FetchError
from policywatch.monitor.extract import EXTRACTOR_VERSION, check_content, extract
from policywatch.monitor.fetch.wayback import ArchiveClient, Capture, shared_throttle
from policywatch.monitor.history import timeline
from policywatch.monitor.history.changes import change_record, honesty_of
from policywatch.monitor.history.reextract import rederive_if_stale
from policywatch.monitor.history.versioning import Suspicion, suspect_reason
from policywatch.monitor.textnorm import key_hash
from policywatch.monitor.timeutil import iso, parse_iso
from policywatch.monitor.watchlist import Policy
from policywatch.storage import archive
from policywatch.storage.changes import NewChange, record_change
from policywatch.storage.db import write_lock
from policywatch.storage.snapshots import (
    SnapshotInput,
    get_snapshot,
    record_snapshot,
    snapshot_body,
)

log = logging.getLogger("policywatch.backfill")


@dataclass(frozen=True)
class _Held:
    capture: archive.ArchiveCapture
    snapshot: SnapshotInput
    status: str
    extracted: tuple[str, str]
    suspicion: Suspicion


@dataclass
class BackfillReport:
    policy: str
    listed: int = 0  # captures the index listed (collapsed by digest)
    distinct_digests: int = 0
    downloaded: int = 0
    reused: int = 0  # captures whose bytes were already stored under the same digest
    versions_added: int = 0
    merged: int = 0  # captures that matched a version stored before this run
    changes_added: int = 0
    index_queries: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (timestamp, reason)
    # captures that lost most of the policy or showed another language edition, and that no
    # following capture confirmed (also in `failed`)
    suspect: int = 0

    @property
    def summary(self) -> str:
        return (f"{self.listed} captures listed ({self.distinct_digests} distinct), "
                f"{self.downloaded} downloaded, {self.versions_added} new versions, "
                f"{self.merged} merged into existing versions, {len(self.failed)} failed "
                f"(of which {self.suspect} suspect: shrunken or another edition)")


@dataclass(frozen=True)
class BackfillEvent:
    """What a progress callback hears: `queued` (total: captures about to be processed) or
    `capture` (one done: `result` is extended/merged (the text of a stored version), inserted/
    split (a new version), rejected (not the policy) or failed (not downloaded))."""

    kind: str
    total: int = 0
    timestamp: str = ""
    result: str = ""
    downloaded: bool = False  # the bytes were fetched (not reused from an earlier capture)


Progress = Callable[[BackfillEvent], None]


def _no_progress(event: BackfillEvent) -> None:
    """The default progress callback: nobody is listening."""


def client_for(ctx: Context) -> ArchiveClient:
    """The archive client the settings describe, on the context's session, clock and sleep."""
    settings = ctx.watchlist.settings
    throttles = (
        shared_throttle(settings.archive_url, "index", settings.archive_index_rate, ctx.clock,
                        ctx.sleep),
        shared_throttle(settings.archive_url, "capture", settings.archive_capture_rate,
                        ctx.clock, ctx.sleep))
    return ArchiveClient(
        ctx.session, base_url=settings.archive_url, timeout=settings.timeout,
        retries=settings.retries, index_rate=settings.archive_index_rate,
        capture_rate=settings.archive_capture_rate, max_bytes=settings.max_bytes,
        now=ctx.clock, sleep=ctx.sleep, throttles=throttles)


def needs_backfill(ctx: Context, policy: Policy) -> bool:
    """`wayback` is configured and no finished run covers it yet (from its `since`)."""
    if policy.wayback is None:
        return False
    since = policy.wayback.since.isoformat() if policy.wayback.since else None
    return not archive.backfill_done(ctx.db, policy.name, since)


def backfill_policy(ctx: Context, policy: Policy, *, since: date | None = None,
                    until: date | None = None, client: ArchiveClient | None = None,
                    progress: Progress = _no_progress) -> BackfillReport:
    """Backfill one policy from the archive. Never raises for one bad capture (each failure is
    recorded and reported); raises FetchError when the index itself cannot be read."""
    if since is None and policy.wayback is not None:
        since = policy.wayback.since
    rederive_if_stale(ctx, policy)  # captures are placed in the current extractor's timeline
    run = _Run(ctx, policy, client or client_for(ctx), progress)
    run.execute(since, until)
    return run.report


class _Run:
    def __init__(self, ctx: Context, policy: Policy, client: ArchiveClient,
                 progress: Progress = _no_progress) -> None:
        self.ctx = ctx
        self.progress = progress
        self.db = ctx.db
        self.policy = policy
        self.client = client
        self.report = BackfillReport(policy.name)
        self.texts: dict[str, tuple[str, str] | str] = {}  # digest → (text, hash) | rejection
        self.undiffable: set[tuple[int, int]] = set()  # pairs whose diff raised, this run
        self.known_versions = {s.id for s in archive.timeline_spans(ctx.db, policy.name)}
        # A capture that looks broken next to the version before it waits here for the next
        # capture: the same text again confirms it, anything else makes it a lone bad capture.
        self.held: _Held | None = None
        self.until: date | None = None

    def now(self) -> str:
        return iso(self.ctx.clock())

    def execute(self, since: date | None, until: date | None) -> None:
        name = self.policy.name
        self.until = until
        with write_lock(self.db):
            run_id = archive.start_run(self.db, name, _day(since), _day(until), self.now())
        listing = self.client.list_captures(self.policy.url, since=since, until=until)
        self.report.index_queries += listing.queries
        self.report.listed = len(listing.captures)
        self.report.distinct_digests = len({c.digest for c in listing.captures})
        self.report.failed += [("index", f"malformed index row skipped: {row}")
                               for row in listing.malformed]
        with write_lock(self.db):
            archive.record_listed(self.db, name, [(c.timestamp, c.digest, c.original)
                                                  for c in listing.captures], self.now())
        self.process_pending()
        self.refine_version_ends(until)
        self.drop_held("no later capture confirmed it")
        self.record_changes()
        self.report.versions_added = len(archive.timeline_spans(self.db, name)) - len(
            self.known_versions)
        with write_lock(self.db):
            archive.finish_run(self.db, run_id, self.now(), self.report.listed,
                               len(self.report.failed))
        log.info("%s: backfill: %s", name, self.report.summary, extra={"policy": name})

    # --- one capture -------------------------------------------------------------------------

    def process_pending(self, *, retry_failed: bool = True) -> None:
        """Every pending capture, oldest first; with `retry_failed`, also those that failed
        to download in an earlier run (a failure of this run waits for the next run)."""
        captures = list(archive.captures_to_process(self.db, self.policy.name,
                                                    retry_failed=retry_failed))
        self.progress(BackfillEvent("queued", total=len(captures)))
        for capture in captures:
            self.process(capture)

    def process(self, capture: archive.ArchiveCapture) -> None:
        if self.held is not None and capture.timestamp == self.held.capture.timestamp:
            return  # waiting for the next capture to decide
        stored = archive.snapshot_for_digest(self.db, self.policy.name, capture.digest)
        if stored is not None:
            snapshot = self.reused_snapshot(capture, stored)
            status = "duplicate"
            self.report.reused += 1
        else:
            try:
                snapshot = self.downloaded_snapshot(capture)
            except FetchError as error:
                self.fail(capture, f"{error.reason}: {error.detail}")
                return
            status = "stored"
            self.report.downloaded += 1
        self.place(capture, snapshot, status)
        self.record_changes()

    def downloaded_snapshot(self, capture: archive.ArchiveCapture) -> SnapshotInput:
        raw = self.client.download(Capture(capture.timestamp, capture.original_url,
                                           capture.digest))
        return SnapshotInput(
            policy=self.policy.name, body=raw.body, requested_url=capture.original_url,
            final_url=capture.original_url, status=raw.status, content_type=raw.content_type,
            headers=raw.headers, fetched_at=capture.seen_at, source="archive",
            archive_timestamp=capture.timestamp, archive_digest=capture.digest,
            archive_url=raw.archive_url)

    def reused_snapshot(self, capture: archive.ArchiveCapture, snapshot_id: int) -> SnapshotInput:
        """The same digest was stored before: a snapshot of this capture from those bytes."""
        first = get_snapshot(self.db, snapshot_id)
        return SnapshotInput(
            policy=self.policy.name, body=snapshot_body(self.db, snapshot_id),
            requested_url=capture.original_url, final_url=capture.original_url,
            status=first.status, content_type=first.content_type, headers={},
            fetched_at=capture.seen_at, source="archive", archive_timestamp=capture.timestamp,
            archive_digest=capture.digest,
            archive_url=self.client.capture_url(Capture(capture.timestamp,
                                                        capture.original_url, capture.digest)))

    def extracted(self, digest: str, snapshot: SnapshotInput) -> tuple[str, str] | str:
        """(text, hash) of the capture, or why it is not the policy (cached per digest)."""
        if digest not in self.texts:
            text = extract(snapshot.body, content_type=snapshot.content_type,
                           selector=self.policy.selector, remove=self.policy.remove)
            try:
                check_content(snapshot.body, snapshot.content_type, text,
                              url=snapshot.archive_url or snapshot.final_url)
                self.texts[digest] = (text, key_hash(text))
            except ContentRejected as rejected:
                self.texts[digest] = f"{rejected.reason}: {rejected.detail}"
        return self.texts[digest]

    def place(self, capture: archive.ArchiveCapture, snapshot: SnapshotInput,
              status: str) -> None:
        """Place a capture, or hold it while it looks broken next to the version before it."""
        extracted = self.extracted(capture.digest, snapshot)
        if isinstance(extracted, str):
            self.store(capture, snapshot, status, extracted)  # rejected: held one still waits
            return
        held = self.held
        if held is not None and capture.timestamp > held.capture.timestamp:
            if held.extracted[1] == extracted[1]:
                self.held = None  # seen again: not a glitch, the page really became this
                self.store(held.capture, held.snapshot, held.status, held.extracted)
                self.store(capture, snapshot, status, extracted)
                return
            self.drop_held("the next capture showed another text")
        suspicion = self.suspicion(capture, extracted)
        if suspicion is not None and not self.repeated_later(capture):
            self.drop_held("a later capture came first")  # at most one waits
            self.held = _Held(capture, snapshot, status, extracted, suspicion)
            return
        self.store(capture, snapshot, status, extracted)

    def repeated_later(self, capture: archive.ArchiveCapture) -> bool:
        """Whether the archive holds the same bytes again later (the collapsed listing shows
        only the first of a run): then the capture is confirmed, and its repeat is listed."""
        upper = archive.next_listed(self.db, self.policy.name, capture.timestamp)
        try:
            listing = self.client.list_captures(self.policy.url, since=capture.timestamp,
                                                until=upper or self.until, collapse=False)
        except FetchError:
            return False  # cannot tell: the next capture decides
        self.report.index_queries += listing.queries
        repeat = _last_repeat(listing.captures, capture, upper)
        if repeat is not None:
            with write_lock(self.db):
                archive.record_listed(self.db, self.policy.name,
                                      [(repeat.timestamp, repeat.digest, repeat.original)],
                                      self.now())
        return repeat is not None

    def suspicion(self, capture: archive.ArchiveCapture,
                  extracted: tuple[str, str]) -> Suspicion | None:
        spans = [s for s in archive.timeline_spans(self.db, self.policy.name)
                 if s.first_seen <= capture.seen_at]
        if not spans or spans[-1].norm_hash == extracted[1]:
            return None
        previous = spans[-1]
        return suspect_reason(archive.version_text(self.db, previous.id), previous.norm_hash,
                              extracted[0], extracted[1])

    def drop_held(self, why: str) -> None:
        """The held capture was a lone bad one: record it as failed, never as a version."""
        held, self.held = self.held, None
        if held is None:
            return
        self.report.suspect += 1
        reason = f"{held.suspicion.reason}: {held.suspicion.detail}; {why}"
        self.store(held.capture, held.snapshot, held.status, reason)

    def store(self, capture: archive.ArchiveCapture, snapshot: SnapshotInput, status: str,
              extracted: tuple[str, str] | str) -> None:
        reason: str | None = None
        result = "rejected"
        with write_lock(self.db), self.db.atomic():
            snapshot_id = record_snapshot(self.db, snapshot)
            if isinstance(extracted, str):
                reason = extracted
            else:
                placement = timeline.place_capture(self.db, timeline.CaptureText(
                    policy=self.policy.name, timestamp=capture.timestamp,
                    snapshot_id=snapshot_id, text=extracted[0], norm_hash=extracted[1],
                    extractor_version=EXTRACTOR_VERSION))
                reason, result = placement.reason, placement.action
                if placement.version_id in self.known_versions:
                    self.report.merged += 1
            archive.mark_capture(self.db, self.policy.name, capture,
                                 "failed" if reason else status, self.now(), reason=reason,
                                 snapshot_id=snapshot_id)
        if reason:
            self.report.failed.append((capture.timestamp, reason))
        self.progress(BackfillEvent("capture", timestamp=capture.timestamp,
                                    result="rejected" if reason else result,
                                    downloaded=status == "stored"))

    def fail(self, capture: archive.ArchiveCapture, reason: str) -> None:
        with write_lock(self.db):
            archive.mark_capture(self.db, self.policy.name, capture, "failed", self.now(),
                                 reason=reason)
        self.report.failed.append((capture.timestamp, reason))
        log.warning("%s: capture %s failed: %s", self.policy.name, capture.timestamp, reason)
        self.progress(BackfillEvent("capture", timestamp=capture.timestamp, result="failed"))

    # --- exact version ends ------------------------------------------------------------------

    def refine_version_ends(self, until: date | None) -> None:
        """The collapsed index lists the first capture of each run of identical bytes; ask it
        (uncollapsed) for the last capture of each version's final run."""
        spans = archive.timeline_spans(self.db, self.policy.name)
        for index, span in enumerate(spans):
            captures = archive.captures_within(self.db, self.policy.name, span.first_seen,
                                               span.last_seen)
            if not captures or captures[-1].seen_at != span.last_seen:
                continue  # no capture, or seen later than its captures (live)
            following = spans[index + 1] if index + 1 < len(spans) else None
            self.refine(captures[-1], following, until)
        self.process_pending(retry_failed=False)

    def refine(self, last: archive.ArchiveCapture, following: archive.Span | None,
               until: date | None) -> None:
        upper = archive.next_listed(self.db, self.policy.name, last.timestamp)
        if following is not None:
            start = _timestamp(following.first_seen)
            upper = min(upper, start) if upper else start
        if last.refined and upper is not None:
            return  # asked before, and nothing after it can have appeared since
        try:
            listing = self.client.list_captures(self.policy.url, since=last.timestamp,
                                                until=upper or until, collapse=False)
        except FetchError as error:
            self.report.failed.append((last.timestamp, "could not ask the index for later "
                                       f"repeats: {error.reason}: {error.detail}"))
            return
        self.report.index_queries += listing.queries
        final = _last_repeat(listing.captures, last, upper)
        with write_lock(self.db), self.db.atomic():
            if final is not None:
                archive.record_listed(self.db, self.policy.name,
                                      [(final.timestamp, final.digest, final.original)],
                                      self.now())
            if upper is not None:
                # Bounded by a known capture (or version): nothing new can appear in between.
                # A run's end bounded only by `until` or now is asked again next time.
                done = final or last
                archive.mark_refined(self.db, self.policy.name, done.timestamp, done.digest)

    # --- changes -----------------------------------------------------------------------------

    def record_changes(self) -> None:
        """Diff and record every pair of consecutive versions that lacks its change row."""
        with write_lock(self.db), self.db.atomic():
            gaps = timeline.reconcile_changes(self.db, self.policy.name)
        for gap in gaps:
            pair = (gap.from_version_id, gap.to_version_id)
            if pair in self.undiffable:
                continue
            try:
                change = _describe(self.policy.name, gap, archive.version_text(
                    self.db, gap.from_version_id), archive.version_text(
                    self.db, gap.to_version_id))
            except Exception as exc:  # noqa: BLE001 - one bad diff must not end a long run
                # The pair stays without its change row; the next run tries again.
                self.undiffable.add(pair)
                log.exception("%s: diff of versions %s → %s failed", self.policy.name,
                              gap.from_version_id, gap.to_version_id)
                self.report.failed.append((_timestamp(gap.window_end),
                                           f"diff_failed: {type(exc).__name__}: {exc}"))
                continue
            with write_lock(self.db):
                record_change(self.db, change)  # no routes: backfilled history never alerts
            self.report.changes_added += 1


def _describe(policy: str, gap: timeline.ChangeGap, old: str, new: str) -> NewChange:
    """The change between two consecutive versions, diffed and classified like a live one;
    detected_at is the first capture with the new text (when the archive saw it)."""
    analysis = analyse(old, new)
    return change_record(
        policy, from_version_id=gap.from_version_id, to_version_id=gap.to_version_id,
        detected_at=gap.window_end, window_start=gap.window_start, window_end=gap.window_end,
        source="archive", analysis=analysis, honesty=honesty_of(old, new, analysis))


def _last_repeat(captures: list[Capture], last: archive.ArchiveCapture,
                 upper: str | None) -> Capture | None:
    """The last capture after `last` with the same bytes and no other bytes in between."""
    final = None
    for capture in sorted(captures, key=lambda c: c.timestamp):
        if capture.timestamp <= last.timestamp:
            continue
        if (upper is not None and capture.timestamp >= upper) or capture.digest != last.digest:
            break
        final = capture
    return final


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _timestamp(seen_at: str) -> str:
    """A stored iso time as a 14-digit archive timestamp."""
    return parse_iso(seen_at).strftime("%Y%m%d%H%M%S")
