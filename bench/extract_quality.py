"""Extraction quality against a human-chosen gold: Open Terms Archive's pages and the text its
hand-written per-document selectors cut from exactly those pages.

Run from the repository root:  python bench/extract_quality.py [--worst 15] [--only NAME]
Needs ../shared/corpus/pages (skips with exit 2 and a message when absent). The peers
(trafilatura, readability-lxml + html2text) are test-only extras (`pip install -e .[test]`);
a peer that is not installed is reported as skipped.

Per page: bag-of-words precision / recall / F1 of the extracted text against the gold (words
lowercased; Markdown link targets and image sources dropped on both sides, so only what a reader
sees counts). Printed: macro P / R / F1 over pages, pages under 0.8, p50 / p95 time per page, the
worst pages of each extractor, the pages where policywatch reads nothing a peer reads, and the
multi-document pages (the gold is one part of a page holding several documents) with the F1 a
`selector` reaches on them.
Targets for policywatch: F1 >= 0.95, no page at 0 a peer extracts at >= 0.5, p95 <= 80 ms.
Pages: Open Terms Archive contributors (and the Dating Privacy collective), ODC-By 1.0.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO / ".." / "shared" / "corpus" / "pages"
sys.path.insert(0, str(REPO))

from policywatch.monitor.extract import extract  # noqa: E402

# Markdown links and images: keep the text a reader sees, drop the target.
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_BARE_URL = re.compile(r"<https?://[^>]+>")
_WORD = re.compile(r"\w+")

# Pages whose gold is one document of a page that holds several (OTA cuts one part with its
# selector), with the `selector` (and `remove`) a watchlist entry would give to reach that part.
# Found by reading the pages; the F1 they reach is measured below, not asserted.
_CM_LEGAL = ".legal-text-container"
_CM_COOKIES = "#cookiepolicy, #cookiepolicy ~ *"
MULTI_DOCUMENT: dict[str, tuple[str, tuple[str, ...]]] = {
    "dating/ChristianMingle/Privacy_Policy@oldest.html": (_CM_LEGAL, (_CM_COOKIES,)),
    "dating/ChristianMingle/Trackers_Policy@oldest.html": (_CM_COOKIES, ()),
    "dating/Jdate/Privacy_Policy@oldest.html": (_CM_LEGAL, (_CM_COOKIES,)),
    "dating/Jdate/Trackers_Policy@oldest.html": (_CM_COOKIES, ()),
    "dating/Coffee_Meets_Bagel/Copyright_Claims_Policy.html": ("#av_section_4", ()),
    "genai-eu/Le_Chat/Commercial_Terms@oldest.html": ("#partner-served-deployment-terms", ()),
    "genai-eu/Le_Chat/Terms_of_Service@oldest.html": (
        "#terms-of-service, [id^='additional-']", ()),
    "genai-eu/Le_Chat/Trackers_Policy@oldest.html": ("#cookie-policy", ()),
}

Extractor = Callable[[bytes, str], str]


def words(text: str) -> Counter[str]:
    text = _REF_DEF.sub(" ", _BARE_URL.sub(" ", _LINK.sub(r"\1", _IMAGE.sub(r"\1", text))))
    return Counter(w.lower() for w in _WORD.findall(text))


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def score(extracted: str, gold: str) -> Score:
    got, want = words(extracted), words(gold)
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return Score(precision, recall, f1)


def policywatch(body: bytes, content_type: str) -> str:
    return extract(body, content_type=content_type)


def trafilatura_peer() -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def run(body: bytes, content_type: str) -> str:
        return trafilatura.extract(body, output_format="markdown", include_links=False,
                                   include_tables=True, favor_recall=False) or ""
    return run


def readability_peer() -> Extractor | None:
    try:
        import html2text
        from readability import Document
    except ImportError:
        return None

    def run(body: bytes, content_type: str) -> str:
        converter = html2text.HTML2Text()
        converter.body_width = 0
        converter.ignore_links = True
        converter.ignore_images = True
        return str(converter.handle(Document(body.decode("utf-8", "replace")).summary()))
    return run


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Run:
    name: str
    scores: dict[str, Score]
    times_ms: dict[str, float]


def measure(name: str, run: Extractor, pages: list[dict[str, str]]) -> Run:
    scores: dict[str, Score] = {}
    times: dict[str, float] = {}
    for entry in pages:
        body = (PAGES / entry["page"]).read_bytes()
        gold = (PAGES / entry["gold"]).read_text(encoding="utf-8")
        start = time.perf_counter()
        try:
            text = run(body, "text/html")
        except Exception as exc:  # noqa: BLE001 - a peer crashing on a page scores 0 there
            print(f"  {name} failed on {entry['page']}: {type(exc).__name__}: {exc}")
            text = ""
        times[entry["page"]] = (time.perf_counter() - start) * 1000
        scores[entry["page"]] = score(text, gold)
    return Run(name, scores, times)


def summary_row(result: Run) -> str:
    values = list(result.scores.values())
    p = statistics.mean(s.precision for s in values)
    r = statistics.mean(s.recall for s in values)
    f = statistics.mean(s.f1 for s in values)
    under = sum(1 for s in values if s.f1 < 0.8)
    times = list(result.times_ms.values())
    return (f"| {result.name} | {p:.3f} | {r:.3f} | {f:.3f} | {under} | "
            f"{percentile(times, 0.5):.0f} ms | {percentile(times, 0.95):.0f} ms |")


def print_worst(result: Run, count: int) -> None:
    print(f"\n{count} worst pages of {result.name} (F1, P, R, ms):")
    ranked = sorted(result.scores.items(), key=lambda item: item[1].f1)[:count]
    for page, s in ranked:
        print(f"  {s.f1:.3f}  P {s.precision:.3f}  R {s.recall:.3f}  "
              f"{result.times_ms[page]:6.0f} ms  {page}")


def print_zero_pages(ours: Run, peers: list[Run]) -> int:
    """Pages where policywatch scores 0 and a peer reaches 0.5; returns their number."""
    bad = [(page, [(p.name, p.scores[page].f1) for p in peers if p.scores[page].f1 >= 0.5])
           for page, s in ours.scores.items() if s.f1 == 0.0]
    bad = [(page, found) for page, found in bad if found]
    print(f"\npages policywatch reads as 0 while a peer reaches >= 0.5: {len(bad)}")
    for page, found in bad:
        print(f"  {page}: " + ", ".join(f"{name} {f1:.2f}" for name, f1 in found))
    return len(bad)


def print_multi_document(ours: Run) -> None:
    print("\nmulti-document pages (gold is one part of the page): F1 without -> with a selector")
    for page, (selector, remove) in MULTI_DOCUMENT.items():
        if page not in ours.scores:
            continue
        body = (PAGES / page).read_bytes()
        gold = (PAGES / page.removesuffix(".html")).with_suffix(".md").read_text("utf-8")
        text = extract(body, content_type="text/html", selector=selector, remove=remove)
        print(f"  {ours.scores[page].f1:.3f} -> {score(text, gold).f1:.3f}  {page}  "
              f"selector {selector!r}" + (f" remove {list(remove)!r}" if remove else ""))


def gold_repeats_itself(gold: str) -> bool:
    """The gold holds its document twice over (OTA's selectors matched two copies, one of them
    the page's hydration script): a page that shows it once can reach recall 0.5 at most."""
    tokens = [w.lower() for w in _WORD.findall(gold)]
    half = len(tokens) // 2
    if half < 50:
        return False
    first, second = Counter(tokens[:half]), Counter(tokens[half:2 * half])
    return sum((first & second).values()) >= 0.9 * half


def print_excluding_hard(result: Run, pages: list[dict[str, str]]) -> None:
    repeated = [e["page"] for e in pages
                if gold_repeats_itself((PAGES / e["gold"]).read_text(encoding="utf-8"))]
    print(f"\npages whose gold repeats the document twice ({len(repeated)}): "
          + ", ".join(repeated))
    hard = set(repeated) | set(MULTI_DOCUMENT)
    rest = Run(result.name + " (without those and the multi-document pages)",
               {p: s for p, s in result.scores.items() if p not in hard},
               {p: t for p, t in result.times_ms.items() if p not in hard})
    if rest.scores:
        print(summary_row(rest))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worst", type=int, default=15, help="worst pages listed per extractor")
    parser.add_argument("--only", help="measure only this extractor (policywatch, trafilatura, "
                        "readability)")
    parser.add_argument("--pages", help="only pages whose path contains this text")
    args = parser.parse_args()
    index = PAGES / "index.json"
    if not index.is_file():
        print(f"bench/extract_quality.py: skipped: {PAGES.resolve()} is missing (this benchmark "
              "needs the extraction pages of ../shared beside the checkout)", file=sys.stderr)
        return 2
    pages = json.loads(index.read_text(encoding="utf-8"))
    if args.pages:
        pages = [p for p in pages if args.pages in p["page"]]
    candidates: list[tuple[str, Extractor | None]] = [
        ("policywatch", policywatch), ("trafilatura", trafilatura_peer()),
        ("readability-lxml + html2text", readability_peer())]
    runs: list[Run] = []
    for name, run in candidates:
        if args.only and not name.startswith(args.only):
            continue
        if run is None:
            print(f"{name}: skipped (not installed; pip install -e .[test])")
            continue
        run(b"<html><body><p>warm up</p></body></html>", "text/html")
        runs.append(measure(name, run, pages))
    print(f"\n{len(pages)} pages, bag-of-words against OTA's gold, macro over pages")
    print("| extractor | P | R | F1 | pages under 0.8 | p50 | p95 |")
    print("|---|---|---|---|---|---|---|")
    for result in runs:
        print(summary_row(result))
    for result in runs:
        print_worst(result, args.worst)
    ours = next((r for r in runs if r.name == "policywatch"), None)
    if ours is not None:
        print_zero_pages(ours, [r for r in runs if r is not ours])
        print_multi_document(ours)
        print_excluding_hard(ours, pages)
    print("\ntargets for policywatch: F1 >= 0.95, no page at 0 that a peer extracts at >= 0.5, "
          "p95 <= 80 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
