"""The console channel: prints a readable alert. It is the default when no channel is configured,
so policywatch works with nothing set up (every alert is also stored)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TextIO

import requests

from policywatch.monitor.watchlist import AlertChannel

from .message import AlertMessage
from .render_email import render_text


class ConsoleNotifier:
    def __init__(self, channel: AlertChannel, *, session: requests.Session | None = None,
                 environ: Mapping[str, str] | None = None, stream: TextIO | None = None) -> None:
        # `session` and `environ` are part of every notifier's constructor; the console needs
        # neither.
        self.channel = channel
        self._stream = stream

    def _target(self) -> TextIO:
        # Resolved at send time so a redirected sys.stdout (tests, daemons) is honoured.
        if self._stream is not None:
            return self._stream
        return sys.stderr if self.channel.options.get("stream") == "stderr" else sys.stdout

    def describe(self) -> str:
        return f"console ({self.channel.options.get('stream', 'stdout')})"

    def send(self, message: AlertMessage) -> str | None:
        stream = self._target()
        rule = "=" * 72
        stream.write(f"{rule}\n{message.subject}\n{rule}\n{render_text(message)}\n")
        stream.flush()
        return None
