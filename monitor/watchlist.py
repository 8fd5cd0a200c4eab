"""watchlist.toml: the policies to watch, the alert channels and the settings.

Loading validates everything at once and raises one ConfigError listing every problem with the
policy (or channel) and the key, so a user fixes the file in one pass. Secrets never live in the
file: channels name the environment variables that hold them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from policywatch.monitor.channels import CHANNEL_VALIDATORS
from policywatch.monitor.errors import ConfigError, FetchError
from policywatch.monitor.fetch.netguard import client_target
from policywatch.monitor.model import CATEGORIES, SEVERITIES

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
CHANNEL_TYPES = ("email", "slack", "console", "webhook", "apprise")
SECRET_KEYS = {"password": "password_env", "webhook_url": "webhook_url_env", "url": "url_env",
               "secret": "secret_env", "urls": "urls_env"}


def parse_duration(value: str) -> int:
    """'30s', '30m', '6h', '1d' → seconds. Raises ValueError on anything else."""
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"{value!r} is not a duration like '30s', '30m', '6h' or '1d'")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


@dataclass(frozen=True)
class Settings:
    database: str = "policywatch.db"
    user_agent: str = "policywatch/0.1 (+https://github.com/policywatch/policywatch)"
    timeout: float = 30.0
    max_bytes: int = 5_000_000
    allow_private_addresses: bool = False
    archive_url: str = "https://web.archive.org"
    interval: int = 86400
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0
    retries: int = 2
    jitter: float = 0.1
    archive_index_rate: float = 1.0
    archive_capture_rate: float = 4.0
    operator_channels: tuple[str, ...] = ()
    proxy: str | None = None  # http(s) proxy for fetches; None: the environment's, read at start
    report_url: str | None = None  # where `policywatch report` is published; alerts link to it


@dataclass(frozen=True)
class WaybackConfig:
    since: date | None = None


@dataclass(frozen=True)
class Policy:
    name: str
    url: str
    interval: int
    selector: str | None = None
    remove: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()
    wayback: WaybackConfig | None = None
    title: str | None = None

    @property
    def display_name(self) -> str:
        return self.title or self.name


@dataclass(frozen=True)
class AlertChannel:
    name: str
    type: str
    min_severity: str = "medium"
    categories: tuple[str, ...] = ()
    digest: str | None = None
    digest_hour: int = 9
    options: dict[str, Any] = field(default_factory=dict)
    # The channel's `allow_private_address`, or [settings] allow_private_addresses.
    allow_private_address: bool = False


DEFAULT_CONSOLE = AlertChannel(name="console", type="console")


@dataclass(frozen=True)
class Watchlist:
    path: Path
    settings: Settings
    policies: tuple[Policy, ...]
    channels: dict[str, AlertChannel]

    def channels_for(self, policy: Policy) -> list[AlertChannel]:
        """The channels a policy alerts; with no channel configured, the console (so the main job
        works with nothing set up; every alert is also stored)."""
        if not self.channels:
            return [DEFAULT_CONSOLE]
        return [self.channels[name] for name in policy.alerts]

    def policy(self, name: str) -> Policy:
        for policy in self.policies:
            if policy.name == name:
                return policy
        raise KeyError(name)


# --- validation ------------------------------------------------------------------------------

class _Problems:
    """Collects problems; each is prefixed by where it is ("policy 'x'", "settings")."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, key: str | None, message: str) -> None:
        self.items.append(f"{where}: key '{key}': {message}" if key else f"{where}: {message}")


_SETTING_TYPES: dict[str, tuple[type, ...]] = {
    "database": (str,), "user_agent": (str,), "timeout": (int, float), "max_bytes": (int,),
    "allow_private_addresses": (bool,), "archive_url": (str,), "interval": (str,),
    "per_host_concurrency": (int,), "per_host_delay": (int, float), "retries": (int,),
    "jitter": (int, float), "archive_index_rate": (int, float),
    "archive_capture_rate": (int, float), "operator_channels": (list,), "proxy": (str,),
    "report_url": (str,),
}
_POLICY_KEYS = {"name", "url", "selector", "remove", "interval", "tags", "alerts", "wayback",
                "title"}
_CHANNEL_COMMON = {"type", "min_severity", "categories", "digest", "digest_hour"}
CHANNEL_KEYS: dict[str, set[str]] = {
    "email": {"host", "port", "security", "username", "password_env", "from", "to", "timeout",
              "allow_private_address"},
    "slack": {"webhook_url_env", "timeout", "username", "allow_private_address"},
    "console": {"stream"},
    "webhook": {"url_env", "secret_env", "timeout", "allow_private_address"},
    "apprise": {"urls_env", "format", "allow_private_address"},
}


