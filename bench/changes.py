"""Classify every consecutive pair of versions in ../shared/corpus/histories (diff, then
classify) and print how many come out material, by severity and by category, the top findings
with their reasons, and the time per pair: classification p50 beside the differ's p50.

    python bench/changes.py [--top N] [--kind change|technical|all] [--service NAME]
                            [--dump] [--sample N --seed S]

--dump prints every material unit of every flagged pair (old and new text, reason);
--sample N prints N flagged pairs drawn at random (fixed --seed) with all their material units,
for reading the flagged pairs by hand. --list prints one line per flagged pair.

Real recorded changes are mostly of form: a high share flagged material means false alerts.
Histories: Open Terms Archive, ODC-By 1.0, © Open Terms Archive contributors.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from policywatch.monitor.classify import classify_diff  # noqa: E402
from policywatch.monitor.model import CATEGORIES, SEVERITIES, DiffResult, severity_rank  # noqa: E402

HISTORIES = REPO.parent / "shared" / "corpus" / "histories"

# service, old id, kind of the newer version, paths of old and new, and of the version before
Pair = tuple[str, str, str, Path, Path, Path | None]


def pairs(kind: str, service: str | None) -> Iterator[Pair]:
    for history in sorted(HISTORIES.glob("*/*/history.json")):
        name = f"{history.parent.parent.name}/{history.parent.name}"
        if service and service.lower() not in name.lower():
            continue
        versions = json.loads(history.read_text(encoding="utf-8"))["versions"]
        for index, (old, new) in enumerate(zip(versions, versions[1:], strict=False)):
            if kind in ("all", new["kind"]):
                before = history.parent / versions[index - 1]["file"] if index else None
                yield (name, f"{Path(old['file']).stem}→{Path(new['file']).stem}", new["kind"],
                       history.parent / old["file"], history.parent / new["file"], before)


def is_revert(old: str, new: str, before: Path | None) -> bool:
    """The newer version is near-identical to the one before the older: the archive flipped
    back (a cached or collapsed page served between two captures), not the policy."""
    if before is None:
        return False
    lines = [set(text.splitlines()) for text in (before.read_text(encoding="utf-8"), old, new)]
    back = len(lines[2] & lines[0]) / max(1, len(lines[2] | lines[0]))
    step = len(lines[2] & lines[1]) / max(1, len(lines[2] | lines[1]))
    return back > 0.9 and back > step + 0.05


def ms(seconds: float) -> float:
    return seconds * 1000


def run(diff: Callable[[str, str], DiffResult], args: argparse.Namespace) -> int:
    diff_times: list[float] = []
    classify_times: list[float] = []
    by_severity: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    flagged: list[tuple[int, str, DiffResult]] = []
    total = reverts = unjudged = 0
    for service, ids, _kind, old_path, new_path, before in pairs(args.kind, args.service):
        old, new = old_path.read_text(encoding="utf-8"), new_path.read_text(encoding="utf-8")
        started = time.perf_counter()
        result = diff(old, new)
        diffed = time.perf_counter()
        classify_diff(result, old, new)
        done = time.perf_counter()
        diff_times.append(diffed - started)
        classify_times.append(done - diffed)
        total += 1
        by_severity[result.severity] += 1
        by_category.update(result.categories)
        unjudged += result.summary.startswith("not judged")
        if result.material:
            revert = is_revert(old, new, before)
            reverts += revert
            label = f"{service} {ids}" + (" [revert]" if revert else "")
            flagged.append((severity_rank(result.severity), label, result))
    if not total:
        print(f"skipped: no version pairs found under {HISTORIES}")
        return 0
    material = sum(1 for _ in flagged)
    print(f"{total} consecutive pairs; material: {material} ({100 * material / total:.1f}%); "
          f"flagged reverts (newer ≈ the version before the older): {reverts}; "
          f"not judged (stub or other language): {unjudged}")
    print("by severity: " + ", ".join(f"{s} {by_severity[s]}" for s in SEVERITIES))
    print("by category (pairs): " + ", ".join(
        f"{c} {by_category[c]}" for c in CATEGORIES if by_category[c]))
    print(f"diff time per pair: p50 {ms(statistics.median(diff_times)):.1f} ms, "
          f"p95 {ms(sorted(diff_times)[int(0.95 * (total - 1))]):.1f} ms")
    print(f"classification time per pair: p50 {ms(statistics.median(classify_times)):.2f} ms, "
          f"p95 {ms(sorted(classify_times)[int(0.95 * (total - 1))]):.2f} ms, "
          f"max {ms(max(classify_times)):.1f} ms")
    if args.list:
        print("\nflagged pairs:")
        for _, label, result in flagged:
            print(f"- [{result.severity}/{result.direction}] {label}: {result.summary[:160]}")
    if args.dump:
        for _, label, result in flagged:
            dump(label, result)
    if args.sample:
        chosen = random.Random(args.seed).sample(flagged, min(args.sample, material))
        print(f"\n{len(chosen)} flagged pairs sampled with seed {args.seed}:")
        for number, (_, label, result) in enumerate(chosen, 1):
            dump(f"#{number} {label}", result)
    flagged.sort(key=lambda item: -item[0])
    print(f"\ntop {min(args.top, material)} flagged pairs:")
    for _, label, result in flagged[: args.top]:
        print(f"- [{result.severity}/{result.direction}] {label}: {result.summary}")
        units = sorted((u for u in result.changes if u.material),
                       key=lambda u: -severity_rank(u.severity))
        for unit in units[: args.units]:
            print(f"    {unit.severity} {unit.direction} {','.join(unit.categories)}: "
                  f"{unit.reason[:300]}")
    return 0


def clip(text: str | None, limit: int = 700) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def dump(label: str, result: DiffResult) -> None:
    """A flagged pair with the old and new text of each material unit, for reading by hand."""
    print(f"\n=== {label} [{result.severity}/{result.direction}] {result.summary}")
    for unit in result.changes:
        if not unit.material:
            continue
        print(f"  -- {unit.kind} {unit.severity} {unit.direction} "
              f"{','.join(unit.categories)} § {clip(unit.section, 80)}")
        print(f"     reason: {unit.reason[:400]}")
        if unit.old:
            print(f"     OLD: {clip(unit.old)}")
        if unit.new:
            print(f"     NEW: {clip(unit.new)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=25, help="flagged pairs to print")
    parser.add_argument("--units", type=int, default=2, help="material units shown per pair")
    parser.add_argument("--kind", default="all", choices=["all", "change", "technical"])
    parser.add_argument("--service", help="only histories whose name contains this")
    parser.add_argument("--list", action="store_true", help="one line per flagged pair")
    parser.add_argument("--dump", action="store_true",
                        help="print the material units (old/new text) of every flagged pair")
    parser.add_argument("--sample", type=int, default=0,
                        help="print N flagged pairs drawn at random, with their material units")
    parser.add_argument("--seed", type=int, default=5, help="seed for --sample")
    args = parser.parse_args()
    if not HISTORIES.exists():
        print(f"skipped: {HISTORIES} not found (../shared beside the checkout)")
        return 0
    from policywatch.monitor.diff import diff_texts  # the differ (issue 4)

    return run(diff_texts, args)


if __name__ == "__main__":
    sys.exit(main())
