"""Time `policywatch report` on a large watchlist: 2,000 policies with 20 versions each.

    python bench/report.py [--policies 2000] [--versions 20] [--keep DIR]

The database is built through the real storage API (add_version, record_change, record_check)
with diffs made by the real differ and classifier, every policy with its own texts (half of
the histories from the Wayback Machine, half live). Then, timed as the CLI runs it
(`monitor.report.build_report`): the first full write, a re-run with nothing changed, and a
re-run after one new change. Target: the full write in <= 30 s on this machine.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from policywatch.monitor.classify import classify_diff
from policywatch.monitor.diff import diff_texts
from policywatch.monitor.report.writer import WriteReport
from policywatch.monitor.textnorm import key_hash
from policywatch.monitor.timeutil import iso
from policywatch.monitor.watchlist import Policy, Settings, Watchlist
from policywatch.storage.changes import NewChange, record_change
from policywatch.storage.checks import CheckRecord, record_check
from policywatch.storage.db import open_db
from policywatch.storage.snapshots import SnapshotInput, record_snapshot
from policywatch.storage.versions import NewVersion, add_version

TARGET_SECONDS = 30.0
CLAUSES = [
    "We collect your name, email address and phone number when you create an account.",
    "We do not sell your personal information.",
    "We keep order records for 30 days after delivery.",
    "We share your address with delivery companies so that they can bring your orders.",
    "You can ask us to delete your data at any time by writing to us.",
    "We use cookies to remember your preferences and to measure how the site is used.",
    "Children under 13 may not use the service.",
    "We may change this policy and will tell you by email before the change applies.",
]
EDITS = [
    ("We do not sell your personal information.",
     "We may sell your personal information to marketing partners."),
    ("30 days", "indefinitely"),
    ("name, email address and phone number", "name, email address, phone number and precise "
     "location"),
    ("Children under 13", "Children under 16"),
    ("to remember your preferences", "to remember your preferences and show you ads"),
]


def policy_texts(index: int, versions: int, rng: random.Random) -> list[str]:
    """A history of `versions` distinct texts: each applies an edit or a harmless addition."""
    clauses = [f"{c} (Policy {index}.)" if n == 0 else c for n, c in enumerate(CLAUSES)]
    texts = []
    for number in range(versions):
        if number:
            old, new = EDITS[rng.randrange(len(EDITS))]
            body = "\n\n".join(clauses)
            if old in body and rng.random() < 0.5:
                clauses = [c.replace(old, new) for c in clauses]
            else:
                clauses.append(f"Section {number}: contact our privacy team at office {number}.")
        sections = ["# Privacy policy", "## What we collect", *clauses[:3], "## Sharing",
                    *clauses[3:6], "## Other", *clauses[6:]]
        texts.append("\n\n".join(sections))
    return texts


class DiffCache:
    """The real differ and classifier, run once per distinct pair of clause lists."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], dict[str, Any]] = {}

    def __call__(self, old: str, new: str) -> dict[str, Any]:
        key = (old.split("\n\n", 1)[1], new.split("\n\n", 1)[1])
        if key not in self.cache:
            self.cache[key] = classify_diff(diff_texts(old, new), old, new).to_json()
        return self.cache[key]


