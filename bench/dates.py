"""Does the "Last updated" date tell the truth? The stated-date verdict of every consecutive pair
of versions in ../shared/corpus/histories, worked out as check does (diff, classify, then
monitor.history.stated_dates.date_honesty with the classifier's material verdict).

    python bench/dates.py [--service NAME] [--compare] [--list KIND]

Prints how many versions state a date, the count of each kind (silent, date_only, backdated,
consistent) over all pairs and over the pairs Open Terms Archive recorded as real changes
(`kind = change`, not its `technical` re-extractions), and the answer to "what proportion of
material changes bump the stated date?". --compare also measures dateparser (when installed)
against the hand parser: import cost in a fresh process, time per date, first-call cost per
language, and agreement on the dates the corpus states. --list KIND prints the pairs of a kind.
Histories: Open Terms Archive (ODC-By 1.0, (c) Open Terms Archive contributors).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policywatch.monitor.classify import classify_diff  # noqa: E402
from policywatch.monitor.diff import diff_texts  # noqa: E402
from policywatch.monitor.history.stated_dates import (  # noqa: E402
    HONESTY_KINDS,
    StatedDate,
    date_honesty,
    parse_date,
    stated_date,
    stated_dates,
)

HISTORIES = (ROOT / ".." / "shared" / "corpus" / "histories").resolve()


@dataclass
class Pair:
    name: str
    old_file: str
    new_file: str
    recorded_as: str  # change | technical (Open Terms Archive's kind of the new version)
    material: bool
    kind: str
    old_date: str | None
    new_date: str | None


def pairs(service: str | None) -> list[tuple[str, Path, Path, str]]:
    found = []
    for meta_path in sorted(HISTORIES.glob("*/*/history.json")):
        name = f"{meta_path.parent.parent.name}/{meta_path.parent.name}"
        if service and service.lower() not in name.lower():
            continue
        versions = json.loads(meta_path.read_text(encoding="utf-8"))["versions"]
        for old, new in zip(versions, versions[1:], strict=False):
            found.append((name, meta_path.parent / old["file"], meta_path.parent / new["file"],
                          new["kind"]))
    return found


def judge(name: str, old_path: Path, new_path: Path, recorded_as: str) -> Pair:
    old, new = old_path.read_text(encoding="utf-8"), new_path.read_text(encoding="utf-8")
    result = classify_diff(diff_texts(old, new), old, new)
    honesty = date_honesty(old, new, result.material, [(u.old, u.new) for u in result.changes])
    return Pair(name, old_path.name, new_path.name, recorded_as, result.material, honesty.kind,
                honesty.old.iso() if honesty.old else None,
                honesty.new.iso() if honesty.new else None)


def table(title: str, judged: list[Pair]) -> None:
    counts = Counter(p.kind for p in judged)
    total = len(judged) or 1
    print(f"{title}: {len(judged)} pairs")
    for kind in HONESTY_KINDS:
        print(f"  {kind:<11} {counts[kind]:5d}  {100 * counts[kind] / total:5.1f} %")
    consistent = [p for p in judged if p.kind == "consistent"]
    why = Counter("no stated date" if p.old_date is None and p.new_date is None
                  else "the date moved with the text" if p.old_date != p.new_date
                  else "date kept, change not material" for p in consistent)
    print("    consistent: " + "; ".join(f"{reason} {n}" for reason, n in why.most_common()))


def bump_rate(judged: list[Pair]) -> None:
    """Of the material changes of policies that state a date, how many moved it."""
    dated = [p for p in judged if p.material and p.old_date is not None]
    moved = [p for p in dated if p.kind in ("consistent", "backdated")]
    print(f"material changes of policies stating a date: {len(dated)}; the date moved in "
          f"{len(moved)} ({100 * len(moved) / (len(dated) or 1):.1f} %), stayed in "
          f"{len(dated) - len(moved)} (silent)")


def compare(texts: list[str]) -> None:
    """The hand parser against dateparser on the dates the corpus states."""
    found: list[StatedDate] = [d for text in texts for d in stated_dates(text)]
    unique = sorted({(d.written, d.language, d.iso()) for d in found})
    started = time.perf_counter()
    for written, language, _ in unique * 10:
        parse_date(written, english=language == "en")
    hand = (time.perf_counter() - started) / (len(unique) * 10)
    print(f"\nparsers on the {len(unique)} distinct dates the corpus states:")
    print(f"  hand parser: {hand * 1e6:.1f} µs a date; import "
          f"{import_ms('monitor.history.stated_dates'):.0f} ms in a fresh process")
    try:
        import dateparser
    except ImportError:
        print("  dateparser: not installed (pip install dateparser to compare)")
        return
    print(f"  dateparser {dateparser.__version__}: import {import_ms('dateparser'):.0f} ms "
          "in a fresh process")
    settings = {"REQUIRE_PARTS": ["year", "month"], "PREFER_DAY_OF_MONTH": "first"}
    first_call: dict[str, float] = {}
    agree = 0
    for written, language, iso in unique:
        began = time.perf_counter()
        parsed = dateparser.parse(written, languages=[language], settings=settings)
        first_call.setdefault(language, time.perf_counter() - began)
        agree += parsed is not None and parsed.date().isoformat()[:len(iso)] == iso
    warm_start = time.perf_counter()
    for written, language, _ in unique:
        dateparser.parse(written, languages=[language], settings=settings)
    warm = (time.perf_counter() - warm_start) / len(unique)
    print(f"  dateparser: {warm * 1000:.2f} ms a date warm; first call per language "
          + ", ".join(f"{lang} {ms * 1000:.0f} ms" for lang, ms in sorted(first_call.items()))
          + f"; agrees with the hand parser on {agree} of {len(unique)}")
    unhinted = dateparser.parse("05.01.2024", settings=settings)
    print(f"  dateparser without a language hint reads 05.01.2024 as {unhinted:%Y-%m-%d} "
          "(German policies mean 5 January)" if unhinted else "")


def import_ms(module: str) -> float:
    best = float("inf")
    for _ in range(3):
        out = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                             capture_output=True, text=True, cwd=ROOT, check=True).stderr
        line = next(x for x in reversed(out.splitlines()) if x.rstrip().endswith(f" {module}"))
        best = min(best, int(line.split("|")[1]) / 1000)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", help="only histories whose name contains this")
    parser.add_argument("--compare", action="store_true", help="also measure dateparser")
    parser.add_argument("--list", choices=HONESTY_KINDS, help="print the pairs of this kind")
    args = parser.parse_args()
    if not HISTORIES.is_dir():
        print(f"skipped: {HISTORIES} is absent")
        return
    todo = pairs(args.service)
    started = time.perf_counter()
    judged = [judge(*pair) for pair in todo]
    elapsed = time.perf_counter() - started
    files = {p for _, a, b, _ in todo for p in (a, b)}
    texts = [f.read_text(encoding="utf-8") for f in sorted(files)]
    dated = sum(stated_date(t) is not None for t in texts)
    print(f"{len(texts)} versions of {len({n for n, *_ in todo})} policies; {dated} state a "
          f"date ({100 * dated / (len(texts) or 1):.1f} %); {elapsed:.1f} s for "
          f"{len(judged)} pairs")
    table("every pair", judged)
    table("pairs recorded as real changes (not technical)",
          [p for p in judged if p.recorded_as == "change"])
    bump_rate([p for p in judged if p.recorded_as == "change"])
    if args.list:
        for p in judged:
            if p.kind == args.list:
                print(f"  {p.name} {p.old_file}→{p.new_file} material={p.material} "
                      f"{p.old_date} → {p.new_date} ({p.recorded_as})")
    if args.compare:
        compare(texts)


if __name__ == "__main__":
    main()
