"""The JSON document a webhook channel POSTs: one alert, from the same message model as e-mail and
Slack, described by `webhook.schema.json` beside this file.

Policy text stays raw here (JSON has no markup to inject into), but control and invisible
characters are stripped and every text is capped, so a 50,000-character change cannot make a
document a receiver rejects.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .message import AlertMessage, ChangeView, UnitView
from .textsafe import elide_context, strip_controls

SCHEMA_PATH = Path(__file__).with_name("webhook.schema.json")
SCHEMA_VERSION = 1
MAX_TEXT = 2_000  # characters of one text field (summary, reason, old/new words)
MAX_UNITS = 40  # material units per change
MAX_BODY = 256_000  # bytes of the whole document


def _cap(text: str | None, limit: int = MAX_TEXT) -> str | None:
    if text is None:
        return None
    clean = strip_controls(text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _words(unit: UnitView, op: str) -> str:
    """The deleted (or inserted) words of a unit, each piece with a little context elided."""
    pieces = [text for piece_op, text in elide_context(unit.spans) if piece_op == op]
    return _cap(" … ".join(p.strip() for p in pieces if p.strip())) or ""


def _unit(unit: UnitView) -> dict[str, Any]:
    return {"kind": unit.kind, "section": _cap(unit.section, 300), "severity": unit.severity,
            "direction": unit.direction, "categories": list(unit.categories),
            "reason": _cap(unit.reason), "removed": _words(unit, "delete"),
            "added": _words(unit, "insert")}


def _change(change: ChangeView) -> dict[str, Any]:
    return {
        "change_id": change.change_id, "policy": change.policy, "title": _cap(change.title, 300),
        "url": change.url, "source": change.source, "archive_url": change.archive_url,
        "previous_archive_url": change.old_archive_url,
        "window": {"start": change.window_start, "end": change.window_end},
        "severity": change.severity, "direction": change.direction,
        "categories": list(change.categories), "summary": _cap(change.summary),
        "units": [_unit(u) for u in change.units[:MAX_UNITS]],
        "units_not_shown": max(len(change.units) - MAX_UNITS, 0),
        "other_changes": change.other_changes,
        "report_url": change.report_url,
    }


def webhook_document(message: AlertMessage) -> dict[str, Any]:
    """The alert as a JSON-ready dict (see webhook.schema.json)."""
    return {
        "schema": SCHEMA_VERSION, "kind": message.kind, "id": message.message_id,
        "channel": message.channel, "subject": _cap(message.subject, 300),
        "severity": message.severity, "note": _cap(message.note, 10_000) or "",
        "changes": [_change(c) for c in message.changes],
    }


def webhook_body(message: AlertMessage) -> bytes:
    """The exact bytes that are signed and sent: compact, key order fixed, UTF-8. A digest too
    large for MAX_BODY keeps its first changes and says how many it left out."""
    document = webhook_document(message)
    body = _dump(document)
    while len(body) > MAX_BODY and document["changes"]:
        document["changes"].pop()
        document["changes_not_shown"] = document.get("changes_not_shown", 0) + 1
        body = _dump(document)
    return body


def _dump(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode()
