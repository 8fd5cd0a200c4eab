"""A history backfilled from a local archive server blames to the capture that first showed
each wording, with its timestamp and Wayback URL; a live version afterwards extends that blame."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from policywatch.monitor.context import Context
from policywatch.monitor.history.backfill import backfill_policy
from policywatch.monitor.history.policy_blame import (
    BlameLine,
    PolicyBlame,
    VersionRef,
    blame_policy,
)
from policywatch.monitor.pipeline import check
from policywatch.storage.changes import policy_changes
from policywatch.storage.db import open_db
from tests.support.archive_server import ArchiveServer, FakeTime, history_captures
from tests.support.config import load, write_watchlist
from tests.support.pages import policy_page
from tests.support.site import Site
from tests.test_blame import history

FIRST_CAPTURE = datetime(2019, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def render(text: str, chrome: int) -> str:
    return policy_page(text, chrome=chrome)


@pytest.fixture()
def archive() -> Iterator[ArchiveServer]:
    with ArchiveServer() as server:
        yield server


@pytest.fixture()
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


def line(result: PolicyBlame, piece: str) -> BlameLine:
    return next(x for x in result.lines if piece in x.text)


def stamp(ref: VersionRef | None) -> str | None:
    return ref.archive_timestamp if ref else None


def test_backfilled_history_blames_to_capture_timestamps(archive: ArchiveServer, site: Site,
                                                          tmp_path: Path) -> None:
    texts = history()
    url = site.url("/privacy")
    plan = history_captures(texts, url, render, FIRST_CAPTURE)
    archive.add(*itertools.chain.from_iterable(plan))
    site.set_page("/privacy", policy_page(texts[-1] + "\nWe delete logs after 7 days.\n"))
    watchlist = load(write_watchlist(tmp_path, [{"name": "pol", "url": url, "wayback": True}],
                                     {"archive_url": archive.base_url, "timeout": 1.0}))
    fake = FakeTime(NOW)
    ctx = Context(watchlist=watchlist, db=open_db(watchlist.settings.database),
                  session=requests.Session(), clock=fake.clock, sleep=fake.sleep)
    policy = watchlist.policies[0]
    assert backfill_policy(ctx, policy).failed == []
    changes = policy_changes(ctx.db, "pol")
    assert len(changes) == len(texts) - 1
    assert {c.date_honesty for c in changes} == {"consistent"}  # it states no date
    result = blame_policy(ctx.db, "pol")
    assert result.timeline_length == len(texts)
    first = [captures[0].timestamp for captures in plan]  # the first capture of each text
    assert stamp(line(result, "precise location").since) == first[1]
    edited = line(result, "phone number")
    assert (stamp(edited.since), stamp(edited.born)) == (first[4], first[0])
    assert edited.since.archive_url == f"{archive.base_url}/web/{first[4]}/{url}"
    cookies = line(result, "cookies to remember")
    assert stamp(cookies.since) == first[0] and cookies.since.source == "archive"
    assert [(stamp(a), stamp(b)) for a, b in cookies.gaps] == [(first[2], first[3])]
    assert stamp(line(result, "advertising partners").since) == first[1]

    assert check(ctx, policy).outcome == "new_version"
    extended = blame_policy(ctx.db, "pol")
    assert extended.aligned == 1  # the backfilled blame was stored, and extended
    logs = line(extended, "delete logs after 7 days")
    assert logs.since.source == "live" and logs.since.archive_url is None
    assert stamp(line(extended, "precise location").since) == first[1]
