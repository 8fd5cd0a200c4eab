"""`policywatch changes`: what changed, when, and how much it matters, across policies."""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from policywatch.monitor.model import SEVERITIES

from .root import CliState

if TYPE_CHECKING:
    import sqlite_utils

    from policywatch.monitor.history.stated_dates import DatedChange
    from policywatch.storage.changes import ChangeListing


@click.command()
@click.argument("names", nargs=-1)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]),
              help="Only changes that happened on or after this date (YYYY-MM-DD).")
@click.option("--min-severity", type=click.Choice(SEVERITIES), default="none", show_default=True,
              help="Only changes at least this severe (low and up are material).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_obj
def changes(state: CliState, names: tuple[str, ...], since: datetime | None, min_severity: str,
            fmt: str) -> None:
    """List recorded changes, oldest first: dating window, severity, direction, categories and
    summary. `policywatch diff NAME@N NAME@M` shows one in full."""
    from policywatch.monitor.history.stated_dates import dated_changes
    from policywatch.monitor.model import severity_rank
    from policywatch.storage.db import open_db

    from .core import select_policies, watchlist_of

    watchlist = watchlist_of(state)
    selected = [p.name for p in select_policies(watchlist, names)]
    db = open_db(watchlist.settings.database)
    dated = dated_changes(db, selected, since=since.strftime("%Y-%m-%d") if since else None,
                          min_rank=severity_rank(min_severity))
    number_of = current_numbers(db, [d.change for d in dated])
    rows = [change_document(d, number_of) for d in dated]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no recorded changes match")
    for row in rows:
        click.echo(describe_change(row))


def change_document(dated: DatedChange, number_of: Callable[[str, int], int | None]
                    ) -> dict[str, Any]:
    """The change as `--format json` prints it: its columns but the version ids, its date note,
    and its versions as numbers of the current timeline."""
    row = asdict(dated.change)
    from_id, to_id = row.pop("from_version_id"), row.pop("to_version_id")
    return {"id": row.pop("id"), **row, "date_note": dated.date_note,
            "from_version": number_of(row["policy"], from_id),
            "to_version": number_of(row["policy"], to_id)}


def current_numbers(db: sqlite_utils.Database, changes: Sequence[ChangeListing]
                    ) -> Callable[[str, int], int | None]:
    """Each change's versions as numbers of the policy's current timeline, so that `diff NAME@N
    NAME@M` shows them. A change recorded before a re-extraction points at versions of an older
    generation: it maps to the current version in force when that version was first seen."""
    from policywatch.storage.changes import versions_first_seen
    from policywatch.storage.versions import timeline

    timelines = {name: timeline(db, name) for name in {change.policy for change in changes}}
    by_id = {v.id: v.number for versions in timelines.values() for v in versions}
    first_seen = versions_first_seen(db, [version_id for change in changes
                                          for version_id in (change.from_version_id,
                                                             change.to_version_id)
                                          if version_id is not None and version_id not in by_id])

    def number_of(policy: str, version_id: int) -> int | None:
        if version_id in by_id:
            return by_id[version_id]
        versions, seen = timelines[policy], first_seen.get(version_id)
        if seen is None or not versions:
            return None
        index = bisect_right([v.first_seen for v in versions], seen) - 1
        return versions[max(index, 0)].number

    return number_of


def describe_change(row: dict[str, Any]) -> str:
    """`2024-03-14 → 2024-05-22  kareo v3→v4  HIGH worse  sale  summary  [archive]`."""
    start = (row["window_start"] or "?")[:10]
    end = (row["window_end"] or row["detected_at"])[:10]
    versions = (f"v{row['from_version']}→v{row['to_version']}"
                if row["from_version"] and row["to_version"] else "")
    categories = ",".join(row["categories"]) or "-"
    source = "  [archive]" if row["source"] == "archive" else ""
    note = f"  [{row['date_honesty']}: {row['date_note']}]" if row.get("date_note") else ""
    return (f"{start} → {end}  {row['policy']} {versions}  {row['severity'].upper()} "
            f"{row['direction']}  {categories}  {row['summary']}{source}{note}")
