"""Realistic web pages for tests (policy pages, bot checks, cookie walls, soft 404s).

Main entry point: ``policy_page(text, title=..., style=..., chrome=..., bullet=...)`` renders a
policy (plain text or light Markdown, e.g. a seed or a history version) into a complete HTML
page with the chrome real sites have: doctype, head with meta charset, styles and tracking
scripts, a skip link, a cookie banner, a header with a nav menu, the policy, an aside, a footer
with links, a newsletter form and a copyright line, a hidden modal, noscript and template
elements.

- ``style="standard"``: semantic HTML, the policy in ``<main><article>`` (with a breadcrumb,
  sometimes an "On this page" nav, a print button and a "Was this helpful?" form around it).
- ``style="pagebuilder"``: a Wix-like page (div soup, ``top of page`` / ``bottom of page``
  regions, Wix ads banner, no ``<main>``).
- ``chrome=N``: a different page chrome (nav items, footer year, tracking ids, script
  contents, banner vendor and text, promo text, asset hashes), never a different policy. Pages
  with the same text and style but different ``chrome`` must extract to the same key.
- ``bullet="-"`` renders unordered lists as ``<ul><li>``; any other string renders each item
  as a paragraph starting with that string and a space (``"•"`` → ``<p>• item</p>``).

Lines that are page-builder artefacts of an earlier extraction (``top of page``, ``bottom of
page``, ``page contents …``; seed ``002_…`` has them) are not policy text: the renderer drops them
(see ``policy_text``) and the pagebuilder style recreates them as the chrome they were.

Real data: ``seed_texts()`` reads ``../shared/corpus/seeds`` and calls ``pytest.skip`` (with the
reason) when that directory is absent, so call it from a test or fixture, not at import time.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
from pathlib import Path

import pytest

from .policy_markup import Block, Markup, parse_policy
from .special_pages import bot_check_page, cookie_wall_page, soft_404_page

__all__ = ["BOT_VENDORS", "SAMPLE_POLICY", "bot_check_page", "cookie_wall_page", "policy_page",
           "policy_text", "seed_texts", "shared_dir", "soft_404_page"]

BOT_VENDORS = ("cloudflare", "cloudflare_block", "incapsula", "datadome", "akamai", "perimeterx")
SITE = "Northwind Health"
_ARTEFACT_LINE = re.compile(r"^\s*(top of page|bottom of page|page contents\b.*)\s*$",
                            re.IGNORECASE | re.MULTILINE)
_NAV_POOL = ("Home", "Products", "Solutions", "Pricing", "About us", "Careers", "Blog",
             "Customers", "Partners", "Support", "Contact", "Resources", "Press", "Log in")
_PROMOS = ("Free shipping on orders over $50", "New: our 2024 impact report is out",
           "Join our webinar on patient data on Thursday", "We are hiring in Lisbon and Austin")
_BANNERS = (
    "We use cookies to improve your experience, analyse traffic and personalise content.",
    "This website uses cookies. By clicking Accept you agree to our use of cookies.",
    "We and our partners use cookies and similar technologies for analytics and ads.",
    "Cookies help us deliver our services. Choose which ones you allow.",
)
_RELATED = ("Terms of Service", "Cookie Policy", "Accessibility", "Security", "Trust Center",
            "Data Processing Addendum", "Subprocessors")


# A made-up policy in light Markdown, for tests that must run without ../shared.
SAMPLE_POLICY = """# Privacy Policy

Last updated: 1 March 2024

Northwind Health, Inc. (“Northwind”, “we”, “us”) respects your privacy. This policy explains \
which personal information we collect when you use our website and apps, how we use it, with \
whom we share it and which choices you have.

## 1. Information we collect

We collect information you give us and information we receive automatically:

- Account information, such as your name, e-mail address and password.
- Health information you choose to enter, such as appointments and medication reminders.
  - We only process health information with your explicit consent.
- Device information, such as your IP address, browser type and operating system.

