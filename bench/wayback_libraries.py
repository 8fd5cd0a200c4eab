"""waybackpy 3.0.6, EDGI `wayback` and policywatch's own client, side by side against the
archive's failure cases, on the local test archive (tests/support/archive_server.py).

Run from the repository root:  python bench/wayback_libraries.py
Prints one line per (case, client): what the caller got and how long it took.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policywatch.monitor.fetch.wayback import ArchiveClient  # noqa: E402
from tests.support.archive_server import (  # noqa: E402
    ArchivedCapture,
    ArchiveServer,
    Fault,
)

URL = "https://example.com/privacy"
TIMEOUT = 1.0
# A 7-field index line whose timestamp is not a timestamp.
BAD_ROW = ["com,example)/privacy", "2019-13-45T99:00", URL, "text/html", "200",
           "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "1234"]


def archive_with_captures() -> ArchiveServer:
    archive = ArchiveServer()
    archive.add(*[ArchivedCapture(f"20{10 + i}0101000000", URL, f"<p>version {i}</p>".encode())
                  for i in range(5)])
    return archive


def ours(base: str) -> Callable[[], object]:
    client = ArchiveClient(requests.Session(), base_url=base, timeout=TIMEOUT, retries=2,
                           index_rate=100, capture_rate=100, max_bytes=10**6,
                           now=lambda: datetime.now(UTC), sleep=time.sleep, backoff=0.2)

    def run() -> str:
        listing = client.list_captures(URL)
        return f"{len(listing.captures)} captures, {len(listing.malformed)} bad rows reported"

    return run


def edgi_wayback(base: str) -> Callable[[], object]:
    import wayback
    import wayback._client as internals

    session = wayback.WaybackSession(retries=2, backoff=0.2, timeout=TIMEOUT,
                                     search_calls_per_second=0, memento_calls_per_second=0)
    client = wayback.WaybackClient(session)

    def run() -> object:
        # No option for another archive: the CDX endpoint is a module constant.
        saved = internals.CDX_SEARCH_URL
        internals.CDX_SEARCH_URL = f"{base}/cdx/search/cdx"
        try:
            records = client.search(URL, collapse="digest", filter_field="statuscode:2..")
            return f"{len(list(records))} captures"
        finally:
            internals.CDX_SEARCH_URL = saved

    return run


def waybackpy_client(base: str) -> Callable[[], object]:
    from waybackpy import WaybackMachineCDXServerAPI

    def run() -> object:
        api = WaybackMachineCDXServerAPI(URL, filters=["statuscode:200"], collapses=["digest"])
        api.endpoint = f"{base}/cdx/search/cdx"
        return f"{len(list(api.snapshots()))} captures"

    return run


CASES: dict[str, Callable[[ArchiveServer], None]] = {
    "no fault": lambda a: None,
    "429 + Retry-After: 2, once": lambda a: a.fail_index(Fault(429, retry_after="2")),
    "503 once": lambda a: a.fail_index(Fault(503)),
    "503 always": lambda a: a.fail_index(*[Fault(503)] * 10),
    "index 3 s late (timeout 1 s), once": lambda a: a.fail_index(Fault(200, delay=3.0,
                                                                       body=b"[]")),
    "malformed index line": lambda a: a.add_malformed_row(2, list(BAD_ROW)),
}
CLIENTS: dict[str, Callable[[str], Callable[[], object]]] = {
    "waybackpy 3.0.6": waybackpy_client, "wayback (EDGI)": edgi_wayback, "policywatch": ours,
}


def outcome(run: Callable[[], object]) -> str:
    started = time.monotonic()
    try:
        result: Any = run()
    except Exception as exc:  # noqa: BLE001 - the point is to show what each raises
        result = f"raised {type(exc).__name__}: {str(exc).splitlines()[0][:70]}"
    return f"{time.monotonic() - started:5.1f} s  {result}"


def memento_with_custom_base() -> list[str]:
    """Downloading a raw capture from an archive other than web.archive.org."""
    import wayback

    lines = []
    with archive_with_captures() as archive:
        raw_url = f"{archive.base_url}/web/20100101000000id_/{URL}"
        try:
            wayback.WaybackClient().get_memento(raw_url)
            lines.append("wayback (EDGI) get_memento(local raw URL): ok")
        except Exception as exc:  # noqa: BLE001
            lines.append(f"wayback (EDGI) get_memento(local raw URL): raised "
                         f"{type(exc).__name__}: {str(exc)[:70]}")
        lines.append("waybackpy 3.0.6: no download API (archive_url strings for web.archive.org)")
        client = ArchiveClient(requests.Session(), base_url=archive.base_url, timeout=TIMEOUT,
                               retries=2, index_rate=100, capture_rate=100, max_bytes=10**6,
                               now=lambda: datetime.now(UTC), sleep=time.sleep)
        capture = client.list_captures(URL).captures[0]
        lines.append(f"policywatch download(): {len(client.download(capture).body)} bytes")
    return lines


def main() -> None:
    print("expected: 5 captures; a fault the client cannot get past should raise, not return 0")
    for case, inject in CASES.items():
        for name, make in CLIENTS.items():
            with archive_with_captures() as archive:
                inject(archive)
                print(f"{case:<38} {name:<16} {outcome(make(archive.base_url))}")
    for line in memento_with_custom_base():
        print(line)


if __name__ == "__main__":
    main()
