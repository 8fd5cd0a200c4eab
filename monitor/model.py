"""The shared model: the words every stage uses, and the differ's output contract.

Severity scale, categories, directions and the outcomes of a check, a change and an alert are
defined here once; the differ, the classifier, storage, alerts, the service and the CLI import
them from here. This module imports nothing of policywatch's.

The differ fills kind/section/old/new/spans/form_only of a ChangeUnit; the classifier fills the
rest. `to_json()` gives the documented JSON shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ChangeKind = Literal["added", "removed", "modified", "moved"]
SpanOp = Literal["equal", "delete", "insert"]
Severity = Literal["none", "low", "medium", "high"]
Direction = Literal["worse", "better", "mixed", "neutral"]

SEVERITIES: tuple[Severity, ...] = ("none", "low", "medium", "high")
CATEGORIES: tuple[str, ...] = (
    "collection", "sharing", "sale", "retention", "security", "choice", "rights", "children",
    "tracking", "international", "policy_change", "do_not_track", "sensitive_data",
    "ai_training", "other",
)

# What one check of a policy came to (CheckResult.outcome, the checks table).
CheckOutcome = Literal["first_version", "new_version", "unchanged", "suspect", "failed"]
# A check cut short by a shutdown is recorded as interrupted.
RecordedOutcome = Literal["first_version", "new_version", "unchanged", "suspect", "failed",
                          "interrupted"]
# Where a version or change came from: a live fetch or a Wayback Machine capture.
Source = Literal["live", "archive"]
# An outbox row to create for a change: send now, or bundle into the channel's daily digest.
RouteStatus = Literal["pending", "digest"]
AlertStatus = Literal["pending", "sending", "digest", "failed", "sent"]
MessageKind = Literal["change", "digest", "operator", "test"]


def severity_rank(severity: str) -> int:
    """0 for none up to 3 for high; unknown names rank as none."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def severity_rank_sql(column: str = "severity") -> str:
    """severity_rank as an SQL expression over `column`."""
    whens = " ".join(f"WHEN '{name}' THEN {rank}" for rank, name in enumerate(SEVERITIES) if rank)
    return f"CASE {column} {whens} ELSE 0 END"


def message_id(kind: MessageKind, key: int | str, channel: str) -> str:
    """The Message-ID of an alert: stable for (kind, key, channel), so receivers drop duplicates
    of a change's message by it."""
    return f"<policywatch.{kind}-{key}.{channel}@policywatch.local>"


@dataclass
class Span:
    """One piece of a word-level highlight: unchanged, deleted or inserted text."""

    op: SpanOp
    text: str


@dataclass
class ChangeUnit:
    kind: ChangeKind
    section: str | None
    old: str | None
    new: str | None
    spans: list[Span] = field(default_factory=list)
    form_only: bool = False
    # Filled by the classifier.
    material: bool = False
    categories: list[str] = field(default_factory=list)
    severity: Severity = "none"
    direction: Direction = "neutral"
    reason: str = ""


@dataclass
class DiffResult:
    changes: list[ChangeUnit] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    # Document level, filled by the classifier.
    material: bool = False
    severity: Severity = "none"
    direction: Direction = "neutral"
    categories: list[str] = field(default_factory=list)
    summary: str = ""
    # The new version lost most of the old one's text (an error page, a truncated or empty
    # capture): its lost promises are reported as material, and readers are told to doubt it.
    suspect_capture: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> DiffResult:
        units = [
            ChangeUnit(**{**u, "spans": [Span(**s) for s in u.get("spans", [])]})
            for u in data.get("changes", [])
        ]
        rest = {k: v for k, v in data.items() if k != "changes"}
        return DiffResult(changes=units, **rest)
