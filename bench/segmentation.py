"""Sentence splitters compared on the real histories: splits that fall inside tokens that never
end a sentence ("U.S. law", "EU-U.S. Data Privacy Framework", "e.g. your", "Inc. and", "No. 5",
"Art. 6(1)(f)", decimals, initials, URLs, e-mail addresses), sentences found, and speed.

Run from the repository root:  python bench/segmentation.py [--versions latest|all]
Needs ../shared/corpus/histories (exits 2 with a message when absent). The candidates are the
differ's own splitter (monitor.diff.sentences.split_sentences) and `sentencex` (a maintained
rule-based segmenter; skipped with a note when it is not installed). Each block of light Markdown
is cleaned the way the differ cleans it (clean_inline) before it is split, as production does.
Histories: Open Terms Archive contributors, ODC-By 1.0.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HISTORIES = REPO / ".." / "shared" / "corpus" / "histories"
sys.path.insert(0, str(REPO))

from policywatch.monitor.diff.blocks import split_blocks  # noqa: E402
from policywatch.monitor.diff.sentences import clean_inline, split_sentences  # noqa: E402

_URL_END = r"[^\s.,;:!?)\]\"'\u201d]"
# A split strictly inside one of these spans is wrong (each includes the word after an
# abbreviation when that word shows the sentence goes on).
PROTECTED: dict[str, re.Pattern[str]] = {
    "U.S. + continuation": re.compile(
        r"\bU\.S\.(?= (?:[a-z(]|Data\b|DPF\b|Privacy\b|Department\b|Government\b|Federal\b|"
        r"Framework\b|States?\b|Census\b|Trade\b|Code\b|Patent\b|Copyright\b|Securities\b|"
        r"Supreme\b|Constitution\b|Person\b|Persons\b|Residents?\b))\s\S+"),
    "EU-U.S. / Swiss-U.S.": re.compile(r"\b[A-Z][A-Za-z]*-U\.S\.(?=\s)\s\S+"),
    "e.g. / i.e.": re.compile(r"\b(?:e\.g|i\.e)\.,?\s\S+", re.IGNORECASE),
    "Inc. / Ltd. + lowercase": re.compile(r"\b(?:Inc|Ltd|Corp|Co|LLC|S\.A|B\.V)\.,?\s[a-z(]\S*"),
    "No. 5": re.compile(r"\bNos?\.\s\d+"),
    "Art. 6(1)(f)": re.compile(r"\b(?:Art|Arts|Sec|Para)\.\s\d+(?:\(\w+\))*"),
    "decimal": re.compile(r"\b\d+\.\d+\b"),
    "initials": re.compile(r"(?<![\w.-])(?!U\.S\.)(?:[A-Z]\.\s?){1,3}[A-Z][a-z]+"),
    "URL": re.compile(r"\b(?:https?://|www\.)\S*" + _URL_END),
    "e-mail": re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
}


def _sentencex() -> Callable[[str], list[str]] | None:
    try:
        import sentencex
    except ImportError:
        return None

    def split(text: str) -> list[str]:
        return [s.strip() for s in sentencex.segment("en", text) if s.strip()]
    return split


def lines_of(versions: str) -> list[str]:
    """The cleaned lines of every (or every latest) version, as the differ splits them."""
    texts: list[str] = []
    for history in sorted(HISTORIES.glob("*/*/history.json")):
        listed = json.loads(history.read_text(encoding="utf-8"))["versions"]
        chosen = listed if versions == "all" else listed[-1:]
        for version in chosen:
            path = history.parent / version["file"]
            texts.append(path.read_text(encoding="utf-8"))
    lines: list[str] = []
    for text in texts:
        for block in split_blocks(text):
            lines.extend(clean for line in block.splitlines() if (clean := clean_inline(line)))
    return lines


def boundaries(text: str, pieces: list[str]) -> list[int]:
    """Offsets in `text` where one piece ends and the next begins."""
    found, position = [], 0
    for piece in pieces[:-1]:
        start = text.find(piece, position)
        if start < 0:
            break
        position = start + len(piece)
        found.append(position)
    return found


def wrong_splits(text: str, cuts: list[int]) -> Counter[str]:
    wrong: Counter[str] = Counter()
    if not cuts:
        return wrong
    for name, pattern in PROTECTED.items():
        for match in pattern.finditer(text):
            if any(match.start() < cut < match.end() for cut in cuts):
                wrong[name] += 1
    return wrong


def measure(split: Callable[[str], list[str]], lines: list[str]) -> tuple[Counter[str], int, float]:
    wrong: Counter[str] = Counter()
    sentences = 0
    elapsed = 0.0
    for line in lines:
        start = time.perf_counter()
        pieces = split(line)
        elapsed += time.perf_counter() - start
        sentences += len(pieces)
        wrong += wrong_splits(line, boundaries(line, pieces))
    return wrong, sentences, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", choices=("latest", "all"), default="latest")
    args = parser.parse_args()
    if not HISTORIES.is_dir():
        print(f"bench/segmentation.py: skipped: {HISTORIES.resolve()} is missing (needs the real "
              "histories of ../shared beside the checkout)", file=sys.stderr)
        return 2
    lines = lines_of(args.versions)
    chars = sum(len(line) for line in lines)
    print(f"{len(lines):,} lines ({chars / 1e6:.1f} M chars) from the {args.versions} versions")
    tokens = {name: sum(len(p.findall(line)) for line in lines) for name, p in PROTECTED.items()}
    print("protected tokens: " + ", ".join(f"{n} {c:,}" for n, c in tokens.items()))
    candidates = [("policywatch split_sentences", split_sentences), ("sentencex", _sentencex())]
    for name, split in candidates:
        if split is None:
            print(f"{name}: skipped (not installed)")
            continue
        wrong, sentences, elapsed = measure(split, lines)
        detail = ", ".join(f"{n} {c}" for n, c in wrong.most_common()) or "none"
        print(f"{name}: {sum(wrong.values())} splits inside protected tokens ({detail}); "
              f"{sentences:,} sentences; {elapsed * 1000:.0f} ms "
              f"({chars / elapsed / 1e6:.1f} M chars/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
