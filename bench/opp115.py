"""Score `policywatch classify --taxonomy opp115` on the OPP-115 validation split.

    python bench/opp115.py [--split validation|train] [--errors CATEGORY] [--limit N]

Gold labels are the majority-vote top-level labels (`|`-separated). Rows whose label cell is
empty (no category reached a 2-of-3 majority) are excluded from scoring: there is no gold
answer to compare with; their count is printed. Micro-F1 pools every (segment, label) decision;
macro-F1 is the unweighted mean of the ten per-category F1 scores. The classifier is rules
written by hand; nothing is trained on OPP-115. `train` is for developing the lexicons only.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from monitor.classify.opp115 import OPP115_CATEGORIES  # noqa: E402
from monitor.cli.classifycmd import label_segments, read_segments  # noqa: E402

OPP115_DIR = REPO.parent / "shared" / "corpus" / "opp115"


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="validation", choices=["validation", "train"])
    parser.add_argument("--errors", metavar="CATEGORY", help="print misses and false alarms")
    parser.add_argument("--limit", type=int, default=15, help="errors printed per kind")
    args = parser.parse_args()
    path = OPP115_DIR / f"{args.split}.csv"
    if not path.exists():
        print(f"skipped: {path} not found (../shared beside the checkout)")
        return 0
    content = path.read_text(encoding="utf-8")
    gold_rows = list(csv.DictReader(content.splitlines(keepends=True)))
    started = time.perf_counter()
    predicted = [rec["labels"] for rec in label_segments(read_segments(content, True), "opp115")]
    elapsed = time.perf_counter() - started
    counts = {cat: [0, 0, 0] for cat in OPP115_CATEGORIES}  # tp, fp, fn
    scored = 0
    for row, labels in zip(gold_rows, predicted, strict=True):
        gold = {label for label in row["labels"].split("|") if label}
        if not gold:
            continue
        scored += 1
        guess = set(labels)
        for cat in OPP115_CATEGORIES:
            hit = (cat in gold, cat in guess)
            if hit == (True, True):
                counts[cat][0] += 1
            elif hit == (False, True):
                counts[cat][1] += 1
                if cat == args.errors:
                    print(f"  FALSE ALARM [{row['labels']}] {row['text'][:300]}")
            elif hit == (True, False):
                counts[cat][2] += 1
                if cat == args.errors:
                    print(f"  MISS [{sorted(guess)}] {row['text'][:300]}")
    print(f"OPP-115 {args.split}: {len(gold_rows)} segments, {scored} scored, "
          f"{len(gold_rows) - scored} without a majority label excluded, "
          f"{1000 * elapsed / max(len(gold_rows), 1):.2f} ms per segment")
    print(f"{'category':40} {'F1':>6} {'P':>6} {'R':>6} {'gold':>5}")
    per_cat = []
    for cat, (tp, fp, fn) in counts.items():
        score = f1(tp, fp, fn)
        per_cat.append(score)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        print(f"{cat:40} {score:6.3f} {precision:6.3f} {recall:6.3f} {tp + fn:5d}")
    totals = [sum(c[i] for c in counts.values()) for i in range(3)]
    print(f"micro-F1 {f1(*totals):.3f}")
    print(f"macro-F1 {sum(per_cat) / len(per_cat):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
