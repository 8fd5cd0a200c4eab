"""PDF policies: the text layer of a PDF as light Markdown paragraphs.

pdfminer.six reads the text with its layout analysis, which groups lines into paragraphs (text
boxes) the way they are laid out on the page; pypdf, measured beside it (bench/pdf_extract.py),
is faster but gives bare lines, so paragraphs and headings (what the differ's sections are made
of) would have to be guessed. Inside a paragraph, lines are joined and words hyphenated across a
line end are rejoined. A PDF without a text layer (a scan) gives "" and check_content names it.
"""

from __future__ import annotations

import io
import logging
import re

PDF_MAGIC = b"%PDF-"
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
_HYPHENATED = re.compile(r"(\w)-\n(?=[a-z])")
_CLOSED = re.compile(r"[.!?:;)\u201d\"']$")
_FULL_LINE = 0.8
_PAGE_NUMBER = re.compile(r"^\s*(page\s+)?\d{1,4}(\s*(/|of)\s*\d{1,4})?\s*$", re.IGNORECASE)

# pdfminer logs every odd object of a malformed file at WARNING: the failure is reported once.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


class PdfUnreadable(ValueError):
    """The file is not a PDF that can be read (broken, or encrypted without an open password)."""


_OTHER_MEDIA = ("image/", "audio/", "video/", "font/", "model/")


def is_pdf(body: bytes, content_type: str | None) -> bool:
    """A PDF by its magic number (readers accept it within the first KB), unless the server
    says it is other media. A body declared as PDF without the magic (an HTML error page
    served with the PDF's type) is judged as what it is."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if body.lstrip()[:5] == PDF_MAGIC:
        return not mime.startswith(_OTHER_MEDIA)
    return mime in PDF_TYPES and PDF_MAGIC in body[:1024]


def _paragraph(box: str) -> str:
    text = _HYPHENATED.sub(r"\1", box.strip())
    return " ".join(text.split())


def _full_line_share(boxes: list[str]) -> float:
    """The length of a full line of text: the 90th percentile of line lengths."""
    lengths = sorted(len(line.strip()) for box in boxes for line in box.splitlines()
                     if line.strip())
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _merged(boxes: list[str]) -> list[str]:
    """Join a box to the next when it ends in a full line without closing punctuation: the
    paragraph runs on (justified text and page breaks split one paragraph into boxes)."""
    full = _full_line_share(boxes)
    merged: list[str] = []
    for box in boxes:
        if merged:
            last = merged[-1].rstrip().rsplit("\n", 1)[-1].strip()
            if len(last) >= _FULL_LINE * full and not _CLOSED.search(last):
                merged[-1] = merged[-1].rstrip() + "\n" + box
                continue
        merged.append(box)
    return merged


def paragraphs_to_text(boxes: list[str]) -> str:
    """Light Markdown from the text boxes of a PDF: one paragraph per box (boxes of one
    paragraph rejoined), page numbers and empty boxes dropped."""
    boxes = [b for b in boxes if b.strip() and not _PAGE_NUMBER.match(b)]
    return "\n\n".join(p for p in (_paragraph(b) for b in _merged(boxes)) if p)


def pdf_to_text(body: bytes) -> str:
    """The text layer of a PDF as paragraphs; "" when it has none (a scanned document). Raises
    PdfUnreadable for a file that cannot be read at all."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    boxes: list[str] = []
    try:
        for page in extract_pages(io.BytesIO(body), laparams=LAParams()):
            boxes.extend(el.get_text() for el in page if isinstance(el, LTTextContainer))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise PdfUnreadable(f"the PDF is encrypted: {exc or type(exc).__name__}") from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise PdfUnreadable(f"the PDF cannot be read: {exc or type(exc).__name__}") from exc
    return paragraphs_to_text(boxes)
