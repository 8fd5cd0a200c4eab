"""The Jinja2 environment of the report: autoescaping everywhere (every value from a policy or
the web is escaped), strict undefined names, and the few filters the templates need."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files
from typing import Any

import jinja2

from monitor.diff.model import SEVERITIES

# No script at all; styles only from the report's own stylesheet; no remote anything.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
       "form-action 'none'")
GLYPHS = {"high": "▲", "medium": "◆", "low": "●", "none": "▮"}
TEMPLATES = ("base.html", "macros.html", "index.html", "policy.html", "change.html")


def clip(value: Any, limit: int = 300) -> str:
    """Cap a value for display: hostile or runaway text cannot flood a page."""
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def when(stamp: str | None) -> str:
    return f"{stamp[:10]} {stamp[11:16]} UTC" if stamp else "—"


def day(stamp: str | None) -> str:
    return stamp[:10] if stamp else "—"


def web_url(url: Any) -> bool:
    """Only http(s) URLs become links (never javascript:, data: and the like)."""
    return isinstance(url, str) and url.lower().startswith(("http://", "https://")) \
        and not any(c in url for c in "\"'<> \t\r\n")


def sevclass(name: Any) -> str:
    """A CSS class from a stored severity or direction, whatever the database holds."""
    text = str(name)
    return text if text.isalpha() and text.islower() and len(text) < 20 else "none"


def sourceclass(source: Any) -> str:
    return "archive" if source == "archive" else "live"


def glyph(severity: Any) -> str:
    return GLYPHS.get(str(severity), GLYPHS["none"])


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("monitor.report", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, auto_reload=False)
    env.filters.update(clip=clip, when=when, day=day, web_url=web_url, sevclass=sevclass,
                       sourceclass=sourceclass, glyph=glyph)
    env.globals.update(csp=CSP, severities=SEVERITIES)
    return env


def stylesheet() -> bytes:
    return files("monitor.report").joinpath("static/style.css").read_bytes()


@cache
def design_hash() -> str:
    """Changes whenever a template or the stylesheet does: every page is then written again."""
    digest = hashlib.sha256(stylesheet())
    for name in TEMPLATES:
        digest.update(files("monitor.report").joinpath(f"templates/{name}").read_bytes())
    return digest.hexdigest()[:16]


def render_page(template: str, **context: Any) -> bytes:
    return environment().get_template(template).render(**context).encode("utf-8")
