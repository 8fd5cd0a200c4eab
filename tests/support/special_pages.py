"""Pages a fetch can get instead of the policy: bot checks, cookie walls, soft 404s.

Modelled on what these services really send (titles, ids, script names, wording), with
made-up hosts and ids. Re-exported by tests.support.pages.
"""

from __future__ import annotations

_CLOUDFLARE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta http-equiv="X-UA-Compatible" content="IE=Edge"><meta name="robots" content="noindex,nofollow">
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>*{box-sizing:border-box;margin:0;padding:0}html{line-height:1.15}body{display:flex;
flex-direction:column;height:100vh;min-height:100vh}.main-content{margin:8rem auto;max-width:60rem}
</style><meta http-equiv="refresh" content="390"></head>
<body class="no-js"><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">www.northwind-health.example</h1>
<h2 id="challenge-running" class="h2">Checking if the site connection is secure</h2>
<noscript><div id="challenge-error-title"><div class="h2"><span id="challenge-error-text">
Enable JavaScript and cookies to continue</span></div></div></noscript>
<div id="challenge-body-text" class="core-msg spacer">www.northwind-health.example needs to review
the security of your connection before proceeding.</div></div></div>
<script>(function(){window._cf_chl_opt={cvId: '2',cZone: "www.northwind-health.example",
cType: 'managed',cNounce: '41523',cRay: '7d1b2c3d4e5f6a7b',cHash: '9c1f0e2d3b4a5968'};
var cpo = document.createElement('script');
cpo.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=7d1b2c3d4e5f6a7b';
document.getElementsByTagName('head')[0].appendChild(cpo);}());</script>
<div class="footer" role="contentinfo"><div class="footer-inner"><div class="ray-id">Ray ID:
<code>7d1b2c3d4e5f6a7b</code></div><div class="text-center" id="footer-text">Performance &amp;
security by <a href="https://www.cloudflare.com?utm_source=challenge">Cloudflare</a></div></div>
</div></body></html>
"""

_CLOUDFLARE_BLOCK = """<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<!--[if gt IE 8]><!--> <html class="no-js" lang="en-US"> <!--<![endif]-->
<head><title>Attention Required! | Cloudflare</title><meta charset="UTF-8" />
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<link rel="stylesheet" id="cf_styles-css" href="/cdn-cgi/styles/cf.errors.css" />
<script>if (!navigator.cookieEnabled) { window.addEventListener('DOMContentLoaded', function ()
{ var cookieEl = document.getElementById('cookie-alert'); cookieEl.style.display = 'block'; })
}</script></head>
<body><div id="cf-wrapper"><div class="cf-alert cf-alert-error cf-cookie-error"
id="cookie-alert" data-translate="enable_cookies">Please enable cookies.</div>
<div id="cf-error-details" class="cf-error-details-wrapper"><div class="cf-wrapper cf-header
cf-error-overview"><h1 data-translate="block_headline">Sorry, you have been blocked</h1>
<h2 class="cf-subheadline"><span data-translate="unable_to_access">You are unable to access
</span> northwind-health.example</h2></div>
<div class="cf-section cf-wrapper"><div class="cf-columns two"><div class="cf-column">
<h2 data-translate="blocked_why_headline">Why have I been blocked?</h2>
<p data-translate="blocked_why_detail">This website is using a security service to protect
itself from online attacks. The action you just performed triggered the security solution.</p>
</div><div class="cf-column"><h2 data-translate="blocked_resolve_headline">What can I do to
resolve this?</h2><p data-translate="blocked_resolve_detail">You can email the site owner to let
them know you were blocked.</p></div></div></div>
<div class="cf-error-footer cf-wrapper"><p><span class="cf-footer-item">Cloudflare Ray ID:
<strong class="font-semibold">7d1b2c3d4e5f6a7c</strong></span></p></div></div></div>
</body></html>
"""

_INCAPSULA = """<html style="height:100%"><head><META NAME="ROBOTS" CONTENT="NOINDEX, NOFOLLOW">
<meta name="format-detection" content="telephone=no"><meta name="viewport"
content="initial-scale=1.0"><meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
</head><body style="margin:0px;height:100%"><iframe id="main-iframe"
src="/_Incapsula_Resource?CWUDNSAI=23&xinfo=8-12345678-0%200NNN%20RT%281690000000000%2047%29&incident_id=1234000560012345678-123456789012345678&edet=15&cinfo=04000000&rpinfo=0&mth=GET"
frameborder=0 width="100%" height="100%" marginheight="0px" marginwidth="0px">Request
unsuccessful. Incapsula incident ID: 1234000560012345678-123456789012345678</iframe></body></html>
"""

_DATADOME = """<html lang="en"><head><title>northwind-health.example</title>
<style>#cmsg{animation: A 1.5s;}@keyframes A{0%{opacity:0;}99%{opacity:0;}100%{opacity:1;}}
</style></head><body style="margin:0"><p id="cmsg">Please enable JS and disable any ad
blocker</p><script data-cfasync="false">var dd={'rt':'c','cid':'AHrlqAAAAAMAx1yzJ2aQ3eYAtR1mJg==',
'hsh':'2211F522B61E269B869FA6EAFFB5E1','t':'fe','s':40611,'e':'9c1f0e2d3b4a',
'host':'geo.captcha-delivery.com'}</script><script data-cfasync="false"
src="https://ct.captcha-delivery.com/c.js"></script></body></html>
"""

_AKAMAI = """<HTML><HEAD>
<TITLE>Access Denied</TITLE>
</HEAD><BODY>
<H1>Access Denied</H1>

