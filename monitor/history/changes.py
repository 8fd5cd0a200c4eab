"""The change row between two versions, built the same way for live checks and backfill."""

from __future__ import annotations

from policywatch.monitor.analysis import Analysis
from policywatch.monitor.history.stated_dates import DateHonesty, date_honesty, stored_fields
from policywatch.monitor.model import Source
from policywatch.storage.changes import NewChange


def honesty_of(old_text: str, new_text: str, analysis: Analysis) -> DateHonesty:
    """Whether the policy's stated "Last updated" date moved with its text."""
    return date_honesty(old_text, new_text, analysis.material,
                        [(unit.old, unit.new) for unit in analysis.changes])


def change_record(policy: str, *, from_version_id: int, to_version_id: int, detected_at: str,
                  window_start: str | None, window_end: str | None, source: Source,
                  analysis: Analysis, honesty: DateHonesty | None = None) -> NewChange:
    return NewChange(
        policy=policy, from_version_id=from_version_id, to_version_id=to_version_id,
        detected_at=detected_at, window_start=window_start, window_end=window_end,
        source=source, material=analysis.material, severity=analysis.severity,
        direction=analysis.direction, categories=analysis.categories, summary=analysis.summary,
        diff=analysis.to_json(), **(stored_fields(honesty) if honesty else {}))
