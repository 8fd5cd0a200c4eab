"""Build the AlertMessage an outbox row stands for, from what is stored."""

from __future__ import annotations

import sqlite_utils

from policywatch.monitor.errors import NotFound
from policywatch.monitor.model import ChangeUnit, DiffResult, Span
from policywatch.monitor.watchlist import DEFAULT_CONSOLE, AlertChannel, Watchlist
from policywatch.storage import outbox
from policywatch.storage.outbox import AlertRow

from .message import (
    SUBJECT_PREFIX,
    AlertMessage,
    ChangeView,
    change_subject,
    change_view,
    digest_subject,
    one_line,
    preview_view,
)


def resolve_channel(watchlist: Watchlist, name: str) -> AlertChannel | None:
    """The configured channel, or the built-in console (the default when none is configured)."""
    if name in watchlist.channels:
        return watchlist.channels[name]
    return DEFAULT_CONSOLE if name == DEFAULT_CONSOLE.name else None


def _view(db: sqlite_utils.Database, watchlist: Watchlist, change_id: int) -> ChangeView:
    row = outbox.change_for_alert(db, change_id)
    report_base = watchlist.settings.report_url
    try:
        policy = watchlist.policy(row.policy)
    except KeyError:  # the policy left the watchlist after the change was recorded
        return change_view(row, report_base=report_base)
    return change_view(row, title=policy.display_name, url=policy.url, report_base=report_base)


def compose(db: sqlite_utils.Database, watchlist: Watchlist, row: AlertRow) -> AlertMessage:
    """Raises NotFound when what the row refers to is gone (a permanent failure)."""
    if row.kind == "change" and row.change_id is not None:
        view = _view(db, watchlist, row.change_id)
        return AlertMessage(kind="change", channel=row.channel, message_id=row.message_id,
                            subject=change_subject(view), changes=(view,))
    if row.kind == "digest":
        views = tuple(_view(db, watchlist, member.change_id)
                      for member in outbox.bundle_members(db, row.id)
                      if member.change_id is not None)
        if not views:
            raise NotFound(f"digest #{row.id} has no changes")
        return AlertMessage(kind="digest", channel=row.channel, message_id=row.message_id,
                            subject=digest_subject(views), changes=views)
    if row.kind == "operator":
        subject = str(row.payload.get("subject", "notice"))
        return AlertMessage(kind="operator", channel=row.channel, message_id=row.message_id,
                            subject=one_line(f"{SUBJECT_PREFIX} operator notice · {subject}"),
                            note=str(row.payload.get("body", "")))
    raise NotFound(f"alert #{row.id} has unknown kind {row.kind!r}")


def sample_message(channel: str, message_id: str) -> AlertMessage:
    """A sample alert for `alerts test`: a made-up change, so the channel shows every part."""
    result = DiffResult(
        changes=[ChangeUnit(
            kind="modified", section="Sharing › Advertising partners",
            old="We do not sell your personal information.",
            new="We may sell your personal information to advertising partners.",
            spans=[Span("equal", "We "), Span("delete", "do not sell"),
                   Span("insert", "may sell"), Span("equal", " your personal information"),
                   Span("insert", " to advertising partners"), Span("equal", ".")],
            material=True, categories=["sale"], severity="high", direction="worse",
            reason="'do not sell' became 'may sell' (example)")],
        material=True, severity="high", direction="worse", categories=["sale"],
        summary="sale of data introduced (test message)")
    view = preview_view("example-policy", result, title="Example privacy policy",
                        url="https://example.com/privacy")
    return AlertMessage(
        kind="test", channel=channel, message_id=message_id,
        subject=one_line(f"{SUBJECT_PREFIX} test message for channel {channel}"),
        changes=(view,),
        note="This is a test of a policywatch alert channel. If you can read it, the channel "
             "works. Below is what a real alert looks like.")
