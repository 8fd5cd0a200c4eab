"""The archive client against a local archive: CDX selection, paging, malformed rows, retries
(429 + Retry-After, 5xx, timeouts), rate limits and the size cap."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from policywatch.monitor.errors import FetchError
from policywatch.monitor.fetch.httputil import parse_retry_after
from policywatch.monitor.fetch.wayback import ArchiveClient, Capture, shared_throttle
from tests.support.archive_server import ArchivedCapture, ArchiveServer, FakeTime, Fault

CASES = Path(__file__).parent / "cases" / "wayback"
FAULTS: dict[str, Any] = json.loads((CASES / "client_faults.json").read_text())
LISTINGS: dict[str, Any] = json.loads((CASES / "index_listing.json").read_text())
URL = "https://example.com/legal/privacy"
START = datetime(2026, 1, 1, tzinfo=UTC)


class TimedSession(requests.Session):
    """Records the (fake) time of every request, to check the rate limits."""

    def __init__(self, fake: FakeTime) -> None:
        super().__init__()
        self.fake = fake
        self.times: list[tuple[str, float]] = []

    def request(self, method: str | bytes, url: str | bytes,
                *args: Any, **kwargs: Any) -> requests.Response:
        kind = "index" if "/cdx/" in str(url) else "capture"
        self.times.append((kind, self.fake.clock().timestamp()))
        return super().request(method, url, *args, **kwargs)


@pytest.fixture()
def archive() -> Iterator[ArchiveServer]:
    with ArchiveServer() as server:
        yield server


def make_client(archive: ArchiveServer, fake: FakeTime, **overrides: Any) -> ArchiveClient:
    options: dict[str, Any] = {"timeout": 1.0, "retries": 2, "index_rate": 1.0,
                               "capture_rate": 4.0, "max_bytes": 100_000}
    options.update(overrides)
    return ArchiveClient(TimedSession(fake), base_url=archive.base_url, now=fake.clock,
                         sleep=fake.sleep, **options)


def page(label: str) -> bytes:
    return f"<html><body><main><p>Policy text {label}.</p></main></body></html>".encode()


@pytest.mark.parametrize("name", sorted(k for k in LISTINGS if not k.startswith("_")))
def test_listing_selects_like_the_cdx_index(archive: ArchiveServer, name: str) -> None:
    case = LISTINGS[name]
    archive.add(*[ArchivedCapture(ts, URL, page(label), statuscode=status)
                  for ts, label, status in case["captures"]])
    since = date.fromisoformat(case["since"]) if "since" in case else None
    until = date.fromisoformat(case["until"]) if "until" in case else None
    listing = make_client(archive, FakeTime(START)).list_captures(URL, since=since, until=until)
    assert [c.timestamp for c in listing.captures] == case["expect"]
    assert listing.malformed == []


def test_listing_follows_resume_keys_across_pages(archive: ArchiveServer) -> None:
    stamps = [f"2020{month:02d}01000000" for month in range(1, 12)]
    archive.add(*[ArchivedCapture(ts, URL, page(ts)) for ts in stamps])
    client = make_client(archive, FakeTime(START), page_size=3)
    listing = client.list_captures(URL)
    assert [c.timestamp for c in listing.captures] == stamps
    assert listing.queries == 4
    assert [q.get("resumeKey") is not None for q in archive.state.index_requests] == \
        [False, True, True, True]


def test_listing_matches_the_url_without_scheme_or_www(archive: ArchiveServer) -> None:
    archive.add(ArchivedCapture("20200101000000", "http://www.example.com/legal/privacy/",
                                page("a")),
                ArchivedCapture("20200102000000", "https://example.com/legal/other", page("b")))
    listing = make_client(archive, FakeTime(START)).list_captures(URL)
    assert [c.original for c in listing.captures] == ["http://www.example.com/legal/privacy/"]


@pytest.mark.parametrize("row", [
    ["20200105000000", URL],  # too few cells
    ["2020-01-05", URL, "text/html", "200", "ABCDEF", "12"],  # not a 14-digit timestamp
    ["20200105000000", "mailto:someone@example.com", "text/html", "200", "ABCDEF", "12"],
    ["20200105000000", URL, "text/html", "200", "", "12"],  # no digest
    [20200105000000, URL, "text/html", "200", "ABCDEF", "12"],  # a number, not text
])
def test_a_malformed_index_row_is_skipped_and_reported(archive: ArchiveServer,
                                                       row: list[object]) -> None:
    archive.add(*[ArchivedCapture(f"2020010{day}000000", URL, page(str(day)))
                  for day in (1, 2, 3)])
    archive.add_malformed_row(1, row)
    listing = make_client(archive, FakeTime(START)).list_captures(URL)
    assert [c.timestamp[:8] for c in listing.captures] == ["20200101", "20200102", "20200103"]
    assert listing.malformed == [json.dumps(row)]


@pytest.mark.parametrize("name", sorted(k for k in FAULTS if not k.startswith("_")))
def test_fault(archive: ArchiveServer, name: str) -> None:
    case = FAULTS[name]
    capture = ArchivedCapture("20200101000000", URL, page("a"))
    archive.add(capture)
    faults = [Fault(status=f["status"], retry_after=f.get("retry_after"),
                    delay=f.get("delay", 0.0), body=f.get("body", "busy").encode())
              for f in case["faults"]]
    fake = FakeTime(START)
    client = make_client(archive, fake)

    def action() -> object:
        if case["target"] == "index":
            return client.list_captures(URL).captures
        return client.download(Capture(capture.timestamp, URL, capture.digest))

    if case["target"] == "index":
        archive.fail_index(*faults)
    else:
        archive.fail_capture(capture.timestamp, *faults)
    if case["expect"] == "ok":
        assert action()
    else:
        with pytest.raises(FetchError) as raised:
            action()
        assert raised.value.reason == case["expect"]
    seen = (len(archive.state.index_requests) if case["target"] == "index"
            else archive.state.capture_requests[capture.timestamp])
    assert seen == case["requests"]
    if "min_wait" in case:
        assert max(fake.waits) >= case["min_wait"]


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Sun, 01 Mar 2026 12:00:42 GMT", now.timestamp()) == 42
    assert parse_retry_after("30", now.timestamp()) == 30
    assert parse_retry_after("soon", now.timestamp()) is None
    assert parse_retry_after(None, now.timestamp()) is None


def test_downloads_and_index_queries_keep_to_the_rate_limits(archive: ArchiveServer) -> None:
    stamps = [f"202001{day:02d}000000" for day in range(1, 11)]
    archive.add(*[ArchivedCapture(ts, URL, page(ts)) for ts in stamps])
    fake = FakeTime(START)
    client = make_client(archive, fake, page_size=4, index_rate=1.0, capture_rate=4.0)
    for capture in client.list_captures(URL).captures:
        client.download(capture)
    times: list[tuple[str, float]] = client.session.times  # type: ignore[attr-defined]
    for kind, rate in (("index", 1.0), ("capture", 4.0)):
        moments = [t for k, t in times if k == kind]
        gaps = [b - a for a, b in zip(moments, moments[1:], strict=False)]
        assert len(moments) == (3 if kind == "index" else 10)
        assert min(gaps) >= 1 / rate - 1e-6


def test_clients_of_one_archive_share_its_rate_limit(archive: ArchiveServer) -> None:
    # The service backfills several policies at once: together they keep to the limit.
    stamps = [f"202001{day:02d}000000" for day in range(1, 13)]
    archive.add(*[ArchivedCapture(ts, URL, page(ts)) for ts in stamps])
    fake = FakeTime(START)
    session = TimedSession(fake)
    throttles = (shared_throttle(archive.base_url, "index", 1.0, fake.clock, fake.sleep),
                 shared_throttle(archive.base_url, "capture", 4.0, fake.clock, fake.sleep))
    clients = [ArchiveClient(session, base_url=archive.base_url, timeout=5, retries=0,
                             index_rate=1.0, capture_rate=4.0, max_bytes=100_000,
                             now=fake.clock, sleep=fake.sleep, throttles=throttles)
               for _ in range(3)]
    captures = make_client(archive, FakeTime(START)).list_captures(URL).captures
    workers = [threading.Thread(target=lambda c=client, part=captures[i::3]: [
        c.download(capture) for capture in part]) for i, client in enumerate(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    moments = sorted(t for kind, t in session.times if kind == "capture")
    assert len(moments) == 12
    assert min(b - a for a, b in itertools.pairwise(moments)) >= 0.25 - 1e-6


def test_a_capture_larger_than_max_bytes_fails_permanently(archive: ArchiveServer) -> None:
    capture = ArchivedCapture("20200101000000", URL, b"<p>" + b"x" * 5000 + b"</p>")
    archive.add(capture)
    client = make_client(archive, FakeTime(START), max_bytes=1000)
    with pytest.raises(FetchError) as raised:
        client.download(Capture(capture.timestamp, URL, capture.digest))
    assert raised.value.reason == "too_large" and not raised.value.transient


def test_download_is_the_raw_capture(archive: ArchiveServer) -> None:
    capture = ArchivedCapture("20200101000000", URL, page("raw"),
                              content_type="text/html; charset=iso-8859-1")
    archive.add(capture)
    client = make_client(archive, FakeTime(START))
    raw = client.download(Capture(capture.timestamp, URL, capture.digest))
    assert raw.body == capture.body
    assert raw.content_type == "text/html; charset=iso-8859-1"
    assert raw.archive_url == f"{archive.base_url}/web/20200101000000id_/{URL}"
    assert archive.downloads == {capture.digest: 1}
