"""Alert channels go through the private-address guard (cases in
tests/cases/alerts/private_address.toml): a Slack webhook or SMTP host on loopback receives
nothing unless the channel says `allow_private_address = true` (or the settings allow private
addresses), and the refused alert fails for good with the reason, for the operator to see."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from policywatch.alerts.outbox import dispatch_pending
from policywatch.monitor.errors import ConfigError
from policywatch.storage.changes import AlertRoute
from policywatch.storage.db import open_db
from policywatch.storage.outbox import get_alert
from tests.support.alertdb import FakeClock, add_change, make_watchlist, sale_result
from tests.support.config import RecordedSleep
from tests.support.slack import SlackReceiver
from tests.support.smtp import SmtpServer

CASES: dict[str, Any] = tomllib.loads(
    (Path(__file__).parent / "cases/alerts/private_address.toml").read_text())
ENV = "PW_TEST_GUARD_WEBHOOK"


def _channel(case: dict[str, Any], smtp: SmtpServer, slack: SlackReceiver) -> dict[str, Any]:
    flag = {"allow_private_address": case["flag"]} if "flag" in case else {}
    if case["type"] == "email":
        return smtp.channel_options(host=case["host"], **flag)
    return {"type": "slack", "webhook_url_env": ENV, "timeout": 5, **flag}


@pytest.mark.parametrize("name", sorted(CASES))
def test_channel_guard(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    with SmtpServer() as smtp, SlackReceiver() as slack:
        watchlist = make_watchlist(tmp_path, {"team": _channel(case, smtp, slack)},
                                   settings={"allow_private_addresses": case["global"]})
        db = open_db(watchlist.settings.database)
        add_change(db, sale_result(), [AlertRoute("team")])
        hook = slack.url.replace("127.0.0.1", case["host"])
        report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep(),
                                  environ={ENV: hook})
        waits = case["delivered"] and case["type"] == "email"
        received = len(smtp.wait_for(1) if waits else smtp.received) + len(slack.requests)

    row = get_alert(db, 1)
    if case["delivered"]:
        assert (report.sent, row.status, received) == (1, "sent", 1), row.last_error
        return
    assert (report.failed, row.status, received) == (1, "failed", 0)
    assert "refused" in str(row.last_error) and "not a public address" in str(row.last_error)
    assert "allow_private_address = true in [alerts.team]" in str(row.last_error)
    assert row.last_error.startswith("permanent:")  # type: ignore[union-attr]


def test_the_flag_must_be_a_boolean(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"alerts.team: key 'allow_private_address': must be "
                                          r"true or false"):
        make_watchlist(tmp_path, {"team": {"type": "slack", "webhook_url_env": ENV,
                                           "allow_private_address": "yes"}})


def test_smtp_connects_to_the_checked_address_not_the_name() -> None:
    from email.message import EmailMessage

    from policywatch.alerts.email_notifier import PinnedSMTP

    with SmtpServer() as smtp:
        # relay.invalid never resolves: the connection can only go to the pinned address.
        with PinnedSMTP("127.0.0.1", "relay.invalid", smtp.port, 5) as client:
            mail = EmailMessage()
            mail["From"], mail["To"], mail["Subject"] = "a@example.org", "b@example.org", "t"
            mail.set_content("pinned")
            client.send_message(mail)
        assert len(smtp.wait_for(1)) == 1
