"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), recording what arrives.

It can require AUTH (plain connections: `auth_require_tls=False`), answer DATA with scripted
replies ("451 try later", "554 rejected") before accepting, and be stopped and started again on
the same port, so "connection refused, then recovered" is a real refused connection.
"""

from __future__ import annotations

import random
import socket
import ssl
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def body(self, subtype: str) -> str:
        """The decoded text/plain or text/html part."""
        part = self.message.get_body(preferencelist=(subtype,))
        assert part is not None, f"no text/{subtype} part"
        return str(part.get_content())


def self_signed_context(directory: Path) -> ssl.SSLContext | None:
    """A server TLS context with a fresh self-signed certificate (None without openssl)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def free_port() -> int:
    """A free port below the ephemeral range (32768+), so that while the server is stopped no
    outgoing connection of this or another process takes the port and keeps it from restarting."""
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for the test SMTP server")


class _Handler:
    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.owner.lock:
            if self.owner.replies:
                return self.owner.replies.popleft()
            content = envelope.original_content or b""
            self.owner.received.append(ReceivedMail(
                str(envelope.mail_from), list(envelope.rcpt_tos), bytes(content)))
        return "250 Message accepted for delivery"


class SmtpServer:
    """`with SmtpServer() as smtp:`; `smtp.port`, `smtp.received`, `stop()`/`start()`."""

    def __init__(self, *, users: dict[str, str] | None = None, port: int | None = None,
                 tls: ssl.SSLContext | None = None) -> None:
        self.host = "127.0.0.1"
        self.tls = tls  # offer STARTTLS with this server context
        self.port = port or free_port()
        self.users = users
        self.received: list[ReceivedMail] = []
        self.replies: deque[str] = deque()  # scripted DATA replies served before accepting
        self.auth_failures = 0
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope,
                      mechanism: str, auth_data: Any) -> AuthResult:
        assert self.users is not None
        ok = (isinstance(auth_data, LoginPassword)
              and self.users.get(auth_data.login.decode()) == auth_data.password.decode())
        if not ok:
            self.auth_failures += 1
        # handled=False: aiosmtpd then answers "535 5.7.8 Authentication credentials invalid".
        return AuthResult(success=ok, handled=False)

    def start(self) -> SmtpServer:
        options: dict[str, Any] = {}
        if self.users is not None:
            options = {"authenticator": self._authenticate, "auth_required": True,
                       "auth_require_tls": False}
        if self.tls is not None:
            options["tls_context"] = self.tls
        self.controller = Controller(_Handler(self), hostname=self.host, port=self.port,
                                     ready_timeout=5, **options)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def script(self, *replies: str) -> None:
        """Answer the next DATA commands with these replies (e.g. '451 4.3.0 try later')."""
        with self.lock:
            self.replies.extend(replies)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedMail]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)

    def channel_options(self, **extra: Any) -> dict[str, Any]:
        """An [alerts.NAME] table for this server (plain SMTP, short timeout)."""
        table: dict[str, Any] = {"type": "email", "host": self.host, "port": self.port,
                                 "security": "none", "from": "policywatch@example.org",
                                 "to": ["privacy-team@example.org"], "timeout": 5}
        table.update(extra)
        return table

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
