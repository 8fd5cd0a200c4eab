"""Which channels hear about a classified change, and whether now or in the daily digest."""

from __future__ import annotations

from collections.abc import Sequence

from policywatch.monitor.model import DiffResult, severity_rank
from policywatch.monitor.watchlist import AlertChannel
from policywatch.storage.changes import AlertRoute


def relevant_severity(channel: AlertChannel, result: DiffResult) -> str:
    """The highest severity among the material changes this channel cares about ('none' if none).

    With a categories filter only units in those categories count, so a channel watching
    `children` is not alerted at `high` because an unrelated `sale` change was high."""
    wanted = set(channel.categories)
    units = [u for u in result.changes if u.material]
    if not units:  # a classifier that only filled the document level
        if wanted and not wanted & set(result.categories):
            return "none"
        return result.severity if result.material else "none"
    if wanted:
        units = [u for u in units if wanted & set(u.categories)]
    return max((u.severity for u in units), key=severity_rank, default="none")


def routes_for(channels: Sequence[AlertChannel], result: DiffResult) -> list[AlertRoute]:
    """Outbox rows for a change: one per channel whose threshold and filter it passes; 'digest'
    status for digest channels. A change that is not material alerts nobody."""
    if not result.material:
        return []
    routes: list[AlertRoute] = []
    for channel in channels:
        severity = relevant_severity(channel, result)
        if severity == "none" or severity_rank(severity) < severity_rank(channel.min_severity):
            continue
        routes.append(AlertRoute(channel=channel.name,
                                 status="digest" if channel.digest else "pending"))
    return routes
