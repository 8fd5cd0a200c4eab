"""Wayback backfill end to end against a local archive serving a real policy history (every
version captured several times, with identical bytes and chrome-only differences interleaved).

Real histories come from ../shared/corpus/histories (Open Terms Archive, ODC-By); without them,
a synthetic history keeps the core tests running.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from policywatch.monitor.context import Context
from policywatch.monitor.extract import extract
from policywatch.monitor.history.backfill import BackfillReport, backfill_policy, needs_backfill
from policywatch.monitor.textnorm import key_hash
from policywatch.monitor.timeutil import from_archive_timestamp, iso
from policywatch.monitor.watchlist import Policy
from policywatch.storage import archive as archive_store
from policywatch.storage.changes import policy_changes
from policywatch.storage.db import open_db
from policywatch.storage.outbox import list_alerts
from policywatch.storage.snapshots import policy_snapshots
from policywatch.storage.versions import timeline
from tests.support.archive_server import (
    ArchivedCapture,
    ArchiveServer,
    FakeTime,
    corpus_history,
    history_captures,
)
from tests.support.config import load, write_watchlist
from tests.support.pages import policy_page

URL = "https://www.example.com/legal/privacy"
FIRST_CAPTURE = datetime(2019, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def synthetic_history() -> list[str]:
    """Six versions: additions, a rewording, a removal, and one change of form only (curly
    quotes), which is not a new version."""
    base = ["# Privacy Policy",
            "This policy explains what personal data Example Ltd collects when you use the "
            "Example service, why we collect it, and the choices you have.",
            "## What we collect",
            "We collect your name and email address when you sign up, and the messages you "
            "send to our support team.",
            "We use it to run the service, to keep your account secure and to answer you.",
            "## Your choices",
            "You can ask us to delete your data at any time by writing to privacy@example.com.",
            "We keep your data for as long as your account is open, and for 30 days after. "
            "We'll tell you before we change this policy, and we don't sell your data."]
    v2 = base + ["We share data with payment processors so that we can bill you."]
    v3 = [line.replace("We use it", "We use your data") for line in v2]
    v4 = [line.replace("We'", "We\u2019").replace("don't", "don\u2019t") for line in v3]
    v5 = v4 + ["## Advertising", "We share device identifiers with advertising partners, who "
               "may combine them with other data they hold about you."]
    v6 = [line for line in v5 if "delete your data" not in line]
    return ["\n\n".join(lines) for lines in (base, v2, v3, v4, v5, v6)]


def history(collection: str, service: str) -> list[str]:
    return corpus_history(collection, service) or synthetic_history()


def render(text: str, chrome: int) -> str:
    return policy_page(text, chrome=chrome)


def page_key(text: str) -> str:
    """The identity of a history text as published: the key of its page's extracted text (the
    source Markdown's escapes are not what a reader of the page sees)."""
    return key_hash(extract(render(text, 0).encode("utf-8"),
                            content_type="text/html; charset=utf-8"))


@dataclass
class Env:
    archive: ArchiveServer
    ctx: Context
    policy: Policy
    fake: FakeTime
    plan: list[list[ArchivedCapture]]

    def run(self, **kwargs: Any) -> BackfillReport:
        return backfill_policy(self.ctx, self.policy, **kwargs)


def make_env(archive: ArchiveServer, directory: Path, texts: list[str],
             wayback: Any = True) -> Env:
    plan = history_captures(texts, URL, render, FIRST_CAPTURE)
    archive.add(*itertools.chain.from_iterable(plan))
    directory.mkdir(parents=True, exist_ok=True)
    watchlist = load(write_watchlist(directory, [{"name": "pol", "url": URL, "wayback": wayback}],
                                     {"archive_url": archive.base_url, "timeout": 1.0}))
    fake = FakeTime(NOW)
    ctx = Context(watchlist=watchlist, db=open_db(watchlist.settings.database),
                  session=requests.Session(), clock=fake.clock, sleep=fake.sleep)
    return Env(archive, ctx, watchlist.policies[0], fake, plan)


@pytest.fixture()
def archive() -> Iterator[ArchiveServer]:
    with ArchiveServer() as server:
        yield server


@pytest.fixture()
def env(archive: ArchiveServer, tmp_path: Path) -> Env:
    return make_env(archive, tmp_path, history("contrib", "Xanga"))


def seen(timestamp: str) -> str:
    return iso(from_archive_timestamp(timestamp))


def expected_timeline(texts: list[str], plan: list[list[ArchivedCapture]]
                      ) -> list[tuple[str, str, str, str]]:
    """(hash, first capture's timestamp, first seen, last seen) of each run of consecutive
    texts with the same key."""
    runs: list[tuple[str, str, str, str]] = []
    for text, captures in zip(texts, plan, strict=True):
        key = page_key(text)
        first, last = captures[0].timestamp, seen(captures[-1].timestamp)
        if runs and runs[-1][0] == key:
            runs[-1] = (*runs[-1][:3], last)
        else:
            runs.append((key, first, seen(first), last))
    return runs


def stored_timeline(env: Env) -> list[tuple[str, str | None, str, str]]:
    return [(v.norm_hash, v.archive_timestamp, v.first_seen, v.last_seen)
            for v in timeline(env.ctx.db, "pol")]


