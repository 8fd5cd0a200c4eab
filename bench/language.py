"""Language detectors compared on real policy texts: the human-cut gold texts of
../shared/corpus/pages, labelled by their page's <html lang> attribute.

Run from the repository root:  python bench/language.py
Needs ../shared/corpus/pages (exits 2 with a message when absent). Candidates: py3langid (what
monitor.extract.language uses) and lingua-language-detector (skipped when not installed). Printed:
accuracy against the lang attribute, median / p95 time per text as production calls it (on the
first LANGUAGE_SAMPLE_CHARS characters), and the resident memory the detector adds once loaded.
Pages: Open Terms Archive contributors, ODC-By 1.0.
"""

from __future__ import annotations

import json
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO / ".." / "shared" / "corpus" / "pages"
sys.path.insert(0, str(REPO))

from policywatch.monitor.extract.language import LANGUAGE_SAMPLE_CHARS, detect_language  # noqa: E402

_LANG_ATTR = re.compile(rb"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", re.IGNORECASE)


def labelled_texts() -> list[tuple[str, str]]:
    found = []
    for entry in json.loads((PAGES / "index.json").read_text(encoding="utf-8")):
        match = _LANG_ATTR.search((PAGES / entry["page"]).read_bytes()[:5000])
        if match:
            gold = (PAGES / entry["gold"]).read_text(encoding="utf-8")
            found.append((match.group(1).decode().lower(), gold))
    return found


def _rss_mb() -> float:
    """Current resident memory (Linux), else the peak."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lingua_detector() -> Callable[[str], str | None] | None:
    try:
        from lingua import LanguageDetectorBuilder
    except ImportError:
        return None
    detector = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()

    def detect(text: str) -> str | None:
        language = detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language else None
    return detect


def run(name: str, make: Callable[[], Callable[[str], str | None] | None],
        texts: list[tuple[str, str]]) -> None:
    before = _rss_mb()
    detect = make()
    if detect is None:
        print(f"{name}: skipped (not installed)")
        return
    detect("warm up the model")
    loaded = _rss_mb() - before
    times, right = [], 0
    for label, text in texts:
        start = time.perf_counter()
        found = detect(text[:LANGUAGE_SAMPLE_CHARS])
        times.append((time.perf_counter() - start) * 1000)
        right += found == label
    ordered = sorted(times)
    print(f"{name}: accuracy {right / len(texts):.3f} ({right}/{len(texts)}), median "
          f"{statistics.median(times):.2f} ms, p95 {ordered[int(0.95 * (len(ordered) - 1))]:.2f} "
          f"ms per text, +{loaded:.0f} MB resident once loaded")


def main() -> int:
    if not (PAGES / "index.json").is_file():
        print(f"bench/language.py: skipped: {PAGES.resolve()} is missing (needs the pages of "
              "../shared beside the checkout)", file=sys.stderr)
        return 2
    texts = labelled_texts()
    languages = sorted({label for label, _ in texts})
    print(f"{len(texts)} texts labelled by <html lang>: {', '.join(languages)}")
    run("py3langid (policywatch.monitor.extract.language)", lambda: detect_language, texts)
    run("lingua (low accuracy mode)", lingua_detector, texts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
