"""Realistic pages through extract(): page chrome, bullet style and whitespace never change the
comparison key, the policy's sentences all survive, mojibake is repaired without touching correct
text. Uses the seeds and the latest history versions in ../shared (skipped when absent; the
histories are © Open Terms Archive contributors, ODC-By 1.0) and SAMPLE_POLICY (always)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policywatch.monitor.extract import check_content, decode_body, extract, is_suspect_shrink
from policywatch.monitor.extract.text import repair_mojibake
from policywatch.monitor.textnorm import normalise_key
from tests.support.pages import SAMPLE_POLICY, policy_page, policy_text, seed_texts, shared_dir

VARIANTS = [
    pytest.param(style, chrome, bullet, id=f"{style}-chrome{chrome}-bullet{bullet}")
    for style in ("standard", "pagebuilder")
    for chrome, bullet in ((0, "-"), (1, "-"), (2, "\u2022"), (3, "*"), (7, "\u2022"))
]
# Mojibake in the seeds, as a reader of the original page saw it.
KNOWN_MOJIBAKE = {"userâ€™s": "user’s"}
AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def _key_of_page(text: str, style: str = "standard", chrome: int = 0, bullet: str = "-") -> str:
    page = policy_page(text, style=style, chrome=chrome, bullet=bullet)
    return normalise_key(extract(page.encode("utf-8"), content_type="text/html; charset=utf-8"))


def _as_read(seed: str) -> str:
    """What a reader of the seed's page saw: mojibake as intended, autolinks without <>."""
    for broken, meant in KNOWN_MOJIBAKE.items():
        seed = seed.replace(broken, meant)
    return AUTOLINK.sub(r"\1", policy_text(seed))


