"""A backfill against a misbehaving archive (cases in tests/cases/wayback/backfill_faults.json):
the run finishes, every failure is reported with its reason, nothing is stored twice, and the
next run, once the archive behaves, ends exactly like a run that never saw a fault."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policywatch.storage import archive as archive_store
from policywatch.storage.snapshots import policy_snapshots
from policywatch.storage.versions import timeline
from tests.support.archive_server import ArchiveServer, Fault
from tests.test_backfill import Env, clean_run_dump, dump, history, make_env

CASES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "cases" / "wayback" / "backfill_faults.json").read_text())


def faults(specs: list[dict[str, Any]]) -> list[Fault]:
    return [Fault(status=s["status"], retry_after=s.get("retry_after"),
                  delay=s.get("delay", 0.0)) for s in specs]


def inject(env: Env, case: dict[str, Any]) -> list[str]:
    """Set the case's faults up; return the capture timestamps by plan position."""
    stamps = [c.timestamp for c in itertools.chain.from_iterable(env.plan)]
    for spec in (case, case.get("also", {})):
        if "capture" in spec:
            env.archive.fail_capture(stamps[spec["capture"]], *faults(spec["faults"]))
    env.archive.fail_index(*faults(case.get("index_faults", [])))
    if "malformed_row" in case:
        env.archive.add_malformed_row(1, case["malformed_row"])
    return stamps


@pytest.fixture()
def archive() -> Iterator[ArchiveServer]:
    with ArchiveServer() as server:
        yield server


@pytest.mark.parametrize("name", sorted(k for k in CASES if not k.startswith("_")))
def test_fault(archive: ArchiveServer, tmp_path: Path, name: str) -> None:
    case = CASES[name]
    texts = history("contrib", "Xanga")[:6]
    env = make_env(archive, tmp_path / "faulty", texts)
    stamps = inject(env, case)

    report = env.run()

    expected = [("index" if where == "index" else stamps[where], reason)
                for where, reason in case["failed"]]
    assert [stamp for stamp, _ in report.failed] == [stamp for stamp, _ in expected]
    assert all(reason.startswith(prefix) for (_, reason), (_, prefix)
               in zip(report.failed, expected, strict=True))
    if "min_wait" in case:
        assert max(env.fake.waits) >= case["min_wait"]
    assert_nothing_stored_twice(env)

    env.run()  # the archive behaves now (its faults were used up)
    assert dump(env.ctx.db, "pol") == clean_run_dump(texts, tmp_path / "clean")
    assert set(env.archive.downloads.values()) == {1}


def assert_nothing_stored_twice(env: Env) -> None:
    assert set(env.archive.downloads.values()) == {1}
    snapshots = [(s.archive_timestamp, s.archive_digest)
                 for s in policy_snapshots(env.ctx.db, "pol")]
    assert len(snapshots) == len(set(snapshots))
    with_bytes = [c for c in archive_store.all_captures(env.ctx.db, "pol") if c.snapshot_id]
    assert len(with_bytes) == len(snapshots)
    hashes = [v.norm_hash for v in timeline(env.ctx.db, "pol")]
    assert all(a != b for a, b in itertools.pairwise(hashes))
