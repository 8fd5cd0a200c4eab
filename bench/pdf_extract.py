"""pypdf against pdfminer.six on policy PDFs made here from the real seed policies.

Run from the repository root:  python bench/pdf_extract.py
Needs ../shared/corpus/seeds (exits 2 with a message when absent) and the test-only extra fpdf2
(the PDF writer). Each seed policy is written as a PDF in two layouts (A4 with bold headings and
page numbers; Letter, smaller type, justified), then read back by both libraries. Printed per
library: bag-of-words F1 against the source text, paragraph recall (share of the source's
paragraphs that come back as exactly one paragraph: what the differ's units and sections are
made of), and the median time per PDF. pypdf gives bare lines, so it gets a fair reflow: a line
ending a sentence well short of the line width, or a short line without end punctuation,
closes a paragraph.
"""

from __future__ import annotations

import io
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / ".." / "shared" / "corpus" / "seeds"
sys.path.insert(0, str(REPO))

from bench.extract_quality import score  # noqa: E402
from policywatch.monitor.extract.pdf import paragraphs_to_text, pdf_to_text  # noqa: E402

_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
_END = re.compile(r"[.!?:;]$")


def source_paragraphs(text: str) -> list[str]:
    """Paragraphs split at blank lines (at line ends when the text has no blank lines)."""
    parts = text.split("\n\n") if "\n\n" in text.strip() else text.splitlines()
    return [" ".join(p.split()) for p in parts if p.strip()]


def make_pdf(paragraphs: list[str], layout: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4" if layout == "a4" else "Letter")
    unicode_font = _FONT.is_file() and _FONT_BOLD.is_file()
    if unicode_font:
        pdf.add_font("body", "", str(_FONT))
        pdf.add_font("body", "B", str(_FONT_BOLD))
    family = "body" if unicode_font else "Helvetica"
    pdf.add_page()
    for para in paragraphs:
        text = para if unicode_font else para.encode("latin-1", "replace").decode("latin-1")
        heading = len(para) < 90 and not _END.search(para)
        pdf.set_font(family, "B" if heading else "", 12 if heading else (10 if layout == "a4"
                                                                        else 9))
        pdf.multi_cell(0, 5, text, align="L" if heading or layout == "a4" else "J")
        pdf.ln(3)
    return bytes(pdf.output())


def pypdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    lines: list[str] = []
    for page in PdfReader(io.BytesIO(body)).pages:
        lines.extend(page.extract_text().splitlines())
    width = max((len(line) for line in lines), default=0)
    boxes, current = [], []
    for line in lines:
        current.append(line)
        short = len(line.strip()) < 0.8 * width
        if short and (_END.search(line.strip()) or len(line.strip()) < 90):
            boxes.append("\n".join(current))
            current = []
    boxes.append("\n".join(current))
    return paragraphs_to_text(boxes)


def paragraph_recall(text: str, paragraphs: list[str]) -> float:
    found = set(source_paragraphs(text))
    return sum(1 for p in paragraphs if p in found) / len(paragraphs)


def main() -> int:
    if not SEEDS.is_dir():
        print(f"bench/pdf_extract.py: skipped: {SEEDS.resolve()} is missing (needs the seed "
              "policies of ../shared beside the checkout)", file=sys.stderr)
        return 2
    try:
        import fpdf  # noqa: F401
    except ImportError:
        print("bench/pdf_extract.py: skipped: fpdf2 is not installed (pip install -e .[test])",
              file=sys.stderr)
        return 2
    readers: list[tuple[str, Callable[[bytes], str]]] = [
        ("pdfminer.six (layout analysis)", pdf_to_text), ("pypdf (+ reflow)", pypdf_text)]
    documents = []
    for seed in sorted(SEEDS.glob("*.txt")):
        paragraphs = source_paragraphs(seed.read_text(encoding="utf-8"))
        for layout in ("a4", "letter"):
            documents.append((f"{seed.stem[:3]}-{layout}", paragraphs,
                              make_pdf(paragraphs, layout)))
    print(f"{len(documents)} PDFs from {len(documents) // 2} seed policies "
          f"({sum(len(d[2]) for d in documents) // 1024} KB)")
    for name, read in readers:
        f1s, recalls, times = [], [], []
        for _doc, paragraphs, body in documents:
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                text = read(body)
                runs.append((time.perf_counter() - start) * 1000)
            times.append(statistics.median(runs))
            f1s.append(score(text, "\n\n".join(paragraphs)).f1)
            recalls.append(paragraph_recall(text, paragraphs))
        print(f"{name}: bag-of-words F1 {statistics.mean(f1s):.3f} (min {min(f1s):.3f}), "
              f"paragraph recall {statistics.mean(recalls):.3f} (min {min(recalls):.3f}), "
              f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms per PDF")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
