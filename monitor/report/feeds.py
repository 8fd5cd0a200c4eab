"""Atom feeds (RFC 4287): one for the watchlist, one per policy, an entry per material change.

Entry ids are `urn:uuid:` names derived from what identifies a change for good (the policy, the
hashes of its two texts and when it was detected), so they stay the same across runs and
rebuilds of the report, and a reader never sees an old change as new.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from .data import ChangeItem, PolicyItem

ATOM = "http://www.w3.org/2005/Atom"
WATCHLIST_ENTRIES = 100
POLICY_ENTRIES = 200
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
EPOCH = "1970-01-01T00:00:00Z"


def clean(text: str, limit: int = 500) -> str:
    """Text XML can carry (no control characters), capped."""
    flat = " ".join(_NOT_XML.sub("", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def feed_id(scope: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'policywatch:feed:{scope}')}"


def entry_id(item: ChangeItem) -> str:
    r = item.record
    name = f"policywatch:change:{r.policy}:{item.old.norm_hash}:{item.new.norm_hash}:" \
           f"{r.detected_at}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def _entry(feed: ET.Element, policy: PolicyItem, item: ChangeItem, href: str) -> None:
    r = item.record
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(entry, "id", entry_id(item))
    title = f"{r.severity.upper()} · {policy.policy.display_name} · {r.summary or 'changed'}"
    _text(entry, "title", clean(title, 300), type="text")
    _text(entry, "updated", item.when)
    ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                              "href": href})
    window = (f"between {r.window_start[:10]} and {item.when[:10]}" if r.window_start
              else f"on {item.when[:10]}")
    summary = (f"{r.summary or 'The policy changed.'} Severity {r.severity}, {r.direction} for "
               f"users; categories: {', '.join(r.categories) or 'none'}; changed {window} "
               f"(v{item.old.number} → v{item.new.number}, {r.source}).")
    _text(entry, "summary", clean(summary, 2000), type="text")
    for category in r.categories:
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": clean(category, 80)})


def build_feed(scope: str, title: str, entries: Sequence[tuple[PolicyItem, ChangeItem]], *,
               href: Callable[[ChangeItem], str], alternate: str,
               self_url: str | None) -> bytes:
    """An Atom document; `entries` newest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", feed_id(scope))
    _text(feed, "title", clean(title, 300), type="text")
    _text(feed, "updated", max((item.when for _, item in entries), default=EPOCH))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "policywatch")
    _text(feed, "generator", "policywatch")
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                             "href": alternate})
    if self_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url})
    for policy, item in entries:
        _entry(feed, policy, item, href(item))
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"


def material_newest_first(policies: Sequence[PolicyItem], limit: int
                          ) -> list[tuple[PolicyItem, ChangeItem]]:
    entries = [(p, c) for p in policies for c in p.changes if c.record.material]
    entries.sort(key=lambda pair: (pair[1].when, pair[1].record.id), reverse=True)
    return entries[:limit]
