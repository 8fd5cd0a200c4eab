"""E-mail alerts through a real SMTP server on 127.0.0.1 (aiosmtpd): what arrives (content,
multipart, headers, the stable Message-ID), and each failure: refused connections then
recovery, authentication failure (permanent), 4xx and 5xx replies, a missing password variable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policywatch.alerts.email_notifier import header_message_id
from policywatch.alerts.outbox import IN_PASS_TRIES, dispatch_pending
from policywatch.monitor.timeutil import iso, parse_iso
from policywatch.storage.changes import AlertRoute, message_id
from policywatch.storage.db import open_db
from policywatch.storage.outbox import get_alert, requeue
from tests.support.alertdb import (
    POLICY_URL,
    FakeClock,
    add_change,
    make_watchlist,
    sale_result,
)
from tests.support.config import RecordedSleep
from tests.support.smtp import SmtpServer, self_signed_context

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
ARCHIVED = "https://web.archive.org/web/20260302090000/https://kareo.example/privacy"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def _setup(tmp_path: Path, **channel: Any) -> tuple[Any, Any]:
    watchlist = make_watchlist(tmp_path, {"team": channel})
    return watchlist, open_db(watchlist.settings.database)


def test_alert_arrives_as_multipart_mail_with_the_change(tmp_path: Path, smtp: SmtpServer) -> None:
    watchlist, db = _setup(tmp_path, **smtp.channel_options())
    change_id = add_change(db, sale_result(), [AlertRoute("team")], archive_url=ARCHIVED)

    report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep())

    assert report.sent == 1
    [mail] = smtp.wait_for(1)
    message = mail.message
    assert mail.rcpt_tos == ["privacy-team@example.org"]
    assert message["Subject"] == ("[policywatch] HIGH · Kareo privacy policy · "
                                  "sale of data introduced")
    assert message["Message-ID"] == header_message_id(message_id(change_id, "team"))
    assert message["Message-ID"] == f"<policywatch.change-{change_id}.team@policywatch.local>"
    assert message["From"] == "policywatch@example.org"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text, html = mail.body("plain"), mail.body("html")
    for body in (text, html):
        assert "Disclosure › Marketers" in body
        assert "'do not sell' became 'may sell'" in body or \
            "&#x27;do not sell&#x27; became &#x27;may sell&#x27;" in body
        assert POLICY_URL in body and ARCHIVED in body
        assert "2026-03-01 21:00 UTC" in body and "2026-03-02 09:00 UTC" in body
        assert "1 other change(s) of form" in body
    assert "We [-do not sell-]{+may sell+} your data." in text
    assert ">do not sell</del>" in html and ">may sell</ins>" in html
    assert f'<a href="{POLICY_URL}">' in html
    assert get_alert(db, 1).status == "sent"

    again = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep())
    assert again.outcomes == [] and len(smtp.received) == 1


def test_each_channel_gets_its_own_stable_message_id(tmp_path: Path, smtp: SmtpServer) -> None:
    watchlist = make_watchlist(tmp_path, {"team": smtp.channel_options(),
                                          "legal": smtp.channel_options(to=["l@example.org"])})
    db = open_db(watchlist.settings.database)
    change_id = add_change(db, sale_result(), [AlertRoute("team"), AlertRoute("legal")])

    dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep())

    ids = {m.rcpt_tos[0]: m.message["Message-ID"] for m in smtp.wait_for(2)}
    assert ids == {"privacy-team@example.org": header_message_id(message_id(change_id, "team")),
                   "l@example.org": header_message_id(message_id(change_id, "legal"))}


def test_refused_connections_are_retried_with_backoff_until_the_server_is_back(
        tmp_path: Path) -> None:
    server = SmtpServer()  # not started: its port refuses connections
    watchlist, db = _setup(tmp_path, **server.channel_options())
    add_change(db, sale_result(), [AlertRoute("team")])
    clock, sleep = FakeClock(), RecordedSleep()

    report = dispatch_pending(db, watchlist, clock=clock, sleep=sleep)

    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    row = get_alert(db, 1)
    assert row.status == "pending" and row.attempts == IN_PASS_TRIES
    assert "ConnectionRefusedError" in (row.last_error or "")
    assert len(sleep.waits) == IN_PASS_TRIES - 1  # short waits within the pass, never real
    assert all(0.9 < wait <= 4.0 for wait in sleep.waits)
    due = parse_iso(row.next_attempt_at or "")
    assert due > clock()
    assert dispatch_pending(db, watchlist, clock=clock, sleep=sleep).outcomes == []  # not due

    with server:  # the server comes back on the same port
        clock.now = due
        report = dispatch_pending(db, watchlist, clock=clock, sleep=sleep)
        assert report.sent == 1
        assert len(server.wait_for(1)) == 1
    row = get_alert(db, 1)
    assert (row.status, row.attempts, row.sent_at) == ("sent", IN_PASS_TRIES + 1, iso(due))


def test_authentication_failure_is_permanent_with_the_reason(tmp_path: Path) -> None:
    with SmtpServer(users={"alerts": "right-password"}) as server:
        watchlist, db = _setup(tmp_path, **server.channel_options(
            username="alerts", password_env="PW_TEST_SMTP_PASSWORD"))
        add_change(db, sale_result(), [AlertRoute("team")])
        sleep = RecordedSleep()

        report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=sleep,
                                  environ={"PW_TEST_SMTP_PASSWORD": "wrong"})

        assert (report.sent, report.failed) == (0, 1)
        row = get_alert(db, 1)
        assert row.status == "failed" and row.attempts == 1 and sleep.waits == []
        assert "authentication failed: 535" in (row.last_error or "")
        # smtplib tries each mechanism the server offers (PLAIN, LOGIN): all refused.
        assert server.received == [] and server.auth_failures >= 1

        requeue(db, 1, iso(FakeClock()()))
        report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=sleep,
                                  environ={"PW_TEST_SMTP_PASSWORD": "right-password"})
        assert report.sent == 1 and len(server.wait_for(1)) == 1


def test_missing_password_variable_fails_naming_it(tmp_path: Path, smtp: SmtpServer) -> None:
    watchlist, db = _setup(tmp_path, **smtp.channel_options(
        username="alerts", password_env="PW_TEST_UNSET_VARIABLE"))
    add_change(db, sale_result(), [AlertRoute("team")])

    report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep(),
                              environ={})

    assert report.failed == 1
    assert "PW_TEST_UNSET_VARIABLE (password_env) is not set" in (get_alert(db, 1).last_error
                                                                   or "")


@pytest.mark.parametrize(("reply", "status", "sent"), [
    ("451 4.3.0 Temporary local problem, try later", "sent", 1),
    ("421 4.7.0 Too many connections", "sent", 1),
    ("554 5.7.1 Message rejected as spam", "failed", 0),
    ("552 5.3.4 Message too big", "failed", 0),
])
def test_smtp_4xx_is_retried_and_5xx_fails(tmp_path: Path, smtp: SmtpServer, reply: str,
                                           status: str, sent: int) -> None:
    watchlist, db = _setup(tmp_path, **smtp.channel_options())
    add_change(db, sale_result(), [AlertRoute("team")])
    smtp.script(reply)

    dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep())

    row = get_alert(db, 1)
    assert row.status == status
    assert len(smtp.wait_for(sent, timeout=1 if sent else 0.2)) == sent
    if status == "failed":
        assert reply.split(" ", 1)[1] in (row.last_error or "")
        assert row.attempts == 1
    else:
        assert row.attempts == 2


def test_starttls_refused_or_untrusted_certificate_is_permanent(tmp_path: Path) -> None:
    context = self_signed_context(tmp_path)
    if context is None:
        pytest.skip("openssl is not installed: cannot make a test certificate")
    with SmtpServer() as plain, SmtpServer(tls=context) as untrusted:
        watchlist = make_watchlist(tmp_path, {
            "no-tls": plain.channel_options(security="starttls"),
            "self-signed": untrusted.channel_options(security="starttls")})
        db = open_db(watchlist.settings.database)
        add_change(db, sale_result(), [AlertRoute("no-tls"), AlertRoute("self-signed")])

        report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep())

        assert report.failed == 2 and plain.received == [] and untrusted.received == []
        errors = {get_alert(db, i).channel: get_alert(db, i).last_error or "" for i in (1, 2)}
        assert "STARTTLS extension not supported" in errors["no-tls"]
        assert "TLS certificate rejected" in errors["self-signed"]
