"""Timestamps: one sortable UTC text form everywhere, and an injectable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """The stored form: 2026-11-21T23:37:33.000000Z (fixed width, so text order is time order)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def from_archive_timestamp(stamp: str) -> datetime:
    """Wayback's 14-digit timestamp (20110112225902) as a UTC datetime."""
    return datetime.strptime(stamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def day_end(day: date) -> str:
    """The last stored instant of a day, for 'as of DATE' look-ups."""
    return f"{day.isoformat()}T23:59:59.999999Z"
