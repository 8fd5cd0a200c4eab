"""`policywatch backfill [NAME ...] [--since DATE] [--until DATE]`: history from the Wayback
Machine.

Names given: those policies (with or without `wayback` in the watchlist). No name: every policy
with `wayback` configured. One summary line per policy, then every failed capture. Exits 0 when
every policy's index was read (failed captures are reported, and retried by the next run), 1 when
some policy could not be backfilled at all.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import click

from policywatch.monitor.errors import FetchError

from .core import select_policies, watchlist_of
from .errtext import short_error, short_url
from .progress import BackfillProgress
from .root import CliState, UsageProblem, WorkFailed

if TYPE_CHECKING:  # the history package is imported when the command runs (start-up time)
    from policywatch.monitor.context import Context
    from policywatch.monitor.history.backfill import BackfillReport
    from policywatch.monitor.watchlist import Policy

FAILURES_SHOWN = 50  # per policy; the rest are counted


def index_error(error: FetchError, verbose: bool) -> str:
    """Why the archive index could not be read, in one line (in full with --verbose)."""
    kind = "transient, try again later" if error.transient else "permanent"
    if verbose:
        return f"the archive index could not be read: {error.url}: {error.reason}: " \
               f"{error.detail} ({kind})"
    return (f"the archive index at {short_url(error.url)} could not be read: {error.reason}: "
            f"{short_error(error.detail)} ({kind}; --verbose for details)")


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _backfill_one(ctx: Context, policy: Policy, since: datetime | None, until: datetime | None,
                  verbose: bool, progress_interval: float) -> BackfillReport | None:
    """Backfill one policy and print its summary line; None when its archive index could not
    be read (said on one line)."""
    from policywatch.monitor.history.backfill import backfill_policy

    progress = BackfillProgress(policy.name, every=progress_interval)
    try:
        report = backfill_policy(ctx, policy, since=_day(since), until=_day(until),
                                 progress=progress)
    except FetchError as error:
        click.echo(f"{policy.name}: backfill failed: {index_error(error, verbose)}")
        return None
    finally:
        progress.close()
    click.echo(f"{policy.name}: {progress.summary()}; {report.changes_added} changes recorded "
               f"(index: {report.listed} listed, {report.distinct_digests} distinct)")
    return report


@click.command()
@click.argument("names", nargs=-1)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]),
              help="Only captures from this day on (default: the policy's wayback.since).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]),
              help="Only captures up to this day (inclusive).")
@click.option("--verbose", "-v", is_flag=True,
              help="Network errors in full (the whole request URL and library message).")
@click.option("--progress-interval", type=click.FloatRange(0), default=10.0, show_default=True,
              help="Seconds between progress lines on stderr when it is not a terminal.")
@click.pass_obj
def backfill(state: CliState, names: tuple[str, ...], since: datetime | None,
             until: datetime | None, verbose: bool, progress_interval: float) -> None:
    """Fill in each policy's history from the Wayback Machine (resumable; never alerts).

    NAMES: the policies to backfill; none means every policy with `wayback` configured.
    """
    from policywatch.monitor.context import open_context

    watchlist = watchlist_of(state)
    policies = (select_policies(watchlist, names) if names
                else [p for p in watchlist.policies if p.wayback is not None])
    if not policies:
        raise UsageProblem("no policy has `wayback` configured: name the policies to "
                           "backfill, or add `wayback = true` to them")
    ctx = open_context(watchlist)
    failures: list[str] = []
    unreadable = 0
    for policy in policies:
        report = _backfill_one(ctx, policy, since, until, verbose, progress_interval)
        if report is None:
            unreadable += 1
            continue
        failures += [f"  {policy.name} {stamp}: {reason if verbose else short_error(reason)}"
                     for stamp, reason in report.failed[:FAILURES_SHOWN]]
        if len(report.failed) > FAILURES_SHOWN:
            failures.append(f"  {policy.name}: … and {len(report.failed) - FAILURES_SHOWN} more")
    if failures:
        click.echo("failed captures (the next run retries those that never downloaded):")
        for line in failures:
            click.echo(line)
    if unreadable:
        raise WorkFailed(f"{unreadable} of {len(policies)} policies could not be backfilled")