def _got(value: Any) -> str:
    """` (got 5)` after a message about a wrong value; nothing when the key is missing."""
    return "" if value is None else f" (got {value!r})"


def _type_name(types: tuple[type, ...]) -> str:
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string",
             list: "a list"}
    return " or ".join(dict.fromkeys(names[t] for t in types))


def _check_type(problems: _Problems, where: str, key: str, value: Any,
                types: tuple[type, ...]) -> bool:
    # bool is a subclass of int: `timeout = true` must not pass as a number.
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if not ok:
        problems.add(where, key, f"must be {_type_name(types)}, not {value!r}")
    return ok


def _load_settings(raw: Any, problems: _Problems) -> Settings:
    if not isinstance(raw, dict):
        problems.add("settings", None, "[settings] must be a table")
        return Settings()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _SETTING_TYPES:
            problems.add("settings", key, f"unknown key (known: {', '.join(_SETTING_TYPES)})")
        elif _check_type(problems, "settings", key, value, _SETTING_TYPES[key]):
            values[key] = value
    if "interval" in values:
        try:
            values["interval"] = parse_duration(values["interval"])
        except ValueError as exc:
            problems.add("settings", "interval", str(exc))
            del values["interval"]
    for key in ("timeout", "max_bytes", "per_host_concurrency", "archive_index_rate",
                "archive_capture_rate"):
        if key in values and values[key] <= 0:
            problems.add("settings", key, f"must be greater than 0, not {values[key]!r}")
            del values[key]
    for key in ("per_host_delay", "retries", "jitter"):
        if key in values and values[key] < 0:
            problems.add("settings", key, f"must not be negative, not {values[key]!r}")
            del values[key]
    if "archive_url" in values and not _is_http_url(values["archive_url"]):
        problems.add("settings", "archive_url", f"{values['archive_url']!r} is not an http(s) URL")
        del values["archive_url"]
    if "proxy" in values and not _is_http_url(values["proxy"]):
        problems.add("settings", "proxy", f"{values['proxy']!r} is not an http(s) URL")
        del values["proxy"]
    if "report_url" in values and not _is_http_url(values["report_url"]):
        problems.add("settings", "report_url", f"{values['report_url']!r} is not an http(s) URL")
        del values["report_url"]
    if "operator_channels" in values:
        values["operator_channels"] = tuple(values["operator_channels"])
    return Settings(**values)


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _url_safe(problems: _Problems, where: str, url: str) -> None:

    try:
        client_target(url)  # what the HTTP client would refuse or read differently
    except FetchError as exc:
        problems.add(where, "url", f"{url!r}: {exc.detail}")


