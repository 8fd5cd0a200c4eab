"""`policywatch run` (the service) and `policywatch status` (what it has been doing)."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from datetime import datetime
from typing import Any

import click

from policywatch.monitor.service.logs import LOG_FORMATS
from policywatch.monitor.timeutil import iso, utcnow
from policywatch.monitor.watchlist import Watchlist, load_watchlist

from .root import CliState


@click.command()
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Checks running at once (per-host limits still apply).")
@click.option("--metrics-port", type=click.IntRange(0, 65535), default=None,
              help="Serve Prometheus /metrics and /healthz on this port.")
@click.option("--metrics-host", default="127.0.0.1", show_default=True,
              help="Address the metrics server listens on.")
@click.option("--log-format", type=click.Choice(LOG_FORMATS), default="text", show_default=True,
              help="One line per event: plain text or JSON.")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]),
              default="INFO", show_default=True)
@click.option("--grace", type=click.FloatRange(0), default=5.0, show_default=True,
              help="Seconds running checks get to finish on SIGTERM/SIGINT.")
@click.option("--dispatch-interval", type=click.FloatRange(0.1), default=10.0,
              show_default=True, help="Seconds between outbox passes (a change also wakes it).")
@click.option("--watch-interval", type=click.FloatRange(0.1), default=2.0, show_default=True,
              help="Seconds between looks at the watchlist file for changes.")
@click.option("--catchup-spread", type=click.FloatRange(0), default=60.0, show_default=True,
              help="Overdue and new policies are spread over this many seconds at start.")
@click.pass_obj
def run(state: CliState, workers: int, metrics_port: int | None, metrics_host: str,
        log_format: str, log_level: str, grace: float, dispatch_interval: float,
        watch_interval: float, catchup_spread: float) -> None:
    """Run the service: check every policy on its interval, send alerts, until SIGTERM.

    Reloads the watchlist on SIGHUP and when the file changes (an invalid file is refused and
    the old one kept). SIGTERM or SIGINT: running checks get --grace seconds, then exit 0."""
    from policywatch.monitor.pipeline import check  # imported now: a broken install fails at start
    from policywatch.monitor.service.daemon import Daemon, DaemonOptions
    from policywatch.monitor.service.logs import setup_logging

    setup_logging(log_format, level=log_level)
    watchlist = load_watchlist(state.config_path)
    options = DaemonOptions(workers=workers, grace=grace, dispatch_interval=dispatch_interval,
                            watch_interval=watch_interval, catchup_spread=catchup_spread,
                            metrics_port=metrics_port, metrics_host=metrics_host)
    code = Daemon(watchlist, options, check_fn=check).run_forever()
    _exit(code)


def _exit(code: int) -> None:
    """Exit now. A check thread stuck past the grace period (or a send under way) would
    otherwise hold the interpreter at exit; what was interrupted is already recorded."""
    lingering = [t for t in threading.enumerate()
                 if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if not lingering:
        sys.exit(code)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def status_rows(watchlist: Watchlist, now: datetime) -> list[dict[str, Any]]:
    from policywatch.monitor.service.planning import planned_next_run
    from policywatch.storage.db import open_db
    from policywatch.storage.plans import planned_runs
    from policywatch.storage.status import policy_statuses

    db = open_db(watchlist.settings.database)
    plans = planned_runs(db)
    rows = []
    for policy, status in zip(watchlist.policies,
                              policy_statuses(db, [p.name for p in watchlist.policies]),
                              strict=True):
        check = status.last_check
        change = status.last_change
        next_run, reason = planned_next_run(plans.get(policy.name), status.last_completed_at,
                                            policy.interval, now)
        rows.append({
            "policy": policy.name, "url": policy.url, "interval_s": policy.interval,
            "last_check": None if check is None else {
                "started_at": check.started_at, "outcome": check.outcome,
                "reason": check.reason, "detail": check.detail,
                "duration_ms": check.duration_ms},
            "next_run": iso(next_run), "next_run_reason": reason,
            "last_change": None if change is None else {
                "detected_at": change.detected_at, "severity": change.severity,
                "material": change.material, "categories": change.categories,
                "summary": change.summary},
            "alerts": {"pending": status.pending_alerts, "failed": status.failed_alerts},
        })
    return rows


def _next_run_line(row: dict[str, Any]) -> str:
    """`next run 2026-03-02T03:12:00Z (retry after a transient failure)`; a planned time that
    has passed (the service is not running) says so."""
    from policywatch.monitor.service.planning import REASON_WORDS

    reason = row["next_run_reason"]
    why = REASON_WORDS.get(reason, reason)
    when = row["next_run"][:19] + "Z"
    if row["next_run"] >= iso(utcnow()):
        return f"next run {when} ({why})"
    if reason in ("first_check", "estimated"):
        return f"next run: due now ({why})"
    return f"next run overdue: planned for {when} ({why}); is `policywatch run` running?"


def _text_row(row: dict[str, Any]) -> str:
    check, change = row["last_check"], row["last_change"]
    last = "never checked" if check is None else (
        f"checked {check['started_at'][:19]}Z: {check['outcome']}"
        + (f" ({check['reason']})" if check["reason"] else ""))
    changed = "no change yet" if change is None else (
        f"last change {change['detected_at'][:19]}Z {change['severity'].upper()}"
        + (f": {change['summary']}" if change["summary"] else ""))
    alerts = row["alerts"]
    return (f"{row['policy']}\n  {last}\n  {_next_run_line(row)}\n  {changed}\n"
            f"  alerts: {alerts['pending']} pending, {alerts['failed']} failed")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_obj
def status(state: CliState, fmt: str) -> None:
    """Per policy: last check and outcome, next run, last change and severity, alerts."""
    watchlist = load_watchlist(state.config_path)
    rows = status_rows(watchlist, utcnow())
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no policies in the watchlist")
    for row in rows:
        click.echo(_text_row(row))
