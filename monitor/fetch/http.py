"""Fetching live pages with requests.

Redirects are followed by hand so that every hop passes the private-address guard and a loop is
named as one. Errors are FetchError with `transient` set: retry later (connection errors,
timeouts, 5xx, 429) or tell the operator (404, 403, too large, private address, TLS).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin

import requests
import urllib3

from policywatch.monitor.errors import FetchError
from policywatch.monitor.fetch.deadline import passed as deadline_passed
from policywatch.monitor.fetch.deadline import response_deadline
from policywatch.monitor.fetch.httputil import (
    Proxies,
    ensure_pinning,
    parse_retry_after,
    send_pinned,
)
from policywatch.monitor.fetch.netguard import (
    AddressJudge,
    Resolver,
    Target,
    guard_url,
    is_public_address,
    resolve_host,
    url_problem,
)
from policywatch.monitor.watchlist import Settings

__all__ = ["FetchedPage", "Fetcher", "parse_retry_after"]

MAX_REDIRECTS = 10
READ_SIZE = 16 * 1024  # one read returns what has arrived, up to this much
MAX_RETRY_WAIT = 60.0  # a longer Retry-After is left to the next scheduled check
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
BODY_DEADLINE_FACTOR = 3  # the whole response within 3 × settings.timeout


@dataclass(frozen=True)
class FetchedPage:
    requested_url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    content_type: str | None
    not_modified: bool = False
    redirects: list[str] = field(default_factory=list)
    elapsed_ms: int = 0


def _status_error(url: str, response: requests.Response) -> FetchError:
    status = response.status_code
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if status == 429:
        return FetchError(url, "http_429", "too many requests", transient=True, status=status,
                          retry_after=retry_after)
    if status >= 500:
        return FetchError(url, f"http_{status}", f"server error {status} {response.reason}",
                          transient=True, status=status, retry_after=retry_after)
    detail = {404: "not found: the policy moved or was removed; update its url",
              410: "gone: the policy was removed; update its url",
              401: "requires authentication",
              403: "forbidden (often bot protection)"}.get(status, f"HTTP {status}")
    return FetchError(url, f"http_{status}", detail, transient=False, status=status)


class Fetcher:
    """Fetches one URL politely: guard, conditional GET, redirects, size cap, retries."""

    def __init__(self, session: requests.Session, settings: Settings, *,
                 sleep: Callable[[float], None] = time.sleep,
                 resolver: Resolver = resolve_host, judge: AddressJudge = is_public_address,
                 proxies: Proxies | None = None) -> None:
        self.session = session
        self.settings = settings
        self.sleep = sleep
        self.resolver = resolver
        self.judge = judge  # tests let a loopback address play a public host
        self.proxies = proxies or Proxies()
        ensure_pinning(session)

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FetchedPage:
        headers = {"Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return self._fetch_following_redirects(url, headers)
            except FetchError as error:
                wait = self._retry_wait(error, attempt)
                if wait is None:
                    raise
                self.sleep(wait)
                attempt += 1

    def _retry_wait(self, error: FetchError, attempt: int) -> float | None:
        if not error.transient or attempt >= self.settings.retries:
            return None
        wait = error.retry_after if error.retry_after is not None else 2.0 ** attempt
        return None if wait > MAX_RETRY_WAIT else wait

    def _fetch_following_redirects(self, url: str, headers: Mapping[str, str]) -> FetchedPage:
        started = time.monotonic()
        # Status line, headers and body of every hop, however slowly they trickle in.
        with response_deadline(started + BODY_DEADLINE_FACTOR * self.settings.timeout):
            return self._follow(url, headers, started)

    def _follow(self, url: str, headers: Mapping[str, str], started: float) -> FetchedPage:
        current, chain = url, [url]
        for _ in range(MAX_REDIRECTS + 1):
            target = guard_url(current, allow_private=self.settings.allow_private_addresses,
                               resolver=self.resolver, judge=self.judge)
            response = self._get(target, headers)
            try:
                location = response.headers.get("Location")
                if response.status_code in REDIRECT_STATUSES and location:
                    current = _redirect_target(url, current, location)
                    if current in chain:
                        raise FetchError(url, "redirect_loop",
                                         " → ".join([*chain, current]), transient=False)
                    chain.append(current)
                    continue
                page = self._read(url, current, response, started)
                return replace(page, redirects=chain[1:])
            finally:
                _release(response)
        raise FetchError(url, "too_many_redirects", f"more than {MAX_REDIRECTS} redirects: "
                         + " → ".join(chain), transient=False)

    def _get(self, target: Target, headers: Mapping[str, str]) -> requests.Response:
        url, timeout = target.url, self.settings.timeout
        try:
            request = requests.Request("GET", target.url, headers=dict(headers))
            return send_pinned(self.session, request, target, proxies=self.proxies,
                               timeout=(timeout, timeout), stream=True)
        except requests.exceptions.SSLError as exc:
            raise FetchError(url, "tls_error", str(exc), transient=False) from exc
        except requests.exceptions.Timeout as exc:
            detail = (f"the response took longer than {BODY_DEADLINE_FACTOR * timeout:g} s "
                      f"({BODY_DEADLINE_FACTOR} × timeout) to arrive" if deadline_passed()
                      else f"no answer within {timeout:g} s")
            raise FetchError(url, "timeout", detail, transient=True) from exc
        except requests.exceptions.ConnectionError as exc:
            raise FetchError(url, "connection_error", _short(exc), transient=True) from exc
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                requests.exceptions.MissingSchema) as exc:
            raise FetchError(url, "bad_url", str(exc), transient=False) from exc
        except requests.exceptions.RequestException as exc:
            raise FetchError(url, "request_error", _short(exc), transient=True) from exc

    def _read(self, url: str, final_url: str, response: requests.Response,
              started: float) -> FetchedPage:
        headers = {k: v for k, v in response.headers.items()}
        content_type = response.headers.get("Content-Type")
        if response.status_code == 304:
            return FetchedPage(url, final_url, 304, headers, b"", content_type, not_modified=True,
                               elapsed_ms=_ms_since(started))
        if response.status_code >= 400 or response.status_code < 200:
            raise _status_error(url, response)
        body = self._read_body(url, response, started)
        return FetchedPage(url, final_url, response.status_code, headers, body, content_type,
                           elapsed_ms=_ms_since(started))

    def _read_body(self, url: str, response: requests.Response, started: float) -> bytes:
        limit = self.settings.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, "too_large", f"body of {int(declared):,} bytes exceeds "
                             f"max_bytes = {limit:,}", transient=False)
        # The socket timeout bounds each read; read1 returns whatever has arrived (a server
        # trickling bytes cannot hold one read open for a whole chunk), so the wall-clock
        # deadline, checked after every read, holds for the whole body.
        budget = BODY_DEADLINE_FACTOR * self.settings.timeout
        deadline = started + budget
        chunks, size = [], 0
        try:
            while chunk := response.raw.read1(READ_SIZE, decode_content=True):
                size += len(chunk)
                if size > limit:
                    raise FetchError(url, "too_large", f"body exceeds max_bytes = {limit:,}",
                                     transient=False)
                if time.monotonic() > deadline:
                    raise FetchError(url, "timeout", f"the body took longer than {budget:g} s "
                                     f"(3 × timeout) to arrive ({size:,} bytes so far)",
                                     transient=True)
                chunks.append(chunk)
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError,
                OSError) as exc:
            if isinstance(exc, urllib3.exceptions.ReadTimeoutError | TimeoutError):
                detail = (f"the body took longer than {budget:g} s (3 × timeout) to arrive "
                          f"({size:,} bytes so far)" if deadline_passed() else
                          f"no data for {self.settings.timeout:g} s while reading the body")
                raise FetchError(url, "timeout", detail, transient=True) from exc
            raise FetchError(url, "read_error", _short(exc), transient=True) from exc
        return b"".join(chunks)


def _release(response: requests.Response) -> None:
    """Give the connection back to the pool (keep-alive) when the body has been read to its end
    or is empty (a 304); close it otherwise: draining an unread body could take as long as the
    sender likes."""
    raw = response.raw
    try:
        if raw.isclosed() or raw.length_remaining == 0:
            raw.drain_conn()  # nothing left to read: this only finishes the response
            raw.release_conn()
            return
    except (urllib3.exceptions.HTTPError, OSError):
        pass
    response.close()


def _redirect_target(url: str, current: str, location: str) -> str:
    """The absolute URL a Location header points to; a Location with characters parsers read
    differently (backslash, control characters, user info) is refused, not followed."""
    # Servers do send unescaped spaces in a path; requests encodes them, so they pass.
    problem = url_problem(location.replace(" ", "%20"))
    if problem:
        raise FetchError(url, "bad_url", f"redirect from {current} to {location!r} refused: "
                         f"the Location {problem}", transient=False)
    return urljoin(current, location)


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _short(exc: Exception) -> str:
    text = str(exc)
    # urllib3 nests the useful part ("Connection refused") deep inside a long repr.
    for marker in ("Connection refused", "Name or service not known", "Connection reset",
                   "Read timed out", "Remote end closed"):
        if marker in text:
            return marker
    return text[:300]
