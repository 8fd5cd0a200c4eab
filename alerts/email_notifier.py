"""The e-mail channel: multipart text + HTML over SMTP (smtplib), STARTTLS, SSL or plain.

Errors are sorted for the outbox: authentication failures and 5xx replies are permanent (the
operator must act); refused connections, timeouts and 4xx replies are transient.
"""

from __future__ import annotations

import os
import re
import smtplib
import socket
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate

import requests

from policywatch.monitor.channels import DEFAULT_PORTS, DEFAULT_TIMEOUT
from policywatch.monitor.errors import AlertError
from policywatch.monitor.watchlist import AlertChannel

from .guard import guard_channel_host
from .message import AlertMessage
from .render_email import render_html, render_text

_NOT_IN_ID = re.compile(r"[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~@-]")


def header_message_id(message_id: str) -> str:
    """The stored stable id as a valid Message-ID header (channel names may hold any text)."""
    inner = _NOT_IN_ID.sub("-", message_id.strip("<>"))
    local, _, domain = inner.rpartition("@")
    return f"<{local.replace('@', '-') or 'policywatch'}@{domain or 'policywatch.local'}>"


class PinnedSMTP(smtplib.SMTP):
    """smtplib.SMTP connecting to a checked address while greeting and verifying TLS (STARTTLS
    server name and certificate) by the host's name."""

    def __init__(self, address: str | None, host: str, port: int, timeout: float) -> None:
        self._address = address  # set before SMTP.__init__, which connects
        super().__init__(host, port, timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return super()._get_socket(self._address or host, port, timeout)  # type: ignore[misc,no-any-return]


class PinnedSMTPSSL(smtplib.SMTP_SSL):
    """smtplib.SMTP_SSL connecting to a checked address; TLS still names the host."""

    def __init__(self, address: str | None, host: str, port: int, timeout: float,
                 context: ssl.SSLContext) -> None:
        self._address = address
        super().__init__(host, port, timeout=timeout, context=context)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return super()._get_socket(self._address or host, port, timeout)  # type: ignore[misc,no-any-return]


class EmailNotifier:
    def __init__(self, channel: AlertChannel, *, session: requests.Session | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        # `session` is part of every notifier's constructor; SMTP has no use for it.
        self.channel = channel
        self.options = channel.options
        self.environ = os.environ if environ is None else environ
        self.security = str(self.options.get("security", "starttls"))
        self.host = str(self.options["host"])
        self.port = int(self.options.get("port", DEFAULT_PORTS[self.security]))
        self.timeout = float(self.options.get("timeout", DEFAULT_TIMEOUT))

    def describe(self) -> str:
        recipients = ", ".join(self.options.get("to", []))
        return f"e-mail via {self.host}:{self.port} ({self.security}) to {recipients}"

    def build(self, message: AlertMessage) -> EmailMessage:
        mail = EmailMessage()
        mail["Subject"] = message.subject
        mail["From"] = self.options["from"]
        mail["To"] = ", ".join(self.options["to"])
        mail["Date"] = formatdate(usegmt=True)
        mail["Message-ID"] = header_message_id(message.message_id)
        mail["Auto-Submitted"] = "auto-generated"
        mail["X-Policywatch-Kind"] = message.kind
        mail["X-Policywatch-Severity"] = message.severity
        mail.set_content(render_text(message))
        mail.add_alternative(render_html(message), subtype="html")
        return mail

    def _password(self) -> str | None:
        if "username" not in self.options:
            return None
        variable = str(self.options.get("password_env"))
        password = self.environ.get(variable)
        if not password:
            raise AlertError(self.channel.name, f"environment variable {variable} (password_env) "
                             "is not set", transient=False)
        return password

    def send(self, message: AlertMessage) -> str | None:
        password = self._password()
        mail = self.build(message)
        try:
            with self._connect() as smtp:
                if password is not None:
                    smtp.login(str(self.options["username"]), password)
                refused = smtp.send_message(mail)
        except Exception as exc:  # noqa: BLE001 - every failure is sorted into an AlertError
            raise self._classify(exc) from exc
        if refused:
            return "refused recipients: " + "; ".join(
                f"{rcpt}: {code} {reply.decode(errors='replace')}"
                for rcpt, (code, reply) in refused.items())
        return None

    def _connect(self) -> smtplib.SMTP:
        addresses = guard_channel_host(self.channel, self.host, what="SMTP host")
        address = addresses[0] if addresses else None
        context = ssl.create_default_context()
        if self.security == "ssl":
            return PinnedSMTPSSL(address, self.host, self.port, self.timeout, context)
        smtp = PinnedSMTP(address, self.host, self.port, self.timeout)
        if self.security == "starttls":
            try:
                smtp.starttls(context=context)
            except BaseException:
                smtp.close()
                raise
        return smtp

    def _classify(self, exc: Exception) -> AlertError:
        if isinstance(exc, AlertError):  # the address guard's refusal
            return exc
        name = self.channel.name
        where = f"{self.host}:{self.port}"
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            codes = [code for code, _ in exc.recipients.values()]
            detail = "; ".join(f"{r}: {c} {m.decode(errors='replace')}"
                               for r, (c, m) in exc.recipients.items())
            return AlertError(name, f"{where} refused every recipient: {detail}",
                              transient=all(400 <= c < 500 for c in codes))
        if isinstance(exc, smtplib.SMTPResponseException):
            reply = exc.smtp_error.decode(errors="replace") if isinstance(
                exc.smtp_error, bytes) else str(exc.smtp_error)
            what = ("authentication failed" if isinstance(exc, smtplib.SMTPAuthenticationError)
                    else "server refused")
            return AlertError(name, f"{where} {what}: {exc.smtp_code} {reply}",
                              transient=400 <= exc.smtp_code < 500)
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return AlertError(name, f"{where}: {exc} (check security and username)",
                              transient=False)
        if isinstance(exc, ssl.SSLCertVerificationError):
            return AlertError(name, f"{where}: TLS certificate rejected: {exc.verify_message}",
                              transient=False)
        if isinstance(exc, TimeoutError | socket.timeout):
            return AlertError(name, f"{where}: timed out after {self.timeout:g}s", transient=True)
        if isinstance(exc, OSError | smtplib.SMTPException):
            return AlertError(name, f"{where}: {type(exc).__name__}: {exc}", transient=True)
        return AlertError(name, f"{where}: unexpected {type(exc).__name__}: {exc}",
                          transient=False)
