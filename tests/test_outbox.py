"""The durable outbox: interrupted sends are retried once, one dispatcher at a time, daily
digests bundle the day's changes into one message, operator notices, giving up with the reason,
backoff with jitter, and the `policywatch alerts` commands."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from policywatch.alerts.console_notifier import ConsoleNotifier
from policywatch.alerts.dispatchlock import dispatcher_lock
from policywatch.alerts.outbox import (
    BACKOFF_CAP,
    MAX_ATTEMPTS,
    backoff_delay,
    digest_cutoff,
    dispatch_digests,
    dispatch_pending,
    enqueue_operator_notice,
)
from policywatch.monitor.cli.root import cli
from policywatch.monitor.timeutil import iso
from policywatch.monitor.watchlist import DEFAULT_CONSOLE
from policywatch.storage.changes import AlertRoute
from policywatch.storage.db import open_db
from policywatch.storage.outbox import get_alert, requeue
from tests.support.alertdb import FakeClock, add_change, alert_rows, make_watchlist, sale_result
from tests.support.config import RecordedSleep
from tests.support.smtp import SmtpServer

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def console(stream: StringIO, name: str = "console") -> dict[str, Any]:
    return {name: ConsoleNotifier(DEFAULT_CONSOLE, stream=stream)}


def test_a_send_interrupted_by_a_dead_process_is_sent_again_once(tmp_path: Path) -> None:
    watchlist = make_watchlist(tmp_path, {})
    db = open_db(watchlist.settings.database)
    add_change(db, sale_result(), [AlertRoute("console")])
    db.execute("UPDATE alerts SET status = 'sending'")  # what a killed dispatcher leaves
    out = StringIO()

    report = dispatch_pending(db, watchlist, clock=FakeClock(), notifiers=console(out))

    assert report.recovered == [1] and report.sent == 1
    assert out.getvalue().count("sale of data introduced") >= 1
    row = get_alert(db, 1)
    assert (row.status, row.attempts) == ("sent", 2)
    assert dispatch_pending(db, watchlist, clock=FakeClock(), notifiers=console(out)).sent == 0


def test_only_one_dispatcher_runs_at_a_time(tmp_path: Path) -> None:
    watchlist = make_watchlist(tmp_path, {})
    db = open_db(watchlist.settings.database)
    add_change(db, sale_result(), [AlertRoute("console")])
    other = open_db(watchlist.settings.database)  # another connection, as another process has

    with dispatcher_lock(other) as held:
        assert held
        report = dispatch_pending(db, watchlist, clock=FakeClock(), notifiers=console(StringIO()))

    assert report.busy and report.outcomes == [] and "another dispatcher" in report.summary
    assert get_alert(db, 1).status == "pending"  # not reset as if interrupted


@pytest.mark.parametrize(("now", "hour", "cutoff"), [
    ("2026-03-02T10:00", 9, "2026-03-02T09:00"), ("2026-03-02T08:59", 9, "2026-03-01T09:00"),
    ("2026-03-02T09:00", 9, "2026-03-02T09:00"), ("2026-03-02T00:30", 0, "2026-03-02T00:00"),
])
def test_digest_cutoff_is_the_last_digest_hour(now: str, hour: int, cutoff: str) -> None:
    moment = datetime.fromisoformat(now).replace(tzinfo=UTC)
    assert digest_cutoff(moment, hour) == datetime.fromisoformat(cutoff).replace(tzinfo=UTC)


def test_daily_digest_bundles_the_days_changes_into_one_mail(tmp_path: Path) -> None:
    with SmtpServer() as smtp:
        watchlist = make_watchlist(tmp_path, {
            "daily": smtp.channel_options(digest="daily", digest_hour=9),
            "now": smtp.channel_options(to=["now@example.org"])})
        db = open_db(watchlist.settings.database)
        day = datetime(2026, 3, 2, tzinfo=UTC)
        add_change(db, sale_result(), [AlertRoute("daily", "digest"), AlertRoute("now")],
                   at=day + timedelta(hours=10))
        add_change(db, sale_result(), [AlertRoute("daily", "digest")], policy="other",
                   at=day + timedelta(hours=15))
        clock = FakeClock(day + timedelta(hours=20))

        report = dispatch_digests(db, watchlist, clock=clock, sleep=RecordedSleep())
        assert (report.sent, report.bundled) == (1, [])  # the immediate one only
        assert [m.rcpt_tos for m in smtp.wait_for(1)] == [["now@example.org"]]

        clock.now = day + timedelta(days=1, hours=9)
        report = dispatch_digests(db, watchlist, clock=clock, sleep=RecordedSleep())

        assert report.sent == 1 and len(report.bundled) == 1
        digest = smtp.wait_for(2)[1]
        assert digest.rcpt_tos == ["privacy-team@example.org"]
        assert digest.message["Subject"] == ("[policywatch] daily digest · 2 changes in 2 "
                                             "policies · highest HIGH")
        assert digest.message["Message-ID"].startswith("<policywatch.digest-")
        text = digest.body("plain")
        assert "Kareo privacy policy" in text and "HIGH · other ·" in text
        rows = {row["id"]: row for row in alert_rows(db)}
        members = [r for r in rows.values() if r["bundle_id"] == report.bundled[0]]
        assert len(members) == 2 and {r["status"] for r in members} == {"sent"}
        assert dispatch_digests(db, watchlist, clock=clock, sleep=RecordedSleep()).sent == 0


def test_a_failed_digest_fails_its_members_and_comes_back_whole_on_retry(tmp_path: Path) -> None:
    watchlist = make_watchlist(tmp_path, {"daily": {
        "type": "slack", "webhook_url_env": "PW_TEST_UNSET", "digest": "daily"}})
    db = open_db(watchlist.settings.database)
    add_change(db, sale_result(), [AlertRoute("daily", "digest")])
    clock = FakeClock(datetime(2026, 3, 3, 12, 0, tzinfo=UTC))

    report = dispatch_digests(db, watchlist, clock=clock, environ={})

    [bundle] = report.bundled
    assert report.failed == 1
    assert get_alert(db, 1).status == "failed"
    assert f"digest #{bundle} failed" in (get_alert(db, 1).last_error or "")
    requeue(db, bundle, iso(clock()))
    assert get_alert(db, 1).status == "digest"
    out = StringIO()
    report = dispatch_pending(db, watchlist, clock=clock, notifiers=console(out, "daily"))
    assert report.sent == 1 and get_alert(db, 1).status == "sent"
    assert "daily digest · 1 change in 1 policy" in out.getvalue()


def test_operator_notices_go_to_the_console_by_default_once(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    watchlist = make_watchlist(tmp_path, {})
    db = open_db(watchlist.settings.database)
    now = iso(FakeClock()())

    first = enqueue_operator_notice(db, watchlist, "kareo: fetch broken (http_404)",
                                    "The page answers 404 since 3 checks.", now=now)
    again = enqueue_operator_notice(db, watchlist, "kareo: fetch broken (http_404)", "…", now=now)

    assert len(first) == 1 and again == []
    report = dispatch_pending(db, watchlist, clock=FakeClock())
    assert report.sent == 1
    printed = capsys.readouterr().out
    assert "[policywatch] operator notice · kareo: fetch broken (http_404)" in printed
    assert "The page answers 404 since 3 checks." in printed


def test_operator_notices_use_the_operator_channels(tmp_path: Path) -> None:
    with SmtpServer() as smtp:
        watchlist = make_watchlist(tmp_path, {"ops": smtp.channel_options(to=["ops@example.org"]),
                                              "team": smtp.channel_options()},
                                   settings={"operator_channels": ["ops"]})
        db = open_db(watchlist.settings.database)
        enqueue_operator_notice(db, watchlist, "suspect extraction held", "<b>kept</b>",
                                now=iso(FakeClock()()))

        dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep())

        [mail] = smtp.wait_for(1)
        assert mail.rcpt_tos == ["ops@example.org"]
        assert "&lt;b&gt;kept&lt;/b&gt;" in mail.body("html")


def test_transient_failures_give_up_after_the_last_attempt(tmp_path: Path) -> None:
    server = SmtpServer()  # never started
    watchlist = make_watchlist(tmp_path, {"team": server.channel_options()})
    db = open_db(watchlist.settings.database)
    add_change(db, sale_result(), [AlertRoute("team")])
    db.execute("UPDATE alerts SET attempts = ?", [MAX_ATTEMPTS - 1])

    report = dispatch_pending(db, watchlist, clock=FakeClock(), sleep=RecordedSleep())

    assert report.failed == 1
    assert (get_alert(db, 1).last_error or "").startswith(f"gave up after {MAX_ATTEMPTS} attempts")


def test_an_alert_for_a_channel_no_longer_configured_fails_with_the_reason(tmp_path: Path) -> None:
    watchlist = make_watchlist(tmp_path, {"team": {"type": "console"}})
    db = open_db(watchlist.settings.database)
    add_change(db, sale_result(), [AlertRoute("removed-channel")])

    report = dispatch_pending(db, watchlist, clock=FakeClock())

    assert report.failed == 1
    assert "'removed-channel' is not configured" in (get_alert(db, 1).last_error or "")


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    rng = random.Random(7)
    for attempts in range(1, 40):
        ceiling = min(BACKOFF_CAP, 2.0 * 2 ** (attempts - 1))
        delays = [backoff_delay(attempts, rng) for _ in range(20)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered


# --- CLI -------------------------------------------------------------------------------------

def run(config: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--config", str(config), "alerts", *args])


def test_cli_lists_sends_retries_and_tests(tmp_path: Path) -> None:
    with SmtpServer(users={"u": "p"}) as smtp:
        make_watchlist(tmp_path, {"team": smtp.channel_options(
            username="u", password_env="PW_TEST_CLI_PASSWORD")})
        config = tmp_path / "watchlist.toml"
        db = open_db(tmp_path / "test.db")
        add_change(db, sale_result(), [AlertRoute("team")])

        listed = run(config, "--pending")
        assert listed.exit_code == 0
        assert "#1     pending  team" in listed.output
        assert "sale of data introduced" in listed.output

        sent = run(config, "send")  # PW_TEST_CLI_PASSWORD is unset: a permanent failure
        assert sent.exit_code == 1 and "failed 1" in sent.output
        failed = run(config, "--failed")
        assert "PW_TEST_CLI_PASSWORD (password_env) is not set" in failed.output
        assert run(config, "test", "team").exit_code == 1

        assert run(config, "retry", "1").exit_code == 0
        with pytest.MonkeyPatch.context() as env:
            env.setenv("PW_TEST_CLI_PASSWORD", "p")
            assert run(config, "send").exit_code == 0
            tested = run(config, "test", "team")
        assert tested.exit_code == 0 and "sent a test message to team" in tested.output
        assert [m.message["Subject"] for m in smtp.wait_for(2)] == [
            "[policywatch] HIGH · Kareo privacy policy · sale of data introduced",
            "[policywatch] test message for channel team"]
        assert "sent 1" in run(config).output
        retried_sent = run(config, "retry", "1")
        # asking to retry a sent alert is a usage error: exit 2, one `Error:` line
        assert retried_sent.exit_code == 2
        assert "Error: alert #1 is sent: only failed or pending" in retried_sent.output
        unknown = run(config, "test", "nope")
        assert unknown.exit_code == 2 and "no alert channel 'nope'" in unknown.output


@pytest.mark.parametrize("args", [[], ["send"], ["retry"], ["test"]])
def test_every_alerts_command_has_help(args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["alerts", *args, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
