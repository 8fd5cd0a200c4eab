"""Time the differ on every consecutive pair of the recorded histories, beside git's word diff.

    python bench/diff.py [--limit N] [--slowest K]

Prints p50, p95 and max per pair and the total for `diff_texts`, the same for
`git diff --no-index --word-diff` on the same pairs in the same run, their ratio, and the p50 of
`monitor.classify.classify_diff` timed separately. Targets: p50 <= 30 ms, p95 <= 250 ms,
max <= 2 s, total within 3x git's; classification <= 20 ms per pair at p50.
Histories: ../shared/corpus/histories beside the checkout (ODC-By, (c) Open Terms Archive
contributors).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from monitor.classify import classify_diff
from monitor.diff import diff_texts

HISTORIES = (Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
             / "histories").resolve()
TARGETS = {"p50": 0.030, "p95": 0.250, "max": 2.0}
RATIO_TARGET = 3.0


def consecutive_pairs(root: Path) -> list[tuple[Path, Path]]:
    pairs: list[tuple[Path, Path]] = []
    for history in sorted(root.glob("*/*/history.json")):
        versions = json.loads(history.read_text(encoding="utf-8"))["versions"]
        files = [history.parent / v["file"] for v in versions]
        pairs.extend(zip(files, files[1:], strict=False))
    return pairs


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(name: str, times: list[float]) -> str:
    return (f"{name:<28} p50 {percentile(times, .5) * 1000:8.2f} ms   "
            f"p95 {percentile(times, .95) * 1000:8.2f} ms   max {max(times) * 1000:8.1f} ms   "
            f"total {sum(times):7.2f} s")


def time_git(old: Path, new: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["git", "diff", "--no-index", "--word-diff", str(old), str(new)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pairs")
    parser.add_argument("--slowest", type=int, default=5, help="list the K slowest pairs")
    args = parser.parse_args()
    if not HISTORIES.is_dir():
        print(f"no histories at {HISTORIES}", file=sys.stderr)
        return 1
    pairs = consecutive_pairs(HISTORIES)[: args.limit or None]
    diff_texts("Warm up. One sentence.", "Warm up. Two sentences.")
    ours, classify, git, per_pair = [], [], [], []
    for old_path, new_path in pairs:
        old, new = old_path.read_text(encoding="utf-8"), new_path.read_text(encoding="utf-8")
        started = time.perf_counter()
        result = diff_texts(old, new)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        classify_diff(result)
        classify.append(time.perf_counter() - started)
        per_pair.append((ours[-1], f"{new_path.relative_to(HISTORIES)}"))
    if shutil.which("git"):
        git = [time_git(old, new) for old, new in pairs]
    print(f"{len(pairs)} consecutive pairs under {HISTORIES}")
    print(summary("diff_texts", ours))
    if git:
        print(summary("git diff --word-diff", git))
        print(f"total ratio diff_texts / git: {sum(ours) / sum(git):.2f} (target <= "
              f"{RATIO_TARGET:g})")
    print(f"classify_diff p50 {percentile(classify, .5) * 1000:.3f} ms")
    for name, limit in TARGETS.items():
        value = max(ours) if name == "max" else percentile(ours, float(name[1:]) / 100)
        print(f"  {name}: {value * 1000:.1f} ms ({'ok' if value <= limit else 'OVER'} "
              f"target {limit * 1000:g} ms)")
    for seconds, name in sorted(per_pair, reverse=True)[: args.slowest]:
        print(f"  slow: {seconds * 1000:7.1f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
