"""Command-line interface. Each command group lives in its own module and registers itself on
the root group when imported."""

from __future__ import annotations

import sys

import click

from policywatch.monitor.errors import PolicywatchError

from . import (  # noqa: F401  (imported to register their commands)
    alertscmd,
    backfillcmd,
    blamecmd,
    changescmd,
    classifycmd,
    core,
    diffcmd,
    runcmd,
)
from .root import cli


def main() -> None:
    """Console-script entry point: run the CLI, print library errors, exit 2 on them."""
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
    except PolicywatchError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
