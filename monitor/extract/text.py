"""Mojibake repair and whitespace tidying of extracted text.

ftfy is configured to repair encoding damage only (``userâ€™s`` → ``user’s``, C1 controls,
lossy sequences) and to leave correct text alone: curly quotes stay curly, ligatures and
full-width characters stay as written (CJK policies use full-width punctuation on purpose), HTML
entities are not decoded a second time, and no Unicode normalisation form is imposed.
"""

from __future__ import annotations

import re
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ftfy


@cache
def _ftfy() -> tuple[ModuleType, ftfy.TextFixerConfig]:
    """ftfy and its configuration, imported at the first suspect line: the import costs ~40 ms
    of start-up (python -X importtime) and most texts never need it."""
    import ftfy

    return ftfy, ftfy.TextFixerConfig(
        unescape_html=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        normalization=None,
        explain=False,
    )


# Mojibake of UTF-8 read as windows-1252/latin-1 always shows a lead byte (Â..ô) followed by a
# continuation byte (U+0080..U+00BF or its windows-1252 reading); ftfy also removes C0/C1
# controls. Only lines showing one of these go through ftfy: it costs ~1 s per MB of text.
_SUSPECT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122\ufffd]|[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]"
)
_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-windows-1252 style damage without touching correct text."""
    pieces: list[str] = []
    done = 0  # text[:done] is already in pieces
    for match in _SUSPECT.finditer(text):
        if match.start() < done:
            continue  # inside a line already repaired
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        pieces.append(text[done:start])
        fixer, config = _ftfy()
        pieces.append(fixer.fix_text(text[start:end], config))
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


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
