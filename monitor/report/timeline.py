"""Timelines as inline SVG geometry, computed from the data: one bar per version (archive and
live told apart by fill and pattern), one mark per change whose shape and colour both say its
severity, and the Wayback dating window as a translucent span before the mark."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from policywatch.monitor.timeutil import parse_iso
from policywatch.storage.report import ChangeRecord, VersionMeta

DAY = 86400.0


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    source: str
    label: str


@dataclass(frozen=True)
class Mark:
    x: float
    span_x: float
    span_width: float
    severity: str
    path: str
    label: str
    href: str | None


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    bar_y: float
    bar_height: float
    mark_y: float
    bars: tuple[Bar, ...]
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    label: str


def shape_path(severity: str, x: float, y: float, r: float) -> str:
    """high ▲, medium ◆, low ●, none a short bar: severity is told by shape as well as colour."""
    if severity == "high":
        return f"M{x:.1f},{y - r:.1f}L{x + r:.1f},{y + r * .8:.1f}L{x - r:.1f},{y + r * .8:.1f}Z"
    if severity == "medium":
        return f"M{x:.1f},{y - r:.1f}L{x + r:.1f},{y:.1f}L{x:.1f},{y + r:.1f}L{x - r:.1f},{y:.1f}Z"
    if severity == "low":
        s = r * .75
        return f"M{x - s:.1f},{y:.1f}a{s:.1f},{s:.1f} 0 1,0 {2 * s:.1f},0a{s:.1f},{s:.1f} 0 1,0 " \
               f"{-2 * s:.1f},0Z"
    return f"M{x - 1:.1f},{y - r * .6:.1f}h2v{r * 1.2:.1f}h-2Z"


def _seconds(stamp: str) -> float:
    return parse_iso(stamp).timestamp()


class _Scale:
    def __init__(self, start: float, end: float, left: float, right: float) -> None:
        if end - start < DAY:
            end = start + DAY
        self.start, self.end, self.left, self.right = start, end, left, right

    def __call__(self, seconds: float) -> float:
        share = (seconds - self.start) / (self.end - self.start)
        return round(self.left + max(0.0, min(1.0, share)) * (self.right - self.left), 1)


def _ticks(scale: _Scale) -> tuple[Tick, ...]:
    start = datetime.fromtimestamp(scale.start, UTC)
    end = datetime.fromtimestamp(scale.end, UTC)
    if (end - start).days >= 2 * 365:
        years = list(range(start.year + 1, end.year + 1))
        step = max(1, len(years) // 8 + (len(years) % 8 > 0))
        moments = [datetime(y, 1, 1, tzinfo=UTC) for y in years[::step]]
        return tuple(Tick(scale(m.timestamp()), str(m.year)) for m in moments)
    months = []
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        moment = datetime(year, month, 1, tzinfo=UTC)
        if moment > end:
            break
        months.append(moment)
    step = max(1, len(months) // 8 + (len(months) % 8 > 0))
    return tuple(Tick(scale(m.timestamp()), m.strftime("%Y-%m")) for m in months[::step])


def _bars(versions: Sequence[VersionMeta], scale: _Scale, end: float) -> tuple[Bar, ...]:
    bars = []
    for index, version in enumerate(versions):
        begin = _seconds(version.first_seen)
        stop = (_seconds(versions[index + 1].first_seen) if index + 1 < len(versions)
                else max(end, _seconds(version.last_seen)))
        x = scale(begin)
        label = (f"v{version.number} ({version.source}): first seen {version.first_seen[:10]}, "
                 f"last seen {version.last_seen[:10]}")
        bars.append(Bar(x, max(1.0, scale(stop) - x), version.source, label))
    return tuple(bars)


def _marks(changes: Sequence[ChangeRecord], scale: _Scale, y: float, r: float,
           href: Callable[[ChangeRecord], str | None]) -> tuple[Mark, ...]:
    marks = []
    # Least severe first, so the most severe marks are drawn on top.
    ordered = sorted(changes, key=lambda c: ("none", "low", "medium", "high").index(c.severity)
                     if c.severity in ("none", "low", "medium", "high") else 0)
    for change in ordered:
        when = change.window_end or change.detected_at
        x = scale(_seconds(when))
        span_x = scale(_seconds(change.window_start)) if change.window_start else x
        label = f"{change.severity.upper()} {when[:10]}: {change.summary or 'changed'}"[:300]
        if change.window_start:
            label = f"{change.window_start[:10]} → {label}"
        marks.append(Mark(x, span_x, max(0.0, x - span_x), change.severity,
                          shape_path(change.severity, x, y, r), label, href(change)))
    return tuple(marks)


def build_timeline(versions: Sequence[VersionMeta], changes: Sequence[ChangeRecord], *,
                   end: str | None, width: int = 960, compact: bool = False,
                   href: Callable[[ChangeRecord], str | None] = lambda c: None
                   ) -> Timeline | None:
    """The geometry of one policy's timeline; None when there is no version to draw."""
    if not versions:
        return None
    stamps = [_seconds(v.first_seen) for v in versions] + [_seconds(v.last_seen) for v in versions]
    stamps += [_seconds(c.window_start) for c in changes if c.window_start]
    last = max(stamps + ([_seconds(end)] if end else []))
    height, bar_y, bar_h, mark_y, r = ((24, 13, 8, 7, 5) if compact else (86, 46, 16, 22, 8))
    pad = 8 if compact else 20
    scale = _Scale(min(stamps), last, pad, width - pad)
    until = datetime.fromtimestamp(last, UTC).date().isoformat()
    label = (f"{len(versions)} versions from {versions[0].first_seen[:10]} to {until}, "
             f"{len(changes)} changes")
    return Timeline(width, height, bar_y, bar_h, mark_y, _bars(versions, scale, last),
                    _marks(changes, scale, mark_y, r, href),
                    () if compact else _ticks(scale), label)
