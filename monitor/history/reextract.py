"""Re-derive a policy's history from its stored snapshots with the current extractor.

Nothing is fetched. The new timeline is stored beside the old one as a new generation with
`rederived = 1`; it records no changes, so it never alerts. The old generation stays, for audit.
"""

from __future__ import annotations

from dataclasses import dataclass

from policywatch.monitor.context import Context
from policywatch.monitor.errors import ContentRejected
from policywatch.monitor.extract import EXTRACTOR_VERSION, check_content, extract
from policywatch.monitor.textnorm import key_hash
from policywatch.monitor.watchlist import Policy
from policywatch.storage.db import write_lock
from policywatch.storage.snapshots import StoredSnapshot, policy_snapshots, snapshot_body
from policywatch.storage.versions import (
    NewVersion,
    add_version,
    current_generation,
    mark_seen,
    timeline_extractor_version,
)


@dataclass(frozen=True)
class ReextractReport:
    policy: str
    snapshots: int
    versions: int
    rejected: int
    replaced: bool


def reextract_policy(ctx: Context, policy: Policy) -> ReextractReport:
    """Rebuild the policy's timeline for EXTRACTOR_VERSION from every stored snapshot."""
    snapshots = policy_snapshots(ctx.db, policy.name)
    texts: list[tuple[StoredSnapshot, str]] = []
    rejected = 0
    for snap in snapshots:
        body = snapshot_body(ctx.db, snap.id)
        content_type = snap.content_type
        text = extract(body, content_type=content_type, selector=policy.selector,
                       remove=policy.remove)
        try:
            check_content(body, content_type, text, url=snap.final_url)
        except ContentRejected:
            rejected += 1
            continue
        texts.append((snap, text))
    if not texts:
        # Keep the history as it is rather than replace it with nothing.
        return ReextractReport(policy=policy.name, snapshots=len(snapshots), versions=0,
                              rejected=rejected, replaced=False)
    with write_lock(ctx.db), ctx.db.atomic():
        generation = (current_generation(ctx.db, policy.name) or 0) + 1
        count = _store_timeline(ctx, policy, texts, generation)
    return ReextractReport(policy=policy.name, snapshots=len(snapshots), versions=count,
                          rejected=rejected, replaced=True)


def _store_timeline(ctx: Context, policy: Policy, texts: list[tuple[StoredSnapshot, str]],
                    generation: int) -> int:
    previous_hash, previous_id, count = None, None, 0
    for snap, text in texts:
        norm_hash = key_hash(text)
        seen_at = snap.fetched_at
        if norm_hash == previous_hash and previous_id is not None:
            mark_seen(ctx.db, previous_id, seen_at, snap.id)
            continue
        previous_id = add_version(ctx.db, NewVersion(
            policy=policy.name, text=text, norm_hash=norm_hash,
            extractor_version=EXTRACTOR_VERSION, snapshot_id=snap.id,
            seen_at=seen_at, source=snap.source,
            archive_timestamp=snap.archive_timestamp,
            rederived=True, generation=generation))
        previous_hash = norm_hash
        count += 1
    return count


def rederive_if_stale(ctx: Context, policy: Policy) -> None:
    """A newer extractor re-derives the stored history first, so its different output of the
    same page is not mistaken for a change of the policy."""
    known = (policy.name, EXTRACTOR_VERSION)
    if known in ctx.current_timelines:
        return
    current = timeline_extractor_version(ctx.db, policy.name)
    if current is not None and current < EXTRACTOR_VERSION:
        reextract_policy(ctx, policy)
    elif current is not None:
        ctx.current_timelines.add(known)
