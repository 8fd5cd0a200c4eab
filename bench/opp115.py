"""Score `policywatch classify --taxonomy opp115` on the OPP-115 splits.

    python bench/opp115.py [--split both|validation|train] [--errors CATEGORY] [--limit N]

Gold labels are the majority-vote top-level labels (`|`-separated). Rows whose label cell is
empty (no category reached a 2-of-3 majority) are excluded from scoring: there is no gold
answer to compare with; their count is printed. Micro-F1 pools every (segment, label) decision;
macro-F1 is the unweighted mean of the ten per-category F1 scores. The classifier is rules
written by hand; nothing is trained on OPP-115. The rules were developed by reading errors on
`train` only, so `--errors` refuses the validation split: looking at validation errors would
turn it into a second training set and its figures would stop meaning anything.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from policywatch.monitor.classify.opp115 import OPP115_CATEGORIES  # noqa: E402
from policywatch.monitor.cli.classifycmd import label_segments, read_segments  # noqa: E402

OPP115_DIR = REPO.parent / "shared" / "corpus" / "opp115"


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@dataclass
class Tally:
    """Per-category true positives, false positives and false negatives, plus label counts."""

    counts: dict[str, list[int]] = field(
        default_factory=lambda: {cat: [0, 0, 0] for cat in OPP115_CATEGORIES})
    scored: int = 0
    gold_labels: int = 0
    predicted_labels: int = 0

    def add(self, gold: set[str], guess: set[str]) -> None:
        self.scored += 1
        self.gold_labels += len(gold)
        self.predicted_labels += len(guess)
        for cat, row in self.counts.items():
            row[0] += cat in gold and cat in guess
            row[1] += cat not in gold and cat in guess
            row[2] += cat in gold and cat not in guess

    def macro(self) -> float:
        return sum(f1(*row) for row in self.counts.values()) / len(self.counts)

    def micro(self) -> float:
        tp, fp, fn = (sum(row[i] for row in self.counts.values()) for i in range(3))
        return f1(tp, fp, fn)


def print_errors(category: str, gold_cell: str, text: str, gold: set[str], guess: set[str]) -> None:
    if category in guess and category not in gold:
        print(f"  FALSE ALARM [{gold_cell}] {text[:300]}")
    elif category in gold and category not in guess:
        print(f"  MISS [{', '.join(sorted(guess))}] {text[:300]}")


def score_split(split: str, errors: str | None, limit: int) -> Tally | None:
    path = OPP115_DIR / f"{split}.csv"
    if not path.exists():
        print(f"skipped: {path} not found (../shared beside the checkout)")
        return None
    content = path.read_text(encoding="utf-8")
    gold_rows = list(csv.DictReader(content.splitlines(keepends=True)))
    started = time.perf_counter()
    predicted = [rec["labels"] for rec in label_segments(read_segments(content, True), "opp115")]
    elapsed = time.perf_counter() - started
    tally, shown = Tally(), 0
    for row, labels in zip(gold_rows, predicted, strict=True):
        gold = {label for label in row["labels"].split("|") if label}
        if not gold:
            continue
        tally.add(gold, set(labels))
        if errors and shown < limit and (errors in gold) != (errors in labels):
            shown += 1
            print_errors(errors, row["labels"], row["text"], gold, set(labels))
    print(f"OPP-115 {split}: {len(gold_rows)} segments, {tally.scored} scored, "
          f"{len(gold_rows) - tally.scored} without a majority label excluded, "
          f"{1000 * elapsed / max(len(gold_rows), 1):.2f} ms per segment")
    return tally


def print_tally(split: str, tally: Tally) -> None:
    print(f"{'category':40} {'F1':>6} {'P':>6} {'R':>6} {'gold':>5}")
    for cat, (tp, fp, fn) in tally.counts.items():
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        print(f"{cat:40} {f1(tp, fp, fn):6.3f} {precision:6.3f} {recall:6.3f} {tp + fn:5d}")
    print(f"labels per segment: gold {tally.gold_labels / tally.scored:.2f}, "
          f"predicted {tally.predicted_labels / tally.scored:.2f}")
    print(f"{split} micro-F1 {tally.micro():.3f}")
    print(f"{split} macro-F1 {tally.macro():.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="both", choices=["both", "validation", "train"])
    parser.add_argument("--errors", metavar="CATEGORY", choices=OPP115_CATEGORIES,
                        help="print misses and false alarms of one category (train only)")
    parser.add_argument("--limit", type=int, default=15, help="errors printed at most")
    args = parser.parse_args()
    if args.errors and args.split != "train":
        parser.error("--errors is for developing on the train split: use --split train")
    splits = ["train", "validation"] if args.split == "both" else [args.split]
    for split in splits:
        tally = score_split(split, args.errors, args.limit)
        if tally is not None:
            print_tally(split, tally)
    return 0


if __name__ == "__main__":
    sys.exit(main())
