"""A Wayback Machine on 127.0.0.1 for tests: the part of the CDX index API the client uses and
raw (`id_`) captures, with faults on demand.

CDX: `url` (exact, scheme- and www-insensitive), `from`/`to` (timestamp prefixes), `filter`
(`[!]field:regex`, several allowed), `collapse` (adjacent rows with the same field), `fl`,
`output=json`, `limit`, `showResumeKey`/`resumeKey`. Faults: queued replies for the index or for
one capture (status, Retry-After, a delay beyond the client timeout), and malformed index rows.
Downloads are counted per digest (only the ones served in full).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
RAW = re.compile(r"^/web/(\d{14})id_/(.+)$")


def cdx_digest(body: bytes) -> str:
    """The archive's digest: base32 of the SHA-1 of the payload."""
    return base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def canonical(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path.rstrip('/') or '/'}{'?' + parts.query if parts.query else ''}"


@dataclass(frozen=True)
class ArchivedCapture:
    timestamp: str
    original: str
    body: bytes
    statuscode: int = 200
    content_type: str = "text/html; charset=utf-8"

    @property
    def digest(self) -> str:
        return cdx_digest(self.body)

    def row(self) -> dict[str, str]:
        return {"urlkey": canonical(self.original), "timestamp": self.timestamp,
                "original": self.original, "mimetype": self.content_type.split(";")[0],
                "statuscode": str(self.statuscode), "digest": self.digest,
                "length": str(len(self.body))}


@dataclass(frozen=True)
class Fault:
    """One faulty reply: a status (with Retry-After), after `delay` seconds."""

    status: int = 503
    retry_after: str | None = None
    delay: float = 0.0
    body: bytes = b"Service Unavailable"


@dataclass
class ArchiveState:
    captures: list[ArchivedCapture] = field(default_factory=list)
    downloads: Counter[str] = field(default_factory=Counter)  # digest → full downloads
    capture_requests: Counter[str] = field(default_factory=Counter)  # timestamp → requests
    index_requests: list[dict[str, list[str]]] = field(default_factory=list)
    index_faults: deque[Fault] = field(default_factory=deque)
    capture_faults: dict[str, deque[Fault]] = field(default_factory=dict)
    malformed: list[tuple[int, list[object]]] = field(default_factory=list)
    capture_delay: float = 0.0  # every download takes this long (to kill a run midway)


class ArchiveServer:
    """`with ArchiveServer() as archive:`; base_url goes in settings.archive_url."""

    def __init__(self) -> None:
        self.state = ArchiveState()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        # A short poll interval: shutdown() waits for it, at every test's teardown.
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,),
                                       daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> ArchiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- set-up ------------------------------------------------------------------------------

    def add(self, *captures: ArchivedCapture) -> None:
        with self.lock:
            self.state.captures.extend(captures)
            self.state.captures.sort(key=lambda c: c.timestamp)

    def fail_index(self, *faults: Fault) -> None:
        with self.lock:
            self.state.index_faults.extend(faults)

    def fail_capture(self, timestamp: str, *faults: Fault) -> None:
        with self.lock:
            self.state.capture_faults.setdefault(timestamp, deque()).extend(faults)

    def add_malformed_row(self, position: int, row: list[object]) -> None:
        """Insert `row` at `position` among the data rows of the first index page."""
        with self.lock:
            self.state.malformed.append((position, row))

    @property
    def downloads(self) -> Counter[str]:
        with self.lock:
            return Counter(self.state.downloads)

    # --- the index ---------------------------------------------------------------------------

    def cdx(self, query: dict[str, list[str]]) -> tuple[int, bytes]:
        with self.lock:
            self.state.index_requests.append(query)
            if self.state.index_faults:
                raise _FaultReply(self.state.index_faults.popleft())
            rows = [c.row() for c in self.state.captures]
            malformed = list(self.state.malformed)
        rows = _select(rows, query)
        fields = (query.get("fl", [",".join(CDX_FIELDS)])[0]).split(",")
        table: list[list[object]] = [[row[f] for f in fields] for row in rows]
        offset = int(base64.urlsafe_b64decode(query["resumeKey"][0]).decode()) \
            if "resumeKey" in query else 0
        limit = int(query.get("limit", ["0"])[0]) or len(table)
        page = table[offset:offset + limit]
        if offset == 0:
            for position, bad in sorted(malformed, key=lambda m: m[0], reverse=True):
                page.insert(min(position, len(page)), bad)
        more = offset + limit < len(table)
        key = base64.urlsafe_b64encode(str(offset + limit).encode()).decode() if more else None
        if query.get("showResumeKey", ["false"])[0] != "true":
            key = None
        if query.get("output", [""])[0] != "json":
            # The plain-text form: space-separated fields, then a blank line and the key.
            lines = [" ".join(str(cell) for cell in row) for row in page]
            lines += ["", key] if key else []
            return 200, ("\n".join(lines) + "\n").encode() if lines else b""
        out: list[list[object]] = [list(fields), *page] if page else []
        if key:
            out += [[], [key]]
        return 200, json.dumps(out).encode()  # no rows at all: [] like the real index

    # --- raw captures ------------------------------------------------------------------------

    def raw(self, timestamp: str, original: str) -> tuple[ArchivedCapture | None, Fault | None]:
        with self.lock:
            self.state.capture_requests[timestamp] += 1
            queue = self.state.capture_faults.get(timestamp)
            if queue:
                return None, queue.popleft()
            for capture in self.state.captures:
                if capture.timestamp == timestamp and canonical(capture.original) == \
                        canonical(original):
                    return capture, None
        return None, Fault(status=404, body=b"not in the archive")

    def count_download(self, capture: ArchivedCapture) -> None:
        with self.lock:
            self.state.downloads[capture.digest] += 1


