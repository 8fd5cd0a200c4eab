"""Network errors in one short line: requests and urllib3 put the whole URL (an archive index
query is 250 characters) and their own wrapping in every message. `--verbose` shows it all."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_CERTIFICATE = re.compile(r"(certificate verify failed: [^(')\"]+)")
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\"()\]]+)")
_CAUSE = re.compile(r"Caused by \w+\(\"?'?(?:[^:]*: )?([^\"']+)")
_TIMEOUT = re.compile(r"(Read timed out|Connect timed out|timed out)", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")
LIMIT = 160


def short_error(detail: str) -> str:
    """The words that say what went wrong: `Connection refused`, `Name or service not known`,
    `Read timed out`; otherwise the message with URLs cut to their host, at most LIMIT
    characters."""
    for pattern in (_CERTIFICATE, _ERRNO, _TIMEOUT, _CAUSE):
        found = pattern.search(detail)
        if found:
            return found.group(1).strip().rstrip(".")
    text = _URL.sub(lambda m: urlsplit(m.group(0)).netloc or m.group(0), detail)
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def short_url(url: str) -> str:
    """The scheme and host of a URL: where the request went, without its query."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url[:LIMIT]
