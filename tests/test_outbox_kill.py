"""The dispatcher process (`policywatch alerts send`) killed mid-send and between attempts, then
run again: each alert ends delivered exactly once (counting the stable id a receiver drops
duplicates by), with at most one duplicate on the wire; interrupted twice, it fails as
"delivery uncertain" (the operator is told) and only `alerts retry` sends it again."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from policywatch.storage.changes import AlertRoute
from policywatch.storage.db import open_db
from policywatch.storage.outbox import get_alert
from tests.support.alertdb import add_change, make_watchlist, sale_result
from tests.support.slack import SlackReceiver
from tests.support.smtp import SmtpServer

HOOK_ENV = "PW_TEST_KILL_HOOK"


def start_dispatcher(config: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from policywatch.monitor.cli import main; main()",
         "--config", str(config), "alerts", "send"],
        env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_until(predicate: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_killed_while_the_webhook_request_is_in_flight(tmp_path: Path) -> None:
    with SlackReceiver() as slack:
        watchlist = make_watchlist(tmp_path, {"slack": {
            "type": "slack", "webhook_url_env": HOOK_ENV, "timeout": 20}})
        db = open_db(watchlist.settings.database)
        add_change(db, sale_result(), [AlertRoute("slack")])
        slack.hold()

        first = start_dispatcher(watchlist.path, {HOOK_ENV: slack.url})
        try:
            wait_until(lambda: len(slack.requests) == 1)
            assert get_alert(db, 1).status == "sending"  # committed before the send
        finally:
            first.kill()
            first.wait(10)
        slack.release()  # Slack got the message; the dispatcher never heard back

        second = start_dispatcher(watchlist.path, {HOOK_ENV: slack.url})
        output, _ = second.communicate(timeout=30)

        assert second.returncode == 0, output
        assert "interrupted sends retried 1" in output
        row = get_alert(db, 1)
        assert (row.status, row.attempts) == ("sent", 2)
        requests = slack.wait_for(2)
        assert len(requests) == 2  # one duplicate at most...
        assert len({r.message_key for r in requests}) == 1  # ...carrying the same stable id
        assert len(slack.delivered()) == 1


def test_killed_between_attempts_then_run_again(tmp_path: Path) -> None:
    server = SmtpServer()  # refuses connections until started
    watchlist = make_watchlist(tmp_path, {"team": server.channel_options()})
    db = open_db(watchlist.settings.database)
    add_change(db, sale_result(), [AlertRoute("team")])
    add_change(db, sale_result(), [AlertRoute("team")], policy="other")

    first = start_dispatcher(watchlist.path, {})
    try:
        # The first attempt failed and was recorded; the process now waits to try again.
        wait_until(lambda: get_alert(db, 1).attempts >= 1)
        assert get_alert(db, 1).status == "pending"
    finally:
        first.kill()
        first.wait(10)

    with server:
        deadline = time.monotonic() + 20
        while {get_alert(db, i).status for i in (1, 2)} != {"sent"}:
            assert time.monotonic() < deadline, "not delivered"
            run = start_dispatcher(watchlist.path, {})
            output, _ = run.communicate(timeout=30)
            assert run.returncode == 0, output
            time.sleep(0.2)  # the backoff (1-2 s after the first failure) must pass
        mails = server.wait_for(2)

    assert len(mails) == 2
    assert sorted(m.message["Message-ID"] for m in mails) == [
        "<policywatch.change-1.team@policywatch.local>",
        "<policywatch.change-2.team@policywatch.local>"]


def _kill_mid_send(watchlist_path: Path, slack: SlackReceiver, posts: int) -> None:
    slack.hold()
    run = start_dispatcher(watchlist_path, {HOOK_ENV: slack.url})
    try:
        wait_until(lambda: len(slack.requests) == posts)
    finally:
        run.kill()
        run.wait(10)
    slack.release()


def test_two_interrupted_sends_fail_as_uncertain_and_retry_sends_on_purpose(
        tmp_path: Path) -> None:
    with SlackReceiver() as slack:
        watchlist = make_watchlist(tmp_path, {"slack": {
            "type": "slack", "webhook_url_env": HOOK_ENV, "timeout": 20}})
        db = open_db(watchlist.settings.database)
        add_change(db, sale_result(), [AlertRoute("slack")])

        _kill_mid_send(watchlist.path, slack, posts=1)
        _kill_mid_send(watchlist.path, slack, posts=2)  # the one resend, killed too
        for run_number in range(3):  # later dispatchers never post it again
            again = start_dispatcher(watchlist.path, {HOOK_ENV: slack.url})
            output, _ = again.communicate(timeout=30)
            if run_number == 0:
                assert again.returncode == 1, output  # a failure this run: exit 1
                assert "delivery uncertain (failed, not sent again) 1" in output
                # The operator is told (the console is the operator channel by default).
                assert "alert #1 to slack: delivery uncertain" in output
                assert "policywatch alerts retry 1" in output
        row = get_alert(db, 1)
        assert row.status == "failed"
        assert str(row.last_error).startswith("delivery uncertain after 2 interrupted attempts")
        assert len(slack.requests) == 2

        retry = subprocess.run(
            [sys.executable, "-c", "from policywatch.monitor.cli import main; main()", "--config",
             str(watchlist.path), "alerts", "retry", "1"], capture_output=True, text=True,
            timeout=30)
        assert retry.returncode == 0, retry.stderr
        send = start_dispatcher(watchlist.path, {HOOK_ENV: slack.url})
        output, _ = send.communicate(timeout=30)

    assert send.returncode == 0, output
    assert get_alert(db, 1).status == "sent"
    assert len(slack.requests) == 3 and len({r.message_key for r in slack.requests}) == 1
