"""Measure the material-change decision on the labelled pairs of ../shared/corpus/labels/dev.json.

    python bench/materiality.py [--split fit|check|all] [--quiet] [--show-fp]

Runs the real differ and classifier on every pair both annotators agreed on, exactly as
production does (`diff_texts(old, new)`, then `classify_diff(result, old, new)`), and prints for
`fit`, `check` and all: precision, recall, F1, category recall (labelled `cats` found), severity
floor (share of material pairs rated at or above `min_sev`), direction agreement (material pairs
whose label has one) and recall per category; then, for `fit` only, every miss with its id and
the annotators' notes (and, with --show-fp, every false positive with its reasons). Pairs of
`check` are never printed: that half is for measuring only. Also prints classification time per
pair (p50, p95).

Targets (issue 10), on `check` and at least as good on `fit`: recall >= 0.95, precision >= 0.85,
F1 >= 0.90, category recall >= 0.85, severity floor >= 0.85, direction >= 0.85.
Labels derive from Open Terms Archive histories: ODC-By 1.0, (c) Open Terms Archive contributors.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from policywatch.monitor.classify import classify_diff  # noqa: E402
from policywatch.monitor.diff import diff_texts  # noqa: E402
from policywatch.monitor.model import DiffResult, severity_rank  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
LABELS = CORPUS / "labels" / "dev.json"
HISTORIES = CORPUS / "histories"
TARGETS = {"recall": 0.95, "precision": 0.85, "f1": 0.90, "category recall": 0.85,
           "severity floor": 0.85, "direction": 0.85}


@dataclass
class Outcome:
    label: dict[str, Any]
    result: DiffResult
    seconds: float
    cpu: float  # process CPU time: steadier than wall time on a shared machine


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    cats_named: int = 0
    cats_found: int = 0
    sev_ok: int = 0
    dir_labelled: int = 0
    dir_ok: int = 0
    per_cat: Counter[str] = field(default_factory=Counter)
    per_cat_found: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> None:
        label, result = outcome.label, outcome.result
        if not label["material"]:
            self.fp += result.material
            self.tn += not result.material
            return
        self.tp += result.material
        self.fn += not result.material
        cats = set(label["cats"])
        found = cats & set(result.categories) if result.material else set()
        self.cats_named += len(cats)
        self.cats_found += len(found)
        for cat in cats:
            self.per_cat[cat] += 1
            self.per_cat_found[cat] += cat in found
        self.sev_ok += severity_rank(result.severity) >= severity_rank(label["min_sev"])
        if label.get("direction"):
            self.dir_labelled += 1
            self.dir_ok += result.material and result.direction == label["direction"]

    def figures(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        material = self.tp + self.fn
        return {"precision": precision, "recall": recall, "f1": f1,
                "category recall": self.cats_found / self.cats_named if self.cats_named else 1.0,
                "severity floor": self.sev_ok / material if material else 1.0,
                "direction": self.dir_ok / self.dir_labelled if self.dir_labelled else 1.0}


def agreed_pairs() -> list[dict[str, Any]]:
    pairs: list[dict[str, Any]] = json.loads(LABELS.read_text(encoding="utf-8"))
    return [p for p in pairs if p["material"] is not None]


def run_pair(label: dict[str, Any]) -> Outcome:
    folder = HISTORIES / label["doc"]
    old = (folder / label["old"]).read_text(encoding="utf-8")
    new = (folder / label["new"]).read_text(encoding="utf-8")
    result = diff_texts(old, new)
    started, cpu = time.perf_counter(), time.process_time()
    classify_diff(result, old, new)
    return Outcome(label, result, time.perf_counter() - started, time.process_time() - cpu)


def report(name: str, outcomes: list[Outcome]) -> None:
    tally = Tally()
    for outcome in outcomes:
        tally.add(outcome)
    figures = tally.figures()
    print(f"\n== {name}: {len(outcomes)} agreed pairs, {tally.tp + tally.fn} material "
          f"(tp {tally.tp}, fn {tally.fn}, fp {tally.fp}, tn {tally.tn})")
    for key, value in figures.items():
        mark = "ok" if value >= TARGETS[key] else "BELOW"
        print(f"  {key:<16} {value:.2f}  (target >= {TARGETS[key]:.2f}: {mark})")
    per_cat = ", ".join(f"{cat} {tally.per_cat_found[cat]}/{count}"
                        for cat, count in tally.per_cat.most_common())
    print(f"  recall per category (labelled cat found / labelled): {per_cat}")


def show_fit(outcomes: list[Outcome], show_fp: bool) -> None:
    misses = [o for o in outcomes if o.label["material"] and not o.result.material]
    print(f"\nfit misses ({len(misses)}):")
    for o in misses:
        show(o)
    weak = [o for o in outcomes if o.label["material"] and o.result.material and (
        severity_rank(o.result.severity) < severity_rank(o.label["min_sev"])
        or not set(o.label["cats"]) <= set(o.result.categories)
        or (o.label["direction"] and o.label["direction"] != o.result.direction))]
    print(f"\nfit pairs found but short on severity, categories or direction ({len(weak)}):")
    for o in weak:
        show(o)
    if show_fp:
        wrong = [o for o in outcomes if not o.label["material"] and o.result.material]
        print(f"\nfit false positives ({len(wrong)}):")
        for o in wrong:
            show(o)


def show(o: Outcome) -> None:
    label, result = o.label, o.result
    print(f"- {label['id']} {label['doc']} {label['old']} -> {label['new']}: labelled "
          f"{label['min_sev']}/{label['direction']} {label['cats']}; got "
          f"{result.severity}/{result.direction} {result.categories}")
    for note in label["notes"]:
        print(f"    note: {' '.join(note.split())[:400]}")
    for unit in result.changes:
        if unit.material:
            print(f"    unit {unit.kind} {unit.severity}: {unit.reason[:200]}")
    print(f"    summary: {result.summary[:200]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quiet", action="store_true", help="figures only, no fit pairs")
    parser.add_argument("--show-fp", action="store_true", help="also list fit false positives")
    args = parser.parse_args()
    if not LABELS.exists() or not HISTORIES.exists():
        print(f"skipped: {LABELS} or {HISTORIES} not found (../shared beside the checkout)")
        return 0
    started = time.perf_counter()
    outcomes = [run_pair(label) for label in agreed_pairs()]
    fit = [o for o in outcomes if o.label["split"] == "fit"]
    check = [o for o in outcomes if o.label["split"] == "check"]
    for name, part in (("fit", fit), ("check", check), ("all", outcomes)):
        report(name, part)
    times = sorted(o.seconds for o in outcomes)
    print(f"\nclassification per pair: p50 {1000 * statistics.median(times):.2f} ms, "
          f"p95 {1000 * times[int(0.95 * (len(times) - 1))]:.2f} ms; CPU p50 "
          f"{1000 * statistics.median(o.cpu for o in outcomes):.2f} ms (target p50 <= 5 ms); "
          f"whole run {time.perf_counter() - started:.1f} s")
    if not args.quiet:
        show_fit(fit, args.show_fp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