## 2. How we use information

1. To provide, maintain and improve the services.
2. To send you service messages and, where you agreed, newsletters.
3. To protect the security of our users and prevent fraud.

## 3. Sharing

| Recipient | Purpose | Legal basis |
| --- | --- | --- |
| Hosting providers | Storing data | Contract |
| Payment processors | Billing | Contract |
| Public authorities | Legal requests | Legal obligation |

We do not sell your personal information.

## 4. Retention and your rights

We keep account information while your account is open and for 30 days after you close it. \
You may access, correct or delete your information, object to processing, or ask for a copy \
in a portable format by writing to privacy@northwind-health.example.
"""  # (backslash-newline joins a paragraph's source lines)


def shared_dir() -> Path:
    """``../shared`` beside the repository checkout (may not exist)."""
    return Path(__file__).resolve().parents[2] / ".." / "shared"


def seed_texts() -> dict[str, str]:
    """The five seed policies by file stem; ``pytest.skip`` when ../shared is absent."""
    seeds = shared_dir() / "corpus" / "seeds"
    files = sorted(seeds.glob("*.txt")) if seeds.is_dir() else []
    if not files:
        pytest.skip(f"real seed policies not available ({seeds} is missing)")
    return {f.stem: f.read_text(encoding="utf-8") for f in files}


def policy_text(text: str) -> str:
    """The policy part of a text: without page-builder artefact lines."""
    return _ARTEFACT_LINE.sub("", text)


class _Chrome:
    """Everything about a page that is not the policy, drawn from `chrome` deterministically."""

    def __init__(self, chrome: int) -> None:
        rng = random.Random(f"policywatch-chrome-{chrome}")
        self.n = chrome
        self.nav = rng.sample(_NAV_POOL, rng.randint(4, 8))
        self.year = 2019 + chrome % 8
        self.ga_id = "G-" + "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=10))
        self.asset = hashlib.sha1(f"asset-{chrome}".encode()).hexdigest()[:12]
        self.banner_kind = chrome % 4
        self.banner_text = _BANNERS[rng.randrange(len(_BANNERS))]
        self.banner_first = rng.random() < 0.5
        self.promo = rng.choice(_PROMOS)
        self.related = rng.sample(_RELATED, 3)
        self.toc = rng.random() < 0.5
        self.feedback = rng.random() < 0.5
        self.visitors = rng.randint(1000, 99999)

    def nav_html(self, label: str) -> str:
        links = "".join(
            f'<li><a href="/{_slug(item)}">{html.escape(item)}</a></li>' for item in self.nav)
        return f'<nav aria-label="{label}"><ul class="menu">{links}</ul></nav>'

    def head_scripts(self) -> str:
        return f"""<link rel="stylesheet" href="/assets/site.{self.asset}.css">
