"""A database built by real checks, for the report's tests and screenshots: a web site on
127.0.0.1 serving the five seed policies (one changed materially, one changed in form only, one
held as suspect), a policy that fails, one that turns hostile, and one whose history was
backfilled from a local Wayback archive before its first live check."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from policywatch.monitor.context import Context
from policywatch.monitor.history.backfill import backfill_policy
from policywatch.monitor.pipeline import CheckResult, check
from policywatch.monitor.watchlist import Watchlist
from policywatch.storage.db import open_db

from .archive_server import ArchiveServer, FakeTime, history_captures
from .config import load, write_watchlist
from .pages import SAMPLE_POLICY, policy_page, seed_texts
from .site import Site

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ARCHIVE_START = datetime(2025, 2, 1, tzinfo=UTC)
SALE = "We may sell your personal information to data brokers and advertising partners."
LONG_LINE = "A" * 50_000
HOSTILE = ("<script>alert('owned')</script> We now share your health data with insurers. "
           "<!channel> @here look at this.")
WAYBACK_TEXTS = [
    "# Privacy Policy\n\nTrailhead Outfitters collects your name and email address to run your "
    "account and ship your orders.\n\n## Sharing\n\nWe share your address with delivery "
    "companies.\n\nWe do not sell your personal information.\n\n## Retention\n\nWe keep order "
    "records for 30 days after delivery.",
    "# Privacy Policy\n\nTrailhead Outfitters collects your name, email address and precise "
    "location to run your account and ship your orders.\n\n## Sharing\n\nWe share your address "
    "with delivery companies.\n\nWe do not sell your personal information.\n\n## Retention\n\n"
    "We keep order records for 30 days after delivery.",
    "# Privacy Policy\n\nTrailhead Outfitters collects your name, email address and precise "
    "location to run your account and ship your orders.\n\n## Sharing\n\nWe share your address "
    "with delivery companies.\n\nWe may sell your personal information to marketing partners."
    "\n\n## Retention\n\nWe keep order records for 30 days after delivery.",
    "# Privacy Policy\n\nTrailhead Outfitters collects your name, email address and precise "
    "location to run your account and ship your orders.\n\n## Sharing\n\nWe share your address "
    "with delivery companies.\n\nWe may sell your personal information to marketing partners."
    "\n\n## Retention\n\nWe keep order records indefinitely.",
]
# What the live site says when watching starts: one more change after the archived history.
LIVE_TEXT = WAYBACK_TEXTS[-1] + ("\n\nWe use your order history and messages to train our "
                                 "artificial intelligence models.")


# What a redesign that loses the policy leaves: held as suspect, not a version.
SHRUNKEN = ("# Privacy Policy\n\nWe care about your privacy. Please read this page carefully to "
            "understand how we handle information. Contact us with any questions about this "
            "page or about our services at any time, by email or by post.\n")


def seeds_or_samples() -> dict[str, str]:
    try:
        return seed_texts()
    except pytest.skip.Exception:
        return {f"{i:03d}_sample": SAMPLE_POLICY.replace("Northwind", company)
                for i, company in enumerate(["Acme", "Globex", "Initech", "Umbrella", "Hooli"])}


def with_sale(text: str) -> str:
    head, rest = text.split("\n\n", 1)
    return f"{head}\n\n{SALE}\n\n{rest}"


def with_joined_words(text: str) -> str:
    """A change of form only: "web site" written "website" (or "e-mail" as "email")."""
    for old, new in (("web site", "website"), ("e-mail", "email")):
        if old in text:
            return text.replace(old, new, 1)
    raise AssertionError("the policy has no 'web site' or 'e-mail' to join")


def with_hostile(text: str) -> str:
    head, rest = text.split("\n\n", 1)
    return f"{head}\n\n{HOSTILE}\n\n{LONG_LINE}\n\n{rest}"


@dataclass
class ReportWorld:
    ctx: Context
    site: Site
    archive: ArchiveServer
    fake: FakeTime
    watchlist_path: Path
    seeds: dict[str, str]
    first_round: dict[str, CheckResult]
    second_round: dict[str, CheckResult]

    @property
    def watchlist(self) -> Watchlist:
        return self.ctx.watchlist

    def check_all(self) -> dict[str, CheckResult]:
        results = {p.name: check(self.ctx, p) for p in self.ctx.watchlist.policies}
        self.fake.sleep(3 * 3600)
        return results


def _page(seeds: dict[str, str], name: str, text: str | None = None) -> str:
    style = "pagebuilder" if name.startswith("002_") else "standard"
    return policy_page(text if text is not None else seeds[name], style=style)


def _policies(site: Site, seeds: dict[str, str]) -> list[dict[str, object]]:
    tags: tuple[list[str], ...] = (["vendor"], ["vendor", "health"], ["health"], [], ["vendor"])
    policies: list[dict[str, object]] = [
        {"name": f"seed{i}", "url": site.url(f"/policy/{i}"), "tags": tags[i],
         "title": f"Seed policy {i}"}
        for i, name in enumerate(sorted(seeds))]
    policies += [
        {"name": "broken", "url": site.url("/gone"), "title": "Gone Ltd privacy notice",
         "tags": ["vendor"]},
        {"name": "hostile", "url": site.url("/hostile"), "title": "Hostile <b>Corp</b> & co",
         "tags": ["health"]},
        {"name": "trailhead", "url": site.url("/trailhead/privacy"), "wayback": True,
         "title": "Trailhead Outfitters privacy policy", "tags": ["retail"]},
    ]
    return policies


def build_world(directory: Path, site: Site, archive: ArchiveServer,
                settings: dict[str, object] | None = None) -> ReportWorld:
    seeds = seeds_or_samples()
    names = sorted(seeds)
    for index, name in enumerate(names):
        site.set_page(f"/policy/{index}", _page(seeds, name))
    site.set_page("/hostile", policy_page(SAMPLE_POLICY.replace("Northwind", "Hostile")))
    site.set_page("/trailhead/privacy", policy_page(LIVE_TEXT))
    plan = history_captures(WAYBACK_TEXTS, site.url("/trailhead/privacy"),
                            lambda text, chrome: policy_page(text, chrome=chrome), ARCHIVE_START)
    archive.add(*itertools.chain.from_iterable(plan))
    path = write_watchlist(directory, _policies(site, seeds),
                           {"archive_url": archive.base_url, "timeout": 5.0, **(settings or {})})
    watchlist = load(path)
    fake = FakeTime(START)
    ctx = Context(watchlist=watchlist, db=open_db(watchlist.settings.database),
                  session=requests.Session(), clock=fake.clock, sleep=fake.sleep)
    backfill_policy(ctx, watchlist.policy("trailhead"))
    world = ReportWorld(ctx, site, archive, fake, path, seeds, {}, {})
    world.first_round = world.check_all()
    fake.sleep(2 * 86400)
    site.set_page("/policy/0", _page(seeds, names[0], with_sale(seeds[names[0]])))
    site.set_page("/policy/1", _page(seeds, names[1], with_joined_words(seeds[names[1]])))
    site.set_page("/policy/3", _page(seeds, names[3], SHRUNKEN))  # held as suspect
    site.set_page("/hostile", policy_page(with_hostile(
        SAMPLE_POLICY.replace("Northwind", "Hostile"))))
    world.second_round = world.check_all()
    fake.current += timedelta(hours=1)
    return world
