"""A standalone HTML page: per change, the old and new text side by side, words highlighted.

Policy text comes from the web and is hostile: every piece of it is escaped, and the page
forbids scripts and remote resources through its Content-Security-Policy.
"""

from __future__ import annotations

from html import escape

from policywatch.monitor.model import ChangeUnit, DiffResult, Span

from .arrange import DEFAULT_TITLE, NO_SECTION, arrange, form_line, headline

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}
table{border-collapse:collapse;width:100%;margin:.4em 0 1.2em}
td,th{border:1px solid #ccc;padding:.45em .6em;vertical-align:top;width:50%;text-align:left}
th{background:#f4f4f4;font-weight:600}
del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}
.kind{font-variant:small-caps;color:#555}.why{font-style:italic;color:#444}
.form{color:#666}.sev-high h2{color:#a00}.sev-medium h2{color:#a60}
p.text{white-space:pre-wrap;margin:0}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _side(spans: list[Span], keep: str) -> str:
    """One column: the equal text plus the spans only that side has (delete or insert)."""
    tag = "del" if keep == "delete" else "ins"
    out = []
    for span in spans:
        if span.op == "equal":
            out.append(escape(span.text))
        elif span.op == keep:
            out.append(f"<{tag}>{escape(span.text)}</{tag}>")
    return "".join(out)


def _unit_rows(unit: ChangeUnit) -> str:
    header = (f'<span class="kind">{escape(unit.kind)}</span> '
              f"{escape(unit.section or NO_SECTION)}")
    if unit.reason:
        header += f' <span class="why">: {escape(unit.reason)}</span>'
    old = _side(unit.spans, "delete") if unit.old is not None else ""
    new = _side(unit.spans, "insert") if unit.new is not None else ""
    return (f'<tr><th colspan="2">{header}</th></tr>'
            f'<tr><td><p class="text">{old}</p></td><td><p class="text">{new}</p></td></tr>')


def _table(units: list[ChangeUnit]) -> str:
    rows = "".join(_unit_rows(u) for u in units)
    return f"<table><tr><th>Before</th><th>After</th></tr>{rows}</table>"


def render_html(result: DiffResult, *, title: str | None = None) -> str:
    arranged = arrange(result)
    page_title = escape(title or DEFAULT_TITLE)
    body = [f"<h1>{page_title}</h1>", f"<p>{escape(headline(arranged))}</p>"]
    if result.summary:
        body.append(f"<p>{escape(result.summary)}</p>")
    for severity, units in arranged.material:
        body.append(f'<section class="sev-{escape(severity)}">'
                    f"<h2>{escape(severity.capitalize())} severity ({len(units)})</h2>"
                    f"{_table(units)}</section>")
    if arranged.other:
        label = "Other changes" if arranged.material else "Changes"
        body.append(f"<section><h2>{label} ({len(arranged.other)})</h2>"
                    f"{_table(arranged.other)}</section>")
    if arranged.form_only:
        body.append(f'<p class="form">{form_line(len(arranged.form_only))}</p>')
    if not result.changes:
        body.append("<p>No changes.</p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            f"<title>{page_title}</title><style>{_STYLE}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")
