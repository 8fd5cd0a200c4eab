"""Archive and live history as one timeline: captures older than the first live check come
first, a capture equal to a live version merges into it, a version between two others keeps the
change rows consistent, and live observations win over the archive."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from policywatch.monitor.context import Context
from policywatch.monitor.history.backfill import backfill_policy, needs_backfill
from policywatch.monitor.pipeline import check
from policywatch.monitor.timeutil import iso
from policywatch.monitor.watchlist import Policy
from policywatch.storage.changes import policy_changes
from policywatch.storage.db import open_db
from policywatch.storage.outbox import list_alerts
from policywatch.storage.versions import timeline
from tests.support.archive_server import (
    ArchivedCapture,
    ArchiveServer,
    FakeTime,
    history_captures,
)
from tests.support.config import load, write_watchlist
from tests.support.site import Site
from tests.test_backfill import FIRST_CAPTURE, NOW, page_key, render, seen, synthetic_history

TEXTS = synthetic_history()


class Live:
    """A policy served live by a test site and archived by a test archive."""

    def __init__(self, site: Site, archive: ArchiveServer, directory: Path) -> None:
        self.site, self.archive = site, archive
        self.url = site.url("/privacy")
        path = write_watchlist(
            directory, [{"name": "pol", "url": self.url, "wayback": True, "alerts": ["ops"]}],
            {"archive_url": archive.base_url, "timeout": 2},
            channels={"ops": {"type": "console", "min_severity": "low"}})
        watchlist = load(path)
        self.fake = FakeTime(NOW)
        self.ctx = Context(watchlist=watchlist, db=open_db(watchlist.settings.database),
                           session=requests.Session(), clock=self.fake.clock,
                           sleep=self.fake.sleep)
        self.policy: Policy = watchlist.policies[0]

    def archive_history(self, texts: list[str]) -> list[list[ArchivedCapture]]:
        plan = history_captures(texts, self.url, render, FIRST_CAPTURE)
        self.archive.add(*itertools.chain.from_iterable(plan))
        return plan

    def check_at(self, when: datetime, text: str) -> str:
        self.site.set_page("/privacy", render(text, 0))
        self.fake.current = when
        return check(self.ctx, self.policy).outcome

    def backfill(self) -> Any:
        self.fake.current = max(self.fake.current, NOW)
        return backfill_policy(self.ctx, self.policy)

    def spans(self) -> list[tuple[str, str, str, str]]:
        return [(v.norm_hash, v.first_seen, v.last_seen, v.source)
                for v in timeline(self.ctx.db, "pol")]


@pytest.fixture()
def live(tmp_path: Path) -> Iterator[Live]:
    with Site() as site, ArchiveServer() as archive:
        yield Live(site, archive, tmp_path)


def assert_consistent(live: Live) -> None:
    """Versions do not overlap, and there is exactly one change per consecutive pair, dated by
    the versions' seen dates."""
    versions = timeline(live.ctx.db, "pol")
    for old, new in itertools.pairwise(versions):
        assert old.last_seen <= new.first_seen and old.norm_hash != new.norm_hash
    changes = {(c.from_version_id, c.to_version_id): (c.window_start, c.window_end)
               for c in policy_changes(live.ctx.db, "pol")}
    assert changes == {(old.id, new.id): (old.last_seen, new.first_seen)
                       for old, new in itertools.pairwise(versions)}


def test_a_capture_equal_to_the_live_version_merges_into_it(live: Live) -> None:
    assert live.check_at(NOW, TEXTS[-1]) == "first_version"
    live_version = timeline(live.ctx.db, "pol")[0]
    plan = live.archive_history(TEXTS)
    report = live.backfill()
    versions = timeline(live.ctx.db, "pol")
    assert len(versions) == 5 and versions[-1].id == live_version.id
    assert versions[-1].first_seen == seen(plan[-1][0].timestamp)  # widened back to the archive
    assert versions[-1].last_seen == iso(NOW)
    assert versions[-1].archive_timestamp == plan[-1][0].timestamp
    assert report.merged > 0 and not needs_backfill(live.ctx, live.policy)
    assert_consistent(live)
    assert list_alerts(live.ctx.db) == []
    assert live.check_at(NOW + timedelta(days=1), TEXTS[-1]) == "unchanged"


