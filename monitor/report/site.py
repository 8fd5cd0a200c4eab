"""The pages of the report: the index (by last change, by severity, and per tag), a page per
policy, a page per change, and the Atom feeds. Each page is a key and a way to render it; the
writer renders only the pages whose key changed."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from markupsafe import Markup

from . import paths
from .data import ChangeItem, PolicyItem
from .feeds import POLICY_ENTRIES, WATCHLIST_ENTRIES, build_feed, material_newest_first
from .render import design_hash, render_fragment, render_page, stylesheet
from .timeline import build_timeline
from .units import arrange_units
from .writer import Page, page_key


@dataclass(frozen=True)
class SiteOptions:
    title: str = "Watched policies"
    base_url: str | None = None  # settings.report_url: absolute links in feeds


class SiteBuilder:
    def __init__(self, items: Sequence[PolicyItem], options: SiteOptions,
                 load_diff: Callable[[int], dict[str, Any]]) -> None:
        self.items = list(items)
        self.options = options
        self.load_diff = load_diff
        self.design = design_hash()
        self.keys: dict[str, str] = {}
        self.rows: dict[str, Markup] = {}  # index rows, the same on every index page

    def pages(self) -> Iterator[Page]:
        yield Page(paths.STYLESHEET, page_key(self.design), stylesheet)
        yield from self.index_pages()
        yield self.watchlist_feed()
        for item in self.items:
            yield self.policy_page(item)
            yield self.policy_feed(item)
            for change in item.changes:
                yield self.change_page(item, change)

    def policy_key(self, item: PolicyItem) -> str:
        """A hash of everything of a policy that its page and index row show (not the diffs)."""
        name = item.policy.name
        if name not in self.keys:
            self.keys[name] = page_key(item.policy, item.versions,
                                       tuple(c.meta_key() for c in item.changes),
                                       item.last_check, item.status)
        return self.keys[name]

    # --- index ------------------------------------------------------------------------------

    def index_pages(self) -> Iterator[Page]:
        tags = sorted({t for item in self.items for t in item.policy.tags})
        for tag in (None, *tags):
            chosen = [i for i in self.items if tag is None or tag in i.policy.tags]
            # A tag's pages show only its policies (and the list of tags).
            key = page_key(self.design, self.options, tags,
                           tuple(self.policy_key(i) for i in chosen))
            for by_severity in (False, True):
                path = (paths.tag_page(tag, by_severity) if tag else
                        paths.INDEX_BY_SEVERITY if by_severity else paths.INDEX)
                yield Page(path, page_key(key, tag, by_severity),
                           partial(self.render_index, path, chosen, tag, by_severity, tags))

    def render_index(self, path: str, chosen: list[PolicyItem], tag: str | None,
                     by_severity: bool, tags: list[str]) -> bytes:
        ordered = sorted(chosen, key=(PolicyItem.sort_by_severity if by_severity
                                      else PolicyItem.sort_by_change), reverse=True)
        def here(severity: bool) -> str:
            if tag:
                return paths.tag_page(tag, severity)
            return paths.INDEX_BY_SEVERITY if severity else paths.INDEX

        rows = [self.index_row(item) for item in ordered]
        counts = {"failing": sum(i.status.kind == "failing" for i in chosen),
                  "suspect": sum(i.status.kind == "suspect" for i in chosen),
                  "material": sum(i.last_material is not None for i in chosen)}
        return render_page(
            "index.html", root="", page_title=self.options.title, heading=self.options.title,
            body_class="index", feed=paths.FEED, feed_title="policywatch: material changes",
            items=chosen, rows=rows, counts=counts, tag=tag,
            sort="severity" if by_severity else "change",
            sorts=[("change", "last change", here(False)), ("severity", "severity", here(True))],
            tags=[(t, paths.tag_page(t, by_severity)) for t in tags],
            all_href=paths.INDEX_BY_SEVERITY if by_severity else paths.INDEX)

    def index_row(self, item: PolicyItem) -> Markup:
        name = item.policy.name
        if name not in self.rows:
            last = item.last_material
            row = {"item": item, "href": paths.policy_page(name),
                   "change_href": paths.change_page(name, last.record.id) if last else None,
                   "timeline": build_timeline(
                       item.versions, [c.record for c in item.changes], compact=True,
                       width=160, end=item.last_check.started_at if item.last_check else None)}
            self.rows[name] = render_fragment("row.html", row=row)
        return self.rows[name]

    # --- policy and change pages -------------------------------------------------------------

    def policy_page(self, item: PolicyItem) -> Page:
        path = paths.policy_page(item.policy.name)
        return Page(path, page_key(self.design, self.options, self.policy_key(item)),
                    lambda: self.render_policy(path, item))

    def render_policy(self, path: str, item: PolicyItem) -> bytes:
        timeline = build_timeline(
            item.versions, [c.record for c in item.changes],
            end=item.last_check.started_at if item.last_check else None,
            href=lambda r: f"change-{r.id}.html")
        return render_page(
            "policy.html", root=paths.relative(path, ""), page_title=item.policy.display_name,
            body_class="policy", feed="feed.atom",
            feed_title=f"policywatch: {item.policy.display_name}", item=item,
            timeline=timeline, changes=list(reversed(item.changes)),
            material_count=sum(c.record.material for c in item.changes),
            versions=list(reversed(item.versions)))

    def change_page(self, item: PolicyItem, change: ChangeItem) -> Page:
        path = paths.change_page(item.policy.name, change.record.id)
        key = page_key(self.design, item.policy.display_name, item.policy.url,
                       change.meta_key(), change.record.diff_size)
        return Page(path, key, lambda: self.render_change(path, item, change))

    def render_change(self, path: str, item: PolicyItem, change: ChangeItem) -> bytes:
        return render_page(
            "change.html", root=paths.relative(path, ""),
            page_title=f"{item.policy.display_name}: v{change.old.number} → v{change.new.number}",
            body_class="change", feed=None, feed_title="", item=item, change=change,
            units=arrange_units(self.load_diff(change.record.id)))

    # --- feeds ------------------------------------------------------------------------------

    def _link(self, from_page: str, target: str) -> str:
        if self.options.base_url:
            return f"{self.options.base_url.rstrip('/')}/{target}"
        return paths.relative(from_page, target)

    def watchlist_feed(self) -> Page:
        entries = material_newest_first(self.items, WATCHLIST_ENTRIES)
        key = page_key(self.design, self.options, tuple(
            (p.policy.display_name, c.meta_key()) for p, c in entries))
        return Page(paths.FEED, key, lambda: build_feed(
            "watchlist", f"policywatch: {self.options.title}", entries,
            href=lambda c: self._link(paths.FEED, paths.change_page(c.record.policy,
                                                                     c.record.id)),
            alternate=self._link(paths.FEED, paths.INDEX),
            self_url=self._link(paths.FEED, paths.FEED) if self.options.base_url else None))

    def policy_feed(self, item: PolicyItem) -> Page:
        path = paths.policy_feed(item.policy.name)
        entries = material_newest_first([item], POLICY_ENTRIES)
        key = page_key(self.design, self.options, item.policy,
                       tuple(c.meta_key() for _, c in entries))
        return Page(path, key, lambda: build_feed(
            f"policy:{item.policy.name}", f"policywatch: {item.policy.display_name}", entries,
            href=lambda c: self._link(path, paths.change_page(item.policy.name, c.record.id)),
            alternate=self._link(path, paths.policy_page(item.policy.name)),
            self_url=self._link(path, path) if self.options.base_url else None))
