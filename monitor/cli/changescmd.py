"""`policywatch changes`: what changed, when, and how much it matters, across policies."""

from __future__ import annotations

import json
from typing import Any

import click

from policywatch.monitor.model import SEVERITIES, severity_rank

from .root import CliState, cli


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]),
              help="Only changes that happened on or after this date (YYYY-MM-DD).")
@click.option("--min-severity", type=click.Choice(SEVERITIES), default="none", show_default=True,
              help="Only changes at least this severe (low and up are material).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_obj
def changes(state: CliState, names: tuple[str, ...], since: Any, min_severity: str,
            fmt: str) -> None:
    """List recorded changes, oldest first: dating window, severity, direction, categories and
    summary. `policywatch diff NAME@N NAME@M` shows one in full."""
    from policywatch.monitor.history.stated_dates import dated_changes
    from policywatch.storage.db import open_db
    from policywatch.storage.versions import timeline

    from .core import select_policies, watchlist_of

    watchlist = watchlist_of(state)
    selected = [p.name for p in select_policies(watchlist, names)]
    db = open_db(watchlist.settings.database)
    rows = dated_changes(db, selected, since=since.strftime("%Y-%m-%d") if since else None,
                         min_rank=severity_rank(min_severity))
    numbers = {v.id: v.number for name in selected for v in timeline(db, name)}
    for row in rows:
        row["from_version"] = numbers.get(row.pop("from_version_id"))
        row["to_version"] = numbers.get(row.pop("to_version_id"))
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no recorded changes match")
    for row in rows:
        click.echo(describe_change(row))


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
