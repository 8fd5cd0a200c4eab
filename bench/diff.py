"""Time diff + classify as `check` runs them, on every consecutive pair of the recorded
histories, beside git's word diff of the same pair measured in the same run.

    python bench/diff.py [--limit N] [--slowest K] [--no-cold] [--no-big] [--no-pathological]
                         [--profile FILE]

The call timed is the service's (monitor/history/versioning.py store_change, and backfill and
`policywatch diff` alike): `classify_diff(diff_texts(old, new), old, new)`, with the two parts
timed apart so that the share of each shows. Two passes: warm (pairs in history order, every
cache keeping what the previous pair left, as in the service) and cold (every cache of the
differ and the classifier emptied before each pair). Then a 5 MB policy, built from real corpus
text, through the `policywatch diff` command itself (a subprocess: what a user waits for) and
in-process (diff, classify, render). Last, three synthetic worst cases of the differ.

Targets: total <= 3x git's word diff, p95 <= 100 ms, max <= 1 s per pair; 5 MB <= 2 s.
Histories and pages: ../shared/corpus beside the checkout (ODC-By, (c) Open Terms Archive
contributors).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from policywatch.monitor.classify import classify_diff
from policywatch.monitor.diff import diff_texts, render

CORPUS = (Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus").resolve()
HISTORIES = CORPUS / "histories"
PAGES = CORPUS / "pages"
RATIO_TARGET = 3.0
P95_TARGET, MAX_TARGET, BIG_TARGET = 0.100, 1.0, 2.0
BIG_BYTES = 5_000_000


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


# --- caches ----------------------------------------------------------------------------------

PROJECT_MODULES = ("policywatch.", "monitor.", "storage.")  # installed names since the relayout


def project_caches() -> list[functools._lru_cache_wrapper[object]]:
    """Every lru_cache of the project's modules alive now (module functions and caches held by
    objects, such as the lexicon tables'), found without naming them: the classifier is being
    rewritten and its caches come and go."""
    return [obj for obj in gc.get_objects()
            if isinstance(obj, functools._lru_cache_wrapper)
            and str(getattr(obj, "__module__", "")).startswith(PROJECT_MODULES)]


def clear(caches: list[functools._lru_cache_wrapper[object]]) -> None:
    for cache in caches:
        cache.cache_clear()


# --- timing ----------------------------------------------------------------------------------

@dataclass
class Pass:
    diff: list[float] = field(default_factory=list)
    classify: list[float] = field(default_factory=list)
    git: list[float] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    @property
    def total(self) -> list[float]:
        return [d + c for d, c in zip(self.diff, self.classify, strict=True)]


def time_git(old: Path, new: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["git", "diff", "--no-index", "--word-diff", str(old), str(new)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def diff_and_classify(old: str, new: str) -> tuple[float, float]:
    """Seconds in diff_texts and in classify_diff, called as store_change calls them."""
    started = time.perf_counter()
    result = diff_texts(old, new)
    middle = time.perf_counter()
    classify_diff(result, old, new)
    return middle - started, time.perf_counter() - middle


def run_pass(pairs: list[tuple[Path, Path]], *, cold: bool, with_git: bool,
             caches: list[functools._lru_cache_wrapper[object]]) -> Pass:
    """Every pair in order, git right after ours so that both see the same machine load."""
    timings = Pass()
    for old_path, new_path in pairs:
        old, new = old_path.read_text(encoding="utf-8"), new_path.read_text(encoding="utf-8")
        if cold:
            clear(caches)
        diff, classify = diff_and_classify(old, new)
        timings.diff.append(diff)
        timings.classify.append(classify)
        timings.names.append(str(new_path.relative_to(HISTORIES)))
        if with_git:
            timings.git.append(time_git(old_path, new_path))
    return timings


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def report(label: str, timings: Pass, slowest: int) -> None:
    total = timings.total
    spent, diff, classify = sum(total), sum(timings.diff), sum(timings.classify)
    print(f"\n{label}: diff + classify over {len(total)} pairs")
    print(f"  total {spent:7.2f} s   (diff {diff:6.2f} s = {diff / spent:4.0%}, "
          f"classify {classify:6.2f} s = {classify / spent:4.0%})")
    for name, values in (("diff+classify", total), ("  diff_texts", timings.diff),
                         ("  classify_diff", timings.classify)):
        print(f"  {name:<15} p50 {percentile(values, .5) * 1000:7.2f} ms   "
              f"p95 {percentile(values, .95) * 1000:7.2f} ms   max {max(values) * 1000:7.1f} ms")
    p95, worst = percentile(total, .95), max(total)
    if timings.git:
        git = sum(timings.git)
        print(f"  git diff --no-index --word-diff: total {git:.2f} s, "
              f"p50 {percentile(timings.git, .5) * 1000:.2f} ms")
        ratio = spent / git
        print(f"  ratio to git: {ratio:.2f}x  (target <= {RATIO_TARGET:g}x: "
              f"{verdict(ratio <= RATIO_TARGET)})")
    print(f"  p95 {p95 * 1000:.1f} ms (target <= {P95_TARGET * 1000:g} ms: "
          f"{verdict(p95 <= P95_TARGET)}); max {worst * 1000:.1f} ms (target <= "
          f"{MAX_TARGET * 1000:g} ms: {verdict(worst <= MAX_TARGET)})")
    ranked = sorted(zip(total, timings.diff, timings.names, strict=True), reverse=True)
    for seconds, diff_part, name in ranked[:slowest]:
        print(f"  slow: {seconds * 1000:7.1f} ms (diff {diff_part * 1000:6.1f})  {name}")


# --- the 5 MB policy -------------------------------------------------------------------------

def big_policy(target: int = BIG_BYTES) -> tuple[str, str]:
    """A 5 MB policy from real text, changed as real policies change: the old version is
    every history's second-to-last version, the new one every history's last (the real
    changes between them), each followed by the same extraction-benchmark pages up to 5 MB."""
    old_parts: list[str] = []
    new_parts: list[str] = []
    for history in sorted(HISTORIES.glob("*/*/history.json")):
        versions = json.loads(history.read_text(encoding="utf-8"))["versions"]
        if len(versions) >= 2:
            old_parts.append((history.parent / versions[-2]["file"]).read_text("utf-8"))
            new_parts.append((history.parent / versions[-1]["file"]).read_text("utf-8"))
    size = sum(len(p) for p in old_parts)
    for page in sorted(PAGES.glob("*/*/*.md")):
        if size >= target:
            break
        text = page.read_text("utf-8")
        old_parts.append(text)
        new_parts.append(text)
        size += len(text)
    return "\n\n".join(old_parts), "\n\n".join(new_parts)


def time_cli(old: Path, new: Path) -> tuple[float, float]:
    """Wall seconds and peak MB of `policywatch diff OLD NEW` (the command, as a user runs it)."""
    command = [sys.executable, "-c", "from policywatch.monitor.cli import main; main()", "diff",
               str(old), str(new)]
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, peak_kb / 1024


def report_big(caches: list[functools._lru_cache_wrapper[object]]) -> None:
    old, new = big_policy()
    print(f"\n5 MB policy: {len(old.encode()) / 1e6:.2f} MB old, {len(new.encode()) / 1e6:.2f} MB "
          "new (histories' last two versions + extraction pages)")
    with tempfile.TemporaryDirectory() as tmp:
        old_path, new_path = Path(tmp) / "old.md", Path(tmp) / "new.md"
        old_path.write_text(old, encoding="utf-8")
        new_path.write_text(new, encoding="utf-8")
        wall, peak = time_cli(old_path, new_path)
        git = time_git(old_path, new_path)
    print(f"  policywatch diff (subprocess): {wall:.2f} s, peak {peak:.0f} MB "
          f"(target <= {BIG_TARGET:g} s: {verdict(wall <= BIG_TARGET)}); git word diff {git:.2f} s")
    clear(caches)
    started = time.perf_counter()
    result = diff_texts(old, new)
    diffed = time.perf_counter()
    classify_diff(result, old, new)
    classified = time.perf_counter()
    render(result, "text", color=False, title="old \u2192 new")
    rendered = time.perf_counter()
    print(f"  in-process, cold: diff {diffed - started:.2f} s, classify "
          f"{classified - diffed:.2f} s, render {rendered - classified:.2f} s "
          f"({len(result.changes)} units)")


def pathological() -> dict[str, tuple[str, str]]:
    """Synthetic worst cases for the differ: one giant unpunctuated block rewritten, a document
    of one repeated sentence reordered, and 6,000 random sentences replaced by 6,000 others."""
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


def report_pathological() -> None:
    print("\npathological cases (diff + classify):")
    for name, (old, new) in pathological().items():
        diff, classify = diff_and_classify(old, new)
        print(f"  {name:<30} diff {diff * 1000:8.1f} ms, classify {classify * 1000:8.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pairs")
    parser.add_argument("--slowest", type=int, default=5, help="list the K slowest pairs")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-cache pass")
    parser.add_argument("--no-big", action="store_true", help="skip the 5 MB policy")
    parser.add_argument("--no-pathological", action="store_true",
                        help="skip the synthetic worst cases")
    parser.add_argument("--profile", help="write a cProfile of the warm pass to this file")
    args = parser.parse_args()
    if not HISTORIES.is_dir():
        print(f"no histories at {HISTORIES}: nothing to time", file=sys.stderr)
        return 1
    pairs = consecutive_pairs(HISTORIES)[: args.limit or None]
    with_git = shutil.which("git") is not None
    diff_and_classify(*(p.read_text(encoding="utf-8") for p in pairs[0]))  # imports, lexicons
    caches = project_caches()
    clear(caches)
    print(f"{len(pairs)} consecutive pairs under {HISTORIES}; {len(caches)} caches cleared per "
          "pair in the cold pass" + ("" if with_git else "; git not found: no ratio"))
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    report("warm", run_pass(pairs, cold=False, with_git=with_git, caches=caches), args.slowest)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    if not args.no_cold:
        report("cold", run_pass(pairs, cold=True, with_git=with_git, caches=caches),
               args.slowest)
    if not args.no_big:
        report_big(caches)
    if not args.no_pathological:
        report_pathological()
    return 0


if __name__ == "__main__":
    sys.exit(main())
