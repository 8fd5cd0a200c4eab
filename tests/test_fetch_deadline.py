"""A page that trickles its body or its headers (8 bytes a second, each byte well within the
socket timeout) is cut off at the wall-clock deadline for the whole response (3 × timeout) and
recorded as a transient `timeout`; the check does not hang for the hours it would take."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from pathlib import Path

import pytest

from policywatch.monitor.pipeline import check
from policywatch.storage.checks import recent_checks
from tests.support import pages
from tests.support.config import load, make_context, write_watchlist
from tests.support.site import Reply, Site

TIMEOUT = 0.5  # deadline 1.5 s; the 2 KB body would take over 4 minutes at 8 bytes/s


@pytest.mark.timeout(60)  # without the deadline this check would take minutes
def test_a_trickling_body_times_out_at_the_deadline(tmp_path: Path) -> None:
    body = pages.policy_page("We collect your e-mail address. " * 60).encode()
    assert len(body) > 2000
    with Site() as site:
        site.set_page("/slow", Reply(body=body, trickle=8))
        policies = [{"name": "slow", "url": site.url("/slow")}]
        ctx = make_context(load(write_watchlist(tmp_path, policies,
                                                {"timeout": TIMEOUT, "retries": 0})))
        started = time.monotonic()
        result = check(ctx, ctx.watchlist.policy("slow"))
        elapsed = time.monotonic() - started

    assert (result.outcome, result.reason, result.transient) == ("failed", "timeout", True)
    assert "took longer than 1.5 s" in str(result.detail)
    assert elapsed < 3 * TIMEOUT + 3.0  # the deadline, plus one read and a loaded machine
    assert recent_checks(ctx.db, "slow")[0].reason == "timeout"


def test_a_body_that_stops_arriving_times_out_on_the_socket(tmp_path: Path) -> None:
    body = pages.policy_page("We collect your e-mail address. " * 60).encode()
    with Site() as site:
        site.set_page("/stalled", Reply(body=body, trickle=1))  # 1 s between bytes > timeout
        policies = [{"name": "stalled", "url": site.url("/stalled")}]
        ctx = make_context(load(write_watchlist(tmp_path, policies,
                                                {"timeout": TIMEOUT, "retries": 0})))
        result = check(ctx, ctx.watchlist.policy("stalled"))

    assert (result.outcome, result.reason, result.transient) == ("failed", "timeout", True)


class TricklingHeaders:
    """A raw server that sends a status line, then one header byte every 1/8 s, for ever."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                client, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:  # closed
                return
            threading.Thread(target=self._trickle, args=(client,), daemon=True).start()

    def _trickle(self, client: socket.socket) -> None:
        with client, contextlib.suppress(OSError):
            client.recv(65536)
            client.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not self.stop.is_set():
                client.sendall(b"a")
                time.sleep(1 / 8)

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.mark.timeout(60)  # without the deadline on headers this check would never end
def test_trickling_headers_time_out_at_the_deadline(tmp_path: Path) -> None:
    server = TricklingHeaders()
    try:
        policies = [{"name": "slow", "url": f"http://127.0.0.1:{server.port}/p"}]
        ctx = make_context(load(write_watchlist(tmp_path, policies,
                                                {"timeout": TIMEOUT, "retries": 0})))
        started = time.monotonic()
        result = check(ctx, ctx.watchlist.policy("slow"))
        elapsed = time.monotonic() - started
    finally:
        server.close()

    assert (result.outcome, result.reason, result.transient) == ("failed", "timeout", True)
    assert "took longer than 1.5 s" in str(result.detail)
    assert elapsed < 3 * TIMEOUT + 3.0
