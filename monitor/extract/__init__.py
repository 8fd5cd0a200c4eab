"""HTML → policy text extraction, content checks and suspect-shrink detection (stage 2 of
fetch → extract → store → diff → classify → alert)."""

from __future__ import annotations

from .checks import check_content
from .core import css_error, extract
from .decode import decode_body
from .shrink import is_suspect_shrink

EXTRACTOR_VERSION: int = 2
"""Bumped whenever extract() output changes for the same input; stored with every version.
2: bold-block headings kept as **Title**, the page behind a modal kept, named modals dropped,
deep nesting flattened, PDFs read."""

__all__ = ["EXTRACTOR_VERSION", "check_content", "css_error", "decode_body", "extract",
           "is_suspect_shrink"]
