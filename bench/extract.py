"""Benchmark extract() on realistic pages built from the latest version of every real history.

Run from the repository root:  python bench/extract.py [--reps 7]
Needs ../shared/corpus/histories (exits 2 with a message when absent). Prints the number of pages,
p50 / p95 / max of the per-page median time in ms, the page-size range, and the same figures for
pages up to 300 KB (targets there: p50 <= 20 ms, p95 <= 80 ms).
Histories: Open Terms Archive contributors, ODC-By 1.0.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HISTORIES = REPO / ".." / "shared" / "corpus" / "histories"
LIMIT_BYTES = 300 * 1024

sys.path.insert(0, str(REPO))

from policywatch.monitor.extract import extract  # noqa: E402
from tests.support.pages import policy_page  # noqa: E402


def latest_versions() -> list[tuple[str, str]]:
    """(service, text of its latest version) for every history."""
    found: list[tuple[str, str]] = []
    for history in sorted(HISTORIES.glob("*/*/history.json")):
        versions = json.loads(history.read_text(encoding="utf-8"))["versions"]
        latest = history.parent / versions[-1]["file"]
        found.append((history.parent.name, latest.read_text(encoding="utf-8")))
    return found


def time_page(page: bytes, reps: int) -> float:
    """Median wall time of extract() on `page`, in ms."""
    timings = []
    for _ in range(reps):
        start = time.perf_counter()
        extract(page, content_type="text/html; charset=utf-8")
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(label: str, rows: list[tuple[int, float]]) -> None:
    times = [t for _, t in rows]
    sizes = [s for s, _ in rows]
    print(f"{label}: {len(rows)} pages, {min(sizes) / 1024:.0f}-{max(sizes) / 1024:.0f} KB; "
          f"p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
          f"max {max(times):.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7, help="timed runs per page (median kept)")
    args = parser.parse_args()
    if not HISTORIES.is_dir():
        print(f"bench/extract.py: {HISTORIES.resolve()} is missing: this benchmark needs the "
              "real histories in ../shared beside the checkout", file=sys.stderr)
        return 2
    rows: list[tuple[int, float]] = []
    for index, (_service, text) in enumerate(latest_versions()):
        style = "pagebuilder" if index % 4 == 3 else "standard"
        page = policy_page(text, style=style, chrome=index).encode("utf-8")
        extract(page, content_type="text/html; charset=utf-8")  # warm caches
        rows.append((len(page), time_page(page, args.reps)))
    report("all pages", rows)
    small = [r for r in rows if r[0] <= LIMIT_BYTES]
    report(f"pages <= {LIMIT_BYTES // 1024} KB", small)
    print("targets for pages <= 300 KB: p50 <= 20 ms, p95 <= 80 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
