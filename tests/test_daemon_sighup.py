"""SIGHUP to a running `policywatch run` always reads the watchlist again and logs the outcome:
after an invalid edit was refused by the file watcher, a SIGHUP reports the refusal again (it
used to log nothing), and after the file is fixed, a SIGHUP loads it."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.support.config import write_watchlist

POLICIES = [{"name": "p", "url": "http://127.0.0.1:9/p", "interval": "1d"}]


class Output:
    """The service's log lines, read on a thread; `wait_for` returns the first matching line
    that arrived after the previous match."""

    def __init__(self, stream: object) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if text in line:
                return line
        raise AssertionError(f"no log line with {text!r} within {timeout} s")


@pytest.mark.timeout(120)
def test_sighup_after_a_refused_edit_reads_and_logs_again(tmp_path: Path) -> None:
    path = write_watchlist(tmp_path, POLICIES)
    service = subprocess.Popen(
        [sys.executable, "-c", "from policywatch.monitor.cli import main; main()", "--config",
         str(path), "run"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "CI": "true"})
    try:
        out = Output(service.stdout)
        out.wait_for("policywatch run:")
        path.write_text(path.read_text().replace('interval = "1d"', 'interval = "soon"'))
        out.wait_for("watchlist change refused")  # noticed by the file watcher

        service.send_signal(signal.SIGHUP)
        out.wait_for("SIGHUP: reading the watchlist again")
        assert "policy 'p': key 'interval'" in out.wait_for("watchlist change refused")

        path.write_text(path.read_text().replace('interval = "soon"', 'interval = "2d"'))
        service.send_signal(signal.SIGHUP)
        out.wait_for("SIGHUP: reading the watchlist again")
        out.wait_for("watchlist reloaded")
    finally:
        service.send_signal(signal.SIGTERM)
        service.wait(30)
    assert service.returncode == 0
