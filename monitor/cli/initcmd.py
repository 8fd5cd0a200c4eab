"""`policywatch init` (a commented starter watchlist) and `policywatch add URL` (fetch the page
once, show what would be watched, append a validated [[policy]] entry)."""

from __future__ import annotations

import re
from importlib.resources import files
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

from .root import DEFAULT_CONFIG, CliState, UsageProblem, WorkFailed

if TYPE_CHECKING:
    from policywatch.monitor.watchlist import Watchlist

PREVIEW_LINES = 8
PREVIEW_SECTIONS = 12


def starter_text() -> str:
    starter = files("policywatch.monitor.cli").joinpath("starter_watchlist.toml")
    return starter.read_text(encoding="utf-8")


@click.command()
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.pass_obj
def init(state: CliState, force: bool) -> None:
    """Write a commented starter watchlist (at --config, default ./watchlist.toml)."""
    path = state.config_path
    if path.exists() and not force:
        raise UsageProblem(f"{path} already exists (--force overwrites it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(starter_text(), encoding="utf-8")
    config = "" if str(path) == DEFAULT_CONFIG else f" --config {path}"
    click.echo(f"wrote {path}: add a policy with `policywatch{config} add URL`")


@click.command()
@click.argument("url")
@click.option("--name", help="The policy's slug (default: from the URL's host).")
@click.option("--selector", help="CSS selector of the policy's content.")
@click.option("--title", help="Display name for alerts.")
@click.option("--dry-run", is_flag=True, help="Fetch and show, but do not change the file.")
@click.pass_obj
def add(state: CliState, url: str, name: str | None, selector: str | None, title: str | None,
        dry_run: bool) -> None:
    """Fetch URL once, show what would be extracted, and append it to the watchlist."""
    from policywatch.monitor.watchlist import load_watchlist, parse_watchlist

    if not state.config_path.exists():
        raise UsageProblem(f"{state.config_path} does not exist: `policywatch init` writes a "
                           "starter watchlist")
    watchlist = load_watchlist(state.config_path)  # a broken file is fixed first (exit 2)
    taken = {p.name: p.url for p in watchlist.policies}
    if url in taken.values():
        raise UsageProblem(f"{url} is already watched as "
                           f"{next(n for n, u in taken.items() if u == url)!r}")
    slug = name or free_slug(slug_from_url(url), set(taken))
    entry = policy_entry({"name": slug, "title": title, "url": url, "selector": selector})
    text = watchlist.path.read_text(encoding="utf-8")
    updated = text + ("" if text.endswith("\n") else "\n") + "\n" + entry
    parse_watchlist(updated, watchlist.path)  # every problem of the new entry, before fetching
    extracted = fetch_and_extract(watchlist, url, selector)
    for line in preview(extracted):
        click.echo(line)
    if dry_run:
        click.echo(f"\n(dry run) would append to {watchlist.path}:\n{entry}")
        return
    watchlist.path.write_text(updated, encoding="utf-8")
    click.echo(f"\nadded policy {slug!r} to {watchlist.path}; `policywatch check {slug}` "
               "records its first version")


def fetch_and_extract(watchlist: Watchlist, url: str, selector: str | None) -> str:
    """The page through the real fetcher (address guard, size cap, redirects) and extractor,
    with the same checks as a check; a failure is the work failing (exit 1)."""
    import requests

    from policywatch.monitor.errors import ContentRejected, FetchError
    from policywatch.monitor.extract import check_content, extract
    from policywatch.monitor.fetch.http import Fetcher

    session = requests.Session()
    session.headers["User-Agent"] = watchlist.settings.user_agent
    try:
        page = Fetcher(session, watchlist.settings).fetch(url)
        text = extract(page.body, content_type=page.content_type, selector=selector)
        check_content(page.body, page.content_type, text, url=page.final_url)
    except (FetchError, ContentRejected) as error:
        raise WorkFailed(f"{url}: {error.reason}: {error.detail}; nothing was added") from error
    finally:
        session.close()
    return text


def preview(text: str) -> list[str]:
    """What a check of this page would store: size, first lines, sections."""
    lines = [line for line in text.splitlines() if line.strip()]
    headings = [line.lstrip("#").strip() for line in lines if re.match(r"#{1,6} ", line)]
    shown = [f"extracted {len(text):,} characters, {len(lines)} lines, "
             f"{len(headings)} sections", "first lines:"]
    shown += [f"  {line[:100]}" for line in lines[:PREVIEW_LINES]]
    if headings:
        more = f" … and {len(headings) - PREVIEW_SECTIONS} more" \
            if len(headings) > PREVIEW_SECTIONS else ""
        shown.append("sections: " + " | ".join(headings[:PREVIEW_SECTIONS]) + more)
    return shown


def slug_from_url(url: str) -> str:
    """`https://www.acme.example/privacy` → `acme.example`."""
    host = (urlsplit(url).hostname or "policy").lower().removeprefix("www.")
    return re.sub(r"[^a-z0-9._-]+", "-", host).strip("-._")[:70] or "policy"


def free_slug(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def policy_entry(values: dict[str, str | None]) -> str:
    """A [[policy]] table; values are written as TOML basic strings."""
    import json

    body = "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n"
                   for key, value in values.items() if value is not None)
    return "[[policy]]\n" + body