def _string_list(problems: _Problems, where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add(where, key, f"must be a list of strings, not {value!r}")
        return ()
    return tuple(value)


def _css_ok(problems: _Problems, where: str, key: str, selector: str) -> None:
    # Lazy: lxml costs ~15 ms of start-up (python -X importtime), needed only with selectors.
    from policywatch.monitor.selectors import css_error

    error = css_error(selector)
    if error:
        problems.add(where, key, f"CSS selector {selector!r} does not parse: {error}")


def _load_wayback(problems: _Problems, where: str, value: Any) -> WaybackConfig | None:
    if value is True:
        return WaybackConfig()
    if value is False:
        return None
    if isinstance(value, dict):
        unknown = set(value) - {"since"}
        if unknown:
            problems.add(where, "wayback", f"unknown key(s) {sorted(unknown)} (known: since)")
        since = value.get("since")
        if since is None:
            return WaybackConfig()
        if isinstance(since, date):
            return WaybackConfig(since=since)
        if isinstance(since, str):
            try:
                return WaybackConfig(since=date.fromisoformat(since))
            except ValueError:
                pass
        problems.add(where, "wayback.since", f"{since!r} is not a date like \"2020-01-31\"")
        return None
    problems.add(where, "wayback", f'must be true or {{ since = "YYYY-MM-DD" }}, not {value!r}')
    return None


def _load_policy(raw: Any, index: int, settings: Settings, problems: _Problems,
                 channel_names: set[str], where: str | None = None) -> Policy | None:
    if not isinstance(raw, dict):
        problems.add(f"policy #{index}", None, "each [[policy]] must be a table")
        return None
    name = raw.get("name")
    where = where or (f"policy '{name}'" if isinstance(name, str) else f"policy #{index}")
    count_before = len(problems.items)
    _check_policy_keys(problems, where, raw)
    if not isinstance(name, str) or not _SLUG.match(name):
        problems.add(where, "name", "is required: a slug of lower-case letters, digits, '.', "
                     f"'_' or '-'{_got(name)}")
    url = raw.get("url")
    if not isinstance(url, str) or not _is_http_url(url):
        problems.add(where, "url", f"is required: an http:// or https:// URL{_got(url)}")
    else:
        _url_safe(problems, where, url)
    interval = _policy_interval(problems, where, raw, settings.interval)
    selector, remove = _policy_selectors(problems, where, raw)
    tags = _string_list(problems, where, "tags", raw.get("tags", []))
    alerts = _policy_alerts(problems, where, raw, channel_names)
    wayback = _load_wayback(problems, where, raw.get("wayback", False))
    title = raw.get("title")
    if title is not None:
        _check_type(problems, where, "title", title, (str,))
    if len(problems.items) > count_before:
        return None
    return Policy(name=str(name), url=str(url), interval=interval, selector=selector,
                  remove=remove, tags=tags, alerts=alerts, wayback=wayback,
                  title=title if isinstance(title, str) else None)


def _check_policy_keys(problems: _Problems, where: str, raw: dict[str, Any]) -> None:
    for key in raw:
        if key not in _POLICY_KEYS:
            problems.add(where, key, f"unknown key (known: {', '.join(sorted(_POLICY_KEYS))})")


def _policy_interval(problems: _Problems, where: str, raw: dict[str, Any], default: int) -> int:
    """The policy's own check interval, else the settings' one."""
    if "interval" not in raw:
        return default
    try:
        return parse_duration(raw["interval"])
    except ValueError as exc:
        problems.add(where, "interval", str(exc))
        return default


def _policy_selectors(problems: _Problems, where: str,
                      raw: dict[str, Any]) -> tuple[str | None, tuple[str, ...]]:
    """The `selector` to keep (as written, checked) and the `remove` selectors to drop."""
    selector = raw.get("selector")
    if selector is not None and _check_type(problems, where, "selector", selector, (str,)):
        _css_ok(problems, where, "selector", selector)
    remove = _string_list(problems, where, "remove", raw.get("remove", []))
    for css in remove:
        _css_ok(problems, where, "remove", css)
    return selector, remove


def _policy_alerts(problems: _Problems, where: str, raw: dict[str, Any],
                   channel_names: set[str]) -> tuple[str, ...]:
    """The channels the policy alerts (every defined one by default); each must be defined."""
    alerts = _string_list(problems, where, "alerts", raw.get("alerts", sorted(channel_names)))
    for channel in alerts:
        if channel not in channel_names:
            defined = ", ".join(sorted(channel_names)) or "none"
            problems.add(where, "alerts", f"alert channel {channel!r} is not defined by an "
                         f"[alerts.{channel}] table (defined: {defined})")
    return alerts


def _load_channel(name: str, raw: Any, problems: _Problems,
                  settings: Settings) -> AlertChannel | None:
    where = f"alerts.{name}"
    if not _SLUG.match(name):
        # The name goes into message ids and log lines: keep it plain.
        problems.add(where, None, f"channel name {name!r} must be a slug of lower-case letters, "
                     "digits, '.', '_' or '-'")
        return None
    if not isinstance(raw, dict):
        problems.add(where, None, f"[alerts.{name}] must be a table")
        return None
    count_before = len(problems.items)
    kind = raw.get("type")
    if kind not in CHANNEL_TYPES:
        problems.add(where, "type", f"must be one of {', '.join(CHANNEL_TYPES)}{_got(kind)}")
        return None
    _check_channel_keys(problems, where, raw, kind)
    min_severity = raw.get("min_severity", "medium")
    if min_severity not in SEVERITIES:
        problems.add(where, "min_severity",
                     f"must be one of {', '.join(SEVERITIES)} (got {min_severity!r})")
    categories = _string_list(problems, where, "categories", raw.get("categories", []))
    _check_channel_categories(problems, where, categories)
    digest, hour = _channel_digest(problems, where, raw)
    validator = CHANNEL_VALIDATORS.get(kind)
    if validator:
        validator(raw, where, problems.add)
    if len(problems.items) > count_before:
        return None
    options = {k: v for k, v in raw.items() if k not in _CHANNEL_COMMON}
    private = raw.get("allow_private_address") is True or settings.allow_private_addresses
    return AlertChannel(name=name, type=kind, min_severity=min_severity, categories=categories,
                        digest=digest, digest_hour=hour, options=options,
                        allow_private_address=private)


def _check_channel_keys(problems: _Problems, where: str, raw: dict[str, Any], kind: str) -> None:
    """No secret in the file, and only the keys this kind of channel knows."""
    known = _CHANNEL_COMMON | CHANNEL_KEYS[kind]
    for key in raw:
        if key in SECRET_KEYS:
            problems.add(where, key, "secrets never go in the watchlist: put it in an environment"
                         f" variable and name that variable with '{SECRET_KEYS[key]}'")
        elif key not in known:
            problems.add(where, key, f"unknown key for a {kind} channel "
                         f"(known: {', '.join(sorted(known))})")


def _channel_digest(problems: _Problems, where: str,
                    raw: dict[str, Any]) -> tuple[str | None, int]:
    """`digest` ("daily" or absent) and `digest_hour` (0-23, 9 by default), as written; the
    caller builds no channel when a problem was added."""
    digest = raw.get("digest")
    if digest not in (None, "daily"):
        problems.add(where, "digest", f"must be \"daily\" or absent (got {digest!r})")
    hour = raw.get("digest_hour", 9)
    if not isinstance(hour, int) or isinstance(hour, bool) or not 0 <= hour <= 23:
        problems.add(where, "digest_hour", f"must be an hour from 0 to 23 (got {hour!r})")
    return digest, hour


def _check_channel_categories(problems: _Problems, where: str, categories: tuple[str, ...]) -> None:
    for category in categories:
        if category not in CATEGORIES:
            problems.add(where, "categories",
                         f"unknown category {category!r} (known: {', '.join(CATEGORIES)})")


def parse_watchlist(text: str, path: str | Path = "watchlist.toml") -> Watchlist:
    """Parse and validate watchlist text; raise ConfigError listing every problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), [f"not valid TOML: {exc}"]) from exc
    problems = _Problems()
    for key in raw:
        if key not in ("settings", "policy", "alerts"):
            problems.add("top level", key, "unknown table (known: settings, policy, alerts)")
    settings = _load_settings(raw.get("settings", {}), problems)
    raw_channels = raw.get("alerts", {})
    if not isinstance(raw_channels, dict):
        problems.add("alerts", None, "[alerts] must hold tables like [alerts.team-email]")
        raw_channels = {}
    channels: dict[str, AlertChannel] = {}
    for name, table in raw_channels.items():
        channel = _load_channel(name, table, problems, settings)
        if channel:
            channels[name] = channel
    for name in settings.operator_channels:
        if name not in raw_channels:
            problems.add("settings", "operator_channels", f"alert channel {name!r} is not defined")
    policies = _load_policies(raw.get("policy", []), settings, problems, set(raw_channels))
    if problems.items:
        raise ConfigError(str(path), problems.items)
    return Watchlist(path=Path(path), settings=settings, policies=tuple(policies),
                     channels=channels)


def _load_policies(raw: Any, settings: Settings, problems: _Problems,
                   channel_names: set[str]) -> list[Policy]:
    if not isinstance(raw, list):
        problems.add("policy", None, "policies are written as [[policy]] tables")
        return []
    policies: list[Policy] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(raw, start=1):
        name = table.get("name") if isinstance(table, dict) else None
        where = None
        if isinstance(name, str) and name in seen:
            # Named by position too, so this entry's other problems are not taken for the
            # first one's; it is still validated in full.
            where = f"policy '{name}' (#{index})"
            problems.add(where, "name",
                         f"duplicate name: policy #{seen[name]} is also called {name!r}")
        elif isinstance(name, str):
            seen[name] = index
        policy = _load_policy(table, index, settings, problems, channel_names, where)
        if policy and where is None:
            policies.append(policy)
    return policies


def load_watchlist(path: str | Path) -> Watchlist:
    """Read and validate the watchlist file at `path`."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(str(file), ["file not found (set --config or POLICYWATCH_CONFIG, or "
                                      "write a starter with `policywatch init`)"]) \
            from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(file), [f"cannot read the file: {exc}"]) from exc
    watchlist = parse_watchlist(text, file)
    database = Path(watchlist.settings.database)
    if not database.is_absolute():
        # A relative database path is relative to the watchlist, not to the working directory.
        resolved = str(file.resolve().parent / database)
        watchlist = Watchlist(path=file, settings=_replace_database(watchlist.settings, resolved),
                              policies=watchlist.policies, channels=watchlist.channels)
    return watchlist


def _replace_database(settings: Settings, database: str) -> Settings:
    return replace(settings, database=database)