def dump(db: Any, policy: str) -> dict[str, Any]:
    """Everything a backfill leaves behind, independent of row ids."""
    versions = timeline(db, policy)
    hashes = {v.id: v.norm_hash for v in versions}
    return {
        "versions": [(v.norm_hash, v.first_seen, v.last_seen, v.source, v.archive_timestamp,
                      v.chars) for v in versions],
        "changes": sorted((hashes.get(c.from_version_id), hashes.get(c.to_version_id),
                           c.window_start, c.window_end, c.source)
                          for c in policy_changes(db, policy)),
        "snapshots": sorted((s.archive_timestamp, s.archive_digest, s.blob_sha256)
                            for s in policy_snapshots(db, policy)),
        # stored/duplicate only say which capture of a digest was the one downloaded.
        "captures": [(c.timestamp, c.digest, "placed" if c.status in ("stored", "duplicate")
                      else c.status, c.reason) for c in archive_store.all_captures(db, policy)],
    }


def clean_run_dump(texts: list[str], directory: Path) -> dict[str, Any]:
    with ArchiveServer() as other:
        reference = make_env(other, directory, texts)
        reference.run()
        return dump(reference.ctx.db, "pol")


def test_backfill_stores_each_distinct_version_in_order_with_capture_dates(env: Env) -> None:
    report = env.run()
    assert stored_timeline(env) == expected_timeline(history("contrib", "Xanga"), env.plan)
    versions = timeline(env.ctx.db, "pol")
    assert {v.source for v in versions} == {"archive"}
    assert report.failed == [] and report.versions_added == len(versions)


def test_each_distinct_digest_is_downloaded_exactly_once(env: Env) -> None:
    report = env.run()
    digests = {c.digest for c in itertools.chain.from_iterable(env.plan)}
    assert env.archive.downloads == {digest: 1 for digest in digests}
    assert report.downloaded == len(digests)
    assert report.listed > report.distinct_digests  # the same bytes were listed again


def test_texts_that_come_back_are_separate_versions_downloaded_once(archive: ArchiveServer,
                                                                    tmp_path: Path) -> None:
    # Threads' policy alternates between a few texts: 20 versions, far fewer distinct texts.
    texts = history("pga", "Threads")
    env = make_env(archive, tmp_path, texts)
    env.run()
    assert stored_timeline(env) == expected_timeline(texts, env.plan)
    assert set(env.archive.downloads.values()) == {1}


def test_changes_carry_dating_windows_and_never_alert(env: Env) -> None:
    env.run()
    runs = expected_timeline(history("contrib", "Xanga"), env.plan)
    changes = sorted(policy_changes(env.ctx.db, "pol"), key=lambda c: c.window_end)
    assert [(c.window_start, c.window_end) for c in changes] == \
        [(old[3], new[2]) for old, new in itertools.pairwise(runs)]
    assert {c.source for c in changes} == {"archive"}
    assert all(c.detected_at == c.window_end for c in changes)
    assert list_alerts(env.ctx.db) == []


def test_a_second_run_downloads_nothing_and_changes_nothing(env: Env) -> None:
    env.run()
    before = dump(env.ctx.db, "pol")
    downloads = env.archive.downloads
    report = env.run()
    assert env.archive.downloads == downloads
    assert report.downloaded == 0 and report.versions_added == 0
    assert dump(env.ctx.db, "pol") == before


def test_needs_backfill_until_a_full_run_has_finished(env: Env) -> None:
    assert needs_backfill(env.ctx, env.policy)
    env.run(until=date(2019, 6, 1))
    assert needs_backfill(env.ctx, env.policy)  # a partial run does not count
    env.run()
    assert not needs_backfill(env.ctx, env.policy)


def test_an_earlier_since_in_the_watchlist_needs_another_run(archive: ArchiveServer,
                                                             tmp_path: Path) -> None:
    env = make_env(archive, tmp_path, synthetic_history(), wayback={"since": "2019-03-01"})
    env.run()
    assert not needs_backfill(env.ctx, env.policy)
    earlier = Policy(name="pol", url=URL, interval=86400,
                     wayback=type(env.policy.wayback)(since=date(2019, 1, 1)))  # type: ignore[misc]
    assert needs_backfill(env.ctx, earlier)
    assert timeline(env.ctx.db, "pol")[0].first_seen >= "2019-03-01"


@pytest.mark.parametrize("pieces", [
    [{"until": date(2019, 9, 1)}, {}],  # older half first, then all: versions appended
    [{"since": date(2019, 9, 1)}, {}],  # newer half first: older versions inserted before
    [{"since": date(2019, 5, 1), "until": date(2019, 9, 1)}, {}],  # the middle first
])
def test_a_backfill_in_pieces_ends_like_one_run(archive: ArchiveServer, tmp_path: Path,
                                                pieces: list[dict[str, date]]) -> None:
    texts = history("contrib", "Xanga")
    env = make_env(archive, tmp_path / "pieces", texts)
    for piece in pieces:
        env.run(**piece)
    # A piece may list, as its first capture, one that the whole listing collapses away: the
    # captures differ, the history does not.
    whole = clean_run_dump(texts, tmp_path / "whole")
    assert {k: v for k, v in dump(env.ctx.db, "pol").items() if k in ("versions", "changes")} \
        == {k: whole[k] for k in ("versions", "changes")}
    assert set(env.archive.downloads.values()) == {1}
