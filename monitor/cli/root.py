"""The root `policywatch` command group and the shared CLI context.

Only the CLI prints and exits: library code raises PolicywatchError subclasses, which
`main()` turns into a message on stderr and exit status 2.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

DEFAULT_CONFIG = "watchlist.toml"


class CliState:
    """What every command needs: the path of the watchlist. Loading is lazy so that commands
    which need no watchlist (diff of two files, classify) work without one."""

    def __init__(self, config_path: Path) -> None:
        self.config_path = config_path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
    default=lambda: os.environ.get("POLICYWATCH_CONFIG", DEFAULT_CONFIG),
    show_default=f"$POLICYWATCH_CONFIG, else ./{DEFAULT_CONFIG}",
    help="The watchlist file (env POLICYWATCH_CONFIG).",
)
@click.version_option(package_name="policywatch")
@click.pass_context
def cli(ctx: click.Context, config_path: Path) -> None:
    """policywatch: watch privacy policies and alert on the changes that matter."""
    ctx.obj = CliState(config_path)
