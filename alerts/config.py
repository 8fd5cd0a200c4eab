"""Type-specific validation of [alerts.NAME] tables (filled by the alerts module owner)."""

from __future__ import annotations

from monitor.watchlist import ChannelValidator

CHANNEL_VALIDATORS: dict[str, ChannelValidator] = {}
