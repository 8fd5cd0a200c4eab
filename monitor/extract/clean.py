"""Remove page chrome from a parsed HTML tree, in place, before it is converted to text.

Dropped: non-content elements (script, style, svg, iframe, form controls…), site navigation,
page-level header and footer, asides, hidden elements, cookie/consent banners, skip links and
page-builder chrome (Wix's "top of page" / "bottom of page" regions). The rules are conservative
where a policy could be hit: a policy section about cookies is kept (a banner needs a consent
vendor's name, or a cookie-ish name plus being small and carrying accept/reject controls), and a
hidden element that a button discloses (an accordion panel) is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import html

# Elements whose content is never policy text.
_NEVER_TEXT = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "frame", "frameset",
    "object", "embed", "canvas", "video", "audio", "map", "img", "picture", "source", "track",
    "input", "select", "textarea", "option", "optgroup", "datalist", "output", "progress",
    "meter", "head", "title", "meta", "link", "base",
})
_CHROME_TAGS = frozenset({"nav", "aside", "menu"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search",
                           "menubar", "menu", "toolbar"})
_DIALOG_ROLES = frozenset({"dialog", "alertdialog"})
# A modal by name (a script opens it over the page): a dialog without the role.
_MODAL_NAME = re.compile(r"(^|[\s_-])modal($|[\s_-])", re.IGNORECASE)
# header/footer are page chrome unless they belong to a piece of content (HTML's own rule).
_SECTIONING = frozenset({"article", "main", "section"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Consent-management platforms' own element names: never policy text. (Not "iubenda" or
# "otnotice" alone: those vendors also host whole policies.)
_CONSENT_VENDOR = re.compile(
    r"onetrust|optanon|cookiebot|usercentrics|didomi|truste[-_]|trustarc|"
    r"cky-(consent|modal|preference|banner|overlay)|"
    r"iubenda-cs|osano-cm|qc-cmp|sp_message|cmpbox|cmplz|borlabs|klaro|tarteaucitron|axeptio|"
    r"moove_gdpr|cc-window|cc-banner|cc-revoke",
    re.IGNORECASE,
)
# Generic banner names; a "cookie notice" can also be a whole policy page, hence size limits.
_CONSENT_BANNER_NAME = re.compile(
    r"cookie-?(law|notice|banner|bar|consent|popup|modal|wall|alert|message|overlay)|"
    r"consent-?(banner|manager|popup|modal|bar)|gdpr-?(banner|consent|notice)|eu-cookie",
    re.IGNORECASE,
)
_CONSENT_WORD = re.compile(r"cookie|consent|gdpr|privacy-?banner", re.IGNORECASE)
# A banner offers a decision; "manage settings" alone may be a link inside a policy section.
_CONSENT_DECISION = re.compile(
    r"^\W*(i )?(accept|agree|allow|reject|decline|deny|dismiss|got it|ok|okay|understood)\b",
    re.IGNORECASE)
# Generous: some consent vendors put a long explanation in the banner itself.
_BANNER_MAX_CHARS = 2500
_SHORT_BANNER_CHARS = 1200
_VENDOR_MAX_CHARS = 20_000  # preference centres list every vendor and purpose
_FORM_MAX_CHARS = 1000
_ARIA_HIDDEN_MAX_CHARS = 2000
_ACCORDION = re.compile(r"accordion|collaps|toggle|expand|disclosure", re.IGNORECASE)
# Screen-reader-only text ("opens in a new tab") is invisible on the page.
_SCREEN_READER_ONLY = frozenset({"sr-only", "visually-hidden", "visuallyhidden",
                                 "screen-reader-text", "screenreader-only", "a11y-hidden"})
_SKIP_LINK = re.compile(r"^\s*(skip|jump) (to|navigation)\b|^\s*page contents\s*$", re.IGNORECASE)
_BUILDER_CHROME_TEXT = re.compile(r"^\s*(top|bottom) of page\s*$", re.IGNORECASE)
_BUILDER_CHROME_IDS = frozenset({"scroll_to_top", "scroll_to_bottom", "wix_ads", "site_header",
                                 "site_footer", "skip_to_content_btn"})


def _names(el: html.HtmlElement) -> str:
    """id, class and aria-label of an element, for name-based rules."""
    return " ".join(el.get(a, "") for a in ("id", "class", "aria-label", "data-testid"))


def _short_text(el: html.HtmlElement, limit: int) -> str | None:
    """The element's text if it is at most `limit` characters, else None (without building the
    whole text of big containers: this runs on every div)."""
    size = 0
    parts: list[str] = []
    for piece in el.itertext():
        size += len(piece)
        if size > limit:
            return None
        parts.append(piece)
    return "".join(parts)


def _in_sectioning(el: html.HtmlElement) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in _SECTIONING or parent.get("role") == "main":
            return True
        parent = parent.getparent()
    return False


def _aria_hidden(el: html.HtmlElement) -> bool:
    """aria-hidden hides from screen readers only. On icons and duplicated labels it marks
    what is not content; on a big region it is the page behind an open modal (Meta's sites hide
    the whole policy while the cookie dialog is up), which a reader sees."""
    return (el.get("aria-hidden", "").lower() == "true"
            and _short_text(el, _ARIA_HIDDEN_MAX_CHARS) is not None)


def _is_hidden(el: html.HtmlElement, disclosed_ids: frozenset[str]) -> bool:
    # hidden="until-found" content is findable in the page (accordions use it): visible text.
    hidden = (el.get("hidden") not in (None, "until-found")
              or _aria_hidden(el)
              or bool(_HIDDEN_STYLE.search(el.get("style", "")))
              or not _SCREEN_READER_ONLY.isdisjoint(el.get("class", "").lower().split()))
    # An accordion panel is hidden until its button is pressed: it is still policy text.
    return hidden and el.get("id") not in disclosed_ids


def _has_decision_control(el: html.HtmlElement) -> bool:
    controls = el.xpath(".//button | .//a | .//*[@role='button'] | .//input[@type='button']")
    return any(_CONSENT_DECISION.match(c.text_content() or c.get("value", "")) for c in controls)


def _is_consent_banner(el: html.HtmlElement) -> bool:
    names = _names(el)
    if not names.strip() or el.tag in ("html", "body", "main", "article"):
        return False
    if _CONSENT_VENDOR.search(names):
        return el.find(".//main") is None and _short_text(el, _VENDOR_MAX_CHARS) is not None
    if not _CONSENT_WORD.search(names) or el.find(".//h1") is not None:
        return False  # a banner has no page title; a cookie notice page does
    text = _short_text(el, _BANNER_MAX_CHARS)
    if text is None:
        return False
    if _CONSENT_BANNER_NAME.search(names) and len(text) <= _SHORT_BANNER_CHARS:
        return True  # e.g. "This site uses cookies. ×"
    return _has_decision_control(el)


def _is_chrome_link_or_region(el: html.HtmlElement) -> bool:
    if el.get("id", "").lower() in _BUILDER_CHROME_IDS:
        return True
    label = el.get("aria-label", "")
    if _BUILDER_CHROME_TEXT.match(label):
        return True
    if el.tag in ("a", "span", "div", "p"):
        text = _short_text(el, 40)
        if text is not None and (_BUILDER_CHROME_TEXT.match(text) or (
                el.tag == "a" and el.get("href", "").startswith("#") and _SKIP_LINK.match(text))):
            return True
    return False


def _is_button_chrome(el: html.HtmlElement) -> bool:
    """Buttons are controls, except disclosure buttons that carry accordion headings."""
    if el.get("aria-expanded") is not None or el.get("aria-controls") is not None:
        return False
    if _ACCORDION.search(el.get("class", "")) or el.get("data-toggle") or el.get("data-bs-toggle"):
        return False
    return not any(a.tag in ("h1", "h2", "h3", "h4", "h5", "h6") for a in el.iterancestors())


def should_drop(el: html.HtmlElement, disclosed_ids: frozenset[str]) -> bool:
    """Whether `el` (and everything inside it) is page chrome rather than content."""
    tag = el.tag
    if tag in _NEVER_TEXT or tag in _CHROME_TAGS:
        return True
    if tag == "button":
        return _is_button_chrome(el)
    role = (el.get("role") or "").lower()
    if role in _CHROME_ROLES or (tag in ("header", "footer") and not _in_sectioning(el)):
        return True
    is_dialog = (tag == "dialog" or role in _DIALOG_ROLES
                 or bool(_MODAL_NAME.search(el.get("class", "") + " " + el.get("id", ""))))
    if is_dialog and _short_text(el, _BANNER_MAX_CHARS) is not None:
        return True  # a modal; a whole policy shown in a dialog is kept
    if tag == "form" and _short_text(el, _FORM_MAX_CHARS) is not None:
        return True  # search, sign-up, "was this helpful?"; ASP.NET wraps whole pages in a form
    return (_is_hidden(el, disclosed_ids) or _is_chrome_link_or_region(el)
            or _is_consent_banner(el))


def disclosed_ids(doc: html.HtmlElement) -> frozenset[str]:
    """ids of elements some control shows or hides (aria-controls), i.e. accordion panels."""
    ids: set[str] = set()
    for value in doc.xpath("//@aria-controls"):
        ids.update(str(value).split())
    return frozenset(ids)


def drop_elements(elements: Iterable[html.HtmlElement]) -> None:
    """Remove elements from their tree, keeping the text that follows each one."""
    for el in list(elements):
        if el.getparent() is not None:
            el.drop_tree()


def strip_chrome(root: html.HtmlElement, disclosed: frozenset[str]) -> None:
    """Remove every chrome element below `root` (never `root` itself)."""
    doomed: list[html.HtmlElement] = []
    stack = [c for c in root if isinstance(c.tag, str)]
    # A manual walk so that the inside of a dropped element is never inspected.
    while stack:
        el = stack.pop()
        if should_drop(el, disclosed):
            doomed.append(el)
        else:
            stack.extend(c for c in el if isinstance(c.tag, str))
    drop_elements(doomed)
