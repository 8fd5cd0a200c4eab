"""A wall-clock deadline for a whole HTTP response: status line, headers and body.

The socket timeout bounds each read, so a server sending a byte every few seconds is never cut
off by it. While `response_deadline(at)` is in force on a thread, the connections of
`DeadlineHTTPConnectionPool` (mounted by httputil.PinnedAdapter) read through a socket whose
every read waits at most until `at`; past it a read raises TimeoutError, which urllib3 and
requests report as a read timeout.
"""

from __future__ import annotations

import contextlib
import io
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.response import HTTPResponse


class _ThreadDeadline(threading.local):
    """The deadline in force on the current thread (None: no deadline)."""

    at: float | None = None


_CURRENT = _ThreadDeadline()


@contextlib.contextmanager
def response_deadline(at: float) -> Iterator[None]:
    """Responses read on this thread inside the block must have arrived by `at` (monotonic)."""
    previous = _CURRENT.at
    _CURRENT.at = at
    try:
        yield
    finally:
        _CURRENT.at = previous


def passed() -> bool:
    """Whether the deadline in force on this thread (if any) has passed."""
    at = _CURRENT.at
    return at is not None and time.monotonic() >= at


class DeadlineSocket:
    """Wraps a connected socket: each read waits at most the socket timeout and never past the
    deadline. Only the response reader (makefile) sees it; the connection keeps its socket."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline
        self._timeout = sock.gettimeout()

    def settimeout(self, value: float | None) -> None:
        self._timeout = value
        self._sock.settimeout(value)

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the response did not arrive before its deadline")
        self._sock.settimeout(left if self._timeout is None else min(self._timeout, left))
        return self._sock.recv_into(buffer, nbytes, flags)

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(socket.SocketIO(self, "rb"))  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> Any:  # the wrapped socket's other methods, as they are
        return getattr(self._sock, name)


def _read_with_deadline(connection: HTTPConnection, read: Callable[[], HTTPResponse]
                        ) -> HTTPResponse:
    deadline = _CURRENT.at
    real = connection.sock
    if deadline is None or real is None:
        return read()
    connection.sock = DeadlineSocket(real, deadline)
    try:
        return read()
    finally:
        connection.sock = real


class DeadlineHTTPConnection(HTTPConnection):
    def getresponse(self) -> HTTPResponse:  # type: ignore[override]  # as urllib3 does
        return _read_with_deadline(self, super().getresponse)


class DeadlineHTTPSConnection(HTTPSConnection):
    def getresponse(self) -> HTTPResponse:  # type: ignore[override]  # as urllib3 does
        return _read_with_deadline(self, super().getresponse)


class DeadlineHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = DeadlineHTTPConnection


class DeadlineHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = DeadlineHTTPSConnection


POOL_CLASSES = {"http": DeadlineHTTPConnectionPool, "https": DeadlineHTTPSConnectionPool}