def _sentences(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        for piece in SENTENCE_END.split(normalise_key(line)):
            if len(piece) >= 20:
                found.append(piece)
    return found


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return seed_texts()


@pytest.mark.parametrize(("style", "chrome", "bullet"), VARIANTS)
def test_seed_pages_extract_to_the_same_key(seeds: dict[str, str], style: str, chrome: int,
                                            bullet: str) -> None:
    for name, text in seeds.items():
        reference = _key_of_page(text)
        assert _key_of_page(text, style, chrome, bullet) == reference, name


def test_seed_pages_keep_every_sentence(seeds: dict[str, str]) -> None:
    for name, text in seeds.items():
        for style in ("standard", "pagebuilder"):
            key = _key_of_page(text, style, chrome=5)
            missing = [s for s in _sentences(_as_read(text)) if s not in key]
            assert not missing, f"{name} ({style}) lost: {missing[:3]}"


def test_seed_page_chrome_is_gone(seeds: dict[str, str]) -> None:
    text = seeds[sorted(seeds)[2]]  # 002_…, the Wix page
    for style in ("standard", "pagebuilder"):
        extracted = extract(policy_page(text, style=style, chrome=1))
        for chrome_text in ("top of page", "bottom of page", "Northwind Health", "Accept",
                            "Skip to", "Subscribe", "Wix", "Related documents"):
            assert chrome_text not in extracted, (style, chrome_text)


def test_mojibake_repair_leaves_correct_seeds_alone(seeds: dict[str, str]) -> None:
    for name, text in seeds.items():
        assert repair_mojibake(text) == _as_read_mojibake_only(text), name


def _as_read_mojibake_only(text: str) -> str:
    for broken, meant in KNOWN_MOJIBAKE.items():
        text = text.replace(broken, meant)
    return text


def test_seed_mojibake_repaired_in_page(seeds: dict[str, str]) -> None:
    text = next(t for t in seeds.values() if "userâ€™s" in t)
    for style in ("standard", "pagebuilder"):
        extracted = extract(policy_page(text, style=style))
        assert "build user’s trust" in extracted and "â€" not in extracted


def test_seeds_as_plain_text_keep_their_key(seeds: dict[str, str]) -> None:
    for name, text in seeds.items():
        extracted = extract(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
        assert normalise_key(extracted) == normalise_key(_as_read_mojibake_only(text)), name


@pytest.mark.parametrize(("style", "chrome", "bullet"), VARIANTS)
def test_sample_policy_round_trips(style: str, chrome: int, bullet: str) -> None:
    extracted = extract(policy_page(SAMPLE_POLICY, style=style, chrome=chrome, bullet=bullet))
    assert normalise_key(extracted) == normalise_key(SAMPLE_POLICY)
    if bullet == "-":
        assert extracted == SAMPLE_POLICY.strip()


def test_chrome_variants_really_differ() -> None:
    pages = {policy_page(SAMPLE_POLICY, chrome=n) for n in range(6)}
    assert len(pages) == 6
    wix = {policy_page(SAMPLE_POLICY, style="pagebuilder", chrome=n) for n in range(6)}
    assert len(wix) == 6


def test_page_structure() -> None:
    page = policy_page(SAMPLE_POLICY, title="Privacy <Policy>")
    for part in ("<!DOCTYPE html>", '<meta charset="utf-8">', "<nav", "<header", "<footer",
                 "<main", "<script", "Accept all", "<ul>", "<ol>", "<table>", "<h1>", "<h2>",
                 "Privacy &lt;Policy&gt;"):
        assert part in page, part
    wix = policy_page(SAMPLE_POLICY, style="pagebuilder")
    assert "<main" not in wix and "top of page" in wix and "bottom of page" in wix
    bullets = policy_page(SAMPLE_POLICY, bullet="\u2022")
    bullets = bullets.split('<article class="policy">')[1].split("</article>")[0]
    assert "<p>\u2022 Account information" in bullets and "<ul>" not in bullets


def test_policy_text_is_escaped() -> None:
    page = policy_page("# T\n\nWe <script>alert(1)</script> & [x](javascript:\"a) <b>b</b>")
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "We <script>alert(1)</script> & x <b>b</b>" in extract(page)


def _latest_histories() -> list[tuple[str, str]]:
    root = shared_dir() / "corpus" / "histories"
    found = []
    for history in sorted(root.glob("*/*/history.json")):
        versions = json.loads(history.read_text(encoding="utf-8"))["versions"]
        path = history.parent / versions[-1]["file"]
        found.append((history.parent.name, path.read_text(encoding="utf-8")))
    if not found:
        pytest.skip(f"real histories not available ({root} is missing)")
    return found


def test_history_pages_chrome_does_not_change_key() -> None:
    for name, text in _latest_histories()[::3]:
        reference = _key_of_page(text)
        assert _key_of_page(text, "pagebuilder", 4, "\u2022") == reference, name
        assert len(reference) > 0.8 * len(normalise_key(text)), name


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000),
       st.sampled_from([None, "text/html", "text/plain", "text/html; charset=utf-16",
                        "text/html; charset=bogus"]))
def test_decode_and_extract_never_raise_and_are_deterministic(body: bytes,
                                                              content_type: str | None) -> None:
    assert isinstance(decode_body(body, content_type), str)
    first = extract(body, content_type=content_type)
    assert extract(body, content_type=content_type) == first


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<ul>", "<li>", "</ul>", "<table>", "<tr>",
                                 "<td>", "<br>", "<h2>", "</h2>", "<div hidden>", "</div>",
                                 "text", " ", "&nbsp;", "userâ€™s", "<nav>", "<main>"]),
                max_size=60))
def test_extract_handles_tag_soup(parts: list[str]) -> None:
    html = "<html><body>" + "".join(parts) + "</body></html>"
    text = extract(html)
    assert text == extract(html)
    assert "\u00a0" not in text and "\n\n\n" not in text and not text.endswith((" ", "\n"))


def test_shared_dir_is_beside_the_checkout() -> None:
    assert shared_dir().resolve() == (Path(__file__).resolve().parents[2] / "shared").resolve()


def test_seed_pages_pass_the_content_checks(seeds: dict[str, str]) -> None:
    for name, text in seeds.items():
        for style in ("standard", "pagebuilder"):
            body = policy_page(text, style=style, chrome=2).encode("utf-8")
            extracted = extract(body, content_type="text/html; charset=utf-8")
            check_content(body, "text/html; charset=utf-8", extracted, url=f"https://x/{name}")
            assert not is_suspect_shrink(_as_read(text), extracted), (name, style)
