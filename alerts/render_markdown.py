"""Markdown body of an alert, for chat services reached through Apprise (Discord, Teams,
Mattermost, Telegram, ntfy, ...).

Policy text is hostile: every Markdown and HTML control character in it is backslash-escaped
(CommonMark), so only policywatch's own ~~deleted~~ and **inserted** marks format anything and
`<@123>` or `<!channel>` arrive as text; `@everyone`, `@here` and `@channel` get a zero-width
space after the `@`. Chat services cap messages at a few thousand characters, so the budget is
small and what is cut is counted.
"""

from __future__ import annotations

import re

from .message import AlertMessage, ChangeView, UnitView
from .textsafe import (
    Budget,
    clip_spans,
    is_web_url,
    more_changes_line,
    more_chars_line,
    strip_controls,
    unit_heading,
    window_line,
)

TEXT_BUDGET = 8_000  # characters of policy text in one message
UNIT_CAP = 1_500  # characters of one change unit
MAX_UNITS = 15  # material units shown per change
MAX_CHANGES = 20  # changes shown in one digest
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")
_BROADCAST = re.compile(r"@(?=(channel|here|everyone)\b)", re.IGNORECASE)
_MARKS = {"delete": "~~", "insert": "**"}


def md(text: str) -> str:
    """Policy text made inert in Markdown."""
    escaped = _SPECIAL.sub(r"\\\1", strip_controls(text))
    return _BROADCAST.sub("@\u200b", escaped)


def _spans(spans: list[tuple[str, str]]) -> str:
    parts = []
    previous = "equal"
    for op, text in spans:
        if op != "equal" and previous != "equal":
            parts.append(" ")  # ~~old~~**new** would not render: marks want a word boundary
        previous = op
        mark = _MARKS.get(op, "")
        core = text.strip()
        if mark and core:  # marks hug the words: `** x**` would not render
            start = text.index(core)
            parts.append(f"{md(text[:start])}{mark}{md(core)}{mark}{md(text[start + len(core):])}")
        else:
            parts.append(md(text))
    return "".join(parts)


def _unit(number: int, unit: UnitView, budget: Budget) -> list[str]:
    heading = md(unit_heading(unit.kind, unit.section, unit.severity, unit.direction,
                              unit.categories))
    lines = [f"{number}\\. **{heading}**"]
    if unit.reason:
        lines.append(f"Why: {md(unit.reason[:300])}")
    spans, cut = clip_spans(unit.spans, budget, UNIT_CAP)
    lines.append("> " + _spans(spans).replace("\n", "\n> "))
    if cut:
        lines.append(f"_{md(more_chars_line(cut))}_")
    return lines


def _link(label: str, url: str | None) -> list[str]:
    if not url:
        return []
    clean = strip_controls(url)
    if is_web_url(clean):
        return [f"{label}: <{clean.replace('<', '%3C').replace('>', '%3E')}>"]
    return [f"{label}: {md(clean)}"]


def _change(change: ChangeView, budget: Budget) -> list[str]:
    title = md(f"{change.severity.upper()} · {change.title} · "
               f"{change.summary or 'policy changed'}"[:300])
    lines = [f"**{title}**", *_link("Policy", change.url),
             *_link("Archived capture", change.archive_url),
             md(window_line(change.window_start, change.window_end)), ""]
    for number, unit in enumerate(change.units[:MAX_UNITS], start=1):
        lines.extend([*_unit(number, unit, budget), ""])
    if len(change.units) > MAX_UNITS:
        lines.append(md(more_changes_line(len(change.units) - MAX_UNITS)))
    if change.other_changes:
        lines.append(f"_{change.other_changes} other change\\(s\\) of form or with no data "
                     "practice changed are not shown\\._")
    return lines


def render_markdown(message: AlertMessage) -> str:
    budget = Budget(TEXT_BUDGET)
    lines: list[str] = []
    if message.note:
        lines.extend([md(message.note[:4_000]), ""])
    for index, change in enumerate(message.changes[:MAX_CHANGES]):
        if index:
            lines.extend(["---", ""])
        lines.extend(_change(change, budget))
    hidden = len(message.changes) - MAX_CHANGES
    if hidden > 0:
        lines.extend(["", f"_… {hidden} more changes not shown \\(see policywatch changes\\)_"])
    lines.append(f"_{md(f'policywatch · {message.kind} alert · {message.message_id}')}_")
    return "\n".join(lines).rstrip() + "\n"
