"""Plain-text and HTML bodies of an alert (e-mail; the console prints the text form).

Policy text is hostile: the HTML form escapes every policy string, links only http(s) URLs, and
both forms strip control characters and are capped in size so a 50,000-character change cannot
produce a mail that servers reject or clients choke on.
"""

from __future__ import annotations

from html import escape

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

TEXT_BUDGET = 60_000  # characters of policy text in one message
UNIT_CAP = 6_000  # characters of one change unit
MAX_UNITS = 40  # material units shown per change

_STYLE_DEL = "background:#fdd;color:#900;text-decoration:line-through"
_STYLE_INS = "background:#dfd;color:#060;text-decoration:none;font-weight:bold"


# --- plain text ------------------------------------------------------------------------------

def _text_spans(spans: list[tuple[str, str]]) -> str:
    marks = {"delete": ("[-", "-]"), "insert": ("{+", "+}"), "equal": ("", "")}
    return "".join(f"{marks[op][0]}{text}{marks[op][1]}" for op, text in spans if op in marks)


def _text_unit(number: int, unit: UnitView, budget: Budget) -> list[str]:
    lines = [f"{number}. " + unit_heading(unit.kind, unit.section, unit.severity,
                                           unit.direction, unit.categories)]
    if unit.reason:
        lines.append("   Why: " + strip_controls(unit.reason))
    spans, cut = clip_spans(unit.spans, budget, UNIT_CAP)
    body = _text_spans(spans)
    lines.extend("   " + line for line in body.split("\n"))
    if cut:
        lines.append("   " + more_chars_line(cut))
    return lines


def _text_links(change: ChangeView) -> list[str]:
    lines = []
    if change.url:
        lines.append(f"Policy: {strip_controls(change.url)}")
    if change.report_url:
        lines.append(f"Change page: {strip_controls(change.report_url)}")
    if change.archive_url:
        lines.append(f"Archived capture: {strip_controls(change.archive_url)}")
    if change.old_archive_url:
        lines.append(f"Previous capture: {strip_controls(change.old_archive_url)}")
    return lines


def _text_change(change: ChangeView, budget: Budget) -> list[str]:
    lines = [f"{change.severity.upper()} · {strip_controls(change.title)} · "
             f"{strip_controls(change.summary or 'policy changed')}", *_text_links(change),
             window_line(change.window_start, change.window_end), ""]
    if change.date_note:
        lines[-1:-1] = [strip_controls(change.date_note)]
    for number, unit in enumerate(change.units[:MAX_UNITS], start=1):
        lines.extend(_text_unit(number, unit, budget))
        lines.append("")
    if len(change.units) > MAX_UNITS:
        lines.append(more_changes_line(len(change.units) - MAX_UNITS))
    if change.other_changes:
        lines.append(f"{change.other_changes} other change(s) of form or with no data practice "
                     "changed are not shown.")
    return lines


def render_text(message: AlertMessage) -> str:
    budget = Budget(TEXT_BUDGET)
    lines: list[str] = []
    if message.note:
        lines.extend([strip_controls(message.note), ""])
    for index, change in enumerate(message.changes):
        if index:
            lines.extend(["-" * 72, ""])
        lines.extend(_text_change(change, budget))
    lines.extend(["--", f"policywatch · {message.kind} alert · {message.message_id}"])
    return "\n".join(lines).rstrip() + "\n"


# --- HTML ------------------------------------------------------------------------------------

def _html_spans(spans: list[tuple[str, str]]) -> str:
    parts = []
    for op, text in spans:
        safe = escape(text).replace("\n", "<br>\n")
        if op == "delete":
            parts.append(f'<del style="{_STYLE_DEL}">{safe}</del>')
        elif op == "insert":
            parts.append(f'<ins style="{_STYLE_INS}">{safe}</ins>')
        else:
            parts.append(safe)
    return "".join(parts)


def _html_unit(unit: UnitView, budget: Budget) -> str:
    heading = escape(unit_heading(unit.kind, unit.section, unit.severity, unit.direction,
                                  unit.categories))
    reason = (f"<p><b>Why:</b> {escape(strip_controls(unit.reason))}</p>" if unit.reason
              else "")
    spans, cut = clip_spans(unit.spans, budget, UNIT_CAP)
    more = f"<p><i>{escape(more_chars_line(cut))}</i></p>" if cut else ""
    return (f"<li><p><b>{heading}</b></p>{reason}<blockquote style=\"border-left:3px solid #ccc;"
            f"margin:0;padding-left:8px\">{_html_spans(spans)}</blockquote>{more}</li>")


def _html_link(label: str, url: str | None) -> str:
    if not url:
        return ""
    clean = strip_controls(url)
    if is_web_url(clean):
        return f'<p>{label}: <a href="{escape(clean)}">{escape(clean)}</a></p>'
    return f"<p>{label}: {escape(clean)}</p>"


def _html_change(change: ChangeView, budget: Budget) -> str:
    title = escape(f"{change.severity.upper()} · {strip_controls(change.title)} · "
                   f"{strip_controls(change.summary or 'policy changed')}")
    units = "".join(_html_unit(u, budget) for u in change.units[:MAX_UNITS])
    tail = []
    if len(change.units) > MAX_UNITS:
        tail.append(f"<p>{escape(more_changes_line(len(change.units) - MAX_UNITS))}</p>")
    if change.other_changes:
        tail.append(f"<p>{change.other_changes} other change(s) of form or with no data "
                    "practice changed are not shown.</p>")
    return (f"<h2>{title}</h2>{_html_link('Policy', change.url)}"
            f"{_html_link('Change page', change.report_url)}"
            f"{_html_link('Archived capture', change.archive_url)}"
            f"{_html_link('Previous capture', change.old_archive_url)}"
            f"<p>{escape(window_line(change.window_start, change.window_end))}</p>"
            f"{_html_date_note(change)}<ol>{units}</ol>{''.join(tail)}")


def _html_date_note(change: ChangeView) -> str:
    return f"<p><b>{escape(strip_controls(change.date_note))}</b></p>" if change.date_note else ""


def render_html(message: AlertMessage) -> str:
    budget = Budget(TEXT_BUDGET)
    note = ""
    if message.note:
        note = "<p>" + escape(strip_controls(message.note)).replace("\n", "<br>\n") + "</p>"
    changes = "<hr>".join(_html_change(c, budget) for c in message.changes)
    footer = escape(f"policywatch · {message.kind} alert · {message.message_id}")
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"
            f"{escape(message.subject)}</title></head><body style=\"font-family:sans-serif\">"
            f"{note}{changes}<hr><p style=\"color:#666;font-size:small\">{footer}</p>"
            "</body></html>\n")
