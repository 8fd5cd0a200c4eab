"""Commands of the first slice: validate, check, history, show, reextract."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

from policywatch.monitor.errors import ConfigError, FetchError
from policywatch.monitor.watchlist import Policy, Watchlist, load_watchlist

from .root import CliState, UsageProblem, WorkFailed

if TYPE_CHECKING:
    from policywatch.monitor.context import Context
    from policywatch.monitor.pipeline import CheckResult


def watchlist_of(state: CliState) -> Watchlist:
    return load_watchlist(state.config_path)


def _watched(watchlist: Watchlist, name: str) -> bool:
    return any(p.name == name for p in watchlist.policies)


def select_policies(watchlist: Watchlist, names: tuple[str, ...]) -> list[Policy]:
    """The named policies (all when none is named); an unknown name is a usage error."""
    if not names:
        return list(watchlist.policies)
    known = {p.name: p for p in watchlist.policies}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageProblem(f"not in {watchlist.path}: {', '.join(unknown)} "
                           f"(known: {', '.join(known) or 'none'})")
    return [known[n] for n in names]


FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                      show_default=True, help="Plain text, or JSON for scripts.")


@click.command()
@FORMAT
@click.pass_obj
def validate(state: CliState, fmt: str) -> None:
    """Check the watchlist; print OK or every problem (exit 2)."""
    try:
        watchlist = watchlist_of(state)
    except ConfigError as exc:
        if fmt == "text":
            raise
        click.echo(json.dumps({"ok": False, "path": exc.path, "problems": exc.problems},
                              indent=2, ensure_ascii=False))
        sys.exit(2)
    channels = len(watchlist.channels)
    if fmt == "json":
        click.echo(json.dumps({
            "ok": True, "path": str(watchlist.path), "database": watchlist.settings.database,
            "policies": [p.name for p in watchlist.policies],
            "channels": sorted(watchlist.channels)}, indent=2, ensure_ascii=False))
        return
    click.echo(f"OK: {len(watchlist.policies)} policies, {channels} alert channel(s)"
               f"{'' if channels else ' (alerts go to the console)'}")


Say = Callable[[str], None]  # prints a text-mode line (or not, under --format json)
CHECK_FIELDS = ("policy", "outcome", "reason", "detail", "transient", "version_id", "change_id",
                "severity", "summary", "duration_ms")


@click.command()
@click.argument("names", nargs=-1)
@click.option("--no-send", is_flag=True, help="Queue alerts but do not dispatch them now.")
@FORMAT
@click.pass_obj
def check(state: CliState, names: tuple[str, ...], no_send: bool, fmt: str) -> None:
    """Check each (or each named) policy once; one line per policy.

    Exits 0 when every check succeeded, 1 when any check failed (or was held as suspect).
    """
    from policywatch.monitor.context import open_context

    watchlist = watchlist_of(state)
    policies = select_policies(watchlist, names)
    ctx = open_context(watchlist)
    say = click.echo if fmt == "text" else _quiet
    # Under --format json stdout carries the JSON only: console alerts go to stderr meanwhile.
    with contextlib.redirect_stdout(sys.stderr) if fmt == "json" else contextlib.nullcontext():
        records = [check_one(ctx, policy, say) for policy in policies]
        alerts = None if no_send else dispatch_alerts(ctx, say)
    if fmt == "json":
        click.echo(json.dumps({"checks": records, "alerts": alerts}, indent=2,
                              ensure_ascii=False))
    failed = sum(r["outcome"] in ("failed", "suspect") for r in records)
    if failed:
        raise WorkFailed(f"{failed} of {len(records)} checks failed")


def _quiet(message: str) -> None:
    """Text-mode lines are not printed under --format json (the JSON carries the same)."""


def check_one(ctx: Context, policy: Policy, say: Say) -> dict[str, Any]:
    """Backfill if due, then check: the result's JSON record (also said as a line)."""
    from policywatch.monitor.pipeline import check as check_policy

    backfill = None
    try:
        backfill = backfill_first(ctx, policy, say)
        result = check_policy(ctx, policy)
    except Exception as exc:  # a bug must not stop the other policies' checks
        logging.getLogger("policywatch.check").exception("%s: check crashed", policy.name)
        say(f"{policy.name}: failed: internal_error: {type(exc).__name__}: {exc}")
        return {**dict.fromkeys(CHECK_FIELDS), "policy": policy.name, "outcome": "failed",
                "reason": "internal_error", "detail": f"{type(exc).__name__}: {exc}",
                "transient": False, "backfill": backfill}
    say(describe(result))
    recorded = asdict(result)
    return {**{key: recorded[key] for key in CHECK_FIELDS}, "backfill": backfill}


