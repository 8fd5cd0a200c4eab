"""Logging for the long-running service: one line per event, text by default or JSON.

Events about one policy carry it as `extra={"policy": ..., "outcome": ...}`; both formats show
those fields, so `grep policy=kareo` or a JSON log shipper can follow one policy.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

LOG_FORMATS = ("text", "json")
_HANDLER_NAME = "policywatch"

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName"}


def event_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The `extra=` fields of a record (policy, outcome, ...), in the order they were given."""
    return {key: value for key, value in vars(record).items()
            if key not in _STANDARD_ATTRS and not key.startswith("_")}


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _one_line(text: str) -> str:
    # One line per event: a multi-line message (a validation report) is kept on one line.
    return text.replace("\r", "").replace("\n", " | ")


class TextFormatter(logging.Formatter):
    """`2026-05-09T12:00:00.123Z INFO policywatch.check kareo: unchanged [policy=kareo ...]`"""

    def format(self, record: logging.LogRecord) -> str:
        message = _one_line(record.getMessage())
        fields = " ".join(f"{key}={value}" for key, value in event_fields(record).items())
        line = f"{_timestamp(record)} {record.levelname} {record.name} {message}"
        if fields:
            line += f" [{fields}]"
        if record.exc_info:
            line += " | " + _one_line(self.formatException(record.exc_info))
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, then the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {"ts": _timestamp(record), "level": record.levelname,
                                 "logger": record.name, "message": record.getMessage()}
        for key, value in event_fields(record).items():
            entry.setdefault(key, value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def setup_logging(log_format: str = "text", *, level: int | str = logging.INFO,
                  stream: TextIO | None = None) -> logging.Handler:
    """Send every log record (policywatch's own and the libraries') to `stream` (stderr) in the
    chosen format. Replaces a handler installed by an earlier call, so it can be called again."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # APScheduler logs every job run at INFO: far too chatty with a job per policy.
    for chatty in ("apscheduler", "urllib3", "mail.log"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    return handler
