"""`policywatch blame NAME`: when each sentence of a version first appeared, and its edits."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import click

from .root import CliState, cli

if TYPE_CHECKING:
    from policywatch.monitor.history.policy_blame import BlameLine, PolicyBlame, VersionRef

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_PREVIOUS_MAX = 160


@cli.command()
@click.argument("name")
@click.option("--version", "number", type=int,
              help="Version number (1 = oldest, -1 = newest); default: the latest.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_obj
def blame(state: CliState, name: str, number: int | None, fmt: str) -> None:
    """Show every sentence, list item and heading of a version with the version and date it
    first appeared in this wording, its last edit and earlier wording, where it was absent, and
    each version's source (live, or archive capture with its Wayback URL)."""
    from policywatch.monitor.history.policy_blame import blame_policy
    from policywatch.storage.db import open_db

    from .core import watchlist_of

    db = open_db(watchlist_of(state).settings.database)
    result = blame_policy(db, name, number)
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo("\n".join(render_blame(result)))


def _clean(text: str) -> str:
    """Policy text on a terminal: no control or direction-override characters."""
    return _CONTROLS.sub(" ", text)


def _ref(ref: VersionRef) -> str:
    return f"v{ref.number} ({ref.date[:10]})"


def render_blame(result: PolicyBlame) -> list[str]:
    """Lines grouped under their section, each prefixed with the version since which it reads
    so; notes below a line say when it was first seen, edited, absent or moved."""
    width = len(f"v{result.timeline_length}")
    lines = [f"{_clean(result.policy)}: version {result.version.number} of "
             f"{result.timeline_length}, first seen {result.version.date[:10]} "
             f"({result.version.source})", ""]
    for section, members in result.sections():
        lines.append(f"§ {_clean(section)}" if section else "§ (before the first heading)")
        for line in members:
            tag = f"v{line.since.number}".ljust(width)
            text = ("# " if line.heading else "") + _clean(line.text)
            source = "archive" if line.since.source == "archive" else "live   "
            lines.append(f"  {tag}  {line.since.date[:10]}  {source}  {text}")
            lines.extend(" " * (width + 25) + note for note in _notes(line))
        lines.append("")
    lines.append("Versions:")
    for ref in result.versions():
        where = (f"archive capture {ref.archive_timestamp}  {ref.archive_url or ''}"
                 if ref.source == "archive" else "live")
        lines.append(f"  v{ref.number}".ljust(width + 4) + f"{ref.date[:10]}  {_clean(where)}")
    return lines


def _notes(line: BlameLine) -> list[str]:
    notes = []
    if line.previous is not None:
        before = _clean(line.previous)
        if len(before) > _PREVIOUS_MAX:
            before = before[:_PREVIOUS_MAX - 1] + "…"
        notes.append(f"edited in {_ref(line.since)}, first appeared in {_ref(line.born)}; "
                     f"before: \"{before}\"")
    for removed, back in line.gaps:
        notes.append(f"absent from {_ref(removed)} until {_ref(back)}")
    if line.moved is not None:
        notes.append(f"moved in {_ref(line.moved)}")
    return notes
