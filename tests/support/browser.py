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


def png_rows(path: Path) -> tuple[int, int, list[bytes], int]:
    """(width, height, unfiltered rows, bytes per pixel) of an 8-bit RGB/RGBA PNG such as
    Chromium writes: enough to read a pixel's colour without an imaging library."""
    import struct
    import zlib

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    at, idat, header = 8, b"", b""
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunk = data[at + 8:at + 8 + length]
        header = chunk if kind == b"IHDR" else header
        idat += chunk if kind == b"IDAT" else b""
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6) and header[12] == 0, "only 8-bit RGB(A), no interlace"
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc
                                      else corner)) & 255
        rows.append(bytes(line))
        previous = bytes(line)
    return width, height, rows, bpp


def pixel(path: Path, x: int, y: int) -> tuple[int, int, int]:
    _, _, rows, bpp = png_rows(path)
    r, g, b = rows[y][x * bpp:x * bpp + 3]
    return r, g, b


def colours(path: Path) -> set[tuple[int, int, int]]:
    """The distinct colours of the image (a blank or unstyled page has very few)."""
    _, _, rows, bpp = png_rows(path)
    return {tuple(row[i:i + 3]) for row in rows[::4] for i in range(0, len(row), bpp * 4)}  # type: ignore[misc]
