"""check_content(): refuse pages that were fetched fine but are not the policy.

Every rule that looks at markers also demands little policy text, so a real policy served
behind Cloudflare or Incapsula (whose normal pages carry their scripts too), or one that merely
talks about cookies, is never rejected.
"""

from __future__ import annotations

import html as htmlmod
import re

from policywatch.monitor.errors import ContentRejected
from policywatch.monitor.textnorm import normalise_key

from .core import looks_like_html, too_deeply_nested
from .decode import bom_charset, decode_body
from .pdf import PDF_TYPES, PdfUnreadable, is_pdf, pdf_to_text

MIN_TEXT_CHARS = 200
_BOT_MAX_CHARS = 1500
_SOFT_404_MAX_CHARS = 2500
_WALL_MAX_CHARS = 1000
_TEXTISH_TYPES = re.compile(
    r"^(text/|application/(xhtml\+xml|xml|json|ld\+json|markdown)$|application/[\w.+-]+\+xml$)")
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b",
                 b"RIFF", b"\xd0\xcf\x11\xe0")
_UNTYPED = ("", "application/octet-stream", "binary/octet-stream", "application/unknown")
# Only what challenge pages have: normal pages behind these services also load the vendor's
# scripts (Cloudflare's /cdn-cgi/challenge-platform/scripts/jsd/, Incapsula's
# /_Incapsula_Resource script, DataDome's tags.js, PerimeterX's window._pxAppId).
_BOT_MARKERS = (
    ("Cloudflare", re.compile(
        r"<title>\s*just a moment\.\.\.\s*</title>|attention required! \| cloudflare|_cf_chl_opt|"
        r"cf-chl-|/cdn-cgi/challenge-platform/h/|cf-browser-verification|"
        r"checking (if the site connection is secure|your browser before accessing)|"
        r"sorry, you have been blocked")),
    ("Incapsula", re.compile(r"incapsula incident id|<iframe[^>]+_incapsula_resource")),
    ("DataDome", re.compile(r"(geo|ct|interstitial)\.captcha-delivery\.com")),
    ("Akamai", re.compile(
        r"<title>\s*access denied\s*</title>[\s\S]*(edgesuite|reference\s*(#|&#35;))")),
    ("PerimeterX", re.compile(r"id=\"px-captcha\"|press (&amp;|&) hold to confirm")),
)
_TITLE = re.compile(r"<title[^>]*>([\s\S]*?)</title>", re.IGNORECASE)
_H1 = re.compile(r"<h1[^>]*>([\s\S]*?)</h1>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_INVISIBLE_BLOCKS = re.compile(
    r"<(script|style|noscript|template|svg)\b[\s\S]*?</\1\s*>|<!--[\s\S]*?-->", re.IGNORECASE)
_NOT_FOUND = re.compile(
    r"\b(404|page not found|not found|page (you|you're|you are) (looking for|requested)|"
    r"(page|content) (does not|doesn.t|no longer) exists?|can.t find (that|the|this) page|"
    r"could not be found|page (is )?(unavailable|missing))\b", re.IGNORECASE)
_CONSENT_WORDS = re.compile(r"\b(cookies?|consent|partners?|personali[sz]ed (ads|content)|"
                            r"privacy (settings|choices|options)|store and/or access)\b",
                            re.IGNORECASE)
