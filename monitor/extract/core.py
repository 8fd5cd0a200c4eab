"""extract(): page body → light Markdown policy text.

Steps for HTML: parse with lxml, delete the caller's `remove` matches, pick the content root(s)
(the caller's `selector`, else <main> / role="main" / <article> unless that is tiny next to the
body, else <body>), strip chrome inside the roots, convert to Markdown, repair mojibake, tidy
whitespace. text/plain and Markdown skip the HTML steps.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree, html

from policywatch.monitor.selectors import compiled as _compiled
from policywatch.monitor.selectors import css_error as css_error

from .clean import disclosed_ids, drop_elements, strip_chrome
from .decode import decode_body
from .markdown import to_markdown
from .pdf import PdfUnreadable, is_pdf, pdf_to_text
from .text import repair_and_tidy

_HTML_TYPES = ("html", "xml")
_PLAIN_TYPES = ("text/plain", "text/markdown", "text/x-markdown")
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(r"<(p|div|br|h[1-6]|table|ul|ol|li|span|a\s)[\s>/]", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_ROOT_CANDIDATES = "//main | //*[@role='main'] | //article"
# A <main>/<article> holding less than this share of the body's text is a fragment (a page
# title, a teaser) while the policy sits elsewhere: read the whole body instead.
_MIN_ROOT_SHARE = 0.3
_MIN_ROOT_CHARS = 200


def looks_like_html(text: str, content_type: str | None) -> bool:
    """HTML by content type, or by sniffing when the type is missing, generic or text/plain."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if any(t in mime for t in _HTML_TYPES):
        return True
    head = text[:2048]
    if _HTML_START.match(head):
        return True
    return mime not in _PLAIN_TYPES and len(_HTML_TAGS.findall(head)) >= 3


def _text_size(el: html.HtmlElement) -> int:
    return len("".join(el.text_content().split()))


def _document_roots(doc: html.HtmlElement, disclosed: frozenset[str]) -> list[html.HtmlElement]:
    body = doc.find("body")
    if body is None:
        body = doc
    strip_chrome(body, disclosed)
    candidates = [el for el in doc.xpath(_ROOT_CANDIDATES) if isinstance(el.tag, str)]
    chosen = set(candidates)
    outermost = [el for el in candidates if not any(a in chosen for a in el.iterancestors())]
    sizes = {el: _text_size(el) for el in outermost}
    if sum(1 for size in sizes.values() if size >= _MIN_ROOT_CHARS) != 1:
        return [body]  # none, or several pieces of content side by side: keep them all
    best = max(outermost, key=sizes.__getitem__)
    best_size, body_size = sizes[best], _text_size(body)
    if best_size >= _MIN_ROOT_CHARS and best_size >= _MIN_ROOT_SHARE * body_size:
        return [best]
    return [body]


def _selected_roots(doc: html.HtmlElement, selector: str,
                    disclosed: frozenset[str]) -> list[html.HtmlElement]:
    matches = _compiled(selector)(doc)
    chosen = set(matches)
    # A match inside another match is already part of it: keep outermost, in document order.
    roots = [m for m in matches if not any(a in chosen for a in m.iterancestors())]
    for root in roots:
        strip_chrome(root, disclosed)
    return roots


# libxml2 stops reading at 256 levels of nesting (2,048 with huge_tree) and drops the rest.
_TOO_DEEP = "Excessive depth"
# Containers a page can nest without end; as <p> they cannot nest (each closes the one before).
# A run of such tags becomes one paragraph break.
_NESTABLE_TAGS = re.compile(r"(?:</?(?:div|section|article|main|aside|span|font|center|"
                            r"blockquote|b|i|em|strong|u|small|big|a|ul|ol|li|dl|dd|table|tbody|"
                            r"tr|td)\b[^>]*>\s*)+", re.IGNORECASE)


def _parse_once(text: str) -> tuple[html.HtmlElement | None, bool]:
    """(document, whether the parser gave up on its nesting depth)."""
    parser = html.HTMLParser()
    try:
        doc = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None, False
    return doc, any(_TOO_DEEP in entry.message for entry in parser.error_log)


def too_deeply_nested(text: str) -> bool:
    """Whether even the flattened page nests deeper than the HTML parser reads."""
    text = _XML_DECLARATION.sub("", text, count=1)
    if not _parse_once(text)[1]:
        return False
    return _parse_once(_NESTABLE_TAGS.sub("<p>", text))[1]


def _parse(text: str) -> html.HtmlElement | None:
    # lxml refuses str input that carries an XML encoding declaration (XHTML pages do).
    text = _XML_DECLARATION.sub("", text, count=1)
    doc, too_deep = _parse_once(text)
    if too_deep:
        # Absurd nesting (100,000 <div>s) would lose the text: read it flattened instead.
        doc, too_deep = _parse_once(_NESTABLE_TAGS.sub("<p>", text))
        if too_deep:
            return None  # check_content names it: too_deeply_nested
    return doc


def html_to_markdown(text: str, *, selector: str | None = None,
                     remove: Sequence[str] = ()) -> str:
    """Markdown of an HTML document (before mojibake repair and whitespace tidying)."""
    doc = _parse(text)
    if doc is None:
        return ""
    for pattern in remove:
        drop_elements(_compiled(pattern)(doc))
    disclosed = disclosed_ids(doc)
    if selector:
        roots = _selected_roots(doc, selector, disclosed)
    else:
        roots = _document_roots(doc, disclosed)
    try:
        return to_markdown(roots)
    except RecursionError:  # absurdly deep markup: plain text beats nothing
        return "\n\n".join(r.text_content() for r in roots)


def extract(body: bytes | str, *, content_type: str | None = None, selector: str | None = None,
            remove: Sequence[str] = ()) -> str:
    """Light Markdown policy text of a fetched page.

    HTML (by content type or sniffed) is converted; a PDF (by type or magic) gives its text
    layer; text/plain and Markdown pass through. All get mojibake repair and whitespace
    tidying. Raises ValueError for an invalid `selector` or `remove` pattern (validate them
    with css_error first). A selector that matches nothing gives
    "" (check_content then rejects the page as an empty extraction).
    """
    for pattern in ([selector] if selector else []) + list(remove):
        problem = css_error(pattern)
        if problem:
            raise ValueError(problem)
    if isinstance(body, bytes) and is_pdf(body, content_type):
        try:
            return repair_and_tidy(pdf_to_text(body))
        except PdfUnreadable:
            return ""  # check_content says why
    text = decode_body(body, content_type) if isinstance(body, bytes) else body
    if looks_like_html(text, content_type):
        text = html_to_markdown(text, selector=selector, remove=remove)
    return repair_and_tidy(text)
