"""Time the differ on every consecutive pair of the recorded histories, beside git's word diff.

    python bench/diff.py [--limit N] [--slowest K] [--no-cold]

Prints p50, p95 and max per pair and the total for `diff_texts`, the same for
`git diff --no-index --word-diff` on the same pairs in the same run, their ratio (wall-clock and
CPU), and the p50 of `monitor.classify.classify_diff` timed separately. Two passes: warm (pairs
in history order, the block cache keeping what the previous pair analysed, as in the service)
and cold (cache emptied before every pair). Targets: p50 <= 30 ms, p95 <= 250 ms,
max <= 2 s, total within 3x git's; classification <= 20 ms per pair at p50.
Histories: ../shared/corpus/histories beside the checkout (ODC-By, (c) Open Terms Archive
contributors).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from policywatch.monitor.classify import classify_diff
from policywatch.monitor.diff import DiffResult, diff_texts
from policywatch.monitor.diff.segment import analysed_block

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


def time_git(old: Path, new: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of git's word diff of two files."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(["git", "diff", "--no-index", "--word-diff", str(old), str(new)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def time_ours(old: str, new: str) -> tuple[float, float, DiffResult]:
    """Wall-clock and CPU seconds of diff_texts, and its result."""
    cpu, started = time.process_time(), time.perf_counter()
    result = diff_texts(old, new)
    return time.perf_counter() - started, time.process_time() - cpu, result


@dataclass
class Timings:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def run_pairs(pairs: list[tuple[Path, Path]], *, cold: bool, with_git: bool
              ) -> tuple[Timings, Timings, list[float], list[tuple[float, str]]]:
    """Diff every pair in order (git right after ours, so both see the same machine load).
    `cold` empties the block cache before each pair: no work reused from the previous pair."""
    ours, git, classify = Timings(), Timings(), []
    slow: list[tuple[float, str]] = []
    for old_path, new_path in pairs:
        old, new = old_path.read_text(encoding="utf-8"), new_path.read_text(encoding="utf-8")
        if cold:
            analysed_block.cache_clear()
        wall, cpu, result = time_ours(old, new)
        ours.wall.append(wall)
        ours.cpu.append(cpu)
        slow.append((wall, str(new_path.relative_to(HISTORIES))))
        started = time.perf_counter()
        classify_diff(result)
        classify.append(time.perf_counter() - started)
        if with_git:
            wall, cpu = time_git(old_path, new_path)
            git.wall.append(wall)
            git.cpu.append(cpu)
    return ours, git, classify, slow


def report(label: str, ours: Timings, git: Timings) -> None:
    print(summary(f"diff_texts ({label})", ours.wall))
    if git.wall:
        print(summary("git diff --word-diff", git.wall))
        print(f"  ratio to git, total: {sum(ours.wall) / sum(git.wall):.2f} wall-clock (target "
              f"<= {RATIO_TARGET:g}), {sum(ours.cpu) / sum(git.cpu):.2f} CPU "
              f"({sum(ours.cpu):.2f} s / {sum(git.cpu):.2f} s)")
    for name, limit in TARGETS.items():
        value = max(ours.wall) if name == "max" else percentile(ours.wall, float(name[1:]) / 100)
        print(f"  {name}: {value * 1000:.1f} ms ({'ok' if value <= limit else 'OVER'} "
              f"target {limit * 1000:g} ms)")


def pathological() -> dict[str, tuple[str, str]]:
    """Synthetic worst cases: one giant unpunctuated block rewritten, a document of one repeated
    sentence reordered, and 6,000 random sentences replaced by 6,000 others."""
    rnd = random.Random(1)
    vocab = [f"w{i}" for i in range(300)]

    def words(n: int) -> str:
        return " ".join(rnd.choice(vocab) for _ in range(n))

    def sentences(n: int) -> str:
        return " ".join(words(12).capitalize() + "." for _ in range(n))

    repeated = ["Learn more."] * 3000 + ["We sell data."] * 2000
    return {
        "giant block (60k words)": (words(60_000), words(60_000)),
        "repeated sentence (5k)": ("\n\n".join(repeated), "\n\n".join(repeated[::-1])),
        "random rewrite (6k sentences)": (sentences(6000), sentences(6000)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pairs")
    parser.add_argument("--slowest", type=int, default=5, help="list the K slowest pairs")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-cache pass")
    args = parser.parse_args()
    if not HISTORIES.is_dir():
        print(f"no histories at {HISTORIES}", file=sys.stderr)
        return 1
    pairs = consecutive_pairs(HISTORIES)[: args.limit or None]
    with_git = shutil.which("git") is not None
    diff_texts("Warm up. One sentence.", "Warm up. Two sentences.")
    print(f"{len(pairs)} consecutive pairs under {HISTORIES}")
    # Warm: pairs in history order, as the service and a backfill diff them; a version's blocks
    # were analysed as the newer side of the previous pair.
    ours, git, classify, slow = run_pairs(pairs, cold=False, with_git=with_git)
    report("warm", ours, git)
    print(f"classify_diff p50 {percentile(classify, .5) * 1000:.3f} ms per pair")
    for seconds, name in sorted(slow, reverse=True)[: args.slowest]:
        print(f"  slow: {seconds * 1000:7.1f} ms  {name}")
    if not args.no_cold:
        ours, git, _, _ = run_pairs(pairs, cold=True, with_git=with_git)
        report("cold", ours, git)
    for name, (old, new) in pathological().items():
        wall, _, result = time_ours(old, new)
        print(f"pathological: {name:<30} {wall * 1000:8.1f} ms ({len(result.changes)} units)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
