"""What an alert says, independent of the channel that carries it.

A message is built from stored rows at send time (so a change recorded by an older release is
rendered by the current renderers). Every string from a policy is raw here: each renderer
escapes for its own medium.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policywatch.monitor.history.stated_dates import honesty_note
from policywatch.monitor.model import DiffResult, severity_rank
from policywatch.monitor.report.paths import change_page_url

from .textsafe import strip_controls

if TYPE_CHECKING:
    from policywatch.storage.outbox import ChangeForAlert

SUBJECT_PREFIX = "[policywatch]"
MAX_SUBJECT = 200


@dataclass(frozen=True)
class UnitView:
    """One material change unit: where, how bad, why, and the word-level highlight."""

    kind: str
    section: str | None
    severity: str
    direction: str
    categories: tuple[str, ...]
    reason: str
    spans: tuple[tuple[str, str], ...]  # (op, text) with op equal | delete | insert


@dataclass(frozen=True)
class ChangeView:
    """One recorded change of one policy."""

    change_id: int | None
    policy: str
    title: str
    url: str | None
    severity: str
    direction: str
    categories: tuple[str, ...]
    summary: str
    window_start: str | None
    window_end: str | None
    source: str = "live"
    archive_url: str | None = None
    old_archive_url: str | None = None
    units: tuple[UnitView, ...] = ()
    other_changes: int = 0  # changes of form or with no data practice changed, not shown
    report_url: str | None = None  # the change's page in the published report (report_url)
    # What the change did to the date the policy states about itself, when worth saying
    # ("the 'Last updated' date was not changed (still 2024-03-05)").
    date_note: str | None = None


@dataclass(frozen=True)
class AlertMessage:
    kind: str  # change | digest | operator | test
    channel: str
    message_id: str
    subject: str
    changes: tuple[ChangeView, ...] = ()
    note: str = ""  # the body of operator and test messages (plain text)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return max((c.severity for c in self.changes), key=severity_rank, default="none")


def one_line(text: str, limit: int = MAX_SUBJECT) -> str:
    """Collapse whitespace (no header injection through a subject) and cap the length."""
    flat = " ".join(strip_controls(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def change_subject(change: ChangeView) -> str:
    summary = change.summary or "policy changed"
    return one_line(f"{SUBJECT_PREFIX} {change.severity.upper()} · {change.title} · {summary}")


def digest_subject(changes: tuple[ChangeView, ...]) -> str:
    top = max((c.severity for c in changes), key=severity_rank, default="none")
    policies = len({c.policy for c in changes})
    noun = "change" if len(changes) == 1 else "changes"
    return one_line(f"{SUBJECT_PREFIX} daily digest · {len(changes)} {noun} in {policies} "
                    f"polic{'y' if policies == 1 else 'ies'} · highest {top.upper()}")


def _spans(unit: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    spans = tuple((str(s["op"]), str(s["text"])) for s in unit.get("spans") or [])
    if spans:
        return spans
    built: list[tuple[str, str]] = []
    if unit.get("old"):
        built.append(("delete", str(unit["old"])))
    if unit.get("new"):
        built.append(("insert", str(unit["new"])))
    return tuple(built)


def unit_views(diff: dict[str, Any]) -> tuple[tuple[UnitView, ...], int]:
    """The material units, most severe first (stable within a severity), and how many others."""
    units = [u for u in diff.get("changes") or [] if u.get("material")]
    units.sort(key=lambda u: -severity_rank(str(u.get("severity", "none"))))
    views = tuple(UnitView(
        kind=str(u.get("kind", "modified")), section=u.get("section"),
        severity=str(u.get("severity", "none")), direction=str(u.get("direction", "neutral")),
        categories=tuple(u.get("categories") or ()), reason=str(u.get("reason") or ""),
        spans=_spans(u)) for u in units)
    return views, len(diff.get("changes") or []) - len(views)


def change_view(row: ChangeForAlert, *, title: str | None = None,
                url: str | None = None, report_base: str | None = None) -> ChangeView:
    """A ChangeView from storage.outbox.change_for_alert's row (the policy's title and URL from
    the watchlist when it still lists the policy, else the stored capture's URL)."""
    units, others = unit_views(row.diff)
    return ChangeView(
        change_id=row.id, policy=row.policy, title=title or row.policy,
        url=url or row.new_url, severity=row.severity, direction=row.direction,
        categories=tuple(row.categories), summary=row.summary,
        window_start=row.window_start, window_end=row.window_end, source=row.source,
        archive_url=row.new_archive_url, old_archive_url=row.old_archive_url,
        units=units, other_changes=others, date_note=_date_note(row),
        report_url=change_page_url(report_base, row.policy, row.id) if report_base
        else None)


def _date_note(row: ChangeForAlert) -> str | None:
    """Said in an alert when the stated date did not follow the text (silent) or went back."""

    if row.date_honesty not in ("silent", "backdated"):
        return None
    note = honesty_note(row.date_honesty, row.stated_date_label,
                        row.old_stated_date, row.new_stated_date)
    return note[:1].upper() + note[1:] + "." if note else None


def preview_view(policy: str, result: DiffResult, *, title: str | None = None,
                 url: str | None = None) -> ChangeView:
    """A ChangeView of an unsaved classified diff (for `alerts test` and tests)."""
    data = result.to_json()
    units, others = unit_views(data)
    return ChangeView(
        change_id=None, policy=policy, title=title or policy, url=url,
        severity=result.severity, direction=result.direction,
        categories=tuple(result.categories), summary=result.summary, window_start=None,
        window_end=None, units=units, other_changes=others)
