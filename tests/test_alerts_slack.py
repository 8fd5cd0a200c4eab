"""Slack alerts through a real HTTP receiver on 127.0.0.1 standing in for the webhook: what
arrives (Block Kit content, stable block ids), and each failure: 500 then 429 with Retry-After then
200, a long Retry-After that reschedules the channel, 4xx (permanent), a missing variable, an
unreachable webhook (whose secret URL never shows in the error); and one slow channel never
delaying another."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from policywatch.alerts.outbox import dispatch_pending
from policywatch.alerts.render_slack import block_id
from policywatch.monitor.timeutil import iso
from policywatch.storage.changes import AlertRoute, message_id
from policywatch.storage.db import open_db
from policywatch.storage.outbox import get_alert
from tests.support.alertdb import POLICY_URL, FakeClock, add_change, make_watchlist, sale_result
from tests.support.config import RecordedSleep
from tests.support.slack import WEBHOOK_PATH, SlackReceiver, SlackReply
from tests.support.smtp import SmtpServer

ENV = "PW_TEST_SLACK_WEBHOOK"
SLACK = {"type": "slack", "webhook_url_env": ENV, "timeout": 5}


@pytest.fixture
def slack() -> Iterator[SlackReceiver]:
    with SlackReceiver() as receiver:
        yield receiver


def _setup(tmp_path: Path, channels: dict[str, Any] | None = None) -> tuple[Any, Any]:
    watchlist = make_watchlist(tmp_path, channels or {"slack": SLACK})
    return watchlist, open_db(watchlist.settings.database)


def test_block_kit_message_arrives_with_the_change(tmp_path: Path, slack: SlackReceiver) -> None:
    watchlist, db = _setup(tmp_path, {"slack": {**SLACK, "username": "policywatch"}})
    change_id = add_change(db, sale_result(), [AlertRoute("slack")])

    report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep(),
                              environ={ENV: slack.url})

    assert report.sent == 1
    [request] = slack.wait_for(1)
    payload = request.payload
    assert request.path == WEBHOOK_PATH
    assert payload["username"] == "policywatch"
    assert payload["text"] == ("[policywatch] HIGH · Kareo privacy policy · "
                               "sale of data introduced")
    assert request.message_key == block_id(message_id(change_id, "slack"), 0)
    assert len({b["block_id"] for b in payload["blocks"]}) == len(payload["blocks"])
    whole = "\n".join(request.texts)
    assert f"Policy: <{POLICY_URL}>" in whole
    assert "We ~do not sell~ *may sell* your data." in whole
    assert "Why: 'do not sell' became 'may sell'" in whole
    assert "Disclosure › Marketers" in whole
    assert "2026-03-02 09:00 UTC" in whole
    assert "1 other change(s) of form" in whole
    assert get_alert(db, 1).status == "sent"


def test_500_then_429_with_retry_after_then_200_delivers_once(tmp_path: Path,
                                                            slack: SlackReceiver) -> None:
    watchlist, db = _setup(tmp_path)
    add_change(db, sale_result(), [AlertRoute("slack")])
    slack.script(SlackReply(500, "internal_error"),
                 SlackReply(429, "rate_limited", {"Retry-After": "3"}))
    sleep = RecordedSleep()

    report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=sleep,
                              environ={ENV: slack.url})

    assert report.sent == 1
    statuses = [r.status for r in slack.wait_for(3)]
    assert statuses == [500, 429, 200]
    assert len(slack.delivered()) == 1
    assert len(sleep.waits) == 2 and 0.9 < sleep.waits[0] <= 2.0
    assert sleep.waits[1] == 3.0  # Retry-After honoured, not the backoff
    row = get_alert(db, 1)
    assert (row.status, row.attempts) == ("sent", 3)


def test_long_retry_after_reschedules_the_whole_channel(tmp_path: Path,
                                                       slack: SlackReceiver) -> None:
    watchlist, db = _setup(tmp_path)
    clock = FakeClock()
    first = add_change(db, sale_result(), [AlertRoute("slack")])
    second = add_change(db, sale_result(), [AlertRoute("slack")], policy="other")
    slack.script(SlackReply(429, "rate_limited", {"Retry-After": "120"}))
    sleep = RecordedSleep()

    report = dispatch_pending(db, watchlist, clock=clock, sleep=sleep, environ={ENV: slack.url})

    expected = iso(clock() + timedelta(seconds=120))
    assert [(o.status, o.next_attempt_at) for o in report.outcomes] == [
        ("retrying", expected), ("deferred", expected)]
    assert len(slack.requests) == 1 and sleep.waits == []  # the other row was not tried
    rows = {get_alert(db, i).change_id: get_alert(db, i) for i in (1, 2)}
    assert rows[first].attempts == 1 and rows[second].attempts == 0
    assert {r.next_attempt_at for r in rows.values()} == {expected}
    assert "rate limited: rate_limited" in (rows[first].last_error or "")

    clock.advance(120)
    assert dispatch_pending(db, watchlist, clock=clock, sleep=sleep,
                           environ={ENV: slack.url}).sent == 2
    assert len(slack.delivered()) == 2


@pytest.mark.parametrize(("status", "body"), [(400, "invalid_payload"), (403, "action_prohibited"),
                                              (404, "no_service"), (410, "channel_is_archived")])
def test_4xx_other_than_429_is_permanent(tmp_path: Path, slack: SlackReceiver, status: int,
                                         body: str) -> None:
    watchlist, db = _setup(tmp_path)
    add_change(db, sale_result(), [AlertRoute("slack")])
    slack.script(SlackReply(status, body))
    sleep = RecordedSleep()

    report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=sleep,
                              environ={ENV: slack.url})

    assert report.failed == 1 and sleep.waits == [] and len(slack.requests) == 1
    row = get_alert(db, 1)
    assert row.status == "failed"
    assert f"HTTP {status}: {body}" in (row.last_error or "")


def test_missing_webhook_variable_fails_naming_it(tmp_path: Path) -> None:
    watchlist, db = _setup(tmp_path)
    add_change(db, sale_result(), [AlertRoute("slack")])

    report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep(), environ={})

    assert report.failed == 1
    assert f"{ENV} (webhook_url_env) is not set" in (get_alert(db, 1).last_error or "")


def test_unreachable_webhook_is_transient_and_its_url_stays_secret(tmp_path: Path) -> None:
    watchlist, db = _setup(tmp_path)
    add_change(db, sale_result(), [AlertRoute("slack")])
    receiver = SlackReceiver()  # never started: nothing answers on its port
    url = receiver.url
    receiver.server.server_close()

    report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep(),
                              environ={ENV: url})

    assert report.retrying == 1
    error = get_alert(db, 1).last_error or ""
    assert "webhook unreachable" in error
    assert "secretsecret" not in error and url not in error


def test_a_slow_channel_never_delays_another(tmp_path: Path, slack: SlackReceiver) -> None:
    with SmtpServer() as smtp:
        # "a-slack" sorts first: served one after the other, the e-mail would wait for it.
        watchlist, db = _setup(tmp_path, {"a-slack": SLACK, "b-email": smtp.channel_options()})
        add_change(db, sale_result(), [AlertRoute("a-slack"), AlertRoute("b-email")])
        slack.hold()
        result: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: result.update(report=dispatch_pending(
            db, watchlist, clock=FakeClock(), sleep=RecordedSleep(), environ={ENV: slack.url})))
        worker.start()
        try:
            assert len(slack.wait_for(1)) == 1  # Slack's request is in flight, unanswered...
            assert len(smtp.wait_for(1)) == 1  # ...and the e-mail went out meanwhile
            assert not slack.requests[0].status
        finally:
            slack.release()
            worker.join(10)
    assert result["report"].sent == 2