def build_policy(db: sqlite_utils.Database, name: str, texts: list[str], start: datetime,
                 archive: bool,
                 diffs: DiffCache) -> None:
    previous = None
    for number, text in enumerate(texts):
        seen = start + timedelta(days=45 * number)
        snapshot = record_snapshot(db, SnapshotInput(
            policy=name, body=text.encode(), requested_url=f"https://{name}.example/privacy",
            final_url=f"https://{name}.example/privacy", status=200,
            content_type="text/html", headers={}, fetched_at=iso(seen),
            source="archive" if archive else "live",
            archive_timestamp=seen.strftime("%Y%m%d%H%M%S") if archive else None,
            archive_url=(f"https://web.archive.org/web/{seen:%Y%m%d%H%M%S}id_/https://{name}"
                         ".example/privacy") if archive else None))
        version = add_version(db, NewVersion(
            policy=name, text=text, norm_hash=key_hash(text), extractor_version=1,
            snapshot_id=snapshot, seen_at=iso(seen), source="archive" if archive else "live",
            archive_timestamp=seen.strftime("%Y%m%d%H%M%S") if archive else None))
        if previous is not None:
            diff = diffs(texts[number - 1], text)
            record_change(db, NewChange(
                policy=name, from_version_id=previous, to_version_id=version,
                detected_at=iso(seen), window_start=iso(seen - timedelta(days=20)),
                window_end=iso(seen), source="archive" if archive else "live",
                material=bool(diff["material"]), severity=str(diff["severity"]),
                direction=str(diff["direction"]), categories=list(diff["categories"]),
                summary=str(diff["summary"]), diff=diff))
        previous = version
    record_check(db, CheckRecord(
        policy=name, started_at=iso(seen), finished_at=iso(seen), duration_ms=100,
        outcome="unchanged", version_id=previous))


def build_database(path: Path, policies: int, versions: int) -> Watchlist:
    db = open_db(path)
    rng = random.Random(2026)
    diffs = DiffCache()
    start = datetime(2022, 1, 1, tzinfo=UTC)
    watched = []
    for index in range(policies):
        name = f"policy{index:04d}"
        with db.atomic():
            build_policy(db, name, policy_texts(index, versions, rng), start, index % 2 == 0,
                         diffs)
        watched.append(Policy(name=name, url=f"https://{name}.example/privacy", interval=86400,
                              title=f"Policy {index} privacy notice",
                              tags=(("vendor",) if index % 3 else ("health", "vendor"))))
    return Watchlist(path=path.parent / "watchlist.toml", settings=Settings(database=str(path)),
                     policies=tuple(watched), channels={})


def _cpu() -> float:
    """CPU seconds (user and system) of this process."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def timed(label: str, run: Callable[[], WriteReport]) -> float:
    """Wall-clock seconds (the target), with the process's CPU seconds beside them: on a
    shared machine the wall clock also counts the time other processes held the CPU."""
    started, cpu = time.perf_counter(), _cpu()
    result = run()
    elapsed = time.perf_counter() - started
    print(f"{label:<34} {elapsed:7.2f} s wall  {_cpu() - cpu:7.2f} s CPU   "
          f"{result.pages} pages, {len(result.written)} written", flush=True)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", type=int, default=2000)
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="build in this directory and keep it")
    args = parser.parse_args()
    from policywatch.monitor.report import build_report

    with tempfile.TemporaryDirectory(prefix="pw-bench-report-") as scratch:
        root = args.keep or Path(scratch)
        started = time.perf_counter()
        watchlist = build_database(root / "bench.db", args.policies, args.versions)
        print(f"database: {args.policies} policies x {args.versions} versions built in "
              f"{time.perf_counter() - started:.1f} s (not timed below)", flush=True)
        db = open_db(root / "bench.db")
        out = root / "report"
        def run() -> WriteReport:
            return build_report(db, watchlist, out)

        full = timed("full write (first run)", run)
        timed("re-run, nothing changed", run)
        name = watchlist.policies[1].name
        texts = policy_texts(1, args.versions + 1, random.Random(7))
        with db.atomic():
            build_policy(db, name, texts[-2:], datetime(2026, 6, 1, tzinfo=UTC), False,
                         DiffCache())
        timed("re-run after one policy changed", run)
    verdict = "OK" if full <= TARGET_SECONDS else "OVER TARGET"
    print(f"full write: {full:.2f} s for {args.policies} policies x {args.versions} versions; "
          f"target <= {TARGET_SECONDS:.0f} s: {verdict}")
    return 0 if full <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
