"""The Jinja2 environment of the report: autoescaping everywhere (every value from a policy or
the web is escaped), strict undefined names, and the few filters the templates need."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files
from typing import Any

import jinja2
from markupsafe import Markup

from .fragments import LEGEND, badge, capture_link, css_name, timeline_svg, web_url

# No script at all; styles only from the report's own stylesheet; no remote anything.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
       "form-action 'none'")
TEMPLATES = ("base.html", "index.html", "row.html", "policy.html", "change.html")


def clip(value: Any, limit: int = 300) -> str:
    """Cap a value for display: hostile or runaway text cannot flood a page."""
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def when(stamp: str | None) -> str:
    return f"{stamp[:10]} {stamp[11:16]} UTC" if stamp else "—"


def day(stamp: str | None) -> str:
    return stamp[:10] if stamp else "—"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("policywatch.monitor.report", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, auto_reload=False)
    env.filters.update(clip=clip, when=when, day=day, web_url=web_url, sevclass=css_name)
    env.globals.update(csp=CSP, badge=badge, legend=LEGEND, capture_link=capture_link,
                       timeline_svg=timeline_svg)
    return env


def stylesheet() -> bytes:
    return files("policywatch.monitor.report").joinpath("static/style.css").read_bytes()


@cache
def design_hash() -> str:
    """Changes whenever a template or the stylesheet does: every page is then written again."""
    digest = hashlib.sha256(stylesheet())
    for name in TEMPLATES:
        digest.update(files("policywatch.monitor.report").joinpath(f"templates/{name}").read_bytes())
    return digest.hexdigest()[:16]


def render_page(template: str, **context: Any) -> bytes:
    return environment().get_template(template).render(**context).encode("utf-8")


def render_fragment(template: str, **context: Any) -> Markup:
    """A piece of a page, already escaped, to be placed in another template."""
    return Markup(environment().get_template(template).render(**context))