<style>.cookie-banner{{position:fixed;bottom:0;left:0;right:0;background:#222;color:#fff}}
.skip-link{{position:absolute;left:-999px}} body{{font-family:system-ui,sans-serif}}</style>
<script async src="https://www.googletagmanager.com/gtag/js?id={self.ga_id}"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}
gtag('js',new Date());gtag('config','{self.ga_id}',{{anonymize_ip:true}});
window.__BUILD__={{"hash":"{self.asset}","visitors":{self.visitors}}};</script>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"WebPage",
"name":"{SITE}","dateModified":"{self.year}-01-0{1 + self.n % 9}"}}</script>"""

    def banner(self) -> str:
        text = html.escape(self.banner_text)
        buttons = ('<button class="accept">Accept all</button>'
                   '<button class="reject">Reject all</button>'
                   '<a href="/cookie-settings">Cookie settings</a>')
        if self.banner_kind == 0:
            return (f'<div id="cookie-banner" class="cookie-banner" role="region" '
                    f'aria-label="Cookie consent"><p>{text}</p>{buttons}</div>')
        if self.banner_kind == 1:
            return (f'<div id="onetrust-consent-sdk"><div id="onetrust-banner-sdk" '
                    f'class="otFlat"><div class="ot-sdk-container"><p id="onetrust-policy-text">'
                    f'{text} <a href="/cookies">Cookie Policy</a></p>'
                    f'<button id="onetrust-accept-btn-handler">Accept All Cookies</button>'
                    f'<button id="onetrust-pc-btn-handler">Cookies Settings</button>'
                    f"</div></div></div>")
        if self.banner_kind == 2:
            return (f'<div aria-live="polite" aria-label="cookieconsent" '
                    f'class="cc-window cc-banner cc-type-info cc-bottom"><span '
                    f'id="cookieconsent:desc" class="cc-message">{text}</span><div '
                    f'class="cc-compliance"><a role="button" class="cc-btn cc-dismiss">Got it!'
                    f"</a></div></div>")
        return (f'<div class="gdpr-notice" data-version="{self.n}"><p>{text}</p>'
                f'<a href="#" class="btn" role="button">OK</a> '
                f'<a href="/privacy">Read more</a></div>')


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _standard(policy: str, title: str, chrome: _Chrome, headings: list[str]) -> str:
    toc = ""
    if chrome.toc and headings:
        links = "".join(f'<li><a href="#{_slug(h)}">{html.escape(h)}</a></li>'
                        for h in headings[:12])
        toc = (f'<nav class="toc" aria-label="On this page"><h2>On this page</h2>'
               f"<ul>{links}</ul></nav>")
    feedback = ('<form class="feedback" action="/feedback" method="post"><p>Was this page '
                'helpful?</p><button name="v" value="1">Yes</button><button name="v" '
                'value="0">No</button></form>') if chrome.feedback else ""
    related = "".join(f'<li><a href="/{_slug(r)}">{html.escape(r)}</a></li>'
                      for r in chrome.related)
    banner = chrome.banner()
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} | {SITE}</title>
{chrome.head_scripts()}
</head>
<body class="page-legal page-{chrome.n}">
<a class="skip-link" href="#content">Skip to content</a>
{banner if chrome.banner_first else ""}
<header class="site-header">
<a class="logo" href="/"><svg width="24" height="24" aria-hidden="true"><title>{SITE}</title>
<circle cx="12" cy="12" r="10"/></svg><span>{SITE}</span></a>
{chrome.nav_html("Main")}
<div class="promo"><p>{html.escape(chrome.promo)} <a href="/news">Learn more</a></p></div>
</header>
<main id="content">
<nav aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/legal">Legal</a>
</li><li aria-current="page">{html.escape(title)}</li></ol></nav>
{toc}
<article class="policy">
{policy}
</article>
<button class="print" onclick="window.print()">Print this page</button>
{feedback}
</main>
<aside class="sidebar"><h2>Related documents</h2><ul>{related}</ul></aside>
<footer class="site-footer">
{chrome.nav_html("Footer")}
<form class="newsletter" action="/subscribe"><label for="nl-email">Get our newsletter</label>
<input id="nl-email" type="email" placeholder="you@example.com"><button>Subscribe</button></form>
<p>&copy; {chrome.year} {SITE}, Inc. All rights reserved.</p>
</footer>
<div id="signup-modal" class="modal" style="display:none"><h2>Stay in touch</h2>
<p>Sign up for {chrome.visitors} tips a year.</p></div>
{"" if chrome.banner_first else banner}
<noscript><img src="https://px.example.net/{chrome.ga_id}.gif" alt=""></noscript>
<template id="row-tpl"><div class="row">{{{{name}}}}</div></template>
<script src="/assets/app.{chrome.asset}.js" defer></script>
</body>
</html>
"""