You don't have permission to access "http&#58;&#47;&#47;www&#46;northwind&#45;health&#46;\
example&#47;privacy" on this server.<P>
Reference&#32;&#35;18&#46;6f2d2f17&#46;1690000000&#46;2a3b4c5d
<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;6f2d2f17&#46;1690000000&#46;2a3b4c5d</P>
</BODY>
</HTML>
"""

_PERIMETERX = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Access to this page has been denied</title>
<style>.container{align-items:center;display:flex;flex:1;justify-content:space-between;
flex-direction:column;height:100%}.content{max-width:560px}</style>
<script>window._pxAppId = 'PXn0rthw1d';window._pxJsClientSrc = '/n0rthw1d/init.js';
window._pxFirstPartyEnabled = true;window._pxHostUrl = '/n0rthw1d/xhr';
window._pxreCaptchaTheme = 'light';</script></head>
<body><section class="container"><div class="content"><h1>Before we continue...</h1>
<p>Press &amp; Hold to confirm you are<br>a human (and not a bot).</p><div id="px-captcha">
</div><p class="reference">Reference ID 9f8e7d6c-5b4a-11ee-8c99-0242ac120002</p></div>
</section><script src="/n0rthw1d/captcha/captcha.js?a=c&m=0" async></script></body></html>
"""

_BOT_PAGES = {
    "cloudflare": _CLOUDFLARE, "cloudflare_block": _CLOUDFLARE_BLOCK, "incapsula": _INCAPSULA,
    "datadome": _DATADOME, "akamai": _AKAMAI, "perimeterx": _PERIMETERX,
}

_WALL_BODY = """<h1>Before you continue to Northwind</h1>
<p>We use cookies and data to deliver and maintain our services, track outages and protect
against spam, fraud and abuse, and measure audience engagement and site statistics to
understand how our services are used.</p>
<p>If you choose to "Accept all", we and our 214 partners will also use cookies and data to
develop and improve new services, deliver and measure the effectiveness of ads, and show
personalised content and ads, depending on your settings.</p>
<p>If you choose to "Reject all", we will not use cookies for these additional purposes.</p>
<p>Select "More options" to see additional information, including details about managing your
privacy settings. You can also visit our privacy dashboard at any time.</p>"""


def bot_check_page(vendor: str = "cloudflare") -> str:
    """A bot-check / challenge page of `vendor` (one of pages.BOT_VENDORS)."""
    try:
        return _BOT_PAGES[vendor]
    except KeyError:
        raise ValueError(f"unknown bot-check vendor {vendor!r}") from None


def cookie_wall_page(named: bool = True) -> str:
    """A full-page consent interstitial shown instead of the page. `named=True` uses a consent
    platform's class names; `named=False` plain ones (the text alone must give it away)."""
    box = ('class="consent-page" id="consent-bump"' if named else 'class="container box-7"')
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Before you continue</title><meta name="viewport" content="width=device-width">
<script src="/static/consent/sdk.3f9a.js"></script>
<style>.box{{max-width:600px;margin:auto}}</style></head>
<body><div {box}><div class="inner">
{_WALL_BODY}
<form method="post" action="/consent/save"><input type="hidden" name="csrf" value="a1b2c3">
<button type="submit" name="agree" value="all">Accept all</button>
<button type="submit" name="reject" value="all">Reject all</button></form>
<a href="/consent/options">More options</a>
</div></div>
<footer><a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></footer>
</body></html>
"""


def soft_404_page() -> str:
    """A 'page not found' page served with HTTP 200, inside the site's usual chrome."""
    return """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Page not found | Northwind Health</title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-4N0TF0UND1"></script>
<link rel="stylesheet" href="/assets/site.css"></head>
<body class="error404"><header class="site-header"><a class="logo" href="/">Northwind Health</a>
<nav aria-label="Main"><ul><li><a href="/">Home</a></li><li><a href="/products">Products</a></li>
<li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul></nav></header>
<main id="content"><section class="error-404 not-found">
<h1 class="page-title">Oops! That page can’t be found.</h1>
<p>It looks like nothing was found at this location. The page you are looking for may have been
moved, renamed or deleted. Maybe try one of the links below or a search?</p>
<form role="search" action="/"><input type="search" name="s"><button>Search</button></form>
<ul><li><a href="/">Back to the home page</a></li><li><a href="/legal">Legal documents</a></li>
<li><a href="/contact">Contact support</a></li></ul></section></main>
<footer class="site-footer"><p>&copy; 2024 Northwind Health, Inc.</p></footer></body></html>
"""
