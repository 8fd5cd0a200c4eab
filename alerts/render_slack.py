"""Slack Block Kit payload of an alert.

Policy text is hostile. Slack's control characters `&`, `<`, `>` are escaped, so `<!channel>`,
`<@U123>` and `<http://x|y>` arrive as text; the plain-text broadcasts `@channel`, `@here` and
`@everyone` get a full-width at sign (`＠here`); and mrkdwn markup characters in policy text are
replaced by look-alikes, so only policywatch's own ~deleted~ and *inserted* marks format anything.
Slack allows 3,000 characters per text block and 50 blocks: longer content is cut with a line
saying how much more there is.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from .message import AlertMessage, ChangeView, UnitView
from .textsafe import (
    Budget,
    elide_context,
    is_web_url,
    more_chars_line,
    strip_controls,
    unit_heading,
    window_line,
)

MAX_BLOCK_TEXT = 3000
MAX_BLOCKS = 50
TEXT_BUDGET = 20_000  # characters of policy text in one Slack message
_BROADCAST = re.compile(r"@(?=(channel|here|everyone)\b)", re.IGNORECASE)
_MARKUP = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u02dc", "`": "\u02cb"})
_MARKS = {"delete": "~", "insert": "*"}


def mrkdwn(text: str) -> str:
    """Policy text made inert for a mrkdwn field."""
    safe = strip_controls(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A full-width at sign, not an invisible break: alert text carries no invisible characters.
    return _BROADCAST.sub("\uff20", safe.translate(_MARKUP))


def block_id(message_id: str, index: int) -> str:
    """Stable per (change, channel) message: the receiver drops a duplicate by the first id."""
    base = "pw-" + hashlib.sha256(message_id.encode()).hexdigest()[:32]
    return base if index == 0 else f"{base}-{index}"


def _mark(op: str, escaped: str) -> str:
    sym = _MARKS.get(op)
    if not sym:
        return escaped
    lines = []
    for line in escaped.split("\n"):
        core = line.strip()
        if core:
            start = line.index(core)
            line = f"{line[:start]}{sym}{core}{sym}{line[start + len(core):]}"
        lines.append(line)
    return "\n".join(lines)


def _fit(op: str, raw: str, room: int) -> tuple[str, int]:
    """The longest prefix of `raw` whose escaped, marked form fits `room`; and that form."""
    whole = _mark(op, mrkdwn(raw))
    if len(whole) <= room:
        return whole, len(raw)
    low, high = 0, len(raw)
    while low < high:  # escaped length grows with the prefix: binary search the cut
        mid = (low + high + 1) // 2
        if len(_mark(op, mrkdwn(raw[:mid]))) <= room:
            low = mid
        else:
            high = mid - 1
    return _mark(op, mrkdwn(raw[:low])), low


def _unit_text(unit: UnitView, budget: Budget) -> str:
    # Raw text is cut before escaping so no entity is cut in half (escaping grows text ≤ 5×).
    head = "*" + mrkdwn(unit_heading(unit.kind, unit.section, unit.severity, unit.direction,
                                     unit.categories)[:200]) + "*"
    if unit.reason:
        head += "\nWhy: " + mrkdwn(unit.reason[:300])
    room = MAX_BLOCK_TEXT - len(head) - 60  # keep space for the "more characters" line
    parts: list[str] = []
    omitted = 0
    previous = "equal"
    for op, raw in elide_context(unit.spans):
        if op != "equal" and previous != "equal" and parts:
            parts.append(" ")  # ~old~*new* would not render: Slack wants a word boundary
            room -= 1
        previous = op
        allowed = min(room, budget.left)
        shown, used = _fit(op, raw, allowed) if allowed > 0 else ("", 0)
        parts.append(shown)
        room -= len(shown)
        budget.left -= used
        omitted += len(raw) - used
    text = head + "\n" + "".join(parts)
    if omitted:
        text += "\n_" + more_chars_line(omitted) + "_"
    return text


def _link(label: str, url: str | None) -> str:
    if not url:
        return ""
    clean = strip_controls(url)
    if not is_web_url(clean):
        return f"{label}: {mrkdwn(clean)}\n"
    target = clean.replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    return f"{label}: <{target}>\n"


def _change_blocks(change: ChangeView, budget: Budget) -> list[str]:
    title = mrkdwn(f"{change.severity.upper()} · {change.title} · "
                   f"{change.summary or 'policy changed'}"[:300])
    intro = (f"*{title}*\n" + _link("Policy", change.url)
             + _link("Change page", change.report_url)
             + _link("Archived capture", change.archive_url)
             + _link("Previous capture", change.old_archive_url)
             + window_line(change.window_start, change.window_end)
             + (f"\n*{mrkdwn(change.date_note)}*" if change.date_note else ""))
    texts = [intro[:MAX_BLOCK_TEXT]]
    texts.extend(_unit_text(unit, budget) for unit in change.units)
    if change.other_changes:
        texts.append(f"_{change.other_changes} other change(s) of form or with no data practice "
                     "changed are not shown._")
    return texts


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def slack_payload(message: AlertMessage, username: str | None = None) -> dict[str, Any]:
    """The webhook's JSON body: a fallback `text` and at most 50 blocks of at most 3,000 chars."""
    budget = Budget(TEXT_BUDGET)
    subject = mrkdwn(message.subject[:300])
    # A single change's own title block says what the subject says: no separate subject block.
    texts = [] if message.kind == "change" else [f"*{subject}*"]
    if message.note:
        note, shown = _fit("equal", message.note, MAX_BLOCK_TEXT - 60)
        if shown < len(message.note):
            note += "\n_" + more_chars_line(len(message.note) - shown) + "_"
        texts.append(note)
    for change in message.changes:
        texts.extend(_change_blocks(change, budget))
    footer_text = mrkdwn(f"policywatch · {message.kind} alert · {message.message_id}"[:500])
    if len(texts) > MAX_BLOCKS - 1:
        hidden = len(texts) - (MAX_BLOCKS - 2)
        texts = texts[:MAX_BLOCKS - 2] + [f"_… {hidden} more sections not shown (see the "
                                          "e-mail or the policywatch database)_"]
    blocks = [_section(text) for text in texts]
    blocks.append({"type": "context",
                   "elements": [{"type": "mrkdwn", "text": footer_text[:MAX_BLOCK_TEXT]}]})
    for index, block in enumerate(blocks):
        block["block_id"] = block_id(message.message_id, index)
    payload: dict[str, Any] = {"text": subject, "blocks": blocks}
    if username:
        payload["username"] = username
    return payload