def _pagebuilder(sections: list[str], title: str, chrome: _Chrome) -> str:
    comps = "\n".join(
        f'<section id="comp-k{i:03d}" class="wixui-section"><div id="comp-r{i:03d}" '
        f'class="HcOXKn c9GqVL QxJLC3 comp-r{i:03d} wixui-rich-text" '
        f'data-testid="richTextElement">\n{body}\n</div></section>'
        for i, body in enumerate(sections))
    menu = "".join(f'<li class="wixui-dropdown-menu__item"><a href="/{_slug(item)}">'
                   f'<p class="wixui-dropdown-menu__item">{html.escape(item)}</p></a></li>'
                   for item in chrome.nav)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset='utf-8'>
<meta name="generator" content="Wix.com Website Builder">
<title>{html.escape(title)} | {SITE}</title>
<script>window.viewerModel={{"siteId":"{chrome.asset}","requestId":"{chrome.ga_id}",
"visitorId":{chrome.visitors}}};</script>
<style>.font_0{{font:normal normal bold 40px/1.4em raleway}} .font_8{{font:15px/1.6em
helvetica}} #SITE_CONTAINER{{min-height:100%}}</style>
{chrome.head_scripts()}
</head>
<body>
<div id="SITE_CONTAINER"><div id="main_MF" class="main_MF">
<div id="SCROLL_TO_TOP" class="Vd6aQZ ignore-focus SCROLL_TO_TOP" role="region" tabindex="-1"
aria-label="top of page"><span class="mHZSwn">top of page</span></div>
<div id="BACKGROUND_GROUP"><div id="pageBackground_x1" class="pageBackground"></div></div>
<div id="site-root"><div id="masterPage" class="mesh-layout">
<header id="SITE_HEADER" class="xU8fqS SITE_HEADER wixui-header" tabindex="-1">
<div class="comp-logo"><a href="/"><div class="font_2"><span>{SITE}</span></div></a></div>
<nav id="comp-menu" class="wixui-horizontal-menu" aria-label="Site"><ul>{menu}</ul></nav>
</header>
<div id="PAGES_CONTAINER" tabindex="-1"><div id="SITE_PAGES"><div id="pg{chrome.asset[:5]}"
class="dBAkHi theme-vars"><div class="PFkO7r wixui-page">
{comps}
</div></div></div></div>
<footer id="SITE_FOOTER" class="xU8fqS SITE_FOOTER wixui-footer" tabindex="-1">
<div class="font_9"><p>&copy; {chrome.year} by {SITE}. Proudly created with Wix.com</p>
<p>{html.escape(chrome.promo)}</p></div></footer>
</div></div>
<div id="SCROLL_TO_BOTTOM" class="Vd6aQZ ignore-focus SCROLL_TO_BOTTOM" role="region"
tabindex="-1" aria-label="bottom of page"><span class="mHZSwn">bottom of page</span></div>
</div></div>
<div id="WIX_ADS" class="consentOnWixAds"><a href="https://www.wix.com/?utm_campaign=vir_wixad">
<span>This site was designed with the <strong>Wix</strong> website builder. Create your website
today.</span><span>Start Now</span></a></div>
{chrome.banner()}
</body>
</html>
"""


def _split_sections(markup: Markup, blocks: list[Block]) -> list[str]:
    """Wix puts each part of the text in its own rich-text component: split at h1/h2."""
    sections: list[list[str]] = [[]]
    for block in blocks:
        if block.kind == "heading" and block.level <= 2 and sections[-1]:
            sections.append([])
        sections[-1].append(markup.block(block))
    return ["\n".join(s) for s in sections if s]


def policy_page(text: str, *, title: str = "Privacy Policy", style: str = "standard",
                chrome: int = 0, bullet: str = "-") -> str:
    """A complete, realistic HTML page showing the policy `text` (see the module docstring)."""
    markup = Markup(style, bullet)
    blocks = parse_policy(policy_text(text))
    page_chrome = _Chrome(chrome)
    if markup.wix:
        return _pagebuilder(_split_sections(markup, blocks), title, page_chrome)
    headings = [b.text for b in blocks if b.kind == "heading" and b.level == 2]
    return _standard(markup.blocks(blocks), title, page_chrome, headings)