def _select(rows: list[dict[str, str]], query: dict[str, list[str]]) -> list[dict[str, str]]:
    """The CDX selection: url, from/to, filters, then collapse on adjacent rows."""
    wanted = canonical(query["url"][0])
    low = query.get("from", [""])[0].ljust(14, "0")
    high = query.get("to", [""])[0].ljust(14, "9")
    rows = [r for r in rows if r["urlkey"] == wanted and low <= r["timestamp"] <= high]
    for spec in query.get("filter", []):
        negate = spec.startswith("!")
        name, _, pattern = spec.lstrip("!").partition(":")
        rows = [r for r in rows if bool(re.fullmatch(pattern, r[name])) != negate]
    if "collapse" in query:
        name = query["collapse"][0]
        kept: list[dict[str, str]] = []
        for row in rows:
            if not kept or kept[-1][name] != row[name]:
                kept.append(row)
        rows = kept
    return rows


class _FaultReply(Exception):
    def __init__(self, fault: Fault) -> None:
        super().__init__(fault.status)
        self.fault = fault


def _handler(archive: ArchiveServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            # The client may have given up (timeout): then there is nobody to answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.route()

        def route(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == "/cdx/search/cdx":
                try:
                    status, body = archive.cdx(parse_qs(parts.query))
                except _FaultReply as reply:
                    self.fault(reply.fault)
                    return
                self.send(status, body, "application/json")
                return
            match = RAW.match(self.path)
            if not match:
                self.fault(Fault(status=404, body=b"no such page"))
                return
            capture, fault = archive.raw(match.group(1), match.group(2))
            if fault is not None or capture is None:
                self.fault(fault or Fault(status=404))
                return
            if archive.state.capture_delay:
                time.sleep(archive.state.capture_delay)
            when = datetime.strptime(capture.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
            self.send(capture.statuscode, capture.body, capture.content_type,
                      {"Memento-Datetime": format_datetime(when, usegmt=True)})
            archive.count_download(capture)

        def fault(self, fault: Fault) -> None:
            if fault.delay:
                time.sleep(fault.delay)
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            self.send(fault.status, fault.body, "text/plain", headers)

        def send(self, status: int, body: bytes, content_type: str,
                 headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


# --- histories: captures of a sequence of policy texts ---------------------------------------

# Capture days within each version's month and the page chrome each capture shows: identical
# bytes (same chrome) and chrome-only differences, interleaved, so the collapsed index lists a
# digest again after another one (downloaded once all the same), and each version ends with a
# run of identical captures that the collapsed index shows only the first of.
CAPTURE_DAYS = (0, 3, 7, 12, 18, 22, 26)
CHROME_PATTERN = (0, 0, 1, 1, 0, 2, 2)
VERSION_SPACING = timedelta(days=30)


def history_captures(texts: Sequence[str], url: str, render: Callable[[str, int], str],
                     start: datetime) -> list[list[ArchivedCapture]]:
    """Several captures of each text in turn (one list per text), VERSION_SPACING apart, each
    rendered as `render(text, chrome)`."""
    plan = []
    for index, text in enumerate(texts):
        base = start + index * VERSION_SPACING
        pages = {chrome: render(text, chrome).encode("utf-8") for chrome in set(CHROME_PATTERN)}
        plan.append([ArchivedCapture(
            (base + timedelta(days=offset, hours=index % 5, minutes=7 * chrome)
             ).strftime("%Y%m%d%H%M%S"), url, pages[chrome])
            for offset, chrome in zip(CAPTURE_DAYS, CHROME_PATTERN, strict=True)])
    return plan


HISTORIES = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "histories"


def corpus_history(collection: str, service: str) -> list[str] | None:
    """The texts of a real policy history, oldest first (None when ../shared is absent).
    Open Terms Archive data, ODC-By, © Open Terms Archive contributors."""
    folder = HISTORIES / collection / service
    if not (folder / "history.json").is_file():
        return None
    meta = json.loads((folder / "history.json").read_text(encoding="utf-8"))
    return [(folder / v["file"]).read_text(encoding="utf-8") for v in meta["versions"]]


class FakeTime:
    """A clock that moves only when slept on: rate limits and backoff cost no real time, and
    the waits are recorded."""

    def __init__(self, start: datetime) -> None:
        self.current = start
        self.waits: list[float] = []

    def clock(self) -> datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.current += timedelta(seconds=seconds)