def backfill_first(ctx: Context, policy: Policy, say: Say) -> str | None:
    """A policy with `wayback` configured is backfilled before its first live check; the line
    that says how it went, or None when no backfill was due."""
    from policywatch.monitor.history.backfill import backfill_policy, needs_backfill

    if not needs_backfill(ctx, policy):
        return None
    try:
        report = backfill_policy(ctx, policy)
    except FetchError as exc:
        # The archive being down must not stop the live check; the next run retries.
        line = f"backfill failed, will retry: {exc.reason}: {exc.detail}"
    else:
        line = f"backfill: {report.summary}"
    say(f"{policy.name}: {line}")
    return line


def dispatch_alerts(ctx: Context, say: Say) -> dict[str, int]:
    """Send what is due: pending alerts and the daily digests whose hour has come (so a
    cron-driven `policywatch check` needs no daemon)."""
    from policywatch.alerts.outbox import dispatch_digests

    report = dispatch_digests(ctx.db, ctx.watchlist, clock=ctx.clock, session=ctx.session)
    say(f"alerts: {report.summary}")
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}


def describe(result: CheckResult) -> str:
    """One line: `name: new version (HIGH: sale of data introduced)` and the like."""
    if result.outcome == "new_version":
        severity = (result.severity or "none").upper()
        return f"{result.policy}: new version ({severity}: {result.summary})"
    if result.outcome == "first_version":
        return f"{result.policy}: first version recorded"
    if result.outcome == "unchanged":
        return f"{result.policy}: unchanged"
    kind = "transient, will retry" if result.transient else "permanent, needs attention"
    label = "suspect" if result.outcome == "suspect" else "failed"
    detail = f": {result.detail}" if result.detail else ""
    return f"{result.policy}: {label}: {result.reason or 'unknown'}{detail} ({kind})"


@click.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_obj
def history(state: CliState, name: str, fmt: str) -> None:
    """List a policy's versions, oldest first."""
    from policywatch.storage.db import open_db
    from policywatch.storage.versions import timeline

    watchlist = watchlist_of(state)
    versions = timeline(open_db(watchlist.settings.database), name)
    if not versions:
        raise UsageProblem(f"no stored versions of {name!r} in {watchlist.settings.database}"
                           f"{'' if _watched(watchlist, name) else ' (not in the watchlist)'}")
    rows: list[dict[str, Any]] = [
        {"version": v.number, "first_seen": v.first_seen, "last_seen": v.last_seen,
         "source": v.source, "archive_timestamp": v.archive_timestamp, "chars": v.chars,
         "sha256": v.norm_hash} for v in versions]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{'#':>3}  {'first seen':<20} {'last seen':<20} {'source':<8} "
               f"{'captured':<15} {'chars':>7}  sha256")
    for row in rows:
        click.echo(f"{row['version']:>3}  {row['first_seen'][:19]:<20} "
                   f"{row['last_seen'][:19]:<20} {row['source']:<8} "
                   f"{row['archive_timestamp'] or '-':<15} {row['chars']:>7}  "
                   f"{row['sha256'][:12]}")


@click.command()
@click.argument("name")
@click.option("--version", "number", type=int, help="Version number (1 = oldest, -1 = latest).")
@click.option("--at", "at", type=click.DateTime(["%Y-%m-%d"]),
              help="The version in force on this date (YYYY-MM-DD).")
@click.pass_obj
def show(state: CliState, name: str, number: int | None, at: datetime | None) -> None:
    """Print the text of one version (the latest by default)."""
    from policywatch.storage.db import open_db
    from policywatch.storage.versions import get_version

    if number is not None and at is not None:
        raise click.UsageError("give --version or --at, not both")
    watchlist = watchlist_of(state)
    day: date | None = at.date() if at else None
    version = get_version(open_db(watchlist.settings.database), name, number=number, at=day)
    click.echo(version.text)


@click.command()
@click.argument("names", nargs=-1)
@click.pass_obj
def reextract(state: CliState, names: tuple[str, ...]) -> None:
    """Re-derive history from stored snapshots with the current extractor (no fetching).

    Re-derived versions are marked and never count as changes of the policy.
    """
    from policywatch.monitor.context import open_context
    from policywatch.monitor.history.reextract import reextract_policy

    watchlist = watchlist_of(state)
    ctx = open_context(watchlist)
    for policy in select_policies(watchlist, names):
        report = reextract_policy(ctx, policy)
        verdict = "history re-derived" if report.replaced else "nothing to re-derive"
        click.echo(f"{policy.name}: {verdict}: {report.snapshots} snapshots → "
                   f"{report.versions} versions ({report.rejected} rejected pages)")
