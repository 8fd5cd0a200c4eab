"""Bytes → str for fetched pages: charset detection that never raises.

Order of evidence: a byte-order mark (it cannot lie, and browsers let it override the header), the
charset of the Content-Type header, a ``<meta charset>`` / ``<meta http-equiv>`` declaration in the
first bytes, strict UTF-8, then charset_normalizer's best guess. Each declared charset is tried
strictly; the first that decodes wins, so a server that claims UTF-8 but sends windows-1252 is
still read correctly.

Only the encodings of the WHATWG Encoding Standard are used, with its labels (webencodings), as
browsers do: Latin-1 and ASCII labels mean windows-1252, and a label browsers do not know
(UTF-7, UTF-32, EBCDIC...) or the 'replacement' encoding (ISO-2022-KR, HZ) is ignored, so text
like `+ADw-script+AD4-` is never turned into markup that readers of the page never saw.
"""

from __future__ import annotations

import codecs
import re

import webencodings

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16le"),
    (codecs.BOM_UTF16_BE, "utf-16be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:+-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:+-]+)", re.IGNORECASE)
_META_SCAN_BYTES = 8192
_SCRIPTS = re.compile(rb"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_MARKUP = re.compile(rb"<[^>]*>|&#?\w+;")
_FALLBACK_ERRORS = "policywatch-latin1"


def _latin1_fallback(err: UnicodeError) -> tuple[str, int]:
    """Map bytes windows-1252 leaves undefined (0x81, 0x8D, …) to the same code point, as
    browsers do, so windows-1252 decoding is total."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    return err.object[err.start:err.end].decode("latin-1"), err.end


codecs.register_error(_FALLBACK_ERRORS, _latin1_fallback)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value, lower-cased, or None."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1).lower() if match else None


def bom_charset(body: bytes) -> str | None:
    """The encoding announced by a byte-order mark at the start of `body`, or None."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def meta_charset(body: bytes) -> str | None:
    """The charset declared by a <meta> tag in the first bytes of an HTML document, or None."""
    match = _META_CHARSET.search(body[:_META_SCAN_BYTES])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    # A meta tag readable as ASCII cannot really be UTF-16/32 (WHATWG says: use UTF-8).
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def whatwg_codec(label: str) -> codecs.CodecInfo | None:
    """The decoder a browser uses for `label` (WHATWG Encoding Standard); None for a label no
    browser knows and for the 'replacement' encoding (whose content is never shown)."""
    encoding = webencodings.lookup(label)
    if encoding is None or encoding.name == "replacement":
        return None
    codec: codecs.CodecInfo = encoding.codec_info
    return codec


def _whatwg_label(python_codec: str) -> str | None:
    """The WHATWG label for a Python codec name (charset_normalizer's guesses are those), or
    None when no web encoding uses that codec (utf_7, utf_32, cp037...)."""
    for candidate in (python_codec, python_codec.replace("_", "-")):
        if whatwg_codec(candidate) is not None:
            return candidate
    try:
        name = codecs.lookup(python_codec).name
    except LookupError:
        return None
    return _WEB_CODECS.get(name)


_WEB_CODECS = {e.codec_info.name: e.name for e in
               map(webencodings.lookup, set(webencodings.LABELS.values()))
               if e is not None and e.name != "replacement"}


def _strict_decode(body: bytes, label: str) -> str | None:
    codec = whatwg_codec(label)
    if codec is None:
        return None
    errors = _FALLBACK_ERRORS if codec.name == "cp1252" else "strict"
    try:
        text: str = codec.decode(body, errors)[0]
    except (UnicodeDecodeError, LookupError):
        return None
    return text[1:] if text.startswith("\ufeff") else text


def _guess_charset(body: bytes) -> str | None:
    """charset_normalizer's guess, made on the text only: markup (ASCII) dilutes the evidence
    and gets short French text read as windows-1250."""
    from charset_normalizer import from_bytes  # imported late: only needed for odd pages

    text_only = _MARKUP.sub(b" ", _SCRIPTS.sub(b" ", body[:200_000]))
    best = from_bytes(text_only).best()
    return _whatwg_label(best.encoding) if best is not None else None


def decode_body(body: bytes, content_type: str | None) -> str:
    """Decode a fetched body to text. Never raises: undecodable bytes become U+FFFD."""
    declared = [bom_charset(body), charset_from_content_type(content_type), meta_charset(body)]
    for label in [*declared, "utf-8"]:
        if label:
            text = _strict_decode(body, label)
            if text is not None:
                return text
    guess = _guess_charset(body)
    if guess:
        text = _strict_decode(body, guess)
        if text is not None:
            return text
    first = next((c for c in (whatwg_codec(d) for d in declared if d) if c), None)
    return first.decode(body, "replace")[0] if first else body.decode("utf-8", "replace")
