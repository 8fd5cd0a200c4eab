"""Headless Chromium (Debian's `chromium` package) for the report's tests: the DOM after
rendering and screenshots, each run with a fresh profile and every network feature off."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--hide-scrollbars",
         "--force-device-scale-factor=1", "--enable-logging=stderr", "--v=0")


def chromium() -> str:
    """The browser's path; skips the test (with the reason) when it is not installed.
    `.ci/run` installs it, so CI never skips."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium is not installed (apt-get install -y chromium)")


def run_chromium(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="pw-chromium-") as profile:
        return subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=timeout, check=False,
            stdin=subprocess.DEVNULL)


def dump_dom(page: Path) -> tuple[str, str]:
    """(the serialised DOM after rendering, the browser's log) of a local file."""
    done = run_chromium("--dump-dom", page.resolve().as_uri())
    if done.returncode != 0:
        raise AssertionError(f"chromium failed on {page}: {done.stderr[-2000:]}")
    return done.stdout, done.stderr


def screenshot(page: Path, target: Path, width: int = 1280, height: int = 900,
               fragment: str = "") -> str:
    """Save a PNG of a local file as rendered; returns the browser's log."""
    target.parent.mkdir(parents=True, exist_ok=True)
    done = run_chromium(f"--screenshot={target.resolve()}", f"--window-size={width},{height}",
                        page.resolve().as_uri() + fragment)
    if done.returncode != 0 or not target.is_file():
        raise AssertionError(f"chromium could not screenshot {page}: {done.stderr[-2000:]}")
    return done.stderr
