"""Clauses deleted in one place and restated in another within the same diff.

Rewrites of real policies delete a paragraph and add a reworded one; judged alone, the deletion
looks like a promise removed and the addition like a practice introduced. A finding on an added
(or removed) unit is dropped when the other side of the diff states the same practice, as far or
further, over the same items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from .findings import Finding, protection_items
from .profile import GROUPS, Profile
from .rules import EXPOSURE_GROUPS, group_items
from .scope import EXPOSURE_RANK, PROTECTION_RANK


@dataclass
class Pool:
    """What one side (all added, or all removed, units) of a diff states, by practice group."""

    exposure: dict[str, list[tuple[int, frozenset[str]]]] = field(default_factory=dict)
    protection: dict[str, list[tuple[int, frozenset[str]]]] = field(default_factory=dict)
    periods: set[str] = field(default_factory=set)
    notices: set[str] = field(default_factory=set)

    def add(self, profile: Profile) -> None:
        for fact in profile.facts:
            group = GROUPS[fact.practice]
            if group in EXPOSURE_GROUPS:
                items = frozenset(group_items(group, [fact]))
                self.exposure.setdefault(group, []).append((EXPOSURE_RANK[fact.stance], items))
            else:
                self.protection.setdefault(group, []).append(
                    (PROTECTION_RANK[fact.stance], protection_items(group, fact)))
        if profile.retention:
            self.periods.add(f"days:{profile.retention.days}")
        if profile.notice:
            self.notices.add(f"days:{profile.notice[0]}")

    def covers(self, finding: Finding) -> bool:
        """True when this side states what the finding says appeared or disappeared."""
        group = finding.group
        if group == "period":
            return finding.items <= self.periods
        if group == "notice":
            return finding.items <= self.notices
        if group in self.protection:
            stated = self.protection[group]
            if finding.rank == 0:  # a protection denied: covered by the same denial
                return any(rank == 0 for rank, _ in stated)
            firm = [items for rank, items in stated if rank >= finding.rank]
            # A right to access does not restate a right to delete; one naming no object
            # ("you can opt out") is covered by any as firm.
            return bool(firm) and finding.items <= frozenset().union(*firm)
        stated = self.exposure.get(group, [])
        if finding.rank <= 1:  # a promise: covered by a promise as strong, as wide
            return any(rank <= finding.rank and _as_wide(items, finding.items)
                       for rank, items in stated)
        pooled = frozenset().union(*(items for rank, items in stated if rank >= 2))
        return any(rank >= 2 for rank, _ in stated) and finding.items <= pooled


class Covering(Protocol):
    def covers(self, finding: Finding) -> bool: ...


def _as_wide(promise: frozenset[str], wanted: frozenset[str]) -> bool:
    """A promise naming no data type (or recipient, or purpose) covers them all; one naming
    some covers only those: "we do not collect biometrics" does not restate "... location"."""
    for kind in {key.split(":", 1)[0] for key in wanted}:
        named = {key for key in promise if key.startswith(kind + ":")}
        if named and not {key for key in wanted if key.startswith(kind + ":")} <= named:
            return False
    return True


def drop_restated(findings: list[Finding], added: Pool, removed: Pool,
                  old_doc: Covering | None = None,
                  new_doc: Covering | None = None) -> list[Finding]:
    """Drop what appeared here but was stated before elsewhere (in the removed side, or
    anywhere in the old version), and what disappeared here but is still stated elsewhere (in
    the added side, or anywhere in the new version)."""
    kept = []
    for finding in findings:
        sides: list[Covering | None] = {
            "appeared": [removed, old_doc], "disappeared": [added, new_doc]}.get(finding.change, [])
        if not (finding.group and any(side and side.covers(finding) for side in sides)):
            kept.append(finding)
    return kept


def upgrade_reversals(findings: list[Finding], other_side: Pool) -> list[Finding]:
    """A protection denied here that the other side promised firmly is a promise reversed."""
    for finding in findings:
        ranks = [rank for rank, _ in other_side.protection.get(finding.group, [])]
        if finding.direction == "worse" and finding.rank == 0 and 2 in ranks:
            finding.severity = "high"
            finding.headline = finding.headline.replace("denied", "reversed")
    return findings
