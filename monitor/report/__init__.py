"""The static report: an HTML site of every policy's history and Atom feeds, written from the
database, opened from file:// with no server, no script and no network.

Importing this package is cheap (alerts import `monitor.report.paths` for their links); the
templating is loaded by `build_report` only."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from policywatch.storage.report import change_diff

from .data import gather
from .site import SiteBuilder, SiteOptions
from .writer import write_pages

if TYPE_CHECKING:
    import sqlite_utils

    from policywatch.monitor.watchlist import Watchlist

    from .writer import WriteReport

__all__ = ["build_report"]


def build_report(db: sqlite_utils.Database, watchlist: Watchlist, out: Path,
                 names: Sequence[str] | None = None, *, title: str = "Watched policies"
                 ) -> WriteReport:
    """Write the report of the watchlist's policies (or only the named ones) into `out`,
    rewriting only the pages whose data changed."""


    items = gather(db, watchlist.policies, names)
    options = SiteOptions(title=title, base_url=watchlist.settings.report_url)
    builder = SiteBuilder(items, options, load_diff=lambda change_id: change_diff(db, change_id))
    return write_pages(out, builder.pages(), prune=names is None)
