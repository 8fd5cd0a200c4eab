"""Small pieces of HTML used many times per page (badges, timelines, capture links), built in
Python for speed: a site of 2,000 policies draws 40,000 of them. Every value passes through
markupsafe's escape; only numbers computed here are placed unescaped."""

from __future__ import annotations

from markupsafe import Markup, escape

from policywatch.storage.report import VersionMeta

from .timeline import Timeline

GLYPHS = {"high": "▲", "medium": "◆", "low": "●", "none": "▮"}
HATCH = ('<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
         'patternTransform="rotate(45)"><rect width="6" height="6" class="archive-bg"/>'
         '<line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>')


def css_name(value: object) -> str:
    """A CSS class from a stored severity or direction, whatever the database holds."""
    text = str(value)
    return text if text.isalpha() and text.islower() and len(text) < 20 else "none"


def web_url(url: object) -> bool:
    """Only http(s) URLs become links (never javascript:, data: and the like)."""
    return isinstance(url, str) and url.lower().startswith(("http://", "https://")) \
        and not any(c in url for c in "\"'<> \t\r\n")


def badge(severity: object) -> Markup:
    name = css_name(severity)
    glyph = GLYPHS.get(name, GLYPHS["none"])
    label = escape(str(severity).upper())
    return Markup(f'<span class="badge sev-{name}" title="severity {escape(severity)}">'
                  f'<span class="glyph" aria-hidden="true">{glyph}</span> {label}</span>')


LEGEND = Markup(" ".join(badge(s) for s in ("high", "medium", "low", "none")))


def capture_link(version: VersionMeta) -> Markup:
    if web_url(version.capture_url):
        return Markup(f'<a class="raw" href="{escape(version.capture_url)}" rel="noreferrer">'
                      f'raw capture {escape(version.archive_timestamp or "")}</a>')
    if version.source == "live":
        return Markup('<span class="muted">live check</span>')
    return Markup("")


def _marks(t: Timeline, compact: bool) -> list[str]:
    out = []
    half, height = (3, 6) if compact else (8, 16)
    for mark in t.marks:
        window = (f'<rect class="window" x="{mark.span_x}" y="{t.mark_y - half}" '
                  f'width="{mark.span_width}" height="{height}"/>' if mark.span_width > 0
                  else "")
        shape = (f'<g class="mark sev-{css_name(mark.severity)}"><title>{escape(mark.label)}'
                 f'</title>{window}<line class="stem" x1="{mark.x}" x2="{mark.x}" '
                 f'y1="{t.mark_y}" y2="{t.bar_y + t.bar_height}"/>'
                 f'<path class="shape" d="{escape(mark.path)}"/></g>')
        out.append(f'<a href="{escape(mark.href)}">{shape}</a>' if mark.href else shape)
    return out


def timeline_svg(t: Timeline | None) -> Markup:
    """The inline SVG of a timeline: bars, ticks, then the marks (most severe on top)."""
    if t is None:
        return Markup("")
    compact = not t.ticks
    parts = [f'<svg class="timeline{" compact" if compact else ""}" role="img" '
             f'viewBox="0 0 {t.width} {t.height}" width="{t.width}" height="{t.height}" '
             f'aria-label="{escape(t.label)}" xmlns="http://www.w3.org/2000/svg">'
             f"<title>{escape(t.label)}</title>", "" if compact else HATCH]
    for bar in t.bars:
        source = "archive" if bar.source == "archive" else "live"
        parts.append(f'<rect class="bar {source}" x="{bar.x}" y="{t.bar_y}" '
                     f'width="{bar.width}" height="{t.bar_height}"><title>{escape(bar.label)}'
                     "</title></rect>")
    for tick in t.ticks:
        bottom = t.bar_y + t.bar_height
        parts.append(f'<line class="tick" x1="{tick.x}" x2="{tick.x}" y1="{bottom}" '
                     f'y2="{bottom + 5}"/><text class="tick-label" x="{tick.x}" '
                     f'y="{t.height - 4}">{escape(tick.label)}</text>')
    parts += _marks(t, compact)
    parts.append("</svg>")
    return Markup("".join(parts))
