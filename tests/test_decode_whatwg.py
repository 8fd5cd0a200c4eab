"""Charset labels are read as the WHATWG Encoding Standard reads them (what browsers do): the
charset cases in tests/cases/extract/charset_*.toml run through extraction; these check the
label table and the filtering of charset_normalizer's guesses."""

from __future__ import annotations

import pytest

from policywatch.monitor.extract.decode import _whatwg_label, decode_body, whatwg_codec


@pytest.mark.parametrize(("label", "codec"), [
    ("utf-8", "utf-8"), ("UTF8", "utf-8"), ("latin1", "cp1252"), ("us-ascii", "cp1252"),
    ("x-sjis", "cp932"), ("gb2312", "gbk"), ("ks_c_5601-1987", "cp949"), ("tis-620", "cp874"),
    ("utf-16", "utf-16-le"),
])
def test_web_labels(label: str, codec: str) -> None:
    found = whatwg_codec(label)
    assert found is not None and found.name == codec


@pytest.mark.parametrize("label", ["utf-7", "unicode-1-1-utf-7", "utf-32", "cp037", "cesu-8",
                                   "iso-2022-kr", "hz-gb-2312", "replacement", "rot13"])
def test_labels_no_browser_decodes(label: str) -> None:
    assert whatwg_codec(label) is None


@pytest.mark.parametrize(("guess", "label"), [("utf_7", None), ("utf_32", None),
                                              ("cp037", None), ("cp949", "euc-kr"),
                                              ("euc_jp", "euc-jp"), ("mac_roman", "macintosh")])
def test_guesses_are_kept_only_when_a_browser_could_use_them(guess: str,
                                                             label: str | None) -> None:
    assert _whatwg_label(guess) == label


def test_utf7_declared_in_the_header_is_not_decoded() -> None:
    body = b"<p>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</p>"
    assert "+ADw-script+AD4-" in decode_body(body, "text/html; charset=utf-7")
