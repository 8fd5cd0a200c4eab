"""The stated-date verdict through check(): stored with the change, said in the alert, never
alerting for a date-only change, shown by `policywatch changes`, and worked out for changes
recorded before it existed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import policywatch.monitor.cli  # noqa: F401  (registers every command on the root group)
from policywatch.alerts.compose import compose
from policywatch.alerts.render_email import render_html, render_text
from policywatch.alerts.render_slack import slack_payload
from policywatch.monitor.cli.root import cli
from policywatch.monitor.context import Context
from policywatch.monitor.history.stated_dates import version_stated_dates
from policywatch.monitor.pipeline import check
from policywatch.storage.changes import policy_changes
from policywatch.storage.outbox import get_alert
from tests.support.config import load, make_context, write_watchlist
from tests.support.pages import SAMPLE_POLICY, policy_page
from tests.support.site import Site

SELLING = SAMPLE_POLICY.replace("We do not sell your personal information.",
                                "We sell your personal information to data brokers.")
REDATED = SELLING.replace("Last updated: 1 March 2024", "Last updated: 9 April 2024")
SILENT_NOTE = "The 'Last updated' date was not changed (still 2024-03-01)."


@pytest.fixture()
def env(tmp_path: Path) -> Iterator[tuple[Context, Site, Path]]:
    with Site() as site:
        site.set_page("/privacy", policy_page(SAMPLE_POLICY))
        config = write_watchlist(tmp_path, [{"name": "northwind", "url": site.url("/privacy")}])
        yield make_context(load(config)), site, config


def change_alert_ids(ctx: Context) -> list[int]:
    return [int(r[0]) for r in ctx.db.execute(
        "SELECT id FROM alerts WHERE kind = 'change' ORDER BY id").fetchall()]


def run_checks(ctx: Context, site: Site, *texts: str) -> None:
    policy = ctx.watchlist.policy("northwind")
    assert check(ctx, policy).outcome == "first_version"
    for text in texts:
        site.set_page("/privacy", policy_page(text))
        assert check(ctx, policy).outcome == "new_version"


def test_a_silent_change_is_stored_and_said_in_every_channel(env: tuple) -> None:
    ctx, site, _ = env
    run_checks(ctx, site, SELLING)
    [change] = policy_changes(ctx.db, "northwind")
    assert (change.date_honesty, change.old_stated_date, change.new_stated_date,
            change.stated_date_label) == ("silent", "2024-03-01", "2024-03-01",
                                             "Last updated")
    [alert_id] = change_alert_ids(ctx)
    message = compose(ctx.db, ctx.watchlist, get_alert(ctx.db, alert_id))
    assert SILENT_NOTE in render_text(message)
    assert SILENT_NOTE.replace("'", "&#x27;") in render_html(message)
    assert SILENT_NOTE in json.dumps(slack_payload(message))


def test_a_date_only_change_is_recorded_and_never_alerts(env: tuple) -> None:
    ctx, site, _ = env
    run_checks(ctx, site, SELLING, REDATED)
    changes = policy_changes(ctx.db, "northwind")
    assert [c.date_honesty for c in changes] == ["silent", "date_only"]
    assert len(change_alert_ids(ctx)) == 1  # the sale only
    assert [(n, d.iso() if d else None) for n, d in version_stated_dates(ctx.db, "northwind")] \
        == [(1, "2024-03-01"), (2, "2024-03-01"), (3, "2024-04-09")]


def test_changes_shows_the_verdict_and_fills_in_older_changes(env: tuple) -> None:
    ctx, site, config = env
    run_checks(ctx, site, SELLING, REDATED)
    # As if recorded by a release that did not read stated dates.
    ctx.db.execute("UPDATE changes SET date_honesty = NULL, old_stated_date = NULL")
    runner = CliRunner()
    text = runner.invoke(cli, ["--config", str(config), "changes"],
                         catch_exceptions=False).output
    assert "[silent: the 'Last updated' date was not changed (still 2024-03-01)]" in text
    assert "[date_only: only the 'Last updated' date changed (2024-03-01 → 2024-04-09)]" in text
    rows = json.loads(runner.invoke(cli, ["--config", str(config), "changes", "--format",
                                          "json"], catch_exceptions=False).output)
    assert [(r["date_honesty"], r["old_stated_date"], r["new_stated_date"]) for r in rows] == [
        ("silent", "2024-03-01", "2024-03-01"), ("date_only", "2024-03-01", "2024-04-09")]
    assert rows[0]["date_note"] == "the 'Last updated' date was not changed (still 2024-03-01)"
