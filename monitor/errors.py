"""The one small exception tree of policywatch.

Library code raises these; only the CLI prints them and exits.
"""

from __future__ import annotations


class PolicywatchError(Exception):
    """Base of every error policywatch raises on purpose."""


class ConfigError(PolicywatchError):
    """The watchlist is malformed. `problems` lists every problem found, one line each."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path}: {len(problems)} problem(s) in the watchlist:\n{lines}")


class FetchError(PolicywatchError):
    """A fetch failed. `transient` says whether retrying later may help (True) or whether the
    operator must act (False). `reason` is a short machine-friendly code (e.g. ``http_404``)."""

    def __init__(self, url: str, reason: str, detail: str, *, transient: bool,
                 status: int | None = None, retry_after: float | None = None) -> None:
        self.url = url
        self.reason = reason
        self.detail = detail
        self.transient = transient
        self.status = status
        self.retry_after = retry_after
        kind = "transient" if transient else "permanent"
        super().__init__(f"{url}: {reason} ({kind}): {detail}")


class ContentRejected(PolicywatchError):
    """The page was fetched but is not the policy (bot check, cookie wall, soft 404, empty or
    binary content). Recorded as a failed check, never as a version."""

    def __init__(self, url: str, reason: str, detail: str, *, transient: bool = True) -> None:
        self.url = url
        self.reason = reason
        self.detail = detail
        self.transient = transient
        super().__init__(f"{url}: {reason}: {detail}")


class StorageError(PolicywatchError):
    """The database is unusable or a requested record does not exist."""


class NotFound(StorageError):
    """A named policy, version or alert does not exist."""


class AlertError(PolicywatchError):
    """Delivering an alert failed. `transient` as for FetchError."""

    def __init__(self, channel: str, detail: str, *, transient: bool,
                 retry_after: float | None = None) -> None:
        self.channel = channel
        self.detail = detail
        self.transient = transient
        self.retry_after = retry_after
        super().__init__(f"alert channel {channel!r}: {detail}")
