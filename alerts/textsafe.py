"""Shared helpers for rendering hostile policy text: control characters, length budgets, dates."""

from __future__ import annotations

import re

from policywatch.monitor.timeutil import parse_iso

# C0 controls except tab and newline, DEL, C1 controls, the bidirectional overrides and isolates
# that can make a terminal or mail client show text in a misleading order, and the invisible
# characters that hide words from a reader or split a word a filter looks for: zero-width space,
# non-joiner and joiner, the left-to-right / right-to-left and Arabic letter marks, word joiner
# and the zero-width no-break space (BOM).
_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
CONTEXT_CHARS = 160  # unchanged words kept on each side of a change


def strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def elide_context(spans: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """Shorten long unchanged stretches so the changed words stay in view: keep the words just
    after the previous change and just before the next one."""
    out: list[tuple[str, str]] = []
    last = len(spans) - 1
    for index, (op, text) in enumerate(spans):
        if op == "equal":
            text = _elide(text, keep_head=index > 0 or last == 0, keep_tail=index < last)
        out.append((op, strip_controls(text)))
    return out


def _elide(text: str, *, keep_head: bool, keep_tail: bool) -> str:
    keep = CONTEXT_CHARS * (int(keep_head) + int(keep_tail))
    if len(text) <= keep + 20:
        return text
    head = text[:CONTEXT_CHARS] if keep_head else ""
    tail = text[-CONTEXT_CHARS:] if keep_tail else ""
    if head and tail:
        return f"{head} … {tail}"
    return f"{head} …" if head else f"… {tail}"


class Budget:
    """How many characters of policy text a message may still carry."""

    def __init__(self, chars: int) -> None:
        self.left = chars
        self.omitted = 0

def more_chars_line(count: int) -> str:
    return f"… {count:,} more characters not shown"


def more_changes_line(count: int) -> str:
    noun = "change" if count == 1 else "changes"
    return f"… {count:,} more material {noun} not shown (see the full diff in policywatch)"


def format_time(stamp: str | None) -> str:
    if not stamp:
        return "unknown"
    try:
        return parse_iso(stamp).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return strip_controls(stamp)


def window_line(window_start: str | None, window_end: str | None) -> str:
    """When the change happened, as narrowly as policywatch knows it."""
    if window_start and window_end:
        return (f"Changed between {format_time(window_start)} (old text last seen) and "
                f"{format_time(window_end)} (new text first seen)")
    if window_end:
        return f"New text first seen {format_time(window_end)}"
    return "Dating window unknown"


def is_web_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("https://", "http://"))


def unit_heading(kind: str, section: str | None, severity: str, direction: str,
                 categories: tuple[str, ...]) -> str:
    where = strip_controls(section) if section else "(no section)"
    cats = ", ".join(categories) or "other"
    return f"{severity.upper()} · {direction} · {cats} · {kind} in {where}"


def clip_spans(spans: tuple[tuple[str, str], ...], budget: Budget,
               cap: int) -> tuple[list[tuple[str, str]], int]:
    """The unit's spans (context elided) cut to at most `cap` characters and what the message's
    budget has left; also how many characters were cut."""
    limit = min(cap, budget.left)
    shown: list[tuple[str, str]] = []
    used = omitted = 0
    for op, text in elide_context(spans):
        room = max(limit - used, 0)
        piece = text[:room]
        omitted += len(text) - len(piece)
        used += len(piece)
        if piece:
            shown.append((op, piece))
    budget.left -= used
    budget.omitted += omitted
    return shown, omitted
