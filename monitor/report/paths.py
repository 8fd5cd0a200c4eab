"""Where each page of the report lives, relative to the report's root. Alerts use
`change_page_url` to link to a change when `settings.report_url` is set, so this module imports
nothing heavy."""

from __future__ import annotations

import hashlib
import re

INDEX = "index.html"
INDEX_BY_SEVERITY = "index-severity.html"
FEED = "feed.atom"
STYLESHEET = "style.css"
MANIFEST = ".policywatch-report.json"
_SAFE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,80}$")


def safe_name(text: str) -> str:
    """A file-name-safe form of a policy name or tag (a slug stays itself)."""
    if _SAFE.match(text) and ".." not in text:
        return text
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"
    return f"{slug}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def policy_dir(policy: str) -> str:
    return f"policy/{safe_name(policy)}"


def policy_page(policy: str) -> str:
    return f"{policy_dir(policy)}/index.html"


def policy_feed(policy: str) -> str:
    return f"{policy_dir(policy)}/feed.atom"


def change_page(policy: str, change_id: int) -> str:
    return f"{policy_dir(policy)}/change-{change_id}.html"


def tag_page(tag: str, by_severity: bool = False) -> str:
    return f"tag-{safe_name(tag)}{'-severity' if by_severity else ''}.html"


def relative(from_page: str, target: str) -> str:
    """A link from one page to another, both relative to the root (file:// needs no server)."""
    folder = from_page.rpartition("/")[0]
    if folder and target.startswith(folder + "/"):
        return target[len(folder) + 1:]
    return "../" * from_page.count("/") + target


def change_page_url(report_url: str, policy: str, change_id: int) -> str:
    return f"{report_url.rstrip('/')}/{change_page(policy, change_id)}"
