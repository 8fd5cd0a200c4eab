"""The static report: an HTML site of every policy's history and Atom feeds, written from the
database, opened from file:// with no server, no script and no network."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import sqlite_utils

from monitor.watchlist import Watchlist

from .data import gather
from .site import SiteBuilder, SiteOptions
from .writer import WriteReport, write_pages

__all__ = ["WriteReport", "build_report"]


def build_report(db: sqlite_utils.Database, watchlist: Watchlist, out: Path,
                 names: Sequence[str] | None = None, *, title: str = "Watched policies"
                 ) -> WriteReport:
    """Write the report of the watchlist's policies (or only the named ones) into `out`,
    rewriting only the pages whose data changed."""
    items = gather(db, watchlist.policies, names)
    base_url = getattr(watchlist.settings, "report_url", None)
    builder = SiteBuilder(items, SiteOptions(title=title, base_url=base_url))
    return write_pages(out, builder.pages(), prune=names is None)
