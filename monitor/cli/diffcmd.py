"""`policywatch diff OLD NEW`: compare two versions, files or stored, as a reader would."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import click

from .root import CliState, WorkFailed

# The renderers' names (monitor.diff.FORMATS, checked by a test) without importing the differ.
FORMATS = ("text", "markdown", "html", "json")

_STORED = re.compile(r"(?P<name>.+)@(?:(?P<number>-?\d+)|(?P<day>\d{4}-\d{2}-\d{2}))")
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)


def read_version_file(path: Path) -> str:
    """A file's policy text: HTML is extracted to light Markdown, text and Markdown are read as
    they are (UTF-8, undecodable bytes replaced)."""
    body = path.read_bytes()
    if path.suffix.lower() in _HTML_SUFFIXES or _HTML_START.match(body[:2048]):
        from policywatch.monitor.extract import (
            extract,  # the extract stage, only needed for HTML input
        )

        return extract(body, content_type="text/html")
    return body.decode("utf-8-sig", errors="replace")


def read_stored_version(state: CliState, name: str, number: int | None, day: date | None) -> str:
    from policywatch.monitor.watchlist import load_watchlist
    from policywatch.storage.db import open_db
    from policywatch.storage.versions import get_version_text

    database = load_watchlist(state.config_path).settings.database
    return get_version_text(open_db(database), name, number=number, at=day)


def load_version(state: CliState, spec: str) -> str:
    """The text named by OLD or NEW: an existing file, else NAME@N or NAME@YYYY-MM-DD."""
    path = Path(spec)
    if path.is_file():
        return read_version_file(path)
    match = _STORED.fullmatch(spec)
    if match is None:
        raise click.UsageError(f"{spec!r} is neither an existing file nor a stored version "
                               "written NAME@N or NAME@YYYY-MM-DD")
    number = int(match["number"]) if match["number"] is not None else None
    try:
        day = date.fromisoformat(match["day"]) if match["day"] else None
    except ValueError as exc:
        raise click.UsageError(f"{spec!r}: {exc}") from exc
    return read_stored_version(state, match["name"], number, day)


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text (colour on a terminal), markdown, a standalone html page, or json.")
@click.option("--all", "show_all", is_flag=True,
              help="Text format: list every change, not only the material ones and counts.")
@click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--material-only", is_flag=True,
              help="Show only the material changes (no other changes, no changes of form).")
@click.pass_obj
def diff_command(state: CliState, old: str, new: str, fmt: str, show_all: bool,
                 output: Path | None, material_only: bool) -> None:
    """Compare OLD and NEW: files (text, Markdown or HTML) or stored versions written NAME@N or
    NAME@YYYY-MM-DD. Material changes come first; many other changes are folded into counts
    (--all lists them); changes of form are folded into one line."""
    from policywatch.monitor.analysis import analyse
    from policywatch.monitor.diff import render

    result = analyse(load_version(state, old), load_version(state, new)).result()
    if material_only:
        result.changes = [unit for unit in result.changes if unit.material]
    color = fmt == "text" and output is None and sys.stdout.isatty()
    rendered = render(result, fmt, color=color, title=f"{old} \u2192 {new}", show_all=show_all)
    if output is None:
        click.echo(rendered, nl=fmt == "json")
        return
    try:
        output.write_text(rendered + ("\n" if fmt == "json" else ""), encoding="utf-8")
    except OSError as exc:
        raise WorkFailed(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {output}", err=True)
