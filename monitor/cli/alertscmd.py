"""`policywatch alerts`: list the outbox, send what is due, retry a failed alert, test a channel."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import click

from policywatch.monitor.errors import AlertError, PolicywatchError, StorageError
from policywatch.monitor.model import message_id
from policywatch.monitor.timeutil import iso, utcnow
from policywatch.monitor.watchlist import Watchlist, load_watchlist

from .root import CliState, UsageProblem, WorkFailed

if TYPE_CHECKING:
    import sqlite_utils

    from policywatch.storage.outbox import AlertListing


def _open(state: CliState) -> tuple[Watchlist, sqlite_utils.Database]:
    from policywatch.storage.db import open_db

    watchlist = load_watchlist(state.config_path)
    return watchlist, open_db(watchlist.settings.database)


def _what(row: AlertListing) -> str:
    """What an alert is about, in a few words."""
    from policywatch.alerts.textsafe import strip_controls

    if row.kind == "operator":
        what = "operator notice: " + str(row.payload.get("subject", ""))
    elif row.kind == "digest":
        what = "daily digest"
    else:
        what = f"{row.policy} {str(row.severity).upper()}: {row.summary}"
    return strip_controls(what)


def _describe_row(row: AlertListing) -> str:
    from policywatch.alerts.textsafe import strip_controls

    what = _what(row)
    when = (f"sent {row.sent_at}" if row.sent_at else
            f"next attempt {row.next_attempt_at}" if row.status == "pending" else "")
    bundle = f" (in digest #{row.bundle_id})" if row.bundle_id else ""
    line = (f"#{row.id:<5} {row.status:<8} {row.channel:<16} {what}"
            f"{bundle}  attempts={row.attempts} {when}")
    if row.last_error and row.status != "sent":
        line += "\n       " + strip_controls(str(row.last_error))[:300]
    return line


# What each listing filter shows. Not yet delivered: due or retrying later ('pending'), going
# out right now ('sending'), or waiting for its channel's daily digest ('digest').
FILTERS: dict[str, tuple[str, ...]] = {"pending": ("pending", "sending", "digest"),
                                       "failed": ("failed",)}
JSON_FIELDS = ("id", "status", "kind", "channel", "policy", "severity", "summary", "attempts",
               "created_at", "next_attempt_at", "sent_at", "bundle_id", "last_error")


def _alert_document(row: AlertListing) -> dict[str, Any]:
    """The alert as `--format json` prints it."""
    fields = asdict(row)
    return {**{key: fields[key] for key in JSON_FIELDS}, "about": _what(row)}


def _header(counts: dict[str, int], shown: int, which: str | None) -> str:
    """`2 pending (5 in all: digest 1, pending 1, sent 3)`, `no pending alerts (3 in all: sent
    3)` or, unfiltered, `5 alerts: digest 1, pending 1, sent 3`."""
    total = sum(counts.values())
    if not total:
        return "no alerts yet"
    breakdown = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
    if which is None:
        more = f", newest {shown} shown" if shown < total else ""
        return f"{total} alerts{more}: {breakdown}"
    matching = sum(counts.get(status, 0) for status in FILTERS[which])
    if not matching:
        return f"no {which} alerts ({total} in all: {breakdown})"
    more = f", newest {shown} shown" if shown < matching else ""
    return f"{matching} {which}{more} ({total} in all: {breakdown})"


@click.group("alerts", invoke_without_command=True)
@click.option("--pending", "which", flag_value="pending",
              help="Only alerts not yet delivered (due, retrying later, or waiting for a digest).")
@click.option("--failed", "which", flag_value="failed", help="Only alerts that failed for good.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True,
              help="Show at most this many (newest first).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
def alerts_group(ctx: click.Context, which: str | None, limit: int, fmt: str) -> None:
    """List alerts newest first (all, --pending or --failed), or run a subcommand.

    Listing never sends: `policywatch alerts send` does."""
    if ctx.invoked_subcommand:
        return
    from policywatch.storage.outbox import list_alerts, status_counts

    _, db = _open(ctx.obj)
    rows = list_alerts(db, FILTERS[which] if which else None, limit)
    counts = status_counts(db)
    if fmt == "json":
        alerts = [_alert_document(row) for row in rows]
        click.echo(json.dumps({"counts": counts, "alerts": alerts}, indent=2,
                              ensure_ascii=False))
        return
    click.echo(_header(counts, len(rows), which))
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
        raise WorkFailed(f"{report.failed} alert(s) failed for good: `policywatch alerts "
                         "--failed` lists them")


@alerts_group.command("retry")
@click.argument("alert_id", type=int)
@click.pass_obj
def retry(state: CliState, alert_id: int) -> None:
    """Queue a failed (or waiting) alert to be sent now."""
    from policywatch.storage.outbox import requeue

    _, db = _open(state)
    try:
        row = requeue(db, alert_id, iso(utcnow()))
    except StorageError as exc:  # a sent alert cannot be retried: the request is wrong
        raise UsageProblem(str(exc)) from exc
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
        raise UsageProblem(f"no alert channel {channel!r} in {watchlist.path} "
                           f"(defined: {known})")
    notifier = make_notifier(target)
    message = sample_message(channel, message_id("test", uuid4().hex, channel))
    try:
        note = notifier.send(message)
    except AlertError as exc:
        kind = "transient: may work later" if exc.transient else "permanent: fix the channel"
        raise WorkFailed(f"could not send to {channel} ({notifier.describe()}): {exc.detail} "
                         f"({kind})") from exc
    except PolicywatchError as exc:
        raise WorkFailed(f"could not send to {channel}: {exc}") from exc
    click.echo(f"sent a test message to {channel} ({notifier.describe()})"
               + (f"; note: {note}" if note else ""))
