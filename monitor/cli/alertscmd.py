"""`policywatch alerts`: list the outbox, send what is due, retry a failed alert, test a channel."""

from __future__ import annotations

import json
import sys
from typing import Any
from uuid import uuid4

import click

from policywatch.monitor.errors import AlertError, PolicywatchError
from policywatch.monitor.model import message_id
from policywatch.monitor.timeutil import iso, utcnow
from policywatch.monitor.watchlist import Watchlist, load_watchlist

from .root import CliState, cli


def _open(state: CliState) -> tuple[Watchlist, Any]:
    from policywatch.storage.db import open_db

    watchlist = load_watchlist(state.config_path)
    return watchlist, open_db(watchlist.settings.database)


def _describe_row(row: dict[str, Any]) -> str:
    from policywatch.alerts.textsafe import strip_controls

    if row["kind"] == "operator":
        what = "operator notice: " + str(json.loads(row["payload"] or "{}").get("subject", ""))
    elif row["kind"] == "digest":
        what = "daily digest"
    else:
        what = f"{row['policy']} {str(row['severity']).upper()}: {row['summary']}"
    when = (f"sent {row['sent_at']}" if row["sent_at"] else
            f"next attempt {row['next_attempt_at']}" if row["status"] == "pending" else "")
    bundle = f" (in digest #{row['bundle_id']})" if row["bundle_id"] else ""
    line = (f"#{row['id']:<5} {row['status']:<8} {row['channel']:<16} {strip_controls(what)}"
            f"{bundle}  attempts={row['attempts']} {when}")
    if row["last_error"] and row["status"] != "sent":
        line += "\n       " + strip_controls(str(row["last_error"]))[:300]
    return line


@cli.group("alerts", invoke_without_command=True)
@click.option("--pending", "status", flag_value="pending", help="Only alerts waiting to be sent.")
@click.option("--failed", "status", flag_value="failed", help="Only alerts that failed for good.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True,
              help="Show at most this many (newest first).")
@click.pass_context
def alerts_group(ctx: click.Context, status: str | None, limit: int) -> None:
    """List alerts newest first (all, --pending or --failed), or run a subcommand."""
    if ctx.invoked_subcommand:
        return
    from policywatch.storage.outbox import list_alerts, status_counts

    _, db = _open(ctx.obj)
    rows = list_alerts(db, status, limit)
    counts = status_counts(db)
    click.echo(", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no alerts yet")
    for row in rows:
        click.echo(_describe_row(row))


@alerts_group.command("send")
@click.pass_obj
def send(state: CliState) -> None:
    """Send every alert that is due (and the daily digests that are due).

    Exits 1 when an alert failed for good in this run.
    """
    from policywatch.alerts.outbox import dispatch_digests

    watchlist, db = _open(state)
    report = dispatch_digests(db, watchlist)
    for outcome in report.outcomes:
        detail = f": {outcome.detail}" if outcome.detail else ""
        later = f" (next attempt {outcome.next_attempt_at})" if outcome.next_attempt_at else ""
        click.echo(f"#{outcome.alert_id} {outcome.channel}: {outcome.status}{later}{detail}")
    click.echo(report.summary)
    if report.failed:
        sys.exit(1)


@alerts_group.command("retry")
@click.argument("alert_id", type=int)
@click.pass_obj
def retry(state: CliState, alert_id: int) -> None:
    """Queue a failed (or waiting) alert to be sent now."""
    from policywatch.storage.outbox import requeue

    _, db = _open(state)
    row = requeue(db, alert_id, iso(utcnow()))
    click.echo(f"alert #{row.id} to {row.channel} queued; `policywatch alerts send` (or the "
               "running daemon) sends it")


@alerts_group.command("test")
@click.argument("channel")
@click.pass_obj
def test(state: CliState, channel: str) -> None:
    """Send a test message to CHANNEL now and say what happened (exit 1 on failure)."""
    from policywatch.alerts.compose import resolve_channel, sample_message
    from policywatch.alerts.notifiers import make_notifier

    watchlist = load_watchlist(state.config_path)
    target = resolve_channel(watchlist, channel)
    if target is None:
        known = ", ".join(sorted(watchlist.channels)) or "none (the console is the default)"
        raise click.UsageError(f"no alert channel {channel!r} in {watchlist.path} "
                               f"(defined: {known})")
    notifier = make_notifier(target)
    message = sample_message(channel, message_id("test", uuid4().hex, channel))
    try:
        note = notifier.send(message)
    except AlertError as exc:
        kind = "transient: may work later" if exc.transient else "permanent: fix the channel"
        click.echo(f"FAILED to send to {channel} ({notifier.describe()}): {exc.detail} ({kind})")
        sys.exit(1)
    except PolicywatchError as exc:
        click.echo(f"FAILED to send to {channel}: {exc}")
        sys.exit(1)
    click.echo(f"sent a test message to {channel} ({notifier.describe()})"
               + (f"; note: {note}" if note else ""))