_CONSENT_CALL = re.compile(r"\b(accept( all| cookies)?|reject all|i agree|agree and continue|"
                           r"allow all|manage (cookies|settings|options|preferences)|"
                           r"customi[sz]e (settings|choices)|continue without accepting)\b",
                           re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _binary_problem(body: bytes, content_type: str | None, decoded: str) -> str | None:
    mime = _mime(content_type)
    # A body typed as PDF without being one (checked before) is judged by what it is.
    if mime not in _UNTYPED and mime not in PDF_TYPES and not _TEXTISH_TYPES.match(mime):
        return f"content type {mime!r} is not a text page"
    if body.startswith(_BINARY_MAGIC):
        return "body is a binary file (PDF, image or archive)"
    wide = (bom_charset(body) or "").startswith(("utf-16", "utf-32"))
    head = body[:65536]
    # A stray NUL in a real page happens; binary data has them everywhere.
    if not wide and head.count(b"\x00") > max(1, len(head) // 1000):
        return "body contains NUL bytes"
    sample = decoded[:65536]
    if sample and sample.count("\ufffd") > 0.02 * len(sample):
        return "body does not decode as text"
    return None


def visible_text(page: str) -> str:
    """Rough visible text of an HTML page (scripts, styles and tags removed), for markers only."""
    text = _TAG.sub(" ", _INVISIBLE_BLOCKS.sub(" ", page))
    return " ".join(htmlmod.unescape(text).split())


_BLOCK_TAG = re.compile(
    r"</?(p|div|li|ul|ol|h[1-6]|a|button|nav|header|footer|section|aside|main|article|br|tr|td|"
    r"th|table|form|label|span)\b[^>]*>", re.IGNORECASE)


def visible_lines(page: str) -> str:
    """Visible text with a line break at every block-level or interactive element, so that menu
    items and buttons do not run into the sentence before them."""
    text = _TAG.sub(" ", _BLOCK_TAG.sub("\n", _INVISIBLE_BLOCKS.sub(" ", page)))
    lines = (" ".join(line.split()) for line in htmlmod.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def _bot_vendor(page: str) -> str | None:
    lowered = page[:300_000].lower()
    return next((name for name, marker in _BOT_MARKERS if marker.search(lowered)), None)


def _headlines(page: str, text: str) -> list[str]:
    found = [_TITLE.search(page)] + list(_H1.finditer(page[:300_000]))[:3]
    lines = [visible_text(m.group(1)) for m in found if m]
    return lines + [line.lstrip("# ") for line in text.splitlines()[:3]]


def _consent_share(text: str) -> float:
    sentences = [s for s in _SENTENCE.split(text) if len(s.split()) >= 3]
    if not sentences:
        return 0.0
    return sum(1 for s in sentences if _CONSENT_WORDS.search(s)) / len(sentences)


def _consent_char_share(text: str) -> float:
    """Share of the characters of `text` in sentences about consent."""
    if not text:
        return 0.0
    sentences = _SENTENCE.split(text)
    return sum(len(s) for s in sentences if _CONSENT_WORDS.search(s)) / len(text)


def _is_cookie_wall(page: str, text: str, key_len: int) -> bool:
    if key_len > _WALL_MAX_CHARS:
        return False
    seen = visible_text(page)
    if not (_CONSENT_CALL.search(seen) and _CONSENT_WORDS.search(seen)):
        return False
    # Either the consent request was most of what a reader sees (extraction drops banners, so
    # nothing is left), or what is left is itself mostly about consent. A page of navigation and
    # footer with the usual banner but no content is an empty extraction, not a wall.
    if key_len < MIN_TEXT_CHARS:
        return _consent_char_share(visible_lines(page)) >= 0.35
    return _consent_share(text) >= 0.5


def _check_pdf(body: bytes, text: str, url: str) -> None:
    """A PDF has no markup to judge: it is the policy if it has text. One without a text layer
    (a scan) or that cannot be read will not fix itself."""
    key_len = len(normalise_key(text))
    if key_len >= MIN_TEXT_CHARS:
        return
    try:
        pdf_to_text(body)
    except PdfUnreadable as exc:
        raise ContentRejected(url, "pdf_unreadable", str(exc), transient=False) from exc
    if key_len == 0:
        raise ContentRejected(url, "pdf_without_text", "the PDF has no text layer (a scanned "
                              "document?): policywatch reads text, it does no OCR",
                              transient=False)
    raise ContentRejected(url, "empty_extraction",
                          f"only {key_len} characters of text in the PDF (need {MIN_TEXT_CHARS})")


def check_content(body: bytes, content_type: str | None, text: str, *, url: str) -> None:
    """Raise ContentRejected when a fetched page is not the policy; return None when it is.

    `text` is extract()'s result for the same body. Reasons: binary_content, soft_404,
    too_deeply_nested, pdf_without_text and pdf_unreadable (permanent), bot_check, cookie_wall
    and empty_extraction (transient).
    """
    if is_pdf(body, content_type):
        _check_pdf(body, text, url)
        return
    page = decode_body(body, content_type)
    problem = _binary_problem(body, content_type, page)
    if problem:
        raise ContentRejected(url, "binary_content", problem, transient=False)
    key_len = len(normalise_key(text))
    vendor = _bot_vendor(page) if key_len <= _BOT_MAX_CHARS else None
    if vendor:
        raise ContentRejected(url, "bot_check", f"{vendor} bot check page instead of the policy")
    if key_len <= _SOFT_404_MAX_CHARS:
        hit = next((h for h in _headlines(page, text) if _NOT_FOUND.search(h)), None)
        if hit:
            raise ContentRejected(url, "soft_404", f"page says {hit[:80]!r} ({key_len} chars)",
                                  transient=False)
    if _is_cookie_wall(page, text, key_len):
        raise ContentRejected(url, "cookie_wall", f"page is a consent request ({key_len} chars)")
    if key_len < MIN_TEXT_CHARS and looks_like_html(page, content_type) and (
            too_deeply_nested(page)):
        raise ContentRejected(url, "too_deeply_nested", "the page nests its markup deeper than "
                              "an HTML parser reads, even flattened", transient=False)
    if key_len < MIN_TEXT_CHARS:
        raise ContentRejected(url, "empty_extraction",
                              f"only {key_len} characters of text (need {MIN_TEXT_CHARS})")
