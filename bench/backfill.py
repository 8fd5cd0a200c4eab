"""Backfill throughput against the local test archive: captures processed per second, and
downloads per distinct digest (must be 1.00).

Each history of ../shared/corpus/histories named on the command line (default: three) is served
by tests/support/archive_server.py, every version captured 7 times (identical bytes and
chrome-only differences, interleaved), with the rate limits raised so the figure measures
policywatch, not the politeness delay.

Run from the repository root:  python bench/backfill.py [collection/Service ...]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policywatch.monitor.context import open_context  # noqa: E402
from policywatch.monitor.history.backfill import backfill_policy  # noqa: E402
from policywatch.storage import archive as archive_store  # noqa: E402
from tests.support.archive_server import (  # noqa: E402
    ArchiveServer,
    corpus_history,
    history_captures,
)
from tests.support.config import load, write_watchlist  # noqa: E402
from tests.support.pages import policy_page  # noqa: E402

START = datetime(2018, 1, 1, tzinfo=UTC)
DEFAULT = ["contrib/Xanga", "pga/Reddit", "pga/Threads"]
FAST = {"archive_index_rate": 1000.0, "archive_capture_rate": 1000.0, "timeout": 10}


def bench(name: str, directory: Path) -> tuple[float, float, float, float] | None:
    collection, service = name.split("/")
    texts = corpus_history(collection, service)
    if texts is None:
        print(f"{name}: skipped (../shared/corpus/histories is absent)")
        return None
    url = f"https://{service.lower()}.example/privacy"
    with ArchiveServer() as archive:
        plan = history_captures(texts, url, lambda t, k: policy_page(t, chrome=k),
                                START)
        archive.add(*itertools.chain.from_iterable(plan))
        watchlist = load(write_watchlist(directory, [{"name": "p", "url": url, "wayback": True}],
                                         {"archive_url": archive.base_url, **FAST}))
        ctx = open_context(watchlist)
        started = time.perf_counter()
        report = backfill_policy(ctx, watchlist.policies[0])
        elapsed = time.perf_counter() - started
        processed = sum(archive_store.capture_counts(ctx.db, "p").values())
        downloads = sum(archive.downloads.values())
        digests = len(archive.downloads)
    print(f"{name:<22} {len(texts):>3} versions  {sum(map(len, plan)):>4} captures served  "
          f"{processed:>4} processed  {processed / elapsed:7.1f} captures/s  "
          f"{downloads / max(digests, 1):.2f} downloads/digest  ({report.summary})")
    return float(processed), float(downloads), float(digests), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("histories", nargs="*", default=DEFAULT,
                        help="collection/Service under ../shared/corpus/histories")
    args = parser.parse_args()
    totals = [0.0, 0.0, 0.0, 0.0]
    for name in args.histories:
        with tempfile.TemporaryDirectory() as tmp:
            result = bench(name, Path(tmp))
        if result:
            totals = [a + b for a, b in zip(totals, result, strict=True)]
    processed, downloads, digests, elapsed = totals
    if elapsed:
        print(f"{'total':<22} {int(processed):>4} captures processed in {elapsed:.2f} s: "
              f"{processed / elapsed:.1f} captures/s; "
              f"downloads per distinct digest {downloads / max(digests, 1):.2f}")


if __name__ == "__main__":
    main()