def test_archive_versions_come_before_a_newer_live_version(live: Live) -> None:
    newer = TEXTS[-1] + "\n\nWe now sell your personal data to data brokers."
    live.check_at(NOW, newer)
    live.archive_history(TEXTS)
    live.backfill()
    versions = timeline(live.ctx.db, "pol")
    assert [v.source for v in versions] == ["archive"] * 5 + ["live"]
    assert versions[-1].norm_hash == page_key(newer) and versions[-1].first_seen == iso(NOW)
    assert_consistent(live)
    assert {c.source for c in policy_changes(live.ctx.db, "pol")} == {"archive"}
    assert list_alerts(live.ctx.db) == []


def test_a_capture_inside_a_live_version_with_other_text_is_a_conflict(live: Live) -> None:
    # Live saw text X from Feb 1 to Feb 20, 2019; the archive has TEXTS[1] all February.
    x = TEXTS[1] + "\n\nA sentence the archive never saw."
    start, end = datetime(2019, 2, 1, tzinfo=UTC), datetime(2019, 2, 20, tzinfo=UTC)
    live.check_at(start, x)
    live.check_at(end, x)
    plan = live.archive_history(TEXTS[:3])
    report = live.backfill()
    inside = {c.timestamp for c in plan[1] if iso(start) < seen(c.timestamp) < iso(end)}
    conflicts = {stamp for stamp, reason in report.failed if reason.startswith("conflict")}
    assert conflicts and conflicts <= inside
    live_version = next(v for v in timeline(live.ctx.db, "pol") if v.norm_hash == page_key(x))
    assert (live_version.first_seen, live_version.last_seen) == (iso(start), iso(end))
    assert_consistent(live)


def test_a_change_that_alerted_is_never_split(live: Live) -> None:
    a = TEXTS[0]
    b = TEXTS[0] + "\n\nWe sell your personal data to data brokers and advertisers."
    t1, t2 = datetime(2019, 1, 2, tzinfo=UTC), datetime(2019, 3, 1, tzinfo=UTC)
    live.check_at(t1, a)
    assert live.check_at(t2, b) == "new_version"
    alerts = list_alerts(live.ctx.db)
    assert alerts, "the live change must have alerted for this test to mean anything"
    between = datetime(2019, 2, 1, tzinfo=UTC)
    later_a = datetime(2019, 1, 20, tzinfo=UTC)
    live.archive.add(
        ArchivedCapture(later_a.strftime("%Y%m%d%H%M%S"), live.url, render(a, 1).encode()),
        ArchivedCapture(between.strftime("%Y%m%d%H%M%S"), live.url, render(TEXTS[1], 0).encode()))
    report = live.backfill()
    assert [(stamp, reason.split(":")[0]) for stamp, reason in report.failed] == \
        [(between.strftime("%Y%m%d%H%M%S"), "conflict")]
    versions = timeline(live.ctx.db, "pol")
    assert [v.norm_hash for v in versions] == [page_key(a), page_key(b)]
    assert versions[0].last_seen == iso(later_a)  # the archive narrowed the dating window
    assert_consistent(live)
    assert list_alerts(live.ctx.db) == alerts


def test_a_version_that_comes_back_is_split_when_the_capture_between_arrives_late(
        live: Live) -> None:
    # A, B, A again; B's captures fail the first time, so A looks unbroken until they arrive.
    texts = [TEXTS[0], TEXTS[4], TEXTS[0]]
    plan = live.archive_history(texts)
    for capture in plan[1]:
        live.archive.fail_capture(capture.timestamp, *[_unavailable()] * 3)
    first = live.backfill()
    assert len(timeline(live.ctx.db, "pol")) == 1 and first.failed
    live.backfill()
    assert [h for h, *_ in live.spans()] == [page_key(t) for t in texts]
    assert [(f, last) for _, f, last, _ in live.spans()] == \
        [(seen(p[0].timestamp), seen(p[-1].timestamp)) for p in plan]
    assert_consistent(live)


def _unavailable() -> Any:
    from tests.support.archive_server import Fault

    return Fault(status=503)
