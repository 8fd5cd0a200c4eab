"""Render a DiffResult as terminal text, Markdown (email, Slack), a standalone HTML page or JSON.

Every human format leads with the material changes grouped by severity (high, medium, low),
each with the classifier's reason, then the other real changes, and folds the changes of form
into one line. An unclassified result (nothing material) lists its real changes, then that line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from policywatch.monitor.model import ChangeUnit, DiffResult, Span

from .arrange import DEFAULT_TITLE, NO_SECTION, arrange, form_line, headline, one_line
from .render_html import render_html

FORMATS = ("text", "markdown", "html", "json")
FOLD_OVER = 10  # text format: more other (not material) changes than this are folded into counts


def render(result: DiffResult, fmt: str, *, color: bool = False, title: str | None = None,
           show_all: bool = False) -> str:
    """The result in one of FORMATS; `color` adds ANSI colours to the text format only, which
    folds many other changes into counts unless `show_all`."""
    if fmt == "json":
        return json.dumps(result.to_json())
    if fmt == "html":
        return render_html(result, title=title)
    if fmt == "text":
        return _render_text(result, color=color, title=title, show_all=show_all)
    if fmt == "markdown":
        return _render_markdown(result, title=title)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


# --- text -----------------------------------------------------------------------------------

_ANSI = {"delete": "\x1b[31;9m", "insert": "\x1b[32m", "bold": "\x1b[1m", "dim": "\x1b[2m"}
_RESET = "\x1b[0m"
_PLAIN_MARKS = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}


def _text_spans(spans: list[Span], color: bool) -> str:
    out = []
    for span in spans:
        text = one_line(span.text)
        if span.op == "equal":
            out.append(text)
        elif color:
            out.append(f"{_ANSI[span.op]}{text}{_RESET}")
        else:
            start, end = _PLAIN_MARKS[span.op]
            out.append(f"{start}{text}{end}")
    return "".join(out)


def _text_unit(unit: ChangeUnit, color: bool) -> list[str]:
    bold = (lambda s: f"{_ANSI['bold']}{s}{_RESET}") if color else (lambda s: s)
    lines = [f"  {bold(unit.kind)} in {unit.section or NO_SECTION}"]
    if unit.reason:
        lines.append(f"    why: {one_line(unit.reason)}")
    lines.append(f"    {_text_spans(unit.spans, color)}")
    return lines


def folded_lines(units: list[ChangeUnit]) -> list[str]:
    """Many changes that alter no data practice, as counts: by kind, and the sections most of
    them are in, so a large rewrite reads in a few lines (`--all` lists them)."""
    kinds: dict[str, int] = {}
    sections: dict[str, int] = {}
    for unit in units:
        kinds[unit.kind] = kinds.get(unit.kind, 0) + 1
        section = unit.section or NO_SECTION
        sections[section] = sections.get(section, 0) + 1
    by_kind = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda i: -i[1]))
    top = sorted(sections.items(), key=lambda i: -i[1])
    where = ", ".join(f"{_clip(name, 60)} ({n})" for name, n in top[:5])
    rest = f" and {len(top) - 5} more sections" if len(top) > 5 else ""
    return [f"  {by_kind}", f"  in {where}{rest}", "  (--all lists them)"]


def _clip(section: str, limit: int) -> str:
    """A long section path keeps its end, which tells sections apart."""
    return section if len(section) <= limit else "…" + section[-(limit - 1):]


def _render_text(result: DiffResult, *, color: bool, title: str | None,
                 show_all: bool = False) -> str:
    arranged = arrange(result)
    lines = [title or DEFAULT_TITLE, headline(arranged)]
    if result.summary:
        lines.append(one_line(result.summary))
    for severity, units in arranged.material:
        lines += ["", f"{severity.upper()} severity ({len(units)})"]
        for unit in units:
            lines += _text_unit(unit, color)
    if arranged.other:
        label = "Other changes" if arranged.material else "Changes"
        if show_all or len(arranged.other) <= FOLD_OVER:
            lines += ["", f"{label} ({len(arranged.other)})"]
            for unit in arranged.other:
                lines += _text_unit(unit, color)
        else:
            lines += ["", f"{label} ({len(arranged.other)}, no data practice changed: folded)"]
            lines += folded_lines(arranged.other)
    if arranged.form_only:
        lines += ["", form_line(len(arranged.form_only))]
    if not result.changes:
        lines += ["", "No changes."]
    return "\n".join(lines) + "\n"


# --- markdown -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")


def md_escape(text: str) -> str:
    """Policy text made inert in Markdown: no emphasis, link, heading or HTML from it."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def _wrap(text: str, mark: str, escape: Callable[[str], str]) -> str:
    """`mark` around the text, with edge spaces kept outside so the Markdown stays valid."""
    core = text.strip()
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}{mark}{escape(core)}{mark}{trail}"


_MD_LINE_START = re.compile(r"^(\s*(?:\d+)?)([-+=.)])")


def _md_spans(spans: list[Span]) -> str:
    marks = {"delete": "~~", "insert": "**"}
    parts = []
    for n, span in enumerate(spans):
        if span.op == "equal":
            parts.append(md_escape(span.text))
            continue
        parts.append(_wrap(one_line(span.text), marks[span.op], md_escape))
        if span.op == "delete" and n + 1 < len(spans) and spans[n + 1].op == "insert":
            parts.append(" ")  # "~~30~~ **90**" reads better than "~~30~~**90**"
    # A leading "-", "+" or "1." would turn the line into a list item.
    return _MD_LINE_START.sub(r"\1\\\2", "".join(parts), count=1)


def _md_units(units: list[ChangeUnit], level: str) -> list[str]:
    lines: list[str] = []
    for unit in units:
        lines += ["", f"{level} {md_escape(unit.section or NO_SECTION)}", ""]
        label = f"*{unit.kind.capitalize()}*"
        lines.append(f"{label}: {md_escape(unit.reason)}" if unit.reason else label)
        lines += ["", _md_spans(unit.spans)]
    return lines


def _render_markdown(result: DiffResult, *, title: str | None) -> str:
    arranged = arrange(result)
    lines = [f"# {md_escape(title or DEFAULT_TITLE)}", "", headline(arranged)]
    if result.summary:
        lines += ["", md_escape(result.summary)]
    for severity, units in arranged.material:
        lines += ["", f"## {severity.capitalize()} severity ({len(units)})"]
        lines += _md_units(units, "###")
    if arranged.other:
        label = "Other changes" if arranged.material else "Changes"
        lines += ["", f"## {label} ({len(arranged.other)})"]
        lines += _md_units(arranged.other, "###")
    if arranged.form_only:
        lines += ["", f"_{form_line(len(arranged.form_only))}_"]
    if not result.changes:
        lines += ["", "No changes."]
    return "\n".join(lines) + "\n"
