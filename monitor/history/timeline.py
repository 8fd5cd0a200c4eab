"""Where an archive capture goes in a policy's timeline, and the changes that follow from it.

A timeline is a sequence of versions whose seen-intervals [first_seen, last_seen] do not
overlap. An archive capture is placed by its capture time: it widens the version in force when
its text is the same, moves the start of the next version back when it has the next version's
text, and otherwise becomes a version of its own between the two. Live observations win: a
capture never splits a version seen live, nor a change that already alerted; such a capture is
a conflict, recorded as a failed capture with the reason. The queries live in storage.archive.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import sqlite_utils

from policywatch.monitor.timeutil import from_archive_timestamp, iso
from policywatch.storage import archive
from policywatch.storage.versions import NewVersion, add_version, mark_seen


@dataclass(frozen=True)
class CaptureText:
    """An extracted capture, ready to be placed in the timeline."""

    policy: str
    timestamp: str
    snapshot_id: int
    text: str
    norm_hash: str
    extractor_version: int

    @property
    def seen_at(self) -> str:
        return iso(from_archive_timestamp(self.timestamp))


@dataclass(frozen=True)
class Placement:
    action: Literal["extended", "merged", "inserted", "split", "conflict"]
    version_id: int | None
    reason: str | None = None


def place_capture(db: sqlite_utils.Database, capture: CaptureText) -> Placement:
    """Put one capture in the policy's timeline (call inside a transaction)."""
    spans = archive.timeline_spans(db, capture.policy)
    seen = capture.seen_at
    count_before = sum(1 for span in spans if span.first_seen <= seen)
    prev = spans[count_before - 1] if count_before else None
    nxt = spans[count_before] if count_before < len(spans) else None
    if prev is not None and prev.norm_hash == capture.norm_hash:
        mark_seen(db, prev.id, seen, capture.snapshot_id)
        return Placement("extended", prev.id)
    inside = prev is not None and seen < prev.last_seen
    if not inside and nxt is not None and nxt.norm_hash == capture.norm_hash:
        archive.move_version_start(db, nxt.id, seen, capture.snapshot_id, capture.timestamp)
        return Placement("merged", nxt.id)
    if prev is not None and inside:
        problem = split_tail(db, prev, seen)
        if problem:
            return Placement("conflict", None, problem)
        return Placement("split", _insert(db, capture))
    if prev is not None and nxt is not None and archive.change_alerted(db, prev.id, nxt.id):
        return Placement("conflict", None, "conflict: falls inside the change from version "
                         f"{prev.id} to {nxt.id}, which already sent alerts")
    return Placement("inserted", _insert(db, capture))


def _insert(db: sqlite_utils.Database, capture: CaptureText) -> int:
    return add_version(db, NewVersion(
        policy=capture.policy, text=capture.text, norm_hash=capture.norm_hash,
        extractor_version=capture.extractor_version, snapshot_id=capture.snapshot_id,
        seen_at=capture.seen_at, source="archive", archive_timestamp=capture.timestamp))


def split_tail(db: sqlite_utils.Database, span: archive.Span, at: str) -> str | None:
    """Split an archive-only version around `at`: its captures after `at` become a new version
    with the same text. Returns why it cannot be split, or None once done."""
    captures = archive.captures_within(db, span.policy, span.first_seen, span.last_seen)
    before = [c for c in captures if c.seen_at <= at]
    after = [c for c in captures if c.seen_at > at]
    archive_only = (not archive.seen_live(db, span.id) and before and after
                    and before[0].seen_at == span.first_seen
                    and after[-1].seen_at == span.last_seen)
    if not archive_only:
        return (f"conflict: the text differs from version {span.id}, which was seen on both "
                f"sides of this capture ({span.first_seen[:10]} to {span.last_seen[:10]})")
    archive.split_version(db, span, head_end=before[-1], tail_start=after[0])
    return None


@dataclass(frozen=True)
class ChangeGap:
    """Two consecutive versions with no change row yet, and the change's dating window."""

    from_version_id: int
    to_version_id: int
    window_start: str
    window_end: str


def reconcile_changes(db: sqlite_utils.Database, policy: str) -> list[ChangeGap]:
    """Make the change rows follow the timeline: windows updated to the versions' seen dates,
    rows between versions that are no longer consecutive removed (never one that alerted), and
    the consecutive pairs that still lack a change returned for the caller to diff and record."""
    spans = archive.timeline_spans(db, policy)
    ids = {span.id for span in spans}
    wanted = {(a.id, b.id): (a.last_seen, b.first_seen) for a, b in pairwise(spans)}
    present: set[tuple[int, int]] = set()
    for row in archive.change_rows(db, policy):
        pair = (row.from_version_id, row.to_version_id)
        if pair[0] not in ids or pair[1] not in ids:
            continue  # another generation's change
        if pair in wanted:
            present.add(pair)
            if (row.window_start, row.window_end) != wanted[pair]:
                archive.set_change_window(db, row.id, *wanted[pair])
        elif not row.alerted:
            archive.delete_change(db, row.id)
    return [ChangeGap(from_version_id=a, to_version_id=b, window_start=start, window_end=end)
            for (a, b), (start, end) in wanted.items() if (a, b) not in present]
