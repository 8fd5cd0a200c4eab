"""Prometheus metrics of the daemon and the small HTTP server for `/metrics` and `/healthz`.

Each Metrics has its own registry (not prometheus_client's global one), so several daemons in
one test process do not collide.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

log = logging.getLogger("policywatch.daemon")

DURATION_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.checks = Counter("policywatch_checks", "Checks run, by outcome", ["outcome"],
                              registry=r)
        self.failures = Counter("policywatch_check_failures",
                                "Failed or held checks, by reason", ["reason"], registry=r)
        self.changes = Counter("policywatch_changes", "Changes detected, by severity",
                               ["severity"], registry=r)
        self.deliveries = Counter("policywatch_alert_deliveries",
                                  "Alert delivery attempts, by result", ["result"], registry=r)
        self.check_seconds = Histogram("policywatch_check_duration_seconds",
                                       "Duration of one check", buckets=DURATION_BUCKETS,
                                       registry=r)
        self.alert_queue = Gauge("policywatch_alert_queue_depth",
                                 "Outbox rows by status", ["status"], registry=r)
        self.check_queue = Gauge("policywatch_check_queue_depth",
                                 "Checks due and waiting for a worker or a host slot",
                                 registry=r)
        self.checks_running = Gauge("policywatch_checks_running", "Checks running now",
                                    registry=r)
        self.policies = Gauge("policywatch_policies", "Policies watched", registry=r)
        self.reloads = Counter("policywatch_watchlist_reloads",
                               "Watchlist reloads, by result", ["result"], registry=r)

    def record_check(self, outcome: str, reason: str | None, severity: str | None,
                     changed: bool, seconds: float) -> None:
        self.checks.labels(outcome).inc()
        if outcome in ("failed", "suspect", "interrupted") and reason:
            self.failures.labels(reason).inc()
        if changed:
            self.changes.labels(severity or "none").inc()
        self.check_seconds.observe(seconds)

    def set_alert_queue(self, depth: dict[str, int]) -> None:
        for status, count in depth.items():
            self.alert_queue.labels(status).set(count)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


Health = Callable[[], tuple[bool, dict[str, Any]]]


def _handler(metrics: Metrics, health: Health) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._send(200, CONTENT_TYPE_LATEST, metrics.exposition())
            elif path == "/healthz":
                healthy, details = health()
                body = json.dumps({"status": "ok" if healthy else "unhealthy", **details})
                self._send(200 if healthy else 503, "application/json", body.encode())
            else:
                self._send(404, "text/plain", b"not found: try /metrics or /healthz\n")

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # scrapes every few seconds would drown the event log

    return Handler


class MetricsServer:
    """Serves /metrics and /healthz on (host, port) from a daemon thread."""

    def __init__(self, metrics: Metrics, health: Health, *, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        self._server = ThreadingHTTPServer((host, port), _handler(metrics, health))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="metrics-http", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> MetricsServer:
        self._thread.start()
        log.info("metrics on http://%s:%d/metrics and /healthz",
                 self._server.server_address[0], self.port)
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
