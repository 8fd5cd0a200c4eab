"""`policywatch backfill [NAME ...] [--since DATE] [--until DATE]`: history from the Wayback
Machine.

Names given: those policies (with or without `wayback` in the watchlist). No name: every policy
with `wayback` configured. One summary line per policy, then every failed capture. Exits 0 when
every policy's index was read (failed captures are reported, and retried by the next run), 1 when
some policy could not be backfilled at all.
"""

from __future__ import annotations

import sys
from datetime import date, datetime

import click

from policywatch.monitor.errors import FetchError

from .core import select_policies, watchlist_of
from .root import CliState, cli

FAILURES_SHOWN = 50  # per policy; the rest are counted


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]),
              help="Only captures from this day on (default: the policy's wayback.since).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]),
              help="Only captures up to this day (inclusive).")
@click.pass_obj
def backfill(state: CliState, names: tuple[str, ...], since: datetime | None,
             until: datetime | None) -> None:
    """Fill in each policy's history from the Wayback Machine (resumable; never alerts).

    NAMES: the policies to backfill; none means every policy with `wayback` configured.
    """
    from policywatch.monitor.context import open_context
    from policywatch.monitor.history.backfill import backfill_policy

    watchlist = watchlist_of(state)
    policies = (select_policies(watchlist, names) if names
                else [p for p in watchlist.policies if p.wayback is not None])
    if not policies:
        raise click.UsageError("no policy has `wayback` configured: name the policies to "
                               "backfill, or add `wayback = true` to them")
    ctx = open_context(watchlist)
    failures: list[str] = []
    unreadable = 0
    for policy in policies:
        try:
            report = backfill_policy(ctx, policy, since=_day(since), until=_day(until))
        except FetchError as error:
            unreadable += 1
            kind = "transient, try again later" if error.transient else "permanent"
            click.echo(f"{policy.name}: backfill failed: the archive index could not be read: "
                       f"{error.reason}: {error.detail} ({kind})")
            continue
        click.echo(f"{policy.name}: {report.summary}")
        failures += [f"  {policy.name} {stamp}: {reason}"
                     for stamp, reason in report.failed[:FAILURES_SHOWN]]
        if len(report.failed) > FAILURES_SHOWN:
            failures.append(f"  {policy.name}: … and {len(report.failed) - FAILURES_SHOWN} more")
    if failures:
        click.echo("failed captures (the next run retries those that never downloaded):")
        for line in failures:
            click.echo(line)
    if unreadable:
        sys.exit(1)
