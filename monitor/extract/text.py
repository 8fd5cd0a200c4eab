"""Mojibake repair and whitespace tidying of extracted text.

ftfy is configured to repair encoding damage only (``userâ€™s`` → ``user’s``, C1 controls,
lossy sequences) and to leave correct text alone: curly quotes stay curly, ligatures and
full-width characters stay as written (CJK policies use full-width punctuation on purpose), HTML
entities are not decoded a second time, and no Unicode normalisation form is imposed.
"""

from __future__ import annotations

import re

import ftfy

_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    normalization=None,
    explain=False,
)
_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-windows-1252 style damage without touching correct text."""
    return ftfy.fix_text(text, _FTFY)


def tidy_whitespace(text: str) -> str:
    """Normalise line ends, turn non-breaking spaces into spaces, trim trailing spaces, collapse
    runs of blank lines and strip blank lines at both ends. Leading indentation is kept: it carries
    list nesting."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _TRAILING_SPACE.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


def repair_and_tidy(text: str) -> str:
    """The final pass every extraction goes through."""
    return tidy_whitespace(repair_mojibake(text))
