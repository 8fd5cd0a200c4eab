"""A check's cost as a policy's history grows: changed and unchanged checks through the real
check(), against a web site on 127.0.0.1, at 10, 100 and 1,000 versions, and the database
bytes per version.

    python bench/history.py [--versions 10,100,1000] [--samples 5]

One 45 KB policy (a real one: Cloudflare's from ../shared/corpus/histories, ODC-By, (c) Open
Terms Archive contributors) whose text changes before every check: each version adds one
sentence to a different paragraph. A changed check fetches the new page (200), extracts,
stores, diffs and classifies it; an unchanged check gets a 304. At each milestone the median of
`--samples` changed checks and of 10x as many unchanged ones is printed, wall and CPU time; the
history is built by the same changed checks.

Targets: unchanged at the last milestone within 1.5x of the first, changed within 2x; database
bytes per version <= 20 KB (the file's size less that of the empty, migrated database, whose
schema pages are no version's cost, divided by the versions; raw snapshots included).
"""

from __future__ import annotations

import argparse
import html
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policywatch.monitor.context import Context  # noqa: E402
from policywatch.monitor.pipeline import check  # noqa: E402
from policywatch.monitor.watchlist import Policy  # noqa: E402
from tests.support.config import load, make_context, write_watchlist  # noqa: E402
from tests.support.site import Site  # noqa: E402

POLICY = (Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "histories"
          / "contrib" / "Cloudflare" / "versions" / "001.md").resolve()
UNCHANGED_TARGET, CHANGED_TARGET, BYTES_TARGET = 1.5, 2.0, 20_000


def page_html(markdown: str) -> str:
    """The policy as a plain HTML page: headings, list items and paragraphs."""
    out = ["<!doctype html><html><head><title>Privacy Policy</title></head><body><main>"]
    for block in markdown.split("\n\n"):
        block = block.strip()
        if block.startswith("#"):
            level = min(6, len(block) - len(block.lstrip("#")))
            out.append(f"<h{level}>{html.escape(block.lstrip('# '))}</h{level}>")
        elif block.startswith(("- ", "* ")):
            items = "".join(f"<li>{html.escape(line[2:])}</li>" for line in block.splitlines())
            out.append(f"<ul>{items}</ul>")
        elif block:
            out.append(f"<p>{html.escape(' '.join(block.splitlines()))}</p>")
    return "\n".join(out) + "</main></body></html>"


class Revisions:
    """Version n of the policy: the base text with one sentence added to paragraph n mod k."""

    def __init__(self, base: str) -> None:
        self.blocks = base.split("\n\n")
        self.prose = [i for i, b in enumerate(self.blocks)
                      if len(b) > 200 and not b.lstrip().startswith(("#", "-", "*", "|"))]

    def page(self, n: int) -> str:
        blocks = list(self.blocks)
        where = self.prose[(n * 7) % len(self.prose)]
        blocks[where] += f" This paragraph was reviewed in revision {n} of this notice."
        return page_html("\n\n".join(blocks))


def timed_check(ctx: Context, policy: Policy, expected: str) -> tuple[float, float]:
    """Wall and CPU seconds of one check (CPU: this process, the test site's thread included;
    it shows the trend when other work on the machine makes the wall clock noisy)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = check(ctx, policy)
    elapsed = (time.perf_counter() - started, time.process_time() - cpu)
    if result.outcome != expected:
        raise SystemExit(f"expected {expected}, got {result.outcome}: {result.reason} "
                         f"{result.detail}")
    return elapsed


Figures = tuple[int, tuple[float, float], tuple[float, float], int]


def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))


def database_bytes(ctx: Context, path: Path) -> int:
    ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size


def run(milestones: list[int], samples: int) -> list[Figures]:
    base = POLICY.read_text(encoding="utf-8")
    revisions = Revisions(base)
    figures: list[Figures] = []
    with Site() as site, tempfile.TemporaryDirectory() as tmp:
        site.set_page("/privacy", revisions.page(0))
        ctx = make_context(load(write_watchlist(Path(tmp), [
            {"name": "cloudflare", "url": site.url("/privacy")}])))
        policy = ctx.watchlist.policies[0]
        # The schema of an empty database is no cost of any version: counted once, apart.
        empty = database_bytes(ctx, Path(ctx.watchlist.settings.database))
        print(f"empty database (schema only): {empty / 1000:.1f} KB", flush=True)
        timed_check(ctx, policy, "first_version")
        n = 1
        for milestone in milestones:
            changed: list[tuple[float, float]] = []
            while n < milestone:  # the first version and n - 1 changes
                site.set_page("/privacy", revisions.page(n))
                seconds = timed_check(ctx, policy, "new_version")
                if n >= milestone - samples:
                    changed.append(seconds)
                n += 1
            unchanged = [timed_check(ctx, policy, "unchanged") for _ in range(10 * samples)]
            size = database_bytes(ctx, Path(ctx.watchlist.settings.database)) - empty
            figures.append((n, medians(changed), medians(unchanged), size // n))
            (wall_c, cpu_c), (wall_u, cpu_u) = figures[-1][1], figures[-1][2]
            print(f"{n:>6} versions: changed check {wall_c * 1000:6.1f} ms (CPU "
                  f"{cpu_c * 1000:6.1f}), unchanged {wall_u * 1000:5.2f} ms (CPU "
                  f"{cpu_u * 1000:5.2f}), {size / n / 1000:5.1f} KB per version", flush=True)
    return figures


def ratio_line(what: str, first: tuple[float, float], last: tuple[float, float],
               versions: tuple[int, int], target: float) -> str:
    wall, cpu = last[0] / first[0], last[1] / first[1]
    verdict = "ok" if max(wall, cpu) <= target else "OVER"
    return (f"{what} at {versions[1]} / at {versions[0]}: {wall:.2f}x wall, {cpu:.2f}x CPU "
            f"(target <= {target:g}x: {verdict})")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--versions", default="10,100,1000",
                        help="milestones, comma-separated (default 10,100,1000)")
    parser.add_argument("--samples", type=int, default=5,
                        help="changed checks timed per milestone (10x as many unchanged)")
    args = parser.parse_args()
    if not POLICY.is_file():
        print(f"no corpus policy at {POLICY}: nothing to time", file=sys.stderr)
        return 1
    milestones = sorted(int(v) for v in args.versions.split(","))
    if milestones[0] <= args.samples:
        parser.error("each milestone must be larger than --samples")
    print(f"policy: {POLICY.name} of {POLICY.parent.parent.name}, "
          f"{len(POLICY.read_text(encoding='utf-8')) / 1000:.1f} KB")
    figures = run(milestones, args.samples)
    first, last = figures[0], figures[-1]
    versions = (first[0], last[0])
    print(ratio_line("changed", first[1], last[1], versions, CHANGED_TARGET))
    print(ratio_line("unchanged", first[2], last[2], versions, UNCHANGED_TARGET))
    worst_bytes = max(f[3] for f in figures)
    print(f"bytes per version: at most {worst_bytes / 1000:.1f} KB (target <= "
          f"{BYTES_TARGET / 1000:g} KB: {'ok' if worst_bytes <= BYTES_TARGET else 'OVER'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
