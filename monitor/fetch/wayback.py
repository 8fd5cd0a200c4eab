"""A small Wayback Machine client: the CDX index and raw (`id_`) captures.

Why not a library: `waybackpy` 3.0.6 sets no request timeout, retries only on https, returns zero
captures on a 503 and does not handle 429; EDGI's `wayback` handles timeouts, 429 and rate limits
but hard-codes https://web.archive.org (the CDX URL is a module constant and `get_memento()` parses
every response URL against a web.archive.org pattern), aborts a whole search on one malformed index
line, and sleeps with the real clock. See bench/wayback_libraries.py for the side-by-side run.

This client speaks to any base URL (`settings.archive_url`: the archive, a mirror or a test
server), asks the CDX index for JSON, pages with resume keys, skips and reports malformed index
rows, honours Retry-After on 429, retries 5xx and timeouts with exponential backoff, and keeps to
per-endpoint rate limits. Time is injected (`now`, `sleep`) so tests never wait.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

import requests

from policywatch.monitor.errors import FetchError
from policywatch.monitor.fetch.httputil import parse_retry_after

TIMESTAMP = re.compile(r"^\d{14}$")
INDEX_FIELDS = ("timestamp", "original", "mimetype", "statuscode", "digest", "length")
SUCCESS_FILTER = "statuscode:2.."  # CDX filters are regexes matched against the whole field
INDEX_PAGE_SIZE = 5000
MAX_RETRY_AFTER = 600.0  # a longer Retry-After fails the request (transient) instead of stalling
T = TypeVar("T")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


@dataclass(frozen=True)
class Capture:
    """One row of the CDX index."""

    timestamp: str  # 14 digits, UTC
    original: str
    digest: str
    mimetype: str | None = None
    statuscode: int | None = None
    length: int | None = None


@dataclass
class Listing:
    """The captures of a URL, oldest first, and the index rows that could not be read."""

    captures: list[Capture] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)
    queries: int = 0


@dataclass(frozen=True)
class RawCapture:
    body: bytes
    status: int
    content_type: str | None
    headers: dict[str, str]
    archive_url: str
    final_url: str


class Throttle:
    """At most `per_second` calls per second: wait() sleeps until the next call is allowed.
    Thread-safe, so that concurrent backfills can share one (see shared_throttle)."""

    def __init__(self, per_second: float, now: Callable[[], float],
                 sleep: Callable[[float], None]) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.now = now
        self.sleep = sleep
        self.next_allowed: float | None = None
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:  # held while sleeping: waiters queue up, one slot each
            current = self.now()
            if self.next_allowed is not None and current < self.next_allowed:
                self.sleep(self.next_allowed - current)
                current = self.next_allowed
            self.next_allowed = current + self.interval

    def defer(self, seconds: float) -> None:
        """Nothing before `seconds` from now (the server asked us to wait)."""
        with self.lock:
            self.next_allowed = max(self.next_allowed or 0.0, self.now() + seconds)


_SHARED: dict[tuple[object, ...], Throttle] = {}
_SHARED_GUARD = threading.Lock()


def shared_throttle(base_url: str, endpoint: str, per_second: float,
                    now: Callable[[], datetime], sleep: Callable[[float], None]) -> Throttle:
    """The process's one throttle for this archive endpoint ('index' or 'capture') and rate:
    backfills running side by side (the service runs several) keep to the limit together.
    Contexts with their own clock and sleep (tests) get their own."""
    key = (base_url.rstrip("/"), endpoint, per_second, now, sleep)
    with _SHARED_GUARD:
        if key not in _SHARED:
            _SHARED[key] = Throttle(per_second, lambda: now().timestamp(), sleep)
        return _SHARED[key]


def _optional_int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def parse_index_rows(rows: list[Any]) -> tuple[list[Capture], list[str], str | None]:
    """Captures, malformed rows (as text) and the resume key of one JSON CDX page.

    The first row names the fields; a resume key ends the page as `[]` then `["key"]`."""
    if not rows:
        return [], [], None
    resume_key = None
    if len(rows) >= 2 and rows[-2] == [] and isinstance(rows[-1], list) and len(rows[-1]) == 1:
        resume_key = str(rows[-1][0])
        rows = rows[:-2]
    header = rows[0]
    if not isinstance(header, list) or not {"timestamp", "original", "digest"} <= set(header):
        raise ValueError(f"the index header row names no timestamp/original/digest: {header!r}")
    captures: list[Capture] = []
    malformed: list[str] = []
    for row in rows[1:]:
        capture = _capture_from_row(header, row)
        if capture is None:
            malformed.append(json.dumps(row)[:200])
        else:
            captures.append(capture)
    return captures, malformed, resume_key


def _capture_from_row(header: list[Any], row: Any) -> Capture | None:
    if not isinstance(row, list) or len(row) != len(header):
        return None
    if not all(isinstance(cell, str) for cell in row):
        return None
    values = dict(zip(header, row, strict=True))
    if not TIMESTAMP.match(values["timestamp"]) or not values["digest"].strip():
        return None
    if not values["original"].startswith(("http://", "https://")):
        return None
    return Capture(
        timestamp=values["timestamp"], original=values["original"], digest=values["digest"],
        mimetype=values.get("mimetype") or None,
        statuscode=_optional_int(values.get("statuscode", "")),
        length=_optional_int(values.get("length", "")),
    )


class ArchiveClient:
    """The CDX index and raw captures of one archive (base URL), with retries and rate limits."""

    def __init__(self, session: requests.Session, *, base_url: str, timeout: float,
                 retries: int, index_rate: float, capture_rate: float, max_bytes: int,
                 now: Callable[[], datetime], sleep: Callable[[float], None],
                 backoff: float = 1.0, page_size: int = INDEX_PAGE_SIZE,
                 throttles: tuple[Throttle, Throttle] | None = None) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.max_bytes = max_bytes
        self.now = now
        self.sleep = sleep
        self.backoff = backoff
        self.page_size = page_size
        seconds = lambda: now().timestamp()  # noqa: E731
        # (index, capture): shared ones from shared_throttle(), or this client's own.
        self.index_throttle, self.capture_throttle = throttles or (
            Throttle(index_rate, seconds, sleep), Throttle(capture_rate, seconds, sleep))

    # --- the index ---------------------------------------------------------------------------

    def index_query(self, url: str, *, since: date | datetime | str | None = None,
                    until: date | datetime | str | None = None,
                    collapse: bool = True) -> dict[str, str]:
        params = {"url": url, "output": "json", "fl": ",".join(INDEX_FIELDS),
                  "filter": SUCCESS_FILTER, "limit": str(self.page_size),
                  "showResumeKey": "true"}
        if collapse:
            params["collapse"] = "digest"
        if since is not None:
            params["from"] = _cdx_time(since)
        if until is not None:
            params["to"] = _cdx_time(until)
        return params

    def list_captures(self, url: str, *, since: date | datetime | str | None = None,
                      until: date | datetime | str | None = None,
                      collapse: bool = True) -> Listing:
        """Every successful capture of `url` in [since, until], oldest first; with `collapse`,
        adjacent captures with the same digest are listed once. Raises FetchError when a page
        of the index cannot be read after the retries."""
        listing = Listing()
        for captures, malformed in self._index_pages(
                self.index_query(url, since=since, until=until, collapse=collapse)):
            listing.captures.extend(captures)
            listing.malformed.extend(malformed)
            listing.queries += 1
        listing.captures.sort(key=lambda c: c.timestamp)
        return listing

    def _index_pages(self, params: dict[str, str]) -> Iterator[tuple[list[Capture], list[str]]]:
        endpoint = f"{self.base_url}/cdx/search/cdx"
        seen_keys: set[str] = set()
        while True:
            captures, malformed, resume_key = self._index_page(endpoint, params)
            yield captures, malformed
            if not resume_key or resume_key in seen_keys:
                return  # no more pages (a repeated key would loop forever)
            seen_keys.add(resume_key)
            params = {**params, "resumeKey": resume_key}

    def _index_page(self, endpoint: str,
                    params: dict[str, str]) -> tuple[list[Capture], list[str], str | None]:
        def read(response: requests.Response) -> tuple[list[Capture], list[str], str | None]:
            if response.status_code >= 400:
                raise FetchError(endpoint, f"http_{response.status_code}",
                                 f"the index answered {response.status_code}",
                                 transient=False, status=response.status_code)
            try:
                rows = json.loads(response.content) if response.content.strip() else []
                if not isinstance(rows, list):
                    raise ValueError("the answer is not a JSON list")
                return parse_index_rows(rows)
            except ValueError as exc:
                # A truncated or garbled page is retried like a 5xx: the archive has those.
                raise _Retry(FetchError(endpoint, "bad_index", f"unreadable index page: {exc}",
                                        transient=True, status=response.status_code)) from exc

        return self._retrying(endpoint, params, self.index_throttle, read)

    # --- raw captures ------------------------------------------------------------------------

    def capture_url(self, capture: Capture) -> str:
        """The raw (`id_`) URL: the bytes as captured, without the archive's rewriting."""
        return f"{self.base_url}/web/{capture.timestamp}id_/{capture.original}"

    def download(self, capture: Capture) -> RawCapture:
        """The captured bytes. Raises FetchError (transient or permanent) when they cannot be
        had, including when the archive redirects to a capture from another time."""
        url = self.capture_url(capture)

        def read(response: requests.Response) -> RawCapture:
            if response.status_code >= 400:
                raise FetchError(url, f"http_{response.status_code}",
                                 f"the archive answered {response.status_code}",
                                 transient=False, status=response.status_code)
            moved = re.search(r"/web/(\d{14})", response.url)
            if moved and moved.group(1) != capture.timestamp:
                raise FetchError(url, "other_capture", "the archive redirected to the capture "
                                 f"of {moved.group(1)}", transient=False)
            return RawCapture(body=self._read_capped(response, url),
                              status=response.status_code,
                              content_type=response.headers.get("Content-Type"),
                              headers=dict(response.headers), archive_url=url,
                              final_url=response.url)

        return self._retrying(url, None, self.capture_throttle, read, stream=True)

    def _read_capped(self, response: requests.Response, url: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(65536):
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(url, "too_large", f"more than {self.max_bytes} bytes",
                                     transient=False)
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise _Retry(FetchError(url, _error_reason(exc), str(exc), transient=True)) from exc
        return b"".join(chunks)

    # --- requests with retries ---------------------------------------------------------------

    def _retrying(self, url: str, params: dict[str, str] | None, throttle: Throttle,
                  read: Callable[[requests.Response], T], *, stream: bool = False) -> T:
        """GET and read(), retrying on 429 (after Retry-After), 5xx, timeouts, connection
        errors and whatever read() marks retryable; raises the last FetchError."""
        error: FetchError | None = None
        for attempt in range(self.retries + 1):
            if error is not None:
                if error.retry_after is not None and error.retry_after > MAX_RETRY_AFTER:
                    break
                self._pause(error, attempt, throttle)
            throttle.wait()
            try:
                response = self.session.get(url, params=params, timeout=self.timeout,
                                            stream=stream)
            except requests.RequestException as exc:
                error = FetchError(url, _error_reason(exc), str(exc), transient=True)
                continue
            try:
                if response.status_code in RETRY_STATUSES:
                    error = _status_error(url, response, self.now())
                    continue
                return read(response)
            except _Retry as retry:
                error = retry.error
            finally:
                response.close()
        assert error is not None
        raise error

    def _pause(self, error: FetchError, attempt: int, throttle: Throttle) -> None:
        """Wait before retry number `attempt`: Retry-After when given, else backoff."""
        delay = self.backoff * 2 ** (attempt - 1)
        if error.retry_after is not None:
            delay = max(delay, error.retry_after)
        throttle.defer(delay)


class _Retry(Exception):
    """Raised by a response reader: this attempt failed, but another may succeed."""

    def __init__(self, error: FetchError) -> None:
        super().__init__(str(error))
        self.error = error


def _status_error(url: str, response: requests.Response, now: datetime) -> FetchError:
    retry_after = parse_retry_after(response.headers.get("Retry-After"), now.timestamp())
    return FetchError(url, f"http_{response.status_code}",
                      f"the archive answered {response.status_code}"
                      + (f" (Retry-After {retry_after:g} s)" if retry_after is not None else ""),
                      transient=True, status=response.status_code, retry_after=retry_after)


def _error_reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "timeout"
    if isinstance(exc, requests.ConnectionError):
        return "connection_error"
    return "request_error"


def _cdx_time(value: date | datetime | str) -> str:
    """CDX `from`/`to`: a date as YYYYMMDD (the index widens it to the whole day), a datetime
    or a 14-digit timestamp as given."""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y%m%d%H%M%S")
    return value.strftime("%Y%m%d")
