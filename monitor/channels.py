"""Type-specific validation of [alerts.NAME] tables, and the channels' option defaults.

monitor.watchlist checks the keys every channel shares and calls these, which check what each
type needs, so a bad channel is reported when the watchlist loads, not when the first alert
fails to go out. Part of the configuration: the alerts package reads its defaults from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from email.utils import parseaddr
from typing import Any

# add_problem(where, key, message), as the watchlist loader collects problems.
AddProblem = Callable[[str, str | None, str], None]
# Type-specific checks of a channel's table: (raw table, where, add_problem).
ChannelValidator = Callable[[dict[str, Any], str, AddProblem], None]

SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_TIMEOUT = 10.0
CONSOLE_STREAMS = ("stdout", "stderr")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def is_address(value: Any) -> bool:
    """A bare e-mail address or 'Name <address>', on one line (no header injection)."""
    if not isinstance(value, str) or "\r" in value or "\n" in value:
        return False
    _, address = parseaddr(value)
    local, _, domain = address.rpartition("@")
    return bool(local) and bool(domain) and " " not in address


def _env_name(raw: dict[str, Any], where: str, key: str, add: AddProblem, *,
              required: bool) -> None:
    value = raw.get(key)
    if value is None:
        if required:
            add(where, key, "is required: the name of the environment variable holding the "
                "secret")
        return
    if not isinstance(value, str) or not _ENV_NAME.match(value):
        add(where, key, f"must be an environment variable name like SMTP_PASSWORD, not {value!r}")


def _timeout(raw: dict[str, Any], where: str, add: AddProblem) -> None:
    value = raw.get("timeout")
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 300:
        add(where, "timeout", f"must be a number of seconds from 0 to 300, not {value!r}")


def _text(raw: dict[str, Any], where: str, key: str, add: AddProblem, *,
          required: bool) -> None:
    value = raw.get(key)
    if value is None:
        if required:
            add(where, key, "is required")
    elif not isinstance(value, str) or not value.strip() or "\n" in value or "\r" in value:
        add(where, key, f"must be a non-empty one-line string, not {value!r}")


def _private_flag(raw: dict[str, Any], where: str, add: AddProblem) -> None:
    value = raw.get("allow_private_address")
    if value is not None and not isinstance(value, bool):
        add(where, "allow_private_address", f"must be true or false, not {value!r}")


def validate_email(raw: dict[str, Any], where: str, add: AddProblem) -> None:
    _text(raw, where, "host", add, required=True)
    security = raw.get("security", "starttls")
    if security not in SECURITY_MODES:
        add(where, "security", f"must be one of {', '.join(SECURITY_MODES)}, not {security!r}")
    port = raw.get("port")
    if port is not None and (isinstance(port, bool) or not isinstance(port, int)
                             or not 1 <= port <= 65535):
        add(where, "port", f"must be a port number from 1 to 65535, not {port!r}")
    _text(raw, where, "username", add, required=False)
    _env_name(raw, where, "password_env", add, required="username" in raw)
    if "password_env" in raw and "username" not in raw:
        add(where, "username", "is required when password_env is set")
    sender = raw.get("from")
    if not is_address(sender):
        add(where, "from", "is required: one e-mail address"
            + ("" if sender is None else f", not {sender!r}"))
    to = raw.get("to")
    if not isinstance(to, list) or not to:
        add(where, "to", "is required: a non-empty list of e-mail addresses"
            + ("" if to is None else f", not {to!r}"))
    else:
        for address in to:
            if not is_address(address):
                add(where, "to", f"{address!r} is not an e-mail address")
    _timeout(raw, where, add)
    _private_flag(raw, where, add)


def validate_slack(raw: dict[str, Any], where: str, add: AddProblem) -> None:
    _env_name(raw, where, "webhook_url_env", add, required=True)
    _text(raw, where, "username", add, required=False)
    _timeout(raw, where, add)
    _private_flag(raw, where, add)


def validate_console(raw: dict[str, Any], where: str, add: AddProblem) -> None:
    stream = raw.get("stream", "stdout")
    if stream not in CONSOLE_STREAMS:
        add(where, "stream", f"must be one of {', '.join(CONSOLE_STREAMS)}, not {stream!r}")


APPRISE_FORMATS = ("markdown", "text", "html")


def validate_webhook(raw: dict[str, Any], where: str, add: AddProblem) -> None:
    _env_name(raw, where, "url_env", add, required=True)
    _env_name(raw, where, "secret_env", add, required=True)
    _timeout(raw, where, add)
    _private_flag(raw, where, add)


def validate_apprise(raw: dict[str, Any], where: str, add: AddProblem) -> None:
    _env_name(raw, where, "urls_env", add, required=True)
    fmt = raw.get("format", "markdown")
    if fmt not in APPRISE_FORMATS:
        add(where, "format", f"must be one of {', '.join(APPRISE_FORMATS)}, not {fmt!r}")
    _private_flag(raw, where, add)


CHANNEL_VALIDATORS: dict[str, ChannelValidator] = {
    "email": validate_email,
    "slack": validate_slack,
    "console": validate_console,
    "webhook": validate_webhook,
    "apprise": validate_apprise,
}
