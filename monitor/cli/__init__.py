"""Command-line interface. The root group (root.py) imports each command's module only when that
command runs: see COMMANDS there."""

from __future__ import annotations

import sys

import click

from .root import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Console-script entry point. Exit codes: 0 done, 1 the work failed, 2 usage or
    configuration error (see root.py); 130 when interrupted."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
