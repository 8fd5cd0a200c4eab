"""Regenerate the report screenshots shown in the README:
`python -m tests.support.screenshots` builds the test database by real checks against local
servers (tests/support/reportdb.py), writes the report and saves PNGs of the index, a policy
page and a change page under tests/screenshots/."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from policywatch.monitor.report import build_report
from policywatch.storage.report import report_changes

from .archive_server import ArchiveServer
from .browser import screenshot
from .reportdb import build_world
from .site import Site

TARGET = Path(__file__).resolve().parents[1] / "screenshots"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="pw-shots-") as scratch, Site() as site, \
            ArchiveServer() as archive:
        world = build_world(Path(scratch), site, archive)
        out = Path(scratch) / "report"
        build_report(world.ctx.db, world.watchlist, out)
        [change] = report_changes(world.ctx.db, ["seed0"])["seed0"]
        shots = {"index.png": ("index.html", 1400, 980),
                 "policy.png": ("policy/trailhead/index.html", 1280, 1080),
                 "change.png": (f"policy/seed0/change-{change.id}.html", 1280, 760)}
        for name, (page, width, height) in shots.items():
            screenshot(out / page, TARGET / name, width, height)
            print(f"wrote {TARGET / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
